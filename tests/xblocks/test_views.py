"""The workbench scenarios render for learners and staff; everything shown is escaped."""

from django.test import Client

from .conftest import PROJECT_SCENARIO, submit_project

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def scenario_page(scenario, student):
    client = Client()
    response = client.get(f"/workbench/scenario/{scenario}/?student={student}")
    assert response.status_code == 200
    return response.content.decode()


def test_workbench_lists_the_assessment_scenarios(workbench):
    page = Client().get("/workbench/").content.decode()
    assert "credplugin assessment: project judged against a rubric" in page
    assert "credplugin assessment: ethics case study (hiring bias)" in page


def test_learner_view_shows_prompt_rubric_pass_rule_and_form(workbench):
    page = scenario_page(PROJECT_SCENARIO, "learner_1")
    assert "Train a classifier" in page
    assert "Data preparation" in page and "Proficient" in page
    assert "Every rubric criterion reaches its required level." in page
    assert 'aria-live="polite"' in page
    assert '<label for="cpa-text-' in page
    assert "Review queue" not in page


def test_staff_view_adds_the_review_queue(workbench):
    page = scenario_page(PROJECT_SCENARIO, "staff_mentor")
    assert "Review queue" in page
    assert 'class="cpa-filter"' in page


def test_learner_text_and_links_are_escaped_for_the_mentor(project):
    assert project.call("learner_1", "save_draft", {"text": XSS})[0] == 200
    status, body = project.call("learner_1", "learner_state", {})
    assert XSS not in body["html"]
    assert "&lt;script&gt;" in body["html"]
    submit_project(project, with_file=False)
    status, body = project.call("learner_2", "submit_work", {"text": XSS + " word" * 30})
    assert status == 400
    assert [problem["field"] for problem in body["errors"]] == [
        "self.data-preparation",
        "self.evaluation",
    ]
    self_assessment = {"data-preparation": "advanced", "evaluation": "advanced"}
    work = {"text": XSS + " word" * 30, "self_assessment": self_assessment}
    assert project.call("learner_2", "submit_work", work)[0] == 200
    uuids = project.submission_uuids("staff_mentor")
    status, body = project.call("staff_mentor", "review_open", {"submission_uuid": uuids[-1]})
    assert status == 200
    assert "<script>" not in body["html"]
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body["html"]


def test_author_text_is_escaped_where_it_is_not_rich_text(project):
    from xblocks.assessment.demo import PROJECT_VALUES  # noqa: PLC0415

    rubric = {"criteria": [dict(c) for c in PROJECT_VALUES["rubric"]["criteria"]]}
    rubric["criteria"][0]["name"] = XSS
    assert project.author({**PROJECT_VALUES, "rubric": rubric, "display_name": XSS})[0] == 200
    html = project.block("learner_1").render("student_view").body_html()
    assert XSS not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_max_score_does_not_depend_on_a_learner(project):
    scores = {project.block(user).max_score() for user in ("learner_1", "staff_mentor", "x")}
    assert scores == {6}


def test_student_view_data_for_mobile(project):
    data = project.block("learner_1").student_view_data()
    assert data["max_score"] == 6
    assert data["rubric"]["criteria"][0]["id"] == "data-preparation"
    assert data["scenarios"] == []
