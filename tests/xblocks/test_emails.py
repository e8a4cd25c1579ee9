"""Review e-mail through the real block: staff hear of new work, learners of a grade or a
revision asked for, after the decision commits; each person may opt out in the block."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import transaction

from credplugin import api

from .conftest import submit_project

LEVELS = {"data-preparation": "proficient", "evaluation": "advanced"}


def give_addresses(*usernames):
    for username in usernames:
        get_user_model().objects.update_or_create(
            username=username,
            defaults={"email": f"{username}@example.org", "is_staff": username.startswith("staff")},
        )


@pytest.fixture
def people(project):
    give_addresses("learner_1", "staff_mentor", "staff_other")
    return project


def test_staff_are_told_of_new_work_and_the_learner_of_the_grade(
    people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit_project(people, with_file=False)
    submitted = {message.to[0]: message for message in mail.outbox}
    assert set(submitted) >= {"staff_mentor@example.org", "staff_other@example.org"}
    assert "learner_1@example.org" not in submitted
    message = submitted["staff_mentor@example.org"]
    assert message.subject == (
        "New work to review in “Capstone: build and evaluate a text classifier”"
    )
    assert "learner_1 submitted work to review" in message.body
    assert "/jump_to/" in message.body

    mail.outbox.clear()
    [uuid] = people.submission_uuids("staff_mentor")
    with django_capture_on_commit_callbacks(execute=True):
        assert people.grade("staff_mentor", uuid, LEVELS, "Clear split.")[0] == 200
    [graded] = mail.outbox
    assert graded.to == ["learner_1@example.org"]
    assert graded.subject.startswith("Your work on “Capstone")
    assert "you passed" in graded.body


def test_a_revision_request_tells_the_learner_to_resubmit(
    people, django_capture_on_commit_callbacks
):
    submit_project(people, with_file=False)
    [uuid] = people.submission_uuids("staff_mentor")
    with django_capture_on_commit_callbacks(execute=True):
        status, _body = people.grade("staff_mentor", uuid, {}, "Add recall.", decision="revision")
    assert status == 200
    [message] = mail.outbox
    assert message.subject.startswith("Your mentor asks for a revision of “Capstone")
    assert "resubmit" in message.body


def test_opting_out_in_the_block_stops_those_emails_only(
    people, django_capture_on_commit_callbacks
):
    status, body = people.call("learner_1", "email_preferences", {"email_on_review": False})
    assert status == 200 and body["email_on_review"] is False
    assert people.call("staff_other", "email_preferences", {"email_on_submission": False})[0] == 200
    assert (
        'data-choice="email_on_review" id='
        in people.call("learner_1", "learner_state", {})[1]["html"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        submit_project(people, with_file=False)
    assert [message.to for message in mail.outbox] == [["staff_mentor@example.org"]]
    mail.outbox.clear()
    [uuid] = people.submission_uuids("staff_mentor")
    with django_capture_on_commit_callbacks(execute=True):
        assert people.grade("staff_mentor", uuid, LEVELS, "Clear split.")[0] == 200
    assert mail.outbox == []
    assert api.notification_preferences(people.block("learner_1").actor().user_id) == {
        "email_on_review": False,
        "email_on_submission": True,
        "email_peer_reminders": True,
    }


def test_bad_choices_are_refused_and_nothing_is_sent_before_commit(people):
    status, body = people.call("learner_1", "email_preferences", {"email_on_review": "no"})
    assert status == 400 and body["error"] == "An e-mail choice must be yes or no."
    with pytest.raises(RuntimeError), transaction.atomic():
        submit_project(people, with_file=False)
        raise RuntimeError("the request failed after submitting")
    assert mail.outbox == []
    with pytest.raises(api.InvalidInput):
        api.assessment_reviewed(
            course_key="course-v1:a+b+c", usage_key="x", title="t", learner_id=1, status="lost"
        )
