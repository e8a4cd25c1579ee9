"""Renewal reminders: offsets, once per offset and version, opt-out, the e-mail, the command."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from credplugin import api
from credplugin.models import RenewalReminder
from credplugin.renewing import reminders
from tests.factories import UserFactory
from tests.renewals import EXPIRES, at


@pytest.fixture
def reminded(renewable):
    """The renewable badge with a 90-day window, so every default offset falls inside it."""
    badge, rubric_hash, renew = renewable
    api.set_renewal_policy(str(badge.badge_class.uuid), window_days=90, grace_days=30)
    mail.outbox.clear()  # the award's e-mail
    return badge, renew


def send(moment):
    with at(moment):
        return reminders.send_due()


def test_each_default_offset_is_sent_once_at_its_moment(reminded):
    badge, _renew = reminded
    assert send(EXPIRES - timedelta(days=91))["sent"] == 0
    for days in (90, 30, 7):
        moment = EXPIRES - timedelta(days=days) + timedelta(hours=1)
        assert send(moment)["sent"] == 1, days
        assert send(moment + timedelta(hours=1))["sent"] == 0, days  # never twice
    assert send(EXPIRES + timedelta(hours=1))["sent"] == 1  # the day it expires
    assert send(EXPIRES + timedelta(days=2))["sent"] == 0
    sent = RenewalReminder.objects.filter(badge=badge).order_by("-days_before")
    assert [(r.days_before, r.version) for r in sent] == [(90, 1), (30, 1), (7, 1), (0, 1)]
    assert all(r.sent_at for r in sent)
    assert len(mail.outbox) == 4
    assert mail.outbox[0].to == [badge.user.email]
    assert "expires in 89 days" in mail.outbox[0].subject
    assert "expires today" in mail.outbox[3].subject
    body = mail.outbox[1].body
    assert "/courses/course-v1:credplugin+ethics+2027/jump_to/" in body
    assert "/credplugin/my-badges/" in body


def test_only_the_nearest_of_several_missed_offsets_is_sent(reminded):
    badge, _renew = reminded
    assert send(EXPIRES - timedelta(days=6))["sent"] == 1
    assert list(RenewalReminder.objects.values_list("days_before", flat=True)) == [7]
    assert send(EXPIRES - timedelta(days=5))["sent"] == 0


def test_a_reminder_more_than_three_days_late_is_dropped_for_the_next_one(reminded):
    assert send(EXPIRES - timedelta(days=26))["sent"] == 0  # the 30-day one, 4 days late
    assert send(EXPIRES - timedelta(days=6))["sent"] == 1
    assert list(RenewalReminder.objects.values_list("days_before", flat=True)) == [7]


def test_an_offset_beyond_the_window_is_not_sent(renewable):
    badge, _hash, _renew = renewable  # a 60-day window
    assert send(EXPIRES - timedelta(days=89))["sent"] == 0
    assert send(EXPIRES - timedelta(days=29))["sent"] == 1


def test_the_offsets_are_configurable(reminded):
    with override_settings(CREDPLUGIN_RENEWAL_REMINDER_DAYS=[45]):
        assert send(EXPIRES - timedelta(days=60))["sent"] == 0
        assert send(EXPIRES - timedelta(days=44))["sent"] == 1
    assert RenewalReminder.objects.get().days_before == 45


def test_a_learner_who_opted_out_gets_no_reminder(reminded):
    badge, _renew = reminded
    api.set_renewal_reminders(badge.user_id, enabled=False)
    counts = send(EXPIRES - timedelta(days=29))
    assert (counts["due"], counts["sent"], counts["opted_out"]) == (1, 0, 1)
    assert not mail.outbox
    api.set_renewal_reminders(badge.user_id, enabled=True)
    assert send(EXPIRES - timedelta(days=28))["sent"] == 1


def test_a_renewed_badge_is_reminded_again_for_its_new_version(reminded):
    badge, renew = reminded
    assert send(EXPIRES - timedelta(days=29))["sent"] == 1
    renewed = renew(badge.user, EXPIRES - timedelta(days=20))
    assert renewed.version == 2
    assert send(EXPIRES - timedelta(days=6))["sent"] == 0  # the new version expires in 2030
    new_expiry = renewed.valid_until
    assert send(new_expiry - timedelta(days=29))["sent"] == 1
    assert RenewalReminder.objects.filter(version=2, days_before=30).exists()


def test_a_revoked_badge_is_not_reminded(reminded):
    badge, _renew = reminded
    operator = UserFactory(username="operator", is_staff=True)
    api.revoke_badge(str(badge.uuid), reason="Misconduct", actor_id=operator.id)
    assert send(EXPIRES - timedelta(days=29))["due"] == 0


def test_mail_trouble_releases_the_claim_so_a_later_run_sends_it(reminded, monkeypatch):
    def refuse(self, messages):
        raise ConnectionError("SMTP is down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    assert send(EXPIRES - timedelta(days=29))["sent"] == 0
    assert not RenewalReminder.objects.exists()
    monkeypatch.undo()
    assert send(EXPIRES - timedelta(days=28))["sent"] == 1


def test_the_command_lists_by_default_and_sends_with_send(reminded):
    badge, _renew = reminded
    out = StringIO()
    with at(EXPIRES - timedelta(days=29)):
        call_command("credplugin_renewals", stdout=out)
    assert f"{badge.uuid} v1 ada expires 2028-01-10: 30-day reminder" in out.getvalue()
    assert "1 renewal reminder(s) due; nothing sent" in out.getvalue()
    assert not mail.outbox
    out = StringIO()
    with at(EXPIRES - timedelta(days=29)):
        call_command("credplugin_renewals", "--send", stdout=out)
        call_command("credplugin_renewals", "--send", stdout=out)
    assert "Sent 1 renewal reminder(s) of 1 due" in out.getvalue()
    assert "Sent 0 renewal reminder(s) of 0 due" in out.getvalue()
    assert len(mail.outbox) == 1


def test_the_beat_task_sends_the_due_reminders(reminded):
    from credplugin import tasks  # noqa: PLC0415

    with at(EXPIRES - timedelta(days=29)):
        assert tasks.send_renewal_reminders_task.apply().get() == 1
