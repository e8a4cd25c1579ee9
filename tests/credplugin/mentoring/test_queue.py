"""The review queue the assessment block reports into: waiting, superseded, reviewed, and
what a mentor sees of it."""

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from opaque_keys.edx.keys import CourseKey

from credplugin import api
from credplugin.exceptions import InvalidInput
from credplugin.mentoring import queue
from credplugin.mentoring.models import ReviewQueueEntry
from tests.credplugin.mentoring.conftest import BLOCKS
from tests.factories import COURSE_KEY, usage_key_for

pytestmark = pytest.mark.django_db
OTHER_COURSE = CourseKey.from_string("course-v1:credplugin+other+2026")


def test_a_resubmission_replaces_the_learners_work_still_waiting_in_that_block(learners, submit):
    first = submit(learners[0], hours_ago=5)
    other_block = submit(learners[0], hours_ago=5, block=1)
    second = submit(learners[0])
    statuses = dict(ReviewQueueEntry.objects.values_list("submission_uuid", "status"))
    assert statuses == {first: "superseded", other_block: "waiting", second: "waiting"}


def test_repeating_a_report_changes_nothing(learners, submit):
    work = submit(learners[0], hours_ago=3)
    entry = ReviewQueueEntry.objects.get()
    api.review_waiting(
        submission_uuid=work,
        course_key=COURSE_KEY,
        usage_key=BLOCKS[0],
        title="Renamed",
        learner_id=learners[0].pk,
        submitted_at=timezone.now(),
    )
    assert list(ReviewQueueEntry.objects.values_list("pk", "submitted_at", "title")) == [
        (entry.pk, entry.submitted_at, "Project")
    ]


def test_a_decision_records_who_and_when_once(learners, mentors, submit):
    work = submit(learners[0], hours_ago=3)
    assert api.review_decided(submission_uuid=work, status="graded", reviewer_id=mentors[0].pk)
    assert not api.review_decided(
        submission_uuid=work, status="revision_requested", reviewer_id=mentors[1].pk
    )
    entry = ReviewQueueEntry.objects.get()
    assert (entry.status, entry.decision, entry.reviewer_id) == (
        "reviewed",
        "graded",
        mentors[0].pk,
    )


def test_a_decision_on_work_the_queue_never_heard_of_is_ignored(mentors):
    assert not api.review_decided(
        submission_uuid=uuid.uuid4(), status="graded", reviewer_id=mentors[0].pk
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"submission_uuid": "not-a-uuid"}, "not a UUID"),
        ({"course_key": "nonsense"}, "not valid"),
        ({"usage_key": str(usage_key_for(OTHER_COURSE, "project"))}, "part of"),
        ({"learner_id": 10**9}, "no such learner"),
    ],
)
def test_bad_reports_are_refused_and_store_nothing(learners, changes, message):
    report = {
        "submission_uuid": uuid.uuid4(),
        "course_key": str(COURSE_KEY),
        "usage_key": str(BLOCKS[0]),
        "title": "Project",
        "learner_id": learners[0].pk,
        "submitted_at": timezone.now(),
        **changes,
    }
    with pytest.raises(InvalidInput, match=message):
        api.review_waiting(**report)
    assert not ReviewQueueEntry.objects.exists()


def test_an_unknown_decision_is_refused(learners, submit):
    work = submit(learners[0])
    with pytest.raises(InvalidInput):
        api.review_decided(submission_uuid=work, status="approved", reviewer_id=None)
    assert ReviewQueueEntry.objects.get().status == "waiting"


def test_a_mentors_queue_spans_every_block_oldest_first_with_the_time_waited(
    learners, mentors, submit
):
    for learner in learners[:3]:
        api.assign_mentor(course_key=str(COURSE_KEY), mentor=mentors[0].pk, learner=learner.pk)
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False):
        submit(learners[0], hours_ago=2, block=0)
        submit(learners[1], hours_ago=30, block=1)
        submit(learners[2], hours_ago=7, block=0)
        submit(learners[3], hours_ago=50, block=0)  # someone else's learner
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        rows, unassigned = queue.course_queues(COURSE_KEY, mentors[0].pk)
    assert [(row["entry"].learner_id, row["waited"]) for row in rows] == [
        (learners[1].pk, timedelta(hours=31)),
        (learners[2].pk, timedelta(hours=8)),
        (learners[0].pk, timedelta(hours=3)),
    ]
    assert rows[0]["url"].endswith(f"/courses/{COURSE_KEY}/jump_to/{BLOCKS[1]}")
    assert [row["entry"].learner_id for row in unassigned] == [learners[3].pk]


def test_reviewed_work_leaves_the_queue(learners, mentors, submit):
    api.assign_mentor(course_key=str(COURSE_KEY), mentor=mentors[0].pk, learner=learners[0].pk)
    work = submit(learners[0], hours_ago=2)
    api.review_decided(submission_uuid=work, status="revision_requested", reviewer_id=mentors[0].pk)
    assert queue.course_queues(COURSE_KEY, mentors[0].pk) == ([], [])


def test_the_xblock_orders_its_queue_only_where_mentors_are_assigned(learners, mentors):
    ids = {learner.pk for learner in learners[:2]}
    assert (
        api.mentored_learners(course_key=COURSE_KEY, mentor_id=mentors[0].pk, learner_ids=ids)
        is None
    )
    api.assign_mentor(course_key=str(COURSE_KEY), mentor=mentors[0].pk, learner=learners[1].pk)
    assert api.mentored_learners(
        course_key=COURSE_KEY, mentor_id=mentors[0].pk, learner_ids=ids
    ) == {learners[1].pk}
