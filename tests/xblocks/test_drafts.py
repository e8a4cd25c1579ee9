"""Nothing a learner typed is lost: drafts keep everything, links are normalized or named, and a
refused submission still saves the draft (the handler side of the lost-work regression)."""

import pytest

from xblocks.assessment.evidence import link_problem, normalize_link

from .conftest import ANSWER, PDF


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("github.com/me/x", "https://github.com/me/x"),
        ("  www.example.org  ", "https://www.example.org"),
        (
            "colab.research.google.com/drive/1?usp=sharing",
            "https://colab.research.google.com/drive/1?usp=sharing",
        ),
        ("https://git.example.org/a", "https://git.example.org/a"),
        ("javascript:alert(1)", "javascript:alert(1)"),
        ("localhost:8888/notebook", "localhost:8888/notebook"),
        ("my repository", "my repository"),
    ],
)
def test_links_without_a_scheme_get_https_and_nothing_else_is_guessed(typed, kept):
    assert normalize_link(typed) == kept


def test_only_web_addresses_pass_the_link_check():
    assert link_problem("https://github.com/me/x") is None
    assert "is not a web address" in str(link_problem("javascript:alert(1)"))
    assert "too long" in str(link_problem("https://x.org/" + "a" * 2000))


def test_a_link_without_https_is_saved_with_it(project):
    status, body = project.call(
        "learner_1", "save_draft", {"text": ANSWER, "links": ["github.com/me/x", "", ""]}
    )
    assert status == 200, body
    assert body["errors"] == []
    draft = project.block("learner_1").draft
    assert draft["text"] == ANSWER
    assert draft["links"] == ["https://github.com/me/x"]


def test_a_link_that_is_not_a_web_address_is_named_but_the_draft_is_saved(project):
    status, body = project.call(
        "learner_1", "save_draft", {"text": ANSWER, "links": ["", "my repository", ""]}
    )
    assert status == 200, body
    assert body["errors"] == [
        {
            "field": "links.1",
            "message": "“my repository” is not a web address such as https://example.org/work.",
        }
    ]
    draft = project.block("learner_1").draft
    assert draft["text"] == ANSWER
    assert draft["links"] == ["", "my repository"]


def test_upload_after_a_bad_link_keeps_the_answer_and_the_link(project):
    assert (
        project.call("learner_1", "save_draft", {"text": ANSWER, "links": ["not a link"]})[0] == 200
    )
    status, body = project.upload("learner_1", "report.pdf", PDF)
    assert status == 200, body
    assert ANSWER in body["html"]
    assert 'value="not a link"' in body["html"]


def test_a_refused_submission_lists_every_problem_and_keeps_the_draft(project):
    status, body = project.call(
        "learner_1", "submit_work", {"text": "too short", "links": ["not a link"]}
    )
    assert status == 400
    assert [problem["field"] for problem in body["errors"]] == [
        "text",
        "links.0",
        "self.data-preparation",
        "self.evaluation",
    ]
    assert body["error"] == "Fix the problems listed (4)."
    draft = project.block("learner_1").draft
    assert (draft["text"], draft["links"]) == ("too short", ["not a link"])
    assert project.submission_uuids("staff_mentor") == []


def test_a_submission_stores_normalized_links(project):
    work = {
        "text": ANSWER,
        "links": ["", "github.com/me/x"],
        "self_assessment": {"data-preparation": "proficient", "evaluation": "advanced"},
    }
    status, body = project.call("learner_1", "submit_work", work)
    assert status == 200, body
    [uuid] = project.submission_uuids("staff_mentor")
    status, opened = project.call("staff_mentor", "review_open", {"submission_uuid": uuid})
    assert 'href="https://github.com/me/x"' in opened["html"]


def test_read_only_work_does_not_say_it_is_saved_as_you_type(project):
    from .conftest import submit_project  # noqa: PLC0415

    status, body = project.call("learner_1", "learner_state", {})
    assert "Saved as you type." in body["html"]
    submit_project(project, with_file=False)
    status, body = project.call("learner_1", "learner_state", {})
    assert "Saved as you type." not in body["html"]
    assert "As submitted." in body["html"]
