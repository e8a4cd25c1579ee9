"""The peer step's arithmetic and its Studio settings: the median (even counts take the lower
middle level), "close enough" for calibration, and field-linked errors in the Studio form."""

import copy

import pytest

from credplugin.reviewing import rules
from xblocks.assessment.authoring import clean_authoring
from xblocks.assessment.demo import PROJECT_VALUES
from xblocks.assessment.errors import FieldErrors

from .peer_support import EXAMPLE, PEER_VALUES

RUBRIC = {"criteria": copy.deepcopy(PROJECT_VALUES["rubric"]["criteria"])}
CRITERION = RUBRIC["criteria"][0]


@pytest.mark.parametrize(
    ("chosen", "median"),
    [
        (["advanced"], "advanced"),
        (["beginning", "advanced", "proficient"], "proficient"),
        (["advanced", "developing"], "developing"),  # even: the lower middle
        (["advanced", "advanced", "beginning", "proficient"], "proficient"),
        (["beginning", "beginning", "advanced", "advanced"], "beginning"),
        ([], None),
        (["unknown"], None),
    ],
)
def test_the_median_level(chosen, median):
    assert rules.median_level(CRITERION, chosen) == median


def test_levels_rank_by_points_not_by_order_in_the_rubric():
    shuffled = {**CRITERION, "levels": list(reversed(CRITERION["levels"]))}
    assert rules.ranked_levels(shuffled) == ["beginning", "developing", "proficient", "advanced"]
    assert rules.median_level(shuffled, ["advanced", "developing"]) == "developing"


@pytest.mark.parametrize(
    ("learner", "close"),
    [
        ({"data-preparation": "developing", "evaluation": "beginning"}, True),
        ({"data-preparation": "proficient", "evaluation": "beginning"}, True),
        ({"data-preparation": "proficient", "evaluation": "developing"}, False),  # off everywhere
        ({"data-preparation": "advanced", "evaluation": "beginning"}, False),  # two levels off
        ({"data-preparation": "developing"}, False),  # a criterion left out
    ],
)
def test_calibration_is_close_enough_within_one_level_and_mostly_exact(learner, close):
    assert rules.close_enough(RUBRIC, EXAMPLE["levels"], learner) is close


def _errors(**changes):
    with pytest.raises(FieldErrors) as raised:
        clean_authoring({**copy.deepcopy(PEER_VALUES), **changes})
    return {field: str(message) for field, message in raised.value.problems}


def test_valid_peer_settings_are_kept():
    cleaned = clean_authoring({**copy.deepcopy(PEER_VALUES), "peer_calibration": [EXAMPLE]})
    assert cleaned["peer_enabled"] is True
    assert cleaned["peer_calibration"] == [EXAMPLE]
    assert cleaned["peer_result_mode"] == "peer_median"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"peer_must_grade": 0}, "peer_must_grade"),
        ({"peer_must_be_graded_by": "many"}, "peer_must_be_graded_by"),
        ({"peer_must_grade": 1, "peer_must_be_graded_by": 3}, "peer_must_grade"),
        ({"peer_flexible_days": -1}, "peer_flexible_days"),
        ({"peer_fallback": "nobody"}, "peer_fallback"),
        ({"peer_result_mode": "vote"}, "peer_result_mode"),
        ({"peer_enabled": "yes"}, "peer_enabled"),
        ({"peer_calibration": [{"id": "a", "text": "t", "levels": {}}]}, "peer_calibration"),
        ({"peer_calibration": [EXAMPLE, EXAMPLE]}, "peer_calibration"),
        ({"peer_calibration": "example"}, "peer_calibration"),
    ],
)
def test_bad_peer_settings_are_named_under_their_field(change, field):
    assert field in _errors(**change)


def test_studio_answers_peer_problems_linked_to_their_fields(workbench):
    from tests.workbench_driver import WorkbenchDriver  # noqa: PLC0415

    from .conftest import PROJECT_SCENARIO  # noqa: PLC0415

    driver = WorkbenchDriver(WorkbenchDriver.usage_id_for(PROJECT_SCENARIO))
    status, body = driver.author({**PEER_VALUES, "peer_must_grade": 1, "peer_fallback": "x"})
    assert status == 400
    fields = {error["field"] for error in body["errors"]}
    assert {"peer_must_grade", "peer_fallback"} <= fields
    assert driver.block("staff_author").peer_enabled is False  # nothing saved
