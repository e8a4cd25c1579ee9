"""Status-list slots, bit flips and the signed list credentials served publicly."""

import pytest

from credplugin import api, status_lists
from credplugin.models import IssuanceRequest, StatusList
from credplugin.openbadges.status_list import StatusList as Bitstring
from tests.factories import BadgeClassFactory, IssuerKeyFactory, UserFactory

pytestmark = pytest.mark.django_db


def new_request():
    return IssuanceRequest.objects.create(user=UserFactory(), badge_class=BadgeClassFactory())


def test_slots_are_reserved_once_per_request_and_lists_grow_in_lockstep():
    first, second = new_request(), new_request()
    assert status_lists.reserve_slot(first.pk) == (1, 0)
    assert status_lists.reserve_slot(first.pk) == (1, 0)
    assert status_lists.reserve_slot(second.pk) == (1, 1)
    assert set(StatusList.objects.values_list("purpose", "next_index")) == {
        ("revocation", 2),
        ("suspension", 2),
    }


def test_a_full_list_opens_the_next_sequence():
    status_lists.reserve_slot(new_request().pk)
    StatusList.objects.update(next_index=131072)
    assert status_lists.reserve_slot(new_request().pk) == (2, 0)
    assert StatusList.objects.filter(sequence=2).count() == 2


def test_set_status_flips_the_bit_and_re_signs_the_list():
    IssuerKeyFactory()
    status_lists.reserve_slot(new_request().pk)
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
    status_lists.reserve_slot(new_request().pk)
    with pytest.raises(api.NotFound, match="not signed yet"):
        api.status_list_credential("revocation", 1)
    IssuerKeyFactory()
    assert api.status_list_credential("revocation", "1")["id"].endswith(
        "/credplugin/status/revocation/1.json"
    )
