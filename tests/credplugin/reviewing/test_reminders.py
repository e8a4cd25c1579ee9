"""Reminders to learners who owe peer reviews: past the threshold, fewer reviews given than
the block asks, work available to them; once per learner, block and threshold; opt-out."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from credplugin import api
from credplugin.issuing import claims
from credplugin.models import PeerReminder
from credplugin.reviewing import pool, reminders
from tests.factories import COURSE_KEY, UserFactory, usage_key_for
from tests.peer_work import enter_work

from .test_sweep import BLOCK

pytestmark = pytest.mark.django_db


def _enter(author, *, hours_ago=72, block=BLOCK, must_grade=2):
    enter_work(
        author.pk,
        course_key=COURSE_KEY,
        usage_key=block,
        submitted_at=timezone.now() - timedelta(hours=hours_ago),
        must_grade=must_grade,
    )


def _review_all(reviewer, times):
    for _ in range(times):
        lease = pool.next_for(BLOCK, COURSE_KEY, reviewer.pk)
        pool.complete(lease.uuid, reviewer.pk, {"quality": "high"}, "Useful.")


@pytest.fixture
def cohort():
    people = {name: UserFactory(username=name, email=f"{name}@example.com") for name in "abcd"}
    for person in people.values():
        _enter(person)
    return people


def _owing():
    return sorted(submission.author.username for submission in reminders.due())


def test_only_learners_who_owe_reviews_with_work_waiting_are_reminded(cohort, settings):
    settings.CREDPLUGIN_SEND_EMAIL = True
    _review_all(cohort["a"], 2)  # done
    _review_all(cohort["b"], 1)  # owes one more
    api.set_notification_preferences(cohort["c"].pk, email_peer_reminders=False)
    assert _owing() == ["b", "c", "d"]
    assert reminders.send_due() == {"due": 3, "sent": 2, "taken": 0}
    assert sorted(message.to[0] for message in mail.outbox) == [
        "b@example.com",
        "d@example.com",
    ]
    to_b = next(message for message in mail.outbox if message.to == ["b@example.com"])
    assert "Peer project" in to_b.subject
    assert "you still owe 1 review." in to_b.body
    html, kind = to_b.alternatives[0]
    assert kind == "text/html" and "you still owe 1 review." in html
    assert "/jump_to/" in to_b.body
    # Once per learner, block and threshold: the opted-out learner's claim is spent too.
    assert reminders.send_due() == {"due": 0, "sent": 0, "taken": 0}
    assert PeerReminder.objects.filter(sent_at__isnull=False).count() == 3


def test_nobody_is_reminded_before_the_threshold_or_without_work_to_review(settings):
    settings.CREDPLUGIN_SEND_EMAIL = True
    early, lonely = UserFactory(), UserFactory()
    _enter(early, hours_ago=1)
    assert reminders.due() == []  # too early, and the only other work is their own
    _enter(lonely, hours_ago=72, block=usage_key_for(COURSE_KEY, "alone"))
    assert reminders.due() == []  # past the threshold, but nothing to review in that block
    _enter(UserFactory(), hours_ago=72, must_grade=0)
    assert [submission.author for submission in reminders.due()] == []


def test_a_new_threshold_reminds_again_once(cohort, settings):
    settings.CREDPLUGIN_SEND_EMAIL = True
    assert reminders.send_due()["sent"] == 4
    assert reminders.send_due()["sent"] == 0
    settings.CREDPLUGIN_PEER_REMINDER_HOURS = 24
    assert reminders.send_due()["sent"] == 4


def test_mail_trouble_releases_the_claims_for_a_later_run(cohort, settings):
    settings.CREDPLUGIN_SEND_EMAIL = True
    broken = mock.Mock(send_messages=mock.Mock(side_effect=OSError("smtp down")))
    with mock.patch.object(claims, "get_connection", return_value=broken):
        assert reminders.send_due()["sent"] == 0
    assert not PeerReminder.objects.exists()
    assert reminders.send_due()["sent"] == 4


def test_nothing_is_claimed_while_email_is_off(cohort, settings):
    settings.CREDPLUGIN_SEND_EMAIL = False
    assert reminders.send_due() == {"due": 4, "sent": 0, "taken": 0}
    assert not PeerReminder.objects.exists()


def test_the_opt_out_is_stored_with_the_other_email_choices(db):
    user = UserFactory()
    assert api.notification_preferences(user.pk)["email_peer_reminders"] is True
    saved = api.set_notification_preferences(user.pk, email_peer_reminders=False)
    assert saved == {
        "email_on_review": True,
        "email_on_submission": True,
        "email_peer_reminders": False,
    }
