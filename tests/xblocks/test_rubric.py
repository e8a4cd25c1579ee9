"""Rubric maths and the pass rule, without a runtime."""

import pytest

from xblocks.assessment.demo import PROJECT_VALUES
from xblocks.assessment.errors import InvalidInput
from xblocks.assessment.passrule import clean_pass_rule, describe, passes
from xblocks.assessment.rubric import clean_rubric, judge, max_points

RUBRIC = clean_rubric(PROJECT_VALUES["rubric"], title="Project rubric")


def test_max_points_is_the_top_level_of_every_criterion():
    assert max_points(RUBRIC) == 6
    assert max_points({}) == 0


def test_judge_marks_criteria_met_at_or_above_the_required_level():
    levels = judge(RUBRIC, {"data-preparation": "developing", "evaluation": "proficient"})
    assert [(item["level"], item["points"], item["met"]) for item in levels] == [
        ("Developing", 1, False),
        ("Proficient", 2, True),
    ]


def test_pass_rule_combines_criteria_rubric_share_and_scenarios():
    rule = clean_pass_rule({"min_rubric_percent": 50, "min_scenario_percent": 80})
    met = judge(RUBRIC, {"data-preparation": "proficient", "evaluation": "proficient"})
    kwargs = {"criterion_levels": met, "rubric_earned": 4, "rubric_possible": 6}
    assert passes(rule, **kwargs, scenario_percent=None)
    assert passes(rule, **kwargs, scenario_percent=80.0)
    assert not passes(rule, **kwargs, scenario_percent=79.9)
    unmet = judge(RUBRIC, {"data-preparation": "beginning", "evaluation": "advanced"})
    assert not passes(rule, criterion_levels=unmet, rubric_earned=3, rubric_possible=6,
                      scenario_percent=None)  # fmt: skip
    relaxed = clean_pass_rule({"all_criteria_met": False, "min_rubric_percent": 50})
    assert passes(relaxed, criterion_levels=unmet, rubric_earned=3, rubric_possible=6,
                  scenario_percent=None)  # fmt: skip


def test_pass_rule_is_described_to_the_learner():
    rule = clean_pass_rule({"min_rubric_percent": 50, "min_scenario_percent": 80})
    assert describe(rule, str, has_rubric=True, has_scenarios=True) == [
        "Every rubric criterion reaches its required level.",
        "At least 50 % of the rubric points.",
        "At least 80 % of the scenario points.",
    ]


@pytest.mark.parametrize(
    ("rubric", "message"),
    [
        (
            {"criteria": [{"name": "A", "levels": [{"name": "x", "points": 1}]}]},
            "needs at least two",
        ),
        (
            {
                "criteria": [
                    {
                        "name": "A",
                        "levels": [{"name": "x", "points": 1.5}, {"name": "y", "points": 2}],
                    }
                ]
            },
            "points must be a whole number",
        ),
        ({"criteria": [{"name": "A", "id": "a b", "levels": []}]}, "the id may hold only"),
        ({"criteria": "nope"}, "must have a list of criteria"),
    ],
)
def test_invalid_rubrics_are_explained(rubric, message):
    with pytest.raises(InvalidInput) as raised:
        clean_rubric(rubric, title="Project rubric")
    assert message in raised.value.render(str)


def test_missing_ids_are_generated_from_positions():
    rubric = clean_rubric(
        {
            "criteria": [
                {
                    "name": "A",
                    "levels": [{"name": "low", "points": 0}, {"name": "high", "points": 2}],
                    "required_level": "level-2",
                }
            ]
        },
        title="Project rubric",
    )
    assert rubric["criteria"][0]["id"] == "criterion-1"
    assert [level["id"] for level in rubric["criteria"][0]["levels"]] == ["level-1", "level-2"]
