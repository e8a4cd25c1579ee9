"""The sweeper finds lost work from database state alone."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from credplugin import api
from credplugin.issuer import keys
from credplugin.issuing import sweeper
from credplugin.models import CoursePassingRecord, IssuanceRequest, IssuedBadge
from tests.factories import COURSE_KEY, BadgeRequirementFactory, IssuerKeyFactory, learner_meeting

pytestmark = pytest.mark.django_db


def age(queryset, seconds=3600):
    queryset.update(updated=timezone.now() - timedelta(seconds=seconds))


def test_lost_evaluations_and_requests_are_found_and_finished(django_capture_on_commit_callbacks):
    IssuerKeyFactory()
    requirement = BadgeRequirementFactory()
    user = learner_meeting(requirement)
    with (
        mock.patch(
            "credplugin.tasks.evaluate_learner_task.apply_async", side_effect=ConnectionError
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        api.course_passing_status_changed(user_id=user.id, course_key=COURSE_KEY, is_passing=True)
    assert not IssuanceRequest.objects.exists()
    assert sweeper.sweep()["evaluations"] == 0  # not stale yet
    age(CoursePassingRecord.objects)
    with django_capture_on_commit_callbacks(execute=True):
        counts = sweeper.sweep()
    assert counts["evaluations"] == 1
    assert IssuedBadge.objects.count() == 1


def test_stale_pending_requests_are_queued_again():
    requirement = BadgeRequirementFactory()
    user = learner_meeting(requirement)
    IssuerKeyFactory()
    request = IssuanceRequest.objects.create(user=user, badge_class=requirement.badge_class)
    age(IssuanceRequest.objects)
    with mock.patch("credplugin.tasks.issue_badges_task.apply_async") as apply_async:
        assert sweeper.sweep()["requests"] == 1
    apply_async.assert_called_once_with(([request.pk],), countdown=None)
    with mock.patch("credplugin.tasks.issue_badges_task.apply_async"):
        assert sweeper.sweep()["requests"] == 0  # just re-queued: not stale any more


def test_waiting_requests_are_issued_once_a_key_exists():
    requirement = BadgeRequirementFactory()
    user = learner_meeting(requirement)
    request = IssuanceRequest.objects.create(user=user, badge_class=requirement.badge_class)
    sweeper.sweep(older_than=0, inline=True)
    request.refresh_from_db()
    assert request.status == IssuanceRequest.Status.WAITING
    assert sweeper.sweep(older_than=3600)["requests"] == 0
    keys.generate()
    assert sweeper.sweep(older_than=3600, inline=True)["requests"] == 1
    request.refresh_from_db()
    assert request.status == IssuanceRequest.Status.ISSUED
