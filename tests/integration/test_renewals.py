"""Renewal reminders on MariaDB: two senders at once (cron on two hosts, or cron and beat)
send each reminder exactly once."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection

from credplugin import api
from credplugin.models import IssuedBadge, RenewalReminder
from credplugin.renewing import reminders
from tests.renewals import EXPIRES, ISSUED_AT, at

pytestmark = pytest.mark.integration
LEARNERS = 12


def test_two_concurrent_senders_send_each_reminder_once(
    integration_database_url, earn, monkeypatch
):
    with at(ISSUED_AT):
        for number in range(LEARNERS):
            earn(f"learner{number}")
    badge_class = IssuedBadge.objects.first().badge_class
    api.set_renewal_policy(str(badge_class.uuid), window_days=90)
    mail.outbox.clear()
    # Both senders read what is due, then both claim it at the same moment.
    both_read = threading.Barrier(2, timeout=30)
    read_opt_outs = reminders.opted_out

    def opted_out_then_wait(user_ids):
        found = read_opt_outs(user_ids)
        both_read.wait()
        return found

    monkeypatch.setattr(reminders, "opted_out", opted_out_then_wait)
    counts, errors = [], []

    def sender():
        try:
            counts.append(reminders.send_due())
        except Exception as error:  # noqa: BLE001  (reported by the assertion below)
            errors.append(error)
        finally:
            connection.close()

    with at(EXPIRES - timedelta(days=29)):
        threads = [threading.Thread(target=sender) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert not errors
    assert [c["due"] for c in counts] == [LEARNERS, LEARNERS]
    assert sum(c["sent"] for c in counts) == LEARNERS
    assert sum(c["taken"] for c in counts) == LEARNERS
    assert RenewalReminder.objects.filter(sent_at__isnull=False).count() == LEARNERS
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        f"learner{number}@example.org" for number in range(LEARNERS)
    )
