"""The tables of pathways: a badge class earned by earning other badge classes.

Imported by ``credplugin.models`` so Django registers them with the app. A component names a
badge class, but any run's class of the same achievement (``achievement_uuid``) counts, so a
learner who took another run of a course still completes the pathway.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

ON_LOST_CHOICES = [
    ("", _("the site's setting")),
    ("keep", _("keep the pathway badge")),
    ("suspend", _("suspend the pathway badge")),
    ("revoke", _("revoke the pathway badge")),
]


class Pathway(models.Model):
    """The rule of a pathway badge class: which badges, how many, in what order, how fast.

    ``required_count`` empty means every component; ``window_days`` bounds the days between the
    first and the last counted component; ``ordered`` asks the counted components to have been
    earned in their ``position`` order.
    """

    badge_class = models.OneToOneField(
        "credplugin.BadgeClass", related_name="pathway", on_delete=models.CASCADE
    )
    required_count = models.PositiveIntegerField(
        _("badges required"),
        null=True,
        blank=True,
        help_text=_("Leave empty to require every component badge (all of them)."),
    )
    ordered = models.BooleanField(
        _("in order"), default=False, help_text=_("Components must be earned in their order.")
    )
    window_days = models.PositiveIntegerField(
        _("time window in days"),
        null=True,
        blank=True,
        help_text=_("Counted components must all be earned within this many days."),
    )
    on_component_lost = models.CharField(
        _("when a component is revoked or lapses"),
        max_length=16,
        blank=True,
        choices=ON_LOST_CHOICES,
        default="",
    )
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "credplugin"
        verbose_name = _("pathway")

    def __str__(self):
        return str(self.badge_class.name)


class PathwayComponent(models.Model):
    """One badge class a pathway counts, at its place in the pathway's order."""

    pathway = models.ForeignKey(Pathway, related_name="components", on_delete=models.CASCADE)
    badge_class = models.ForeignKey(
        "credplugin.BadgeClass",
        related_name="pathway_components",
        on_delete=models.PROTECT,
        verbose_name=_("component badge"),
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        app_label = "credplugin"
        verbose_name = _("pathway component")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pathway", "badge_class"], name="credplugin_pathway_component_once"
            )
        ]

    def __str__(self):
        return f"{self.pathway_id}#{self.position} {self.badge_class_id}"


class PathwayHold(models.Model):
    """A pathway badge the plugin suspended because a component was revoked or lapsed.

    Its presence, not a reason text, is what lets re-earning the component lift the suspension;
    a suspension by a person has no hold and stays.
    """

    badge = models.OneToOneField(
        "credplugin.IssuedBadge", related_name="pathway_hold", on_delete=models.CASCADE
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "credplugin"
        verbose_name = _("pathway hold")

    def __str__(self):
        return f"hold {self.badge_id}"


class PathwayMilestone(models.Model):
    """A learner reached 25, 50 or 75 % of a pathway: recorded once, so it is announced once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE)
    pathway = models.ForeignKey(Pathway, related_name="milestones", on_delete=models.CASCADE)
    percent = models.PositiveSmallIntegerField()
    reached_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "credplugin"
        verbose_name = _("pathway milestone")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "pathway", "percent"], name="credplugin_milestone_once"
            )
        ]

    def __str__(self):
        return f"{self.user_id} {self.pathway_id} {self.percent}%"
