"""Follow-up surveys: when they are due, exactly one e-mail each, opting out, and failures."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from credplugin import api
from credplugin.exceptions import InvalidInput
from credplugin.models import OutcomePlan, SurveyInvitation, SurveyOptOut
from credplugin.outcomes import surveys

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.now() - timedelta(days=days)


def test_a_badge_is_surveyed_once_thirty_days_after_the_award(earn):
    badge = earn(issued_at=days_ago(31), email="ada@example.org")
    mail.outbox.clear()
    assert surveys.send_due_surveys() == 1
    assert surveys.send_due_surveys() == 0
    (message,) = mail.outbox
    invitation = SurveyInvitation.objects.get(badge=badge)
    assert (invitation.offset_days, invitation.status) == (30, SurveyInvitation.Status.SENT)
    assert message.to == ["ada@example.org"]
    assert "Ethical AI Practitioner" in message.subject
    assert f"/credplugin/surveys/{invitation.token}/" in message.body
    assert (
        f"/credplugin/surveys/{invitation.token}/opt-out"
        in message.extra_headers["List-Unsubscribe"]
    )


def test_nothing_is_due_before_thirty_days_nor_long_after_the_due_date(earn):
    earn("stale", issued_at=days_ago(30 + 15), email="s@example.org")
    earn("young", issued_at=days_ago(29), email="y@example.org")
    mail.outbox.clear()
    assert surveys.send_due_surveys() == 0
    assert not SurveyInvitation.objects.exists()


def test_each_offset_is_its_own_survey(earn):
    badge = earn(issued_at=days_ago(31), email="ada@example.org")
    surveys.send_due_surveys()
    later = timezone.now() + timedelta(days=60)
    assert surveys.send_due_surveys(now=later) == 1
    assert sorted(badge.survey_invitations.values_list("offset_days", flat=True)) == [30, 90]


def test_a_badge_class_plan_changes_the_days_or_turns_surveys_off(earn):
    badge = earn(issued_at=days_ago(8), email="ada@example.org")
    plan = OutcomePlan.objects.create(badge_class=badge.badge_class, survey_days=[7])
    mail.outbox.clear()
    assert surveys.send_due_surveys() == 1
    plan.survey_days = []
    plan.save()
    earn("grace", issued_at=days_ago(8), email="grace@example.org")
    assert surveys.send_due_surveys() == 0


def test_opted_out_learners_revoked_badges_and_disabled_mail_get_nothing(earn):
    quiet = earn("quiet", issued_at=days_ago(31), email="q@example.org")
    revoked = earn("revoked", issued_at=days_ago(31), email="r@example.org")
    earn("later", issued_at=days_ago(31), email="l@example.org")
    surveys.opt_out(quiet.user_id)
    api.revoke_badge(str(revoked.uuid), reason="Plagiarism.", actor_id=None)
    with override_settings(CREDPLUGIN_SEND_EMAIL=False):
        assert surveys.send_due_surveys() == 0
    mail.outbox.clear()
    assert surveys.send_due_surveys() == 1
    assert [message.to for message in mail.outbox] == [["l@example.org"]]


def test_a_refused_message_is_retried_once_and_never_sent_twice(earn):
    earn(issued_at=days_ago(31), email="ada@example.org")
    mail.outbox.clear()
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=ConnectionRefusedError("smtp down"),
    ):
        assert surveys.send_due_surveys() == 0
    assert SurveyInvitation.objects.get().status == SurveyInvitation.Status.FAILED
    assert surveys.send_due_surveys() == 1
    assert surveys.send_due_surveys() == 0
    invitation = SurveyInvitation.objects.get()
    assert (invitation.status, invitation.attempts) == (SurveyInvitation.Status.SENT, 2)
    assert len(mail.outbox) == 1


def test_a_learner_without_an_address_is_skipped_not_retried(earn):
    badge = earn(issued_at=days_ago(31), email="ada@example.org")
    badge.user.email = ""
    badge.user.save()
    assert surveys.send_due_surveys() == 0
    assert SurveyInvitation.objects.get().status == SurveyInvitation.Status.SKIPPED


def test_the_e_mail_is_written_in_the_badge_language(earn):
    badge = earn(issued_at=days_ago(31), email="ada@example.org")
    badge.badge_class.language = "fr"
    badge.badge_class.save()
    with mock.patch.object(
        surveys.translation, "override", wraps=surveys.translation.override
    ) as o:
        surveys.send_due_surveys()
    o.assert_called_with("fr")


def test_survey_days_are_validated():
    assert surveys.validate_survey_days([180, 30, 30]) == [30, 180]
    assert surveys.validate_survey_days(None) is None
    for bad in ("30", [0], [True], [30.5], [4000], {"days": 30}):
        with pytest.raises(InvalidInput):
            surveys.validate_survey_days(bad)


def test_opting_out_twice_is_one_opt_out(earn):
    badge = earn()
    surveys.opt_out(badge.user_id)
    surveys.opt_out(badge.user_id)
    assert SurveyOptOut.objects.filter(user=badge.user).count() == 1
