"""The import contracts in ``.importlinter`` hold, and each one breaks when its rule is broken.

``lint-imports`` runs on a copy of the packages: once as they are, then once per contract with
a single import that breaks it, so a contract that could never fail would show here.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.workers import REPO_ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

# (file to add an import to, the import, the contract it breaks)
BREAKS = [
    (
        "xblocks/assessment/rubric.py",
        "from credplugin.models import BadgeClass",
        "XBlocks reach the plugin only through credplugin.api",
    ),
    (
        "credplugin/openbadges/achievement.py",
        "from django.conf import settings",
        "credplugin.openbadges imports no Django and nothing else of credplugin",
    ),
    (
        "credplugin/openbadges/verify.py",
        "from credplugin.conf import credplugin_settings",
        "credplugin.openbadges imports no Django and nothing else of credplugin",
    ),
    (
        "credplugin/api.py",
        "from credplugin.views import badges",
        "Nothing imports credplugin.views but the URL configuration",
    ),
    (
        "credplugin/views/learner.py",
        "from credplugin.issuing import issuance",
        "Views reach the issuing pipeline only through credplugin.api",
    ),
    (
        "credplugin/mentoring/queue.py",
        "from xblocks.assessment import review",
        "The plugin never imports the XBlocks",
    ),
    (
        "credplugin/mentoring/reminders.py",
        "from credplugin import tasks",
        "The pipeline queues Celery tasks by name and never imports credplugin.tasks",
    ),
]


def _lint_imports(root):
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def tree(tmp_path):
    """A copy of the checked packages and the contracts, to break one import in."""
    for package in ("credplugin", "xblocks"):
        shutil.copytree(
            REPO_ROOT / package,
            tmp_path / package,
            ignore=shutil.ignore_patterns("__pycache__", "static", "templates", "translations"),
        )
    shutil.copy(REPO_ROOT / ".importlinter", tmp_path / ".importlinter")
    return tmp_path


def test_the_code_keeps_every_contract(tree):
    result = _lint_imports(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(("path", "statement", "contract"), BREAKS)
def test_one_forbidden_import_breaks_its_contract(tree, path, statement, contract):
    source = tree / path
    source.write_text(source.read_text() + f"\n{statement}  # noqa\n")

    result = _lint_imports(tree)

    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{contract} BROKEN" in result.stdout, result.stdout
    assert "1 broken" in result.stdout, result.stdout
