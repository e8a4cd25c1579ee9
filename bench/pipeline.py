"""Passing events to stored, verifiable badges through a real Celery worker on Redis + MariaDB.

    .venv/bin/python bench/pipeline.py [--learners 10000] [--json]

Creates its own database (``credplugin_bench``) and a throwaway ``redis-server``, sets up one
course whose learners all passed the badge's assessment, then starts the clock: two sender
processes fire ``COURSE_PASSING_STATUS_UPDATED`` once per learner (the learners split between
them), the worker(s) start once they are done (with ``--overlap``: before they begin), and the
clock stops when every badge is stored. Sending first keeps the receiver's timing free of the
workers' CPU load, as on an LMS web node whose workers run on other machines. Afterwards it
counts duplicates and verifies a random sample of the stored credentials (``--verify-sample``,
or all with ``--verify-sample 0``) with the same resolver the public verify API uses.

Receiver cost: each sender times every ``send_event`` call with credplugin's receiver
connected, and right after it the same event with the receiver disconnected (the platform's
own cost, the baseline). ``receiver_ms_p50``/``receiver_ms_p99`` are the differences of those
percentiles in the same run, under the same load.

Figures go to ``bench/results/pipeline.json``; ``--json`` also prints them as one object.
"""

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from array import array
from pathlib import Path
from urllib.parse import urlparse

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from tests.integration.passing_events import sender_command  # noqa: E402
from tests.workers import (  # noqa: E402  (needs the repository on sys.path)
    CeleryWorker,
    RedisServer,
    host_environment,
    wait_until,
)

RESULTS = REPO_ROOT / "bench" / "results" / "pipeline.json"
# The database server's process names, for its CPU time when it runs on this machine.
DATABASE_COMMANDS = frozenset({"mariadbd", "mysqld"})
STALL_SECONDS = 60
KILL_AFTER_SHARE, KILL_INTERVAL_SECONDS = 0.1, 2.0


def _parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=10_000)
    parser.add_argument("--json", action="store_true", help="print the figures as one object")
    parser.add_argument(
        "--results", type=Path, default=RESULTS, help=f"where to write the figures ({RESULTS.name})"
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("CREDPLUGIN_BENCH_DATABASE_URL")
        or "mysql://root@127.0.0.1:3306/credplugin_bench",
        help="MariaDB server and the name of the database the bench creates and drops",
    )
    parser.add_argument("--workers", type=int, default=1, help="worker processes")
    parser.add_argument(
        "--concurrency", type=int, default=os.cpu_count() or 2, help="pool size of each worker"
    )
    parser.add_argument("--senders", type=int, default=2, help="event sender processes")
    parser.add_argument(
        "--verify-sample",
        type=int,
        default=500,
        help="stored badges to verify after the run (0: every badge)",
    )
    parser.add_argument(
        "--overlap",
        action="store_true",
        help="send the events while the workers already run (receiver timed under their load)",
    )
    parser.add_argument(
        "--kill-pool",
        type=int,
        default=0,
        metavar="N",
        help=f"SIGKILL N pool processes mid-run, {KILL_INTERVAL_SECONDS:g} s apart, the first once "
        f"{KILL_AFTER_SHARE:.0%} of the badges are stored (as the OOM killer would)",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the database and the process logs afterwards"
    )
    return parser.parse_args(argv)


def _progress(message):
    print(f"[pipeline bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _on_server(url, *statements):
    """Run ``statements`` (``{name}`` is the database named in ``url``) on its MariaDB server;
    returns the rows of the last one."""
    import pymysql  # noqa: PLC0415

    parsed = urlparse(url)
    connection = pymysql.connect(
        host=parsed.hostname or "127.0.0.1",
        port=parsed.port or 3306,
        user=parsed.username or "root",
        password=parsed.password or "",
    )
    name = parsed.path.lstrip("/")
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement.format(name=name))
        rows = cursor.fetchall()
    connection.close()
    return rows


def row_lock_waits(url):
    """``(waits, milliseconds waited)`` for InnoDB row locks on the server so far: server-wide
    counters, so a shared server's other clients add to them."""
    status = dict(_on_server(url, "SHOW GLOBAL STATUS LIKE 'Innodb_row_lock_%'"))
    return int(status.get("Innodb_row_lock_waits", 0)), int(status.get("Innodb_row_lock_time", 0))


def create_database(url):
    _on_server(
        url,
        "CREATE DATABASE IF NOT EXISTS `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
    )


def recreate_database(url):
    _on_server(url, "DROP DATABASE IF EXISTS `{name}`")
    create_database(url)


def drop_database(url):
    _on_server(url, "DROP DATABASE IF EXISTS `{name}`")


def _setup_django(database_url, broker_url):
    os.environ.update(
        host_environment(database_url=database_url, broker_url=broker_url),
        CREDPLUGIN_HOST_DIR=os.environ.get("CREDPLUGIN_HOST_DIR")
        or tempfile.mkdtemp(prefix="credplugin-bench-host-"),
    )
    import django  # noqa: PLC0415

    django.setup()
    from django.core.management import call_command  # noqa: PLC0415

    call_command("migrate", verbosity=0, interactive=False)


def _cpu_seconds(process_groups=(), commands=(), pids=()):
    """CPU seconds (user + system) used so far by every process in ``process_groups`` (group
    ids), in ``pids``, or whose executable's name is in ``commands``; from /proc, 0.0 where it
    is absent.

    CPU time leaves out waiting (for the database, the broker, or a core the shared machine
    lent elsewhere), so it shows what the work itself costs; it still moves by a fifth or so
    between identical runs here, so compare runs made back to back.
    """
    total = 0.0
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # the process ended meanwhile
        name = text[text.index("(") + 1 : text.rindex(")")]
        fields = text[text.rindex(")") + 2 :].split()
        if int(fields[2]) in process_groups or int(stat.parent.name) in pids or name in commands:
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def _listening_inodes(port):
    """The socket inodes listening on TCP ``port`` on this machine (IPv4 and IPv6)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            listening = fields[3] == "0A"
            if listening and int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(fields[9])
    return inodes


def database_server_pids(url):
    """The local processes listening on the port of ``url``: the one server this run talks to.

    Empty when none listens here (the server runs elsewhere), or None when /proc does not tell
    (another user's processes hide their sockets, or a proxy such as Docker's holds the port):
    then every ``DATABASE_COMMANDS`` process counts, other servers on the machine included.
    """
    parsed = urlparse(url)
    inodes = _listening_inodes(parsed.port or 3306)
    if not inodes:
        return set()
    sockets = {f"socket:[{inode}]" for inode in inodes}
    for fd_dir in Path("/proc").glob("[0-9]*/fd"):
        try:
            links = {os.readlink(fd) for fd in fd_dir.iterdir()}
        except OSError:
            continue  # ended meanwhile, or not ours to read
        if links & sockets:
            comm = (fd_dir.parent / "comm").read_text().strip()
            return {int(fd_dir.parent.name)} if comm in DATABASE_COMMANDS else None
    return None


class _DatabaseMeter:
    """The database server's CPU seconds (0 when it runs elsewhere) and InnoDB row-lock waits
    (count, milliseconds) since the meter was made."""

    def __init__(self, url):
        self.url = url
        self.server_pids = database_server_pids(url)
        self.at_start = self._counters()

    def _counters(self):
        if self.server_pids is None:
            cpu = _cpu_seconds(commands=DATABASE_COMMANDS)
        else:
            cpu = _cpu_seconds(pids=self.server_pids)
        return (cpu, *row_lock_waits(self.url))

    def since_start(self):
        """``(CPU seconds, row-lock waits, milliseconds waited)`` since the meter was made."""
        return tuple(now - then for now, then in zip(self._counters(), self.at_start, strict=True))


def _percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _start_senders(env, learners, course_key, senders, workdir):
    processes = []
    for number in range(senders):
        share = learners[number::senders]
        users_file = workdir / f"users-{number}.txt"
        users_file.write_text("".join(f"{learner.id}\n" for learner in share))
        args = sender_command(
            course_key,
            users_file,
            seed=number,
            options=[
                "--timings",
                str(workdir / f"timings-{number}.bin"),
                "--baseline-timings",
                str(workdir / f"baseline-{number}.bin"),
                "--cpu-timings",
                str(workdir / f"cpu-{number}.bin"),
                str(workdir / f"baseline-cpu-{number}.bin"),
            ],
        )
        log = (workdir / f"sender-{number}.log").open("wb")
        processes.append(
            subprocess.Popen(
                args, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=log, text=True
            )
        )
    return processes


def _finish_senders(senders, workdir):
    """Wait for the senders; returns the CPU seconds they used (children reaped meanwhile)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    for number, sender in enumerate(senders):
        sender.communicate()
        if sender.returncode:
            log = (workdir / f"sender-{number}.log").read_text(errors="replace")
            raise RuntimeError(f"sender {number} failed:\n{log[-4000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def _read_timings(path):
    values = array("d")
    with path.open("rb") as timings:
        values.frombytes(timings.read())
    return list(values)


class _PoolKiller:
    """SIGKILLs ``kills`` pool processes of the workers while badges are still being stored:
    the first once ``KILL_AFTER_SHARE`` of them are, then one every ``KILL_INTERVAL_SECONDS``.
    ``done`` and ``last`` (``time.monotonic()``) say how many it killed and when the last."""

    def __init__(self, kills, expected, workers):
        self.kills, self.expected, self.workers = kills, expected, workers
        self.done, self.last = 0, None

    def __call__(self, count, now):
        if self.done >= self.kills or count >= self.expected:
            return
        if self.last is None and count < KILL_AFTER_SHARE * self.expected:
            return
        if self.last is not None and now - self.last < KILL_INTERVAL_SECONDS:
            return
        worker = random.choice(self.workers)
        pids = worker.child_pids()
        if pids:
            victim = random.choice(pids)
            worker.kill_pool_process(victim)
            self.done, self.last = self.done + 1, time.monotonic()
            _progress(f"killed pool process {victim} of {worker.name} at {count} badges")


def _stored_badges(badge_class, expected):
    """How many badges of ``badge_class`` are stored: the span of their ids until it reaches
    ``expected``, then the exact count.

    Counting scans an index that grows with the badges, on the server whose CPU the run
    charges to credplugin: five times a second it cost about 0.02 ms per badge at 10,000
    learners, and grows with the square of the run. The lowest and highest id are two index
    dives. A batch's badges get consecutive ids, so the span is the count plus the gaps that
    rolled-back inserts leave (and any batch not committed yet below the highest): never less,
    so a span short of ``expected`` is never a finished run.
    """
    from django.db.models import Max, Min  # noqa: PLC0415

    from credplugin.models import IssuedBadge  # noqa: PLC0415

    stored = IssuedBadge.objects.filter(badge_class=badge_class)
    ids = stored.aggregate(first=Min("id"), last=Max("id"))
    if ids["first"] is None:
        return 0
    span = ids["last"] - ids["first"] + 1
    return span if span < expected else stored.count()


def _wait_for_badges(badge_class, expected, workers, senders, kill=None):
    """Poll until ``expected`` badges are stored; returns ``(count, None)``.

    When the count stops moving for ``STALL_SECONDS`` it returns ``(count, why)`` instead, so
    the run still reports what it measured. ``kill(count, now)`` is called on every poll.
    """
    issued, last_change, last_report = -1, time.monotonic(), 0.0
    while True:
        count = _stored_badges(badge_class, expected)
        now = time.monotonic()
        if kill is not None:
            kill(count, now)
        if count != issued:
            issued, last_change = count, now
        if count >= expected and all(sender.poll() is not None for sender in senders):
            return count, None
        if now - last_report > 10:
            _progress(f"{count}/{expected} badges stored")
            last_report = now
        for worker in workers:
            if not worker.running:
                raise RuntimeError(f"worker {worker.name} died:\n{worker.log()[-4000:]}")
        if now - last_change > STALL_SECONDS:
            return count, f"no badge stored for {STALL_SECONDS} s after {count}/{expected}"
        time.sleep(0.2)


def _verify(badge_class, sample_size):
    from credplugin import api  # noqa: PLC0415
    from credplugin.models import IssuedBadge  # noqa: PLC0415
    from credplugin.openbadges import verify_credential  # noqa: PLC0415

    ids = list(IssuedBadge.objects.filter(badge_class=badge_class).values_list("id", flat=True))
    if sample_size:
        ids = random.Random(0).sample(ids, min(sample_size, len(ids)))
    failures = 0
    for start in range(0, len(ids), 1000):
        for credential in IssuedBadge.objects.filter(id__in=ids[start : start + 1000]).values_list(
            "credential", flat=True
        ):
            report = verify_credential(credential, resolve=api.resolve_for_verification)
            failures += not report.verified
    return len(ids), failures


def _figures(  # noqa: PLR0913  (the run's measurements, each in its own words)
    args,
    workdir,
    *,
    badges_issued,
    seconds,
    events_seconds,
    cpu,
    events_database_cpu,
    verification,
    **plain,
):
    """The run's figures, in the order the README explains them; ``plain`` go in as they are
    (``learners``, ``duplicates``, ``stalled``, ``pool_kills``, ``seconds_after_last_kill``,
    ``row_lock_waits``)."""
    timings, baseline, cpu_timings, baseline_cpu = [], [], [], []
    for number in range(args.senders):
        timings += _read_timings(workdir / f"timings-{number}.bin")
        baseline += _read_timings(workdir / f"baseline-{number}.bin")
        cpu_timings += _read_timings(workdir / f"cpu-{number}.bin")
        baseline_cpu += _read_timings(workdir / f"baseline-cpu-{number}.bin")
    worker_cpu, database_cpu, sender_cpu = cpu
    verified, verify_failures = verification
    worker_ms = round(1000 * worker_cpu / max(badges_issued, 1), 3)
    database_ms = round(1000 * database_cpu / max(badges_issued, 1), 3)
    receiver_p50 = round(statistics.median(timings) - statistics.median(baseline), 3)
    receiver_cpu_p50 = round(statistics.median(cpu_timings) - statistics.median(baseline_cpu), 3)
    return {
        "learners": plain["learners"],
        "badges_issued": badges_issued,
        "duplicates": plain["duplicates"],
        "seconds": round(seconds, 2),
        "events_seconds": events_seconds and round(events_seconds, 2),
        "badges_per_second": round(badges_issued / seconds, 1),
        "cpu_ms_per_badge_ours": round(worker_ms + database_ms + max(receiver_cpu_p50, 0.0), 3),
        "worker_cpu_ms_per_badge": worker_ms,
        "database_cpu_ms_per_badge": database_ms,
        "database_cpu_ms_per_event": events_database_cpu
        and round(1000 * events_database_cpu / plain["learners"], 3),
        "sender_cpu_ms_per_event": round(1000 * sender_cpu / plain["learners"], 3),
        "receiver_cpu_ms_p50": receiver_cpu_p50,
        "receiver_ms_p50": receiver_p50,
        "receiver_ms_p99": round(_percentile(timings, 0.99) - _percentile(baseline, 0.99), 3),
        "send_event_ms_p50": round(statistics.median(timings), 3),
        "send_event_ms_p99": round(_percentile(timings, 0.99), 3),
        "baseline_send_event_ms_p50": round(statistics.median(baseline), 3),
        "baseline_send_event_ms_p99": round(_percentile(baseline, 0.99), 3),
        "stalled": plain["stalled"],
        "pool_kills": plain["pool_kills"],
        "seconds_after_last_kill": plain["seconds_after_last_kill"],
        "row_lock_waits": plain["row_lock_waits"][0],
        "row_lock_wait_ms": plain["row_lock_waits"][1],
        "verified": verified,
        "verify_failures": verify_failures,
        "workers": args.workers,
        "concurrency": args.concurrency,
        "senders": args.senders,
        "overlap": args.overlap,
        "cpu_count": os.cpu_count(),
    }


def _start_workers(args, env, workdir, workers):
    """Start ``--workers`` Celery workers, each appended to ``workers`` (so it is stopped
    however the run ends) once it consumes from the broker."""
    for number in range(args.workers):
        worker = CeleryWorker(
            env=env,
            log_path=workdir / f"worker-{number}.log",
            name=f"bench{number}",
            concurrency=args.concurrency,
        )
        workers.append(worker.start())


def run(args):
    workdir = Path(tempfile.mkdtemp(prefix="credplugin-bench-"))
    redis_server = RedisServer(log_path=workdir / "redis.log").start()
    database_url = args.database_url
    workers = []
    try:
        recreate_database(database_url)
        _setup_django(database_url, redis_server.url())
        from django.core.management import call_command  # noqa: PLC0415

        from credplugin.models import IssuanceRequest, IssuedBadge  # noqa: PLC0415
        from tests.integration.scenario import (  # noqa: PLC0415
            duplicate_badges,
            passing_course,
            request_statuses,
        )

        _progress(f"setting up {args.learners} learners")
        course_key, badge_class, learners = passing_course(args.learners, "bench")
        call_command("credplugin_keys", "generate")
        env = host_environment(database_url=database_url, broker_url=redis_server.url())

        database = _DatabaseMeter(database_url)

        if args.overlap:
            _start_workers(args, env, workdir, workers)
        _progress("sending passing events")
        started = time.monotonic()
        senders = _start_senders(env, learners, course_key, args.senders, workdir)
        events_database_cpu = None
        if not args.overlap:
            sender_cpu = _finish_senders(senders, workdir)
            events_seconds = time.monotonic() - started
            events_database_cpu = database.since_start()[0]
            _start_workers(args, env, workdir, workers)
        killer = _PoolKiller(args.kill_pool, len(learners), workers)
        badges_issued, stalled = _wait_for_badges(
            badge_class, len(learners), workers, senders, killer
        )
        finished = time.monotonic() - (STALL_SECONDS if stalled else 0)
        worker_cpu = _cpu_seconds(process_groups={worker.process.pid for worker in workers})
        database_cpu, *lock_waits = database.since_start()
        if args.overlap:
            sender_cpu = _finish_senders(senders, workdir)
            events_seconds = None

        # Anything still queued would be a duplicate in the making: let it finish first.
        if not stalled:
            wait_until(
                lambda: (
                    not IssuanceRequest.objects.filter(badge_class=badge_class)
                    .exclude(status=IssuanceRequest.Status.ISSUED)
                    .exists()
                ),
                timeout=60,
                what="every issuance request reaching issued",
            )
        badges_issued = IssuedBadge.objects.filter(badge_class=badge_class).count()
        duplicates = duplicate_badges(badge_class)

        _progress("verifying stored credentials")
        verified, verify_failures = _verify(badge_class, args.verify_sample)
        return _figures(
            args,
            workdir,
            learners=len(learners),
            badges_issued=badges_issued,
            duplicates=duplicates,
            seconds=finished - started,
            events_seconds=events_seconds,
            cpu=(worker_cpu, database_cpu, sender_cpu),
            events_database_cpu=events_database_cpu,
            stalled=stalled and f"{stalled}; requests by status: {request_statuses(badge_class)}",
            verification=(verified, verify_failures),
            pool_kills=killer.done,
            seconds_after_last_kill=killer.last and round(finished - killer.last, 2),
            row_lock_waits=lock_waits,
        )
    finally:
        for worker in workers:
            worker.stop()
        redis_server.stop()
        if args.keep:
            _progress(f"kept the database {database_url} and the logs in {workdir}")
        else:
            drop_database(database_url)
            shutil.rmtree(workdir, ignore_errors=True)


def measure(run_bench, args):
    """Run ``run_bench(args)`` for an issuing bench, write its figures to ``args.results`` and
    print them (one JSON object with ``args.json``); returns them."""
    if args.learners < 1:
        raise SystemExit("--learners must be at least 1")
    figures = run_bench(args)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(figures, indent=2) + "\n")
    if args.json:
        print(json.dumps(figures))
    else:
        width = max(map(len, figures)) + 2
        for name, value in figures.items():
            print(f"{name:{width}} {value}")
    return figures


def main(argv=None):
    figures = measure(run, _parse_args(argv))
    ok = figures["badges_issued"] == figures["learners"] and not figures["duplicates"]
    return 0 if ok and not figures["verify_failures"] else 1


if __name__ == "__main__":
    sys.exit(main())
