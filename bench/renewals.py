"""Renewal reminders at scale: the due-reminder scan and the send, on MariaDB.

    .venv/bin/python bench/renewals.py [--badges 20000] [--send 10000] [--json]
    .venv/bin/python bench/renewals.py --badges 1000000   # the issue's size

Creates (and drops) its own MariaDB database (``--database-url``, default
``mysql://root@127.0.0.1:3306/credplugin_bench_renewals``), bulk-creates ``--badges`` issued
badges of one renewable badge class (24-month validity, 90-day window) whose expiries are
spread evenly over the next 24 months, then times:

- ``scan``: ``reminders.due()`` — every offset's range scan, with its queries counted and the
  ``EXPLAIN`` of each offset's query (the key MariaDB chose must be ``credplugin_expiry``);
- ``send``: ``reminders.send_due(limit=--send)`` through Django's locmem mail backend, so the
  figure is our queries and message rendering, not a mail server's speed.

The rows are inserted with SQL from MariaDB's sequence engine and carry a placeholder
credential: neither the scan nor the send reads it.
Figures go to ``bench/results/renewals.json``; ``--json`` also prints them.
"""

import argparse
import json
import shutil
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from bench.issue_steps import setup_django  # noqa: E402
from bench.pipeline import drop_database, recreate_database  # noqa: E402

RESULTS = REPO_ROOT / "bench" / "results" / "renewals.json"
DEFAULT_DATABASE = "mysql://root@127.0.0.1:3306/credplugin_bench_renewals"


def _parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--badges", type=int, default=20000)
    parser.add_argument("--send", type=int, default=10000, help="reminders to send at most")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--json", action="store_true", help="print the figures as one object")
    parser.add_argument(
        "--results", type=Path, default=RESULTS, help=f"where to write the figures ({RESULTS.name})"
    )
    return parser.parse_args(argv)


def _populate(count, now):
    """One renewable badge class and ``count`` issued badges expiring over the next 2 years.

    Inserted with ``INSERT … SELECT`` from MariaDB's sequence engine (``seq_1_to_N``): a
    million rows in seconds, where the ORM's bulk_create takes most of an hour here.
    """
    from django.db import connection  # noqa: PLC0415

    from credplugin.models import BadgeClass  # noqa: PLC0415

    badge_class = BadgeClass.objects.create(
        course_key="course-v1:bench+renewals+2026",
        catalog_course="bench+renewals",
        slug="renewable",
        name="Renewable bench badge",
        validity_months=24,
        renewal_window_days=90,
        renewal_grace_days=30,
    )
    start = now.replace(tzinfo=None)  # stored as naive UTC
    span = int(timedelta(days=730).total_seconds())
    expiry = f"DATE_ADD(%s, INTERVAL FLOOR({span} * (seq - 1) / {count}) SECOND)"
    statements = [
        (
            "INSERT INTO auth_user (id, password, is_superuser, username, first_name, "
            "last_name, email, is_staff, is_active, date_joined) "
            "SELECT seq, '!', 0, CONCAT('bench', seq), '', '', CONCAT('bench', seq, "
            f"'@example.org'), 0, 1, %s FROM seq_1_to_{count}",
            [start],
        ),
        (
            "INSERT INTO credplugin_issuancerequest (id, uuid, user_id, badge_class_id, "
            "generation, status, reason, attempts, claimed_by, created, updated) "
            "SELECT seq, REPLACE(UUID(), '-', ''), seq, %s, 1, 'issued', '', 1, '', %s, %s "
            f"FROM seq_1_to_{count}",
            [badge_class.pk, start, start],
        ),
        (
            "INSERT INTO credplugin_issuedbadge (uuid, request_id, user_id, badge_class_id, "
            "generation, credential, issued_at, valid_until, status, status_reason, "
            "reaward_blocked, status_list_sequence, status_list_index, hidden, show_name, "
            "version) "
            "SELECT REPLACE(UUID(), '-', ''), seq, seq, %s, 1, '{\"placeholder\": true}', "
            f"DATE_SUB({expiry}, INTERVAL 730 DAY), {expiry}, 'active', '', 0, "
            "1 + (seq - 1) DIV 131072, (seq - 1) MOD 131072, 0, 0, 1 "
            f"FROM seq_1_to_{count}",
            [badge_class.pk, start, start],
        ),
    ]
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
    return badge_class


def _explain(now):
    """The EXPLAIN rows of each offset's scan, and whether every one uses the expiry index."""
    from credplugin.renewing import reminders  # noqa: PLC0415

    plans, uses_index = {}, True
    offsets = reminders.offsets()
    for position, days in enumerate(offsets):
        nearer = offsets[position + 1] if position + 1 < len(offsets) else None
        plan = reminders._scan(days, nearer, now).values_list("pk", "version").explain()
        plans[str(days)] = plan.splitlines()
        badge_rows = [row.split() for row in plan.splitlines() if " credplugin_issuedbadge " in row]
        # EXPLAIN's columns: id, select_type, table, type, possible_keys, key, …
        uses_index = uses_index and all(row[5] == "credplugin_expiry" for row in badge_rows)
    return plans, uses_index


def run(args):
    host_dir = Path(tempfile.mkdtemp(prefix="credplugin-renewals-"))
    recreate_database(args.database_url)
    try:
        setup_django(host_dir, args.database_url)
        from django.conf import settings  # noqa: PLC0415
        from django.core import mail  # noqa: PLC0415
        from django.db import connection  # noqa: PLC0415
        from django.test.utils import CaptureQueriesContext  # noqa: PLC0415
        from django.utils import timezone  # noqa: PLC0415

        from credplugin.renewing import reminders  # noqa: PLC0415

        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        now = timezone.now()
        started = time.perf_counter()
        _populate(args.badges, now)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE TABLE credplugin_issuedbadge")
        populate_seconds = time.perf_counter() - started

        with CaptureQueriesContext(connection) as scan_queries:
            started = time.perf_counter()
            due = reminders.due(now)
            scan_seconds = time.perf_counter() - started
        plans, uses_index = _explain(now)

        mail.outbox = []
        with CaptureQueriesContext(connection) as send_queries:
            started = time.perf_counter()
            counts = reminders.send_due(now, limit=args.send)
            send_seconds = time.perf_counter() - started
        outbox = len(mail.outbox)
        again_started = time.perf_counter()
        again = reminders.send_due(now, limit=args.send)  # the next batch of the due ones
        return {
            "badges": args.badges,
            "populate_seconds": round(populate_seconds, 1),
            "due": len(due),
            "scan_seconds": round(scan_seconds, 3),
            "scan_queries": len(scan_queries),
            "scan_uses_expiry_index": uses_index,
            "explain": plans,
            "sent": counts["sent"],
            "send_seconds": round(send_seconds, 3),
            "send_queries": len(send_queries),
            "send_ms_per_reminder": round(1000 * send_seconds / max(counts["sent"], 1), 3),
            "messages_in_outbox": outbox,
            "next_send_sent": again["sent"],
            "next_send_seconds": round(time.perf_counter() - again_started, 3),
            "remaining_due": len(reminders.due(now)),
        }
    finally:
        if not args.keep:
            drop_database(args.database_url)
        shutil.rmtree(host_dir, ignore_errors=True)


def main(argv=None):
    args = _parse_args(argv)
    if args.badges < 1:
        raise SystemExit("--badges must be at least 1")
    figures = run(args)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(figures, indent=2) + "\n")
    if args.json:
        print(json.dumps(figures))
    else:
        for name, value in figures.items():
            if name != "explain":
                print(f"{name:24} {value}")
        for days, plan in figures["explain"].items():
            print(f"EXPLAIN of the {days}-day scan:", *plan, sep="\n  ")
    ok = figures["sent"] == figures["messages_in_outbox"] and figures["scan_uses_expiry_index"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
