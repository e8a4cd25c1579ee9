"""Only staff review; learners reach only their own work and files (handlers in a real runtime)."""

from credplugin.models import BadgeClass
from xblocks.assessment import review
from xblocks.assessment.demo import PROJECT_VALUES

from .conftest import PDF, submit_project


def _file_query(driver, user, submission_uuid=""):
    block = driver.block(user)
    if submission_uuid:
        found = review.get_submission(submission_uuid)
        return f"submission={submission_uuid}&file={found['answer']['files'][0]['id']}"
    return f"file={block.draft_files[0]['id']}"


def test_learner_cannot_open_the_queue_or_review(project):
    submit_project(project)
    [uuid] = project.submission_uuids("staff_mentor")
    for handler, payload in (
        ("review_queue", {}),
        ("review_open", {"submission_uuid": uuid}),
        (
            "review_submit",
            {"submission_uuid": uuid, "levels": {}, "feedback": "x", "decision": "grade"},
        ),
    ):
        status, body = project.call("learner_2", handler, payload)
        assert status == 403, handler
        assert body["error"] == "Only course staff can review submissions."
    status, body = project.call("learner_1", "review_open", {"submission_uuid": uuid})
    assert status == 403
    assert project.submission_uuids("staff_mentor", review.SUBMITTED) == [uuid]


def test_learner_cannot_download_another_learners_file(project):
    submit_project(project)
    [uuid] = project.submission_uuids("staff_mentor")
    query = _file_query(project, "learner_1", uuid)
    denied = project.request("learner_2", "download_file", query=query)
    assert denied.status_code == 403
    assert PDF not in denied.body

    own = project.request("learner_1", "download_file", query=query)
    assert own.status_code == 200 and own.body == PDF
    assert own.headers["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in own.headers["Content-Disposition"]
    staff = project.request("staff_mentor", "download_file", query=query)
    assert staff.status_code == 200 and staff.body == PDF


def test_file_names_in_any_script_download_safely(project):
    assert project.upload("learner_1", "résumé «final».pdf", PDF)[0] == 200
    response = project.request(
        "learner_1", "download_file", query=_file_query(project, "learner_1")
    )
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="r_sum_ _final_.pdf"; '
        "filename*=UTF-8''r%C3%A9sum%C3%A9%20%C2%ABfinal%C2%BB.pdf"
    )


def test_draft_files_are_private_to_their_learner(project):
    assert project.upload("learner_1", "report.pdf", PDF)[0] == 200
    query = _file_query(project, "learner_1")
    assert project.request("learner_1", "download_file", query=query).status_code == 200
    assert project.request("learner_2", "download_file", query=query).status_code == 404


def test_unknown_or_foreign_submission_ids_are_not_found(project, ethics_block):
    submit_project(project)
    [uuid] = project.submission_uuids("staff_mentor")
    for bad in ("not-a-uuid", "00000000-0000-0000-0000-000000000000", uuid):
        status, body = ethics_block.call("staff_mentor", "review_open", {"submission_uuid": bad})
        assert status == 404, bad
        assert body["error"] == "That submission does not exist."


def test_staff_cannot_grade_an_outdated_submission(project):
    submit_project(project)
    [first] = project.submission_uuids("staff_mentor")
    incomplete = project.grade("staff_mentor", first, {"data-preparation": "beginning"}, "x")
    assert incomplete[0] == 400
    assert (
        project.grade(
            "staff_mentor",
            first,
            {"data-preparation": "developing", "evaluation": "developing"},
            "Please add per-queue recall.",
            decision="revision",
        )[0]
        == 200
    )
    submit_project(project, with_file=False)
    status, body = project.grade(
        "staff_mentor", first, {"data-preparation": "advanced", "evaluation": "advanced"}, "ok"
    )
    assert status == 400
    assert "newer work" in body["error"]


def test_only_authors_edit_the_block_or_read_the_template(project):
    before = project.block("learner_1").authored_values()
    hijack = {**PROJECT_VALUES, "badge": {**PROJECT_VALUES["badge"], "name": "Free badge"}}
    status, body = project.author(hijack, user="learner_1")
    assert status == 403
    assert body["error"] == "Only the course's authors can change this assessment."
    assert project.block("learner_1").authored_values() == before
    assert BadgeClass.objects.get().name == "Applied ML Practitioner"
    status, body = project.call("learner_1", "authoring_template", {"name": "ethics_hiring_bias"})
    assert status == 403
    assert "values" not in body
