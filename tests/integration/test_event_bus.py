"""Passing events through the platform's Redis event bus (edx-event-bus-redis), for real.

The LMS-side sender process sends ``COURSE_PASSING_STATUS_UPDATED``: its local receivers run,
and openedx-events produces the event to a Redis stream on a throwaway ``redis-server``. A
``manage.py consume_events`` process then sends the same events again, with
``from_event_bus=True``. ``CREDPLUGIN_EVENTS_FROM`` picks the one delivery the plugin acts on,
so each learner gets exactly one badge either way.
"""

import pytest
import redis
from django.core.management import call_command

from credplugin.models import CoursePassingRecord
from tests.integration.pipeline import (
    assert_one_verifying_badge_each,
    wait_for_badges,
    wait_until_settled,
)
from tests.integration.scenario import passing_course
from tests.workers import EventBusConsumer, wait_until

pytestmark = [pytest.mark.integration]

TOPIC = "learning-course-passing-status"
LEARNERS = 20


@pytest.mark.parametrize("events_from", ["local", "event_bus"])
def test_each_learner_gets_exactly_one_badge_whichever_delivery_the_plugin_acts_on(  # noqa: PLR0917
    events_from, throwaway_redis, start_worker, send_passing_events, host_env, tmp_path
):
    broker_url, bus_url = throwaway_redis.url(0), throwaway_redis.url(1)
    bus = redis.Redis.from_url(bus_url)
    platform = {"CREDPLUGIN_EVENT_BUS_URL": bus_url, "CREDPLUGIN_EVENTS_FROM": events_from}
    course_key, badge_class, learners = passing_course(LEARNERS, f"bus-{events_from}")
    call_command("credplugin_keys", "generate")
    worker = start_worker(broker_url, concurrency=2)

    summaries = send_passing_events(
        broker_url, learners, course_key, repeat=2, processes=2, **platform
    )

    assert [summary["receiver_errors"] for summary in summaries] == [0, 0]
    stream = f"credplugin-host-{TOPIC}"
    assert bus.xlen(stream) == 2 * 2 * LEARNERS, "the sender produced nothing to the bus"
    recorded = CoursePassingRecord.objects.filter(course_key=course_key).count()
    # The local delivery is acted on only with "local"; with "event_bus" it changed nothing.
    assert recorded == (LEARNERS if events_from == "local" else 0)

    consumer = EventBusConsumer(
        env=host_env(broker_url, **platform),
        log_path=tmp_path / "consumer.log",
        topic=TOPIC,
        group="credplugin",
    ).start()
    try:
        wait_until(lambda: consumer.consumed_everything(bus), timeout=60, what="the bus consumed")
        wait_for_badges(badge_class, LEARNERS, [worker])
        wait_until_settled(badge_class, broker_url, [worker])
    finally:
        consumer.stop()
    assert CoursePassingRecord.objects.filter(course_key=course_key).count() == LEARNERS
    assert_one_verifying_badge_each(badge_class, learners)
    assert "Error" not in consumer.log(), consumer.log()[-4000:]
