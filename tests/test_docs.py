"""The documents stay true to the tree: every system check and every benchmark is described,
and nothing points at tracker numbers a reader of the repository cannot open."""

import re

import pytest

from tests.workers import REPO_ROOT

CHECK_ID = re.compile(r'id="(credplugin\.[EW]\d{3})"')
# Our own tracker's numbers (the word issue, then a number); public ones (owner/repo#582) are fine.
TRACKER_NUMBER = re.compile(r"\bissues? #?\d+\b", re.IGNORECASE)
PROSE_ROOTS = ["credplugin", "xblocks", "tests", "bench", "docs", "tutor"]
PROSE_SUFFIXES = {".py", ".md", ".html", ".js", ".txt", ".in", ".ini"}


def test_operators_guide_lists_every_system_check():
    declared = set(CHECK_ID.findall((REPO_ROOT / "credplugin" / "checks.py").read_text()))
    guide = (REPO_ROOT / "docs" / "how-to" / "operators.md").read_text()
    assert declared, "no system check found: the test would prove nothing"
    assert {check for check in declared if f"`{check}`" not in guide} == set()


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
