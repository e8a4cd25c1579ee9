"""Authoring through studio_submit: validation an author understands, sanitizing, registering."""

import copy

import pytest

from credplugin.api import snapshot_rubric
from credplugin.models import BadgeClass, BadgeRequirement
from tests.workbench_driver import WorkbenchDriver
from xblocks.assessment.authoring import clean_authoring
from xblocks.assessment.demo import PROJECT_VALUES
from xblocks.assessment.errors import InvalidInput
from xblocks.assessment.views import load_template_data

from .conftest import PROJECT_SCENARIO


def values(**changes):
    edited = copy.deepcopy(PROJECT_VALUES)
    edited.update(changes)
    return edited


def test_save_checks_the_badge_and_the_learner_view_registers_it(workbench):
    driver = WorkbenchDriver(WorkbenchDriver.usage_id_for(PROJECT_SCENARIO))
    status, body = driver.author(PROJECT_VALUES)
    assert (status, body) == (200, {"message": "Saved. Learners see the changes once you publish."})
    assert not BadgeRequirement.objects.exists()
    driver.render("learner_1")
    requirement = BadgeRequirement.objects.get()
    block = driver.block("staff_author")
    assert str(requirement.usage_key) == str(block.usage_key())
    assert requirement.badge_class.slug == "applied-ml-practitioner"
    assert requirement.assessment_methods == ["project_rubric", "mentor_review", "self_assessment"]
    assert requirement.rubric.content_hash == snapshot_rubric(block.current_rubric())
    assert BadgeClass.objects.get().hours == 12


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"display_name": " "}, "Display name is required."),
        ({"project_enabled": False}, "Enable the project part, the ethics part, or both."),
        ({"rubric": {"criteria": []}}, "Project rubric needs at least one criterion."),
        (
            {"pass_rule": {"min_scenario_percent": 120}},
            "Minimum share of scenario points must be between 0 and 100 %.",
        ),
        ({"allowed_file_types": ["exe"]}, "File type(s) exe cannot be checked"),
        ({"text_min_words": 50, "text_max_words": 10}, "Minimum words is larger than maximum"),
        ({"badge": {"slug": "no spaces", "name": "x"}}, "Badge slug may hold only"),
        ({"badge": {"slug": "ok", "name": ""}}, "Badge name is required."),
        ({"weight": "heavy"}, "Weight must be a number"),
    ],
)
def test_invalid_settings_are_explained_and_nothing_changes(project, change, message):
    before = project.block("staff_author").authored_values()
    status, body = project.author(values(**change))
    assert status == 400
    assert body["error"].startswith(message), body
    assert project.block("staff_author").authored_values() == before


def test_rubric_errors_name_the_criterion_and_level(project):
    rubric = copy.deepcopy(PROJECT_VALUES["rubric"])
    rubric["criteria"][1]["levels"][2]["points"] = 0
    status, body = project.author(values(rubric=rubric))
    assert status == 400
    assert body["error"] == (
        "Project rubric › criterion 2 (Model evaluation) › level 3 (Proficient): levels go from "
        "lowest to highest, so points may not go down."
    )
    rubric = copy.deepcopy(PROJECT_VALUES["rubric"])
    rubric["criteria"][0]["required_level"] = "legendary"
    status, body = project.author(values(rubric=rubric))
    assert body["error"] == (
        "Project rubric › criterion 1 (Data preparation): choose which level is required to "
        "meet this criterion."
    )


def test_rich_text_is_sanitized_on_save(project):
    prompt = (
        '<p onclick="x()">Build <strong>it</strong><script>alert(1)</script>'
        '<a href="javascript:alert(1)">bad</a> <a href="https://ok.org">ok</a></p><img src=x>'
    )
    assert project.author(values(prompt=prompt))[0] == 200
    saved = project.block("learner_1").prompt
    assert saved == (
        '<p>Build <strong>it</strong><a rel="noopener noreferrer nofollow">bad</a> '
        '<a href="https://ok.org" rel="noopener noreferrer nofollow">ok</a></p>'
    )


def test_the_rich_text_editor_receives_cleaned_markup_whatever_wrote_the_field(project):
    """The editor renders the prompt as markup, so a field imported from OLX is cleaned first."""
    block = project.block("staff_author")
    block.case_narrative = '<h3>Case</h3><img src=x onerror="alert(1)"><b>bold</b>'
    html = block.render("studio_view")
    assert block.editor_values()["case_narrative"] == "<h3>Case</h3><b>bold</b>"
    assert "onerror" not in str(html.json_init_args)
    assert 'data-field="prompt" data-type="rich"' in html.body_html()


def test_rubric_edit_after_submissions_creates_a_new_snapshot(project):
    from .conftest import submit_project  # noqa: PLC0415

    first_hash = snapshot_rubric(project.block("staff_author").current_rubric())
    submit_project(project, with_file=False)
    rubric = copy.deepcopy(PROJECT_VALUES["rubric"])
    rubric["criteria"][0]["description"] = "Now also documents the data sheet."
    assert project.author(values(rubric=rubric))[0] == 200
    assert snapshot_rubric(project.block("staff_author").current_rubric()) != first_hash
    [uuid] = project.submission_uuids("staff_mentor")
    from xblocks.assessment import review  # noqa: PLC0415

    assert review.get_submission(uuid)["answer"]["rubric_hash"] == first_hash


def test_the_hiring_bias_template_is_ready_to_use(project):
    status, body = project.call(
        "staff_author", "authoring_template", {"name": "ethics_hiring_bias"}
    )
    assert status == 200
    cleaned = clean_authoring(body["values"])
    assert cleaned["ethics_enabled"] and not cleaned["project_enabled"]
    assert len(cleaned["scenarios"]) == 3
    assert {c["competency"]["code"] for c in cleaned["reflection_rubric"]["criteria"]} == {
        "ETH-1",
        "ETH-2",
        "ETH-3",
    }
    assert cleaned["ethics_alignment"]["code"] == "ETHICS-AI"
    assert len(cleaned["guiding_questions"]) == 5
    assert project.author(body["values"])[0] == 200
    status, body = project.call("staff_author", "authoring_template", {"name": "other"})
    assert status == 400


def test_single_choice_scenario_needs_exactly_one_correct_option():
    template = load_template_data("ethics_hiring_bias_template.json")
    template["scenarios"][0]["options"][1]["correct"] = True
    with pytest.raises(InvalidInput) as raised:
        clean_authoring(template)
    assert raised.value.render(str) == (
        "Scenario 1: a single-choice scenario has exactly one correct option."
    )


def test_studio_view_renders_the_editor(project):
    html = project.block("staff_author").render("studio_view").body_html()
    assert 'data-field="rubric"' in html
    assert "Start from the template" in html


def test_every_problem_is_reported_at_once_under_its_field(project):
    before = project.block("staff_author").authored_values()
    rubric = copy.deepcopy(PROJECT_VALUES["rubric"])
    rubric["criteria"][1]["levels"][2]["points"] = 0
    rubric["criteria"][0]["name"] = ""
    edited = values(display_name=" ", weight="heavy", rubric=rubric, text_min_words="many")
    edited["badge"] = {**edited["badge"], "slug": "no spaces", "image_url": "logo.png"}
    status, body = project.author(edited)
    assert status == 400
    assert [problem["field"] for problem in body["errors"]] == [
        "display_name",
        "weight",
        "badge.slug",
        "badge.image_url",
        "text_min_words",
        "rubric.criteria.0.name",
        "rubric.criteria.1.levels.2.points",
    ]
    assert body["errors"][0]["message"] == "Display name is required."
    assert body["error"] == "Fix the problems listed (7)."
    assert project.block("staff_author").authored_values() == before
