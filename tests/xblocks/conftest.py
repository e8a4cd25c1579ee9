"""Fixtures for the assessment XBlock: a fresh workbench and a driver per scenario.

The workbench keeps its scenarios and id manager in module globals; ``reset_global_state``
rebuilds them inside each test's database so tests never see each other's blocks.
"""

import pytest
from django.core.cache import cache
from django.test import override_settings

from tests.workbench_driver import WorkbenchDriver
from xblocks.assessment.demo import PROJECT_VALUES, ethics_values

PROJECT_SCENARIO = "credplugin_assessment.0"
ETHICS_SCENARIO = "credplugin_assessment.1"
EMPTY_SCENARIO = "credplugin_assessment.2"

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ANSWER = (
    "I split the tickets by date to avoid leakage, balanced the classes with weights and "
    "report macro F1 on the held-out month because misrouting rare queues is what hurts."
)


@pytest.fixture
def workbench(db, tmp_path):
    from workbench.runtime_util import reset_global_state  # noqa: PLC0415

    # edx-submissions caches student items by primary key; rolled-back tests reuse the keys.
    cache.clear()
    with override_settings(MEDIA_ROOT=str(tmp_path / "media")):
        reset_global_state()
        yield


@pytest.fixture
def driver(workbench):
    """A driver for the sample project block, not yet authored."""
    return WorkbenchDriver(WorkbenchDriver.usage_id_for(PROJECT_SCENARIO))


@pytest.fixture
def project(driver):
    """The sample project block, authored through its own Studio handler and shown to a
    learner (the workbench has no drafts: the LMS view registers the badge requirement)."""
    status, body = driver.author(PROJECT_VALUES)
    assert status == 200, body
    driver.render("learner_1")
    return driver


@pytest.fixture
def ethics_block(workbench):
    driver = WorkbenchDriver(WorkbenchDriver.usage_id_for(ETHICS_SCENARIO))
    status, body = driver.author(ethics_values())
    assert status == 200, body
    driver.render("learner_1")
    return driver


def submit_project(driver, user="learner_1", with_file=True):
    if with_file:
        status, body = driver.upload(user, "report.pdf", PDF)
        assert status == 200, body
    status, body = driver.call(
        user,
        "submit_work",
        {
            "text": ANSWER,
            "links": ["https://git.example.org/learner/tickets"],
            "self_assessment": {"data-preparation": "proficient", "evaluation": "advanced"},
        },
    )
    assert status == 200, body
    return body
