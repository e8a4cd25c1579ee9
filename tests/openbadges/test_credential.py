"""Composing the OB 3.0 credential, checked against the official 1EdTech JSON schema."""

import hashlib
import json
from pathlib import Path

import jsonschema
import pytest

from credplugin.openbadges import (
    AchievementSubject,
    IdentityObject,
    ResultDescription,
    RubricCriterionLevel,
    canonicalize,
    sign_credential,
)
from credplugin.openbadges.credential import ACHIEVEMENT_CREDENTIAL_SCHEMA
from tests.openbadges import builders

SCHEMA_DIR = Path(__file__).resolve().parent / "data" / "1edtech"
SCHEMA_PATH = SCHEMA_DIR / "ob_v3p0_achievementcredential_schema.json"


@pytest.fixture(scope="module")
def schema_validator():
    schema = json.loads(SCHEMA_PATH.read_text("utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    return validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)


def test_the_schema_is_the_published_one_recorded_in_source_md():
    digest = hashlib.sha256(SCHEMA_PATH.read_bytes()).hexdigest()
    assert f"`{digest}`" in (SCHEMA_DIR / "SOURCE.md").read_text("utf-8")
    schema_id = json.loads(SCHEMA_PATH.read_text("utf-8"))["$id"]
    assert schema_id.startswith("https://purl.imsglobal.org/spec/ob/v3p0/schema/")
    assert schema_id.rsplit("/", 1)[1] == ACHIEVEMENT_CREDENTIAL_SCHEMA.rsplit("/", 1)[1]


def test_context_order_and_types(web_key):
    document = builders.credential(web_key.controller, status_index=7).to_json()
    assert document["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
    ]
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert document["credentialSchema"] == [
        {"id": ACHIEVEMENT_CREDENTIAL_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}
    ]
    subject = document["credentialSubject"]
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"]
    assert achievement["alignment"][0]["type"] == ["Alignment"]
    assert achievement["resultDescription"][0]["rubricCriterionLevel"][0]["type"] == [
        "RubricCriterionLevel"
    ]
    assert achievement["creditsAvailable"] == 12.5
    assert subject["identifier"][0]["identityHash"].startswith("sha256$")
    assert subject["result"][0]["achievedLevel"].endswith("/levels/2")
    assert document["credentialStatus"] == {
        "id": f"{builders.STATUS_LIST_URL}#7",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "7",
        "statusListCredential": builders.STATUS_LIST_URL,
    }
    assert document["validFrom"] == "2025-03-01T12:00:00Z"


def test_every_composed_term_is_defined_by_the_contexts(web_key):
    canonicalize(builders.credential(web_key.controller, status_index=7).to_json())


def test_signed_credential_matches_the_1edtech_schema(schema_validator, web_key):
    signed = sign_credential(
        builders.credential(web_key.controller, status_index=3).to_json(), web_key
    )
    errors = [
        f"{list(error.path)}: {error.message}" for error in schema_validator.iter_errors(signed)
    ]
    assert errors == []


def test_subject_with_a_did_matches_the_schema(schema_validator, did_key_key):
    subject = AchievementSubject(achievement=builders.achievement(), id="did:example:learner")
    document = builders.credential(did_key_key.controller, subject=subject).to_json()
    assert "identifier" not in document["credentialSubject"]
    schema_validator.validate(sign_credential(document, did_key_key))


def test_hashed_email_is_salted_normalized_and_checkable():
    identity = IdentityObject.for_email("  Learner@Example.ORG ")
    assert identity.matches_email("learner@example.org")
    assert not identity.matches_email("other@example.org")
    assert IdentityObject.for_email("a@b.c").salt != IdentityObject.for_email("a@b.c").salt


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: AchievementSubject(achievement=builders.achievement()),
            "id .DID. or an identifier",
        ),
        (lambda: builders.achievement(achievement_type="Trophy"), "achievementType"),
        (
            lambda: ResultDescription(
                id="urn:rd",
                name="x",
                levels=[RubricCriterionLevel(id="urn:l1", name="one")],
                required_level="urn:other",
            ),
            "requiredLevel",
        ),
        (lambda: builders.credential("did:key:z", valid_until=builders.ISSUED), "validUntil"),
    ],
)
def test_inconsistent_models_are_refused(build, message):
    with pytest.raises(ValueError, match=message):
        build()
