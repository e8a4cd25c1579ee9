"""Response times of the outcome pages over a large synthetic history, on MariaDB.

    .venv/bin/python bench/outcomes.py --badges 1000000 --badge-classes 1000 \\
        [--answers-per-badge 3] [--page-view-rows 5000000] [--repeat 20] [--json] \\
        [--database-url mysql://root@127.0.0.1:3306/credplugin_bench_outcomes]

Creates (and drops at the end) its own database, writes the rows with bulk inserts (learners,
judged attempts, issued badges spread over the last two years and over ``--badge-classes``
badge classes in as many course runs, survey invitations and answers, daily page-view counters),
then drives, through Django's full request stack with the test client:

- ``dashboard``: five course runs' staff dashboards (a year of figures, live), ``--repeat``
  times each after a first visit (``dashboard_first_visit``, which also keeps the badge's final
  quarters);
- ``public_page`` and ``statement``: a published badge's outcome page and signed statement,
  after the first request kept its final quarters (``first_public_page`` is that first request);
- ``roll_up_ms_per_award``: the time of that first roll-up per award it summarised.

Credentials are stored as ``{}``: no figure reads them. Figures go to
``bench/results/outcomes.json``; p50 and p99 in milliseconds.
"""

import argparse
import json
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
RESULTS = REPO_ROOT / "bench" / "results" / "outcomes.json"
BATCH = 5000


def _parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--badges", type=int, default=1_000_000)
    parser.add_argument("--badge-classes", type=int, default=1000)
    parser.add_argument("--answers-per-badge", type=int, default=3)
    parser.add_argument("--page-view-rows", type=int, default=5_000_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument(
        "--database-url", default="mysql://root@127.0.0.1:3306/credplugin_bench_outcomes"
    )
    parser.add_argument("--results", default=str(RESULTS))
    parser.add_argument("--json", action="store_true")
    return parser.parse_args(argv)


def _configure_django(database_url, host_dir):
    sys.path.insert(0, str(REPO_ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.host.settings"
    os.environ["CREDPLUGIN_HOST_DIR"] = host_dir
    os.environ["CREDPLUGIN_HOST_SETTINGS_TYPE"] = "test"
    os.environ["CREDPLUGIN_DATABASE_URL"] = database_url
    import django  # noqa: PLC0415

    django.setup()


def _fresh_database():
    import MySQLdb  # noqa: PLC0415
    from django.db import connection  # noqa: PLC0415

    settings = connection.settings_dict
    server = MySQLdb.connect(
        host=settings["HOST"], user=settings["USER"], port=int(settings["PORT"] or 3306)
    )
    server.cursor().execute(f"DROP DATABASE IF EXISTS `{settings['NAME']}`")
    server.cursor().execute(f"CREATE DATABASE `{settings['NAME']}` CHARACTER SET utf8mb4")
    server.close()
    from django.core.management import call_command  # noqa: PLC0415

    call_command("migrate", run_syncdb=True, verbosity=0)
    call_command("credplugin_keys", "generate", verbosity=0)
    return settings["NAME"]


def _drop_database(name):
    from django.db import connection  # noqa: PLC0415

    connection.cursor().execute(f"DROP DATABASE IF EXISTS `{name}`")


def _in_batches(model, rows):
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            model.objects.bulk_create(batch)
            batch = []
    if batch:
        model.objects.bulk_create(batch)


def _populate(args):
    """Write the synthetic history; returns the badge classes."""
    from django.contrib.auth import get_user_model  # noqa: PLC0415
    from django.utils import timezone  # noqa: PLC0415
    from opaque_keys.edx.keys import CourseKey  # noqa: PLC0415

    from credplugin import models  # noqa: PLC0415
    from tests.factories import criterion_levels, rubric_definition  # noqa: PLC0415

    user_model = get_user_model()
    now = timezone.now()
    rubric = models.RubricSnapshot.objects.create(
        content_hash="bench", definition=rubric_definition()
    )
    classes, requirements = [], []
    for number in range(args.badge_classes):
        course = CourseKey.from_string(f"course-v1:bench+c{number}+run")
        badge_class = models.BadgeClass.objects.create(
            course_key=course,
            catalog_course=f"bench+c{number}",
            slug="badge",
            name=f"Badge {number}",
        )
        classes.append(badge_class)
        requirements.append(
            models.BadgeRequirement.objects.create(
                badge_class=badge_class,
                usage_key=course.make_usage_key("credplugin_assessment", "project"),
                rubric=rubric,
            )
        )
    _in_batches(
        user_model,
        (user_model(username=f"b{n}", email=f"b{n}@bench.invalid") for n in range(args.badges)),
    )
    first_user = user_model.objects.order_by("id").values_list("id", flat=True).first()
    levels = criterion_levels()
    span = timedelta(days=730)

    def moment(n):
        return now - span + span * (n / args.badges)

    _in_batches(
        models.AssessmentResult,
        (
            models.AssessmentResult(
                user_id=first_user + n,
                course_key=classes[n % args.badge_classes].course_key,
                usage_key=requirements[n % args.badge_classes].usage_key,
                rubric=rubric,
                criterion_levels=levels,
                scores={"ethics_scenarios": (n % 10) / 10},
                passed=True,
                created=moment(n) - timedelta(days=n % 20),
            )
            for n in range(args.badges)
        ),
    )
    _in_batches(
        models.IssuanceRequest,
        (
            models.IssuanceRequest(
                user_id=first_user + n,
                badge_class=classes[n % args.badge_classes],
                status="issued",
                status_list_sequence=1 + n // 100000,
                status_list_index=n % 100000,
            )
            for n in range(args.badges)
        ),
    )
    first_request = (
        models.IssuanceRequest.objects.order_by("id").values_list("id", flat=True).first()
    )
    _in_batches(
        models.IssuedBadge,
        (
            models.IssuedBadge(
                request_id=first_request + n,
                user_id=first_user + n,
                badge_class=classes[n % args.badge_classes],
                credential={},
                issued_at=moment(n),
                status_list_sequence=1 + n // 100000,
                status_list_index=n % 100000,
            )
            for n in range(args.badges)
        ),
    )
    first_badge = models.IssuedBadge.objects.order_by("id").values_list("id", flat=True).first()
    offsets = (30, 90, 180)[: args.answers_per_badge]
    _in_batches(
        models.SurveyInvitation,
        (
            models.SurveyInvitation(
                badge_id=first_badge + n, offset_days=offset, token=f"t{n}-{offset}", status="sent"
            )
            for n in range(args.badges)
            for offset in offsets
        ),
    )
    first_invitation = (
        models.SurveyInvitation.objects.order_by("id").values_list("id", flat=True).first()
    )
    answered_at = now - timedelta(days=1)
    _in_batches(
        models.SurveyResponse,
        (
            models.SurveyResponse(
                invitation_id=first_invitation + n,
                job_change=("none", "new_role", "new_employer")[n % 3],
                promotion=n % 4 == 0,
                pay_change=("same", "up_to_10", "")[n % 3],
                applies_competencies=n % 5,
                consent=n % 10 != 0,
                submitted_at=answered_at,
                updated_at=answered_at,
            )
            for n in range(args.badges * len(offsets))
        ),
    )
    days = max(1, args.page_view_rows // args.badge_classes)
    _in_batches(
        models.OutcomeCounter,
        (
            models.OutcomeCounter(
                badge_class=badge_class,
                day=(now - timedelta(days=day)).date(),
                kind="page_view",
                count=7,
            )
            for badge_class in classes
            for day in range(days)
        ),
    )
    return classes


def _timed(client, url, repeat):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"GET {url} answered {response.status_code}")
    return times


def _summary(times):
    ordered = sorted(times)
    return {
        "p50_ms": round(statistics.median(ordered), 1),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))], 1),
        "samples": len(ordered),
    }


def _measure(args, classes):
    from django.test import Client  # noqa: PLC0415
    from django.urls import reverse  # noqa: PLC0415

    from credplugin.models import IssuedBadge, OutcomePlan, OutcomeSnapshot  # noqa: PLC0415
    from tests.factories import UserFactory  # noqa: PLC0415

    staff = Client()
    staff.force_login(UserFactory(username="bench-staff", is_staff=True))
    dashboard, dashboard_first = [], []
    for badge_class in classes[:: max(1, len(classes) // 5)][:5]:
        url = reverse("credplugin:outcomes-dashboard", args=[str(badge_class.course_key)])
        first, *warm = _timed(staff, url, args.repeat + 1)
        dashboard_first.append(first)
        dashboard += warm
    published = classes[-1]  # not among the dashboards above: its first page rolls up
    OutcomePlan.objects.create(badge_class=published, published=True)
    anonymous = Client()
    page = reverse("credplugin:outcomes-page", args=[published.uuid])
    statement = reverse("credplugin:outcomes-statement", args=[published.uuid])
    started = time.perf_counter()
    anonymous.get(page)
    first_ms = (time.perf_counter() - started) * 1000
    awards = IssuedBadge.objects.filter(badge_class=published).count()
    kept = OutcomeSnapshot.objects.count()
    return {
        "badges": args.badges,
        "badge_classes": args.badge_classes,
        "badges_per_class": args.badges // args.badge_classes,
        "survey_answers": args.badges * min(3, args.answers_per_badge),
        "page_view_rows": args.badge_classes * max(1, args.page_view_rows // args.badge_classes),
        "dashboard": _summary(dashboard),
        "dashboard_first_visit": _summary(dashboard_first),
        "first_public_page_ms": round(first_ms, 1),
        "roll_up_ms_per_award": round(first_ms / max(1, awards), 3),
        "snapshots_kept": kept,
        "public_page": _summary(_timed(anonymous, page, args.repeat)),
        "statement": _summary(_timed(anonymous, statement, args.repeat)),
    }


def main(argv=None):
    import tempfile  # noqa: PLC0415

    args = _parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="credplugin-bench-outcomes-") as host_dir:
        _configure_django(args.database_url, host_dir)
        name = _fresh_database()
        try:
            started = time.perf_counter()
            classes = _populate(args)
            populate_seconds = time.perf_counter() - started
            figures = {**_measure(args, classes), "populate_seconds": round(populate_seconds, 1)}
        finally:
            _drop_database(name)
    Path(args.results).parent.mkdir(parents=True, exist_ok=True)
    Path(args.results).write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures if args.json else figures, indent=None if args.json else 2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
