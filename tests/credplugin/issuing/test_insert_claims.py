"""Claiming by inserting: the unique constraint decides, each sender gets only what it won."""

import uuid

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
