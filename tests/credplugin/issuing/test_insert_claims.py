"""Claiming by inserting: the unique constraint decides, each sender gets only what it won."""

import uuid

import pytest
from django.db import OperationalError, transaction

from credplugin.issuing import claims
from credplugin.models import RenewalReminder


def reminder(badge, days, token):
    return RenewalReminder(badge=badge, version=1, days_before=days, claim=token)


def test_each_sender_gets_only_the_rows_it_inserted(earn):
    badge = earn("ada")
    first, second = uuid.uuid4(), uuid.uuid4()
    won = claims.insert_claims(
        RenewalReminder, [reminder(badge, 30, first), reminder(badge, 7, first)], "claim"
    )
    assert sorted(won.values_list("days_before", flat=True)) == [7, 30]
    # A second sender racing for the same reminders (and one more) wins only the new one.
    won = claims.insert_claims(
        RenewalReminder, [reminder(badge, 30, second), reminder(badge, 0, second)], "claim"
    )
    assert list(won.values_list("days_before", flat=True)) == [0]
    assert RenewalReminder.objects.count() == 3


def test_nothing_to_claim_wins_nothing(db):
    assert list(claims.insert_claims(RenewalReminder, [], "claim")) == []


def deadlocking_once(real_bulk_create, calls):
    """``bulk_create`` that InnoDB picks as a deadlock's victim the first time."""

    def bulk_create(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError(1213, "Deadlock found when trying to get lock")
        return real_bulk_create(*args, **kwargs)

    return bulk_create


@pytest.mark.django_db(transaction=True)
def test_a_claim_insert_chosen_as_deadlock_victim_is_tried_again(earn, monkeypatch):
    badge = earn("ada")
    calls = []
    manager = RenewalReminder.objects
    monkeypatch.setattr(manager, "bulk_create", deadlocking_once(manager.bulk_create, calls))
    won = claims.insert_claims(RenewalReminder, [reminder(badge, 30, uuid.uuid4())], "claim")
    assert len(calls) == 2 and list(won.values_list("days_before", flat=True)) == [30]


def test_inside_a_transaction_the_deadlock_is_the_callers_to_retry(earn, monkeypatch):
    badge = earn("ada")
    manager = RenewalReminder.objects
    monkeypatch.setattr(manager, "bulk_create", deadlocking_once(manager.bulk_create, []))
    with pytest.raises(OperationalError), transaction.atomic():
        claims.insert_claims(RenewalReminder, [reminder(badge, 30, uuid.uuid4())], "claim")


def test_other_database_errors_are_not_retried(earn, monkeypatch):
    badge = earn("ada")
    calls = []

    def lost_connection(*args, **kwargs):
        calls.append(1)
        raise OperationalError(2013, "Lost connection to server during query")

    monkeypatch.setattr(RenewalReminder.objects, "bulk_create", lost_connection)
    with pytest.raises(OperationalError):
        claims.insert_claims(RenewalReminder, [reminder(badge, 30, uuid.uuid4())], "claim")
    assert len(calls) == 1
