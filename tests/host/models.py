"""The host's own tables: course content with Studio's draft and published versions."""

from django.db import models


class ContentBlock(models.Model):
    """One block of a course as Studio's modulestore keeps it: a draft and a published version.

    ``draft`` and ``published`` hold the block's settings (field name → JSON value); None means
    the block is absent from that version (deleted in the draft, or never published).
    """

    usage_key = models.CharField(max_length=255, unique=True)
    course_key = models.CharField(max_length=255, db_index=True)
    block_type = models.CharField(max_length=64)
    unit = models.CharField(max_length=255, help_text="The unit (vertical) the block sits in.")
    upstream = models.CharField(
        max_length=255, blank=True, help_text="The library block this block was copied from."
    )
    draft = models.JSONField(null=True)
    published = models.JSONField(null=True)

    class Meta:
        app_label = "credplugin_host"

    def __str__(self):
        return self.usage_key
