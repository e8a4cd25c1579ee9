"""The periodic peer sweep: expired leases are released and work past its days is unblocked in
every block, without anyone opening the peer step; a repeat changes nothing."""

from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from credplugin import api
from credplugin.mentoring.models import ReviewQueueEntry
from credplugin.models import PeerReview, PeerSubmission
from credplugin.reviewing import pool
from tests.factories import COURSE_KEY, UserFactory, usage_key_for
from tests.peer_work import enter_work

pytestmark = pytest.mark.django_db

BLOCK = usage_key_for(COURSE_KEY, "peer-project")


def _enter(author, *, days_ago, fallback="flexible", mode="peer_median", after_days=7):
    work = enter_work(
        author.pk,
        course_key=COURSE_KEY,
        usage_key=BLOCK,
        result_mode=mode,
        submitted_at=timezone.now() - timedelta(days=days_ago),
        unblock_after_days=after_days,
        fallback=fallback,
    )
    return PeerSubmission.objects.get(submission_uuid=work)


def _review(submission, reviewer):
    lease = pool.next_for(BLOCK, COURSE_KEY, reviewer.pk)
    assert lease.submission_id == submission.pk
    pool.complete(lease.uuid, reviewer.pk, {"quality": "high"}, "Good work.")


def _waiting():
    return set(
        ReviewQueueEntry.objects.filter(status=ReviewQueueEntry.Status.WAITING).values_list(
            "learner__username", flat=True
        )
    )


def test_the_sweep_unblocks_by_each_submissions_fallback_and_only_once():
    reviewed = _enter(UserFactory(username="reviewed"), days_ago=8)
    _review(reviewed, UserFactory())
    unreviewed = _enter(UserFactory(username="unreviewed"), days_ago=8)
    to_mentor = _enter(UserFactory(username="to_mentor"), days_ago=8, fallback="mentor")
    recent = _enter(UserFactory(username="recent"), days_ago=1)
    never = _enter(UserFactory(username="never"), days_ago=30, after_days=0)

    assert pool.sweep() == {"released": 0, "unblocked": 3}
    states = dict(PeerSubmission.objects.values_list("pk", "state"))
    assert states[reviewed.pk] == "peers_done"  # judged on the one review given
    assert states[unreviewed.pk] == states[to_mentor.pk] == "mentor"
    assert states[recent.pk] == states[never.pk] == "peer"
    reviewed.refresh_from_db()
    assert reviewed.required_reviews == 1
    assert _waiting() == {"unreviewed", "to_mentor"}
    assert pool.sweep() == {"released": 0, "unblocked": 0}
    assert ReviewQueueEntry.objects.count() == 2


def test_the_sweep_releases_expired_leases_in_every_block():
    submission = _enter(UserFactory(), days_ago=0)
    reviewer = UserFactory()
    lease = pool.next_for(BLOCK, COURSE_KEY, reviewer.pk)
    later = timezone.now() + timedelta(hours=5)
    assert pool.sweep(now=later) == {"released": 1, "unblocked": 0}
    lease.refresh_from_db()
    submission.refresh_from_db()
    assert lease.released and submission.claimed == 0
    assert pool.sweep(now=later) == {"released": 0, "unblocked": 0}
    assert PeerReview.objects.filter(released=False).count() == 0


def test_a_confirmed_block_needs_a_mentor_after_flexible_grading():
    submission = _enter(UserFactory(username="confirm"), days_ago=8, mode="peer_confirmed")
    _review(submission, UserFactory())
    pool.sweep()
    assert _waiting() == {"confirm"}


def test_the_command_reports_what_it_did():
    _enter(UserFactory(), days_ago=8)
    out = StringIO()
    call_command("credplugin_peer_sweep", stdout=out)
    assert out.getvalue().strip() == (
        "0 expired lease(s) released, 1 submission(s) unblocked, "
        "0 reminder(s) of reviews owed sent."
    )


def test_the_beat_schedule_runs_the_sweep():
    entry = settings.CELERY_BEAT_SCHEDULE["credplugin-peer-sweep"]
    assert entry["task"] == "credplugin.tasks.sweep_peer_reviews_task"


@pytest.mark.parametrize(("key", "value"), [("result_mode", "vote"), ("fallback", "never")])
def test_unknown_modes_are_refused_and_nothing_is_stored(key, value):
    with pytest.raises(api.InvalidInput):
        enter_work(UserFactory().pk, course_key=COURSE_KEY, usage_key=BLOCK, **{key: value})
    assert not PeerSubmission.objects.exists()
