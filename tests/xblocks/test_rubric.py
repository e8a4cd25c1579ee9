"""Rubric maths and the pass rule, without a runtime."""

import pytest

from xblocks.assessment.demo import PROJECT_VALUES
from xblocks.assessment.errors import InvalidInput
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


@pytest.mark.parametrize(
    ("rubric", "message"),
    [
        (
            {"criteria": [{"name": "A", "levels": [{"name": "x", "points": 1}]}]},
            "needs at least 2 levels",
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
    problems = getattr(raised.value, "problems", [])
    messages = [raised.value.render(str)] + [text.render(str) for _field, text in problems]
    assert any(message in found for found in messages)


def test_every_problem_of_a_rubric_is_named_with_its_field_at_once():
    rubric = {
        "criteria": [
            {"name": "", "levels": [{"name": "x", "points": 1}, {"name": "", "points": 2}]},
            {
                "name": "B",
                "levels": [{"name": "x", "points": 3}, {"name": "y", "points": 1}],
                "required_level": "level-1",
                "competency": {"name": "Ethics", "url": "ftp://x"},
            },
        ]
    }
    with pytest.raises(InvalidInput) as raised:
        clean_rubric(rubric, title="Project rubric")
    assert [(field, text.render(str)) for field, text in raised.value.problems] == [
        ("rubric.criteria.0.name", "Project rubric › criterion 1 › name is required."),
        (
            "rubric.criteria.0.levels.1.name",
            "Project rubric › criterion 1 › level 2 › name is required.",
        ),
        (
            "rubric.criteria.1.levels.1.points",
            "Project rubric › criterion 2 (B) › level 2 (y): levels go from lowest to highest, "
            "so points may not go down.",
        ),
        (
            "rubric.criteria.1.competency.url",
            "Project rubric › criterion 2 (B): the competency URL must start with http:// or "
            "https://.",
        ),
    ]


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
