"""Bitstring Status List bits, encoding and entries."""

import base64
import gzip

import pytest

from credplugin.openbadges import (
    BitstringStatusListEntry,
    StatusList,
    StatusListError,
    canonicalize,
    status_list_credential,
)
from credplugin.openbadges.multibase import encode_base64url
from credplugin.openbadges.status_list import MAXIMUM_LENGTH, MINIMUM_LENGTH


def test_set_get_clear():
    bits = StatusList()
    assert bits.length == 131_072
    assert not bits.get(0)
    bits.set(0)
    bits.set(131_071)
    assert bits.get(0) and bits.get(131_071) and not bits.get(1)
    bits.clear(0)
    assert not bits.get(0)


def test_index_zero_is_the_leftmost_bit():
    bits = StatusList()
    bits.set(0)
    bits.set(9)
    raw = gzip.decompress(base64.urlsafe_b64decode(bits.encode()[1:] + "=="))
    assert raw[:2] == bytes([0b1000_0000, 0b0100_0000])


def test_encode_decode_round_trip():
    bits = StatusList(MINIMUM_LENGTH * 2)
    for index in (3, 77, 200_000):
        bits.set(index)
    encoded = bits.encode()
    assert encoded.startswith("u") and "=" not in encoded
    decoded = StatusList.decode(encoded)
    assert decoded.length == MINIMUM_LENGTH * 2
    assert [decoded.get(i) for i in (3, 77, 200_000, 4)] == [True, True, True, False]
    assert bits.encode() == encoded


@pytest.mark.parametrize("index", [-1, MINIMUM_LENGTH, "3", 1.0])
def test_out_of_range_index(index):
    with pytest.raises(StatusListError):
        StatusList().get(index)


@pytest.mark.parametrize(
    "encoded",
    [
        "zabc",
        "u!!!",
        encode_base64url(b"not gzip"),
        encode_base64url(gzip.compress(bytes(100))),
        encode_base64url(gzip.compress(bytes(MAXIMUM_LENGTH // 8 + 8))),
        encode_base64url(gzip.compress(bytes(MINIMUM_LENGTH // 8))[:-30]),
    ],
)
def test_bad_encoded_lists(encoded):
    with pytest.raises(StatusListError):
        StatusList.decode(encoded)


def test_short_lists_are_refused():
    with pytest.raises(StatusListError, match="131072"):
        StatusList(1024)


def test_entry_round_trip_and_validation():
    entry = BitstringStatusListEntry("https://lms.example.com/status/1", 12, "suspension")
    assert entry.to_json()["statusListIndex"] == "12"
    assert BitstringStatusListEntry.from_json(entry.to_json()) == entry
    with pytest.raises(StatusListError):
        BitstringStatusListEntry("https://x", 1, "expiry")
    with pytest.raises(StatusListError, match="digits"):
        BitstringStatusListEntry.from_json({**entry.to_json(), "statusListIndex": 12})


def test_status_list_credential_is_well_formed_json_ld():
    document = status_list_credential(
        "https://lms.example.com/status/1", "did:web:lms.example.com", StatusList()
    )
    assert document["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert document["credentialSubject"]["type"] == "BitstringStatusList"
    assert "BitstringStatusList" in canonicalize(document)


def test_an_equal_str_subclass_purpose_becomes_a_plain_string():
    class Purpose(str):
        pass

    entry = BitstringStatusListEntry("https://example.org/status/1", 3, Purpose("suspension"))
    assert type(entry.to_json()["statusPurpose"]) is str
    unsigned = status_list_credential(
        "https://example.org/status/1",
        "did:web:example.org",
        StatusList(),
        purpose=Purpose("suspension"),
    )
    assert type(unsigned["credentialSubject"]["statusPurpose"]) is str
