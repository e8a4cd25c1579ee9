"""Two survey senders at once on MariaDB: every due survey is e-mailed exactly once."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, connections
from django.utils import timezone

from credplugin.models import SurveyInvitation
from credplugin.outcomes import surveys
from tests.issued_badges import badge_setup, earn  # noqa: F401 - fixtures

pytestmark = pytest.mark.integration


@pytest.fixture
def mariadb(transactional_db):
    if connection.vendor != "mysql":
        pytest.skip("SKIPPED LOUDLY: needs MariaDB: set CREDPLUGIN_DATABASE_URL=mysql://…")


def test_two_concurrent_senders_e_mail_each_survey_exactly_once(mariadb, earn, monkeypatch):  # noqa: F811
    for number in range(12):
        earn(
            f"learner{number}",
            issued_at=timezone.now() - timedelta(days=31),
            email=f"learner{number}@example.org",
        )
    mail.outbox.clear()
    both_looked = threading.Barrier(2, timeout=20)
    find_due = surveys.due_badges

    def due_then_wait(offset, now):
        found = list(find_due(offset, now))
        both_looked.wait()  # both senders have seen the same due badges before either claims
        return found

    monkeypatch.setattr(surveys, "due_badges", due_then_wait)
    sent, errors = [], []

    def sender():
        try:
            sent.append(surveys.send_due_surveys())
        except Exception as error:  # surfaced below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    assert sum(sent) == 12
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        f"learner{number}@example.org" for number in range(12)
    )
    assert SurveyInvitation.objects.filter(status=SurveyInvitation.Status.SENT).count() == 12
