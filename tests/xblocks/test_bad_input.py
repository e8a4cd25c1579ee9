"""Malformed, oversized or forbidden input gets a 400 with a clear message and changes nothing."""

import json

import pytest

from xblocks.assessment import evidence, review

from .conftest import ANSWER, PDF


def _state(driver, user="learner_1"):
    block = driver.block(user)
    return dict(block.draft), list(block.draft_files)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{not json", "The request is not valid JSON."),
        (b"[1, 2]", "The request must be a JSON object."),
        (b"\xff\xfe", "The request is not valid JSON."),
        (b"[" * 100_000, "The request is nested too deeply."),
        (b'{"text": ' + b"[" * 40 + b"]" * 40 + b"}", "The request is nested too deeply."),
        (b'{"text": NaN}', "The request is not valid JSON."),
        (b'{"text": -Infinity}', "The request is not valid JSON."),
        (b'{"text": "\\ud800"}', "The request contains text that is not valid Unicode."),
        (b'{"\\udfff": "key"}', "The request contains text that is not valid Unicode."),
    ],
)
def test_malformed_json_is_rejected(project, body, message):
    before = _state(project)
    response = project.request("learner_1", "save_draft", body=body)
    assert response.status_code == 400
    assert response.json == {"error": message}
    assert _state(project) == before


def test_huge_text_is_rejected_before_parsing(project):
    body = json.dumps({"text": "word " * 200_000}).encode()
    response = project.request("learner_1", "submit_work", body=body)
    assert response.status_code == 400
    assert "too large" in response.json["error"]
    assert project.submission_uuids("staff_mentor") == []


def test_text_over_the_word_limit_is_rejected(project):
    status, body = project.call("learner_1", "submit_work", {"text": "word " * 2001})
    assert status == 400
    assert {
        "field": "text",
        "message": "Your answer has 2001 words; keep it to 2000 at most.",
    } in body["errors"]
    assert project.submission_uuids("staff_mentor") == []


def test_text_under_the_word_limit_is_rejected(project):
    status, body = project.call("learner_1", "submit_work", {"text": "too short"})
    assert status == 400
    assert "write at least 20" in body["errors"][0]["message"]


def test_bad_links_are_rejected(project):
    status, body = project.call(
        "learner_1", "submit_work", {"text": ANSWER, "links": ["javascript:alert(1)"]}
    )
    assert status == 400
    assert body["errors"][0]["field"] == "links.0"
    assert "is not a web address" in body["errors"][0]["message"]
    status, body = project.call(
        "learner_1", "save_draft", {"links": [f"https://x.org/{n}" for n in range(4)]}
    )
    assert status == 400 and body["error"] == "Too many links: at most 3."


def test_forbidden_file_type_is_rejected(project):
    before = _state(project)
    status, body = project.upload("learner_1", "tool.exe", b"MZ\x90\x00")
    assert status == 400
    assert body["error"].startswith("Files of type “exe” are not accepted here")
    assert _state(project) == before


def test_renamed_file_fails_the_content_check(project):
    status, body = project.upload("learner_1", "report.pdf", b"MZ\x90\x00 not really a pdf")
    assert status == 400
    assert body["error"] == "report.pdf does not look like a .pdf file."
    assert _state(project)[1] == []


def test_oversized_file_is_rejected(project):
    huge = b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024 + 1)
    status, body = project.upload("learner_1", "big.pdf", huge)
    assert status == 400
    assert "larger than 5 MB" in body["error"]
    assert _state(project)[1] == []


def test_too_many_files_are_rejected(project):
    for number in range(3):
        assert project.upload("learner_1", f"r{number}.pdf", PDF)[0] == 200
    status, body = project.upload("learner_1", "r4.pdf", PDF)
    assert status == 400 and body["error"] == "You can attach at most 3 files."
    assert len(_state(project)[1]) == 3


def test_empty_submission_is_rejected(project):
    block_values = project.block("staff_author").authored_values()
    block_values.update(text_enabled=False)
    assert project.author(block_values)[0] == 200
    status, body = project.call("learner_1", "submit_work", {})
    assert status == 400
    assert body["errors"][0]["field"] == "text"
    assert body["errors"][0]["message"].startswith("Add your work")


def test_bad_review_input_is_rejected_and_nothing_is_graded(project):
    from .conftest import submit_project  # noqa: PLC0415

    submit_project(project, with_file=False)
    [uuid] = project.submission_uuids("staff_mentor")
    cases = [
        ({"levels": {"data-preparation": "advanced"}, "decision": "grade"}, "Choose a level for"),
        ({"levels": {"nope": "x"}, "decision": "grade"}, "This rubric has no criterion nope"),
        ({"levels": [], "decision": "grade"}, "Choose a level for every criterion."),
        ({"levels": {}, "decision": "publish"}, "Choose whether to grade"),
        (
            {
                "levels": {"data-preparation": "advanced", "evaluation": "advanced"},
                "decision": "revision",
            },
            "Tell the learner what to revise",
        ),
        ({"levels": {}, "decision": "grade", "feedback": "x" * 10_001}, "Feedback must be text"),
    ]
    for payload, message in cases:
        status, body = project.call(
            "staff_mentor", "review_submit", {"submission_uuid": uuid, **payload}
        )
        assert status == 400, payload
        messages = [body["error"]] + [problem["message"] for problem in body.get("errors", [])]
        assert any(text.startswith(message) for text in messages), body
    assert project.submission_uuids("staff_mentor", review.GRADED) == []


def test_get_is_refused_for_json_handlers(project):
    response = project.request("learner_1", "save_draft")
    assert response.status_code == 400
    assert response.json["error"] == "Send this request with POST."


def test_file_checks_by_content():
    assert evidence.check_file(
        "a.png", b"\x89PNG\r\n\x1a\n....", allowed_types=["png"], max_size_mb=1
    )
    assert evidence.check_file("n.ipynb", b'{"cells": []}', allowed_types=["ipynb"], max_size_mb=1)
    for name, content in (("n.ipynb", b"[1]"), ("t.txt", b"a\x00b"), ("d.docx", b"%PDF-")):
        with pytest.raises(evidence.InvalidInput):
            evidence.check_file(
                name, content, allowed_types=["ipynb", "txt", "docx"], max_size_mb=1
            )
    assert evidence.display_name('../../etc/pass"wd<x>.pdf') == "passwdx.pdf"


def test_a_download_address_that_is_not_utf8_is_a_400(project):
    response = project.request("learner_1", "download_file", query="file=%ab%cd")
    assert response.status_code == 400
    assert response.json == {"error": "The address of this request is not valid."}
