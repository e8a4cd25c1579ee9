"""Claims and leases on outbox rows: a lost attempt's awards are finished by the next one."""

from datetime import timedelta
from unittest import mock

import pytest
from celery.signals import worker_ready
from django.db import OperationalError
from django.test import override_settings
from django.utils import timezone

from credplugin import tasks
from credplugin.issuing import claims, evaluation, intake, issuance, queue
from credplugin.models import CoursePassingRecord, IssuanceRequest, IssuedBadge
from tests.factories import (
    COURSE_KEY,
    BadgeRequirementFactory,
    CoursePassingRecordFactory,
    IssuerKeyFactory,
    held_elsewhere,
    learner_meeting,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def requirement():
    IssuerKeyFactory()
    return BadgeRequirementFactory()


def committed_but_not_issued(requirement, count, attempt):
    """What an evaluation task killed right after its decision committed leaves behind."""
    learners = [learner_meeting(requirement) for _ in range(count)]
    for user in learners:
        CoursePassingRecordFactory(user=user, evaluation_pending=True)
    [new_requests] = list(evaluation.drain_pending(learners[0].id, COURSE_KEY, attempt=attempt))
    return IssuanceRequest.objects.filter(pk__in=new_requests).order_by("pk")


def test_the_rows_an_evaluation_decides_are_claimed_by_its_attempt_with_a_lease(requirement):
    before = timezone.now()
    rows = committed_but_not_issued(requirement, 3, attempt="task-1")
    assert {row.claimed_by for row in rows} == {"task-1"}
    for row in rows:
        assert (
            before + timedelta(seconds=14)
            < row.lease_until
            <= timezone.now() + timedelta(seconds=15)
        )


def test_a_redelivered_attempt_takes_its_own_rows_back_at_once(requirement):
    rows = committed_but_not_issued(requirement, 3, attempt="task-1")
    assert claims.claim_orphaned("task-2", batch=10) == []  # the leases still run
    assert claims.claim_orphaned("task-1", batch=10) == [row.pk for row in rows]


def test_anyone_takes_rows_whose_lease_ran_out_or_that_have_none(requirement):
    expired, live, unleased = committed_but_not_issued(requirement, 3, attempt="task-1")
    held_elsewhere(expired, seconds=-1, attempt="task-1")
    IssuanceRequest.objects.filter(pk=unleased.pk).update(claimed_by="", lease_until=None)
    assert claims.claim_orphaned("task-2", batch=10) == [expired.pk, unleased.pk]
    expired.refresh_from_db()
    assert expired.claimed_by == "task-2" and expired.lease_until > timezone.now()
    live.refresh_from_db()
    assert live.claimed_by == "task-1"


def test_claims_come_in_batches_and_each_row_once(requirement):
    rows = committed_but_not_issued(requirement, 5, attempt="task-1")
    batches = list(claims.orphaned_batches("task-1", batch=2))
    # Nothing was issued in between, so the rows are still pending and still its own.
    assert batches == [[r.pk for r in rows[:2]], [r.pk for r in rows[2:4]], [rows[4].pk]]


@override_settings(CREDPLUGIN_TASK_MAX_RETRIES=3)
def test_a_row_that_keeps_failing_is_left_to_the_sweeper(requirement):
    poisoned, fine = committed_but_not_issued(requirement, 2, attempt="task-1")
    IssuanceRequest.objects.filter(pk=poisoned.pk).update(attempts=3)
    held_elsewhere(poisoned, seconds=2, attempt="task-1")
    assert claims.next_expiry("task-2") == fine.lease_until
    assert claims.claim_orphaned("task-1", batch=10) == [fine.pk]


def test_only_pending_rows_are_ever_claimed(requirement):
    issued, failed, waiting = committed_but_not_issued(requirement, 3, attempt="task-1")
    IssuanceRequest.objects.filter(pk=issued.pk).update(status=IssuanceRequest.Status.ISSUED)
    IssuanceRequest.objects.filter(pk=failed.pk).update(status=IssuanceRequest.Status.FAILED)
    IssuanceRequest.objects.filter(pk=waiting.pk).update(status=IssuanceRequest.Status.WAITING)
    assert claims.claim_orphaned("task-1", batch=10) == []
    assert claims.next_expiry("task-2") is None


def test_the_next_expiry_is_the_first_lease_another_attempt_holds(requirement):
    first, second, mine = committed_but_not_issued(requirement, 3, attempt="task-1")
    held_elsewhere(first, seconds=5, attempt="a")
    held_elsewhere(second, seconds=9, attempt="b")
    held_elsewhere(mine, seconds=1, attempt="me")
    assert claims.next_expiry("me") == first.lease_until
    held_elsewhere(first, seconds=-1, attempt="a")  # ran out: it is orphaned, not held
    assert claims.next_expiry("me") == second.lease_until


def test_a_lease_is_renewed_once_a_third_of_it_has_passed_and_only_by_its_holder(requirement):
    mine, taken_over = committed_but_not_issued(requirement, 2, attempt="task-1")
    held_elsewhere(taken_over, seconds=3, attempt="task-2")
    clock = mock.Mock(now=100.0)
    with mock.patch.object(claims.time, "monotonic", side_effect=lambda: clock.now):
        renewal = claims.Renewal([mine.pk, taken_over.pk], "task-1")
        held_elsewhere(mine, seconds=3, attempt="task-1")
        clock.now += 4.9
        renewal.tick()
        assert IssuanceRequest.objects.get(pk=mine.pk).lease_until == mine.lease_until
        clock.now += 0.2
        renewal.tick()
    assert IssuanceRequest.objects.get(pk=mine.pk).lease_until > mine.lease_until
    assert IssuanceRequest.objects.get(pk=taken_over.pk).lease_until == taken_over.lease_until


def test_issuing_claims_the_batch_for_the_issuing_attempt(requirement):
    [row] = committed_but_not_issued(requirement, 1, attempt="evaluation")
    with mock.patch.object(issuance, "_store", return_value=[]):  # dies before storing
        issuance.issue_requests([row.pk], attempt="issue-task")
    row.refresh_from_db()
    assert (row.status, row.claimed_by) == (IssuanceRequest.Status.PENDING, "issue-task")


def test_claiming_leaves_rows_the_attempt_just_leased_as_they_are(requirement):
    fresh, running_out, elsewhere = committed_but_not_issued(requirement, 3, attempt="task-1")
    held_elsewhere(running_out, seconds=9, attempt="task-1")  # under two thirds of 15 s left
    held_elsewhere(elsewhere, seconds=14, attempt="task-2")
    claims.claim([fresh.pk, running_out.pk, elsewhere.pk], "task-1")
    after = IssuanceRequest.objects.in_bulk()
    assert (after[fresh.pk].lease_until, after[fresh.pk].updated) == (
        fresh.lease_until,
        fresh.updated,
    )
    assert after[running_out.pk].lease_until > running_out.lease_until
    assert after[running_out.pk].updated > running_out.updated
    assert after[elsewhere.pk].claimed_by == "task-1"
    assert after[elsewhere.pk].lease_until > fresh.lease_until


def test_the_evaluation_task_redelivered_after_its_worker_died_issues_what_it_decided(
    requirement,
):
    rows = committed_but_not_issued(requirement, 3, attempt="lost-task")
    user_id = rows[0].user_id
    assert not CoursePassingRecord.objects.filter(evaluation_pending=True).exists()
    tasks.evaluate_learner_task.apply(args=[user_id, str(COURSE_KEY)], task_id="lost-task")
    assert IssuedBadge.objects.filter(request__in=rows).count() == 3
    assert set(IssuanceRequest.objects.values_list("status", flat=True)) == {"issued"}


def test_another_evaluation_leaves_a_live_lease_alone_and_takes_it_once_it_ran_out(requirement):
    rows = committed_but_not_issued(requirement, 2, attempt="busy-task")
    user_id = rows[0].user_id
    tasks.evaluate_learner_task.apply(args=[user_id, str(COURSE_KEY)], task_id="next-task")
    assert not IssuedBadge.objects.exists()
    IssuanceRequest.objects.update(lease_until=timezone.now() - timedelta(seconds=1))
    tasks.evaluate_learner_task.apply(args=[user_id, str(COURSE_KEY)], task_id="later-task")
    assert IssuedBadge.objects.filter(request__in=rows).count() == 2


def test_two_attempts_on_the_same_rows_store_one_badge_each(requirement):
    rows = committed_but_not_issued(requirement, 2, attempt="frozen-task")
    pks = [row.pk for row in rows]
    # The frozen attempt signs, then stops before storing; its redelivery issues everything.
    with mock.patch.object(issuance, "_store", return_value=[]) as frozen:
        issuance.issue_requests(pks, attempt="frozen-task")
    [signed_by_the_frozen_attempt] = frozen.call_args.args
    issuance.issue_requests(pks, attempt="frozen-task")
    # Resumed, the frozen attempt stores nothing: the rows it locks are no longer pending.
    assert issuance._store(signed_by_the_frozen_attempt) == []
    assert sorted(IssuedBadge.objects.values_list("request_id", flat=True)) == pks


@pytest.fixture
def on_a_broker():
    """Tasks queued on a broker, not run eagerly; yields the mocked ``apply_async`` of the
    recovery task."""
    with (
        mock.patch.object(intake, "_look_due_at", 0.0),
        mock.patch("credplugin.tasks.recover_lost_work_task.apply_async") as apply_async,
        mock.patch.object(queue, "tasks_run_eagerly", return_value=False),
    ):
        yield apply_async


def test_an_evaluation_ending_under_another_lease_looks_again_when_it_runs_out(
    requirement, on_a_broker
):
    [row] = committed_but_not_issued(requirement, 1, attempt="busy-task")
    held_elsewhere(row, seconds=6, attempt="busy-task")
    tasks.evaluate_learner_task.apply(args=[row.user_id, str(COURSE_KEY)], task_id="t")
    assert on_a_broker.call_count == 1
    assert 6 <= on_a_broker.call_args.kwargs["countdown"] <= 7
    # This process has a look on its way: the next evaluation queues no second one.
    tasks.evaluate_learner_task.apply(args=[row.user_id, str(COURSE_KEY)], task_id="u")
    assert on_a_broker.call_count == 1


def test_no_look_is_queued_when_no_other_attempt_holds_a_lease(requirement, on_a_broker):
    committed_but_not_issued(requirement, 1, attempt="mine")
    intake.look_again_after_leases("mine")
    on_a_broker.assert_not_called()


def test_the_recovery_issues_orphans_and_evaluates_learners_whose_message_was_lost(requirement):
    [orphan] = committed_but_not_issued(requirement, 1, attempt="dead-task")
    held_elsewhere(orphan, seconds=-1, attempt="dead-task")
    forgotten = learner_meeting(requirement)
    CoursePassingRecordFactory(user=forgotten, evaluation_pending=True)
    assert tasks.recover_lost_work_task.apply(task_id="recovery").get() == 1
    assert set(IssuedBadge.objects.values_list("user_id", flat=True)) == {
        orphan.user_id,
        forgotten.id,
    }
    assert not CoursePassingRecord.objects.filter(evaluation_pending=True).exists()


def test_a_starting_worker_queues_a_recovery_for_when_the_last_lease_runs_out(
    requirement, on_a_broker
):
    first, last = committed_but_not_issued(requirement, 2, attempt="maybe-dead")
    held_elsewhere(first, seconds=3)
    held_elsewhere(last, seconds=9)
    intake.recover_after_worker_start(sender=None)
    assert 9 <= on_a_broker.call_args.kwargs["countdown"] <= 10
    IssuanceRequest.objects.update(status=IssuanceRequest.Status.ISSUED)
    intake.recover_after_worker_start(sender=None)
    assert on_a_broker.call_args.kwargs["countdown"] == 1


def test_a_worker_starting_while_the_database_is_away_waits_one_lease(on_a_broker):
    with mock.patch.object(claims, "last_expiry", side_effect=OperationalError("gone away")):
        intake.recover_after_worker_start(sender=None)
    assert on_a_broker.call_args.kwargs["countdown"] == 16


def test_the_plugin_listens_for_workers_starting():
    receivers = [receiver for _key, receiver in worker_ready.receivers]
    assert intake.recover_after_worker_start in receivers
