"""Racing learner requests on MariaDB: each check-then-append handler lets one request at a time.

Four threads (four database connections, as four LMS workers would have) call the same handler
for the same learner at once. edx-submissions' ``create_submission`` is slowed down so that,
without the row lock, every thread would read "not submitted yet" / "no attempts used" before
any of them writes.
"""

import time

import pytest
from django.core.cache import cache
from django.test import override_settings
from submissions import api as submissions_api

from tests.integration.threads import run_at_once
from tests.workbench_driver import WorkbenchDriver
from tests.xblocks.conftest import ANSWER, ETHICS_SCENARIO, PROJECT_SCENARIO
from xblocks.assessment import review
from xblocks.assessment.demo import PROJECT_VALUES, ethics_values

pytestmark = [pytest.mark.integration]

RACERS = 4
WRITE_DELAY_SECONDS = 0.3


@pytest.fixture
def committed_workbench(integration_database_url, tmp_path):
    """The workbench on committed rows, so every thread's connection sees them."""
    from workbench.runtime_util import reset_global_state  # noqa: PLC0415

    cache.clear()
    with override_settings(MEDIA_ROOT=str(tmp_path / "media")):
        reset_global_state()
        yield


@pytest.fixture
def slow_writes(monkeypatch):
    original = submissions_api.create_submission

    def slow_create_submission(*args, **kwargs):
        time.sleep(WRITE_DELAY_SECONDS)
        return original(*args, **kwargs)

    monkeypatch.setattr(submissions_api, "create_submission", slow_create_submission)


def authored(scenario_name, values):
    driver = WorkbenchDriver(WorkbenchDriver.usage_id_for(scenario_name))
    status, body = driver.author(values)
    assert status == 200, body
    return driver


def race(driver, handler, payload):
    """Call ``handler`` from RACERS threads released together; their ``(status, body)``."""
    results, errors = run_at_once(RACERS, lambda: driver.call("learner_1", handler, payload))
    assert errors == []
    assert len(results) == RACERS, "a racer did not finish"
    return sorted(results, key=lambda result: result[0])


def test_racing_submissions_leave_exactly_one_submission(committed_workbench, slow_writes):
    driver = authored(PROJECT_SCENARIO, PROJECT_VALUES)
    payload = {
        "text": ANSWER,
        "links": ["https://git.example.org/learner/tickets"],
        "self_assessment": {"data-preparation": "proficient", "evaluation": "advanced"},
    }
    # The learner's user-state row exists before the race: the workbench's store, unlike the
    # LMS's, has no unique key and would create one row per racer.
    assert driver.call("learner_1", "save_draft", payload)[0] == 200

    results = race(driver, "submit_work", payload)

    assert [status for status, _body in results] == [200] + [400] * (RACERS - 1)
    assert {body.get("error") for _status, body in results[1:]} == {
        "Your work is submitted; you can change it again if a revision is requested."
    }
    block = driver.block("learner_1")
    item = review.student_item(block.course_key(), block.usage_key(), "learner_1")
    submissions = submissions_api.get_submissions(item)
    assert [found["attempt_number"] for found in submissions] == [1]


def test_racing_scenario_answers_use_exactly_the_attempts_allowed(committed_workbench, slow_writes):
    driver = authored(ETHICS_SCENARIO, ethics_values())
    payload = {"scenario_id": "proxy-features", "selected": ["random"]}
    # The learner's user-state row exists before the race (see above).
    assert driver.call("learner_1", "learner_state", {})[0] == 200

    results = race(driver, "answer_scenario", payload)

    # The scenario allows two attempts: two answers count, the others are refused.
    assert [status for status, _body in results] == [200, 200] + [400] * (RACERS - 2)
    assert sorted(body["scenario"]["attempts"] for _status, body in results[:2]) == [1, 2]
    assert {body["error"] for _status, body in results[2:]} == {
        "You have no attempts left for this scenario."
    }
    block = driver.block("learner_1")
    assert block.scenario_progress()["proxy-features"]["attempts"] == 2
    item = review.student_item(
        block.course_key(), block.usage_key(), "learner_1", review.SCENARIO_ITEM_TYPE
    )
    assert len(submissions_api.get_submissions(item)) == 2
