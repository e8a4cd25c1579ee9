"""Waiting on and inspecting a running pipeline: badges stored, work drained, badges verified.

The integration tests poll the shared test database and the broker the worker processes use;
failures carry the request statuses and the tail of each worker's log so they explain
themselves.
"""

import json
import re
import time
from contextlib import contextmanager

import redis
from celery import Celery
from django.db import connection

from credplugin import api
from credplugin.models import CoursePassingRecord, IssuanceRequest, IssuedBadge
from credplugin.openbadges import verify_credential
from tests.integration.scenario import request_statuses

QUEUE = "celery"
STALL_SECONDS = 90
CALM_SECONDS = 2
OUTCOME = re.compile(r"'([a-z]+)'")


def _diagnosis(badge_class, workers):
    logs = "\n".join(f"--- {w.name} ---\n{w.log()[-3000:]}" for w in workers)
    return f"requests by status: {request_statuses(badge_class)}\n{logs}"


def wait_for_badges(badge_class, expected, workers, *, at_least=None):
    """Wait until ``expected`` (or, with ``at_least``, that many) badges are stored.

    Fails when the count stops moving for ``STALL_SECONDS`` or a worker dies.
    """
    target = at_least or expected
    last_count, last_change = -1, time.monotonic()
    while True:
        count = IssuedBadge.objects.filter(badge_class=badge_class).count()
        if count >= target:
            return count
        if count != last_count:
            last_count, last_change = count, time.monotonic()
        dead = [worker.name for worker in workers if not worker.running]
        stalled = time.monotonic() - last_change > STALL_SECONDS
        if dead or stalled:
            problem = f"workers {dead} died" if dead else f"no progress for {STALL_SECONDS} s"
            raise AssertionError(
                f"{problem}: {count}/{target} badges stored\n{_diagnosis(badge_class, workers)}"
            )
        time.sleep(0.2)


def wait_until_settled(badge_class, broker_url, workers, *, timeout=120):
    """Wait until no work is left: queue empty, no open request, no pending evaluation.

    Whatever a worker still held would be a duplicate in the making, so counts are only
    trusted after this.
    """
    client = redis.Redis.from_url(broker_url)
    deadline = time.monotonic() + timeout
    calm_since = None
    while True:
        open_requests = IssuanceRequest.objects.filter(
            badge_class=badge_class,
            status__in=[IssuanceRequest.Status.PENDING, IssuanceRequest.Status.WAITING],
        ).count()
        pending_evaluations = CoursePassingRecord.objects.filter(evaluation_pending=True).count()
        queued = client.llen(QUEUE)
        if queued or open_requests or pending_evaluations:
            calm_since = None
        elif calm_since is None:
            calm_since = time.monotonic()
        elif time.monotonic() - calm_since > CALM_SECONDS:
            # A task taken off the queue just before has had time to show its effect.
            return
        if time.monotonic() > deadline:
            raise AssertionError(
                f"work left after {timeout} s: {queued} queued, {open_requests} open requests, "
                f"{pending_evaluations} pending evaluations\n{_diagnosis(badge_class, workers)}"
            )
        time.sleep(0.25)


def send_tasks(broker_url, task_name, argument_lists):
    """Put task messages on the broker directly, as a duplicate or late delivery would."""
    # Not the current app: the test process's own (eager) app must stay the one tasks use.
    app = Celery("credplugin-integration", broker=broker_url, set_as_current=False)
    with app.producer_or_acquire() as producer:
        for args in argument_lists:
            app.send_task(f"credplugin.tasks.{task_name}", args=list(args), producer=producer)
    app.close()


def redeliver_unacked(broker_url):
    """Put every message a killed worker held back on the queue; returns how many.

    This is what Redis's visibility timeout does an hour later (kombu restores unacked
    messages whose worker never acknowledged them); doing it now shows the late copies change
    nothing.
    """
    client = redis.Redis.from_url(broker_url)
    restored = 0
    for tag, payload in client.hgetall("unacked").items():
        message, _exchange, routing_key = json.loads(payload)
        client.lpush(routing_key or QUEUE, json.dumps(message))
        client.hdel("unacked", tag)
        client.zrem("unacked_index", tag)
        restored += 1
    return restored


def task_results(workers, task_name):
    """``{outcome: count}`` over the successful runs of one task, read from the workers' logs.

    A run's result is an outcome string or a ``{request id: outcome}`` dict; each quoted
    outcome in it counts once.
    """
    marker = f"Task credplugin.tasks.{task_name}["
    results = {}
    for worker in workers:
        for line in worker.log().splitlines():
            if marker in line and "] succeeded in " in line:
                result = line.split("] succeeded in ", 1)[1].split(": ", 1)[-1]
                for outcome in OUTCOME.findall(result):
                    results[outcome] = results.get(outcome, 0) + 1
    return results


def _task_ids(worker, task_name, event):
    marker = re.compile(rf"Task credplugin\.tasks\.{task_name}\[([0-9a-f-]+)\] {event}")
    return set(marker.findall(worker.log()))


def received_task_ids(worker, task_name):
    """Ids of the ``task_name`` messages a worker was handed, read from its log."""
    return _task_ids(worker, task_name, "received")


def succeeded_task_ids(worker, task_name):
    """Ids of the ``task_name`` runs a worker finished, read from its log."""
    return _task_ids(worker, task_name, "succeeded")


def unverified_badges(badge_class):
    """Stored badges whose credential does not verify, with the checks that failed."""
    failures = {}
    badges = IssuedBadge.objects.filter(badge_class=badge_class).values_list("uuid", "credential")
    for badge_uuid, credential in badges.iterator(chunk_size=200):
        report = verify_credential(credential, resolve=api.resolve_for_verification)
        if not report.verified:
            failures[str(badge_uuid)] = [
                f"{check.name}: {check.reason}" for check in report.checks if not check.passed
            ]
    return failures


def assert_one_verifying_badge_each(badge_class, learners):
    """Exactly one stored badge per learner, every request issued, every credential verifying."""
    badges = IssuedBadge.objects.filter(badge_class=badge_class)
    holders = sorted(badges.values_list("user_id", flat=True))
    assert holders == sorted(learner.id for learner in learners), (
        f"{len(holders)} badges for {len(learners)} learners, "
        f"{len(holders) - len(set(holders))} duplicates; {request_statuses(badge_class)}"
    )
    assert request_statuses(badge_class) == {IssuanceRequest.Status.ISSUED: len(learners)}
    slots = set(badges.values_list("status_list_sequence", "status_list_index"))
    assert len(slots) == len(learners), "two badges share a status-list slot"
    assert unverified_badges(badge_class) == {}


class _HeldTable:
    """What a test can ask while ``held_back`` holds a table (through the locking session:
    the lock blocks every other)."""

    def __init__(self, session, table):
        self._session, self._table = session, table

    def count(self, **equal):
        """Rows of the held table whose columns (test code's names) equal the values."""
        where = " AND ".join(f"`{column}` = %s" for column in equal) or "1"
        with self._session.cursor() as cursor:
            sql = f"SELECT COUNT(*) FROM {self._table} WHERE {where}"  # noqa: S608
            cursor.execute(sql, list(equal.values()))
            return cursor.fetchone()[0]

    def sessions_waiting(self):
        """How many other sessions wait on the table: workers held mid-run."""
        with self._session.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*) FROM information_schema.PROCESSLIST"
                " WHERE DB = DATABASE() AND ID != CONNECTION_ID() AND INFO LIKE %s",
                [f"%`{self._table}`%"],
            )
            return cursor.fetchone()[0]


@contextmanager
def held_back(model):
    """Hold every worker's use of ``model``'s table while the block runs; yields a
    ``_HeldTable``.

    A second MariaDB session takes ``LOCK TABLES … WRITE`` on the table, so a worker that
    reaches it waits there — mid-run, with its message unacknowledged — however fast it is.
    Issued badges are read by an evaluation and written when issuing; issuer keys are read
    only when issuing starts, after the evaluation committed its outbox rows.
    """
    # A raw connection of the driver Django uses, outside Django's per-thread connection.
    session = connection.Database.connect(**connection.get_connection_params())
    table = model._meta.db_table
    try:
        with session.cursor() as cursor:
            cursor.execute(f"LOCK TABLES {table} WRITE")  # noqa: S608 - a model's table name
        yield _HeldTable(session, table)
    finally:
        with session.cursor() as cursor:
            cursor.execute("UNLOCK TABLES")
        session.close()
