"""The plain-form check's fast walk passes only what the full check passes (ADR 0009).

The fast walk reuses per-shape decisions and hands anything unusual to the full check, which
names the fault; these tests hold the two to the same verdicts, and the serializations the
check shares with the canonicalizer to a single verification.
"""

import marshal

import pytest

from credplugin.openbadges import (
    form,
    form_walk,
    generate_key,
    marshalled,
    sign_credential,
    verify_credential,
)
from credplugin.openbadges.did import did_document
from tests.openbadges import builders
from tests.openbadges.test_fast_canonical import get, leaves
from tests.openbadges.test_verify import resolver, status_list
from tests.openbadges.typical_badge import ISSUER_DID, typical_credential

REPLACEMENTS = (
    {},
    [],
    [[]],
    [{}],
    1,
    None,
    True,
    "\ud800",
    "@id",
    "_:b0",
    ["@type"],
    ["Plain", "\ud800"],
    {"@value": "x"},
    "Plain",
)
ADDED_KEYS = ("@index", "https://example.org/term", "9lives", "plainTerm")


def _variants(document):
    """The credential with one value replaced, or one key added, anywhere in it."""
    objects = [path for path in leaves(document) if isinstance(get(document, path), dict)]
    for path in objects:
        node = get(document, path)
        for key in [*node, *ADDED_KEYS]:
            for replacement in REPLACEMENTS if key in node else ("x", {}):
                variant = marshal.loads(marshal.dumps(document))
                get(variant, path)[key] = replacement
                yield variant


def _outcome(document):
    form_walk.passed_objects.clear()
    try:
        return ("passed", form.check_credential_form(document))
    except form.FormError as error:
        return ("refused", str(error))


def _full_check_outcome(document, monkeypatch):
    def unusual(*args, **kwargs):
        raise form_walk.Unusual

    with monkeypatch.context() as patched:
        patched.setattr(form_walk, "walk", unusual)
        return _outcome(document)


def test_the_fast_walk_and_the_full_check_give_the_same_verdicts(monkeypatch):
    document = typical_credential()
    checked = 0
    for variant in _variants(document):
        expected = _full_check_outcome(variant, monkeypatch)
        assert _outcome(variant) == expected  # shapes new or known
        assert _outcome(variant) == expected  # shapes known
        checked += 1
    assert checked > 1000


def test_a_typical_badge_passes_without_the_full_check(monkeypatch):
    document = typical_credential()
    form.check_credential_form(document)

    def full_check(*args):
        raise AssertionError("the full check walked a credential in the plain form")

    monkeypatch.setattr(form, "_check_node", full_check)
    form_walk.passed_objects.clear()
    assert form.check_credential_form(typical_credential(status_index=7))


@pytest.fixture(scope="module")
def web_signed():
    key = generate_key(ISSUER_DID)
    resolve = resolver(did_document(key.controller, [key.public_key_multibase]), status_list(key))
    return sign_credential(typical_credential(), key), resolve


def test_an_object_changed_between_verifications_is_serialized_again(web_signed):
    document, resolve = web_signed
    assert verify_credential(document, resolve=resolve, now=builders.DURING).verified
    achievement = document["credentialSubject"]["achievement"]
    genuine_name = achievement["name"]
    achievement["name"] = "Doctor of Medicine"
    try:
        report = verify_credential(document, resolve=resolve, now=builders.DURING)
        assert not report.verified
        assert report.first_failure.name == "proof"
    finally:
        achievement["name"] = genuine_name
    assert verify_credential(document, resolve=resolve, now=builders.DURING).verified


def test_an_object_is_serialized_once_per_verification():
    value = {"name": "a"}
    with marshalled.unchanged():
        first = marshalled.dumps(value)
        value["name"] = "b"
        assert marshalled.dumps(value) is first
    assert marshal.loads(marshalled.dumps(value)) == {"name": "b"}
