"""The offline verifier: every check, and a failed report (never a traceback) for bad input."""

import copy
from datetime import UTC, datetime

import pytest

from credplugin.openbadges import (
    StatusList,
    did_document,
    generate_key,
    sign_credential,
    status_list_credential,
    verify_credential,
)
from credplugin.openbadges.verify import CHECK_NAMES
from tests.openbadges import builders


def status_list(key, *revoked, purpose="revocation", url=builders.STATUS_LIST_URL):
    bits = StatusList()
    for index in revoked:
        bits.set(index)
    unsigned = status_list_credential(url, key.controller, bits, purpose=purpose)
    return sign_credential(unsigned, key)


def resolver(*documents):
    by_id = {document["id"]: document for document in documents}
    return by_id.__getitem__


@pytest.fixture(scope="module")
def resolve(web_key, web_did_document):
    return resolver(web_did_document, status_list(web_key))


def failed_checks(report):
    return {check.name for check in report.checks if not check.passed}


def test_genuine_current_unrevoked_credential_verifies(signed, resolve):
    report = verify_credential(signed, resolve=resolve, now=builders.DURING)
    assert report.verified, report.to_json()
    assert [check.name for check in report.checks] == list(CHECK_NAMES)
    assert report.check("status").reason == "not revoked"


def test_did_key_credential_needs_no_resolver(did_key_key):
    document = sign_credential(builders.credential(did_key_key.controller).to_json(), did_key_key)
    report = verify_credential(document, now=builders.DURING)
    assert report.verified, report.to_json()
    assert report.check("status").reason == "the credential has no status entry"


def test_credential_signed_with_a_retired_key_still_verifies(retired_web_key, web_key, resolve):
    document = builders.credential(retired_web_key.controller, status_index=5).to_json()
    assert verify_credential(
        sign_credential(document, retired_web_key), resolve=resolve, now=builders.DURING
    ).verified


def test_revoked_credential_fails_only_status(web_key, web_did_document, signed):
    report = verify_credential(
        signed, resolve=resolver(web_did_document, status_list(web_key, 5)), now=builders.DURING
    )
    assert failed_checks(report) == {"status"}
    assert report.check("status").reason == "the credential has been revoked"
    assert report.check("status").status_set == "revocation"
    assert report.to_json()["checks"][-1]["status_set"] == "revocation"


def test_suspension_list(web_key, web_did_document):
    entry = builders.BitstringStatusListEntry(builders.STATUS_LIST_URL, 9, "suspension")
    document = builders.credential(web_key.controller, credential_status=entry).to_json()
    signed = sign_credential(document, web_key)
    suspended = status_list(web_key, 9, purpose="suspension")
    report = verify_credential(signed, resolve=resolver(web_did_document, suspended))
    assert report.check("status").reason == "the credential has been suspended"
    assert report.check("status").status_set == "suspension"
    wrong_purpose = resolver(web_did_document, status_list(web_key))
    assert (
        "not for suspension"
        in verify_credential(signed, resolve=wrong_purpose).check("status").reason
    )
    unreadable = verify_credential(signed, resolve=wrong_purpose).check("status")
    assert unreadable.status_set is None
    assert (
        "status_set" not in verify_credential(signed, resolve=wrong_purpose).to_json()["checks"][-1]
    )


def test_status_list_from_another_issuer_is_refused(signed, web_did_document, did_key_key):
    report = verify_credential(signed, resolve=resolver(web_did_document, status_list(did_key_key)))
    assert "issued by someone else" in report.check("status").reason


def test_tampered_status_list_is_refused(signed, web_key, web_did_document):
    forged = copy.deepcopy(status_list(web_key))
    other_bits = StatusList()
    other_bits.set(100)
    forged["credentialSubject"]["encodedList"] = other_bits.encode()
    report = verify_credential(signed, resolve=resolver(web_did_document, forged))
    assert "signature does not match" in report.check("status").reason


@pytest.mark.parametrize(
    ("now", "reason"),
    [
        (datetime(2024, 1, 1, tzinfo=UTC), "not valid before"),
        (datetime(2029, 1, 1, tzinfo=UTC), "expired on"),
    ],
)
def test_validity_window(signed, resolve, now, reason):
    report = verify_credential(signed, resolve=resolve, now=now)
    assert failed_checks(report) == {"validity"}
    assert reason in report.check("validity").reason


def test_tampered_credential_fails_the_proof(signed, resolve):
    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["result"][0]["achievedLevel"] += "x"
    report = verify_credential(tampered, resolve=resolve, now=builders.DURING)
    assert failed_checks(report) == {"proof"}
    assert "signature does not match" in report.check("proof").reason


def test_key_not_in_the_did_document(web_key, resolve):
    stranger = generate_key(web_key.controller)
    document = builders.credential(web_key.controller, status_index=5).to_json()
    report = verify_credential(sign_credential(document, stranger), resolve=resolve)
    assert {"proof", "proof_purpose"} <= failed_checks(report)
    assert "not an assertionMethod" in report.check("proof").reason


def test_did_document_without_assertion_method(web_key, signed, resolve):
    document = did_document(web_key.controller, [web_key.public_key_multibase])
    document["assertionMethod"] = []
    report = verify_credential(signed, resolve=resolver(document, status_list(web_key)))
    assert "not an assertionMethod" in report.check("proof_purpose").reason


def test_issuer_must_control_the_key(did_key_key, web_key):
    document = builders.credential(web_key.controller).to_json()
    report = verify_credential(sign_credential(document, did_key_key), now=builders.DURING)
    assert failed_checks(report) == {"issuer"}


def test_did_web_without_resolver(signed):
    report = verify_credential(signed, now=builders.DURING)
    assert "no resolver was given" in report.check("proof").reason
    assert "needs a resolver" in report.check("status").reason


def test_resolver_that_fails_gives_a_reason(signed):
    def unreachable(identifier):
        raise LookupError(f"{identifier} is not known")

    report = verify_credential(signed, resolve=unreachable)
    assert "did:web:lms.example.com is not known" in report.check("proof").reason


def proof_of(document):
    return document["proof"][0]


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [
        (lambda d: d.pop("proof"), "no proof"),
        (lambda d: d["proof"].append(copy.deepcopy(d["proof"][0])), "exactly one proof"),
        (lambda d: d.update(proof=[]), "exactly one proof"),
        (lambda d: d.update(proof="z3abc"), "no proof object"),
        (lambda d: proof_of(d).update(cryptosuite="ecdsa-rdfc-2019"), "unsupported cryptosuite"),
        (lambda d: proof_of(d).update(type="Ed25519Signature2020"), "proof type"),
        (lambda d: proof_of(d).update(proofValue="zzz0OIl"), "base58"),
        (lambda d: proof_of(d).update(proofValue="z3vQB"), "not an Ed25519 signature"),
        (lambda d: proof_of(d).pop("verificationMethod"), "verificationMethod"),
        (lambda d: proof_of(d).update(created="yesterday"), "dateTime"),
        (lambda d: proof_of(d).update(verificationMethod="did:example:1#k"), "unsupported DID"),
    ],
)
def test_malformed_proofs(did_key_key, mutate, reason):
    document = sign_credential(builders.credential(did_key_key.controller).to_json(), did_key_key)
    mutate(document)
    report = verify_credential(document, now=builders.DURING)
    assert not report.verified
    assert reason in report.check("proof").reason


def test_proof_purpose_must_be_assertion(did_key_key):
    document = sign_credential(builders.credential(did_key_key.controller).to_json(), did_key_key)
    proof_of(document)["proofPurpose"] = "authentication"
    report = verify_credential(document, now=builders.DURING)
    assert "proofPurpose is 'authentication'" in report.check("proof_purpose").reason


@pytest.mark.parametrize(
    "document",
    [None, [], "credential", 42, {}, {"@context": "x"}, {"proof": {"type": 5}, "issuer": []}],
)
def test_garbage_gives_a_failed_report(document):
    report = verify_credential(document)
    assert not report.verified
    assert all(not check.passed for check in report.checks if check.name != "status")


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [
        (lambda d: d.update(type=["VerifiableCredential"]), "OpenBadgeCredential"),
        (lambda d: d["@context"].reverse(), "@context"),
        (lambda d: d["@context"].pop(1), "Open Badges 3.0 context"),
        (lambda d: d["credentialSubject"].pop("achievement"), "achievement"),
        (lambda d: d["credentialSubject"]["achievement"].pop("criteria"), "criteria"),
        (lambda d: d["credentialSubject"].pop("identifier"), "identifier"),
    ],
)
def test_structure_problems_are_named(did_key_key, mutate, reason):
    document = builders.credential(did_key_key.controller).to_json()
    mutate(document)
    report = verify_credential(document)
    assert reason in report.check("structure").reason


def test_unsigned_fields_with_undefined_terms_fail_cleanly(did_key_key):
    document = sign_credential(builders.credential(did_key_key.controller).to_json(), did_key_key)
    document["favouriteColour"] = "blue"
    report = verify_credential(document, now=builders.DURING)
    assert "favouriteColour" in report.check("proof").reason


def test_earlier_open_badges_contexts_are_understood(did_key_key):
    badge = builders.achievement(in_language=None)  # a term 3.0.2 does not define yet
    document = builders.credential(
        did_key_key.controller, achievement=badge, awarded_date=None
    ).to_json()
    document["@context"][1] = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json"
    report = verify_credential(sign_credential(document, did_key_key), now=builders.DURING)
    assert report.verified, report.to_json()


def test_signature_by_another_key_than_the_one_named(did_key_key):
    impostor = generate_key()
    document = builders.credential(did_key_key.controller).to_json()
    signed = sign_credential(document, impostor)
    proof_of(signed)["verificationMethod"] = did_key_key.verification_method
    report = verify_credential(signed, now=builders.DURING)
    assert failed_checks(report) == {"proof"}
    assert "signature does not match" in report.check("proof").reason


def test_expired_status_list_is_named_as_such(signed, web_key, web_did_document):
    unsigned = status_list_credential(
        builders.STATUS_LIST_URL,
        web_key.controller,
        StatusList(),
        valid_from=datetime(2025, 1, 1, tzinfo=UTC),
        valid_until=datetime(2025, 6, 1, tzinfo=UTC),
    )
    stale = sign_credential(unsigned, web_key)
    report = verify_credential(
        signed, resolve=resolver(web_did_document, stale), now=builders.DURING
    )
    assert report.check("status").reason == (
        f"status list {builders.STATUS_LIST_URL}: expired on 2025-06-01T00:00:00Z"
    )


def test_naive_now_is_a_caller_error(signed):
    with pytest.raises(ValueError, match="timezone-aware"):
        verify_credential(signed, now=datetime(2026, 1, 1))


def test_a_remembered_status_list_is_verified_once_per_resolved_object(
    signed, web_key, web_did_document, monkeypatch
):
    from credplugin.openbadges import verify  # noqa: PLC0415

    genuine = status_list(web_key)
    checked = []
    real = verify._genuine_status_list
    monkeypatch.setattr(
        verify, "_genuine_status_list", lambda *args: checked.append(args[0]) or real(*args)
    )
    memo = {}
    for _ in range(3):
        report = verify_credential(
            signed,
            resolve=resolver(web_did_document, genuine),
            now=builders.DURING,
            verified_status_lists=memo,
        )
        assert report.verified, report.to_json()
    assert checked == [genuine]


def test_a_remembered_status_list_does_not_vouch_for_another_object(
    signed, web_key, web_did_document
):
    memo = {}
    genuine = status_list(web_key)
    first = verify_credential(
        signed, resolve=resolver(web_did_document, genuine), verified_status_lists=memo
    )
    assert first.verified, first.to_json()
    forged = copy.deepcopy(genuine)
    forged["credentialSubject"]["encodedList"] = status_list(web_key, 5)["credentialSubject"][
        "encodedList"
    ]
    report = verify_credential(
        signed, resolve=resolver(web_did_document, forged), verified_status_lists=memo
    )
    assert "signature does not match" in report.check("status").reason


def test_a_remembered_status_list_is_still_judged_at_each_moment(signed, web_key, web_did_document):
    memo = {}
    unsigned = status_list_credential(
        builders.STATUS_LIST_URL,
        web_key.controller,
        StatusList(),
        valid_from=datetime(2024, 1, 1, tzinfo=UTC),
    )
    current = sign_credential(unsigned, web_key)
    resolve = resolver(web_did_document, current)
    assert verify_credential(
        signed, resolve=resolve, now=builders.DURING, verified_status_lists=memo
    ).verified
    before = datetime(2023, 6, 1, tzinfo=UTC)
    report = verify_credential(signed, resolve=resolve, now=before, verified_status_lists=memo)
    assert "not valid before" in report.check("status").reason
