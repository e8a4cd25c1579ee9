"""DID Authentication presentations: one fixed shape, signed by the holder's did:key over our
challenge and domain; everything else is refused with the reason."""

import copy
from datetime import UTC, datetime, timedelta

import pytest

from credplugin.openbadges.keys import generate_key
from credplugin.openbadges.loader import CREDENTIALS_V2_CONTEXT
from credplugin.openbadges.presentation import (
    LCW_CONTEXTS,
    PresentationError,
    delivery_presentation,
    did_authentication_request,
    holder_bound_credential,
    verify_did_authentication,
)
from tests.wallets import did_auth

NOW = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)
CHALLENGE = "c2lnbi1tZS1vbmNl"
DOMAIN = "lms.example.com"
TEN_MINUTES = timedelta(minutes=10)


def signed(key, **change):
    return did_auth(key, **{"challenge": CHALLENGE, "domain": DOMAIN, "created": NOW, **change})


def check(presentation, *, now=NOW):
    return verify_did_authentication(
        presentation, challenge=CHALLENGE, domain=DOMAIN, now=now, max_age=TEN_MINUTES
    )


@pytest.fixture(scope="module")
def wallet_key():
    return generate_key()


def test_a_presentation_by_the_holders_did_key_names_the_holder(wallet_key):
    assert check(signed(wallet_key)) == wallet_key.controller


def test_the_learner_credential_wallets_ed25519_2020_presentation_is_accepted(wallet_key):
    assert check(signed(wallet_key, lcw=True)) == wallet_key.controller
    with pytest.raises(PresentationError, match="challenge"):
        check(signed(wallet_key, lcw=True, challenge="another-exchange"))


def test_a_suite_is_accepted_only_with_its_own_contexts(wallet_key):
    lcw = signed(wallet_key, lcw=True)
    lcw["@context"] = [CREDENTIALS_V2_CONTEXT]
    with pytest.raises(PresentationError, match="DataIntegrityProof"):
        check(lcw)
    data_integrity = signed(wallet_key)
    data_integrity["@context"] = LCW_CONTEXTS
    with pytest.raises(PresentationError, match="Ed25519Signature2020"):
        check(data_integrity)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"challenge": "another-exchange"}, "challenge"),
        ({"domain": "evil.example"}, "domain"),
        ({"created": NOW - timedelta(minutes=30)}, "older than this exchange"),
        ({"created": NOW + timedelta(minutes=30)}, "future"),
        ({"expires": "2026-11-27T02:59:00Z"}, "expired"),
        ({"expires": "tomorrow"}, "dateTime"),
    ],
)
def test_a_signed_proof_for_another_exchange_or_time_is_refused(wallet_key, change, reason):
    with pytest.raises(PresentationError, match=reason):
        check(signed(wallet_key, **change))


def test_a_replay_with_the_challenge_edited_in_fails_the_signature(wallet_key):
    presentation = signed(wallet_key, challenge="old-exchange")
    presentation["proof"]["challenge"] = CHALLENGE
    with pytest.raises(PresentationError, match="does not verify"):
        check(presentation)


def test_someone_elses_holder_under_my_signature_is_refused(wallet_key):
    victim = generate_key()
    presentation = signed(wallet_key)
    presentation["holder"] = victim.controller
    with pytest.raises(PresentationError, match="holder's own did:key"):
        check(presentation)
    forged = signed(
        wallet_key,
        document={
            "@context": [CREDENTIALS_V2_CONTEXT],
            "type": ["VerifiablePresentation"],
            "holder": victim.controller,
        },
    )
    with pytest.raises(PresentationError, match="holder's own did:key"):
        check(forged)


def test_assertion_proofs_are_not_authentication(wallet_key):
    presentation = signed(wallet_key)
    presentation["proof"]["proofPurpose"] = "assertionMethod"
    with pytest.raises(PresentationError, match="proofPurpose"):
        check(presentation)


@pytest.mark.parametrize(
    ("edit", "reason"),
    [
        (lambda p: p.update({"@context": [CREDENTIALS_V2_CONTEXT, {"holder": "@id"}]}), "@context"),
        (lambda p: p.update({"@context": CREDENTIALS_V2_CONTEXT}), "@context"),
        (lambda p: p.update({"@id": "urn:x"}), "unexpected keys: @id"),
        (lambda p: p.update({"@graph": []}), "unexpected keys"),
        (lambda p: p.update({"type": ["VerifiableCredential"]}), "type"),
        (lambda p: p.update({"verifiableCredential": [{"id": "urn:x"}]}), "no credentials"),
        (lambda p: p.update({"holder": "did:web:evil.example"}), "did:key"),
        (lambda p: p.update({"holder": ["did:key:z6Mk"]}), "holder must be a DID"),
        (lambda p: p.update({"holder": "did:key:" + "z" * 300}), "holder must be a DID"),
        (lambda p: p.update({"id": 7}), "id must be a string"),
        (lambda p: p["proof"].update({"@context": {"challenge": "urn:x"}}), "unexpected keys"),
        (lambda p: p["proof"].update({"cryptosuite": "ecdsa-rdfc-2019"}), "cryptosuite"),
        (lambda p: p["proof"].update({"proofValue": "zzz"}), "does not verify"),
        (lambda p: p.update({"proof": [p["proof"], p["proof"]]}), "exactly one proof"),
        (lambda p: p.pop("proof"), "no proof"),
    ],
)
def test_hostile_shapes_are_refused_with_a_reason(wallet_key, edit, reason):
    presentation = copy.deepcopy(signed(wallet_key))
    edit(presentation)
    with pytest.raises(PresentationError, match=reason):
        check(presentation)


@pytest.mark.parametrize("value", [None, [], "string", 3])
def test_non_objects_are_refused(value):
    with pytest.raises(PresentationError, match="JSON object"):
        check(value)


def test_the_request_asks_for_did_authentication_at_the_exchange():
    request = did_authentication_request(
        challenge=CHALLENGE, domain=DOMAIN, exchange_url="https://lms.example.com/x"
    )
    assert request["query"][0]["type"] == "DIDAuthentication"
    assert (request["challenge"], request["domain"]) == (CHALLENGE, DOMAIN)
    assert request["interact"]["service"][0]["serviceEndpoint"] == "https://lms.example.com/x"


def test_binding_keeps_the_identifier_and_adds_the_holder_without_the_old_proof():
    credential = {
        "id": "urn:uuid:1",
        "credentialSubject": {"id": "did:key:old", "identifier": [{"hashed": True}]},
        "proof": [{"type": "DataIntegrityProof"}],
    }
    bound = holder_bound_credential(credential, "did:key:z6Mkwallet")
    assert bound["credentialSubject"] == {
        "id": "did:key:z6Mkwallet",
        "identifier": [{"hashed": True}],
    }
    assert "proof" not in bound and credential["credentialSubject"]["id"] == "did:key:old"
    with pytest.raises(PresentationError, match="credentialSubject"):
        holder_bound_credential({"credentialSubject": [{}]}, "did:key:z6Mkwallet")
    assert delivery_presentation([bound])["verifiableCredential"] == [bound]
