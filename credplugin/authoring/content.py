"""Requirements follow the published course: publish, re-run, import, duplicate, delete.

Learners see a block's published version, so a badge requirement is registered from that
version only, read through the platform (``compat.published_blocks``): never from a draft, and
never from a ``badge_uuid`` or rubric hash copied along with the block — both are computed here
from the settings. A course's active requirements are reconciled with its published assessment
blocks: every published block is registered (a no-op when its settings are already), and a
requirement whose block learners no longer see is retired. Learners keep badges they earned;
learners still waiting for one are evaluated again, since one requirement fewer may complete it.

An assessment block describes its requirement itself: ``block.badge_requirement()`` returns the
keyword arguments of :func:`credplugin.api.register_badge_requirement` other than the keys, or
None when the block feeds no badge. A block marked in Studio as the renewal assessment of a
badge is registered the same way, from its published version
(``block.renewal_assessment()``, the arguments of
:func:`credplugin.api.register_renewal_assessment`), and retired when it is no longer published
or no longer marked.
"""

import logging

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from credplugin import compat
from credplugin.authoring import requirements, validation
from credplugin.exceptions import InvalidInput
from credplugin.issuing import intake
from credplugin.models import BadgeRequirement, CoursePassingRecord, IssuanceRequest
from credplugin.renewing import policy

log = logging.getLogger(__name__)

BLOCK_TYPE = "credplugin_assessment"
# How long the LMS remembers that a block's published settings are registered.
REGISTERED_CACHE_SECONDS = 3600


def block_published(usage_key, block_type):
    """XBLOCK_PUBLISHED: the block or, for a container, everything under it is now live.

    A container's publish may also publish the deletion of an assessment block inside it, so
    the whole course is reconciled. Returns the usage keys registered or retired.
    """
    usage_key = validation.master_usage_key(validation.usage_key(usage_key))
    if block_type == BLOCK_TYPE:
        block = compat.published_block(usage_key)
        if block is not None:
            return [usage_key] if sync_block(usage_key, block) else []
    return reconcile_course(usage_key.course_key)


def block_duplicated(usage_key, source_usage_key):
    """XBLOCK_DUPLICATED: the copy counts under its own usage key once learners see it.

    A copy made inside a unit is a draft until the unit is published (XBLOCK_PUBLISHED then
    registers it); one Studio publishes at once is registered now. The source is untouched.
    """
    usage_key = validation.master_usage_key(validation.usage_key(usage_key))
    if usage_key == validation.master_usage_key(validation.usage_key(source_usage_key)):
        return False
    block = compat.published_block(usage_key)
    return block is not None and sync_block(usage_key, block)


def library_block_published(library_usage_key):
    """LIBRARY_BLOCK_PUBLISHED: a library block has no learners, so nothing registers for it.

    Its copies in courses count once their courses publish them (XBLOCK_PUBLISHED). A library
    publish re-checks those copies' published versions, which registers a copy whose course
    took the new version without an event credplugin heard, and changes nothing otherwise.
    """
    changed = []
    for usage_key in compat.library_copies(library_usage_key):
        changed += block_published(usage_key, BLOCK_TYPE)
    return changed


def block_deleted(usage_key):
    """XBLOCK_DELETED: retire what the deletion took out of the published course.

    Deleting a component in Studio removes it from the draft only; learners still see it
    until its unit is published, so its requirement stays until then (XBLOCK_PUBLISHED).
    """
    usage_key = validation.usage_key(usage_key)
    return reconcile_course(validation.master_usage_key(usage_key).course_key)


def course_copied(course_key):
    """COURSE_RERUN_COMPLETED, COURSE_IMPORT_COMPLETED: register the new course's blocks."""
    return reconcile_course(validation.master_course_key(validation.course_key(course_key)))


def reconcile_course(course_key):
    """Make the course's active requirements exactly its published assessment blocks.

    Returns the usage keys registered, updated or retired (empty when nothing changed). Where
    the platform cannot say what is published, nothing is touched.
    """
    blocks = compat.published_blocks(course_key, BLOCK_TYPE)
    if blocks is None:
        log.warning("credplugin cannot read the published content of %s", course_key)
        return []
    published = {validation.master_usage_key(usage_key): block for usage_key, block in blocks}
    changed = [key for key, block in published.items() if sync_block(key, block)]
    changed += policy.retire_unpublished(course_key, published)
    stale = (
        BadgeRequirement.objects.filter(badge_class__course_key=course_key, active=True)
        .exclude(usage_key__in=list(published))
        .values_list("usage_key", flat=True)
    )
    for usage_key in list(stale):
        if retire(usage_key):
            changed.append(usage_key)
    return changed


def sync_block(usage_key, block):
    """Register ``block``'s published settings under ``usage_key``; True if anything changed.

    A block whose settings cannot be registered (an imported rubric that breaks the rules)
    is logged and skipped, so one bad block never stops the rest of a course.
    """
    description = block.badge_requirement()
    if description is None:
        retired = retire(usage_key)  # first: a block that counts towards a badge renews none
        return _sync_renewal(usage_key, block) or retired
    renewal_retired = policy.retire_renewal_assessment(usage_key)
    registered = _registered(requirements.register_badge_requirement, usage_key, description)
    if registered is None:
        return renewal_retired
    if registered["registered"]:
        reevaluate(usage_key.course_key)
    return registered["registered"] or renewal_retired


def _sync_renewal(usage_key, block):
    """Register the published block as the renewal assessment it is marked as (in Studio's
    editor), or retire the one it was; True if anything changed. A badge slug no run of the
    course offers (yet) is logged and skipped, as a requirement that cannot be registered."""
    description = block.renewal_assessment()
    if description is None:
        return policy.retire_renewal_assessment(usage_key)
    registered = _registered(policy.register_renewal_assessment, usage_key, description)
    return bool(registered and registered["registered"])


def _registered(register, usage_key, description):
    """``register``'s answer for the published block, or None (logged) when its settings
    cannot be registered."""
    try:
        return register(course_key=usage_key.course_key, usage_key=usage_key, **description)
    except InvalidInput as error:
        log.warning("credplugin cannot register the published block %s: %s", usage_key, error)
        return None


def retire(usage_key):
    """Retire a block's requirement; learners waiting for its badge are evaluated again."""
    usage_key = validation.usage_key(usage_key)
    with transaction.atomic():
        requirement = (
            BadgeRequirement.objects.select_for_update()
            .select_related("badge_class")
            .filter(usage_key=usage_key, active=True)
            .first()
        )
        if requirement is None:
            return False
        BadgeRequirement.objects.filter(pk=requirement.pk).update(
            active=False, retired_at=timezone.now(), modified=timezone.now()
        )
        reevaluate(requirement.badge_class.course_key, requirement.badge_class_id)
    return True


def reevaluate(course_key, badge_class_id=None):
    """Mark passing learners of the course who have no award of the badge yet (of any badge
    of the course, without ``badge_class_id``) for evaluation, and queue one after commit."""
    records = CoursePassingRecord.objects.filter(course_key=course_key, is_passing=True)
    if intake.awards_on_certificate():
        records = records.filter(has_certificate=True)
    awarded = IssuanceRequest.objects.filter(badge_class__course_key=course_key)
    if badge_class_id is not None:
        awarded = awarded.filter(badge_class_id=badge_class_id)
    records = records.exclude(user_id__in=awarded.values("user_id"))
    first = records.values_list("user_id", flat=True).first()
    if first is None:
        return 0
    marked = records.update(evaluation_pending=True, updated=timezone.now())
    intake.schedule_evaluation(first, course_key)
    return marked


def ensure_registered(*, course_key, usage_key, **description):
    """The LMS's safety net: register the settings a learner is shown unless they already are.

    Costs a cache read when the block was checked in the last hour, else one indexed read.
    Concurrent renders of a never-registered block register it once: the others find its row
    (or lose the insert race) and write nothing. Returns True when this call registered it.
    """
    if not compat.serves_learners():
        return False
    usage_key = validation.master_usage_key(validation.usage_key(usage_key))
    description = {"course_key": course_key, "usage_key": usage_key, **description}
    source = requirements.description_source(description)
    cache_key = f"credplugin:registered:{requirements.source_hash(str(usage_key))}"
    if cache.get(cache_key) == source:
        return False
    if requirements.registered_source(usage_key) == (source, True):
        cache.set(cache_key, source, REGISTERED_CACHE_SECONDS)
        return False
    registered = requirements.register_badge_requirement(**description)
    cache.set(cache_key, source, REGISTERED_CACHE_SECONDS)
    if registered["registered"]:
        reevaluate(validation.master_course_key(validation.course_key(course_key)))
    return registered["registered"]
