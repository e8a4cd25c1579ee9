"""The fast canonicalizer against the pyld reference: same N-Quads, same proofs, same refusals.

Every property test compares :func:`canonicalize` (fast path first) with
:func:`reference_canonicalize` (pyld alone) on the same input: either both refuse it, or both
return the same bytes. Examples per test are modest by default; set
``CREDPLUGIN_HYPOTHESIS_PROFILE=thorough`` for thousands.
"""

import copy
import json
import math
import os
import re
from datetime import UTC, datetime
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credplugin.openbadges import generate_key, proof
from credplugin.openbadges.canonical import (
    CanonicalizationError,
    canonicalize,
    reference_canonicalize,
)
from credplugin.openbadges.fastcanon import fast_canonicalize
from credplugin.openbadges.loader import (
    BITSTRING_STATUS_LIST_CONTEXT,
    CREDENTIALS_V2_CONTEXT,
    DATA_INTEGRITY_V2_CONTEXT,
)
from tests.openbadges.strategies import credentials
from tests.openbadges.typical_badge import ISSUER_DID, typical_credential

THOROUGH = os.environ.get("CREDPLUGIN_HYPOTHESIS_PROFILE") == "thorough"
DIFFERENTIAL = settings(
    max_examples=3000 if THOROUGH else 200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# Composed credentials carry long texts and dozens of alignments: pyld takes longest on those.
COMPOSED = settings(DIFFERENTIAL, max_examples=3000 if THOROUGH else 100)
SIGNING = settings(DIFFERENTIAL, max_examples=500 if THOROUGH else 20)
KEY = generate_key(ISSUER_DID)
CREATED = datetime(2026, 1, 1, tzinfo=UTC)
TYPICAL = typical_credential()

# Unicode that RDFC-1.0 writes as is or as an escape both libraries agree on …
SAFE_TEXT = st.lists(
    st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\t\n\r")
    | st.sampled_from(['"', "\\", "\u2028", "\u00a0", "\ufeff", "🎓", "👩🏽‍💻", "\u0301", "ﷺ"]),
    max_size=40,
).map("".join)
# … and anything at all, control characters included (which the reference refuses).
ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
NUMBERS = (
    st.sampled_from(
        [0, -0.0, 1, -7, 1.0, 12.5, 1e-6, 1e-7, 0.1, 1 / 3, 2**53, 2**53 + 1, -(2**53) - 1, 1e21]
    )
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=True, allow_infinity=True)
)
SCALARS = SAFE_TEXT | ANY_TEXT | NUMBERS | st.booleans() | st.none()
IRIS = st.sampled_from(
    [
        "https://lms.example.com/x",
        "urn:uuid:5b6f0b52-8f7e-4b8e-9d59-0d8a3f0f7c11",
        "did:web:lms.example.com",
        "relative/path",
        "_:b0",
        "https://bad example.com/",
        "https://example.com/<x>",
        "xsd:string",
        "@type",
        "",
    ]
)


def outcome(function, document):
    """``("ok", n-quads)`` or ``("refused", exception type)``; the input must stay untouched.

    Any exception counts: where pyld itself fails on odd input (a TypeError, say), the fast
    path must have left the document to it, so that both fail alike.
    """
    before = json.dumps(document)
    try:
        result = ("ok", function(document))
    except Exception as error:  # compared below, not swallowed
        result = ("refused", type(error))
    assert json.dumps(document) == before, "canonicalization changed its input"
    return result


def assert_same_as_reference(document):
    """The fast path answers exactly as pyld, or leaves the document to it (answers None)."""
    fast = outcome(fast_canonicalize, document)
    if fast != ("ok", None):
        assert fast == outcome(reference_canonicalize, document)


def leaves(value, path=()):
    """Paths to every value in a JSON document (objects and lists included)."""
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, (*path, index))


def get(document, path):
    for step in path:
        document = document[step]
    return document


def mutate(draw, document, edits: int):
    """``document`` with ``edits`` random edits anywhere in it."""
    for _ in range(edits):
        paths = [path for path in leaves(document) if path]
        path = draw(st.sampled_from(paths))
        parent, last = get(document, path[:-1]), path[-1]
        edit = draw(st.sampled_from(EDITS))
        edit(draw, parent, last)
    return document


@st.composite
def mutated_credentials(draw):
    """The typical credential with a few random edits anywhere in it."""
    return mutate(draw, copy.deepcopy(TYPICAL), draw(st.integers(0, 4)))


def _replace_with_scalar(draw, parent, last):
    parent[last] = draw(SCALARS)


def _replace_with_iri(draw, parent, last):
    parent[last] = draw(IRIS)


def _delete(draw, parent, last):
    del parent[last]


def _duplicate(draw, parent, last):
    """Identical content twice: blank nodes only N-degree hashing tells apart."""
    item = copy.deepcopy(parent[last])
    if isinstance(parent, list):
        parent.append(item)
    else:
        parent[last] = [parent[last], item]


def _unwrap_or_wrap(draw, parent, last):
    value = parent[last]
    parent[last] = value[0] if isinstance(value, list) and value else [value]


def _empty(draw, parent, last):
    parent[last] = draw(st.sampled_from([{}, [], [None], [[]], {"type": []}]))


def _add_key(draw, parent, last):
    target = parent[last] if isinstance(parent[last], dict) else parent
    if isinstance(target, dict):
        key = draw(
            st.sampled_from(
                ["id", "type", "name", "undefinedTerm", "@id", "@type", "@value", "@context"]
                + ["https://example.com/vocab#p", "xsd:p", "@list", "@graph", "allowedValue"]
            )
        )
        target[key] = draw(SCALARS | IRIS | st.just({"name": "x"}) | st.just(["a", "b"]))


def _reorder(draw, parent, last):
    value = parent[last]
    if isinstance(value, dict):
        keys = draw(st.permutations(list(value)))
        parent[last] = {key: value[key] for key in keys}
    elif isinstance(value, list):
        parent[last] = draw(st.permutations(value))


EDITS = [
    _replace_with_scalar,
    _replace_with_iri,
    _delete,
    _duplicate,
    _unwrap_or_wrap,
    _empty,
    _add_key,
    _reorder,
]


def test_typical_credential_takes_the_fast_path_and_matches_the_reference():
    fast = fast_canonicalize(TYPICAL)
    assert fast is not None
    assert fast == reference_canonicalize(TYPICAL)
    assert fast.count("_:c14n") > 20


def test_fast_and_reference_sign_the_same_proof_value():
    fast = proof.sign_credential(TYPICAL, KEY, created=CREATED)
    with mock.patch.object(proof, "canonicalize", reference_canonicalize):
        reference = proof.sign_credential(TYPICAL, KEY, created=CREATED)
        proof.verify_signature(fast, KEY.private_key.public_key())
    assert fast["proof"] == reference["proof"]
    proof.verify_signature(reference, KEY.private_key.public_key())


def test_a_handed_over_document_signs_the_same_without_the_deep_copy():
    document = copy.deepcopy(TYPICAL)
    handed = proof.sign_credential(document, KEY, created=CREATED, handed_over=True)
    assert handed == proof.sign_credential(TYPICAL, KEY, created=CREATED)
    assert "proof" not in document  # the caller's dict is left unsigned
    assert handed["credentialSubject"] is document["credentialSubject"]  # shared, not copied
    proof.verify_signature(handed, KEY.private_key.public_key())


def test_repeated_badge_class_parts_are_replayed_identically():
    """The memoised achievement must come out right in another credential, twice over."""
    first = typical_credential(status_index=1, learner="a@example.org")
    second = typical_credential(status_index=2, learner="b@example.org")
    second["evidence"].append({"type": ["Evidence"], "name": "Copy", "id": "urn:x:1"})
    second["credentialSubject"]["source"] = second["credentialSubject"]["achievement"]
    for document in (first, second, first):
        assert canonicalize(document) == reference_canonicalize(document)


def test_identical_blank_nodes_need_n_degree_hashing():
    document = copy.deepcopy(TYPICAL)
    achievement = document["credentialSubject"]["achievement"]
    same = achievement["alignment"][0]
    achievement["alignment"] = [same, dict(same), dict(same)]
    document["evidence"] += [{"type": ["Evidence"], "name": "Twin"}] * 3
    document["credentialSubject"]["result"] *= 2
    assert fast_canonicalize(document) is not None
    assert fast_canonicalize(document) == reference_canonicalize(document)


@pytest.mark.parametrize(
    ("where", "value"),
    [
        (("name",), 'tab\tnewline\nquote"backslash\\return\r'),
        (("name",), "עברית العربية 🎓 \u2028 e\u0301 \ufeff"),
        (("credentialSubject", "creditsEarned"), 0.1),
        (("credentialSubject", "creditsEarned"), 40.0),
        (("credentialSubject", "creditsEarned"), -0.0),
        (("credentialSubject", "creditsEarned"), 2**53),
        (("credentialSubject", "identifier", 0, "hashed"), False),
        (("credentialSubject", "achievement", "tag"), [["a", [None, "b"]], [], "c", "a"]),
        (("evidence", 0), {}),
    ],
)
def test_edge_values_match(where, value):
    document = copy.deepcopy(TYPICAL)
    get(document, where[:-1])[where[-1]] = value
    assert fast_canonicalize(document) is not None
    assert fast_canonicalize(document) == reference_canonicalize(document)


@pytest.mark.parametrize(
    ("where", "value"),
    [
        (("undefinedTerm",), "x"),
        (("id",), "relative/id"),
        (("id",), "https://bad example.com/"),
        (("name",), "bell\x07"),
        (("credentialSubject", "creditsEarned"), 2**53 + 1),
        (("credentialSubject", "creditsEarned"), 1e-7),
        (("credentialSubject", "creditsEarned"), math.nan),
        (("credentialSubject", "creditsEarned"), math.inf),
        (("@context",), [CREDENTIALS_V2_CONTEXT, "https://example.com/unknown-context"]),
        (("type",), ["VerifiableCredential", "UndefinedType"]),
    ],
)
def test_refusals_are_left_to_the_reference(where, value):
    document = copy.deepcopy(TYPICAL)
    get(document, where[:-1])[where[-1]] = value
    assert fast_canonicalize(document) is None
    with pytest.raises(CanonicalizationError):
        canonicalize(document)
    with pytest.raises(CanonicalizationError):
        reference_canonicalize(document)


@pytest.mark.parametrize(
    "document",
    [
        # an @list container
        {
            "@context": TYPICAL["@context"],
            "type": ["ResultDescription"],
            "allowedValue": ["a", "b"],
        },
        # an inline context
        {**TYPICAL, "issuer": {**TYPICAL["issuer"], "@context": {"x": "https://x.example/"}}},
        # a value object
        {**TYPICAL, "name": {"@value": "Badge", "@language": "en"}},
        # a blank node identifier
        {**TYPICAL, "id": "_:credential"},
        # a lone surrogate, which has no UTF-8 form
        {**TYPICAL, "name": "lone surrogate \ud800"},
    ],
)
def test_uncovered_shapes_fall_back_to_the_reference(document):
    assert fast_canonicalize(document) is None
    assert outcome(canonicalize, document) == outcome(reference_canonicalize, document)


def test_a_proof_kept_in_the_document_is_a_named_graph_on_the_fast_path():
    """A signed credential canonicalized whole (as inside a learner record)."""
    document = proof.sign_credential(TYPICAL, KEY, created=CREATED)
    fast = fast_canonicalize(document)
    assert fast is not None and fast == reference_canonicalize(document)
    # The graph's name is a blank node; which label it gets depends on the proof's bytes, and
    # the key (so the signature) is new on every run.
    assert any(re.search(r" _:c14n\d+ \.$", line) for line in fast.splitlines())


def test_status_list_and_data_integrity_contexts():
    document = {
        "@context": [CREDENTIALS_V2_CONTEXT, BITSTRING_STATUS_LIST_CONTEXT],
        "id": "https://lms.example.com/credplugin/status/revocation/1",
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": ISSUER_DID,
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {
            "id": "https://lms.example.com/credplugin/status/revocation/1#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA",
        },
    }
    assert fast_canonicalize(document) is not None
    assert canonicalize(document) == reference_canonicalize(document)
    config = {**proof.proof_options(KEY, CREATED), "@context": [DATA_INTEGRITY_V2_CONTEXT]}
    assert fast_canonicalize(config) is not None
    assert canonicalize(config) == reference_canonicalize(config)


@DIFFERENTIAL
@given(mutated_credentials())
def test_mutated_credentials_match_the_reference(document):
    assert_same_as_reference(document)


@COMPOSED
@given(credentials(issuer=ISSUER_DID))
def test_composed_credentials_take_the_fast_path_and_match_the_reference(document):
    """Valid credentials from the composer (any text, many alignments, evidence, hours)."""
    fast = fast_canonicalize(document)
    assert fast is not None
    assert fast == reference_canonicalize(document)


# Fields holding plain text (not IRIs, dates or vocabulary terms) in the typical credential.
TEXT_FIELDS = {
    "name",
    "description",
    "narrative",
    "targetName",
    "targetFramework",
    "targetCode",
    "level",
    "points",
    "salt",
    "genre",
    "value",
    "tag",
}


@COMPOSED
@given(st.lists(SAFE_TEXT, min_size=1, max_size=6), st.data())
def test_unicode_texts_take_the_fast_path_and_match_the_reference(texts, data):
    document = copy.deepcopy(TYPICAL)
    paths = [
        path
        for path in leaves(document)
        if isinstance(get(document, path), str)
        and (path[-1] in TEXT_FIELDS or (len(path) > 1 and path[-2] in TEXT_FIELDS))
    ]
    for text in texts:
        path = data.draw(st.sampled_from(paths))
        get(document, path[:-1])[path[-1]] = text
    fast = fast_canonicalize(document)
    assert fast is not None
    assert fast == reference_canonicalize(document)


def signed_proof(document):
    return proof.sign_credential(document, KEY, created=CREATED)["proof"]


@SIGNING
@given(mutated_credentials())
def test_mutated_credentials_sign_the_same_proof_value(document):
    document.pop("proof", None)
    fast = outcome(signed_proof, document)
    with mock.patch.object(proof, "canonicalize", reference_canonicalize):
        assert fast == outcome(signed_proof, document)
