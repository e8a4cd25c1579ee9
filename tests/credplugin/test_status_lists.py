"""Status-list slots, bit flips and the signed list credentials served publicly."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from credplugin import api, evaluation, status_lists
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
    return status_lists.reserve_slots([request_id])[request_id]


def test_slots_are_reserved_once_per_request_and_lists_grow_in_lockstep():
    first, second = new_request(), new_request()
    assert reserve(first.pk) == (1, 0)
    assert reserve(first.pk) == (1, 0)
    assert reserve(second.pk) == (1, 1)
    assert set(StatusList.objects.values_list("purpose", "next_index")) == {
        ("revocation", 2),
        ("suspension", 2),
    }


def test_a_full_list_opens_the_next_sequence():
    reserve(new_request().pk)
    StatusList.objects.update(next_index=131072)
    assert reserve(new_request().pk) == (2, 0)
    assert StatusList.objects.filter(sequence=2).count() == 2


def test_set_status_flips_the_bit_and_re_signs_the_list():
    IssuerKeyFactory()
    reserve(new_request().pk)
    status_lists.set_status("suspension", 1, 0, True)
    credential = api.status_list_credential("suspension", 1)
    assert credential["proof"]
    encoded = credential["credentialSubject"]["encodedList"]
    assert Bitstring.decode(encoded).get(0)
    status_lists.set_status("suspension", 1, 0, False)
    assert not Bitstring.decode(
        api.status_list_credential("suspension", 1)["credentialSubject"]["encodedList"]
    ).get(0)


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
    with transaction.atomic():
        assert status_lists.take_slots(4) == [(1, 131070), (1, 131071), (2, 0), (2, 1)]
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
    assert slots == {(1, 0), (1, 1), (1, 2)}
    with CaptureQueriesContext(connection) as queries:
        reserved = status_lists.reserve_slots(new_requests)
    assert set(reserved.values()) == slots
    assert not [q for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    assert set(IssuanceRequest.objects.values_list("attempts", flat=True)) == {1}
