"""Real processes for the integration tests and the pipeline benchmark.

A Celery worker, a throwaway ``redis-server`` or ``mariadbd``, the event-bus consumer and the
host's ``manage.py`` each run as their own
process, as they would in production, so a test can kill, stop and restart them. Every process
starts in its own process group; stopping one signals the whole group, so a prefork worker's
children never outlive the test.
"""

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

REPO_ROOT = Path(__file__).resolve().parents[1]
READY_TIMEOUT_SECONDS = 60


def free_port():
    """A TCP port on the loopback interface nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_open(port, host="127.0.0.1"):
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def wait_until(predicate, *, timeout, interval=0.1, what="the condition"):
    """Poll ``predicate`` until it returns a true value and return it; fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not happen within {timeout:.0f} s")
        time.sleep(interval)


def database_url_named(url, name):
    """``url`` (``mysql://user:password@host:port/db``) pointing at database ``name`` instead."""
    return urlunparse(urlparse(url)._replace(path=f"/{name}"))


def host_environment(*, database_url, broker_url, **extra):
    """The environment of a host process (worker, event sender, ``manage.py``).

    ``CREDPLUGIN_CELERY_BROKER`` makes the host queue tasks on a real broker instead of running
    them eagerly; ``CREDPLUGIN_HOST_SETTINGS_TYPE=test`` keeps e-mail in memory.
    """
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="tests.host.settings",
        CREDPLUGIN_HOST_SETTINGS_TYPE="test",
        CREDPLUGIN_DATABASE_URL=database_url,
        CREDPLUGIN_CELERY_BROKER=broker_url,
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")])),
        PYTHONUNBUFFERED="1",
    )
    env.update({key: str(value) for key, value in extra.items()})
    return env


class _ProcessGroup:
    """A child process started in its own session, so signals reach all of its descendants."""

    def __init__(self, args, *, env, log_path):
        self.args = args
        self.env = env
        self.log_path = Path(log_path)
        self.process = None

    def start(self):
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                self.args,
                cwd=REPO_ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    @property
    def running(self):
        return self.process is not None and self.process.poll() is None

    def log(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def _signal_group(self, signum):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signum)

    def kill(self):
        """SIGKILL the whole group at once: no warm shutdown, nothing acknowledged or restored."""
        if self.process is None:
            return
        self._signal_group(signal.SIGKILL)
        self.process.wait(timeout=30)

    def freeze(self):
        """SIGSTOP the whole group, as a host that stops scheduling it (a paused VM or
        container, a long GC or swap storm): alive, connected, and doing nothing."""
        self._signal_group(signal.SIGSTOP)

    def resume(self):
        self._signal_group(signal.SIGCONT)

    def stop(self, timeout=20):
        """SIGTERM (a warm shutdown), then SIGKILL whatever is left after ``timeout``."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self._signal_group(signal.SIGCONT)  # a frozen group cannot shut down
            self._signal_group(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=timeout)
        # Pool children may outlive their parent by a moment; the group must end with the test.
        self._signal_group(signal.SIGKILL)
        if self.process.poll() is None:
            self.process.wait(timeout=30)


class _Server(_ProcessGroup):
    """A server process on a loopback ``port``: ``start()`` returns once the port accepts
    connections, ``stop()`` once it no longer does."""

    port = None

    def start(self):
        super().start()
        wait_until(
            lambda: port_open(self.port) or self._died(),
            timeout=READY_TIMEOUT_SECONDS,
            what=f"{self.args[0]} on port {self.port} opening",
        )
        return self

    def stop(self, timeout=30):
        super().stop(timeout)
        wait_until(
            lambda: not port_open(self.port), timeout=timeout, what=f"{self.args[0]} closing"
        )

    def _died(self):
        if self.process.poll() is not None:
            raise RuntimeError(f"{self.args[0]} exited early:\n{self.log()[-4000:]}")
        return False


class RedisServer(_Server):
    """A throwaway ``redis-server`` on a loopback port, persisting nothing, for fault injection.

    ``stop()`` then ``start()`` brings it back on the same port, empty, as after a crash of a
    broker without persistence.
    """

    def __init__(self, *, port=None, log_path):
        self.port = port or free_port()
        self.workdir = tempfile.mkdtemp(prefix="credplugin-redis-")
        args = [
            "redis-server",
            "--bind",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            self.workdir,
        ]
        super().__init__(args, env=dict(os.environ), log_path=log_path)

    def url(self, db=0):
        return f"redis://127.0.0.1:{self.port}/{db}"


class MariaDBServer(_Server):
    """A throwaway ``mariadbd`` with its own data directory, on a free loopback port.

    ``stop()`` shuts it down as an outage would (every open connection is cut); ``start()``
    brings it back on the same port with the same data.
    """

    def __init__(self, *, log_path, port=None):
        self.port = port or free_port()
        self.datadir = Path(tempfile.mkdtemp(prefix="credplugin-mariadb-"))
        subprocess.run(
            [
                "mariadb-install-db",
                "--no-defaults",
                f"--datadir={self.datadir}",
                "--user=root",
                "--auth-root-authentication-method=normal",
                "--skip-test-db",
            ],
            capture_output=True,
            check=True,
            timeout=READY_TIMEOUT_SECONDS,
        )
        args = [
            "mariadbd",
            "--no-defaults",
            f"--datadir={self.datadir}",
            f"--socket={self.datadir / 'mariadbd.sock'}",
            f"--pid-file={self.datadir / 'mariadbd.pid'}",
            "--bind-address=127.0.0.1",
            f"--port={self.port}",
            "--user=root",
            "--skip-log-bin",
            "--innodb-buffer-pool-size=64M",
            "--innodb-log-file-size=16M",
            "--character-set-server=utf8mb4",
            "--collation-server=utf8mb4_unicode_ci",
        ]
        super().__init__(args, env=dict(os.environ), log_path=log_path)

    def url(self, name):
        return f"mysql://root@127.0.0.1:{self.port}/{name}"

    def remove(self):
        """Stop the server and delete its data directory."""
        self.stop()
        shutil.rmtree(self.datadir, ignore_errors=True)


class CeleryWorker(_ProcessGroup):
    """``celery -A tests.host.celery worker`` as a separate process, the way a host runs it."""

    def __init__(self, *, env, log_path, name="worker", pool="prefork", concurrency=2):
        self.name = name
        args = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "tests.host.celery",
            "worker",
            "--pool",
            pool,
            "--concurrency",
            str(concurrency),
            "--hostname",
            f"{name}@%h",
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ]
        super().__init__(args, env=env, log_path=log_path)

    def start(self):
        """Start the worker and return once it consumes from the broker."""
        already_logged = self.log().count(" ready.")
        super().start()
        wait_until(
            lambda: self._died() or self.log().count(" ready.") > already_logged,
            timeout=READY_TIMEOUT_SECONDS,
            what=f"Celery worker {self.name} becoming ready",
        )
        return self

    def _died(self):
        if self.process.poll() is not None:
            raise RuntimeError(f"Celery worker {self.name} exited early:\n{self.log()[-4000:]}")
        return False

    def kill_pool_process(self, pid):
        """SIGKILL one pool process, as the kernel's OOM killer would; the worker replaces it."""
        if pid not in self.child_pids():
            raise ValueError(f"{pid} is not a pool process of worker {self.name}")
        os.kill(pid, signal.SIGKILL)

    def child_pids(self):
        """The pool processes of a prefork worker (its direct children)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []


class EventBusConsumer(_ProcessGroup):
    """``manage.py consume_events``: the platform's event-bus consumer, as its own process.

    It reads ``topic`` from the Redis stream as the consumer group ``group`` from the stream's
    first entry on, and sends each event to the receivers with ``from_event_bus=True``.
    """

    def __init__(self, *, env, log_path, topic, group):
        self.stream = f"credplugin-host-{topic}"  # EVENT_BUS_TOPIC_PREFIX in the host settings
        self.group = group
        extra = json.dumps({"consumer_name": f"{group}-1", "last_read_msg_id": "0"})
        args = [sys.executable, "manage.py", "consume_events", "-t", topic, "-g", group]
        super().__init__([*args, "--extra", extra], env=env, log_path=log_path)

    def consumed_everything(self, client):
        """Whether the group has read the stream's last entry and acknowledged every entry."""
        if not self.running:
            raise RuntimeError(f"consume_events exited early:\n{self.log()[-4000:]}")
        if not client.exists(self.stream):
            return False
        last = client.xinfo_stream(self.stream)["last-generated-id"]
        groups = {group["name"]: group for group in client.xinfo_groups(self.stream)}
        mine = groups.get(self.group.encode()) or groups.get(self.group)
        return bool(mine) and mine["last-delivered-id"] == last and mine["pending"] == 0


def run_manage(env, *args, timeout=300):
    """Run ``manage.py`` of the host in its own process; fail loudly with its output."""
    completed = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(
            f"manage.py {' '.join(args)} exited {completed.returncode}:\n"
            f"{completed.stdout}\n{completed.stderr}"
        )
    return completed
