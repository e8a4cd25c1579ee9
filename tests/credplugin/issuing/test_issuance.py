"""compose → sign → verify → store → announce, for one request."""

from unittest import mock

import pytest
from django.core import mail
from django.test import TestCase, override_settings
from openedx_events.tests.utils import OpenEdxEventsTestMixin

from credplugin import api
from credplugin.issuing import issuance
from credplugin.models import BadgeRequirement, IssuanceRequest, IssuedBadge, LearnerPreference
from credplugin.openbadges.credential import IdentityObject
from credplugin.openbadges.verify import Check, VerificationReport, verify_credential
from tests.factories import (
    COURSE_KEY,
    BadgeRequirementFactory,
    CoursePassingRecordFactory,
    IssuerKeyFactory,
    learner_meeting,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def award(django_capture_on_commit_callbacks):
    """A request for a learner meeting a two-criterion rubric badge, and a signing key."""
    IssuerKeyFactory()
    requirement = BadgeRequirementFactory(
        assessment_methods=["project_rubric", "ethics_case_scenarios"]
    )
    user = learner_meeting(requirement, scores={"ethics_scenarios": 0.75})
    CoursePassingRecordFactory(user=user)
    request = IssuanceRequest.objects.create(user=user, badge_class=requirement.badge_class)
    return request


def second_award(award):
    """Another learner's request for the same badge, meeting the same requirement."""
    user = learner_meeting(
        BadgeRequirement.objects.get(badge_class=award.badge_class),
        scores={"ethics_scenarios": 0.75},
    )
    return IssuanceRequest.objects.create(user=user, badge_class=award.badge_class)


def issue(request, capture):
    with capture(execute=True):
        return issuance.issue_requests([request.pk]).get(request.pk, issuance.SKIPPED)


def test_the_stored_credential_says_what_was_achieved_and_verifies(
    award, django_capture_on_commit_callbacks
):
    assert issue(award, django_capture_on_commit_callbacks) == issuance.ISSUED
    badge = IssuedBadge.objects.get()
    credential = badge.credential
    achievement = credential["credentialSubject"]["achievement"]
    assert credential["id"].endswith(f"/credplugin/badges/{badge.uuid}/credential.json")
    assert credential["issuer"]["id"] == "did:web:127.0.0.1%3A8000"
    assert credential["proof"][0]["verificationMethod"].startswith("did:web:127.0.0.1%3A8000#z6Mk")
    assert {a["targetCode"] for a in achievement["alignment"]} == {"RAI", "DESIGN", "ETHICS"}
    rubric_parts = [
        d for d in achievement["resultDescription"] if d["resultType"] == "RubricCriterionLevel"
    ]
    assert [d["name"] for d in rubric_parts] == ["Design", "Ethics"]
    assert all(d["requiredLevel"].endswith(":proficient") for d in rubric_parts)
    assert len(rubric_parts[0]["rubricCriterionLevel"]) == 3
    results = credential["credentialSubject"]["result"]
    assert {r.get("achievedLevel", "").rsplit(":", 1)[-1] for r in results} >= {"proficient"}
    assert {"resultDescription": mock.ANY, "type": ["Result"], "value": "0.75"} in results
    assert achievement["creditsAvailable"] == credential["credentialSubject"]["creditsEarned"] == 12
    assert credential["validUntil"][:4] == str(int(credential["validFrom"][:4]) + 2)
    identifier = credential["credentialSubject"]["identifier"][0]
    assert IdentityObject(identifier["identityHash"], identifier["salt"]).matches_email(
        award.user.email
    )
    assert award.user.email not in str(credential)
    genres = {e.get("genre") for e in credential["evidence"]}
    assert {"project artifact", "Assessment method"} <= genres
    assert credential["credentialStatus"]["statusPurpose"] == "revocation"
    report = verify_credential(credential, resolve=api.resolve_for_verification)
    assert report.verified, report.to_json()
    award.refresh_from_db()
    assert award.status == IssuanceRequest.Status.ISSUED
    assert badge.valid_until is not None


def test_issuing_twice_stores_one_badge(award, django_capture_on_commit_callbacks):
    issue(award, django_capture_on_commit_callbacks)
    assert issue(award, django_capture_on_commit_callbacks) == issuance.SKIPPED
    assert IssuedBadge.objects.count() == 1


def test_without_a_key_the_request_waits_with_a_readable_reason(
    award, django_capture_on_commit_callbacks
):
    from credplugin.models import IssuerKey  # noqa: PLC0415

    IssuerKey.objects.update(active=False)
    assert issue(award, django_capture_on_commit_callbacks) == issuance.WAITING
    award.refresh_from_db()
    assert award.status == IssuanceRequest.Status.WAITING
    assert "credplugin_keys generate" in award.reason
    assert not IssuedBadge.objects.exists()


def test_a_credential_that_does_not_verify_is_never_stored(
    award, django_capture_on_commit_callbacks
):
    failing = VerificationReport([Check("proof", False, "bad")])
    with mock.patch.object(issuance, "verify_credential", return_value=failing):
        assert issue(award, django_capture_on_commit_callbacks) == issuance.FAILED
    assert not IssuedBadge.objects.exists()
    award.refresh_from_db()
    assert award.status == IssuanceRequest.Status.FAILED
    assert award.reason.startswith("The signed credential did not verify (proof: bad)")


def test_results_that_no_longer_meet_the_badge_are_a_permanent_failure(
    award, django_capture_on_commit_callbacks
):
    from credplugin.models import AssessmentResult  # noqa: PLC0415

    AssessmentResult.objects.update(passed=False)
    assert issue(award, django_capture_on_commit_callbacks) == issuance.FAILED
    award.refresh_from_db()
    assert "no longer meets" in award.reason


def test_one_bad_request_does_not_block_the_rest_of_its_batch(
    award, django_capture_on_commit_callbacks
):
    other_user = learner_meeting(award.badge_class.requirements.get())
    other = IssuanceRequest.objects.create(user=other_user, badge_class=award.badge_class)
    other_user.email = ""
    other_user.save()
    with django_capture_on_commit_callbacks(execute=True):
        outcomes = issuance.issue_requests([award.pk, other.pk])
    assert outcomes == {award.pk: issuance.ISSUED, other.pk: issuance.FAILED}
    other.refresh_from_db()
    assert other.reason == "The learner has no e-mail address to identify them by."


def test_a_retry_reuses_the_reserved_status_slot(award, django_capture_on_commit_callbacks):
    with mock.patch.object(issuance, "_signed_badge", side_effect=RuntimeError("crash")):
        assert issue(award, django_capture_on_commit_callbacks) == issuance.FAILED
    award.refresh_from_db()
    assert "RuntimeError: crash" in award.reason
    slot = (award.status_list_sequence, award.status_list_index)
    with django_capture_on_commit_callbacks(execute=True):
        api.retry_issuance(award.uuid)
    badge = IssuedBadge.objects.get()
    assert (badge.status_list_sequence, badge.status_list_index) == slot
    assert slot[0] == 1 and slot[1] is not None


def test_the_learner_is_emailed_unless_they_opted_out(award, django_capture_on_commit_callbacks):
    issue(award, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [award.user.email]
    assert "Ethical AI Practitioner" in message.subject
    assert str(IssuedBadge.objects.get().uuid) in message.body
    html = message.alternatives[0][0]
    assert f"/credplugin/badges/{IssuedBadge.objects.get().uuid}/badge.png" in html
    assert 'alt="Badge: Ethical AI Practitioner"' in html
    mail.outbox.clear()
    LearnerPreference.objects.create(user=award.user, email_on_award=False)
    api.revoke_badge(IssuedBadge.objects.get().uuid, reason="test", actor_id=None)
    with django_capture_on_commit_callbacks(execute=True):
        api.evaluate(award.user_id, COURSE_KEY)
    assert IssuedBadge.objects.count() == 2
    assert mail.outbox == []


@override_settings(CREDPLUGIN_SEND_EMAIL=False)
def test_no_email_when_disabled_site_wide(award, django_capture_on_commit_callbacks):
    issue(award, django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_the_did_document_lists_current_and_retired_keys(award):
    from credplugin.issuer import keys  # noqa: PLC0415

    first = keys.published_keys()
    keys.generate(rotate=True)
    document = api.issuer_did_document()
    methods = [m["publicKeyMultibase"] for m in document["verificationMethod"]]
    assert len(methods) == 2 and methods[1] == first[0]
    assert document["id"] == "did:web:127.0.0.1%3A8000"


@override_settings(CREDPLUGIN_ISSUER_DID="did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK")
def test_a_did_key_issuer_publishes_no_did_web_document():
    with pytest.raises(api.NotFound, match="no did:web document"):
        api.issuer_did_document()


def test_the_resolver_refuses_what_this_site_does_not_publish():
    with pytest.raises(api.NotFound):
        api.resolve_for_verification("https://elsewhere.example/status/1.json")


def test_preview_shows_the_credential_of_a_learner_at_the_required_levels():
    requirement = BadgeRequirementFactory()
    preview = api.preview_credential(requirement.badge_class.uuid)
    levels = [r["achievedLevel"] for r in preview["credentialSubject"]["result"]]
    assert levels and all(level.endswith(":proficient") for level in levels)
    assert "proof" not in preview


class BadgeAwardedEventTest(OpenEdxEventsTestMixin, TestCase):
    """BADGE_AWARDED is sent after commit, with the badge and the learner."""

    ENABLED_OPENEDX_EVENTS = ["org.openedx.learning.badge.awarded.v1"]

    def test_event_is_sent_once_after_commit(self):
        from openedx_events.learning.signals import BADGE_AWARDED  # noqa: PLC0415

        IssuerKeyFactory()
        requirement = BadgeRequirementFactory()
        user = learner_meeting(requirement)
        request = IssuanceRequest.objects.create(user=user, badge_class=requirement.badge_class)
        received = mock.Mock()
        BADGE_AWARDED.connect(received)
        self.addCleanup(BADGE_AWARDED.disconnect, received)
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            issuance.issue_requests([request.pk])
        received.assert_not_called()
        for callback in callbacks:
            callback()
        received.assert_called_once()
        badge = received.call_args.kwargs["badge"]
        assert badge.uuid == str(IssuedBadge.objects.get().uuid)
        assert badge.user.id == user.id
        assert badge.template.uuid == str(requirement.badge_class.uuid)
        assert badge.template.origin == "credplugin"


def test_a_batch_of_award_emails_goes_over_one_connection(award):
    from credplugin.mail import badge_awarded  # noqa: PLC0415

    other = second_award(award)
    issuance.issue_requests([award.pk, other.pk])
    badges = list(IssuedBadge.objects.select_related("user", "badge_class"))
    with mock.patch.object(badge_awarded, "get_connection") as get_connection:
        get_connection.return_value.send_messages.return_value = 2
        assert badge_awarded.send_award_emails(badges) == 2
    get_connection.assert_called_once_with()
    sent = get_connection.return_value.send_messages.call_args.args[0]
    assert sorted(message.to[0] for message in sent) == sorted(b.user.email for b in badges)


def test_one_unwritable_award_email_does_not_stop_the_others(award, caplog):
    from credplugin.mail import badge_awarded  # noqa: PLC0415

    other = second_award(award)
    issuance.issue_requests([award.pk, other.pk])
    badges = list(IssuedBadge.objects.select_related("user", "badge_class").order_by("pk"))
    real = badge_awarded.render_to_string
    calls = []

    def fail_first(*args, **kwargs):
        calls.append(args[0])
        if len(calls) == 1:
            raise ValueError("broken template")
        return real(*args, **kwargs)

    mail.outbox.clear()
    with mock.patch.object(badge_awarded, "render_to_string", side_effect=fail_first):
        assert badge_awarded.send_award_emails(badges) == 1
    assert [message.to for message in mail.outbox] == [[badges[1].user.email]]
    assert "could not write the e-mail" in caplog.text


def test_a_mail_server_failure_never_undoes_the_award(award, caplog):
    from credplugin.mail import badge_awarded  # noqa: PLC0415

    issuance.issue_requests([award.pk])
    badges = list(IssuedBadge.objects.select_related("user", "badge_class"))
    with mock.patch.object(badge_awarded, "get_connection") as get_connection:
        get_connection.return_value.send_messages.side_effect = OSError("SMTP down")
        assert badge_awarded.send_award_emails(badges) == 0
    assert "could not e-mail 1 learner" in caplog.text
    assert IssuedBadge.objects.get().status == IssuedBadge.Status.ACTIVE
