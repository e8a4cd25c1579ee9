"""The ethics part: scoring, attempts, the answer key never leaking, authorization, bad input."""

import json

from credplugin.models import AssessmentResult, BadgeClass
from xblocks.assessment import review
from xblocks.assessment.demo import PROJECT_VALUES, ethics_values

REFLECTION = " ".join(["Stakeholders include applicants, recruiters and the retailer."] * 50)
ALL_SOLID = {
    "stakeholders-harms": "solid",
    "fairness-analysis": "exemplary",
    "mitigation-monitoring": "solid",
}
# Words that appear only in the answer key: feedback, explanations, "correct" flags.
SECRETS = [
    "removing a protected attribute does not remove",
    "Proxy discrimination",
    "widely used red flag",
    "limits harm now",
    '"correct"',
]


def answer(driver, scenario_id, selected, user="learner_1"):
    return driver.call(user, "answer_scenario", {"scenario_id": scenario_id, "selected": selected})


def answer_all_correctly(driver, user="learner_1"):
    for scenario_id, selected in (
        ("proxy-features", ["proxies"]),
        ("adverse-impact", ["four-fifths", "scale"]),
        ("mitigation", ["human-review"]),
    ):
        status, body = answer(driver, scenario_id, selected, user)
        assert status == 200, body


def test_the_answer_key_never_reaches_the_browser_before_answering(ethics_block):
    status, body = ethics_block.call("learner_1", "learner_state", {})
    assert status == 200
    block = ethics_block.block("learner_1")
    student_view = block.render("student_view").body_html()
    mobile = json.dumps(block.student_view_data())
    for secret in SECRETS:
        assert secret not in body["html"]
        assert secret not in student_view
        assert secret not in mobile


def test_wrong_answer_reveals_only_the_chosen_options_feedback(ethics_block):
    status, body = answer(ethics_block, "proxy-features", ["random"])
    assert status == 200
    scenario = body["scenario"]
    assert scenario["correct"] is False and scenario["attempts"] == 1
    assert not scenario["finished"]
    shown = {option["id"]: option for option in scenario["options"]}
    assert "feedback" in shown["random"]
    assert "feedback" not in shown["proxies"]
    assert all("correct" not in option for option in scenario["options"])
    assert "explanation" not in scenario
    assert "Proxy discrimination" not in body["html"]
    assert body["message"] == "Not quite. Read the feedback and try again."


def test_attempts_are_limited_and_the_explanation_follows(ethics_block):
    answer(ethics_block, "proxy-features", ["random"])
    status, body = answer(ethics_block, "proxy-features", ["recruiters"])
    assert status == 200
    assert body["scenario"]["finished"] is True
    assert body["scenario"]["explanation"].startswith("Proxy discrimination")
    assert [o["correct"] for o in body["scenario"]["options"]] == [True, False, False]
    status, body = answer(ethics_block, "proxy-features", ["proxies"])
    assert status == 400
    assert body["error"] == "You have no attempts left for this scenario."
    assert ethics_block.block("learner_1").scenario_progress()["proxy-features"]["attempts"] == 2


def test_multiple_choice_needs_exactly_the_correct_set(ethics_block):
    status, body = answer(ethics_block, "adverse-impact", ["four-fifths"])
    assert status == 200 and body["scenario"]["earned"] == 0
    status, body = answer(ethics_block, "adverse-impact", ["four-fifths", "scale"])
    assert body["scenario"]["correct"] is True and body["scenario"]["earned"] == 3


def test_bad_scenario_input_changes_nothing(ethics_block):
    cases = [
        ({"scenario_id": "nope", "selected": ["x"]}, 404, "That scenario does not exist."),
        ({"scenario_id": "proxy-features", "selected": []}, 400, "Choose an answer."),
        ({"scenario_id": "proxy-features", "selected": "proxies"}, 400, "Choose an answer."),
        ({"scenario_id": "proxy-features", "selected": ["made-up"]}, 400, "Choose an answer."),
        (
            {"scenario_id": "proxy-features", "selected": ["proxies", "random"]},
            400,
            "Choose exactly one answer.",
        ),
    ]
    for payload, status_code, message in cases:
        status, body = ethics_block.call("learner_1", "answer_scenario", payload)
        assert (status, body["error"]) == (status_code, message), payload
    assert ethics_block.block("learner_1").scenario_progress() == {}


def test_reflection_needs_every_scenario_and_the_word_limits(ethics_block):
    status, body = ethics_block.call("learner_1", "submit_work", {"reflection": "too short"})
    assert status == 400
    assert body["errors"] == [
        {
            "field": f"scenario.{scenario_id}",
            "message": f"Scenario {number} is not answered yet: choose and check an answer.",
        }
        for number, scenario_id in enumerate(
            ("proxy-features", "adverse-impact", "mitigation"), start=1
        )
    ] + [
        {
            "field": "reflection",
            "message": "Your ethical-impact assessment has 2 words; write at least 300.",
        }
    ]
    assert ethics_block.block("learner_1").draft["reflection"] == "too short"
    answer_all_correctly(ethics_block)
    status, body = ethics_block.call("learner_1", "submit_work", {"reflection": "too short"})
    assert status == 400
    assert body["error"] == ("Your ethical-impact assessment has 2 words; write at least 300.")
    assert ethics_block.submission_uuids("staff_mentor") == []


def test_answers_lock_once_submitted(ethics_block):
    answer(ethics_block, "proxy-features", ["random"])
    answer(ethics_block, "proxy-features", ["proxies"])
    answer(ethics_block, "adverse-impact", ["scale", "four-fifths"])
    answer(ethics_block, "mitigation", ["human-review"])
    assert ethics_block.call("learner_1", "submit_work", {"reflection": REFLECTION})[0] == 200
    status, body = answer(ethics_block, "adverse-impact", ["scale"])
    assert status == 400
    assert "submitted" in body["error"]


def test_mentor_grades_the_reflection_and_the_result_feeds_the_badge(ethics_block):
    answer(ethics_block, "proxy-features", ["random"])
    answer(ethics_block, "proxy-features", ["recruiters"])  # 0 of 2 points
    answer(ethics_block, "adverse-impact", ["four-fifths", "scale"])
    answer(ethics_block, "mitigation", ["human-review"])
    assert ethics_block.call("learner_1", "submit_work", {"reflection": REFLECTION})[0] == 200

    [uuid] = ethics_block.submission_uuids("staff_mentor", review.SUBMITTED)
    status, body = ethics_block.grade("staff_mentor", uuid, ALL_SOLID, "Concrete monitoring plan.")
    assert status == 200, body
    result = AssessmentResult.objects.get()
    assert result.scores["ethics_scenarios_percent"] == 71.4
    assert result.passed is False  # 71.4 % < the 80 % the pass rule asks for
    assert result.assessment_methods == [
        "mentor_review",
        "ethics_case_scenarios",
        "ethics_impact_reflection",
    ]
    assert [item["criterion_id"] for item in result.criterion_levels] == list(ALL_SOLID)
    assert result.evidence == [
        {
            "name": "Ethical-impact assessment",
            "description": result.evidence[0]["description"],
            "url": "",
            "genre": "Ethical-impact assessment",
        }
    ]
    assert (result.points_earned, result.points_possible) == (5 + 7, 9 + 7)
    badge = BadgeClass.objects.get(slug="applied-ml-practitioner")
    assert any(a["code"] == "ETHICS-AI" for a in badge.alignments)

    status, body = ethics_block.call("learner_1", "learner_state", {})
    assert "Concrete monitoring plan." in body["html"]
    assert "Not passed yet" in body["html"]
    assert "Exemplary" in body["html"]


def test_scenario_score_at_the_threshold_passes(ethics_block):
    answer_all_correctly(ethics_block)
    assert ethics_block.call("learner_1", "submit_work", {"reflection": REFLECTION})[0] == 200
    [uuid] = ethics_block.submission_uuids("staff_mentor")
    assert ethics_block.grade("staff_mentor", uuid, ALL_SOLID, "Well argued.")[0] == 200
    assert AssessmentResult.objects.get().passed is True


ETHICS_FIELDS = (
    "case_narrative",
    "scenarios",
    "reflection_prompt",
    "guiding_questions",
    "reflection_rubric",
    "reflection_min_words",
    "reflection_max_words",
    "ethics_alignment",
)


def test_ethics_and_project_together_in_one_block(project):
    template = ethics_values()
    combined = {**PROJECT_VALUES, **{name: template[name] for name in ETHICS_FIELDS}}
    combined["ethics_enabled"] = True
    status, body = project.author(combined)
    assert status == 200, body
    block = project.block("learner_1")
    assert block.max_score() == 6 + 9 + 7
    assert block.assessment_methods() == [
        "project_rubric",
        "mentor_review",
        "self_assessment",
        "ethics_case_scenarios",
        "ethics_impact_reflection",
    ]
