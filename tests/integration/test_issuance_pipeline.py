"""Passing events to signed badges through real Celery workers, Redis and MariaDB.

Each test drives the pipeline from the outside, as production does: sender processes fire
``COURSE_PASSING_STATUS_UPDATED`` (the plugin's receiver runs in them), worker processes issue,
``manage.py`` commands run in their own processes. The tests then read the committed rows and
verify every stored credential. Faults are real: SIGKILL, a stopped redis-server, a missing key.
"""

import random

import pytest
from django.core.management import call_command

from credplugin.models import CoursePassingRecord, IssuanceRequest, IssuedBadge
from tests.integration.pipeline import (
    assert_one_verifying_badge_each,
    held_back,
    received_task_ids,
    redeliver_unacked,
    send_tasks,
    wait_for_badges,
    wait_until_settled,
)
from tests.integration.scenario import passing_course, request_statuses
from tests.workers import wait_until

pytestmark = [pytest.mark.integration]


def test_a_thousand_learners_passing_ten_times_from_two_processes_get_one_badge_each(
    shared_broker_url, start_worker, send_passing_events
):
    course_key, badge_class, learners = passing_course(1000, "crowd")
    call_command("credplugin_keys", "generate")
    worker = start_worker(shared_broker_url, concurrency=2)

    # Ten events per learner in all: five from each of two processes, each in its own order.
    summaries = send_passing_events(shared_broker_url, learners, course_key, repeat=5, processes=2)

    assert [summary["sent"] for summary in summaries] == [5000, 5000]
    assert CoursePassingRecord.objects.filter(course_key=course_key).count() == 1000
    wait_for_badges(badge_class, 1000, [worker])
    wait_until_settled(badge_class, shared_broker_url, [worker])
    assert_one_verifying_badge_each(badge_class, learners)


# Issued before the kill, and held back at their insert when it comes.
ISSUED_BEFORE_KILL, HELD_AT_KILL = 100, 300


def test_a_worker_killed_mid_run_and_restarted_issues_every_badge_exactly_once(
    shared_broker_url, start_worker, send_passing_events, manage
):
    course_key, badge_class, learners = passing_course(ISSUED_BEFORE_KILL + HELD_AT_KILL, "killed")
    call_command("credplugin_keys", "generate")
    worker = start_worker(shared_broker_url, name="doomed", concurrency=2)
    first, rest = learners[:ISSUED_BEFORE_KILL], learners[ISSUED_BEFORE_KILL:]
    send_passing_events(shared_broker_url, first, course_key, processes=2)
    wait_for_badges(badge_class, len(first), [worker])

    with held_back(IssuedBadge) as held:
        # However fast the worker is, it now waits at the badge table, mid-run.
        send_passing_events(shared_broker_url, rest, course_key, processes=2)
        wait_until(held.sessions_waiting, timeout=60, what="the worker waiting at the badges")
        issued_before_kill = held.count(badge_class_id=badge_class.pk)
        assert issued_before_kill == len(first)
        # A pool process dies mid-task: reject_on_worker_lost puts its message back at once.
        worker.kill_pool_process(random.choice(worker.child_pids()))
        # Then the whole worker dies, holding prefetched and running messages nobody acked.
        worker.kill()
    assert IssuedBadge.objects.filter(badge_class=badge_class).count() == issued_before_kill

    restarted = start_worker(shared_broker_url, name="restarted", concurrency=2)
    # Redis hands unacknowledged messages out again only after its visibility timeout (an
    # hour); the sweeper re-queues the killed worker's work now.
    manage(shared_broker_url, "credplugin_sweep", "--older-than", "0")
    wait_for_badges(badge_class, len(learners), [restarted])
    wait_until_settled(badge_class, shared_broker_url, [restarted])

    # When the visibility timeout does hand the lost messages out again, nothing changes.
    assert redeliver_unacked(shared_broker_url) > 0, "the killed worker held no message"
    wait_until_settled(badge_class, shared_broker_url, [restarted])
    assert_one_verifying_badge_each(badge_class, learners)


def test_events_arriving_while_redis_is_down_are_issued_by_the_sweeper(
    throwaway_redis, start_worker, send_passing_events, manage
):
    broker_url = throwaway_redis.url()
    course_key, badge_class, learners = passing_course(60, "outage")
    before, during = learners[:20], learners[20:]
    call_command("credplugin_keys", "generate")
    worker = start_worker(broker_url, concurrency=2)
    send_passing_events(broker_url, before, course_key, processes=2)
    wait_for_badges(badge_class, 20, [worker])
    wait_until_settled(badge_class, broker_url, [worker])

    throwaway_redis.stop()
    summaries = send_passing_events(broker_url, during, course_key, repeat=2, processes=2)
    assert [summary["receiver_errors"] for summary in summaries] == [0, 0]
    # Nothing could be queued, but every passing status is in the database, marked for the
    # sweeper.
    waiting = CoursePassingRecord.objects.filter(
        user_id__in=[learner.id for learner in during], evaluation_pending=True
    )
    assert waiting.count() == 40
    assert IssuedBadge.objects.filter(badge_class=badge_class).count() == 20

    throwaway_redis.start()  # same port, empty: the broker lost nothing it ever had
    if not worker.running:
        # Celery 5.7/kombu 5.7 can die with "Unrecoverable error: AttributeError('NoneType'
        # object has no attribute 'hostname')" when Redis drops (celery/kombu#582); a process
        # supervisor (Tutor's container, systemd) starts it again, and so does this test.
        worker = start_worker(broker_url, name="supervised", concurrency=2)
    manage(broker_url, "credplugin_sweep", "--older-than", "0")
    wait_for_badges(badge_class, 60, [worker])
    wait_until_settled(badge_class, broker_url, [worker])
    assert_one_verifying_badge_each(badge_class, learners)


def test_two_workers_racing_on_the_same_requests_issue_no_duplicates(
    shared_broker_url, start_worker, send_passing_events
):
    course_key, badge_class, learners = passing_course(150, "race")
    call_command("credplugin_keys", "generate")
    # The outbox rows evaluation would write, each delivered three times in a row, so both
    # workers (and both pool processes of each) take copies of the same request at once.
    requests = [
        IssuanceRequest.objects.create(user=learner, badge_class=badge_class, generation=1)
        for learner in learners
    ]
    send_tasks(
        shared_broker_url,
        "issue_badge_task",
        [(request.pk,) for request in requests for _copy in range(3)],
    )
    first = start_worker(shared_broker_url, name="first", concurrency=2)
    second = start_worker(shared_broker_url, name="second", concurrency=2)
    # The learners' passing events race the same awards through evaluation as well.
    send_passing_events(shared_broker_url, learners, course_key, repeat=2, processes=2)

    wait_for_badges(badge_class, 150, [first, second])
    wait_until_settled(badge_class, shared_broker_url, [first, second])
    assert_one_verifying_badge_each(badge_class, learners)
    # Evaluations and a starting worker's recovery may take these rows over too (unclaimed
    # rows are anyone's, credplugin.issuing.claims): the race is that both workers ran the copies.
    for worker in (first, second):
        assert received_task_ids(worker, "issue_badge_task"), f"no race happened: {worker.name}"


def test_without_a_signing_key_requests_wait_with_a_reason_until_a_key_and_a_sweep(
    shared_broker_url, start_worker, send_passing_events, manage
):
    course_key, badge_class, learners = passing_course(40, "keyless")
    worker = start_worker(shared_broker_url, concurrency=2)
    send_passing_events(shared_broker_url, learners, course_key, repeat=2, processes=2)

    waiting = IssuanceRequest.objects.filter(
        badge_class=badge_class, status=IssuanceRequest.Status.WAITING
    )
    _wait_for_count(waiting, 40, badge_class, worker)
    reasons = set(waiting.values_list("reason", flat=True))
    assert len(reasons) == 1, reasons
    assert "manage.py credplugin_keys generate" in reasons.pop(), "the reason names no remedy"
    assert not IssuedBadge.objects.filter(badge_class=badge_class).exists()

    generated = manage(shared_broker_url, "credplugin_keys", "generate")
    assert "40 award(s) waited for a key" in generated.stdout, generated.stdout
    manage(shared_broker_url, "credplugin_sweep")
    wait_for_badges(badge_class, 40, [worker])
    wait_until_settled(badge_class, shared_broker_url, [worker])
    assert_one_verifying_badge_each(badge_class, learners)


def _wait_for_count(queryset, expected, badge_class, worker):
    try:
        wait_until(lambda: queryset.count() >= expected, timeout=90, what="requests waiting")
    except TimeoutError as error:
        statuses = request_statuses(badge_class)
        raise AssertionError(f"{error}: {statuses}\n{worker.log()[-3000:]}") from error
