"""Course staff's view of the mentors: each one's backlog and turnaround in one course run.

Backlog is the work waiting for the mentor now (count and the longest wait); turnaround is
hours from submission to the decision over the decisions of the last ``TURNAROUND_SPAN``,
median and 90th percentile by nearest rank, as the outcomes figures compute them.
"""

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.utils import timezone

from credplugin.mentoring import assignment, queue
from credplugin.mentoring.models import ReviewQueueEntry
from credplugin.outcomes.figures import percentile


def _hours(delta):
    return round(delta.total_seconds() / 3600, 1)


def per_mentor(course_key, now=None):
    """``[{mentor, waiting, oldest_hours, reviewed, median_hours, p90_hours}]`` for every
    reviewer of the course and every assigned mentor, by username; then one row with
    ``mentor`` None for the waiting work of learners without a mentor."""
    now = now or timezone.now()
    entries = list(queue.waiting(course_key))
    mentors_of = assignment.mentors_of(course_key, {entry.learner_id for entry in entries})
    waiting = defaultdict(list)
    for entry in entries:
        waiting[mentors_of.get(entry.learner_id)].append(now - entry.submitted_at)
    decided = defaultdict(list)
    for reviewer_id, submitted, reviewed in ReviewQueueEntry.objects.filter(
        course_key=course_key,
        reviewed_at__gte=now - queue.TURNAROUND_SPAN,
        reviewer__isnull=False,
    ).values_list("reviewer_id", "submitted_at", "reviewed_at"):
        decided[reviewer_id].append((reviewed - submitted).total_seconds() / 3600)
    mentor_ids = {user.pk for user in assignment.course_mentors(course_key)}
    mentor_ids |= set(
        assignment.MentorAssignment.objects.filter(course_key=course_key).values_list(
            "mentor_id", flat=True
        )
    )
    users = get_user_model().objects.filter(pk__in=mentor_ids).order_by("username")
    rows = [_row(user, waiting[user.pk], decided[user.pk]) for user in users]
    rows.append(_row(None, waiting[None], []))
    return rows


def _row(user, waits, hours):
    ordered = sorted(hours)
    median, p90 = percentile(ordered, 0.5), percentile(ordered, 0.9)
    return {
        "mentor": user,
        "waiting": len(waits),
        "oldest_hours": _hours(max(waits)) if waits else None,
        "reviewed": len(ordered),
        "median_hours": round(median, 1) if median is not None else None,
        "p90_hours": round(p90, 1) if p90 is not None else None,
    }
