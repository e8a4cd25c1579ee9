"""The pass rule that combines rubric levels, rubric share and scenario share."""

import pytest

from xblocks.assessment.demo import PROJECT_VALUES
from xblocks.assessment.errors import InvalidInput
from xblocks.assessment.passrule import clean_pass_rule, describe, passes
from xblocks.assessment.rubric import clean_rubric, judge

RUBRIC = clean_rubric(PROJECT_VALUES["rubric"], title="Project rubric")


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
    described = describe(rule, str, has_rubric=True, has_scenarios=True, has_self_assessment=True)
    assert described == [
        "Answer every scenario judgment (required to submit).",
        "Complete the self-assessment (required to submit).",
        "Every rubric criterion reaches its required level.",
        "At least 50 % of the rubric points.",
        "At least 80 % of the scenario points.",
    ]


def test_unknown_or_out_of_range_rules_are_explained():
    with pytest.raises(InvalidInput) as raised:
        clean_pass_rule({"min_percent": 50})
    assert raised.value.render(str) == "The pass rule has unknown settings: min_percent."
    with pytest.raises(InvalidInput):
        clean_pass_rule({"all_criteria_met": "yes"})
