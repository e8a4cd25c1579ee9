"""Concurrent peer sweeps on MariaDB (several beat workers, or cron runs overlapping): every
expired lease is released once, every submission past its days is unblocked once, and each
reaches the mentors' queue once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from credplugin.mentoring.models import ReviewQueueEntry
from credplugin.models import PeerReview, PeerSubmission
from credplugin.reviewing import pool
from tests.factories import UserFactory
from tests.integration.test_peer_mariadb import COURSE, USAGE
from tests.integration.threads import run_at_once
from tests.peer_work import enter_work

pytestmark = [pytest.mark.integration]

SUBMISSIONS = 10
SWEEPERS = 6


def _enter():
    submitted = timezone.now() - timedelta(days=8)
    for _ in range(SUBMISSIONS):
        enter_work(
            UserFactory().pk,
            course_key=COURSE,
            usage_key=USAGE,
            result_mode="peer_confirmed",
            submitted_at=submitted,
            unblock_after_days=7,
        )


def test_concurrent_sweeps_change_each_lease_and_submission_once(integration_database_url):
    _enter()
    for _ in range(SUBMISSIONS // 2):  # half the work gets one review
        reviewer = UserFactory()
        lease = pool.next_for(USAGE, COURSE, reviewer.pk)
        pool.complete(lease.uuid, reviewer.pk, {"quality": "high"}, "Clear.")
    six_hours_ago = timezone.now() - timedelta(hours=6)
    for _ in range(SUBMISSIONS):  # leases taken six hours ago have expired
        assert pool.next_for(USAGE, COURSE, UserFactory().pk, now=six_hours_ago) is not None

    results, errors = run_at_once(SWEEPERS, pool.sweep)

    assert errors == []
    assert sum(outcome["released"] for outcome in results) == SUBMISSIONS
    assert sum(outcome["unblocked"] for outcome in results) == SUBMISSIONS
    assert not PeerReview.objects.filter(completed=None, released=False).exists()
    for submission in PeerSubmission.objects.all():
        assert submission.claimed == submission.review_count
        expected = "peers_done" if submission.review_count else "mentor"
        assert submission.state == expected
    # Peers done in "confirmed" mode, or sent to a mentor: every one waits for a mentor, once.
    waiting = ReviewQueueEntry.objects.filter(status=ReviewQueueEntry.Status.WAITING)
    assert waiting.count() == SUBMISSIONS
    assert pool.sweep() == {"released": 0, "unblocked": 0}
