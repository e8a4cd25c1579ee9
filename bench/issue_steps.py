"""What issuing a badge costs, step by step, in one process: the floor under bench/pipeline.py.

    .venv/bin/python bench/issue_steps.py [--learners 3000] [--database-url mysql://…] [--json]

Sets up the pipeline bench's course (one badge, one rubric of five criteria, every learner
passed) on SQLite in a temporary directory, or in the MariaDB database ``--database-url``
names (created and dropped). Then it does in this one process what ``evaluate_learner_task``
does in a worker: evaluate the pending learners batch by batch and issue each batch (reserve,
compose, sign, verify, store, announce), with no Celery, no second process and no network
between the steps. Each step's CPU time (``time.process_time``) is summed by wrapping the
function that does it.

Steps nest: ``compose``, ``sign`` and ``verify`` run inside ``prepare``; ``announce`` (the
openedx-event and the e-mail) runs inside ``store``, after the commit. ``total`` is the whole
path per badge, the first batch's warm-up included. ``two_core_ceiling_badges_per_second`` is
2 / ``total``: what two cores could issue doing nothing else — no database server, no broker,
no workers' task overhead, no senders. The pipeline benchmark's goal of 100,000 badges in 120 s
on two cores needs ``total`` plus everything this leaves out to stay under 2.4 ms.

Figures go to ``bench/results/issue_steps.json``; ``--json`` also prints them as one object.
"""

import argparse
import contextlib
import functools
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from bench.pipeline import drop_database, measure, recreate_database  # noqa: E402

RESULTS = REPO_ROOT / "bench" / "results" / "issue_steps.json"


def in_process_arguments(argv, *, description, learners, results, add_options=None):
    """The options of a bench that runs the pipeline in this process: ``--learners``,
    ``--database-url`` (MariaDB, created and dropped; SQLite otherwise), ``--json`` and
    ``--results``; ``add_options(parser)`` adds a bench's own."""
    parser = argparse.ArgumentParser(description=description)
    if add_options is not None:
        add_options(parser)
    parser.add_argument("--learners", type=int, default=learners)
    parser.add_argument(
        "--database-url",
        help="a MariaDB database to create, use and drop (default: SQLite in a temporary dir)",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as one object")
    parser.add_argument(
        "--results", type=Path, default=results, help=f"where to write the figures ({results.name})"
    )
    return parser.parse_args(argv)


def setup_django(host_dir, database_url):
    os.environ.update(
        DJANGO_SETTINGS_MODULE="tests.host.settings",
        CREDPLUGIN_HOST_SETTINGS_TYPE="test",
        CREDPLUGIN_HOST_DIR=str(host_dir),
    )
    os.environ.pop("CREDPLUGIN_CELERY_BROKER", None)  # tasks would run eagerly anyway
    if database_url:
        os.environ["CREDPLUGIN_DATABASE_URL"] = database_url
    else:
        os.environ.pop("CREDPLUGIN_DATABASE_URL", None)
    import django  # noqa: PLC0415

    django.setup()
    from django.core.management import call_command  # noqa: PLC0415

    call_command("migrate", verbosity=0, interactive=False)


@contextlib.contextmanager
def django_host(prefix, database_url):
    """Django set up and migrated for one bench run: the host's files in a new temporary
    directory named ``prefix…``, on a freshly created ``database_url`` (SQLite in that
    directory without one); the database and the directory are removed afterwards."""
    host_dir = Path(tempfile.mkdtemp(prefix=prefix))
    if database_url:
        recreate_database(database_url)
    try:
        setup_django(host_dir, database_url)
        yield
    finally:
        if database_url:
            drop_database(database_url)
        shutil.rmtree(host_dir, ignore_errors=True)


def _timed_steps():
    """Wrap each step's function to sum its CPU time; returns the running totals."""
    from credplugin.issuing import evaluation, issuance  # noqa: PLC0415
    from credplugin.mail import badge_awarded  # noqa: PLC0415

    totals = Counter()
    steps = {
        "evaluate": (evaluation, "_evaluate_batch"),
        "prepare": (issuance, "_prepare"),
        "compose": (issuance.composition, "compose"),
        "sign": (issuance, "sign_credential"),
        "verify": (issuance, "verify_credential"),
        "store": (issuance, "_store"),
        "announce": (issuance, "announce"),
        "email": (badge_awarded, "send_award_emails"),
    }
    for step, (module, name) in steps.items():
        original = getattr(module, name)

        def timed(*args, _step=step, _original=original, **kwargs):
            started = time.process_time()
            try:
                return _original(*args, **kwargs)
            finally:
                totals[_step] += time.process_time() - started

        setattr(module, name, functools.wraps(original)(timed))
    return totals, list(steps)


class _StatementCounter:
    """A ``connection.execute_wrapper`` counting the statements the pipeline sends, by verb."""

    def __init__(self):
        self.counts = Counter()

    def __call__(self, execute, sql, params, many, context):
        self.counts[sql.lstrip().split(None, 1)[0].upper()] += 1
        return execute(sql, params, many, context)

    def per_badge(self, issued):
        writes = sum(self.counts[verb] for verb in ("INSERT", "UPDATE", "DELETE"))
        reads = self.counts["SELECT"]
        return round(writes / max(issued, 1), 3), round(reads / max(issued, 1), 3)


def run(args):
    with django_host("credplugin-steps-", args.database_url):
        from django.core.management import call_command  # noqa: PLC0415
        from django.db import connection  # noqa: PLC0415

        from credplugin.issuing import evaluation, issuance, worker_heap  # noqa: PLC0415
        from credplugin.models import CoursePassingRecord, IssuedBadge  # noqa: PLC0415
        from tests.integration.scenario import passing_course  # noqa: PLC0415

        course_key, badge_class, learners = passing_course(args.learners, "steps")
        call_command("credplugin_keys", "generate", verbosity=0)
        CoursePassingRecord.objects.bulk_create(
            CoursePassingRecord(
                user_id=learner.id, course_key=course_key, is_passing=True, evaluation_pending=True
            )
            for learner in learners
        )
        worker_heap.settle()  # as each Celery pool process does once it has started
        totals, order = _timed_steps()
        statements = _StatementCounter()
        started_cpu, started = time.process_time(), time.perf_counter()
        with connection.execute_wrapper(statements):
            for new_requests in evaluation.drain_pending(learners[0].id, course_key):
                issuance.issue_requests(new_requests)
        total_cpu, wall = time.process_time() - started_cpu, time.perf_counter() - started
        issued = IssuedBadge.objects.filter(badge_class=badge_class).count()
        writes, reads = statements.per_badge(issued)
        per_badge = 1000 / max(issued, 1)
        figures = {
            "learners": len(learners),
            "badges_issued": issued,
            "database": "mariadb" if args.database_url else "sqlite",
            "total_cpu_ms_per_badge": round(total_cpu * per_badge, 3),
            "wall_ms_per_badge": round(wall * per_badge, 3),
            "steps_cpu_ms_per_badge": {step: round(totals[step] * per_badge, 3) for step in order},
            "write_statements_per_badge": writes,
            "read_statements_per_badge": reads,
            "two_core_ceiling_badges_per_second": round(2 * issued / total_cpu, 1),
        }
        return figures


def main(argv=None):
    args = in_process_arguments(
        argv, description=__doc__.splitlines()[0], learners=3000, results=RESULTS
    )
    figures = measure(run, args)
    return 0 if figures["badges_issued"] == figures["learners"] else 1


if __name__ == "__main__":
    sys.exit(main())
