"""Assignment rules: who may mentor, learner before cohort, CSV all-or-nothing with every
wrong row named, and round robin that stays fair."""

import pytest
from django.contrib.auth.models import Group

from credplugin import api
from credplugin.exceptions import InvalidInput
from credplugin.mentoring import assignment
from credplugin.mentoring.models import MentorAssignment
from tests.factories import COURSE_KEY, UserFactory

pytestmark = pytest.mark.django_db
COURSE = str(COURSE_KEY)


def test_only_someone_who_reviews_work_in_the_course_may_mentor(learners):
    outsider = UserFactory(username="outsider")
    with pytest.raises(InvalidInput, match="does not review work in this course"):
        api.assign_mentor(course_key=COURSE, mentor=outsider.username, learner=learners[0].pk)
    assert not MentorAssignment.objects.exists()


@pytest.mark.parametrize(
    ("learner", "cohort", "message"),
    [
        (None, None, "either a learner or a cohort"),
        ("pupil0", "Evening", "either a learner or a cohort"),
        ("nobody-by-that-name", None, "no active user"),
        (None, "No such cohort", "no cohort"),
        ("mentor0", None, "Nobody mentors themselves"),
    ],
)
def test_an_assignment_names_one_real_learner_or_cohort(
    mentors, learners, learner, cohort, message
):
    with pytest.raises(InvalidInput, match=message):
        api.assign_mentor(course_key=COURSE, mentor="mentor0", learner=learner, cohort=cohort)
    assert not MentorAssignment.objects.exists()


def test_a_learner_has_one_mentor_per_course_and_their_own_wins_over_their_cohorts(
    mentors, learners
):
    evening = Group.objects.create(name="Evening")
    evening.user_set.add(learners[0], learners[1])
    api.assign_mentor(course_key=COURSE, mentor=mentors[0].pk, cohort="Evening")
    api.assign_mentor(course_key=COURSE, mentor=mentors[1].email, learner="pupil1")
    api.assign_mentor(course_key=COURSE, mentor=mentors[2].pk, learner="pupil1")
    ids = [learner.pk for learner in learners[:3]]
    assert assignment.mentors_of(COURSE_KEY, ids) == {
        learners[0].pk: mentors[0].pk,
        learners[1].pk: mentors[2].pk,
    }
    assert MentorAssignment.objects.filter(learner=learners[1]).count() == 1


def test_a_csv_file_is_stored_whole(mentors, learners):
    Group.objects.create(name="Evening")
    data = "mentor,learner,cohort\nmentor0,pupil0,\nmentor1@example.org,pupil1,\nmentor2,,Evening\n"
    assert api.import_mentor_assignments(course_key=COURSE, data=data.encode()) == 3
    assert MentorAssignment.objects.count() == 3


def test_a_csv_file_with_bad_rows_stores_nothing_and_names_each_one(mentors, learners):
    api.assign_mentor(course_key=COURSE, mentor="mentor0", learner="pupil6")
    data = (
        "mentor,learner\n"
        "mentor1,pupil0\n"  # fine
        "pupil2,pupil1\n"  # not a reviewer
        "mentor1,ghost\n"  # no such learner
        "mentor2,pupil0\n"  # pupil0 twice
        "mentor1,pupil6\n"  # would change pupil6's mentor: fine on its own
        "mentor1,pupil3,extra\n"  # too many values
    )
    with pytest.raises(InvalidInput, match="Nothing was stored: 4 row") as raised:
        api.import_mentor_assignments(course_key=COURSE, data=data)
    errors = raised.value.errors
    assert [error.split(",")[0] for error in errors] == ["Row 3", "Row 4", "Row 5", "Row 7"]
    assert "does not review work" in errors[0]
    assert "ghost" in errors[1]
    assert "Also assigned on row 2" in errors[2]
    assert list(MentorAssignment.objects.values_list("learner__username", "mentor__username")) == [
        ("pupil6", "mentor0")
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "name the columns"),
        (b"learner\npupil0\n", "name the columns"),
        (b"mentor,learner,password\nmentor0,pupil0,x\n", "Unknown column"),
        (b"mentor,learner\n", "no rows"),
        (b"\xff\xfe\x00m", "not UTF-8"),
        (b"mentor,learner\n" + b"mentor0,pupil0\n" * 70_000, "larger than 1 MB"),
        ("mentor,learner\n" + "mentor0,pupil0\n" * 5_001, "more than 5,000 rows"),
        ('mentor,learner\n"mentor0,pupil0\n', "Nothing was stored|not valid CSV"),
    ],
)
def test_a_malformed_csv_file_is_refused(mentors, learners, data, message):
    with pytest.raises(InvalidInput, match=message):
        api.import_mentor_assignments(course_key=COURSE, data=data)
    assert not MentorAssignment.objects.exists()


def test_round_robin_spreads_unassigned_learners_evenly(mentors, learners, submit):
    for learner in learners:
        submit(learner)
    api.assign_mentor(course_key=COURSE, mentor=mentors[0].pk, learner=learners[0].pk)
    api.assign_mentor(course_key=COURSE, mentor=mentors[0].pk, learner=learners[1].pk)
    added = api.assign_mentors_round_robin(course_key=COURSE)
    # mentor0 already had two: the others catch up first, then turns go by id.
    assert added == {mentors[0].pk: 1, mentors[1].pk: 2, mentors[2].pk: 2}
    load = [MentorAssignment.objects.filter(mentor=mentor).count() for mentor in mentors]
    assert load == [3, 2, 2]
    assert api.assign_mentors_round_robin(course_key=COURSE) == {}


def test_round_robin_leaves_a_cohorts_learners_with_their_cohorts_mentor(mentors, learners, submit):
    Group.objects.create(name="Evening").user_set.add(*learners[:4])
    api.assign_mentor(course_key=COURSE, mentor=mentors[2].pk, cohort="Evening")
    for learner in learners:
        submit(learner)
    api.assign_mentors_round_robin(course_key=COURSE)
    assigned = set(MentorAssignment.objects.exclude(learner=None).values_list("learner", flat=True))
    assert assigned == {learner.pk for learner in learners[4:]}


def test_round_robin_needs_someone_to_review(learners, submit):
    submit(learners[0])
    with pytest.raises(InvalidInput, match="Nobody reviews work"):
        api.assign_mentors_round_robin(course_key=COURSE)
