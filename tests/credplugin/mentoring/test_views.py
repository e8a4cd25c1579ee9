"""The mentor dashboard and the assignments API over HTTP: who may see and change what, and
bad or hostile input refused with a 4xx and nothing stored."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from credplugin import api
from credplugin.mentoring.models import MentorAssignment
from credplugin.models import LearnerPreference
from tests.factories import COURSE_KEY, UserFactory

pytestmark = pytest.mark.django_db
COURSE = str(COURSE_KEY)


def dashboard(course=COURSE):
    return reverse("credplugin:mentor-dashboard", args=[course])


def assignments_url(course=COURSE):
    return reverse("credplugin:mentor-assignments-api", args=[course])


def test_a_mentor_sees_their_queue_and_staff_see_every_mentors_load(
    client, mentors, learners, submit, settings
):
    settings.CREDPLUGIN_MENTOR_TURNAROUND_HOURS = 24
    api.assign_mentor(course_key=COURSE, mentor=mentors[0].pk, learner=learners[0].pk)
    submit(learners[0], hours_ago=30, title="Capstone")
    submit(learners[1], hours_ago=2, title="Essay")
    client.force_login(mentors[0])
    page = client.get(dashboard())
    assert page.status_code == 200
    html = page.content.decode()
    mine = html.split('id="credplugin-unassigned-title"')[0]
    assert "Capstone" in mine and "30 hours" in mine and "(past the target)" in mine
    assert "Essay" not in mine
    assert f"/courses/{COURSE}/jump_to/" in mine
    assert "Median turnaround (hours)" in html  # standalone reviewers are course staff


def test_only_the_courses_reviewers_see_the_dashboard(client, learners):
    client.force_login(learners[0])
    assert client.get(dashboard()).status_code == 403
    assert client.get(dashboard("not a course")).status_code == 404
    client.logout()
    assert client.get(dashboard()).status_code == 302  # to the sign-in page


def test_a_mentor_who_is_not_course_staff_sees_no_mentor_figures(
    client, mentors, learners, monkeypatch
):
    from credplugin import compat  # noqa: PLC0415

    api.assign_mentor(course_key=COURSE, mentor=mentors[0].pk, learner=learners[0].pk)
    monkeypatch.setattr(compat, "is_course_staff", lambda user, key: False)
    client.force_login(mentors[0])
    page = client.get(dashboard())
    assert page.status_code == 200
    assert "Median turnaround" not in page.content.decode()


def test_a_mentor_turns_reminders_off_on_the_dashboard(client, mentors):
    client.force_login(mentors[0])
    response = client.post(reverse("credplugin:mentor-reminders", args=[COURSE]), {})
    assert response.status_code == 302
    assert LearnerPreference.objects.get(user=mentors[0]).email_mentor_reminders is False
    assert (
        "checked"
        not in client.get(dashboard()).content.decode().split("id_mentor_reminders")[1][:20]
    )


def test_a_learner_cannot_change_their_reminder_choice_through_a_course(client, learners):
    client.force_login(learners[0])
    response = client.post(reverse("credplugin:mentor-reminders", args=[COURSE]), {"enabled": "on"})
    assert response.status_code == 403
    assert not LearnerPreference.objects.exists()


def test_staff_assign_list_and_remove_through_the_api(client, mentors, learners):
    client.force_login(mentors[0])
    created = client.post(
        assignments_url(),
        {"mentor": "mentor1", "learner": "pupil0"},
        content_type="application/json",
    )
    assert created.status_code == 201
    listed = client.get(assignments_url()).json()["results"]
    assert [(row["mentor"], row["learner"]) for row in listed] == [("mentor1", "pupil0")]
    url = reverse("credplugin:mentor-assignment-api", args=[COURSE, created.json()["id"]])
    assert client.delete(url).status_code == 204
    assert client.delete(url).status_code == 404
    assert not MentorAssignment.objects.exists()


def test_a_csv_upload_and_round_robin_through_the_api(client, mentors, learners, submit):
    Group.objects.create(name="Evening")
    for learner in learners[:4]:
        submit(learner)
    client.force_login(mentors[0])
    upload = SimpleUploadedFile("mentors.csv", b"mentor,learner\nmentor1,pupil0\n", "text/csv")
    response = client.post(
        reverse("credplugin:mentor-assignments-csv-api", args=[COURSE]), {"file": upload}
    )
    assert (response.status_code, response.json()) == (201, {"stored": 1})
    response = client.post(reverse("credplugin:mentor-round-robin-api", args=[COURSE]))
    assert response.status_code == 200
    assert sum(response.json()["assigned"].values()) == 3


HOSTILE_ASSIGNMENTS = [
    {"mentor": "mentor1"},
    {"mentor": "pupil1", "learner": "pupil0"},
    {"mentor": "mentor1", "learner": "x" * 10_000},
    {"mentor": ["mentor1"], "learner": "pupil0"},
    {"mentor": {"$gt": ""}, "learner": "pupil0"},
    {"mentor": True, "learner": "pupil0"},
    {"mentor": "mentor1", "learner": "pupil0", "cohort": "Evening"},
    {"mentor": "mentor1", "cohort": "<script>alert(1)</script>"},
    {"mentor": "' OR 1=1 --", "learner": "pupil0"},
    ["mentor1", "pupil0"],
    "mentor1",
]


@pytest.mark.parametrize("body", HOSTILE_ASSIGNMENTS)
def test_hostile_assignments_are_refused_and_store_nothing(client, mentors, learners, body):
    client.force_login(mentors[0])
    response = client.post(assignments_url(), body, content_type="application/json")
    assert 400 <= response.status_code < 500
    assert not MentorAssignment.objects.exists()


def test_malformed_json_is_refused(client, mentors):
    client.force_login(mentors[0])
    response = client.post(assignments_url(), "{not json", content_type="application/json")
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("upload", "content_type"),
    [
        ({"file": SimpleUploadedFile("x.csv", b"mentor,learner\npupil1,pupil0\n")}, None),
        ({"file": SimpleUploadedFile("x.csv", b"\x00\xff" * 100)}, None),
        ({"other": SimpleUploadedFile("x.csv", b"mentor,learner\nmentor1,pupil0\n")}, None),
        ("mentor,learner\nmentor1,pupil0\n", "application/json"),
    ],
)
def test_hostile_csv_uploads_are_refused_and_store_nothing(
    client, mentors, learners, upload, content_type
):
    client.force_login(mentors[0])
    url = reverse("credplugin:mentor-assignments-csv-api", args=[COURSE])
    if content_type:
        response = client.post(url, upload, content_type=content_type)
    else:
        response = client.post(url, upload)
    assert 400 <= response.status_code < 500
    assert not MentorAssignment.objects.exists()


def test_a_csv_body_names_every_wrong_row(client, mentors, learners):
    client.force_login(mentors[0])
    url = reverse("credplugin:mentor-assignments-csv-api", args=[COURSE])
    body = "mentor,learner\nmentor1,pupil0\npupil1,pupil2\nmentor1,ghost\n"
    response = client.post(url, body, content_type="text/csv")
    assert response.status_code == 400
    assert [error.split(",")[0] for error in response.json()["errors"]] == ["Row 3", "Row 4"]
    assert not MentorAssignment.objects.exists()


@pytest.mark.parametrize(
    ("name", "method", "args"),
    [
        ("mentor-assignments-api", "get", []),
        ("mentor-assignments-api", "post", []),
        ("mentor-assignment-api", "delete", [1]),
        ("mentor-assignments-csv-api", "post", []),
        ("mentor-round-robin-api", "post", []),
    ],
)
def test_the_api_is_for_the_courses_staff_only(client, learners, name, method, args):
    url = reverse(f"credplugin:{name}", args=[COURSE, *args])
    assert getattr(client, method)(url).status_code in (401, 403)
    client.force_login(learners[0])
    assert getattr(client, method)(url).status_code == 403
    other = reverse(f"credplugin:{name}", args=["not-a-course", *args])
    client.force_login(UserFactory(username="boss", is_staff=True))
    assert getattr(client, method)(other).status_code == 404
    assert not MentorAssignment.objects.exists()
