"""Concurrent senders of peer-review reminders on MariaDB: each learner who owes reviews is
e-mailed once per block and threshold, however many senders run at once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from credplugin.models import PeerReminder
from credplugin.reviewing import reminders
from tests.factories import UserFactory
from tests.integration.test_peer_mariadb import COURSE, USAGE
from tests.integration.threads import run_at_once
from tests.peer_work import enter_work

pytestmark = [pytest.mark.integration]

LEARNERS = 8
SENDERS = 6


def test_concurrent_senders_remind_each_learner_once(integration_database_url, settings):
    settings.CREDPLUGIN_SEND_EMAIL = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    submitted = timezone.now() - timedelta(days=3)
    for number in range(LEARNERS):
        learner = UserFactory(email=f"learner{number}@example.com")
        enter_work(
            learner.pk, course_key=COURSE, usage_key=USAGE, submitted_at=submitted, must_grade=2
        )

    results, errors = run_at_once(SENDERS, reminders.send_due)

    assert errors == []
    assert sum(outcome["sent"] for outcome in results) == LEARNERS
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        f"learner{number}@example.com" for number in range(LEARNERS)
    )
    assert PeerReminder.objects.filter(sent_at__isnull=False).count() == LEARNERS
    assert reminders.send_due()["sent"] == 0
