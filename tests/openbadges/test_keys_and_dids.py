"""Multikey keys, key files and DID documents."""

import pytest
from cryptography.hazmat.primitives.asymmetric.ec import SECP256R1, generate_private_key
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from hypothesis import given
from hypothesis import strategies as st

from credplugin.openbadges import (
    DidError,
    KeyFormatError,
    SigningKey,
    did_document,
    did_key_document,
    did_web_document,
    did_web_document_url,
    did_web_from_url,
    generate_key,
)
from credplugin.openbadges.did import assertion_method
from credplugin.openbadges.keys import public_key_from_multibase
from credplugin.openbadges.multibase import decode_base58btc, encode_base58btc


def test_multikey_form():
    key = generate_key()
    assert key.public_key_multibase.startswith("z6Mk")
    assert decode_base58btc(key.public_key_multibase)[:2] == b"\xed\x01"
    assert key.controller == f"did:key:{key.public_key_multibase}"
    assert key.verification_method == f"{key.controller}#{key.public_key_multibase}"


def test_base58_keeps_leading_zero_bytes():
    for data in (b"", b"\0", b"\0\0\x01", bytes(range(40))):
        assert decode_base58btc(encode_base58btc(data)) == data


def _base58_digit_by_digit(data: bytes) -> str:
    """The encoding as the base58btc draft defines it, one digit per division."""
    alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
    number, digits = int.from_bytes(data, "big"), ""
    while number:
        number, remainder = divmod(number, 58)
        digits = alphabet[remainder] + digits
    return "z" + "1" * (len(data) - len(data.lstrip(b"\0"))) + digits


@given(st.binary(max_size=96))
def test_base58_encodes_as_digit_by_digit_division(data):
    assert encode_base58btc(data) == _base58_digit_by_digit(data)
    assert decode_base58btc(encode_base58btc(data)) == data


def test_base58_of_the_multibase_draft_example():
    # draft-multiformats-multibase: "Decentralize everything!!" in base58btc.
    assert encode_base58btc(b"Decentralize everything!!") == "zUXE7GvtEk8XTXs1GF8HSGbVA9FCX9SEBPe"


def test_pem_round_trip_keeps_key_and_takes_controller():
    key = generate_key()
    loaded = SigningKey.from_pem(key.to_pem().decode(), controller="did:web:lms.example.com")
    assert loaded.public_key_multibase == key.public_key_multibase
    assert loaded.controller == "did:web:lms.example.com"
    assert SigningKey.from_pem(key.to_pem()).controller == key.controller


def test_pem_of_another_algorithm_is_refused():
    ec_pem = generate_private_key(SECP256R1()).private_bytes(
        Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()
    )
    with pytest.raises(KeyFormatError, match="not an Ed25519"):
        SigningKey.from_pem(ec_pem)
    with pytest.raises(KeyFormatError):
        SigningKey.from_pem(b"-----BEGIN NOTHING-----")


def test_json_key_file_round_trip_and_consistency_checks():
    key = generate_key(did_web_from_url("https://lms.example.com"))
    data = key.to_json()
    assert data["verificationMethod"] == key.verification_method
    assert SigningKey.from_json(data).verification_method == key.verification_method
    other = generate_key()
    for broken in (
        {**data, "publicKeyMultibase": other.public_key_multibase},
        {**data, "verificationMethod": "did:web:elsewhere#x"},
        {**data, "did": "not a did"},
        {**data, "privateKeyMultibase": other.public_key_multibase},
        {"did": data["did"]},
    ):
        with pytest.raises(KeyFormatError):
            SigningKey.from_json(broken)


@pytest.mark.parametrize("multibase", ["6Mk", "zzz", encode_base58btc(b"\xed\x01" + bytes(31))])
def test_bad_public_multikeys(multibase):
    with pytest.raises(KeyFormatError):
        public_key_from_multibase(multibase)


@pytest.mark.parametrize(
    ("url", "did", "document_url"),
    [
        (
            "https://lms.example.com",
            "did:web:lms.example.com",
            "https://lms.example.com/.well-known/did.json",
        ),
        (
            "https://lms.example.com/",
            "did:web:lms.example.com",
            "https://lms.example.com/.well-known/did.json",
        ),
        (
            "https://lms.example.com:8443/org/unit",
            "did:web:lms.example.com%3A8443:org:unit",
            "https://lms.example.com:8443/org/unit/did.json",
        ),
        (
            "http://localhost:8000",
            "did:web:localhost%3A8000",
            "http://localhost:8000/.well-known/did.json",
        ),
    ],
)
def test_did_web_from_site_url(url, did, document_url):
    assert did_web_from_url(url) == did
    assert did_web_document_url(did) == document_url


@pytest.mark.parametrize(
    "url",
    ["http://lms.example.com", "ftp://x", "https://", "https://x.org/?q=1", "lms.example.com"],
)
def test_bad_site_urls(url):
    with pytest.raises(DidError):
        did_web_from_url(url)


def test_did_web_document_lists_every_key_for_assertion():
    did = did_web_from_url("https://lms.example.com")
    current, retired = generate_key(did), generate_key(did)
    keys = [current.public_key_multibase, retired.public_key_multibase]
    document = did_web_document("https://lms.example.com/", keys)
    assert document == did_document(did, keys)
    assert [method["id"] for method in document["verificationMethod"]] == [
        current.verification_method,
        retired.verification_method,
    ]
    assert document["@context"] == [
        "https://www.w3.org/ns/did/v1",
        "https://w3id.org/security/multikey/v1",
    ]
    assert document["assertionMethod"] == [current.verification_method, retired.verification_method]
    for key in (current, retired):
        method = assertion_method(document, key.verification_method)
        assert method["type"] == "Multikey" and method["controller"] == did


def test_relative_method_ids_are_understood():
    key = generate_key("did:web:lms.example.com")
    document = did_document(key.controller, [key.public_key_multibase])
    document["assertionMethod"] = [f"#{key.public_key_multibase}"]
    assert assertion_method(document, key.verification_method)["publicKeyMultibase"]


def test_did_key_document_and_refusals():
    key = generate_key()
    document = did_key_document(key.controller)
    assert assertion_method(document, key.verification_method)
    for did in ("did:key:zQ3sh", "did:web:x", "did:key:" + key.public_key_multibase + "#x"):
        with pytest.raises(DidError):
            did_key_document(did)
    with pytest.raises(DidError, match="is for 'did:web:x'"):
        assertion_method({**document, "id": "did:web:x"}, key.verification_method)
