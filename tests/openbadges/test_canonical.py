"""RDFC-1.0 canonicalization through pyld, and the input it refuses."""

import pytest

from credplugin.openbadges.canonical import CanonicalizationError, canonicalize
from credplugin.openbadges.loader import CREDENTIALS_V2_CONTEXT, OPEN_BADGES_V3_CONTEXT


def credential(**extra):
    document = {
        "@context": [CREDENTIALS_V2_CONTEXT, OPEN_BADGES_V3_CONTEXT],
        "id": "urn:uuid:0b7a1c60-0b3e-4d1e-9e5e-2f6c8f3b9a10",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "did:web:lms.example.com", "type": ["Profile"], "name": "Example"},
        "validFrom": "2024-01-01T00:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://lms.example.com/badges/1",
                "type": ["Achievement"],
                "name": "Ethics",
                "description": "Passed the ethics course",
                "criteria": {"narrative": 'Line one\nline\ttwo "quoted" \\ end'},
            },
        },
    }
    document.update(extra)
    return document


def test_output_is_sorted_nquads_with_canonical_blank_nodes():
    nquads = canonicalize(credential())
    lines = nquads.splitlines(keepends=True)
    assert lines == sorted(lines)
    assert all(line.endswith(" .\n") for line in lines)
    assert "_:c14n0" in nquads
    assert '"Line one\\nline\\ttwo \\"quoted\\" \\\\ end"' in nquads
    assert "<https://www.w3.org/2018/credentials#validFrom>" in nquads


def test_key_order_does_not_change_the_result():
    document = credential()
    reordered = dict(reversed(list(document.items())))
    assert canonicalize(reordered) == canonicalize(document)


def test_content_change_changes_the_result():
    changed = credential(validFrom="2024-01-02T00:00:00Z")
    assert canonicalize(changed) != canonicalize(credential())


# pyld keeps ":" through expansion but writes no triple for it: the credential would be signed
# without its status pointer.
STATUS_POINTING_NOWHERE = {
    "id": "urn:uuid:2f1c6e0e-6a43-4e55-8a55-6f4a4d1f0a11",
    "type": "BitstringStatusListEntry",
    "statusPurpose": "revocation",
    "statusListIndex": "7",
    "statusListCredential": ":",
}


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        (credential(favouriteColour="blue"), "not defined.*favouriteColour"),
        (credential(id="badge-1"), "relative IRI 'badge-1'"),
        (credential(type=["VerifiableCredential", "MadeUpType"]), "relative IRI 'MadeUpType'"),
        (credential(name="bell\x07"), "control character"),
        (credential(name="delete\x7f"), "control character"),
        (credential(id="urn:has space"), "IRI"),
        (credential(**{"@context": ["https://example.com/ctx.json"]}), "not shipped"),
        ({"@context": [CREDENTIALS_V2_CONTEXT], "id": "urn:x", "n": 2**53 + 1}, "2\\*\\*53"),
        ({"@context": [CREDENTIALS_V2_CONTEXT], "id": "urn:x", "n": 1e-7}, "1e-6"),
        ({"@context": [CREDENTIALS_V2_CONTEXT], "id": "urn:x", "n": float("nan")}, "number"),
        (["not", "an", "object"], "JSON object"),
        (credential(credentialStatus=STATUS_POINTING_NOWHERE), "':' is not an absolute IRI"),
        (credential(id="@foo"), "JSON-LD|absolute IRI"),
        (credential(id="@type"), "JSON-LD|absolute IRI"),
    ],
)
def test_refuses_what_verifiers_would_not_reproduce(document, reason):
    with pytest.raises(CanonicalizationError, match=reason):
        canonicalize(document)


def test_portable_numbers_are_accepted():
    document = credential()
    document["credentialSubject"]["creditsEarned"] = 12.5
    assert '"1.25E1"^^<https://www.w3.org/2001/XMLSchema#float>' in canonicalize(document)
