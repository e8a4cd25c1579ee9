"""Revoke, suspend, reinstate, reissue, list, and the learner's sharing choices."""

from unittest import mock

import pytest
from django.test import TestCase
from openedx_events.tests.utils import OpenEdxEventsTestMixin

from credplugin import api
from credplugin.models import IssuanceRequest, IssuedBadge
from credplugin.openbadges.verify import verify_credential
from tests.factories import (
    COURSE_KEY,
    BadgeRequirementFactory,
    CoursePassingRecordFactory,
    IssuerKeyFactory,
    UserFactory,
    learner_meeting,
)


@pytest.fixture
def badge(db, django_capture_on_commit_callbacks):
    IssuerKeyFactory()
    user = learner_meeting(BadgeRequirementFactory())
    CoursePassingRecordFactory(user=user)
    with django_capture_on_commit_callbacks(execute=True):
        api.evaluate(user.id, COURSE_KEY)
    return IssuedBadge.objects.get()


def status_check(badge):
    report = verify_credential(badge.credential, resolve=api.resolve_for_verification)
    return report.check("status")


def test_revocation_records_reason_and_actor_and_shows_in_the_status_list(badge):
    staff = UserFactory(is_staff=True)
    result = api.revoke_badge(badge.uuid, reason="Academic misconduct", actor_id=staff.id)
    assert result["status"] == "revoked"
    badge.refresh_from_db()
    assert (badge.status_reason, badge.status_changed_by_id) == ("Academic misconduct", staff.id)
    assert not status_check(badge).passed
    with pytest.raises(api.InvalidTransition, match="already revoked"):
        api.revoke_badge(badge.uuid, reason="again", actor_id=staff.id)
    with pytest.raises(api.InvalidTransition, match="new badge"):
        api.reinstate_badge(badge.uuid, reason="oops", actor_id=staff.id)


def test_a_person_must_give_a_reason(badge):
    staff = UserFactory(is_staff=True)
    with pytest.raises(api.InvalidInput, match="reason"):
        api.suspend_badge(badge.uuid, reason="  ", actor_id=staff.id)
    badge.refresh_from_db()
    assert badge.status == IssuedBadge.Status.ACTIVE


def test_suspension_sets_the_suspension_bit_and_reinstatement_clears_it(badge):
    from credplugin.openbadges.status_list import StatusList  # noqa: PLC0415

    def suspended():
        listed = api.status_list_credential("suspension", badge.status_list_sequence)
        encoded = listed["credentialSubject"]["encodedList"]
        return StatusList.decode(encoded).get(badge.status_list_index)

    api.suspend_badge(badge.uuid, reason="Review", actor_id=None)
    assert suspended()
    assert status_check(badge).passed  # the credential itself names only the revocation list
    api.reinstate_badge(badge.uuid, reason="Cleared", actor_id=None)
    assert not suspended()
    assert api.get_public_badge(badge.uuid)["status"] == "active"


def test_reissue_revokes_and_issues_the_next_generation(badge, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request_uuid = api.reissue_badge(badge.uuid, reason="Badge text corrected", actor_id=None)
    new = IssuedBadge.objects.get(request__uuid=request_uuid)
    assert new.generation == 2 and new.status == IssuedBadge.Status.ACTIVE
    badge.refresh_from_db()
    assert badge.status == IssuedBadge.Status.REVOKED


def test_retry_queues_a_failed_request_again(badge, django_capture_on_commit_callbacks):
    request = IssuanceRequest.objects.create(
        user=badge.user, badge_class=badge.badge_class, generation=2, status="failed", reason="x"
    )
    with django_capture_on_commit_callbacks(execute=True):
        api.retry_issuance(request.uuid)
    request.refresh_from_db()
    assert request.status == IssuanceRequest.Status.ISSUED
    with pytest.raises(api.InvalidTransition, match="already issued"):
        api.retry_issuance(request.uuid)
    with pytest.raises(api.NotFound):
        api.retry_issuance("not-a-uuid")


def test_listing_and_visibility_belong_to_the_owner(badge):
    other = UserFactory()
    listed = api.list_badges(badge.user_id)
    assert [item["uuid"] for item in listed] == [str(badge.uuid)]
    assert api.list_badges(other.id) == []
    with pytest.raises(api.NotFound):
        api.set_badge_visibility(badge.uuid, user_id=other.id, hidden=True)
    assert api.set_badge_visibility(badge.uuid, user_id=badge.user_id, hidden=True)["hidden"]
    with pytest.raises(api.NotFound):
        api.get_public_badge(badge.uuid)
    api.revoke_badge(badge.uuid, reason="x", actor_id=None)
    assert api.list_badges(badge.user_id, include_revoked=False) == []


class BadgeRevokedEventTest(OpenEdxEventsTestMixin, TestCase):
    ENABLED_OPENEDX_EVENTS = ["org.openedx.learning.badge.revoked.v1"]

    def test_revocation_sends_badge_revoked_after_commit(self):
        from openedx_events.learning.signals import BADGE_REVOKED  # noqa: PLC0415

        IssuerKeyFactory()
        user = learner_meeting(BadgeRequirementFactory())
        CoursePassingRecordFactory(user=user)
        with self.captureOnCommitCallbacks(execute=True):
            api.evaluate(user.id, COURSE_KEY)
        badge = IssuedBadge.objects.get()
        received = mock.Mock()
        BADGE_REVOKED.connect(received)
        self.addCleanup(BADGE_REVOKED.disconnect, received)
        with self.captureOnCommitCallbacks(execute=True):
            api.revoke_badge(badge.uuid, reason="Misconduct", actor_id=None)
        received.assert_called_once()
        assert received.call_args.kwargs["badge"].uuid == str(badge.uuid)


def test_history_keeps_every_change_with_its_actor_and_reason(badge):
    staff = UserFactory(username="registrar", is_staff=True)
    api.suspend_badge(badge.uuid, reason="Plagiarism report under review", actor_id=staff.id)
    api.reinstate_badge(badge.uuid, reason="Report dismissed", actor_id=staff.id)
    api.revoke_badge(badge.uuid, reason="Second report upheld", actor_id=None)

    history = api.badge_history(badge.uuid)

    assert [(e["status"], e["actor"], e["reason"]) for e in history] == [
        ("issued", None, ""),
        ("suspended", "registrar", "Plagiarism report under review"),
        ("active", "registrar", "Report dismissed"),
        ("revoked", None, "Second report upheld"),
    ]
    assert [e["previous_status"] for e in history] == [None, "active", "suspended", "active"]
    assert history[0]["at"] == badge.issued_at
    assert [e["at"] for e in history] == sorted(e["at"] for e in history)


def test_a_reinstatement_does_not_lose_why_the_badge_was_suspended(badge):
    api.suspend_badge(badge.uuid, reason="Identity check", actor_id=None)
    api.reinstate_badge(badge.uuid, reason="", actor_id=None)
    reasons = [entry["reason"] for entry in api.badge_history(badge.uuid)]
    assert "Identity check" in reasons


def test_a_refused_change_leaves_no_history(badge):
    with pytest.raises(api.InvalidTransition):
        api.reinstate_badge(badge.uuid, reason="not suspended", actor_id=None)
    with pytest.raises(api.InvalidInput):
        api.suspend_badge(badge.uuid, reason=" ", actor_id=UserFactory().id)
    assert [entry["status"] for entry in api.badge_history(badge.uuid)] == ["issued"]


def test_history_of_an_unknown_badge_is_not_found(db):
    with pytest.raises(api.NotFound):
        api.badge_history("not-a-uuid")
