"""Celery tasks: retry only transient errors, with backoff; mark the rest failed, readably."""

import re
from pathlib import Path
from unittest import mock

import pytest
from celery import current_app
from celery.exceptions import Retry
from django.db import OperationalError
from django.test import override_settings

from credplugin import tasks
from credplugin.issuing import issuance, queue
from credplugin.models import CoursePassingRecord, IssuanceRequest, IssuedBadge
from tests.factories import (
    COURSE_KEY,
    BadgeRequirementFactory,
    IssuerKeyFactory,
    held_elsewhere,
    learner_meeting,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_row():
    IssuerKeyFactory()
    requirement = BadgeRequirementFactory()
    user = learner_meeting(requirement)
    return IssuanceRequest.objects.create(user=user, badge_class=requirement.badge_class)


def test_tasks_are_late_acked_requeued_on_worker_loss_and_route_nowhere():
    for task in (tasks.issue_badge_task, tasks.evaluate_learner_task):
        assert task.acks_late and task.reject_on_worker_lost
        assert getattr(task, "queue", None) is None
    assert tasks.issue_badge_task.name == "credplugin.tasks.issue_badge_task"
    assert tasks.sweep_issuance_requests_task.name == (
        "credplugin.tasks.sweep_issuance_requests_task"
    )


def test_every_task_the_pipeline_queues_by_name_is_registered():
    package = Path(tasks.__file__).parent
    queued = {
        name
        for source in package.rglob("*.py")
        for name in re.findall(r"enqueue,?\s*\(?\s*\"(\w+)\"", source.read_text())
    }
    assert {"evaluate_learner_task", "issue_badge_task", "send_assessment_email_task"} <= queued
    for name in queued:
        assert current_app.tasks[f"credplugin.tasks.{name}"].name == getattr(tasks, name).name


def test_a_task_name_nobody_registered_is_logged_not_raised(caplog):
    assert queue.enqueue("no_such_task", 1) is False
    assert "could not queue no_such_task" in caplog.text


def test_the_task_issues_the_badge(request_row):
    tasks.issue_badge_task.delay(request_row.pk)
    assert IssuedBadge.objects.get().request == request_row


def test_a_transient_error_is_retried_with_backoff(request_row):
    with (
        mock.patch.object(issuance, "issue_requests", side_effect=OperationalError("gone away")),
        mock.patch.object(tasks.issue_badge_task, "retry", side_effect=Retry()) as retry,
        pytest.raises(Retry),
    ):
        tasks.issue_badge_task.run(request_row.pk)
    assert 2.5 <= retry.call_args.kwargs["countdown"] <= 7.5
    request_row.refresh_from_db()
    assert request_row.status == IssuanceRequest.Status.PENDING


@override_settings(CREDPLUGIN_TASK_MAX_RETRIES=0)
def test_after_the_last_retry_the_request_stays_pending_for_the_sweeper(request_row, caplog):
    with mock.patch.object(issuance, "issue_requests", side_effect=OperationalError("down")):
        tasks.issue_badge_task.run(request_row.pk)
    request_row.refresh_from_db()
    assert request_row.status == IssuanceRequest.Status.PENDING
    assert "sweeper will pick it up" in caplog.text


def test_an_unexpected_error_marks_the_request_failed_with_its_reason(request_row):
    with mock.patch.object(issuance, "issue_requests", side_effect=KeyError("criteria")):
        tasks.issue_badge_task.delay(request_row.pk)
    request_row.refresh_from_db()
    assert request_row.status == IssuanceRequest.Status.FAILED
    assert "KeyError" in request_row.reason and "criteria" in request_row.reason


def test_backoff_grows_is_capped_and_jittered():
    samples = [tasks.backoff_seconds(n) for n in range(12) for _ in range(20)]
    assert min(samples) >= 2.5 and max(samples) <= 900
    assert len({round(s, 3) for s in samples}) > 100
    assert tasks.backoff_seconds(3) > 10 * 0.5 * 2


def test_one_evaluation_task_takes_other_pending_learners_along(request_row):
    requirement = request_row.badge_class.requirements.get()
    learners = [learner_meeting(requirement) for _ in range(3)]
    for user in learners:
        CoursePassingRecord.objects.create(
            user=user, course_key=COURSE_KEY, is_passing=True, evaluation_pending=True
        )
    assert tasks.evaluate_learner_task.run(learners[0].id, str(COURSE_KEY)) == 3
    assert IssuedBadge.objects.filter(user__in=learners).count() == 3
    assert not CoursePassingRecord.objects.filter(evaluation_pending=True).exists()
    assert tasks.evaluate_learner_task.run(learners[1].id, str(COURSE_KEY)) == 0
    assert IssuedBadge.objects.filter(user__in=learners).count() == 3


def test_a_transient_issuance_error_after_evaluation_moves_to_its_own_task(request_row):
    held_elsewhere(request_row)
    user = learner_meeting(request_row.badge_class.requirements.get())
    CoursePassingRecord.objects.create(
        user=user, course_key=COURSE_KEY, is_passing=True, evaluation_pending=True
    )
    real = issuance.issue_requests

    def deadlock_once(request_ids, **options):
        if issue.call_count == 1:
            raise OperationalError("deadlock")
        return real(request_ids, **options)

    with mock.patch.object(issuance, "issue_requests", side_effect=deadlock_once) as issue:
        tasks.evaluate_learner_task.run(user.id, str(COURSE_KEY))
    assert issue.call_count == 2  # the second call is the eager issue_badges_task
    assert IssuedBadge.objects.filter(user=user).count() == 1


def test_a_debounced_evaluation_looks_again_one_window_after_it_finished(request_row):
    with mock.patch.object(queue, "enqueue") as enqueue:
        tasks.evaluate_learner_task.run(request_row.user_id, str(COURSE_KEY), 2)
    enqueue.assert_called_once_with(
        "evaluate_learner_task", request_row.user_id, str(COURSE_KEY), countdown=2
    )


def test_the_follow_up_evaluation_asks_for_none(request_row):
    with mock.patch.object(queue, "enqueue") as enqueue:
        tasks.evaluate_learner_task.run(request_row.user_id, str(COURSE_KEY))
    enqueue.assert_not_called()
