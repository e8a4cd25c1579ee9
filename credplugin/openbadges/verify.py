"""Offline verification of an OB 3.0 credential, reported check by check.

A verifier page must say *why* a badge is not genuine, so every check yields a result with a
reason instead of raising. Nothing is fetched: ``did:key`` resolves itself, and ``did:web``
documents and status list credentials come from the ``resolve`` callable the caller passes in
(the CLI reads them from files, the Django side from its own database).

Only a credential in the plain form (:mod:`.form`) is checked at all: in that form each JSON key
means what its short name says, so the values judged here — and reported in
:class:`.report.SignedFacts` for pages to show — are the values the signature covers.
"""

from collections.abc import Callable
from datetime import UTC, datetime

import attr

from credplugin.openbadges import marshalled
from credplugin.openbadges.canonical import CanonicalizationError
from credplugin.openbadges.did import DID_WEB_PREFIX, assertion_method, did_key_document
from credplugin.openbadges.form import FormError, check_credential_form, check_status_list_form
from credplugin.openbadges.keys import DID_KEY_PREFIX, public_key_from_multibase
from credplugin.openbadges.proof import (
    PROOF_PURPOSE,
    XSD_DATETIME,
    ProofError,
    check_proof_form,
    split_proof,
    verify_signature,
)
from credplugin.openbadges.report import CHECK_NAMES, Check, SignedFacts, VerificationReport
from credplugin.openbadges.status_list import (
    BitstringStatusListEntry,
    StatusList,
)

Resolver = Callable[[str], dict]


class CheckFailed(Exception):
    """Raised inside a check to fail it with a reason (and, for a set status bit, its purpose;
    for a date outside the validity period, which side)."""

    def __init__(self, reason, *, status_set=None, outside=None):
        super().__init__(reason)
        self.status_set = status_set
        self.outside = outside


def _refused(reason: str) -> VerificationReport:
    """A report for a document no check could read: the structure check says why."""
    not_checked = f"not checked: {reason}"
    return VerificationReport(
        Check(name, False, reason if name == "structure" else not_checked) for name in CHECK_NAMES
    )


def _run(name: str, check: Callable[[], str]) -> Check:
    """Run one check; any failure, expected or not, becomes a failed check with its reason."""
    try:
        return Check(name, True, check())
    except CheckFailed as failure:
        return Check(name, False, str(failure), failure.status_set, failure.outside)
    except Exception as error:  # malformed input must give a report, never a traceback
        return Check(name, False, f"{type(error).__name__}: {error}")


@attr.s(frozen=True)
class _KeyLookup:
    """The proof's public key (a Multikey string), or why it could not be found."""

    multibase = attr.ib(type=str, default=None)
    failure = attr.ib(type=str, default=None)

    @classmethod
    def of(cls, document: dict, resolve) -> "_KeyLookup":
        outcome = _run("key", lambda: _verification_method(document, resolve))
        return cls(outcome.reason) if outcome.passed else cls(failure=outcome.reason)

    def usable(self) -> str:
        if self.failure is not None:
            raise CheckFailed(self.failure)
        return self.multibase


def verify_credential(
    document,
    *,
    resolve: Resolver | None = None,
    now: datetime | None = None,
    verified_status_lists: dict | None = None,
    form: Callable[[dict], tuple] = check_credential_form,
) -> VerificationReport:
    """Verify an OB 3.0 credential offline and report each check.

    Args:
        document: the parsed credential JSON (anything else gives a failed report).
        resolve: returns the JSON of a ``did:web`` DID document or a status list credential
            given the DID or URL; it may raise to say it cannot.
        now: the moment to judge validity at, timezone-aware (default: the current time).
        verified_status_lists: a dict the caller keeps across many verifications against the
            same resolved documents (an issuing batch): a status list credential whose
            signature was verified is not verified again while ``resolve`` returns that very
            object. Its validity period is still judged at each ``now``.
        form: the plain-form check, which refuses or returns the status entries it read
            (:func:`.form.check_record_form` for a CLR record's own JSON).

    Raises:
        ValueError: ``now`` is naive (a caller's mistake, unlike anything in ``document``).
    """
    now = now or datetime.now(UTC)
    if now.tzinfo is None:
        raise ValueError("now must be a timezone-aware datetime")
    if not isinstance(document, dict):
        return _refused("the credential is not a JSON object")
    with marshalled.unchanged():
        try:
            status_entries = form(document)
        except FormError as error:
            return _refused(f"not in the plain Open Badges 3.0 form: {error}")
        facts = SignedFacts.of(document, status_entries)
        key = _KeyLookup.of(document, resolve)
        return VerificationReport(
            [
                _run("structure", lambda: _check_structure(document)),
                _run("proof", lambda: _check_proof(document, key)),
                _run("issuer", lambda: _check_issuer(document)),
                _run("proof_purpose", lambda: _check_purpose(document, key)),
                _run("validity", lambda: _judge_validity(facts.valid_from, facts.valid_until, now)),
                _run("status", lambda: _check_status(facts, resolve, now, verified_status_lists)),
            ],
            facts,
        )


def _check_structure(document: dict) -> str:
    """What the form check leaves to judge: the fields an OB 3.0 credential cannot lack."""
    subject = document["credentialSubject"]
    achievement = subject["achievement"]
    for field in ("id", "name", "description", "criteria"):
        if field not in achievement:
            raise CheckFailed(f"the achievement has no {field}")
    if not (subject.get("id") or subject.get("identifier")):
        raise CheckFailed("credentialSubject has neither an id nor an identifier")
    if not isinstance(document.get("id"), str):
        raise CheckFailed("the credential has no id")
    return "an Open Badges 3.0 credential"


def _issuer_id(document: dict) -> str:
    issuer = document.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if not isinstance(issuer_id, str):
        raise CheckFailed("the credential has no issuer id")
    return issuer_id


def resolve_did_document(did: str, resolve: Resolver | None) -> dict:
    """The DID document of ``did``: derived for did:key, obtained through ``resolve`` otherwise."""
    if did.startswith(DID_KEY_PREFIX):
        return did_key_document(did)
    if not did.startswith(DID_WEB_PREFIX):
        raise CheckFailed(f"unsupported DID method in {did!r} (did:key and did:web are)")
    if resolve is None:
        raise CheckFailed(f"{did} needs its DID document, and no resolver was given")
    return resolve(did)


def _verification_method(document: dict, resolve: Resolver | None) -> str:
    """Find the proof's key in its controller's DID document; the result feeds later checks."""
    _, proof = split_proof(document)
    check_proof_form(proof)
    method_id = proof["verificationMethod"]
    controller = method_id.split("#", 1)[0]
    method = assertion_method(resolve_did_document(controller, resolve), method_id)
    if method.get("type") != "Multikey" or "publicKeyMultibase" not in method:
        raise CheckFailed(f"{method_id} is not a Multikey verification method")
    return method["publicKeyMultibase"]


def _check_proof(document: dict, key: _KeyLookup) -> str:
    public_key = public_key_from_multibase(key.usable())
    try:
        verify_signature(document, public_key)
    except (ProofError, CanonicalizationError) as error:
        raise CheckFailed(str(error)) from error
    return "the eddsa-rdfc-2022 signature matches the document"


def _check_issuer(document: dict) -> str:
    issuer_id = _issuer_id(document)
    _, proof = split_proof(document)
    method_id = proof.get("verificationMethod")
    if not isinstance(method_id, str) or method_id.split("#", 1)[0] != issuer_id:
        raise CheckFailed(f"the proof's key {method_id!r} is not controlled by issuer {issuer_id}")
    return f"signed by a key of the issuer {issuer_id}"


def _check_purpose(document: dict, key: _KeyLookup) -> str:
    _, proof = split_proof(document)
    if proof.get("proofPurpose") != PROOF_PURPOSE:
        raise CheckFailed(f"proofPurpose is {proof.get('proofPurpose')!r}, not {PROOF_PURPOSE}")
    key.usable()
    return "the key is authorized for assertionMethod"


def parse_datetime(value, field: str) -> datetime:
    """Parse an XML Schema dateTime with a timezone (as VC 2.0 requires)."""
    if not isinstance(value, str) or not XSD_DATETIME.match(value):
        raise CheckFailed(f"{field} {value!r} is not a dateTime with a timezone")
    return datetime.fromisoformat(value)


def _check_validity(document: dict, now: datetime) -> str:
    return _judge_validity(document.get("validFrom"), document.get("validUntil"), now)


def _judge_validity(valid_from_text, valid_until_text, now: datetime) -> str:
    valid_from = parse_datetime(valid_from_text, "validFrom")
    if now < valid_from:
        raise CheckFailed(f"not valid before {valid_from_text}", outside="before")
    if valid_until_text is not None:
        valid_until = parse_datetime(valid_until_text, "validUntil")
        if now >= valid_until:
            raise CheckFailed(f"expired on {valid_until_text}", outside="after")
        return f"valid from {valid_from_text} until {valid_until_text}"
    return f"valid from {valid_from_text}, with no expiry"


def _check_status(
    facts: SignedFacts, resolve: Resolver | None, now: datetime, verified_status_lists: dict | None
) -> str:
    if not facts.status_entries:
        return "the credential has no status entry"
    if facts.issuer_id is None:
        raise CheckFailed("the credential has no issuer id")
    findings = []
    for entry in facts.status_entries:
        if resolve is None:
            raise CheckFailed(f"{entry.status_list_credential} needs a resolver to be checked")
        try:
            status_list = _verified_status_list(
                entry, facts.issuer_id, resolve, now, verified_status_lists
            )
        except CheckFailed as failure:
            raise CheckFailed(f"status list {entry.status_list_credential}: {failure}") from None
        if status_list.get(entry.index):
            raise CheckFailed(
                f"the credential has been {_past_tense(entry.purpose)}", status_set=entry.purpose
            )
        findings.append(f"not {_past_tense(entry.purpose)}")
    return ", ".join(findings)


def _past_tense(purpose: str) -> str:
    return {"revocation": "revoked", "suspension": "suspended"}[purpose]


def _verified_status_list(
    entry: BitstringStatusListEntry,
    issuer_id: str,
    resolve: Resolver,
    now: datetime,
    verified: dict | None,
) -> StatusList:
    """The status list, once its credential is shown to be genuine, current and the issuer's."""
    credential = resolve(entry.status_list_credential)
    remembered = (entry.status_list_credential, entry.purpose, issuer_id)
    if verified is not None and verified.get(remembered, (None,))[0] is credential:
        status_list = verified[remembered][1]
    else:
        status_list = _genuine_status_list(credential, entry, issuer_id, resolve)
        if verified is not None:
            verified[remembered] = (credential, status_list)
    if "validFrom" in credential:
        _check_validity(credential, now)
    return status_list


def _genuine_status_list(
    credential, entry: BitstringStatusListEntry, issuer_id: str, resolve: Resolver
) -> StatusList:
    """The decoded list of a status list credential that is well formed and the issuer's."""
    if not isinstance(credential, dict):
        raise CheckFailed("the status list credential is not a JSON object")
    try:
        check_status_list_form(credential)
    except FormError as error:
        raise CheckFailed(f"not in the plain form: {error}") from error
    if credential.get("id") != entry.status_list_credential:
        raise CheckFailed("the status list credential's id is not the URL it was fetched from")
    if "BitstringStatusListCredential" not in (credential.get("type") or []):
        raise CheckFailed("the status list is not a BitstringStatusListCredential")
    if _issuer_id(credential) != issuer_id:
        raise CheckFailed("the status list was issued by someone else")
    key = _KeyLookup.of(credential, resolve)
    _check_proof(credential, key)
    _check_issuer(credential)
    _check_purpose(credential, key)
    subject = credential.get("credentialSubject")
    if not isinstance(subject, dict) or subject.get("type") != "BitstringStatusList":
        raise CheckFailed("the status list credential has no BitstringStatusList subject")
    if subject.get("statusPurpose") != entry.purpose:
        raise CheckFailed(f"the status list is not for {entry.purpose}")
    return StatusList.decode(subject.get("encodedList"))
