"""Concurrent mentor reminder senders on MariaDB: each overdue submission is e-mailed once."""

import threading
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from credplugin import api
from credplugin.mentoring import reminders
from credplugin.mentoring.models import MentorReminder
from tests.factories import COURSE_KEY, UserFactory, usage_key_for
from tests.integration.threads import run_at_once

pytestmark = pytest.mark.integration
SENDERS = 4


@pytest.fixture
def mariadb(transactional_db):
    if connection.vendor != "mysql":
        pytest.skip("SKIPPED LOUDLY: needs MariaDB: set CREDPLUGIN_DATABASE_URL=mysql://…")


def test_concurrent_senders_e_mail_each_overdue_submission_exactly_once(
    mariadb, monkeypatch, settings
):
    settings.CREDPLUGIN_MENTOR_TURNAROUND_HOURS = 24
    mentor = UserFactory(username="mentor", is_staff=True)
    block = usage_key_for(COURSE_KEY, "project")
    for number in range(15):
        learner = UserFactory(username=f"pupil{number}")
        api.assign_mentor(course_key=str(COURSE_KEY), mentor=mentor.pk, learner=learner.pk)
        api.review_waiting(
            submission_uuid=uuid.uuid4(),
            course_key=COURSE_KEY,
            usage_key=block,
            title=f"Project {number}",
            learner_id=learner.pk,
            submitted_at=timezone.now() - timedelta(hours=25 + number),
        )
    mail.outbox.clear()
    all_looked = threading.Barrier(SENDERS, timeout=30)
    find_due = reminders.due

    def due_then_wait(now=None, *, limit=None):
        found = find_due(now, limit=limit)
        all_looked.wait()  # every sender saw all 15 due before any claims
        return found

    monkeypatch.setattr(reminders, "due", due_then_wait)
    results, errors = run_at_once(SENDERS, reminders.send_due)
    assert not errors
    assert [result["due"] for result in results] == [15] * SENDERS
    assert sum(result["sent"] for result in results) == 15
    assert sum(result["taken"] for result in results) == 15 * (SENDERS - 1)
    assert sorted(message.subject for message in mail.outbox) == sorted(
        f"Work on “Project {number}” has waited {25 + number} hours for review"
        for number in range(15)
    )
    assert MentorReminder.objects.filter(sent_at__isnull=False).count() == 15
