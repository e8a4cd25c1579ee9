"""Passing records, ``evaluate`` and the outbox: no lost and no duplicate awards."""

from unittest import mock

import pytest
from django.db import IntegrityError
from django.test import override_settings

from credplugin import api
from credplugin.issuing import evaluation, intake, queue
from credplugin.models import CoursePassingRecord, IssuanceRequest, IssuedBadge
from tests.factories import (
    COURSE_KEY,
    BadgeRequirementFactory,
    CoursePassingRecordFactory,
    IssuerKeyFactory,
    UserFactory,
    learner_meeting,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def requirement():
    return BadgeRequirementFactory()


@pytest.fixture
def signing_key():
    return IssuerKeyFactory()


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what the code queued with ``transaction.on_commit``, as a real commit would."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


def passing(user, commit, is_passing=True):
    return commit(
        api.course_passing_status_changed,
        user_id=user.id,
        course_key=str(COURSE_KEY),
        is_passing=is_passing,
    )


def test_a_repeated_status_costs_one_read_and_queues_nothing(
    requirement, commit, django_assert_num_queries
):
    user = learner_meeting(requirement)
    assert passing(user, commit) is True
    with (
        mock.patch.object(intake, "schedule_evaluation") as schedule,
        django_assert_num_queries(1),
    ):
        assert passing(user, commit) is False
    schedule.assert_not_called()
    assert CoursePassingRecord.objects.get().is_passing


def test_passing_with_every_requirement_met_issues_exactly_one_badge(
    requirement, signing_key, commit
):
    user = learner_meeting(requirement)
    for _ in range(5):
        passing(user, commit)
        commit(api.evaluate, user.id, COURSE_KEY)
    assert IssuanceRequest.objects.get().status == IssuanceRequest.Status.ISSUED
    assert IssuedBadge.objects.filter(user=user).count() == 1
    assert not CoursePassingRecord.objects.get().evaluation_pending


def test_passing_without_the_results_requests_nothing_until_a_late_grade_arrives(
    requirement, signing_key, commit
):
    user = UserFactory()
    passing(user, commit)
    assert not IssuanceRequest.objects.exists()
    commit(
        api.record_assessment_result,
        user_id=user.id,
        course_key=COURSE_KEY,
        usage_key=requirement.usage_key,
        rubric_hash=None,
        criterion_levels=[],
        scores={},
        points_earned=5,
        points_possible=6,
        passed=True,
        evidence=[],
        assessment_methods=["project_rubric"],
        feedback="",
        reviewer_id=None,
    )
    assert IssuedBadge.objects.filter(user=user).count() == 1


def test_a_lost_race_for_the_same_award_is_not_an_error(requirement, commit):
    user = learner_meeting(requirement)
    CoursePassingRecordFactory(user=user)
    conflict = IntegrityError("credplugin_one_award")
    with (
        mock.patch.object(IssuanceRequest.objects, "bulk_create", side_effect=conflict),
        mock.patch.object(IssuanceRequest.objects, "create", side_effect=conflict),
    ):
        assert commit(api.evaluate, user.id, COURSE_KEY) == []
    assert not CoursePassingRecord.objects.get().evaluation_pending


def test_a_batch_evaluation_creates_every_due_request_in_one_go(requirement, signing_key):
    learners = [learner_meeting(requirement) for _ in range(4)]
    for user in learners:
        CoursePassingRecordFactory(user=user, evaluation_pending=True)
    CoursePassingRecordFactory(user=UserFactory(), evaluation_pending=True)  # no results
    (new_requests,) = evaluation.drain_pending(learners[0].id, COURSE_KEY)
    assert sorted(new_requests) == sorted(IssuanceRequest.objects.values_list("pk", flat=True))
    assert set(IssuanceRequest.objects.values_list("user_id", flat=True)) == {
        user.id for user in learners
    }
    assert not CoursePassingRecord.objects.filter(evaluation_pending=True).exists()
    assert list(evaluation.drain_pending(learners[1].id, COURSE_KEY)) == []


def test_the_unique_key_makes_a_second_request_of_a_generation_impossible(requirement):
    user = learner_meeting(requirement)
    IssuanceRequest.objects.create(user=user, badge_class=requirement.badge_class)
    with pytest.raises(IntegrityError):
        IssuanceRequest.objects.create(user=user, badge_class=requirement.badge_class)


def test_after_a_revocation_passing_again_awards_the_next_generation(
    requirement, signing_key, commit
):
    user = learner_meeting(requirement)
    passing(user, commit)
    first = IssuedBadge.objects.get()
    api.revoke_badge(first.uuid, reason="Issued by mistake", actor_id=None)
    commit(api.evaluate, user.id, COURSE_KEY)
    second = IssuedBadge.objects.exclude(pk=first.pk).get()
    assert (first.generation, second.generation) == (1, 2)
    assert second.status == IssuedBadge.Status.ACTIVE


def test_a_revocation_that_blocks_reaward_is_final(requirement, signing_key, commit):
    user = learner_meeting(requirement)
    passing(user, commit)
    api.revoke_badge(
        IssuedBadge.objects.get().uuid, reason="Plagiarism", actor_id=None, block_reaward=True
    )
    assert commit(api.evaluate, user.id, COURSE_KEY) == []
    assert IssuedBadge.objects.count() == 1


@override_settings(CREDPLUGIN_ON_FAILING="keep")
def test_failing_after_award_keeps_the_badge_by_default(requirement, signing_key, commit):
    user = learner_meeting(requirement)
    passing(user, commit)
    assert passing(user, commit, is_passing=False) is False
    assert IssuedBadge.objects.get().status == IssuedBadge.Status.ACTIVE


@override_settings(CREDPLUGIN_ON_FAILING="suspend")
def test_failing_suspends_and_passing_again_reinstates(requirement, signing_key, commit):
    user = learner_meeting(requirement)
    passing(user, commit)
    passing(user, commit, is_passing=False)
    badge = IssuedBadge.objects.get()
    assert badge.status == IssuedBadge.Status.SUSPENDED
    passing(user, commit)
    badge.refresh_from_db()
    assert badge.status == IssuedBadge.Status.ACTIVE
    assert IssuedBadge.objects.count() == 1


@override_settings(CREDPLUGIN_ON_FAILING="suspend")
def test_a_suspension_by_a_person_is_not_lifted_by_passing(requirement, signing_key, commit):
    staff = UserFactory(is_staff=True)
    user = learner_meeting(requirement)
    passing(user, commit)
    api.suspend_badge(IssuedBadge.objects.get().uuid, reason="Under review", actor_id=staff.id)
    passing(user, commit, is_passing=False)
    passing(user, commit)
    assert IssuedBadge.objects.get().status == IssuedBadge.Status.SUSPENDED


@override_settings(CREDPLUGIN_ON_FAILING="revoke")
def test_failing_revokes_when_configured(requirement, signing_key, commit):
    user = learner_meeting(requirement)
    passing(user, commit)
    passing(user, commit, is_passing=False)
    assert IssuedBadge.objects.get().status == IssuedBadge.Status.REVOKED


@override_settings(CREDPLUGIN_AWARD_ON="certificate")
def test_certificate_mode_waits_for_the_certificate(requirement, signing_key, commit):
    user = learner_meeting(requirement)
    assert passing(user, commit) is False
    assert not IssuanceRequest.objects.exists()
    commit(api.certificate_created, user_id=user.id, course_key=COURSE_KEY)
    assert IssuedBadge.objects.filter(user=user).count() == 1
    assert commit(api.certificate_created, user_id=user.id, course_key=COURSE_KEY) is False


@pytest.mark.parametrize(
    ("events_from", "from_event_bus", "accepted"),
    [
        ("local", False, True),
        ("local", True, False),
        ("event_bus", True, True),
        ("event_bus", False, False),
    ],
)
def test_exactly_one_delivery_of_a_bus_event_is_acted_on(events_from, from_event_bus, accepted):
    with override_settings(CREDPLUGIN_EVENTS_FROM=events_from):
        assert api.accepts_delivery(from_event_bus=from_event_bus) is accepted


def test_a_broker_outage_leaves_the_work_for_the_sweeper(requirement, commit, caplog):
    user = learner_meeting(requirement)
    with mock.patch(
        "credplugin.tasks.evaluate_learner_task.apply_async", side_effect=ConnectionError("down")
    ):
        assert passing(user, commit) is True
    assert "sweeper will pick it up" in caplog.text
    assert CoursePassingRecord.objects.get().evaluation_pending


def test_a_badge_whose_requirements_were_retired_is_not_awarded(requirement, commit):
    user = learner_meeting(requirement)
    api.retire_requirement(requirement.usage_key)
    passing(user, commit)
    assert not IssuanceRequest.objects.exists()


@pytest.fixture
def debounced():
    """Tasks queued on a broker (not run eagerly) with a 2 s debounce; yields the mocked
    ``apply_async`` and a clock the test moves (``clock.now``)."""
    clock = mock.Mock(now=1000.0)
    with (
        override_settings(CREDPLUGIN_EVALUATION_DEBOUNCE_SECONDS=2),
        mock.patch.object(intake.time, "monotonic", side_effect=lambda: clock.now),
        mock.patch.object(intake, "_evaluation_queued_at", {}),
        mock.patch("credplugin.tasks.evaluate_learner_task.apply_async") as apply_async,
        mock.patch.object(queue, "tasks_run_eagerly", return_value=False),
    ):
        apply_async.clock = clock
        yield apply_async


def test_events_within_the_window_queue_one_evaluation_that_looks_again(
    requirement, commit, debounced
):
    first, second = learner_meeting(requirement), learner_meeting(requirement)
    assert passing(first, commit) is True
    debounced.clock.now += 1.9
    assert passing(second, commit) is True
    debounced.assert_called_once_with((first.id, str(COURSE_KEY), 2), countdown=None)
    assert CoursePassingRecord.objects.filter(evaluation_pending=True).count() == 2


def test_the_debounce_ends_with_its_window(requirement, commit, debounced):
    first, second = learner_meeting(requirement), learner_meeting(requirement)
    passing(first, commit)
    debounced.clock.now += 2
    passing(second, commit)
    assert [call.args[0][0] for call in debounced.call_args_list] == [first.id, second.id]


def test_a_debounce_covers_one_course_only(requirement, commit, debounced):
    user = learner_meeting(requirement)
    passing(user, commit)
    intake.request_evaluation(user.id, "course-v1:Other+C+R")
    assert [call.args[0][1] for call in debounced.call_args_list] == [
        str(COURSE_KEY),
        "course-v1:Other+C+R",
    ]


def test_a_failed_publish_does_not_debounce_the_next_event(requirement, commit, debounced, caplog):
    first, second = learner_meeting(requirement), learner_meeting(requirement)
    debounced.side_effect = [ConnectionError("broker down"), None]
    passing(first, commit)
    passing(second, commit)
    assert debounced.call_count == 2
    assert "sweeper will pick it up" in caplog.text


def test_without_a_window_every_changed_status_queues_its_own_evaluation(
    requirement, commit, debounced
):
    learners = [learner_meeting(requirement) for _ in range(2)]
    with override_settings(CREDPLUGIN_EVALUATION_DEBOUNCE_SECONDS=0):
        for user in learners:
            passing(user, commit)
    assert [call.args[0] for call in debounced.call_args_list] == [
        (user.id, str(COURSE_KEY)) for user in learners
    ]


def test_eager_tasks_are_never_debounced(requirement, commit):
    learners = [learner_meeting(requirement) for _ in range(2)]
    with (
        override_settings(CREDPLUGIN_EVALUATION_DEBOUNCE_SECONDS=2),
        mock.patch("credplugin.tasks.evaluate_learner_task.apply_async") as apply_async,
    ):
        for user in learners:
            passing(user, commit)
    assert apply_async.call_count == 2


def test_a_busy_evaluation_asks_for_help_once_per_window(requirement, debounced):
    intake.request_evaluation(1, str(COURSE_KEY), helper=True)
    intake.request_evaluation(1, str(COURSE_KEY), helper=True)
    assert debounced.call_count == 1
    with override_settings(CREDPLUGIN_EVALUATION_DEBOUNCE_SECONDS=0):
        debounced.clock.now += 10
        intake.request_evaluation(1, str(COURSE_KEY), helper=True)
    assert debounced.call_count == 1


def test_draining_evaluates_batch_after_batch_until_nothing_is_pending(requirement, signing_key):
    learners = [learner_meeting(requirement) for _ in range(5)]
    for user in learners:
        CoursePassingRecordFactory(user=user, evaluation_pending=True)
    full_batches = mock.Mock()
    batches = list(
        evaluation.drain_pending(learners[0].id, COURSE_KEY, batch=2, on_full_batch=full_batches)
    )
    assert [len(new_requests) for new_requests in batches] == [2, 2, 1]
    assert full_batches.call_count == 2
    assert IssuanceRequest.objects.count() == 5
    assert not CoursePassingRecord.objects.filter(evaluation_pending=True).exists()


@override_settings(CREDPLUGIN_ON_FAILING="revoke")
def test_a_batch_locks_the_status_list_for_new_slots_only_after_every_revocation(
    requirement, signing_key, commit
):
    """Revoking locks the badge, then the list; a batch that also awards must not hold the
    list while it waits for a badge, or the two could deadlock."""
    failing, newcomer = learner_meeting(requirement), learner_meeting(requirement)
    passing(failing, commit)
    CoursePassingRecord.objects.filter(user=failing).update(
        is_passing=False, evaluation_pending=True
    )
    CoursePassingRecordFactory(user=newcomer, evaluation_pending=True)
    calls = []
    real_revoke, real_take = evaluation.lifecycle.revoke, evaluation.status_lists.take_slots
    with (
        mock.patch.object(
            evaluation.lifecycle,
            "revoke",
            side_effect=lambda *a, **k: calls.append("revoke") or real_revoke(*a, **k),
        ),
        mock.patch.object(
            evaluation.status_lists,
            "take_slots",
            side_effect=lambda *a: calls.append("take_slots") or real_take(*a),
        ),
    ):
        list(evaluation.drain_pending(newcomer.id, COURSE_KEY))
    assert calls == ["revoke", "take_slots"]
    assert IssuedBadge.objects.get(user=failing).status == IssuedBadge.Status.REVOKED
    assert IssuanceRequest.objects.filter(user=newcomer).exists()
