"""What ``credplugin.api`` accepts from XBlocks, and the sentence it refuses with."""

import pytest
from opaque_keys.edx.keys import CourseKey, UsageKey

from credplugin.authoring import validation
from credplugin.exceptions import InvalidInput
from tests.factories import badge_description, rubric_definition


def test_evidence_needs_a_name_and_an_http_url_and_no_unknown_keys():
    cleaned = validation.evidence([{"name": " Repo ", "url": "https://example.org/r"}])
    assert cleaned == [
        {"name": "Repo", "description": "", "url": "https://example.org/r", "genre": ""}
    ]
    with pytest.raises(InvalidInput, match=r"evidence\[0\].url"):
        validation.evidence([{"name": "Repo", "url": "javascript:alert(1)"}])
    with pytest.raises(InvalidInput, match="unknown key"):
        validation.evidence([{"name": "Repo", "private_note": "x"}])
    with pytest.raises(InvalidInput, match="name is required"):
        validation.evidence([{"url": "https://example.org"}])


def test_scores_are_named_numbers():
    assert validation.scores({"ethics_scenarios": 0.8}) == {"ethics_scenarios": 0.8}
    with pytest.raises(InvalidInput, match="scores.ethics"):
        validation.scores({"ethics": "high"})
    with pytest.raises(InvalidInput, match="must be a number"):
        validation.scores({"ethics": True})


def test_criterion_levels_must_name_a_criterion_and_level_of_the_rubric():
    rubric = rubric_definition()
    level = {"criterion_id": "design", "level_id": "expert", "met": True, "points": 3}
    assert validation.criterion_levels([level], rubric)[0]["level_id"] == "expert"
    with pytest.raises(InvalidInput, match="no criterion 'style'"):
        validation.criterion_levels([{**level, "criterion_id": "style"}], rubric)
    with pytest.raises(InvalidInput, match="met must be true or false"):
        validation.criterion_levels([{**level, "met": "yes"}], rubric)


def test_rubric_ids_must_be_unique():
    rubric = rubric_definition()
    rubric["criteria"].append(rubric["criteria"][0])
    with pytest.raises(InvalidInput, match="used twice"):
        validation.rubric(rubric)
    rubric = rubric_definition()
    rubric["criteria"][0]["levels"].append(rubric["criteria"][0]["levels"][0])
    with pytest.raises(InvalidInput, match="used twice"):
        validation.rubric(rubric)


def test_pass_rule_bounds():
    assert validation.pass_rule(None) == {}
    assert validation.pass_rule({"min_percent": 70, "all_criteria_met": False}) == {
        "min_percent": 70,
        "all_criteria_met": False,
    }
    with pytest.raises(InvalidInput, match="at most 100"):
        validation.pass_rule({"min_percent": 101})


def test_ccx_keys_map_to_the_master_course():
    ccx = CourseKey.from_string("ccx-v1:org+course+run+ccx@7")
    assert str(validation.master_course_key(ccx)) == "course-v1:org+course+run"
    block = UsageKey.from_string("ccx-block-v1:org+course+run+ccx@7+type@problem+block@p")
    assert str(validation.master_usage_key(block)) == "block-v1:org+course+run+type@problem+block@p"
    plain = CourseKey.from_string("course-v1:org+course+run")
    assert validation.master_course_key(plain) is plain


@pytest.mark.parametrize(
    ("value", "cleaned"),
    [(None, ""), ("", ""), ("#0B4F8A", "#0b4f8a"), ("#abc", "#aabbcc"), (" #123456 ", "#123456")],
)
def test_colours_are_normalised(value, cleaned):
    assert validation.colour(value, "badge.colour") == cleaned


@pytest.mark.parametrize("value", ["red", "#12345", "#1234567", "123456", "#gggggg", 7, ["#fff"]])
def test_a_colour_that_is_not_hex_is_refused_naming_the_field(value):
    with pytest.raises(InvalidInput, match=r"badge.accent_colour must be a colour written #rrggbb"):
        validation.colour(value, "badge.accent_colour")


def test_badge_colours_are_cleaned_with_the_rest_of_the_badge():
    cleaned = validation.badge(badge_description(colour="#ABC", accent_colour=""))
    assert (cleaned["colour"], cleaned["accent_colour"]) == ("#aabbcc", "")
    with pytest.raises(InvalidInput, match="badge.colour"):
        validation.badge(badge_description(colour="blue"))
