"""The whole project workflow through the real workbench runtime: author, submit, review."""

from credplugin import api
from xblocks.assessment import review
from xblocks.assessment.demo import PROJECT_VALUES

from .conftest import submit_project

LEVELS = {"data-preparation": "proficient", "evaluation": "advanced"}


def learner_html(driver, user="learner_1"):
    status, body = driver.call(user, "learner_state", {})
    assert status == 200
    return body["html"]


def test_the_learner_view_registers_the_settings_learners_see(project):
    from credplugin.models import BadgeRequirement  # noqa: PLC0415  (assert on what was stored)

    block = project.block("staff_author")
    requirement = BadgeRequirement.objects.get()
    assert requirement.rubric.content_hash == api.snapshot_rubric(block.current_rubric())
    assert block.max_score() == 6
    assert block.assessment_methods() == ["project_rubric", "mentor_review", "self_assessment"]


def test_learner_submits_mentor_grades_learner_sees_levels_and_feedback(project):
    assert "Draft" in learner_html(project)
    body = submit_project(project)
    assert "Submitted" in body["html"]

    [uuid] = project.submission_uuids("staff_mentor", review.SUBMITTED)
    status, opened = project.call("staff_mentor", "review_open", {"submission_uuid": uuid})
    assert status == 200
    assert "report.pdf" in opened["html"]
    assert "In review" in learner_html(project)

    status, graded = project.grade("staff_mentor", uuid, LEVELS, "Clear split, honest metrics.")
    assert status == 200, graded
    html = learner_html(project)
    assert "Graded" in html
    assert "Clear split, honest metrics." in html
    assert "Advanced" in html and "meets the required level" in html
    assert "5 of 6 points" in html

    from submissions import api as submissions_api  # noqa: PLC0415

    score = submissions_api.get_latest_score_for_submission(uuid)
    assert (score["points_earned"], score["points_possible"]) == (5, 6)


def test_grading_records_the_result_against_the_submitted_rubric(project):
    from credplugin.models import AssessmentResult  # noqa: PLC0415  (assert on what was stored)

    submit_project(project)
    submitted_hash = api.snapshot_rubric(project.block("learner_1").current_rubric())
    edited = dict(PROJECT_VALUES)
    edited["rubric"] = {
        "criteria": [
            dict(c, name=c["name"] + " (v2)") for c in PROJECT_VALUES["rubric"]["criteria"]
        ]
    }
    assert project.author(edited)[0] == 200
    assert api.snapshot_rubric(project.block("learner_1").current_rubric()) != submitted_hash

    [uuid] = project.submission_uuids("staff_mentor")
    assert project.grade("staff_mentor", uuid, LEVELS, "Good.")[0] == 200
    result = AssessmentResult.objects.get()
    assert result.rubric.content_hash == submitted_hash
    assert result.passed is True
    assert [item["met"] for item in result.criterion_levels] == [True, True]
    assert result.evidence[0]["genre"] == "Project"
    assert "report.pdf" in result.evidence[0]["description"]
    assert result.reviewer.username == "staff_mentor"


def test_revision_requested_then_resubmitted(project):
    submit_project(project)
    [uuid] = project.submission_uuids("staff_mentor")
    status, body = project.grade(
        "staff_mentor", uuid, LEVELS, "Please report per-queue recall.", decision="revision"
    )
    assert status == 200, body
    html = learner_html(project)
    assert "Revision requested" in html
    assert "Please report per-queue recall." in html
    assert "Resubmit for review" in html

    submit_project(project, with_file=False)
    rows = review.queue(
        project.block("staff_mentor").course_key(), project.block("staff_mentor").usage_key()
    )
    assert [row["status"] for row in rows] == [review.SUBMITTED]
    assert rows[0]["attempt_number"] == 2


def test_submitted_work_is_locked_until_a_revision_is_requested(project):
    submit_project(project)
    status, body = project.call("learner_1", "save_draft", {"text": "changed"})
    assert status == 400
    assert "submitted" in body["error"]


def test_failing_levels_grade_as_not_passed(project):
    from credplugin.models import AssessmentResult  # noqa: PLC0415

    submit_project(project)
    [uuid] = project.submission_uuids("staff_mentor")
    low = {"data-preparation": "developing", "evaluation": "advanced"}
    assert project.grade("staff_mentor", uuid, low, "Leakage in the split.")[0] == 200
    assert AssessmentResult.objects.get().passed is False
    html = learner_html(project)
    assert "Not passed yet" in html and "Next step:" in html
    assert "Submit a new attempt" in html
    body = submit_project(project, with_file=False)
    assert "Submitted" in body["html"]
    assert [row["attempt_number"] for row in review.queue(*_keys(project))] == [2]


def _keys(project):
    block = project.block("staff_mentor")
    return block.course_key(), block.usage_key()


def test_a_revision_needs_feedback_only_and_comments_stay_with_their_criterion(project):
    from credplugin.models import AssessmentResult  # noqa: PLC0415

    submit_project(project)
    [uuid] = project.submission_uuids("staff_mentor")
    project.call("staff_mentor", "review_open", {"submission_uuid": uuid})
    status, body = project.call(
        "staff_mentor",
        "review_submit",
        {"submission_uuid": uuid, "decision": "revision", "feedback": "Report recall per queue."},
    )
    assert status == 200, body
    assert "Revision requested" in body["html"] and "Next submission" not in body["html"]
    assert AssessmentResult.objects.count() == 0

    submit_project(project, with_file=False)
    [uuid] = project.submission_uuids("staff_mentor")
    project.call("staff_mentor", "review_open", {"submission_uuid": uuid})
    status, body = project.call(
        "staff_mentor",
        "review_submit",
        {
            "submission_uuid": uuid,
            "decision": "grade",
            "levels": LEVELS,
            "comments": {"evaluation": "Macro F1 suits rare queues."},
            "feedback": "Good.",
        },
    )
    assert status == 200, body
    assert "Grade saved" in body["html"] and "Passed with 5 of 6 points." in body["html"]
    levels = AssessmentResult.objects.get().criterion_levels
    assert [item.get("comment") for item in levels] == [None, "Macro F1 suits rare queues."]
    assert "Model evaluation:</strong> Macro F1 suits rare queues." in learner_html(project)


def test_grading_offers_the_next_submission_that_needs_review(project):
    for user in ("learner_a", "learner_b", "learner_c"):
        submit_project(project, user, with_file=False)
    first, second, third = project.submission_uuids("staff_mentor")
    assert project.grade("staff_mentor", second, LEVELS, "ok")[0] == 200
    status, body = project.grade("staff_mentor", first, LEVELS, "ok")
    assert status == 200
    assert f'data-submission-uuid="{third}"' in body["html"]
    status, body = project.call("staff_mentor", "review_queue", {"status": "needs_review"})
    assert body["count"] == 1 and "learner_c" in body["html"]
    status, body = project.call("staff_mentor", "review_queue", {})
    assert body["html"].index("learner_c") < body["html"].index("learner_a")


def test_queue_is_oldest_first_and_filters_by_status(project):
    submit_project(project, "learner_a", with_file=False)
    submit_project(project, "learner_b", with_file=False)
    first, second = project.submission_uuids("staff_mentor")
    assert project.grade("staff_mentor", first, LEVELS, "ok")[0] == 200
    assert project.submission_uuids("staff_mentor", review.GRADED) == [first]
    assert project.submission_uuids("staff_mentor", review.SUBMITTED) == [second]
    status, body = project.call("staff_mentor", "review_queue", {"status": "submitted"})
    assert status == 200 and body["count"] == 1


def test_a_first_read_that_lost_the_student_item_creation_race_reads_again(project, monkeypatch):
    """edx-submissions creates the item on a read; the loser of two first reads fails once."""
    from submissions import api as submissions_api  # noqa: PLC0415

    real = submissions_api.get_submissions
    failures = [submissions_api.SubmissionRequestError(msg="unique set")]

    def racing(item, limit=None):
        if failures:
            raise failures.pop()
        return real(item, limit)

    monkeypatch.setattr(submissions_api, "get_submissions", racing)
    status, body = project.call("learner_1", "learner_state", {})
    assert status == 200, body
    assert failures == []
