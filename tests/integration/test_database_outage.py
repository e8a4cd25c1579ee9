"""The database goes away mid-issuance and comes back: nothing lost, nothing issued twice.

A throwaway ``mariadbd`` (its own data directory and port) holds this test's tables; the test
process, the event senders, the Celery worker and ``manage.py`` all use it. The server is shut
down while the worker is inside issuance — held at the badge table, so the outage lands there
however fast the worker is — and grading keeps sending passing events during the outage.
"""

import subprocess

import pytest
from django.core.management import call_command
from django.db import connection
from openedx_events.learning.signals import COURSE_PASSING_STATUS_UPDATED

from credplugin.models import IssuedBadge
from tests.integration.passing_events import _passing_status, sender_command
from tests.integration.pipeline import (
    assert_one_verifying_badge_each,
    wait_for_badges,
    wait_until_settled,
)
from tests.integration.scenario import passing_course
from tests.workers import (
    REPO_ROOT,
    CeleryWorker,
    MariaDBServer,
    host_environment,
    run_manage,
    wait_until,
)

pytestmark = [pytest.mark.integration]

DATABASE = "credplugin_outage"
BEFORE, DURING = 20, 60


@pytest.fixture
def outage_database(transactional_db, tmp_path):
    """A throwaway MariaDB server, migrated, that this test's own connection uses too."""
    import MySQLdb  # noqa: PLC0415  (mysqlclient: the integration env's driver)

    server = MariaDBServer(log_path=tmp_path / "mariadb.log").start()
    session = MySQLdb.connect(host="127.0.0.1", port=server.port, user="root")
    session.cursor().execute(
        f"CREATE DATABASE {DATABASE} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
    )
    session.close()
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT=str(server.port), NAME=DATABASE)
    try:
        call_command("migrate", verbosity=0)
        yield server
    finally:
        connection.close()
        connection.settings_dict.update(saved)
        server.remove()


def _held_at_the_badge_table(server):
    """A session of its own holding a write lock on the badge table: issuance waits there."""
    session = connection.Database.connect(
        host="127.0.0.1", port=server.port, user="root", db=DATABASE
    )
    session.cursor().execute(f"LOCK TABLES {IssuedBadge._meta.db_table} WRITE")
    return session


def _workers_waiting(session):
    cursor = session.cursor()
    cursor.execute(
        "SELECT COUNT(*) FROM information_schema.PROCESSLIST"
        " WHERE DB = DATABASE() AND ID != CONNECTION_ID() AND INFO LIKE %s",
        [f"%`{IssuedBadge._meta.db_table}`%"],
    )
    return cursor.fetchone()[0]


def _send(env, course_key, users, tmp_path):
    users_file = tmp_path / "users.txt"
    users_file.write_text("".join(f"{user.id}\n" for user in users))
    completed = subprocess.run(
        sender_command(course_key, users_file, seed=0),
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return completed.stdout


def test_a_database_outage_mid_issuance_loses_and_duplicates_nothing(
    outage_database, shared_broker_url, tmp_path
):
    server = outage_database
    env = host_environment(database_url=server.url(DATABASE), broker_url=shared_broker_url)
    course_key, badge_class, learners = passing_course(BEFORE + DURING, "dbdown")
    first, rest = learners[:BEFORE], learners[BEFORE:]
    call_command("credplugin_keys", "generate")
    worker = CeleryWorker(env=env, log_path=tmp_path / "worker.log", concurrency=2).start()
    try:
        _send(env, course_key, first, tmp_path)
        wait_for_badges(badge_class, BEFORE, [worker])

        lock = _held_at_the_badge_table(server)
        _send(env, course_key, rest, tmp_path)
        wait_until(lambda: _workers_waiting(lock), timeout=60, what="the worker mid-issuance")
        server.stop()  # every connection is cut: the worker's, mid-transaction, and the lock's
        # Grading goes on in a process whose database is gone: the receiver must not raise.
        connection.close()
        responses = [
            response
            for learner in rest
            for _receiver, response in COURSE_PASSING_STATUS_UPDATED.send_event(
                course_passing_status=_passing_status(learner, course_key)
            )
        ]
        assert not [response for response in responses if isinstance(response, Exception)]

        server.start()
        connection.close()
        assert "after a transient error" in worker.log(), "the outage never reached the worker"
        if not worker.running:
            worker = CeleryWorker(env=env, log_path=tmp_path / "worker-2.log").start()
        run_manage(env, "credplugin_sweep", "--older-than", "0")
        wait_for_badges(badge_class, BEFORE + DURING, [worker])
        wait_until_settled(badge_class, shared_broker_url, [worker])
    finally:
        worker.stop()
    assert_one_verifying_badge_each(badge_class, learners)
