"""Renewal: the window, grace and lapse, the renewed credential and what may not be renewed."""

from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from openedx_events.learning.signals import BADGE_AWARDED

from credplugin import api
from credplugin.models import CredentialVersion, IssuedBadge, LearnerPreference, RenewalRequest
from credplugin.openbadges.verify import verify_credential
from credplugin.renewing import renewal
from tests.factories import COURSE_KEY, UserFactory, criterion_levels
from tests.issued_badges import EVIDENCE, pass_capstone
from tests.renewals import EXPIRES, at

OPENS = EXPIRES - timedelta(days=60)
CLOSES = EXPIRES + timedelta(days=30)


def verified(credential, moment):
    with at(moment):
        return verify_credential(credential, resolve=api.resolve_for_verification)


# --- policy -------------------------------------------------------------------------------


def test_a_policy_needs_a_validity_and_a_window_shorter_than_it(badge_setup):
    badge_class = badge_setup["badge_uuid"]
    with pytest.raises(api.InvalidInput, match="shorter than the validity"):
        api.set_renewal_policy(badge_class, window_days=24 * 31)
    with pytest.raises(api.InvalidInput, match="renew_by"):
        api.set_renewal_policy(badge_class, window_days=30, renew_by="magic")
    with pytest.raises(api.InvalidInput, match="whole number"):
        api.set_renewal_policy(badge_class, window_days="30")
    with pytest.raises(api.InvalidInput, match="between 0"):
        api.set_renewal_policy(badge_class, window_days=30, grace_days=-1)
    with pytest.raises(api.InvalidInput, match="expires"):
        api.check_renewal_policy(
            validity_months=None, window_days=30, grace_days=0, renew_by="assessment"
        )
    policy = api.set_renewal_policy(badge_class, window_days=90, grace_days=14)
    assert (policy["window_days"], policy["grace_days"], policy["renew_by"]) == (
        90,
        14,
        "assessment",
    )


def test_a_badge_issued_renewable_names_its_refresh_service(badge_setup, earn):
    api.set_renewal_policy(badge_setup["badge_uuid"], window_days=30)
    badge = earn("grace")
    assert badge.credential["refreshService"] == {
        "id": f"http://127.0.0.1:8000/credplugin/badges/{badge.uuid}/refresh",
        "type": "1EdTechCredentialRefresh",
    }
    assert verify_credential(badge.credential, resolve=api.resolve_for_verification).verified


def test_a_renewal_assessment_must_name_a_badge_of_the_course(badge_setup):
    with pytest.raises(api.InvalidInput, match="slug 'nope'"):
        api.register_renewal_assessment(
            course_key="course-v1:credplugin+ethics+2027",
            usage_key="block-v1:credplugin+ethics+2027+type@credplugin_project+block@r",
            title="",
            renews="nope",
            rubric=None,
            pass_rule={},
            assessment_methods=[],
        )


def test_a_block_that_counts_towards_a_badge_cannot_also_renew_it(badge_setup):
    from tests.issued_badges import PROJECT  # noqa: PLC0415

    with pytest.raises(api.InvalidInput, match="cannot also renew"):
        api.register_renewal_assessment(
            course_key=str(COURSE_KEY),
            usage_key=str(PROJECT),
            title="",
            renews="ethical-ai-practitioner",
            rubric=None,
            pass_rule={},
            assessment_methods=[],
        )


# --- the window ----------------------------------------------------------------------------


def test_a_pass_before_the_window_opens_renews_nothing(renewable):
    badge, _hash, renew = renewable
    after = renew(badge.user, OPENS - timedelta(minutes=1))
    assert after.version == 1
    assert not RenewalRequest.objects.exists()
    with at(OPENS - timedelta(minutes=1)), pytest.raises(api.InvalidTransition, match="opens on"):
        api.renew_badge(str(badge.uuid))


def test_a_pass_inside_the_window_signs_a_new_version_of_the_same_credential(renewable):
    badge, _hash, renew = renewable
    first = badge.credential
    received = mock.Mock()
    BADGE_AWARDED.enable()  # OpenEdxEventsTestMixin classes leave events disabled behind them
    BADGE_AWARDED.connect(received)
    try:
        after = renew(badge.user, OPENS + timedelta(days=1))
    finally:
        BADGE_AWARDED.disconnect(received)
    second = after.credential
    assert after.version == 2
    assert second["id"] == first["id"]
    assert second["issuer"] == first["issuer"]
    assert second["awardedDate"] == first["awardedDate"]
    assert second["validFrom"] > first["validFrom"]
    # Renewing early loses nothing: the new validity counts from the old expiry.
    assert second["validUntil"].startswith("2030-01-10")
    assert after.valid_until == datetime(2030, 1, 10, 12, tzinfo=UTC)
    assert second["credentialStatus"] != first["credentialStatus"]
    assert second["refreshService"]["type"] == "1EdTechCredentialRefresh"
    assert second["refreshService"]["id"].endswith(f"/credplugin/badges/{badge.uuid}/refresh")
    assert "refreshService" not in first  # issued before its class became renewable
    described = second["credentialSubject"]["achievement"]["resultDescription"]
    described_before = first["credentialSubject"]["achievement"]["resultDescription"]
    before = {d["id"] for d in described_before}
    renewal_results = [
        r for r in second["credentialSubject"]["result"] if r["resultDescription"] not in before
    ]
    descriptions = {d["id"] for d in described}
    assert renewal_results and {r["resultDescription"] for r in renewal_results} <= descriptions
    assert any(e.get("name") == "Agent risk review" for e in second["evidence"])
    versions = list(CredentialVersion.objects.filter(badge=badge).order_by("version"))
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].credential == first
    assert verified(first, OPENS + timedelta(days=2)).verified
    assert verified(second, OPENS + timedelta(days=2)).verified
    received.assert_called_once()
    assert received.call_args.kwargs["badge"].uuid == str(badge.uuid)
    assert [e["status"] for e in api.badge_history(str(badge.uuid))] == ["issued", "renewed"]


def test_a_second_pass_in_the_same_window_does_not_renew_twice(renewable):
    badge, _hash, renew = renewable
    renew(badge.user, OPENS + timedelta(days=1))
    after = renew(badge.user, OPENS + timedelta(days=2))
    assert after.version == 2  # the new version's window opens 60 days before 2030-01-10
    assert RenewalRequest.objects.count() == 1


def test_in_the_grace_period_the_badge_renews_from_the_day_it_is_renewed(renewable):
    badge, _hash, renew = renewable
    moment = EXPIRES + timedelta(days=10)
    after = renew(badge.user, moment)
    assert after.version == 2
    assert after.valid_until == datetime(2030, 1, 20, 12, tzinfo=UTC)
    assert verified(after.credential, moment).verified


def test_after_the_grace_period_the_badge_has_lapsed_and_must_be_earned_again(
    renewable, django_capture_on_commit_callbacks
):
    badge, rubric_hash, renew = renewable
    moment = CLOSES + timedelta(minutes=1)
    after = renew(badge.user, moment)
    assert after.version == 1
    with at(moment):
        assert renewal.phase(after) == renewal.LAPSED
        with pytest.raises(api.InvalidTransition, match="must be earned again"):
            api.renew_badge(str(badge.uuid))
        with django_capture_on_commit_callbacks(execute=True):
            pass_capstone(
                badge.user,
                badge_setup_hash(),
                criterion_levels=criterion_levels(level_id="expert"),
                points_earned=6,
                evidence=EVIDENCE,
                feedback="Again.",
            )
    generations = IssuedBadge.objects.filter(user=badge.user).order_by("generation")
    assert [b.generation for b in generations] == [1, 2]


def badge_setup_hash():
    from credplugin.models import BadgeRequirement  # noqa: PLC0415

    return BadgeRequirement.objects.get().rubric.content_hash


def test_a_badge_inside_its_validity_is_not_earned_again(
    renewable, django_capture_on_commit_callbacks
):
    badge, _hash, _renew = renewable
    with at(EXPIRES - timedelta(days=1)), django_capture_on_commit_callbacks(execute=True):
        api.evaluate(badge.user_id, str(COURSE_KEY))
    assert IssuedBadge.objects.filter(user=badge.user).count() == 1


def test_a_failed_renewal_assessment_renews_nothing(renewable):
    badge, _hash, renew = renewable
    after = renew(badge.user, OPENS + timedelta(days=1), passed=False)
    assert after.version == 1
    refused = pytest.raises(api.InvalidTransition, match="not yet passed")
    with at(OPENS + timedelta(days=1)), refused:
        api.renew_badge(str(badge.uuid))


@pytest.mark.parametrize(
    ("change", "reason"),
    [("revoke_badge", "revoked badge cannot be renewed"), ("suspend_badge", "suspended")],
)
def test_a_revoked_or_suspended_badge_is_not_renewed(renewable, change, reason):
    badge, _hash, renew = renewable
    staff = UserFactory(username="staff", is_staff=True)
    getattr(api, change)(str(badge.uuid), reason="Misconduct", actor_id=staff.id)
    after = renew(badge.user, OPENS + timedelta(days=1))
    assert after.version == 1
    with at(OPENS + timedelta(days=1)), pytest.raises(api.InvalidTransition, match=reason):
        api.renew_badge(str(badge.uuid))


def test_a_renewal_requested_before_a_suspension_is_refused_when_signed(
    renewable, django_capture_on_commit_callbacks
):
    badge, _hash, renew = renewable
    with mock.patch("credplugin.issuing.queue.enqueue"):
        renew(badge.user, OPENS + timedelta(days=1))
    staff = UserFactory(username="staff", is_staff=True)
    api.suspend_badge(str(badge.uuid), reason="Under review", actor_id=staff.id)
    from credplugin.renewing import signing  # noqa: PLC0415

    with at(OPENS + timedelta(days=1)):
        outcome = signing.issue_renewal(RenewalRequest.objects.get().pk)
    assert outcome == signing.FAILED
    request = RenewalRequest.objects.get()
    assert "suspended" in request.reason
    badge.refresh_from_db()
    assert badge.version == 1
    # Reinstated, the badge renews from the same results, through the same request and slot.
    api.reinstate_badge(str(badge.uuid), reason="Cleared", actor_id=staff.id)
    with at(OPENS + timedelta(days=2)), django_capture_on_commit_callbacks(execute=True):
        assert api.renew_badge(str(badge.uuid)) == request.pk
    badge.refresh_from_db()
    assert badge.version == 2
    assert badge.status_list_index == request.status_list_index


def test_revoking_a_renewed_badge_revokes_every_version(renewable):
    badge, _hash, renew = renewable
    first = badge.credential
    after = renew(badge.user, OPENS + timedelta(days=1))
    staff = UserFactory(username="staff", is_staff=True)
    api.revoke_badge(str(badge.uuid), reason="Misconduct", actor_id=staff.id)
    moment = OPENS + timedelta(days=2)
    assert not verified(first, moment).check("status").passed
    assert not verified(after.credential, moment).check("status").passed


def test_both_versions_verify_after_the_signing_key_rotated_between_them(renewable):
    badge, _hash, renew = renewable
    first = badge.credential
    call_command("credplugin_keys", "rotate", verbosity=0)
    after = renew(badge.user, OPENS + timedelta(days=1))
    methods = {c["proof"][0]["verificationMethod"] for c in (first, after.credential)}
    assert len(methods) == 2
    assert verified(first, OPENS + timedelta(days=2)).verified
    assert verified(after.credential, OPENS + timedelta(days=2)).verified


def test_renewing_by_passing_the_course_again(renewable, django_capture_on_commit_callbacks):
    badge, _hash, _renew = renewable
    api.set_renewal_policy(
        str(badge.badge_class.uuid), window_days=60, grace_days=30, renew_by="course"
    )
    with at(OPENS + timedelta(days=3)), django_capture_on_commit_callbacks(execute=True):
        pass_capstone(
            badge.user,
            badge_setup_hash(),
            criterion_levels=criterion_levels(level_id="expert"),
            points_earned=6,
            evidence=EVIDENCE,
            feedback="Again.",
        )
    badge.refresh_from_db()
    assert badge.version == 2
    assert IssuedBadge.objects.filter(user=badge.user).count() == 1


def test_the_operator_renews_from_results_recorded_before_the_policy(
    admin_client, admin_user, earn, django_capture_on_commit_callbacks
):
    from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME  # noqa: PLC0415
    from django.urls import reverse  # noqa: PLC0415

    from tests.renewals import (  # noqa: PLC0415
        ISSUED_AT,
        record_renewal_result,
        register_renewal_assessment,
    )

    with at(ISSUED_AT):
        badge = earn("ada")
    rubric_hash = register_renewal_assessment()["rubric_hash"]
    moment = OPENS + timedelta(days=1)
    with at(moment), django_capture_on_commit_callbacks(execute=True):
        record_renewal_result(badge.user, rubric_hash)  # the class is not renewable yet
    api.set_renewal_policy(str(badge.badge_class.uuid), window_days=60, grace_days=30)
    url = reverse("admin:credplugin_issuedbadge_changelist")
    with at(moment), django_capture_on_commit_callbacks(execute=True):
        admin_client.force_login(admin_user)  # the session expires while the clock travels
        response = admin_client.post(
            url, {"action": "renew_badges", ACTION_CHECKBOX_NAME: [badge.pk]}, follow=True
        )
    assert "1 renewal queued." in response.content.decode()
    badge.refresh_from_db()
    assert badge.version == 2


# --- the renewed e-mail ------------------------------------------------------------------


def test_the_holder_is_emailed_when_the_badge_is_renewed(renewable):
    badge, _hash, renew = renewable
    mail.outbox.clear()
    after = renew(badge.user, OPENS + timedelta(days=1))
    assert after.version == 2
    (message,) = mail.outbox
    assert message.to == [badge.user.email]
    assert "was renewed" in message.subject
    assert "Ethical AI Practitioner" in message.subject
    assert "now valid until Jan. 10, 2030" in message.body
    assert "first awarded on Jan. 10, 2026" in message.body
    assert f"/credplugin/badges/{badge.uuid}/" in message.body
    html = message.alternatives[0][0]
    assert message.alternatives[0][1] == "text/html"
    assert f'href="http://127.0.0.1:8000/credplugin/badges/{badge.uuid}/' in html


def test_no_renewed_email_for_a_holder_who_opted_out_of_award_emails(renewable):
    badge, _hash, renew = renewable
    LearnerPreference.objects.create(user=badge.user, email_on_award=False)
    mail.outbox.clear()
    assert renew(badge.user, OPENS + timedelta(days=1)).version == 2
    assert mail.outbox == []


def test_a_mail_failure_never_undoes_the_renewal(renewable, caplog):
    badge, _hash, renew = renewable
    with mock.patch(
        "django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("no mail server")
    ):
        after = renew(badge.user, OPENS + timedelta(days=1))
    assert after.version == 2
    assert "could not e-mail the holder of renewed badge" in caplog.text
