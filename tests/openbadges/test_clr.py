"""The CLR 2.0 learner record: 1EdTech's canonicalization vectors, the official ClrCredential
schema, and verification of the record and of each badge inside it."""

import copy
import json
import os
from pathlib import Path

import jsonschema
import pytest

from credplugin.openbadges import sign_credential
from credplugin.openbadges.canonical import canonicalize, reference_canonicalize
from credplugin.openbadges.clr import Association, build_clr, is_clr, verify_clr
from credplugin.openbadges.credential import IdentityObject
from credplugin.openbadges.fastcanon import fast_canonicalize
from credplugin.openbadges.loader import context_manifest
from tests.openbadges import builders
from tests.openbadges.test_verify import resolver, status_list

CLR_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "standards" / "clr"
DATA = Path(__file__).parent / "data"
PATHWAY = "urn:uuid:0e0e0e0e-1111-4222-8333-444455556666"


def shared(name):
    """A file of ../shared/standards/clr, or a clean skip where ../shared is absent."""
    path = CLR_DIR / name
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} is required in CI")
        pytest.skip(f"{path} not found (../shared is absent)")
    return path


@pytest.fixture(scope="module")
def schema_validator():
    """The official ClrCredential schema brought to VC 2.0 in its two VC 1.1 leftovers.

    The draft-04 edition requires VC 1.1's ``issuanceDate`` (VC 2.0's ``validFrom``; 1EdTech's
    own VC 2.0 sample fails it for that alone), and closes ``CredentialStatus`` to ``id`` and
    ``type``, which the current OB 3.0 AchievementCredential schema opens for the
    ``BitstringStatusListEntry`` fields every embedded badge carries. Nothing else changes.
    """
    schema = json.loads(shared("clr_v2p0_clrcredential_schema_draft4.json").read_text("utf-8"))
    text = json.dumps(schema).replace('"issuanceDate"', '"validFrom"')
    adapted = json.loads(text)
    adapted["$defs"]["CredentialStatus"]["additionalProperties"] = True
    return jsonschema.Draft4Validator(adapted, format_checker=jsonschema.FormatChecker())


def badge(key, achievement_id, name, status_index):
    return sign_credential(
        builders.credential(
            key.controller,
            status_index=status_index,
            id=f"urn:uuid:00000000-0000-4000-8000-00000000000{status_index}",
            achievement=builders.achievement(id=achievement_id, name=name),
        ).to_json(),
        key,
    )


@pytest.fixture(scope="module")
def record(web_key):
    badges = [
        badge(web_key, "urn:uuid:aaaaaaaa-0000-4000-8000-000000000001", "Data", 1),
        badge(web_key, "urn:uuid:aaaaaaaa-0000-4000-8000-000000000002", "Ethics", 2),
        badge(web_key, PATHWAY, "AI Champion", 3),
    ]
    unsigned = build_clr(
        id="urn:uuid:c1c1c1c1-0000-4000-8000-000000000000",
        issuer=badges[0]["issuer"],
        name="Learner record",
        credentials=badges,
        identifiers=[IdentityObject.for_email("learner@example.org", salt="pepper").to_json()],
        associations=[
            Association("isPartOf", "urn:uuid:aaaaaaaa-0000-4000-8000-000000000001", PATHWAY),
            Association("isPartOf", "urn:uuid:aaaaaaaa-0000-4000-8000-000000000002", PATHWAY),
            Association(
                "precedes",
                "urn:uuid:aaaaaaaa-0000-4000-8000-000000000001",
                "urn:uuid:aaaaaaaa-0000-4000-8000-000000000002",
            ),  # fmt: skip
            Association("isPartOf", PATHWAY, "urn:uuid:not-in-this-record"),
        ],
        valid_from=builders.DURING,
    )
    return sign_credential(unsigned, web_key, created=builders.DURING)


@pytest.fixture(scope="module")
def resolve(web_key, web_did_document):
    return resolver(web_did_document, status_list(web_key))


# The vectors hold for the fast path and for pyld alone, not just for whichever answers.
CANONICALIZERS = pytest.mark.parametrize(
    "canonicalizer", [canonicalize, fast_canonicalize, reference_canonicalize]
)


@CANONICALIZERS
def test_canonicalization_matches_the_1edtech_clr_document_vector(canonicalizer):
    expected = shared("test-vector-document-canon.txt").read_text("utf-8")
    document = json.loads((DATA / "clr-test-vector-input.json").read_text("utf-8"))
    assert canonicalizer(document) == expected


@CANONICALIZERS
def test_canonicalization_matches_the_1edtech_clr_proof_vector(canonicalizer):
    expected = shared("test-vector-proof-canon.txt").read_text("utf-8")
    document = json.loads((DATA / "clr-test-vector-input.json").read_text("utf-8"))
    proof_configuration = {
        "@context": document["@context"],
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": "2010-01-01T19:23:24Z",
        "verificationMethod": (
            "https://example.edu/issuers/565049#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
        ),
        "proofPurpose": "assertionMethod",
    }
    assert canonicalizer(proof_configuration) == expected


def test_the_shipped_clr_context_is_the_one_1edtech_publishes():
    entry = context_manifest()["https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"]
    shipped = Path(__file__).resolve().parents[2] / "credplugin/openbadges/contexts" / entry["file"]
    assert shipped.read_bytes() == shared("clr-context-2.0.1.json").read_bytes()


def test_the_record_passes_the_official_clrcredential_schema(record, schema_validator):
    errors = sorted(schema_validator.iter_errors(record), key=str)
    assert errors == []


def test_the_adapted_schema_still_rejects_a_record_without_a_subject(record, schema_validator):
    broken = {key: value for key, value in record.items() if key != "credentialSubject"}
    assert not schema_validator.is_valid(broken)


def test_1edtechs_own_vc2_sample_fails_the_unadapted_schema_only_for_issuance_date():
    schema = json.loads(shared("clr_v2p0_clrcredential_schema_draft4.json").read_text("utf-8"))
    sample = json.loads(shared("sample-simple.json").read_text("utf-8"))
    messages = {error.message for error in jsonschema.Draft4Validator(schema).iter_errors(sample)}
    assert messages == {"'issuanceDate' is a required property"}


def test_the_record_and_every_badge_inside_it_verify(record, resolve):
    report = verify_clr(record, resolve=resolve, now=builders.DURING)
    assert report.verified, report.to_json()
    assert [credential_id for credential_id, _r in report.badges] == [
        f"urn:uuid:00000000-0000-4000-8000-00000000000{n}" for n in (1, 2, 3)
    ]


def test_associations_relate_only_achievements_of_the_record(record):
    associations = record["credentialSubject"]["association"]
    assert [a["associationType"] for a in associations] == ["isPartOf", "isPartOf", "precedes"]
    assert record["partial"] is False
    assert is_clr(record)


def test_a_tampered_badge_inside_the_record_is_reported(record, resolve, web_key):
    tampered = copy.deepcopy(record)
    tampered["credentialSubject"]["verifiableCredential"][1]["name"] = "Forged"
    report = verify_clr(tampered, resolve=resolve, now=builders.DURING)
    assert not report.verified
    assert not report.checks[1].passed  # the record's own proof covers the embedded badge
    resigned = sign_credential(
        {key: value for key, value in tampered.items() if key != "proof"}, web_key,
        created=builders.DURING,
    )  # fmt: skip
    report = verify_clr(resigned, resolve=resolve, now=builders.DURING)
    assert all(check.passed for check in report.checks)
    assert [r.verified for _id, r in report.badges] == [True, False, True]


def test_bad_input_gives_a_failed_report():
    assert not verify_clr("nope").verified
    assert not verify_clr({"type": ["ClrCredential"]}).verified


def test_an_empty_record_is_refused():
    with pytest.raises(ValueError, match="at least one credential"):
        build_clr(id="urn:uuid:x", issuer={}, name="x", credentials=[], identifiers=[{}])


def test_credplugin_verify_reports_the_record_and_each_badge(
    record, web_key, web_did_document, tmp_path, capsys
):
    from credplugin.openbadges.cli import verify_main  # noqa: PLC0415

    files = {
        "record.json": record,
        "did.json": web_did_document,
        "status.json": status_list(web_key),
    }
    for name, document in files.items():
        (tmp_path / name).write_text(json.dumps(document))
    args = [
        str(tmp_path / "record.json"),
        "--did-doc",
        str(tmp_path / "did.json"),
        "--status-list",
        str(tmp_path / "status.json"),
        "--now",
        builders.DURING.isoformat(),
    ]
    assert verify_main(args) == 0
    out = capsys.readouterr().out
    assert out.startswith("VERIFIED (learner record)")
    assert out.count(": VERIFIED") == 3
    tampered = copy.deepcopy(record)
    tampered["name"] = "Forged"
    (tmp_path / "record.json").write_text(json.dumps(tampered))
    assert verify_main(args) == 1
