"""The four attacks a security review made on the verifier, as rewrites of a credential (no Django).

Each rewrite of a genuine credential keeps its signed graph, so without the plain-form rule the
signature would still match while the JSON says something else. The same helpers feed the
library, verify API, verify page and CLI regression tests.
"""

import copy

from credplugin.openbadges import sign_credential
from credplugin.openbadges.multibase import encode_base58btc

CREDENTIALS = "https://www.w3.org/2018/credentials#"
XSD_DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"
FAKE_NAME = "Doctor of Medicine (FAKE)"


def status_behind_iri(credential: dict) -> dict:
    """Attack 1: ``credentialStatus`` written as its full IRI, out of the status check's sight."""
    rewritten = copy.deepcopy(credential)
    rewritten[CREDENTIALS + "credentialStatus"] = rewritten.pop("credentialStatus")
    return rewritten


def expiry_behind_value_object(credential: dict) -> dict:
    """Attack 1: ``validUntil`` as an IRI-keyed value object, out of the validity check's sight."""
    rewritten = copy.deepcopy(credential)
    rewritten[CREDENTIALS + "validUntil"] = {
        "@value": rewritten.pop("validUntil"),
        "@type": XSD_DATETIME,
    }
    return rewritten


def fake_name_in_index(credential: dict, fake: str = FAKE_NAME) -> dict:
    """Attack 2: a name in ``@index`` (not part of the signed graph) beside the real one."""
    rewritten = copy.deepcopy(credential)
    rewritten["@context"] = [*rewritten["@context"], {"v": "@value"}]
    achievement = rewritten["credentialSubject"]["achievement"]
    achievement["name"] = {"@index": fake, "v": achievement["name"]}
    return rewritten


def unsigned_badge(key, subject=None) -> dict:
    """A minimal plain-form badge issued by ``key``'s did:key, to sign or to spoil."""
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:00000000-0000-4000-8000-000000000000",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": key.controller, "type": ["Profile"], "name": "Self"},
        "validFrom": "2025-01-01T00:00:00Z",
        "credentialSubject": _subject(0) if subject is None else subject,
    }


def _bomb_credential(key, subject_or_subjects) -> dict:
    document = unsigned_badge(key, subject_or_subjects)
    document["proof"] = [
        {
            "type": "DataIntegrityProof",
            "cryptosuite": "eddsa-rdfc-2022",
            "verificationMethod": key.verification_method,
            "proofPurpose": "assertionMethod",
            "proofValue": encode_base58btc(bytes(range(64))),
        }
    ]
    return document


def _subject(k: int) -> dict:
    return {
        "type": ["AchievementSubject"],
        "identifier": [{"type": "IdentityObject", "identityHash": "x", "hashed": False}],
        "achievement": {
            "id": "urn:example:badge",
            "type": ["Achievement"],
            "name": "Badge",
            "description": "Badge",
            "criteria": {"narrative": "Badge"},
        },
        "result": [{"type": ["Result"], "value": "1"} for _ in range(k)],
    }


def canonicalization_bomb(key, k: int) -> dict:
    """Attack 3 as reported: did:key issuer, garbage proof, ``k`` identical blank-node results
    in each of two subjects (factorial work for an unbounded RDFC-1.0)."""
    return _bomb_credential(key, [_subject(k), _subject(k)])


def plain_form_bomb(key, k: int) -> dict:
    """Attack 3 in the plain form: one subject, two identical results with ``k`` identical
    alignments each, so only the canonicalizer's work limit can stop it."""
    alignment = {"type": ["Alignment"], "targetName": "x", "targetUrl": "https://example.org/"}
    result = {"type": ["Result"], "alignment": [dict(alignment) for _ in range(k)]}
    subject = _subject(0)
    subject["result"] = [result, copy.deepcopy(result)]
    return _bomb_credential(key, subject)


def stranger_as_site(credential: dict, stranger_key, site_name: str) -> dict:
    """Attack 4: the same badge re-signed by a stranger's did:key under this site's name."""
    unsigned = copy.deepcopy(credential)
    del unsigned["proof"]
    unsigned.pop("credentialStatus", None)
    unsigned["issuer"] = {**unsigned["issuer"], "id": stranger_key.controller, "name": site_name}
    return sign_credential(unsigned, stranger_key)
