"""Real processes for the pipeline's integration tests: Celery workers, Redis, event senders.

The tests run on pytest-django's MariaDB test database with ``transactional_db``, so every row
a test writes is committed and the worker and sender processes (pointed at the same test
database) see it. Worker fixtures depend on ``transactional_db``, so workers stop before
pytest-django empties the tables.
"""

import json
import os
import subprocess

import pytest
import redis
from django.db import connection

from tests.integration.passing_events import sender_command
from tests.issued_badges import badge_setup, earn  # noqa: F401 - fixtures
from tests.services import require_service
from tests.workers import (
    REPO_ROOT,
    CeleryWorker,
    RedisServer,
    database_url_named,
    host_environment,
    run_manage,
)


@pytest.fixture
def integration_database_url(transactional_db):
    """URL of the test database this test writes to, for the processes it starts."""
    url = os.environ.get("CREDPLUGIN_DATABASE_URL", "")
    if connection.vendor != "mysql" or not url:
        message = "integration tests need MariaDB: set CREDPLUGIN_DATABASE_URL=mysql://…"
        if os.environ.get("CREDPLUGIN_REQUIRE_SERVICES"):
            pytest.fail(message, pytrace=False)
        pytest.skip(f"SKIPPED LOUDLY: {message}")
    require_service("MariaDB", url, 3306)
    return database_url_named(url, connection.settings_dict["NAME"])


@pytest.fixture
def shared_broker_url(redis_service):
    """The shared Redis database, emptied so no message of an earlier run is delivered."""
    redis.Redis.from_url(redis_service).flushdb()
    return redis_service


@pytest.fixture
def throwaway_redis(tmp_path):
    """A ``redis-server`` of this test's own, which the test may stop and start again."""
    server = RedisServer(log_path=tmp_path / "redis.log").start()
    yield server
    server.stop()


@pytest.fixture
def host_env(integration_database_url):
    """``host_env(broker_url)``: the environment of a host process on this test's database."""

    def environment(broker_url, **extra):
        return host_environment(
            database_url=integration_database_url, broker_url=broker_url, **extra
        )

    return environment


@pytest.fixture
def start_worker(host_env, tmp_path):
    """``start_worker(broker_url, name=…, pool=…, concurrency=…, **extra_env)`` starts a
    worker process.

    Every worker started is stopped at teardown (SIGTERM, then SIGKILL for the whole group).
    """
    workers = []

    def start(broker_url, *, name="worker", pool="prefork", concurrency=2, **extra_env):
        worker = CeleryWorker(
            env=host_env(broker_url, **extra_env),
            log_path=tmp_path / f"{name}.log",
            name=name,
            pool=pool,
            concurrency=concurrency,
        )
        workers.append(worker)
        return worker.start()

    yield start
    for worker in workers:
        worker.stop()


@pytest.fixture
def manage(host_env):
    """``manage(broker_url, *args)`` runs the host's ``manage.py`` in its own process."""

    def run(broker_url, *args, **extra_env):
        return run_manage(host_env(broker_url, **extra_env), *args)

    return run


class _Senders:
    """Event sender processes under way; ``wait()`` returns their summaries."""

    def __init__(self, processes, logs, timeout):
        self.processes, self.logs, self.timeout = processes, logs, timeout

    def wait(self):
        summaries = []
        for sender, log_path in zip(self.processes, self.logs, strict=True):
            stdout, _ = sender.communicate(timeout=self.timeout)
            log = log_path.read_text(errors="replace")
            assert sender.returncode == 0, (
                f"{log_path.stem} exited {sender.returncode}:\n{log[-4000:]}"
            )
            summaries.append(json.loads(stdout.strip().splitlines()[-1]))
        return summaries


@pytest.fixture
def start_passing_events(host_env, tmp_path):
    """``start_passing_events(broker_url, users, course_key, repeat=…, processes=2, **extra_env)``.

    Starts ``processes`` event senders at once, each sending every learner's passing event
    ``repeat`` times in its own random order; returns them under way (``.wait()``).
    """
    runs = []

    def start(broker_url, users, course_key, *, repeat=1, processes=2, timeout=600, **extra_env):
        run = len(runs)
        users_file = tmp_path / f"passing-users-{run}.txt"
        users_file.write_text("".join(f"{user.id}\n" for user in users))
        env = host_env(broker_url, **extra_env)
        logs = [tmp_path / f"sender-{run}-{seed}.log" for seed in range(processes)]
        senders = [
            subprocess.Popen(
                sender_command(
                    course_key, users_file, seed=seed, options=["--repeat", str(repeat)]
                ),
                cwd=REPO_ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=log.open("wb"),
                text=True,
            )
            for seed, log in enumerate(logs)
        ]
        runs.append(_Senders(senders, logs, timeout))
        return runs[-1]

    yield start
    for run in runs:
        for sender in run.processes:
            if sender.poll() is None:
                sender.kill()
                sender.wait()


@pytest.fixture
def send_passing_events(start_passing_events):
    """``send_passing_events(broker_url, users, course_key, repeat=…, processes=2, **extra_env)``:
    the senders of ``start_passing_events``, waited for. Returns their summaries (``sent``,
    ``receiver_errors``).
    """

    def send(broker_url, users, course_key, **options):
        return start_passing_events(broker_url, users, course_key, **options).wait()

    return send


from tests.pathway_badges import components, pathway_class  # noqa: E402, F401 - fixtures
