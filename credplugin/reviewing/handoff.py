"""When peer-reviewed work needs a mentor, it enters the mentors' review queue.

Work without a peer step waits for a mentor from its submission (the block reports it). Work
in the peer pool waits for a mentor only once one is needed: when peers are done and the block's
result is a mentor's decision or a mentor's confirmation of the median, or when unblocking sent
it to a mentor (the *mentor* fallback, or no review at all). Work the peers' median decides
alone never enters the queue, so the dashboard and the mentor reminders show only work a
mentor can act on. Reporting is idempotent: a repeat, or a racing sweep, changes nothing.
"""

from django.utils import timezone

from credplugin.mentoring import queue as review_queue

from .models import NEEDS_MENTOR, PEER_MEDIAN, PEERS_DONE, PeerSubmission


def needs_mentor(submission):
    """Whether a mentor has to act on the submission now."""
    if submission.state == NEEDS_MENTOR:
        return True
    return submission.state == PEERS_DONE and submission.result_mode != PEER_MEDIAN


def _is_newest(submission):
    """Older work of the same learner in the block never displaces their newer work."""
    return not PeerSubmission.objects.filter(
        usage_key=submission.usage_key, author_id=submission.author_id, pk__gt=submission.pk
    ).exists()


def hand_over(submission_id):
    """Put the submission in the mentors' queue if a mentor is needed now; returns whether."""
    submission = PeerSubmission.objects.filter(pk=submission_id).first()
    if submission is None or not needs_mentor(submission) or not _is_newest(submission):
        return False
    review_queue.report_waiting(
        submission_uuid=submission.submission_uuid,
        course_key=submission.course_key,
        usage_key=submission.usage_key,
        title=submission.title,
        learner_id=submission.author_id,
        # The mentor's wait starts now: turnaround and reminders do not count the peers' time.
        submitted_at=timezone.now(),
    )
    return True


def withdraw_older(submission):
    """New work in a peer block replaces the learner's older work still waiting for a mentor."""
    review_queue.supersede_waiting(
        usage_key=submission.usage_key,
        learner_id=submission.author_id,
        newer_submission_uuid=submission.submission_uuid,
    )
