"""Peer-reviewed work enters the mentors' review queue only when a mentor is needed: the
dashboard and the mentor reminders never show work that only waits for peers."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from credplugin.mentoring.models import ReviewQueueEntry

from .peer_support import (
    LEVELS,
    author_peer_block,
    peer_state,
    review_next,
    submission_of,
    submit,
    two_reviews_of_learner_1,
)


def _waiting():
    return sorted(
        ReviewQueueEntry.objects.filter(status=ReviewQueueEntry.Status.WAITING).values_list(
            "learner__username", flat=True
        )
    )


def test_work_the_peer_median_decides_never_waits_for_a_mentor(driver):
    author_peer_block(driver)
    for user in ("learner_1", "learner_2", "learner_3"):
        submit(driver, user)
    assert _waiting() == []
    two_reviews_of_learner_1(driver, LEVELS, LEVELS)
    assert _waiting() == []
    assert not ReviewQueueEntry.objects.filter(learner__username="learner_1").exists()


@pytest.mark.parametrize("mode", ["mentor", "peer_confirmed"])
def test_a_mentor_is_needed_once_the_peers_are_done(driver, mode):
    author_peer_block(driver, peer_result_mode=mode)
    for user in ("learner_1", "learner_2", "learner_3"):
        submit(driver, user)
    review_next(driver, "learner_2")
    assert _waiting() == []  # one of two reviews: still the peers' turn
    review_next(driver, "learner_3")
    review_next(driver, "learner_3")
    assert _waiting() == ["learner_1"]
    entry = ReviewQueueEntry.objects.get(learner__username="learner_1")
    found = submission_of(driver, "learner_1")
    assert str(entry.submission_uuid) == found["uuid"]
    assert entry.title == driver.block("learner_1").display_name
    status, body = driver.grade("staff_mentor", found["uuid"], LEVELS, "Agreed.")
    assert status == 200, body
    assert _waiting() == []
    entry.refresh_from_db()
    assert (entry.status, entry.reviewer.username) == ("reviewed", "staff_mentor")


def test_unblocking_hands_work_to_a_mentor_but_flexible_median_does_not(driver):
    author_peer_block(driver, peer_must_be_graded_by=3, peer_must_grade=3)
    submit(driver, "learner_1")
    submit(driver, "learner_2")
    review_next(driver, "learner_2")
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        peer_state(driver, "learner_1")
    # learner_1 was graded on the one review given; learner_2 had none and needs a mentor.
    assert _waiting() == ["learner_2"]


def test_the_mentor_fallback_queues_work_that_has_reviews(driver):
    author_peer_block(driver, peer_fallback="mentor")
    submit(driver, "learner_1")
    submit(driver, "learner_2")
    review_next(driver, "learner_2")
    assert _waiting() == []
    handed_over = timezone.now() + timedelta(days=8)
    with time_machine.travel(handed_over):
        peer_state(driver, "learner_1")
    assert _waiting() == ["learner_1", "learner_2"]
    # The mentor's wait starts at the hand-over, not at the submission eight days before.
    for entry in ReviewQueueEntry.objects.all():
        assert entry.submitted_at >= handed_over - timedelta(minutes=5)


def test_resubmitted_peer_work_replaces_the_older_work_waiting_for_a_mentor(driver):
    author_peer_block(driver, peer_fallback="mentor")
    submit(driver, "learner_1")
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        peer_state(driver, "learner_1")
    assert _waiting() == ["learner_1"]
    older = submission_of(driver, "learner_1")["uuid"]
    status, body = driver.grade("staff_mentor", older, LEVELS, "Redo it.", decision="revision")
    assert status == 200, body
    submit(driver, "learner_1")
    assert _waiting() == []  # the new work waits for peers first
