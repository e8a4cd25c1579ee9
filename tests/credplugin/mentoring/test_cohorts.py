"""Cohorts through compat: the LMS's course_groups when present (simulated with stand-in
modules), Django auth groups standalone; and a cohort's mentor reaches its learners."""

import types

import pytest
from django.contrib.auth.models import Group

from credplugin import api, compat
from credplugin.mentoring import assignment
from tests.credplugin.views.test_compat_lookups import _install
from tests.factories import COURSE_KEY

pytestmark = pytest.mark.django_db


class _Rows:
    """A stand-in manager: ``filter(**kwargs).values_list(*fields)`` answers ``rows``."""

    def __init__(self, rows, seen):
        self.rows, self.seen = rows, seen

    def filter(self, **kwargs):
        self.seen.append(kwargs)
        return self

    def values_list(self, *fields, flat=False):
        return self.rows


def test_in_the_lms_cohorts_come_from_course_groups(monkeypatch, learners):
    seen = []
    membership = types.SimpleNamespace(
        objects=_Rows([(learners[0].pk, "Evening"), (learners[1].pk, "Weekend")], seen)
    )
    group = types.SimpleNamespace(COHORT="cohort", objects=_Rows(["Evening", "Weekend"], seen))
    _install(
        monkeypatch,
        "openedx.core.djangoapps.course_groups.models",
        CohortMembership=membership,
        CourseUserGroup=group,
    )
    assert compat.course_cohorts(COURSE_KEY) == {"Evening", "Weekend"}
    ids = [learners[0].pk, learners[1].pk]
    assert compat.learner_cohorts(COURSE_KEY, ids) == {
        learners[0].pk: "Evening",
        learners[1].pk: "Weekend",
    }
    assert seen[0] == {"course_id": COURSE_KEY, "group_type": "cohort"}
    assert seen[1] == {"course_id": COURSE_KEY, "user_id__in": ids}


def test_standalone_a_learner_in_several_groups_counts_in_the_first_by_name(learners):
    Group.objects.create(name="Weekend").user_set.add(learners[0])
    Group.objects.create(name="Evening").user_set.add(learners[0], learners[1])
    assert compat.learner_cohorts(COURSE_KEY, [learners[0].pk, learners[1].pk]) == {
        learners[0].pk: "Evening",
        learners[1].pk: "Evening",
    }


def test_a_cohorts_mentor_reaches_learners_who_join_later(mentors, learners):
    evening = Group.objects.create(name="Evening")
    api.assign_mentor(course_key=str(COURSE_KEY), mentor=mentors[0].pk, cohort="Evening")
    evening.user_set.add(learners[3])
    assert assignment.mentors_of(COURSE_KEY, [learners[3].pk, learners[4].pk]) == {
        learners[3].pk: mentors[0].pk
    }
