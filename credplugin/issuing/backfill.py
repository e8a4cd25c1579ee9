"""Award badges to learners who passed before the badge existed (``credplugin_backfill``).

Each learner is handled in its own short transaction through the ordinary ``evaluate``, so an
interrupted run loses nothing and a second run only does what the first did not.
"""

from django.db import transaction

from credplugin import compat
from credplugin.authoring import requirements, validation
from credplugin.issuing import evaluation
from credplugin.models import CoursePassingRecord, IssuanceRequest
from credplugin.stacking import pathways


def passing_learners(course_key):
    return sorted(set(compat.get_course_passing_users(course_key)))


def _would_award(user_id, badge_classes):
    """Whether ``evaluate`` would queue a first badge of ``badge_classes``
    (``evaluation.classes_awarded_by_blocks``) for the learner; a pathway's badge also needs
    the pathway complete."""
    for badge_class, pathway in badge_classes:
        if IssuanceRequest.objects.filter(user_id=user_id, badge_class=badge_class).exists():
            continue
        if not requirements.requirements_met(badge_class, user_id)[0]:
            continue
        if not pathway or pathways.complete_for(badge_class, [user_id]):
            return True
    return False


def _record_passing(user_id, course_key):
    """Mark the learner passing without queueing a second evaluation (we evaluate now)."""
    with transaction.atomic():
        record, created = CoursePassingRecord.objects.select_for_update().get_or_create(
            user_id=user_id, course_key=course_key, defaults={"is_passing": True}
        )
        if not created and not record.is_passing:
            record.is_passing = True
            record.save(update_fields=["is_passing", "updated"])


def backfill(course_key, *, dry_run=False, progress=None):
    """Evaluate every passing learner of the course; returns counts.

    ``progress``: optional callable(done, total) called after each learner.
    """
    course_key = validation.course_key(course_key)
    learners = passing_learners(course_key)
    badge_classes = evaluation.classes_awarded_by_blocks(course_key)
    counts = {"learners": len(learners), "requested": 0, "unchanged": 0}
    for done, user_id in enumerate(learners, start=1):
        if dry_run:
            awarded = _would_award(user_id, badge_classes)
        else:
            _record_passing(user_id, course_key)
            outcomes = evaluation.evaluate(user_id, course_key)
            awarded = any(outcome == "requested" for _slug, outcome in outcomes)
        counts["requested" if awarded else "unchanged"] += 1
        if progress:
            progress(done, len(learners))
    return counts
