"""The assessment block reports its submissions to the plugin's review queue, and its staff
queue puts the caller's own learners first once the course assigns mentors."""

from django.contrib.auth import get_user_model

from credplugin import api
from credplugin.mentoring.models import ReviewQueueEntry

from .conftest import submit_project

LEVELS = {"data-preparation": "proficient", "evaluation": "advanced"}


def _entries():
    return list(
        ReviewQueueEntry.objects.order_by("pk").values_list(
            "learner__username", "status", "decision", "reviewer__username"
        )
    )


def test_submission_review_and_resubmission_reach_the_plugins_queue(project):
    submit_project(project, "learner_a", with_file=False)
    [uuid] = project.submission_uuids("staff_mentor")
    entry = ReviewQueueEntry.objects.get()
    assert (str(entry.submission_uuid), entry.title) == (
        uuid,
        project.block("staff_mentor").display_name,
    )
    assert _entries() == [("learner_a", "waiting", "", None)]
    assert project.grade("staff_mentor", uuid, LEVELS, "Redo.", decision="revision")[0] == 200
    assert _entries() == [("learner_a", "reviewed", "revision_requested", "staff_mentor")]
    submit_project(project, "learner_a", with_file=False)
    assert _entries()[1] == ("learner_a", "waiting", "", None)


def test_the_staff_queue_lists_work_assigned_to_me_first(project):
    for user in ("learner_a", "learner_b", "learner_c"):
        submit_project(project, user, with_file=False)
    status, body = project.call("staff_mentor", "review_queue", {})
    assert status == 200 and "assigned to you" not in body["html"]
    course = str(project.block("staff_mentor").course_key())
    learner_c = get_user_model().objects.get(username="learner_c")
    api.assign_mentor(course_key=course, mentor="staff_mentor", learner=learner_c.pk)
    status, body = project.call("staff_mentor", "review_queue", {})
    html = body["html"]
    assert html.index("learner_c") < html.index("learner_a") < html.index("learner_b")
    assert html.count("assigned to you") == 1
    status, body = project.call("staff_other", "review_queue", {})
    assert body["html"].index("learner_a") < body["html"].index("learner_c")
