"""The fast canonicalizer on learner records (``ClrCredential``): embedded signed credentials
with their own ``@context`` and their proofs as named graphs, held to pyld byte for byte and
to 1EdTech's CLR canonicalization vectors (``test_clr.py``)."""

import copy
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from credplugin.openbadges import proof
from credplugin.openbadges.canonical import reference_canonicalize
from credplugin.openbadges.clr import Association, build_clr
from credplugin.openbadges.credential import IdentityObject
from credplugin.openbadges.fastcanon import fast_canonicalize
from credplugin.openbadges.loader import (
    DATA_INTEGRITY_V2_CONTEXT,
    OPEN_BADGES_V3_CONTEXT,
)
from tests.openbadges.strategies import credentials
from tests.openbadges.test_fast_canonical import (
    CREATED,
    DIFFERENTIAL,
    KEY,
    TYPICAL,
    assert_same_as_reference,
    mutate,
)
from tests.openbadges.typical_badge import ISSUER_DID

# pyld takes a few hundred milliseconds on a record of a few badges.
RECORDS = settings(DIFFERENTIAL, max_examples=15)
IDENTIFIER = IdentityObject.for_email("learner@example.org", salt="pepper").to_json()


def signed(document, index):
    return proof.sign_credential(
        {**document, "id": f"urn:uuid:00000000-0000-4000-8000-{index:012d}"}, KEY, created=CREATED
    )


def record(badges, associations=()):
    return build_clr(
        id="urn:uuid:c1c1c1c1-0000-4000-8000-000000000000",
        issuer=badges[0]["issuer"],
        name="Learner record",
        credentials=badges,
        identifiers=[IDENTIFIER],
        associations=associations,
        valid_from=CREATED,
    )


def typical_record():
    first = signed(copy.deepcopy(TYPICAL), 1)
    second = copy.deepcopy(TYPICAL)
    second["credentialSubject"]["achievement"]["id"] = "urn:uuid:aaaaaaaa-0000-4000-8000-0002"
    second = signed(second, 2)
    return record(
        [first, second],
        [
            Association(
                "precedes",
                first["credentialSubject"]["achievement"]["id"],
                second["credentialSubject"]["achievement"]["id"],
            )
        ],
    )


TYPICAL_RECORD = typical_record()


def test_a_record_of_signed_badges_takes_the_fast_path_and_matches_the_reference():
    fast = fast_canonicalize(TYPICAL_RECORD)
    assert fast is not None
    assert fast == reference_canonicalize(TYPICAL_RECORD)
    # Each embedded proof is a named graph of its own.
    assert len({line.split()[-2] for line in fast.splitlines() if line.count(" _:c14n") > 0}) > 2


def test_fast_and_reference_sign_a_record_with_the_same_proof_value():
    fast = proof.sign_credential(TYPICAL_RECORD, KEY, created=CREATED)["proof"]
    with mock.patch.object(proof, "canonicalize", reference_canonicalize):
        assert fast == proof.sign_credential(TYPICAL_RECORD, KEY, created=CREATED)["proof"]


@pytest.mark.parametrize(
    "embedded_context",
    [
        ["https://www.w3.org/2018/credentials/v1", OPEN_BADGES_V3_CONTEXT],  # protected terms
        ["https://example.com/unknown-context.json"],
        [{"name": "https://example.com/name"}],
        None,
        [],
    ],
)
def test_embedded_contexts_the_fast_path_does_not_reproduce_are_left_to_the_reference(
    embedded_context,
):
    document = copy.deepcopy(TYPICAL_RECORD)
    document["credentialSubject"]["verifiableCredential"][0]["@context"] = embedded_context
    assert_same_as_reference(document)


def test_several_proofs_and_odd_proof_values_match_the_reference():
    document = copy.deepcopy(TYPICAL_RECORD)
    embedded = document["credentialSubject"]["verifiableCredential"]
    first = embedded[0]["proof"]
    first = first[0] if isinstance(first, list) else first
    embedded[0]["proof"] = [first, copy.deepcopy(first), None]
    embedded[1]["proof"] = {**first, "created": "2026-02-01T00:00:00Z"}
    assert fast_canonicalize(document) == reference_canonicalize(document)
    for odd in ("urn:uuid:1", {}, [{"@context": [DATA_INTEGRITY_V2_CONTEXT], **first}], 7):
        embedded[1]["proof"] = odd
        assert_same_as_reference(document)


@st.composite
def mutated_records(draw):
    """The two-badge record with a few random edits anywhere in it, embedded badges included."""
    return mutate(draw, copy.deepcopy(TYPICAL_RECORD), draw(st.integers(1, 3)))


@RECORDS
@given(mutated_records())
def test_mutated_records_match_the_reference(document):
    assert_same_as_reference(document)


@RECORDS
@given(
    st.lists(credentials(issuer=ISSUER_DID), min_size=1, max_size=3),
    st.lists(st.sampled_from(["isPartOf", "precedes", "isRelatedTo"]), max_size=3),
)
def test_records_of_composed_credentials_take_the_fast_path_and_match_the_reference(
    documents, association_types
):
    badges = []
    for index, document in enumerate(documents):
        document["credentialSubject"]["achievement"]["id"] = f"urn:uuid:a-{index}"
        badges.append(signed(document, index))
    associations = [
        Association(kind, f"urn:uuid:a-{index % len(badges)}", f"urn:uuid:a-{index + 1}")
        for index, kind in enumerate(association_types)
    ]
    document = record(badges, associations)
    fast = fast_canonicalize(document)
    assert fast is not None
    assert fast == reference_canonicalize(document)
