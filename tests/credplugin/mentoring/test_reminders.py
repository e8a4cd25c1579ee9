"""Reminders: work waiting past the target turnaround is e-mailed to its mentor once, whoever
sends and however often; opted-out mentors are skipped; the command's dry run sends nothing."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from credplugin import api
from credplugin.issuing import claims
from credplugin.mentoring import reminders
from credplugin.mentoring.models import MentorReminder
from tests.factories import COURSE_KEY

pytestmark = pytest.mark.django_db
COURSE = str(COURSE_KEY)


@pytest.fixture(autouse=True)
def _target(settings):
    settings.CREDPLUGIN_MENTOR_TURNAROUND_HOURS = 24


def test_work_past_the_target_is_mailed_to_its_mentor_once(mentors, learners, submit):
    api.assign_mentor(course_key=COURSE, mentor=mentors[1].pk, learner=learners[0].pk)
    overdue = submit(learners[0], hours_ago=30, title="Capstone")
    submit(learners[1], hours_ago=3)  # not yet due
    outcome = reminders.send_due()
    assert outcome == {"due": 1, "sent": 1, "taken": 0}
    assert [message.to for message in mail.outbox] == [[mentors[1].email]]
    assert "Capstone" in mail.outbox[0].subject
    assert "waited 30 hours" in mail.outbox[0].subject
    assert f"/credplugin/courses/{COURSE}/mentors/" in mail.outbox[0].body
    assert reminders.send_due() == {"due": 0, "sent": 0, "taken": 0}
    assert len(mail.outbox) == 1
    assert MentorReminder.objects.get().entry.submission_uuid == overdue


def test_work_waits_until_the_target_and_no_longer(learners, mentors, submit):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        submit(learners[0])
    with time_machine.travel(start + timedelta(hours=23, minutes=59), tick=False):
        assert reminders.send_due()["due"] == 0
    with time_machine.travel(start + timedelta(hours=24), tick=False):
        assert reminders.send_due()["sent"] == len(mentors)  # no mentor: every reviewer


def test_a_reviewed_submission_is_not_reminded(learners, mentors, submit):
    work = submit(learners[0], hours_ago=30)
    api.review_decided(submission_uuid=work, status="graded", reviewer_id=mentors[0].pk)
    assert reminders.send_due()["due"] == 0
    assert mail.outbox == []


def test_an_opted_out_mentor_gets_no_reminder_and_it_is_not_sent_later(mentors, learners, submit):
    api.assign_mentor(course_key=COURSE, mentor=mentors[0].pk, learner=learners[0].pk)
    api.set_mentor_reminders(mentors[0].pk, enabled=False)
    submit(learners[0], hours_ago=30)
    assert reminders.send_due()["sent"] == 0
    api.set_mentor_reminders(mentors[0].pk, enabled=True)
    assert reminders.send_due()["due"] == 0
    assert mail.outbox == []


def test_mail_trouble_releases_the_claim_for_a_later_run(mentors, learners, submit, monkeypatch):
    submit(learners[0], hours_ago=30)

    class Broken:
        def send_messages(self, messages):
            raise OSError("mail server down")

    monkeypatch.setattr(claims, "get_connection", Broken)
    assert reminders.send_due()["sent"] == 0
    assert not MentorReminder.objects.exists()
    monkeypatch.undo()
    assert reminders.send_due()["sent"] == len(mentors)


def test_a_sender_with_a_stale_due_list_finds_the_reminder_taken(
    mentors, learners, submit, monkeypatch
):
    submit(learners[0], hours_ago=30)
    stale = reminders.due()  # read before the other sender claimed
    assert reminders.send_due()["sent"] == len(mentors)
    monkeypatch.setattr(reminders, "due", lambda now=None, limit=None: stale)
    assert reminders.send_due() == {"due": 1, "sent": 0, "taken": 1}
    assert len(mail.outbox) == len(mentors)


def test_the_command_dry_run_lists_and_claims_nothing(mentors, learners, submit):
    api.assign_mentor(course_key=COURSE, mentor=mentors[2].pk, learner=learners[0].pk)
    submit(learners[0], hours_ago=30)
    out = StringIO()
    call_command("credplugin_mentor_reminders", "--dry-run", stdout=out)
    assert "mentor2" in out.getvalue()
    assert "1 reminder(s) due; dry run, nothing sent." in out.getvalue()
    assert not MentorReminder.objects.exists()
    assert mail.outbox == []
    call_command("credplugin_mentor_reminders", stdout=out)
    assert "1 due, 1 e-mail(s) sent" in out.getvalue()
    assert len(mail.outbox) == 1


def test_the_beat_schedule_sends_mentor_reminders(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["credplugin-mentor-reminders"]
    assert entry["task"] == "credplugin.tasks.send_mentor_reminders_task"
