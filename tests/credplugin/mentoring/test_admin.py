"""Mentor assignments in the admin: checked like the API's, a CSV file stored whole or not at
all with every wrong row shown, and round robin."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from credplugin.mentoring.models import MentorAssignment
from tests.factories import COURSE_KEY

pytestmark = pytest.mark.django_db
COURSE = str(COURSE_KEY)
BULK = "admin:credplugin_mentorassignment_bulk"


def test_an_assignment_by_hand_needs_a_mentor_who_reviews_work(admin_client, mentors, learners):
    add = reverse("admin:credplugin_mentorassignment_add")
    response = admin_client.post(
        add, {"course_key": COURSE, "mentor": learners[1].pk, "learner": learners[0].pk}
    )
    assert response.status_code == 200
    assert "does not review work in this course" in response.content.decode()
    assert not MentorAssignment.objects.exists()
    response = admin_client.post(
        add, {"course_key": COURSE, "mentor": mentors[0].pk, "learner": learners[0].pk}
    )
    assert response.status_code == 302
    assert MentorAssignment.objects.get().mentor == mentors[0]


def test_the_changelist_links_to_the_bulk_page(admin_client):
    page = admin_client.get(reverse("admin:credplugin_mentorassignment_changelist"))
    assert reverse(BULK) in page.content.decode()
    assert admin_client.get(reverse(BULK)).status_code == 200


def test_a_bulk_csv_with_a_wrong_row_stores_nothing_and_lists_it(admin_client, mentors, learners):
    data = b"mentor,learner\nmentor1,pupil0\npupil3,pupil2\n"
    response = admin_client.post(
        reverse(BULK),
        {"course_key": COURSE, "mode": "csv", "csv_file": SimpleUploadedFile("m.csv", data)},
    )
    assert response.status_code == 400
    assert "Row 3, mentor" in response.content.decode()
    assert not MentorAssignment.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"course_key": "not a course", "mode": "round_robin"},
        {"course_key": COURSE, "mode": "csv"},
    ],
)
def test_bulk_input_that_is_not_usable_is_refused(admin_client, mentors, fields):
    assert admin_client.post(reverse(BULK), fields).status_code == 400
    assert not MentorAssignment.objects.exists()


def test_bulk_csv_and_round_robin(admin_client, mentors, learners, submit):
    for learner in learners[:4]:
        submit(learner)
    data = b"mentor,learner\nmentor1,pupil0\n"
    response = admin_client.post(
        reverse(BULK),
        {"course_key": COURSE, "mode": "csv", "csv_file": SimpleUploadedFile("m.csv", data)},
    )
    assert response.status_code == 302
    response = admin_client.post(reverse(BULK), {"course_key": COURSE, "mode": "round_robin"})
    assert response.status_code == 302
    assert MentorAssignment.objects.count() == 4
