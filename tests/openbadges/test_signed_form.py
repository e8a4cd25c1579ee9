"""The verifier reads only the plain form, so it judges the signed meaning (ADR 0009).

Each attack first shows it keeps the signed graph (same canonical N-Quads as the genuine
badge): without the form rule the signature would match while the JSON said otherwise.
"""

import copy
import json
from datetime import UTC, datetime

import pytest

from credplugin.openbadges import canonicalize, generate_key, verify_credential
from credplugin.openbadges.canonical import CanonicalizationError, reference_canonicalize
from credplugin.openbadges.form import FormError, check_credential_form
from credplugin.openbadges.loader import context_manifest, load_context
from credplugin.openbadges.report import THIS_SITE, TRUSTED, UNKNOWN, issuer_standing
from tests import attacks
from tests.openbadges import builders
from tests.openbadges.test_verify import resolver, status_list

AFTER_EXPIRY = datetime(2029, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def revoked_resolve(web_key, web_did_document):
    return resolver(web_did_document, status_list(web_key, 5))


def same_signed_graph(original, rewritten):
    def unsecured(document):
        return {key: value for key, value in document.items() if key != "proof"}

    return reference_canonicalize(unsecured(rewritten)) == canonicalize(unsecured(original))


def test_attack_1_revoked_badge_with_credential_status_as_an_iri_is_refused(
    signed, revoked_resolve
):
    rewritten = attacks.status_behind_iri(signed)
    assert same_signed_graph(signed, rewritten)
    report = verify_credential(rewritten, resolve=revoked_resolve, now=builders.DURING)
    assert not report.verified
    assert report.facts is None
    assert "not a plain term" in report.first_failure.reason
    assert attacks.CREDENTIALS in report.first_failure.reason


def test_attack_1_expired_badge_with_valid_until_as_a_value_object_is_refused(
    web_key, web_did_document, signed
):
    rewritten = attacks.expiry_behind_value_object(signed)
    assert same_signed_graph(signed, rewritten)
    resolve = resolver(web_did_document, status_list(web_key))
    report = verify_credential(rewritten, resolve=resolve, now=AFTER_EXPIRY)
    assert not report.verified
    assert report.first_failure.name == "structure"
    assert "not a plain term" in report.first_failure.reason


def test_attack_2_a_name_in_index_is_refused_and_never_reported(web_key, web_did_document, signed):
    rewritten = attacks.fake_name_in_index(signed)
    assert same_signed_graph(signed, rewritten)
    resolve = resolver(web_did_document, status_list(web_key))
    report = verify_credential(rewritten, resolve=resolve, now=builders.DURING)
    assert not report.verified
    assert "@context" in report.first_failure.reason
    assert attacks.FAKE_NAME not in json.dumps(report.to_json())


@pytest.mark.parametrize("k", [9, 12])
def test_attack_3_the_canonicalization_bomb_is_refused_by_the_form(did_key_key, k):
    report = verify_credential(attacks.canonicalization_bomb(did_key_key, k))
    assert report.first_failure.name == "structure"
    assert "credentialSubject must be one object" in report.first_failure.reason


@pytest.mark.parametrize("k", [9, 12])
def test_attack_3_a_bomb_in_the_plain_form_hits_the_work_limit(did_key_key, k):
    report = verify_credential(attacks.plain_form_bomb(did_key_key, k))
    assert report.check("structure").passed
    assert not report.check("proof").passed
    assert "the work limit" in report.check("proof").reason


@pytest.mark.parametrize("k", [9, 12])
@pytest.mark.parametrize("canonicalizer", [canonicalize, reference_canonicalize])
def test_attack_3_both_canonicalizers_refuse_past_the_work_limit(did_key_key, canonicalizer, k):
    bomb = attacks.canonicalization_bomb(did_key_key, k)
    del bomb["proof"]
    with pytest.raises(CanonicalizationError, match="the work limit"):
        canonicalizer(bomb)


def test_a_few_identical_blank_nodes_stay_within_the_work_limit(did_key_key):
    bomb = attacks.plain_form_bomb(did_key_key, 2)
    del bomb["proof"]
    assert canonicalize(bomb) == reference_canonicalize(bomb)


def test_attack_4_a_stranger_signing_under_our_name_is_an_unknown_issuer(web_key, signed):
    stranger = generate_key()
    forged = attacks.stranger_as_site(signed, stranger, "Example University")
    report = verify_credential(forged, now=builders.DURING)
    assert report.verified  # the signature is intact: that is all it proves
    assert report.facts.issuer_id == stranger.controller
    assert issuer_standing(report, own={web_key.controller}) == UNKNOWN


def test_standing_goes_by_the_issuer_did(web_key, web_did_document, signed):
    resolve = resolver(web_did_document, status_list(web_key))
    report = verify_credential(signed, resolve=resolve, now=builders.DURING)
    assert issuer_standing(report, own={web_key.controller}) == THIS_SITE
    assert issuer_standing(report, trusted={web_key.controller}) == TRUSTED
    assert issuer_standing(report) == UNKNOWN
    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["achievement"]["name"] = "Something else"
    report = verify_credential(tampered, resolve=resolve, now=builders.DURING)
    assert issuer_standing(report, own={web_key.controller}) is None


def test_the_report_carries_the_values_it_judged(web_key, revoked_resolve, signed):
    report = verify_credential(signed, resolve=revoked_resolve, now=builders.DURING)
    facts = report.to_json()["facts"]
    assert facts["issuer_id"] == web_key.controller
    assert facts["issuer_name"] == "Example University"
    assert facts["achievement_name"] == "Responsible AI Practitioner"
    assert facts["valid_from"] == signed["validFrom"]
    assert facts["valid_until"] == signed["validUntil"]
    assert facts["status_entries"] == [
        {"status_list_credential": builders.STATUS_LIST_URL, "index": 5, "purpose": "revocation"}
    ]
    assert facts["recipient"].startswith("sha256$")


def test_the_shipped_contexts_alias_no_keyword_but_id_and_type():
    """The form rule rests on this: a plain-term key can then never be a keyword."""
    aliases = set()

    def walk(value):
        if isinstance(value, dict):
            for term, definition in value.items():
                target = definition.get("@id") if isinstance(definition, dict) else definition
                if not term.startswith("@") and isinstance(target, str) and target[:1] == "@":
                    aliases.add((term, target))
                walk(definition)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for url in context_manifest():
        walk(load_context(url))
    assert aliases == {("id", "@id"), ("type", "@type")}


def _with(document, change):
    rewritten = copy.deepcopy(document)
    change(rewritten)
    return rewritten


def _achievement(document):
    return document["credentialSubject"]["achievement"]


OUT_OF_FORM = {
    "an inline context": (
        lambda d: d["@context"].append({"name": "https://example.org/name"}),
        "@context",
    ),
    "an unknown context URL": (
        lambda d: d["@context"].append("https://example.org/context.json"),
        "@context",
    ),
    "reordered contexts": (lambda d: d["@context"].reverse(), "@context"),
    "a context string": (lambda d: d.update({"@context": d["@context"][0]}), "@context"),
    "a compact IRI key": (lambda d: d.update({"cred:validUntil": d.pop("validUntil")}), "plain"),
    "a keyword key": (lambda d: d.update({"@graph": []}), "plain"),
    "a nested context": (lambda d: _achievement(d).update({"@context": {}}), "plain"),
    "a value object": (
        lambda d: _achievement(d).update({"name": {"@value": _achievement(d)["name"]}}),
        "text",
    ),
    "a list of names": (lambda d: _achievement(d).update({"name": ["A", "B"]}), "single"),
    "a number for a date": (lambda d: d.update({"validFrom": 1}), "text"),
    "a list for a result's description": (
        lambda d: d["credentialSubject"].update(
            {"result": [{"type": ["Result"], "resultDescription": ["urn:x"], "value": "1"}]}
        ),
        "result.resultDescription must be a single text",
    ),
    "a list of earned credits": (
        lambda d: d["credentialSubject"].update({"creditsEarned": [12.5]}),
        "creditsEarned must be a single value",
    ),
    "a list of images": (
        lambda d: _achievement(d).update({"image": ["https://example.org/badge.png"]}),
        "image must be a single value",
    ),
    "a blank-node id": (lambda d: _achievement(d).update({"id": "_:b0"}), "blank node"),
    "a keyword type": (lambda d: _achievement(d).update({"type": "@json"}), "keyword"),
    "a missing achievement type": (lambda d: _achievement(d).pop("type"), "type"),
    "status as text": (lambda d: d.update({"credentialStatus": "urn:x"}), "object"),
    "a status index that is no number": (
        lambda d: d["credentialStatus"].update({"statusListIndex": "five"}),
        "statusListIndex must be a string of digits",
    ),
    "a list of subjects": (
        lambda d: d.update({"credentialSubject": [d["credentialSubject"]]}),
        "one object",
    ),
    "deep nesting": (
        lambda d: d.update({"evidence": json.loads('{"a":' * 40 + "1" + "}" * 40)}),
        "deep",
    ),
}


@pytest.mark.parametrize("change", OUT_OF_FORM.values(), ids=OUT_OF_FORM)
def test_out_of_form_credentials_are_refused_with_a_reason(signed, change):
    rewrite, words = change
    with pytest.raises(FormError, match=words):
        check_credential_form(_with(signed, rewrite))


def test_the_plain_form_of_every_badge_we_compose_is_accepted(signed):
    check_credential_form(signed)
