"""The documents stay true to the tree: every system check and every benchmark is described,
and nothing points at tracker numbers a reader of the repository cannot open."""

import re

import pytest

from credplugin.settings.common import BEAT_ENTRIES
from tests.workers import REPO_ROOT

CHECK_ID = re.compile(r'id="(credplugin\.[EW]\d{3})"')
# Our own tracker's numbers (the word issue, then a number); public ones (owner/repo#582) are fine.
TRACKER_NUMBER = re.compile(r"\bissues? #?\d+\b", re.IGNORECASE)
PROSE_ROOTS = ["credplugin", "xblocks", "tests", "bench", "docs", "tutor"]
PROSE_SUFFIXES = {".py", ".md", ".html", ".js", ".txt", ".in", ".ini"}
# The keys of the Tutor plugin's PERIODIC_JOBS, one a line.
TUTOR_JOB = re.compile(r'^    "([a-z-]+)": \($', re.MULTILINE)
CRON_LINE_JOB = re.compile(r"^ *(?:\S+ ){5}tutor local do ([a-z-]+) ", re.MULTILINE)


def test_operators_guide_lists_every_system_check():
    declared = set(CHECK_ID.findall((REPO_ROOT / "credplugin" / "checks.py").read_text()))
    guide = (REPO_ROOT / "docs" / "how-to" / "operators.md").read_text()
    assert declared, "no system check found: the test would prove nothing"
    assert {check for check in declared if f"`{check}`" not in guide} == set()


def test_every_periodic_job_has_a_tutor_job_and_a_cron_line_in_both_guides():
    """Tutor runs no Celery beat, so each beat entry needs a ``tutor local do`` job and the
    cron line that runs it, in the operators' guide and in the Tutor plugin's own docstring."""
    tutor_plugin = (REPO_ROOT / "tutor" / "credplugin.py").read_text()
    guide = (REPO_ROOT / "docs" / "how-to" / "operators.md").read_text()
    jobs = set(TUTOR_JOB.findall(tutor_plugin))
    assert len(jobs) == len(BEAT_ENTRIES), (sorted(jobs), sorted(BEAT_ENTRIES))
    assert set(CRON_LINE_JOB.findall(guide)) == jobs
    assert set(CRON_LINE_JOB.findall(tutor_plugin.split('"""')[1])) == jobs


@pytest.mark.parametrize("script", sorted(path.name for path in (REPO_ROOT / "bench").glob("*.py")))
def test_bench_readme_covers_every_benchmark(script):
    readme = (REPO_ROOT / "bench" / "README.md").read_text()
    assert re.search(rf"^## {re.escape(script)} — ", readme, re.MULTILINE), script


def _prose_files():
    for root in PROSE_ROOTS:
        for path in (REPO_ROOT / root).rglob("*"):
            if path.suffix in PROSE_SUFFIXES and "node_modules" not in path.parts:
                yield path
    yield REPO_ROOT / "README.md"


def test_no_comment_or_document_points_at_a_tracker_number():
    found = [
        f"{path.relative_to(REPO_ROOT)}:{number}: {line.strip()}"
        for path in _prose_files()
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), start=1)
        if TRACKER_NUMBER.search(line)
    ]
    assert found == []
