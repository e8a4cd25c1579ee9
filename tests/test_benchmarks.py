"""The issuing benchmarks still run, end to end, at a size a test can afford.

Each runs as its own process, as ``make bench`` runs it, with its figures written to a
temporary file instead of ``bench/results/``. Only that the run completes and reports
consistent figures is checked; the figures themselves are for people (bench/README.md).
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pytest
from django.conf import settings

from tests.services import require_service

REPO_ROOT = Path(__file__).resolve().parents[1]
TIMEOUT_SECONDS = 300


def run_bench(script, *args):
    """``python bench/<script> … --json``; returns the printed figures."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CREDPLUGIN_", "DJANGO_SETTINGS_MODULE"))
    }
    done = subprocess.run(
        [sys.executable, f"bench/{script}", *args, "--json"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )
    assert done.returncode == 0, f"{script} exited {done.returncode}:\n{done.stderr[-4000:]}"
    return json.loads(done.stdout.strip().splitlines()[-1])


def own_mariadb(suffix, why_needed):
    """A database of this test run's name plus ``suffix`` on its MariaDB server; skips the
    test (saying ``why_needed``) without one."""
    database_url = os.environ.get("CREDPLUGIN_DATABASE_URL") or ""
    if not database_url.startswith("mysql://"):
        pytest.skip(f"{why_needed} (CREDPLUGIN_DATABASE_URL=mysql://…)")
    require_service("MariaDB", database_url, 3306)
    name = f"{settings.DATABASES['default']['NAME']}_{suffix}"
    return urlunparse(urlparse(database_url)._replace(path=f"/{name}"))


def test_issue_steps_reports_every_step_of_every_badge(tmp_path):
    results = tmp_path / "issue_steps.json"
    figures = run_bench("issue_steps.py", "--learners", "30", "--results", str(results))
    assert figures == json.loads(results.read_text())
    assert figures["badges_issued"] == figures["learners"] == 30
    steps = figures["steps_cpu_ms_per_badge"]
    assert set(steps) == {
        "evaluate",
        "prepare",
        "compose",
        "sign",
        "verify",
        "store",
        "announce",
        "email",
    }
    assert all(value > 0 for value in steps.values())
    assert steps["prepare"] >= steps["sign"] and figures["total_cpu_ms_per_badge"] > 0
    assert figures["write_statements_per_badge"] > 0 and figures["read_statements_per_badge"] > 0


def test_the_pathways_bench_awards_one_pathway_badge_per_learner(tmp_path):
    results = tmp_path / "pathways.json"
    figures = run_bench("pathways.py", "--learners", "5", "--results", str(results))
    assert figures == json.loads(results.read_text())
    assert figures["pathway_badges"] == figures["learners"] == 5
    assert figures["component_badges"] == 15 and figures["clr_badges"] == 20
    assert figures["clr_verified"] is True
    assert figures["component_cpu_ms_per_badge"] > 0 and figures["pathway_badges_per_second"] > 0


@pytest.mark.integration
def test_the_pipeline_bench_issues_one_verifying_badge_per_learner(tmp_path):
    own_database = own_mariadb("bench", "the pipeline bench needs MariaDB")
    assert shutil.which("redis-server"), "redis-server is not on the PATH"
    results = tmp_path / "pipeline.json"
    figures = run_bench(
        "pipeline.py",
        "--learners",
        "60",
        "--verify-sample",
        "0",
        "--database-url",
        own_database,
        "--results",
        str(results),
    )
    assert figures == json.loads(results.read_text())
    assert figures["badges_issued"] == figures["learners"] == figures["verified"] == 60
    assert figures["duplicates"] == 0 and figures["verify_failures"] == 0
    assert figures["stalled"] is None
    assert figures["worker_cpu_ms_per_badge"] > 0 and figures["sender_cpu_ms_per_event"] > 0
    assert figures["cpu_ms_per_badge_ours"] >= figures["worker_cpu_ms_per_badge"]


@pytest.mark.integration
def test_the_renewals_bench_scans_through_the_expiry_index_and_sends_once(tmp_path):
    own_database = own_mariadb("renewals", "the renewals bench needs MariaDB")
    results = tmp_path / "renewals.json"
    figures = run_bench(
        "renewals.py",
        "--badges",
        "2000",
        "--send",
        "20",
        "--database-url",
        own_database,
        "--results",
        str(results),
    )
    assert figures == json.loads(results.read_text())
    assert figures["scan_uses_expiry_index"] is True
    # 2,000 expiries over two years: about 8 in each offset's three days, and one today.
    assert 20 <= figures["due"] <= 35
    assert figures["sent"] == figures["messages_in_outbox"] == 20
    assert figures["next_send_sent"] == figures["due"] - 20
    assert figures["remaining_due"] == 0
    assert figures["send_queries"] < 25


def test_the_peer_queue_bench_hands_out_reviews_without_exceeding_or_repeating(tmp_path):
    results = tmp_path / "peer_queue.json"
    figures = run_bench(
        "peer_queue.py", "--learners", "40", "--reviewers", "10", "--results", str(results)
    )
    assert figures == json.loads(results.read_text())
    assert figures["database"] == "sqlite" and figures["threads"] == 1
    # 9 reviewers x 3 rounds, plus the baseline reviewer's 20 reviews.
    assert figures["reviews_saved"] == 9 * 3 + 20
    assert figures["exceeded"] == figures["repeat_reviews"] == 0 and figures["errors"] == []
    assert figures["hand_out_ms"]["p99"] >= figures["hand_out_ms"]["p50"] > 0
    assert figures["save_ratio"] > 0 and figures["hand_out_ratio"] > 0


def test_the_outcomes_bench_times_every_page(tmp_path):
    figures = run_bench(
        "outcomes.py",
        *("--learners", "60", "--badge-classes", "6", "--page-view-rows", "60", "--repeat", "2"),
        *("--results", str(tmp_path / "outcomes.json")),
    )
    assert figures["badges"] == 60 and figures["database"] == "sqlite"
    assert figures["survey_answers"] == 180
    for page in (
        "dashboard_live",
        "dashboard",
        "dashboard_first_visit",
        "public_page",
        "statement",
    ):
        assert figures[page]["samples"] > 0 and figures[page]["p50_ms"] > 0, page
    assert figures["roll_up_days_written"] > 0 and figures["snapshots_kept"] > 0
    for cost in ("roll_up_first_ms_per_class", "keep_quarters_ms_per_class"):
        assert figures[cost]["samples"] > 0, cost


@pytest.mark.integration
def test_the_outcomes_bench_seeds_mariadb_with_something_for_every_figure(tmp_path):
    own_database = own_mariadb("outcomes", "the SQL seeding needs MariaDB")
    figures = run_bench(
        "outcomes.py",
        *("--learners", "4000", "--badge-classes", "4", "--page-view-rows", "400"),
        *("--repeat", "1", "--database-url", own_database),
        *("--results", str(tmp_path / "outcomes.json")),
    )
    assert figures["database"] == "mariadb" and figures["badges"] == 4000
    assert figures["survey_answers"] == 12000 and figures["page_view_rows"] == 400
    # 1,000 badges in the class: revocations, lapses, revisions, every answer appear.
    assert figures["figures_without_data"] == []
    assert figures["dashboard"]["p50_ms"] > 0 and figures["public_page"]["p50_ms"] > 0
