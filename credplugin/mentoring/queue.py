"""The review queue: what the assessment block reports about each submission, and what is read
back from it (a mentor's queue, turnaround, backlog per mentor, the outcomes figure).

An entry is *waiting* from its submission until a mentor grades it or asks for a revision
(*reviewed*, with who and when); newer work by the same learner in the same block replaces
work still waiting (*superseded*). Reports are idempotent: the block may repeat one, and a
decision about work the queue never heard of (submitted before the queue existed) is ignored.
"""

import uuid
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey, UsageKey

from credplugin.exceptions import InvalidInput
from credplugin.mail.assessment_reviews import assessment_url
from credplugin.mentoring import assignment
from credplugin.mentoring.models import ReviewQueueEntry

MAX_TITLE = 255
# Decisions in this span count towards a mentor's turnaround on the dashboard.
TURNAROUND_SPAN = timedelta(days=90)


def _submission_uuid(value):
    try:
        return uuid.UUID(str(value))
    except ValueError as error:
        raise InvalidInput(_("The submission id is not a UUID.")) from error


def _keys(course_key, usage_key):
    try:
        course = CourseKey.from_string(str(course_key))
        usage = UsageKey.from_string(str(usage_key))
    except InvalidKeyError as error:
        raise InvalidInput(_("The course or block id is not valid.")) from error
    if usage.course_key != course:
        raise InvalidInput(_("The block is not part of that course."))
    return course, usage


def report_waiting(*, submission_uuid, course_key, usage_key, title, learner_id, submitted_at):
    """Work arrived (first submission or resubmission): it waits for a mentor. Returns the
    entry; the learner's older work still waiting in the block is superseded."""
    submission_uuid = _submission_uuid(submission_uuid)
    course, usage = _keys(course_key, usage_key)
    if not get_user_model().objects.filter(pk=learner_id).exists():
        raise InvalidInput(_("There is no such learner."))
    with transaction.atomic():
        supersede_waiting(
            usage_key=usage, learner_id=learner_id, newer_submission_uuid=submission_uuid
        )
        try:
            with transaction.atomic():
                entry, _created = ReviewQueueEntry.objects.get_or_create(
                    submission_uuid=submission_uuid,
                    defaults={
                        "course_key": course,
                        "usage_key": usage,
                        "title": str(title or "")[:MAX_TITLE],
                        "learner_id": learner_id,
                        "submitted_at": submitted_at,
                    },
                )
        except IntegrityError:  # a concurrent repeat of this report inserted it first
            entry = ReviewQueueEntry.objects.get(submission_uuid=submission_uuid)
    return entry


def supersede_waiting(*, usage_key, learner_id, newer_submission_uuid):
    """The learner's work still waiting in the block, other than ``newer_submission_uuid``,
    is replaced by it (peer-reviewed work reaches the queue later, when a mentor is needed)."""
    ReviewQueueEntry.objects.filter(
        usage_key=usage_key, learner_id=learner_id, status=ReviewQueueEntry.Status.WAITING
    ).exclude(submission_uuid=_submission_uuid(newer_submission_uuid)).update(
        status=ReviewQueueEntry.Status.SUPERSEDED
    )


def report_reviewed(*, submission_uuid, decision, reviewer_id, reviewed_at=None):
    """A mentor decided on the work (``decision``: graded or revision_requested). Returns
    whether an entry changed: False for a repeat, or for work the queue never heard of."""
    submission_uuid = _submission_uuid(submission_uuid)
    if decision not in ReviewQueueEntry.Decision.values:
        raise InvalidInput(_("Unknown review decision."))
    changed = ReviewQueueEntry.objects.filter(
        submission_uuid=submission_uuid, reviewed_at__isnull=True
    ).update(
        status=ReviewQueueEntry.Status.REVIEWED,
        decision=decision,
        reviewer_id=reviewer_id,
        reviewed_at=reviewed_at or timezone.now(),
    )
    return bool(changed)


def grading_url(entry):
    """The block in the LMS courseware, where staff grade it (as the review e-mails link it)."""
    return assessment_url(entry.course_key, entry.usage_key)


def waiting(course_key):
    """The course's waiting entries, oldest first."""
    return (
        ReviewQueueEntry.objects.filter(
            course_key=course_key, status=ReviewQueueEntry.Status.WAITING
        )
        .select_related("learner")
        .order_by("submitted_at", "pk")
    )


def course_queues(course_key, mentor_id, now=None):
    """The waiting work of the course, oldest first, as ``(mentor_id's learners', that of
    learners without a mentor)``, each ``[{entry, waited, url}]``, across every assessment
    block of the course."""
    now = now or timezone.now()
    entries = list(waiting(course_key))
    mentors = assignment.mentors_of(course_key, {entry.learner_id for entry in entries})
    mine, unassigned = [], []
    for entry in entries:
        mentor = mentors.get(entry.learner_id)
        if mentor is None or mentor == mentor_id:
            row = {"entry": entry, "waited": now - entry.submitted_at, "url": grading_url(entry)}
            (unassigned if mentor is None else mine).append(row)
    return mine, unassigned


def turnarounds(course_keys, usage_keys, start, end):
    """``[(submitted_at, reviewed_at)]`` of every decision in ``[start, end)`` on work
    submitted to the blocks ``usage_keys`` of ``course_keys``."""
    return list(
        ReviewQueueEntry.objects.filter(
            course_key__in=list(course_keys),
            usage_key__in=list(usage_keys),
            reviewed_at__gte=start,
            reviewed_at__lt=end,
        ).values_list("submitted_at", "reviewed_at")
    )
