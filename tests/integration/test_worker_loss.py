"""A lost worker costs seconds, not a sweep: real workers killed and frozen mid-batch.

Each test holds the issuer-key table (``held_back``): a worker that has decided awards has
committed their outbox rows and waits there, at the start of issuing them, however fast it is.
Then the test kills or freezes it, lets the key go, and times the badges against the last
passing event, with no sweep: only the pipeline's own messages and leases
(``credplugin.issuing.claims``) bring the lost work back.
"""

import json
import random
import time

import pytest
from django.core.management import call_command

from credplugin.models import IssuanceRequest, IssuedBadge, IssuerKey
from tests.integration.pipeline import (
    assert_one_verifying_badge_each,
    held_back,
    received_task_ids,
    redeliver_unacked,
    succeeded_task_ids,
    wait_for_badges,
    wait_until_settled,
)
from tests.integration.scenario import passing_course
from tests.workers import wait_until

pytestmark = [pytest.mark.integration]

# Every badge within this many seconds of the last passing event, with default settings.
BUDGET_SECONDS = 30
# Learners whose events come while workers die, and after.
DURING, AFTER = 200, 100


def committed_and_waiting(held, count):
    """Wait until ``count`` sessions wait at the key table with awards committed."""
    wait_until(
        lambda: held.sessions_waiting() >= count, timeout=60, what="workers waiting at the key"
    )
    assert IssuanceRequest.objects.filter(status=IssuanceRequest.Status.PENDING).exists()


def badges_after_the_last_event(start_passing_events, broker_url, learners, course_key):
    """Send the last events; return when they were all sent (``time.monotonic()``)."""
    start_passing_events(broker_url, learners, course_key).wait()
    return time.monotonic()


def assert_within_budget(badge_class, learners, workers, last_event):
    wait_for_badges(badge_class, len(learners), workers)
    seconds = time.monotonic() - last_event
    assert seconds <= BUDGET_SECONDS, f"the last badge came {seconds:.1f} s after the last event"


def test_pool_processes_killed_mid_batch_one_after_the_other_cost_no_badge_and_no_sweep(
    shared_broker_url, start_worker, start_passing_events
):
    course_key, badge_class, learners = passing_course(DURING + AFTER, "pool-kills")
    during, after = learners[:DURING], learners[DURING:]
    call_command("credplugin_keys", "generate")
    worker = start_worker(shared_broker_url, name="pool", concurrency=2)

    with held_back(IssuerKey) as held:
        senders = start_passing_events(shared_broker_url, during, course_key)
        committed_and_waiting(held, 2)  # both pool processes, mid-batch
        first, survivor = random.sample(worker.child_pids(), 2)
        # Its message comes back at once (reject_on_worker_lost), to the replacement process.
        worker.kill_pool_process(first)
        wait_until(
            lambda: len(worker.child_pids()) == 2 and first not in worker.child_pids(),
            timeout=30,
            what="the pool replacing the killed process",
        )
        worker.kill_pool_process(survivor)
        senders.wait()
    last_event = badges_after_the_last_event(
        start_passing_events, shared_broker_url, after, course_key
    )

    assert_within_budget(badge_class, learners, [worker], last_event)
    wait_until_settled(badge_class, shared_broker_url, [worker])
    assert_one_verifying_badge_each(badge_class, learners)


def test_a_whole_worker_killed_mid_batch_and_restarted_costs_no_badge_and_no_sweep(
    shared_broker_url, start_worker, start_passing_events
):
    course_key, badge_class, learners = passing_course(DURING + AFTER, "worker-kill")
    during, after = learners[:DURING], learners[DURING:]
    call_command("credplugin_keys", "generate")
    doomed = start_worker(shared_broker_url, name="doomed", concurrency=2)

    with held_back(IssuerKey) as held:
        senders = start_passing_events(shared_broker_url, during, course_key)
        committed_and_waiting(held, 2)
        # Its messages stay unacknowledged on Redis for the visibility timeout (an hour):
        # what the dead worker committed is taken over once its leases run out.
        doomed.kill()
        senders.wait()
    restarted = start_worker(shared_broker_url, name="restarted", concurrency=2)
    last_event = badges_after_the_last_event(
        start_passing_events, shared_broker_url, after, course_key
    )

    assert_within_budget(badge_class, learners, [restarted], last_event)
    wait_until_settled(badge_class, shared_broker_url, [restarted])
    # When the visibility timeout does hand the lost messages out again, nothing changes.
    assert redeliver_unacked(shared_broker_url) > 0, "the killed worker held no message"
    wait_until_settled(badge_class, shared_broker_url, [restarted])
    assert_one_verifying_badge_each(badge_class, learners)


def test_the_only_worker_killed_after_the_last_event_recovers_its_work_when_it_starts_again(
    shared_broker_url, start_worker, start_passing_events
):
    course_key, badge_class, learners = passing_course(AFTER, "quiet-restart")
    call_command("credplugin_keys", "generate")
    doomed = start_worker(shared_broker_url, name="doomed", concurrency=2)

    with held_back(IssuerKey) as held:
        start_passing_events(shared_broker_url, learners, course_key).wait()
        last_event = time.monotonic()
        committed_and_waiting(held, 1)
        doomed.kill()
    # No event follows: the restarted worker looks for lost work by itself.
    restarted = start_worker(shared_broker_url, name="restarted", concurrency=2)

    assert_within_budget(badge_class, learners, [restarted], last_event)
    wait_until_settled(badge_class, shared_broker_url, [restarted])
    assert_one_verifying_badge_each(badge_class, learners)


# Redis hands out again what a consumer has not acknowledged within the visibility timeout,
# and looks for such messages every restore interval.
SHORT_VISIBILITY = json.dumps(
    {"visibility_timeout": 5, "unacked_restore_interval": 1, "unacked_restore_throttle": 1}
)


def test_a_frozen_worker_resumed_after_another_took_its_message_stores_no_duplicate(
    throwaway_redis, start_worker, start_passing_events
):
    broker_url = throwaway_redis.url()
    course_key, badge_class, learners = passing_course(150, "frozen")
    call_command("credplugin_keys", "generate")
    options = {"CREDPLUGIN_CELERY_TRANSPORT_OPTIONS": SHORT_VISIBILITY}
    frozen = start_worker(broker_url, name="frozen", concurrency=1, **options)

    with held_back(IssuerKey) as held:
        start_passing_events(broker_url, learners, course_key).wait()
        committed_and_waiting(held, 1)
        # It waits outside any transaction, so frozen it holds no lock, only its messages.
        frozen.freeze()
    taker = start_worker(broker_url, name="taker", concurrency=2, **options)
    wait_for_badges(badge_class, len(learners), [taker])
    assert IssuedBadge.objects.filter(badge_class=badge_class).count() == len(learners)

    # The taker may finish the awards (their leases ran out) before Redis hands it the frozen
    # worker's message once the visibility timeout has passed: wait for that hand-over.
    def handed_over():
        return received_task_ids(frozen, "evaluate_learner_task") & received_task_ids(
            taker, "evaluate_learner_task"
        )

    taken_over = wait_until(
        handed_over, timeout=60, what="the taker being handed the frozen worker's message"
    )

    # Resumed, the frozen worker signs the awards it held and finds them issued.
    frozen.resume()
    wait_until(
        lambda: taken_over & succeeded_task_ids(frozen, "evaluate_learner_task"),
        timeout=60,
        what="the resumed worker finishing the run it was frozen in",
    )
    wait_until_settled(badge_class, broker_url, [frozen, taker])
    assert_one_verifying_badge_each(badge_class, learners)
