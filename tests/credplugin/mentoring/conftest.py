"""Fixtures for mentoring: reviewers of the course (standalone: Django staff), learners, and
work submitted through ``credplugin.api`` as the assessment block reports it."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from credplugin import api
from tests.factories import COURSE_KEY, UserFactory, usage_key_for

BLOCKS = (usage_key_for(COURSE_KEY, "project"), usage_key_for(COURSE_KEY, "ethics"))


@pytest.fixture
def mentors(db):
    return [UserFactory(username=f"mentor{n}", is_staff=True) for n in range(3)]


@pytest.fixture
def learners(db):
    return [UserFactory(username=f"pupil{n}") for n in range(7)]


@pytest.fixture
def submit(db):
    """``submit(learner, hours_ago=0, block=0, title="Project")``: work waiting for review."""

    def submitted(learner, hours_ago=0, block=0, title="Project"):
        work = uuid.uuid4()
        api.review_waiting(
            submission_uuid=work,
            course_key=COURSE_KEY,
            usage_key=BLOCKS[block],
            title=title,
            learner_id=learner.pk,
            submitted_at=timezone.now() - timedelta(hours=hours_ago),
        )
        return work

    return submitted
