"""Status-list slots, bit flips and the signed list credentials served publicly."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from credplugin import api
from credplugin.issuer import status_lists
from credplugin.issuing import evaluation
from credplugin.models import IssuanceRequest, StatusList
from credplugin.openbadges.status_list import StatusList as Bitstring
from tests.factories import (
    COURSE_KEY,
    BadgeClassFactory,
    BadgeRequirementFactory,
    CoursePassingRecordFactory,
    IssuerKeyFactory,
    UserFactory,
    learner_meeting,
)

pytestmark = pytest.mark.django_db


def new_request():
    return IssuanceRequest.objects.create(user=UserFactory(), badge_class=BadgeClassFactory())


def reserve(request_id):
    return status_lists.count_attempt_and_reserve_slots([request_id])[request_id]


def test_slots_are_reserved_once_per_request_and_lists_grow_in_lockstep():
    first, second = new_request(), new_request()
    slot = reserve(first.pk)
    assert reserve(first.pk) == slot
    assert reserve(second.pk) not in (slot, None)
    assert set(StatusList.objects.values_list("purpose", "next_index")) == {
        ("revocation", 2),
        ("suspension", 2),
    }
    keys = set(StatusList.objects.values_list("index_key", flat=True))
    assert len(keys) == 1 and len(keys.pop()) == 32


def test_a_full_list_opens_the_next_sequence():
    reserve(new_request().pk)
    StatusList.objects.update(next_index=131072)
    assert reserve(new_request().pk)[0] == 2
    assert StatusList.objects.filter(sequence=2).count() == 2
    assert len(set(StatusList.objects.values_list("index_key", flat=True))) == 2


def taken(wanted):
    with transaction.atomic():
        return status_lists.take_slots(wanted)


def test_indexes_are_random_and_never_repeat_until_the_list_is_full():
    StatusList.objects.create(
        purpose="revocation", sequence=1, size=1000, bitstring=bytes(125), index_key="ab" * 16
    )
    StatusList.objects.create(
        purpose="suspension", sequence=1, size=1000, bitstring=bytes(125), index_key="ab" * 16
    )
    slots = taken(600) + taken(300) + taken(100)
    indexes = [index for sequence, index in slots if sequence == 1]
    assert sorted(indexes) == list(range(1000))
    assert indexes[:20] != sorted(indexes[:20])
    # Order leaks nothing: the first hundred slots are spread over the whole list.
    assert max(indexes[:100]) > 800 and min(indexes[:100]) < 200
    assert taken(1)[0][0] == 2


def test_a_list_filled_in_order_keeps_its_indexes_and_shuffles_the_rest():
    """Lists from before random indexes: issued badges keep theirs, new ones take the rest."""
    for purpose in ("revocation", "suspension"):
        StatusList.objects.create(
            purpose=purpose, sequence=1, size=64, next_index=40, bitstring=bytes(8)
        )
    indexes = [index for _sequence, index in taken(24)]
    assert sorted(indexes) == list(range(40, 64))
    assert indexes != sorted(indexes)
    assert set(StatusList.objects.values_list("shuffled_from", flat=True)) == {40}
    assert taken(1)[0][0] == 2


def test_the_permutation_is_the_lists_own():
    rows = [
        StatusList(size=131072, shuffled_from=0, index_key=key) for key in ("00" * 16, "01" * 16)
    ]
    first, second = (status_lists.shuffled_indexes(row, range(50)) for row in rows)
    assert first != second
    assert all(0 <= index < 131072 for index in first + second)


def test_set_status_flips_the_bit_and_re_signs_the_list():
    IssuerKeyFactory()
    _sequence, index = reserve(new_request().pk)
    status_lists.set_status("suspension", 1, index, True)
    credential = api.status_list_credential("suspension", 1)
    assert credential["proof"]
    encoded = credential["credentialSubject"]["encodedList"]
    assert Bitstring.decode(encoded).get(index)
    status_lists.set_status("suspension", 1, index, False)
    assert not Bitstring.decode(
        api.status_list_credential("suspension", 1)["credentialSubject"]["encodedList"]
    ).get(index)


def test_an_unknown_or_unsigned_list_is_not_found():
    with pytest.raises(api.NotFound):
        api.status_list_credential("revocation", 7)
    reserve(new_request().pk)
    with pytest.raises(api.NotFound, match="not signed yet"):
        api.status_list_credential("revocation", 1)
    IssuerKeyFactory()
    assert api.status_list_credential("revocation", "1")["id"].endswith(
        "/credplugin/status/revocation/1.json"
    )


def test_slots_taken_across_a_full_list_continue_in_the_next_sequence():
    reserve(new_request().pk)
    StatusList.objects.update(next_index=131070)
    slots = taken(4)
    assert [sequence for sequence, _index in slots] == [1, 1, 2, 2]
    assert len(set(slots)) == 4
    assert dict(StatusList.objects.values_list("sequence", "next_index")) == {1: 131072, 2: 2}


def test_the_evaluation_gives_each_new_request_its_slot_in_the_decision():
    requirement = BadgeRequirementFactory()
    learners = [learner_meeting(requirement) for _ in range(3)]
    for user in learners:
        CoursePassingRecordFactory(user=user, evaluation_pending=True)
    [new_requests] = list(evaluation.drain_pending(learners[0].id, COURSE_KEY))
    slots = set(
        IssuanceRequest.objects.filter(pk__in=new_requests).values_list(
            "status_list_sequence", "status_list_index"
        )
    )
    assert {sequence for sequence, _index in slots} == {1} and len(slots) == 3
    with CaptureQueriesContext(connection) as queries:
        reserved = status_lists.count_attempt_and_reserve_slots(new_requests)
    assert set(reserved.values()) == slots
    assert not [q for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    assert set(IssuanceRequest.objects.values_list("attempts", flat=True)) == {1}
