"""DID Authentication over a VC-API exchange: the request we send a wallet, the check of the
presentation it answers with, and the presentation that carries the badge back.

Trust boundary: the wallet's presentation is hostile JSON-LD. It is accepted only in one of two
fixed shapes: the VC 2.0 context with one ``eddsa-rdfc-2022`` ``DataIntegrityProof``, or the
VC 1.1 and Ed25519 2020 contexts with one ``Ed25519Signature2020`` proof (what the Learner
Credential Wallet signs with). The contexts must be exactly those (so no term can be
redefined); the keys at the top and in the proof form a closed set; the holder is a ``did:key``
(resolved offline, never fetched); the proof is for ``authentication``, by the holder's own key,
over our challenge and domain. Both suites sign sha256(canonical proof configuration) followed
by sha256(canonical document), so ``challenge`` and ``domain`` are covered by the signature and
a presentation made for one exchange cannot be replayed into another.
"""

import hmac
from datetime import datetime, timedelta

from cryptography.exceptions import InvalidSignature

from credplugin.openbadges.canonical import CanonicalizationError
from credplugin.openbadges.did import DidError, did_key_document
from credplugin.openbadges.keys import DID_KEY_PREFIX, public_key_from_multibase
from credplugin.openbadges.loader import CREDENTIALS_V2_CONTEXT
from credplugin.openbadges.multibase import MultibaseError, decode_base58btc
from credplugin.openbadges.proof import (
    SIGNATURE_LENGTH,
    XSD_DATETIME,
    ProofError,
    check_proof_form,
    hash_data,
    split_proof,
    verify_signature,
)
from credplugin.openbadges.verify import CheckFailed, parse_datetime

CREDENTIALS_V1_CONTEXT = "https://www.w3.org/2018/credentials/v1"
ED25519_2020_CONTEXT = "https://w3id.org/security/suites/ed25519-2020/v1"
ED25519_2020_PROOF = "Ed25519Signature2020"
DATA_INTEGRITY_CONTEXTS = [CREDENTIALS_V2_CONTEXT]
LCW_CONTEXTS = [CREDENTIALS_V1_CONTEXT, ED25519_2020_CONTEXT]
DID_AUTH_PURPOSE = "authentication"
PRESENTATION_TYPE = "VerifiablePresentation"
EXCHANGE_SERVICE_TYPE = "UnmediatedHttpPresentationService2021"
PRESENTATION_KEYS = frozenset({"@context", "type", "holder", "proof", "id", "verifiableCredential"})
PROOF_KEYS = frozenset(
    {
        "type",
        "cryptosuite",
        "created",
        "expires",
        "verificationMethod",
        "proofPurpose",
        "proofValue",
        "challenge",
        "domain",
        "id",
    }
)
MAX_DID_LENGTH = 200
CLOCK_SKEW = timedelta(minutes=5)


class PresentationError(ValueError):
    """The wallet's presentation is malformed, not for this exchange, or not signed by its
    holder; the message says which, in words a wallet developer can act on."""


def did_authentication_request(*, challenge: str, domain: str, exchange_url: str) -> dict:
    """The VC-API ``verifiablePresentationRequest`` asking a wallet to prove control of a DID."""
    return {
        "query": [
            {
                "type": "DIDAuthentication",
                "acceptedMethods": [{"method": "key"}],
                "acceptedCryptosuites": [
                    {"cryptosuite": "eddsa-rdfc-2022"},
                    {"cryptosuite": ED25519_2020_PROOF},
                ],
            }
        ],
        "challenge": challenge,
        "domain": domain,
        "interact": {"service": [{"type": EXCHANGE_SERVICE_TYPE, "serviceEndpoint": exchange_url}]},
    }


def verify_did_authentication(
    presentation, *, challenge: str, domain: str, now: datetime, max_age: timedelta
) -> str:
    """Check a DID Authentication presentation and return the holder's DID.

    ``max_age``: how old the proof's ``created`` may be (the exchange's lifetime); a proof
    dated in the future beyond a few minutes of clock skew is refused too.

    Raises:
        PresentationError: naming the first thing that is wrong.
    """
    holder = _check_shape(presentation)
    lcw = presentation["@context"] == LCW_CONTEXTS
    _, proof = _split(presentation, lcw=lcw)
    _check_proof_binding(proof, holder=holder, challenge=challenge, domain=domain)
    _check_proof_dates(proof, now=now, max_age=max_age)
    public_key = public_key_from_multibase(holder.removeprefix(DID_KEY_PREFIX))
    try:
        if lcw:
            _verify_ed25519_2020(presentation, proof, public_key)
        else:
            verify_signature(presentation, public_key)
    except (ProofError, CanonicalizationError) as error:
        raise PresentationError(f"the presentation's proof does not verify: {error}") from error
    return holder


def _verify_ed25519_2020(presentation: dict, proof: dict, public_key) -> None:
    """``Ed25519Signature2020``: the same hashing as eddsa-rdfc-2022 under the document's own
    context, a base58btc multibase signature."""
    try:
        signature = decode_base58btc(proof["proofValue"])
    except MultibaseError as error:
        raise ProofError(f"proofValue: {error}") from error
    if len(signature) != SIGNATURE_LENGTH:
        raise ProofError(f"proofValue holds {len(signature)} bytes, not an Ed25519 signature")
    unsecured = {key: value for key, value in presentation.items() if key != "proof"}
    try:
        public_key.verify(signature, hash_data(unsecured, proof))
    except InvalidSignature as error:
        raise ProofError("the signature does not match the document and key") from error


def _check_shape(presentation) -> str:
    if not isinstance(presentation, dict):
        raise PresentationError("verifiablePresentation must be a JSON object")
    unexpected = sorted(set(presentation) - PRESENTATION_KEYS)
    if unexpected:
        raise PresentationError(f"the presentation has unexpected keys: {', '.join(unexpected)}")
    if presentation.get("@context") not in (DATA_INTEGRITY_CONTEXTS, LCW_CONTEXTS):
        raise PresentationError(
            f"@context must be exactly {DATA_INTEGRITY_CONTEXTS} or {LCW_CONTEXTS}"
        )
    if presentation.get("type") not in (PRESENTATION_TYPE, [PRESENTATION_TYPE]):
        raise PresentationError(f"type must be {PRESENTATION_TYPE!r}")
    if presentation.get("verifiableCredential", []) != []:
        raise PresentationError("a DID Authentication presentation carries no credentials")
    if "id" in presentation and not isinstance(presentation["id"], str):
        raise PresentationError("id must be a string")
    holder = presentation.get("holder")
    if not isinstance(holder, str) or len(holder) > MAX_DID_LENGTH:
        raise PresentationError("holder must be a DID")
    try:
        did_key_document(holder)
    except DidError as error:
        raise PresentationError(f"holder must be an Ed25519 did:key: {error}") from error
    return holder


def _split(presentation: dict, *, lcw: bool) -> tuple[dict, dict]:
    try:
        unsecured, proof = split_proof(presentation)
        if lcw:
            _check_ed25519_2020_form(proof)
        else:
            check_proof_form(proof)
    except ProofError as error:
        raise PresentationError(str(error)) from error
    unexpected = sorted(set(proof) - PROOF_KEYS)
    if unexpected:
        raise PresentationError(f"the proof has unexpected keys: {', '.join(unexpected)}")
    return unsecured, proof


def _check_ed25519_2020_form(proof: dict) -> None:
    if proof.get("type") != ED25519_2020_PROOF or "cryptosuite" in proof:
        raise ProofError(f"with these contexts the proof type must be {ED25519_2020_PROOF!r}")
    for field in ("verificationMethod", "proofPurpose", "proofValue"):
        if not isinstance(proof.get(field), str):
            raise ProofError(f"proof.{field} is missing or not a string")
    created = proof.get("created")
    if created is not None and not (isinstance(created, str) and XSD_DATETIME.match(created)):
        raise ProofError(f"proof.created {created!r} is not an XML Schema dateTime")


def _check_proof_binding(proof: dict, *, holder: str, challenge: str, domain: str) -> None:
    if proof["proofPurpose"] != DID_AUTH_PURPOSE:
        raise PresentationError(f"proofPurpose must be {DID_AUTH_PURPOSE!r}")
    expected_method = f"{holder}#{holder.removeprefix(DID_KEY_PREFIX)}"
    if proof["verificationMethod"] != expected_method:
        raise PresentationError("the proof is not made with the holder's own did:key")
    if not isinstance(proof.get("challenge"), str) or not hmac.compare_digest(
        proof["challenge"].encode("utf-8"), challenge.encode("utf-8")
    ):
        raise PresentationError("the proof's challenge is not this exchange's challenge")
    if proof.get("domain") != domain:
        raise PresentationError(f"the proof's domain is not {domain!r}")


def _check_proof_dates(proof: dict, *, now: datetime, max_age: timedelta) -> None:
    try:
        created = parse_datetime(proof.get("created"), "proof.created")
        expires = parse_datetime(proof["expires"], "proof.expires") if "expires" in proof else None
    except CheckFailed as error:
        raise PresentationError(str(error)) from error
    if created > now + CLOCK_SKEW:
        raise PresentationError("the proof is dated in the future")
    if created < now - max_age - CLOCK_SKEW:
        raise PresentationError("the proof is older than this exchange")
    if expires is not None and expires <= now:
        raise PresentationError("the proof has expired")


def holder_bound_credential(credential: dict, holder: str) -> dict:
    """An unsigned copy of ``credential`` whose subject is also identified by ``holder``.

    The subject keeps its hashed e-mail ``identifier``; ``credentialSubject.id`` names the
    wallet DID, so the wallet can prove the badge is its holder's. Sign the result afresh.
    """
    bound = {key: value for key, value in credential.items() if key != "proof"}
    subject = bound.get("credentialSubject")
    if not isinstance(subject, dict):
        raise PresentationError("the credential has no single credentialSubject to bind")
    bound["credentialSubject"] = {"id": holder, **{k: v for k, v in subject.items() if k != "id"}}
    return bound


def delivery_presentation(credentials: list[dict]) -> dict:
    """The (unsigned) presentation that hands signed credentials to a wallet."""
    return {
        "@context": [CREDENTIALS_V2_CONTEXT],
        "type": [PRESENTATION_TYPE],
        "verifiableCredential": list(credentials),
    }
