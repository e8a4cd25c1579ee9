"""Handing out peer reviews at scale: a block with many submissions and many reviewers at once.

    .venv/bin/python bench/peer_queue.py [--learners 10000] [--reviewers 1000] [--threads 32] \\
        [--reviews-each 3] [--database-url mysql://…] [--json]

Puts ``--learners`` submissions (each needing three reviews) in one block's peer pool, then lets
``--reviewers`` of their authors ask for work and review it, ``--reviews-each`` times each,
from ``--threads`` threads at once (each thread its own database connection, as LMS workers
are): ``credplugin.api.peer_next`` (the fair hand-out: fewest reviews, oldest first, ``SELECT …
FOR UPDATE SKIP LOCKED``) and then ``peer_save_review``. The baseline, measured first in the same
run, is one reviewer asking alone; ``*_ratio`` is the concurrent p50 over the baseline p50.

MariaDB (``--database-url``, created and dropped) is the database this is about; SQLite (the
default, in a temporary directory) runs one thread, as it locks the whole file.
``exceeded`` counts submissions ever leased beyond their required count (must be 0) and
``repeat_reviews`` reviewers handed one submission twice (must be 0).

Figures go to ``bench/results/peer_queue.json``; p50 and p99 in milliseconds.
"""

import argparse
import statistics
import sys
import threading
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from bench.issue_steps import django_host, in_process_arguments  # noqa: E402
from bench.pipeline import measure  # noqa: E402

RESULTS = REPO_ROOT / "bench" / "results" / "peer_queue.json"
REQUIRED = 3
BASELINE_ROUNDS = 20
RUBRIC = {
    "criteria": [
        {
            "id": criterion,
            "name": criterion.title(),
            "levels": [{"id": "low", "points": 0}, {"id": "high", "points": 1}],
            "required_level": "high",
        }
        for criterion in ("quality", "clarity")
    ]
}
LEVELS = {"quality": "high", "clarity": "low"}


def _extra_arguments(argv):
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--reviewers", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=32)
    parser.add_argument("--reviews-each", type=int, default=REQUIRED)
    return parser.parse_known_args(argv)


def _percentiles(samples):
    ordered = sorted(samples)
    if not ordered:
        return {"p50": None, "p99": None}
    at = min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))
    return {"p50": round(1000 * statistics.median(ordered), 3), "p99": round(1000 * ordered[at], 3)}


def _fill_pool(learners, course_key, usage_key):
    """One submission per learner, oldest first, written in bulk."""
    from datetime import timedelta  # noqa: PLC0415

    from django.utils import timezone  # noqa: PLC0415

    from credplugin.models import PeerSubmission  # noqa: PLC0415

    start = timezone.now() - timedelta(days=1)
    PeerSubmission.objects.bulk_create(
        (
            PeerSubmission(
                submission_uuid=f"00000000-0000-4000-8000-{number:012d}",
                course_key=course_key,
                usage_key=usage_key,
                author_id=learner.id,
                rubric=RUBRIC,
                required_reviews=REQUIRED,
                created=start + timedelta(seconds=number),
            )
            for number, learner in enumerate(learners)
        ),
        batch_size=2000,
    )


def _review_once(api, where, reviewer_id, timings):
    """Ask for work and review it; ``where`` is (course key, usage key), ``timings`` the
    (hand-out, save) lists the durations go to."""
    course_key, usage_key = where
    hand_out, save = timings
    started = time.perf_counter()
    lease = api.peer_next(course_key=course_key, usage_key=usage_key, reviewer_id=reviewer_id)
    leased = time.perf_counter()
    hand_out.append(leased - started)
    if lease is None:
        return False
    api.peer_save_review(
        review_uuid=lease["review_uuid"], reviewer_id=reviewer_id, levels=LEVELS, feedback="Ok."
    )
    save.append(time.perf_counter() - leased)
    return True


def _concurrent(api, where, reviewer_ids, *, threads, rounds):
    """Every reviewer asks and reviews ``rounds`` times, spread over ``threads`` threads."""
    from django.db import connection  # noqa: PLC0415

    hand_out, save, errors = [], [], []
    start = threading.Barrier(threads)

    def worker(mine):
        try:
            start.wait()
            for _round in range(rounds):
                for reviewer_id in mine:
                    _review_once(api, where, reviewer_id, (hand_out, save))
        except Exception as error:  # noqa: BLE001  (reported in the figures)
            errors.append(repr(error))
        finally:
            connection.close()

    workers = [
        threading.Thread(target=worker, args=(reviewer_ids[index::threads],))
        for index in range(threads)
    ]
    started = time.perf_counter()
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    return hand_out, save, errors, time.perf_counter() - started


def run(args):
    with django_host("credplugin-peer-queue-", args.database_url):
        from django.db.models import Count, F  # noqa: PLC0415
        from opaque_keys.edx.keys import CourseKey  # noqa: PLC0415

        from credplugin import api  # noqa: PLC0415
        from credplugin.models import PeerReview, PeerSubmission  # noqa: PLC0415
        from tests.integration.scenario import create_learners  # noqa: PLC0415

        course = CourseKey.from_string("course-v1:bench+peer+run")
        where = (str(course), str(course.make_usage_key("credplugin_assessment", "p")))
        learners = create_learners(args.learners, "peer")
        _fill_pool(learners, *where)
        reviewers = [learner.id for learner in learners[: args.reviewers]]
        threads = max(1, min(args.threads if args.database_url else 1, len(reviewers)))

        base_hand_out, base_save = [], []
        for reviewer_id in reviewers[-1:] * BASELINE_ROUNDS:
            _review_once(api, where, reviewer_id, (base_hand_out, base_save))
        hand_out, save, errors, wall = _concurrent(
            api, where, reviewers[:-1] or reviewers, threads=threads, rounds=args.reviews_each
        )
        hand_out_ms, save_ms = _percentiles(hand_out), _percentiles(save)
        base_hand_out_ms, base_save_ms = _percentiles(base_hand_out), _percentiles(base_save)
        repeats = (
            PeerReview.objects.values("submission", "reviewer")
            .annotate(times=Count("id"))
            .filter(times__gt=1)
            .count()
        )
        return {
            "learners": len(learners),
            "reviewers": len(reviewers),
            "threads": threads,
            "database": "mariadb" if args.database_url else "sqlite",
            "reviews_saved": len(save) + len(base_save),
            "hand_out_ms": hand_out_ms,
            "save_ms": save_ms,
            "baseline_hand_out_ms": base_hand_out_ms,
            "baseline_save_ms": base_save_ms,
            "hand_out_ratio": round(hand_out_ms["p50"] / base_hand_out_ms["p50"], 2),
            "save_ratio": round(save_ms["p50"] / base_save_ms["p50"], 2),
            "reviews_per_second": round(len(save) / wall, 1),
            "exceeded": PeerSubmission.objects.filter(claimed__gt=F("required_reviews")).count(),
            "repeat_reviews": repeats,
            "errors": errors[:5],
        }


def main(argv=None):
    extra, rest = _extra_arguments(sys.argv[1:] if argv is None else argv)
    args = in_process_arguments(
        rest, description=__doc__.splitlines()[0], learners=10_000, results=RESULTS
    )
    args.reviewers, args.threads, args.reviews_each = (
        extra.reviewers,
        extra.threads,
        extra.reviews_each,
    )
    figures = measure(run, args)
    sound = not figures["exceeded"] and not figures["repeat_reviews"] and not figures["errors"]
    return 0 if sound else 1


if __name__ == "__main__":
    sys.exit(main())
