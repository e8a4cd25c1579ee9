"""Pathway badges through backfill, and a 50-badge learner record, in one process.

    .venv/bin/python bench/pathways.py [--learners 10000] [--database-url mysql://…] [--json]

Sets up three courses, each with one badge every learner passed (``tests/integration/
scenario.py``), and a pathway requiring the three badges, on SQLite in a temporary directory or
in the MariaDB database ``--database-url`` names (created and dropped). Then, with tasks run
eagerly in this process as ``credplugin_backfill`` runs them:

1. the baseline: backfills the first two courses — every learner gets two component badges
   and no pathway badge yet. ``component_cpu_ms_per_badge`` is this phase's CPU time per badge:
   the single-badge path, pathway look-ups included, measured in the same run;
2. the pathways: backfills the third course — each learner's third component completes the
   pathway, whose badge goes through the outbox and is issued right after.
   ``pathway_cpu_ms_per_badge`` is this phase's CPU time minus one component badge at the
   baseline cost, per pathway badge; ``pathway_badges_per_second`` is pathway badges over this
   phase's wall time (the third component badges included, as a learner would wait for them);
3. the record: builds and signs a ``ClrCredential`` of 50 of the stored badges (fewer in a run
   too small to have them: ``clr_badges``) — ``clr_build_sign_ms``, best of 5 — and verifies it
   with every badge inside (``clr_verify_ms``, once); then the same with the fast
   canonicalizer switched off (``clr_reference_*``, pyld alone), the baseline of the
   ``clr_*_speedup`` ratios. Both paths must sign the record with the same proof value.

Figures go to ``bench/results/pathways.json``; ``--json`` also prints them as one object.
"""

import sys
import time
from datetime import UTC, datetime
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from bench.issue_steps import django_host, in_process_arguments  # noqa: E402
from bench.pipeline import measure  # noqa: E402

RESULTS = REPO_ROOT / "bench" / "results" / "pathways.json"
RECORD_SIZE = 50
RECORD_VALID_FROM = datetime(2026, 1, 1, tzinfo=UTC)


def _courses(learners):
    """Three courses whose badge every learner passed, and their badge classes."""
    from credplugin.models import CoursePassingRecord  # noqa: PLC0415
    from tests.integration import scenario  # noqa: PLC0415

    courses = []
    for name in ("Data", "Models", "Ethics"):
        course_key = scenario.course_key_for(f"Pathway{name}")
        badge_class, usage_key, registered = scenario.register_course_badge(course_key)
        scenario.record_passing_results(learners, course_key, usage_key, registered["rubric_hash"])
        CoursePassingRecord.objects.bulk_create(
            [
                CoursePassingRecord(user_id=learner.id, course_key=course_key, is_passing=True)
                for learner in learners
            ],
            batch_size=scenario.BULK_SIZE,
        )
        courses.append((course_key, badge_class))
    return courses


def _backfill(course_keys):
    """``(cpu seconds, wall seconds)`` of backfilling the courses one after the other."""
    from credplugin.issuing import backfill  # noqa: PLC0415

    started_cpu, started = time.process_time(), time.perf_counter()
    for course_key in course_keys:
        backfill.backfill(course_key)
    return time.process_time() - started_cpu, time.perf_counter() - started


def _record_timings(badges):
    """``(best build-and-sign seconds of 5, verify seconds, verified)`` of one record."""
    from credplugin.issuer import identity, keys  # noqa: PLC0415
    from credplugin.issuing import issuance  # noqa: PLC0415
    from credplugin.openbadges.clr import build_clr, verify_clr  # noqa: PLC0415
    from credplugin.openbadges.proof import sign_credential  # noqa: PLC0415

    _row, signing_key = keys.active_signing_key(identity.issuer_did())
    credentials = [badge.credential for badge in badges]
    timings, signed = [], None
    for _attempt in range(5):
        started = time.perf_counter()
        signed = sign_credential(
            build_clr(
                id="urn:uuid:00000000-0000-4000-8000-000000000050",
                issuer=credentials[0]["issuer"],
                name="Learner record",
                credentials=credentials,
                identifiers=[credentials[0]["credentialSubject"]["identifier"][0]],
                valid_from=RECORD_VALID_FROM,
            ),
            signing_key,
            created=RECORD_VALID_FROM,
        )
        timings.append(time.perf_counter() - started)
    started = time.perf_counter()
    report = verify_clr(signed, resolve=issuance.resolve_for_verification)
    verify_seconds = time.perf_counter() - started
    return min(timings), verify_seconds, report.verified, signed["proof"]


def _record_figures(badges):
    """The record's figures on the fast canonicalizer, and on pyld alone as the baseline.

    Both paths must sign the record identically before their times are compared.
    """
    from credplugin.openbadges import canonical  # noqa: PLC0415

    build_sign, verify_seconds, verified, fast_proof = _record_timings(badges)
    canonical.use_fast_path(lambda: False)
    try:
        reference_sign, reference_verify, reference_verified, reference_proof = _record_timings(
            badges
        )
    finally:
        canonical.use_fast_path(lambda: True)
    return {
        "clr_build_sign_ms": round(1000 * build_sign, 1),
        "clr_verify_ms": round(1000 * verify_seconds, 1),
        "clr_verified": verified and reference_verified and fast_proof == reference_proof,
        "clr_reference_build_sign_ms": round(1000 * reference_sign, 1),
        "clr_reference_verify_ms": round(1000 * reference_verify, 1),
        "clr_build_sign_speedup": round(reference_sign / build_sign, 1),
        "clr_verify_speedup": round(reference_verify / verify_seconds, 1),
    }


def run(args):
    with django_host("credplugin-pathways-", args.database_url):
        from django.core.management import call_command  # noqa: PLC0415

        from credplugin.models import IssuedBadge  # noqa: PLC0415
        from credplugin.stacking import pathways  # noqa: PLC0415
        from tests.factories import BadgeClassFactory  # noqa: PLC0415
        from tests.integration.scenario import create_learners  # noqa: PLC0415

        learners = create_learners(args.learners, "pathway")
        courses = _courses(learners)
        call_command("credplugin_keys", "generate", verbosity=0)
        pathway_class = BadgeClassFactory(
            course_key=courses[0][0], slug="ai-champion", name="AI Champion", alignments=[]
        )
        pathways.save_pathway(badge_class=pathway_class, components=[bc.uuid for _c, bc in courses])
        baseline_cpu, _wall = _backfill([course_key for course_key, _bc in courses[:2]])
        components = IssuedBadge.objects.exclude(badge_class=pathway_class).count()
        component_cpu = baseline_cpu / max(components, 1)
        pathway_cpu, pathway_wall = _backfill([courses[2][0]])
        awarded = IssuedBadge.objects.filter(badge_class=pathway_class).count()
        per_pathway = max(awarded, 1)
        record = _record_figures(list(IssuedBadge.objects.order_by("id")[:RECORD_SIZE]))
        return {
            "learners": len(learners),
            "database": "mariadb" if args.database_url else "sqlite",
            "component_badges": IssuedBadge.objects.exclude(badge_class=pathway_class).count(),
            "pathway_badges": awarded,
            "component_cpu_ms_per_badge": round(1000 * component_cpu, 3),
            "pathway_cpu_ms_per_badge": round(
                1000 * (pathway_cpu - awarded * component_cpu) / per_pathway, 3
            ),
            "pathway_phase_cpu_ms_per_learner": round(1000 * pathway_cpu / per_pathway, 3),
            "pathway_badges_per_second": round(awarded / pathway_wall, 1),
            "clr_badges": min(RECORD_SIZE, IssuedBadge.objects.count()),
            **record,
        }


def main(argv=None):
    args = in_process_arguments(
        argv, description=__doc__.splitlines()[0], learners=10_000, results=RESULTS
    )
    figures = measure(run, args)
    complete = figures["pathway_badges"] == figures["learners"]
    return 0 if complete and figures["clr_verified"] else 1


if __name__ == "__main__":
    sys.exit(main())
