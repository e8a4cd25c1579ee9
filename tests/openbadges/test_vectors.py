"""The W3C vc-di-eddsa ``eddsa-rdfc-2022`` test vectors, reproduced byte for byte.

Source and provenance of the data files: tests/openbadges/data/vc-di-eddsa/SOURCE.md.
"""

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from credplugin.openbadges import loader
from credplugin.openbadges.canonical import canonicalize
from credplugin.openbadges.keys import SigningKey
from credplugin.openbadges.proof import hash_data, sign_credential, verify_signature

VECTORS = Path(__file__).parent / "data" / "vc-di-eddsa"
EXAMPLES_CONTEXT = "https://www.w3.org/ns/credentials/examples/v2"


def vector(name):
    text = (VECTORS / name).read_text("utf-8")
    return json.loads(text) if name.endswith(".json") else text


@pytest.fixture
def examples_context(monkeypatch):
    """Let the loader serve the examples context the vectors use, for this test only."""
    shipped = loader._parsed_context
    examples = vector("credentials-examples-v2.json")

    def parsed_context(url):
        return examples if url == EXAMPLES_CONTEXT else shipped(url)

    monkeypatch.setattr(loader, "_parsed_context", parsed_context)
    loader._resolved_contexts.clear()
    yield
    loader._resolved_contexts.clear()


@pytest.fixture
def vector_key():
    key_pair = vector("keyPair.json")
    key = SigningKey.from_private_key_multibase(key_pair["privateKeyMultibase"])
    assert key.public_key_multibase == key_pair["publicKeyMultibase"]
    return key


def test_canonical_document(examples_context):
    assert canonicalize(vector("unsigned.json")) == vector("canonDocDataInt.txt")


def test_canonical_proof_configuration(examples_context):
    assert canonicalize(vector("proofConfigDataInt.json")) == vector("proofCanonDataInt.txt")


def test_hashes(examples_context):
    combined = hash_data(vector("unsigned.json"), vector("proofConfigDataInt.json"))
    assert combined[:32].hex() == vector("proofHashDataInt.txt").strip()
    assert combined[32:].hex() == vector("docHashDataInt.txt").strip()
    assert combined.hex() == vector("combinedHashDataInt.txt").strip()
    assert hashlib.sha256(vector("canonDocDataInt.txt").encode()).hexdigest() == combined[32:].hex()


def test_signature_and_signed_credential(examples_context, vector_key):
    created = datetime(2023, 2, 24, 23, 36, 38, tzinfo=UTC)
    signed = sign_credential(vector("unsigned.json"), vector_key, created=created)
    combined = hash_data(vector("unsigned.json"), vector("proofConfigDataInt.json"))
    assert vector_key.sign(combined).hex() == vector("sigHexDataInt.txt").strip()
    assert signed["proof"][0]["proofValue"] == vector("sigBTC58DataInt.txt").strip()
    expected = vector("signedDataInt.json")
    assert signed == {**expected, "proof": [expected["proof"]]}


def test_signed_vector_verifies(examples_context, vector_key):
    verify_signature(vector("signedDataInt.json"), vector_key.private_key.public_key())


def test_examples_context_is_not_shipped():
    with pytest.raises(loader.UnknownContextError):
        loader.load_context(EXAMPLES_CONTEXT)
