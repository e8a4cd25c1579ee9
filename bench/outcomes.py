"""Response times of the outcome pages over a large synthetic history, and roll-up costs.

    .venv/bin/python bench/outcomes.py --learners 1000000 --badge-classes 1000 \\
        [--answers-per-badge 3] [--page-view-rows 5000000] [--repeat 20] [--json] \\
        [--database-url mysql://root@127.0.0.1:3306/credplugin_bench_outcomes [--reuse-seeded]]

One badge per learner. On SQLite in a temporary directory, or in the MariaDB database
``--database-url`` names (created and dropped at the end; with ``--reuse-seeded`` kept, and a
history of the same size already there measured again without seeding), writes learners,
judged attempts, issued badges spread over the last two years and over ``--badge-classes``
badge classes in as many course runs, survey invitations and answers, and daily page-view
counters: on MariaDB with ``INSERT … SELECT`` statements the server runs
(``bench/outcome_rows.py``, which also varies attempts, levels, statuses and answers), on
SQLite (or with ``--orm-rows``) with bulk ORM inserts. Then, through Django's full request
stack with the test client and as the beat task would:

- ``dashboard_live`` / ``dashboard_live_first_visit``: five course runs' staff dashboards (a
  year of figures) before any roll-up, ``--repeat`` times each after a first visit (which also
  keeps the badge's final quarters);
- ``roll_up_first_ms_per_class``, ``roll_up_unchanged_ms_per_class``,
  ``roll_up_incremental_ms_per_new_award``: rolling up five other runs, the published class
  and the first class, once, again unchanged, and the first class after 100 new awards;
- ``keep_quarters_ms_per_class`` (and ``_unchanged_``): keeping their final quarters;
- ``dashboard`` / ``dashboard_first_visit``: the rolled-up runs' dashboards;
- ``first_public_page_ms``, ``public_page`` and ``statement``: a published badge's outcome
  page and signed statement.

Only the measured classes are rolled up: a class's roll-up reads its own rows alone.
Credentials are stored as ``{}``: no figure reads them. Figures go to
``bench/results/outcomes.json``; p50 and p99 in milliseconds.
"""

import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from bench import outcome_rows  # noqa: E402
from bench.issue_steps import in_process_arguments, setup_django  # noqa: E402
from bench.pipeline import create_database, drop_database, measure, recreate_database  # noqa: E402

RESULTS = REPO_ROOT / "bench" / "results" / "outcomes.json"
BATCH = 5000
NEW_AWARDS = 100


def _bench_options(parser):
    parser.add_argument("--badge-classes", type=int, default=1000)
    parser.add_argument("--answers-per-badge", type=int, default=3)
    parser.add_argument("--page-view-rows", type=int, default=5_000_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument(
        "--reuse-seeded",
        action="store_true",
        help="keep the MariaDB database at the end; if it already holds this history, "
        "measure it again without seeding (what a run adds is removed first)",
    )
    parser.add_argument(
        "--orm-rows",
        action="store_true",
        help="on MariaDB too, write the rows with bulk ORM inserts instead of INSERT … SELECT",
    )


def _in_batches(model, rows):
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            model.objects.bulk_create(batch)
            batch = []
    if batch:
        model.objects.bulk_create(batch)


def _populate_results(args, requirements, first_user, moment):
    """One passed judgement per learner, up to twenty days before their award."""
    from credplugin import models  # noqa: PLC0415
    from tests.factories import criterion_levels  # noqa: PLC0415

    levels = criterion_levels()
    _in_batches(
        models.AssessmentResult,
        (
            models.AssessmentResult(
                user_id=first_user + n,
                course_key=requirements[n % args.badge_classes].badge_class.course_key,
                usage_key=requirements[n % args.badge_classes].usage_key,
                rubric=requirements[n % args.badge_classes].rubric,
                criterion_levels=levels,
                scores={"ethics_scenarios": (n % 10) / 10},
                passed=True,
                created=moment(n) - timedelta(days=n % 20),
            )
            for n in range(args.learners)
        ),
    )


def _populate(args):
    """Write the synthetic history; returns the badge classes."""
    from django.contrib.auth import get_user_model  # noqa: PLC0415
    from django.db import connection  # noqa: PLC0415
    from django.utils import timezone  # noqa: PLC0415
    from opaque_keys.edx.keys import CourseKey  # noqa: PLC0415

    from credplugin import models  # noqa: PLC0415
    from tests.factories import rubric_definition  # noqa: PLC0415

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
    if connection.vendor == "mysql" and not args.orm_rows:
        outcome_rows.write(args, classes, requirements[0], now)
        return classes
    _in_batches(
        user_model,
        (user_model(username=f"b{n}", email=f"b{n}@bench.invalid") for n in range(args.learners)),
    )
    first_user = user_model.objects.order_by("id").values_list("id", flat=True).first()
    span = timedelta(days=730)

    def moment(n):
        return now - span + span * (n / args.learners)

    # ``created`` is stamped on insert (auto_now_add); the history needs its own moments.
    created = models.AssessmentResult._meta.get_field("created")
    created.auto_now_add = False
    try:
        _populate_results(args, requirements, first_user, moment)
    finally:
        created.auto_now_add = True
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
            for n in range(args.learners)
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
            for n in range(args.learners)
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
            for n in range(args.learners)
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
            for n in range(args.learners * len(offsets))
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


def _progress(step, figures):
    """Figures as they are measured, on stderr: a long run shows what it has so far."""
    print(f"{step}: {figures}", file=sys.stderr, flush=True)


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


def _dashboards(staff, badge_classes, repeat):
    """First visit and warm visits of each badge class's course run dashboard."""
    from django.urls import reverse  # noqa: PLC0415

    first_visits, warm = [], []
    for badge_class in badge_classes:
        url = reverse("credplugin:outcomes-dashboard", args=[str(badge_class.course_key)])
        first, *again = _timed(staff, url, repeat + 1)
        first_visits.append(first)
        warm += again
    return {"first": first_visits, "warm": warm}


def _new_awards(badge_class, count):
    """``count`` learners judged and awarded now in ``badge_class``, as the day goes on."""
    from django.contrib.auth import get_user_model  # noqa: PLC0415
    from django.utils import timezone  # noqa: PLC0415

    from credplugin import models  # noqa: PLC0415

    user_model = get_user_model()
    requirement = models.BadgeRequirement.objects.get(badge_class=badge_class)
    now = timezone.now()
    for n in range(count):
        user = user_model.objects.create(username=f"new{n}", email=f"new{n}@bench.invalid")
        models.AssessmentResult.objects.create(
            user=user,
            course_key=badge_class.course_key,
            usage_key=requirement.usage_key,
            rubric=requirement.rubric,
            passed=True,
            created=now,
        )
        request = models.IssuanceRequest.objects.create(
            user=user,
            badge_class=badge_class,
            status="issued",
            status_list_sequence=999,
            status_list_index=n,
        )
        models.IssuedBadge.objects.create(
            request=request,
            user=user,
            badge_class=badge_class,
            credential={},
            issued_at=now,
            status_list_sequence=999,
            status_list_index=n,
        )
    return count


def _refreshed(badge_classes):
    """Roll up ``badge_classes`` as the beat task does, one at a time; returns the seconds
    each took and how many days they wrote."""
    from django.utils import timezone  # noqa: PLC0415

    from credplugin.outcomes import rollups  # noqa: PLC0415

    seconds, days = [], 0
    for badge_class in badge_classes:
        started = time.perf_counter()
        days += rollups.refresh_badge_class(badge_class.pk, timezone.now())
        seconds.append(time.perf_counter() - started)
    return seconds, days


def _quarters_kept(badge_classes):
    """Keep the final quarters of ``badge_classes``' achievements as the beat task does, one
    at a time; returns the seconds each took and how many quarters' sections they kept."""
    from credplugin.outcomes import statements  # noqa: PLC0415
    from credplugin.outcomes.figures import Scope  # noqa: PLC0415

    seconds, kept = [], 0
    for badge_class in badge_classes:
        started = time.perf_counter()
        kept += statements.roll_up(Scope.achievement(badge_class.achievement_uuid))
        seconds.append(time.perf_counter() - started)
    return seconds, kept


def _measure(args, classes):
    from django.test import Client  # noqa: PLC0415
    from django.urls import reverse  # noqa: PLC0415

    from credplugin.models import OutcomePlan  # noqa: PLC0415
    from tests.factories import UserFactory  # noqa: PLC0415

    staff = Client()
    staff.force_login(UserFactory(username="bench-staff", is_staff=True))
    sampled = classes[:-2][:: max(1, len(classes) // 5)][:5]
    before = _dashboards(staff, sampled, args.repeat)
    _progress("live dashboards", {name: _summary(times) for name, times in before.items()})
    # Other runs than before, so that the first visits keep their quarters as before did; the
    # published class too, and the class that gets new awards. Only these are rolled up: the
    # beat task rolls up every class alike, one at a time.
    rolled_up = [classes[classes.index(c) + 1] for c in sampled]
    published = classes[-1]  # not among the dashboards above
    first_refresh, days_written = _refreshed([*rolled_up, published, classes[0]])
    _progress("first roll-up per class", _summary([1000 * s for s in first_refresh]))
    keeping, kept = _quarters_kept([*rolled_up, published])
    keeping_unchanged, _ = _quarters_kept([*rolled_up, published])
    unchanged_refresh, _ = _refreshed([*rolled_up, published])
    new_awards = _new_awards(classes[0], NEW_AWARDS)
    (incremental_refresh,), _ = _refreshed([classes[0]])
    after = _dashboards(staff, rolled_up, args.repeat)
    OutcomePlan.objects.create(badge_class=published, published=True)
    anonymous = Client()
    page = reverse("credplugin:outcomes-page", args=[published.uuid])
    statement = reverse("credplugin:outcomes-statement", args=[published.uuid])
    started = time.perf_counter()
    anonymous.get(page)
    first_ms = (time.perf_counter() - started) * 1000
    return {
        "badges": args.learners,
        "figures_without_data": outcome_rows.figures_without_data(classes[0]),
        "badge_classes": args.badge_classes,
        "badges_per_class": args.learners // args.badge_classes,
        "survey_answers": args.learners * min(3, args.answers_per_badge),
        "page_view_rows": args.badge_classes * max(1, args.page_view_rows // args.badge_classes),
        "dashboard_live": _summary(before["warm"]),
        "dashboard_live_first_visit": _summary(before["first"]),
        "dashboard": _summary(after["warm"]),
        "dashboard_first_visit": _summary(after["first"]),
        "roll_up_days_written": days_written,
        "roll_up_first_ms_per_class": _summary([1000 * s for s in first_refresh]),
        "roll_up_unchanged_ms_per_class": _summary([1000 * s for s in unchanged_refresh]),
        "roll_up_incremental_ms_per_new_award": round(
            1000 * incremental_refresh / max(1, new_awards), 1
        ),
        "keep_quarters_ms_per_class": _summary([1000 * s for s in keeping]),
        "keep_quarters_unchanged_ms_per_class": _summary([1000 * s for s in keeping_unchanged]),
        "snapshots_kept": kept,
        "first_public_page_ms": round(first_ms, 1),
        "public_page": _summary(_timed(anonymous, page, args.repeat)),
        "statement": _summary(_timed(anonymous, statement, args.repeat)),
    }


def _seeded_classes(args):
    """The badge classes of a history seeded by an earlier ``--reuse-seeded`` run of this
    size, with what that run's measuring added removed; None when there is none."""
    from django.contrib.auth import get_user_model  # noqa: PLC0415

    from credplugin import models  # noqa: PLC0415

    classes = list(models.BadgeClass.objects.order_by("pk"))
    seeded = models.IssuedBadge.objects.filter(user__username__startswith="b").count()
    if len(classes) != args.badge_classes or seeded != args.learners:
        return None
    models.OutcomeSnapshot.objects.all().delete()
    models.OutcomePlan.objects.all().delete()
    models.OutcomeRollUp.objects.all().delete()
    models.OutcomeDay.objects.all().delete()
    get_user_model().objects.filter(username="bench-staff").delete()
    new_learners = get_user_model().objects.filter(username__startswith="new")
    models.IssuedBadge.objects.filter(user__in=new_learners).delete()
    models.IssuanceRequest.objects.filter(user__in=new_learners).delete()
    models.AssessmentResult.objects.filter(user__in=new_learners).delete()
    new_learners.delete()
    return classes


def run(args):
    host_dir = Path(tempfile.mkdtemp(prefix="credplugin-bench-outcomes-"))
    reuse = args.reuse_seeded and args.database_url
    if args.database_url and not reuse:
        recreate_database(args.database_url)
    elif reuse:
        create_database(args.database_url)
    try:
        setup_django(host_dir, args.database_url)
        from django.core.management import call_command  # noqa: PLC0415

        started = time.perf_counter()
        classes = _seeded_classes(args) if reuse else None
        if classes is None:
            if reuse:
                from django.db import connection  # noqa: PLC0415

                connection.close()
                recreate_database(args.database_url)
                call_command("migrate", verbosity=0, interactive=False)
            classes = _populate(args)
        populate_seconds = time.perf_counter() - started
        # Rotate: a reused database keeps an earlier run's key, sealed for that run's host.
        call_command("credplugin_keys", "rotate", verbosity=0)
        return {
            "database": "mariadb" if args.database_url else "sqlite",
            **_measure(args, classes),
            "populate_seconds": round(populate_seconds, 1),
        }
    finally:
        if args.database_url and not reuse:
            drop_database(args.database_url)
        shutil.rmtree(host_dir, ignore_errors=True)


def main(argv=None):
    args = in_process_arguments(
        argv,
        description=__doc__.splitlines()[0],
        learners=1_000_000,
        results=RESULTS,
        add_options=_bench_options,
    )
    measure(run, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
