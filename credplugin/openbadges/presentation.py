"""DID Authentication over a VC-API exchange: the request we send a wallet, the check of the
presentation it answers with, and the presentation that carries the badge back.

Trust boundary: the wallet's presentation is hostile JSON-LD. It is accepted only in one fixed
shape — the VC 2.0 context and nothing else (so no term can be redefined), a closed set of keys
at the top and in the proof, a ``did:key`` holder (resolved offline, never fetched), one
``eddsa-rdfc-2022`` proof for ``authentication`` by that holder's own key over our challenge
and domain. ``challenge`` and ``domain`` are part of the signed proof configuration, so a
presentation made for one exchange cannot be replayed into another.
"""

import hmac
from datetime import datetime, timedelta

from credplugin.openbadges.canonical import CanonicalizationError
from credplugin.openbadges.did import DidError, did_key_document
from credplugin.openbadges.keys import DID_KEY_PREFIX, public_key_from_multibase
from credplugin.openbadges.loader import CREDENTIALS_V2_CONTEXT
from credplugin.openbadges.proof import (
    ProofError,
    check_proof_form,
    split_proof,
    verify_signature,
)
from credplugin.openbadges.verify import CheckFailed, parse_datetime

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
        "query": [{"type": "DIDAuthentication", "acceptedCryptosuites": ["eddsa-rdfc-2022"]}],
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
    _, proof = _split(presentation)
    _check_proof_binding(proof, holder=holder, challenge=challenge, domain=domain)
    _check_proof_dates(proof, now=now, max_age=max_age)
    public_key = public_key_from_multibase(holder.removeprefix(DID_KEY_PREFIX))
    try:
        verify_signature(presentation, public_key)
    except (ProofError, CanonicalizationError) as error:
        raise PresentationError(f"the presentation's proof does not verify: {error}") from error
    return holder


def _check_shape(presentation) -> str:
    if not isinstance(presentation, dict):
        raise PresentationError("verifiablePresentation must be a JSON object")
    unexpected = sorted(set(presentation) - PRESENTATION_KEYS)
    if unexpected:
        raise PresentationError(f"the presentation has unexpected keys: {', '.join(unexpected)}")
    if presentation.get("@context") != [CREDENTIALS_V2_CONTEXT]:
        raise PresentationError(f"@context must be exactly [{CREDENTIALS_V2_CONTEXT!r}]")
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


def _split(presentation: dict) -> tuple[dict, dict]:
    try:
        unsecured, proof = split_proof(presentation)
        check_proof_form(proof)
    except ProofError as error:
        raise PresentationError(str(error)) from error
    unexpected = sorted(set(proof) - PROOF_KEYS)
    if unexpected:
        raise PresentationError(f"the proof has unexpected keys: {', '.join(unexpected)}")
    return unsecured, proof


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
