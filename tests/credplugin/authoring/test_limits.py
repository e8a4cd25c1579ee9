"""One table of authoring limits: Studio's editor and the API accept and refuse the same data.

Each case is checked at the limit (both accept) and one step past it (both refuse), through the
XBlock's own cleaning functions and through the API's validation.
"""

import copy
from functools import partial

import pytest

from credplugin import api
from credplugin.authoring import validation
from credplugin.exceptions import InvalidInput
from tests.factories import badge_description, rubric_definition
from xblocks.assessment import authoring, rubric
from xblocks.assessment.errors import InvalidInput as EditorRefusal
from xblocks.assessment.errors import Problems

LIMITS = api.AUTHORING_LIMITS


def _levels(count):
    return [
        {"id": f"level-{n}", "name": f"Level {n}", "description": "", "points": n}
        for n in range(count)
    ]


def _rubric_with(*, levels=3, criteria=1, top_points=None):
    definition = rubric_definition(criteria=[f"criterion-{n}" for n in range(criteria)])
    for criterion in definition["criteria"]:
        criterion["levels"] = _levels(levels)
        criterion["required_level"] = "level-1" if levels > 1 else "level-0"
        if top_points is not None:
            criterion["levels"][-1]["points"] = top_points
    return definition


BADGES = {
    "hours": (LIMITS.hours_max, LIMITS.hours_max + 1),
    "validity_months": (LIMITS.validity_months_max, LIMITS.validity_months_max + 1),
    "achievement_type": (LIMITS.achievement_types[-1], "Trophy"),
}
RUBRICS = {
    "fewest levels": (
        _rubric_with(levels=LIMITS.levels_min),
        _rubric_with(levels=LIMITS.levels_min - 1),
    ),
    "most levels": (
        _rubric_with(levels=LIMITS.levels_max),
        _rubric_with(levels=LIMITS.levels_max + 1),
    ),
    "most criteria": (
        _rubric_with(criteria=LIMITS.criteria_max),
        _rubric_with(criteria=LIMITS.criteria_max + 1),
    ),
    "most points": (
        _rubric_with(top_points=LIMITS.points_max),
        _rubric_with(top_points=LIMITS.points_max + 1),
    ),
}


def _accepts(check, value, refusal):
    try:
        check(copy.deepcopy(value))
    except refusal:
        return False
    return True


def _clean_badge_in_editor(badge):
    problems = Problems()
    authoring.clean_badge(badge, problems)
    problems.raise_any()


def _editor_accepts_badge(badge):
    return _accepts(_clean_badge_in_editor, badge, EditorRefusal)


def _api_accepts_badge(badge):
    return _accepts(validation.badge, badge, InvalidInput)


def _editor_accepts_rubric(definition):
    return _accepts(partial(rubric.clean_rubric, title="Project rubric"), definition, EditorRefusal)


def _api_accepts_rubric(definition):
    return _accepts(validation.rubric, definition, InvalidInput)


@pytest.mark.parametrize("field", sorted(BADGES))
def test_editor_and_api_agree_on_the_badge_limit(field):
    within, beyond = BADGES[field]
    assert _editor_accepts_badge(badge_description(**{field: within}))
    assert _api_accepts_badge(badge_description(**{field: within}))
    assert not _editor_accepts_badge(badge_description(**{field: beyond}))
    assert not _api_accepts_badge(badge_description(**{field: beyond}))


@pytest.mark.parametrize("case", sorted(RUBRICS))
def test_editor_and_api_agree_on_the_rubric_limit(case):
    within, beyond = RUBRICS[case]
    assert _editor_accepts_rubric(within) and _api_accepts_rubric(within)
    assert not _editor_accepts_rubric(beyond)
    assert not _api_accepts_rubric(beyond)


def test_every_type_the_editor_offers_is_one_the_api_accepts():
    for achievement_type in LIMITS.achievement_types:
        badge = badge_description(achievement_type=achievement_type)
        assert _editor_accepts_badge(badge) and _api_accepts_badge(badge), achievement_type
