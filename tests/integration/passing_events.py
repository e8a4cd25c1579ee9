"""Send COURSE_PASSING_STATUS_UPDATED for many learners, as the LMS's grading does.

Run as its own process (``python -m tests.integration.passing_events …``) with a host
environment from ``tests.workers.host_environment``, so the plugin's receiver runs here, writes
to the shared database and queues tasks on the real broker. The integration tests and
``bench/pipeline.py`` start two of these at once to race the same learners.

Prints one JSON object: how many events were sent and how many receivers raised (the plugin's
receiver must never raise; openedx-events would swallow it with DEBUG off).
"""

import argparse
import json
import random
import sys
import time
from array import array
from contextlib import contextmanager


def _passing_status(user, course_key, *, is_passing=True):
    from openedx_events.learning.data import (  # noqa: PLC0415  (needs django.setup())
        CourseData,
        CoursePassingStatusData,
        UserData,
        UserPersonalData,
    )

    return CoursePassingStatusData(
        is_passing=is_passing,
        course=CourseData(course_key=course_key, display_name="Integration course"),
        user=UserData(
            id=user.id,
            is_active=True,
            pii=UserPersonalData(username=user.username, email=user.email, name=user.username),
        ),
    )


def _load_users(user_ids):
    from django.contrib.auth import get_user_model  # noqa: PLC0415

    users = {}
    model = get_user_model()
    for start in range(0, len(user_ids), 5000):
        chunk = user_ids[start : start + 5000]
        users.update(model.objects.in_bulk(chunk))
    missing = set(user_ids) - set(users)
    if missing:
        raise SystemExit(f"{len(missing)} users do not exist, e.g. {sorted(missing)[:5]}")
    return [users[user_id] for user_id in user_ids]


def send_passing_events(  # noqa: PLR0913  (two measurements, each with its baseline)
    users, course_key, *, repeat=1, seed=0, timings=None, baseline=None, cpu=None
):
    """Send one passing event per learner and repetition, in a random order.

    Returns the number of receivers that raised. With ``timings`` (an ``array('d')``), the
    wall time of each ``send_event`` call in milliseconds is appended to it. With ``baseline``
    as well, each event is sent a second time right after, with credplugin's receiver
    disconnected, and that time appended to ``baseline``: what the platform pays without the
    plugin, under the same load at the same moment. With ``cpu`` (a pair of arrays), the CPU
    time of this thread in each of the two calls goes there: what the sends cost, without the
    waiting for a core that a busy machine adds to their wall time.
    """
    from openedx_events.learning.signals import COURSE_PASSING_STATUS_UPDATED  # noqa: PLC0415

    events = [_passing_status(user, course_key) for user in users for _ in range(repeat)]
    random.Random(seed).shuffle(events)
    receiver_errors = 0
    cpu_with, cpu_without = cpu or (array("d"), array("d"))
    for event in events:
        started, started_cpu = time.perf_counter(), time.thread_time()
        responses = COURSE_PASSING_STATUS_UPDATED.send_event(course_passing_status=event)
        if timings is not None:
            timings.append((time.perf_counter() - started) * 1000)
            cpu_with.append((time.thread_time() - started_cpu) * 1000)
        receiver_errors += sum(isinstance(response, Exception) for _, response in responses)
        if baseline is not None:
            with plugin_receiver_disconnected():
                started, started_cpu = time.perf_counter(), time.thread_time()
                COURSE_PASSING_STATUS_UPDATED.send_event(course_passing_status=event)
                baseline.append((time.perf_counter() - started) * 1000)
                cpu_without.append((time.thread_time() - started_cpu) * 1000)
    return receiver_errors


@contextmanager
def plugin_receiver_disconnected():
    """credplugin's passing receiver, disconnected for the duration of the block."""
    from openedx_events.learning.signals import COURSE_PASSING_STATUS_UPDATED  # noqa: PLC0415

    from credplugin.signals import handlers  # noqa: PLC0415

    receiver = handlers.course_passing_status_updated
    # connect_plugin_receivers connected it under this dispatch_uid.
    dispatch_uid = f"{receiver.__module__}.{receiver.__name__}"
    if not COURSE_PASSING_STATUS_UPDATED.disconnect(receiver, dispatch_uid=dispatch_uid):
        raise RuntimeError("credplugin's receiver was not connected; the baseline would be wrong")
    try:
        yield
    finally:
        COURSE_PASSING_STATUS_UPDATED.connect(receiver, dispatch_uid=dispatch_uid)


def sender_command(course_key, users_file, *, seed, options=()):
    """The argv that runs this module as its own sender process (``options``: more flags)."""
    return [
        sys.executable,
        "-m",
        "tests.integration.passing_events",
        "--course",
        str(course_key),
        "--users-file",
        str(users_file),
        "--seed",
        str(seed),
        *options,
    ]


def _parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--course", required=True, help="course key, e.g. course-v1:Org+C+Run")
    parser.add_argument("--users-file", required=True, help="user ids, one per line")
    parser.add_argument("--repeat", type=int, default=1, help="events per learner")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random order")
    parser.add_argument("--timings", help="write each send's milliseconds here (float64)")
    parser.add_argument(
        "--baseline-timings",
        help="also time each send again with credplugin's receiver disconnected, written here",
    )
    parser.add_argument(
        "--cpu-timings",
        nargs=2,
        metavar=("WITH", "WITHOUT"),
        help="write the CPU milliseconds of each timed send, with and without the receiver",
    )
    return parser.parse_args(argv)


def main(argv=None):
    args = _parse_args(argv)
    import django  # noqa: PLC0415

    django.setup()
    from opaque_keys.edx.keys import CourseKey  # noqa: PLC0415

    course_key = CourseKey.from_string(args.course)
    with open(args.users_file, encoding="ascii") as ids:
        users = _load_users([int(line) for line in ids if line.strip()])

    timings = array("d") if args.timings else None
    baseline = array("d") if args.baseline_timings else None
    cpu = (array("d"), array("d"))
    receiver_errors = send_passing_events(
        users,
        course_key,
        repeat=args.repeat,
        seed=args.seed,
        timings=timings,
        baseline=baseline,
        cpu=cpu,
    )
    outputs = [(args.timings, timings), (args.baseline_timings, baseline)]
    outputs += zip(args.cpu_timings or (), cpu, strict=False)
    for path, values in outputs:
        if path:
            with open(path, "wb") as out:
                values.tofile(out)
    print(json.dumps({"sent": len(users) * args.repeat, "receiver_errors": receiver_errors}))
    return 1 if receiver_errors else 0


if __name__ == "__main__":
    sys.exit(main())
