"""What a badge page reads from a credential, the LinkedIn link and the QR code."""

import base64
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlparse

from credplugin.presentation.describe import (
    describe_credential,
    hours_text,
    linkedin_add_to_profile_url,
    qr_code_data_uri,
)

LEVELS = [
    {"id": "urn:level:novice", "type": ["RubricCriterionLevel"], "name": "Novice"},
    {
        "id": "urn:level:proficient",
        "type": ["RubricCriterionLevel"],
        "name": "Proficient",
        "description": "Explains trade-offs.",
    },
]
CREDENTIAL = {
    "id": "https://lms.example/credplugin/badges/1/credential.json",
    "issuer": {"id": "did:web:lms.example", "name": "Academy", "url": "https://lms.example"},
    "validFrom": "2026-01-15T10:00:00Z",
    "validUntil": "2028-01-15T10:00:00Z",
    "credentialSubject": {
        "creditsEarned": 12.5,
        "achievement": {
            "name": "Ethical AI Practitioner",
            "description": "Designs AI with care.",
            "criteria": {"narrative": "Pass both assessments."},
            "image": {"id": "javascript:alert(1)", "type": "Image"},
            "alignment": [
                {
                    "targetName": "Responsible AI",
                    "targetFramework": "Demo",
                    "targetCode": "RAI",
                    "targetUrl": "https://example.org/rai",
                }
            ],
            "resultDescription": [
                {
                    "id": "urn:criterion:ethics",
                    "name": "Ethics",
                    "resultType": "RubricCriterionLevel",
                    "rubricCriterionLevel": LEVELS,
                    "requiredLevel": "urn:level:novice",
                },
                {"id": "urn:score:scenarios", "name": "Ethics scenarios", "resultType": "RawScore"},
            ],
        },
        "result": [
            {"resultDescription": "urn:criterion:ethics", "achievedLevel": "urn:level:proficient"},
            {"resultDescription": "urn:score:scenarios", "value": "0.8"},
        ],
    },
    "evidence": [
        {"id": "https://example.org/project", "name": "Repository", "description": "The code"},
        {"name": "Capstone", "narrative": "A project judged against a rubric.", "genre": "M"},
    ],
}


def test_describe_reads_achievement_issuer_and_dates():
    facts = describe_credential(CREDENTIAL)
    assert facts["name"] == "Ethical AI Practitioner"
    assert facts["issuer_name"] == "Academy"
    assert facts["issuer_id"] == "did:web:lms.example"
    assert facts["hours"] == "12.5 hours"
    assert facts["valid_from"] == datetime(2026, 1, 15, 10, tzinfo=UTC)
    assert facts["valid_until"] == datetime(2028, 1, 15, 10, tzinfo=UTC)
    assert facts["alignments"][0]["code"] == "RAI"


def test_competencies_pair_each_criterion_with_the_level_reached_on_its_scale():
    (ethics,) = describe_credential(CREDENTIAL)["competencies"]
    assert (ethics["name"], ethics["level"], ethics["required_level"]) == (
        "Ethics",
        "Proficient",
        "Novice",
    )
    assert (ethics["level_rank"], ethics["required_rank"], ethics["scale_size"]) == (2, 1, 2)
    assert ethics["level_description"] == "Explains trade-offs."


def test_raw_scores_are_not_competencies():
    names = [entry["name"] for entry in describe_credential(CREDENTIAL)["competencies"]]
    assert "Ethics scenarios" not in names


def test_levels_rank_by_points_whatever_order_they_are_listed_in():
    levels = [
        {"id": "urn:l:4", "name": "Exemplary", "points": "4"},
        {"id": "urn:l:1", "name": "Beginning", "points": "1"},
        {"id": "urn:l:3", "name": "Proficient", "points": "3"},
        {"id": "urn:l:2", "name": "Developing", "points": "2"},
    ]
    credential = {
        "credentialSubject": {
            "achievement": {
                "resultDescription": [
                    {"id": "urn:c", "name": "Data care", "rubricCriterionLevel": levels}
                ]
            },
            "result": [{"resultDescription": "urn:c", "achievedLevel": "urn:l:3"}],
        }
    }
    (competency,) = describe_credential(credential)["competencies"]
    assert (competency["level_rank"], competency["scale_size"]) == (3, 4)


def test_hours_read_as_a_duration():
    assert hours_text("15.0") == "15 hours"
    assert hours_text(1) == "1 hour"
    assert hours_text(7.5) == "7.5 hours"
    assert hours_text("lots") == hours_text(None) == hours_text(0) == ""


def test_each_assessment_is_named_once_with_its_methods():
    credential = {
        "evidence": [
            {"name": "Capstone", "narrative": "Judged against a rubric."},
            {"name": "Capstone", "narrative": "Reviewed by a mentor."},
            {"name": "Capstone", "narrative": "Reviewed by a mentor."},
            {"name": "Ethics case", "narrative": "Scenarios, scored."},
        ]
    }
    assert describe_credential(credential)["assessment_methods"] == [
        {"name": "Capstone", "methods": ["Judged against a rubric.", "Reviewed by a mentor."]},
        {"name": "Ethics case", "methods": ["Scenarios, scored."]},
    ]


def test_methods_and_artifacts_are_told_apart():
    facts = describe_credential(CREDENTIAL)
    assert facts["assessment_methods"] == [
        {"name": "Capstone", "methods": ["A project judged against a rubric."]}
    ]
    assert [item["name"] for item in facts["evidence"]] == ["Repository"]
    assert facts["evidence"][0]["url"] == "https://example.org/project"


def test_non_web_urls_are_dropped():
    assert describe_credential(CREDENTIAL)["image_url"] == ""


def test_malformed_credentials_describe_as_empty_rather_than_fail():
    facts = describe_credential({"credentialSubject": "nonsense", "issuer": 7, "evidence": "x"})
    assert facts["name"] == ""
    assert facts["competencies"] == [] and facts["evidence"] == []


def test_linkedin_link_carries_name_organization_dates_and_ids():
    url = linkedin_add_to_profile_url(
        name="Ethical AI & Co",
        organization="Academy",
        issued=datetime(2026, 1, 15, tzinfo=UTC),
        expires=datetime(2028, 3, 1, tzinfo=UTC),
        cert_url="https://lms.example/credplugin/badges/1/",
        cert_id="urn:uuid:1",
    )
    parsed = urlparse(url)
    assert (parsed.netloc, parsed.path) == ("www.linkedin.com", "/profile/add")
    query = {key: values[0] for key, values in parse_qs(parsed.query).items()}
    assert query == {
        "startTask": "CERTIFICATION_NAME",
        "name": "Ethical AI & Co",
        "organizationName": "Academy",
        "issueYear": "2026",
        "issueMonth": "1",
        "expirationYear": "2028",
        "expirationMonth": "3",
        "certUrl": "https://lms.example/credplugin/badges/1/",
        "certId": "urn:uuid:1",
    }


def test_linkedin_link_without_expiry_has_no_expiration_fields():
    url = linkedin_add_to_profile_url(
        name="N", organization="O", issued=None, expires=None, cert_url="u", cert_id="i"
    )
    assert "expiration" not in url and "issueYear" not in url


def test_qr_code_is_an_svg_data_uri():
    uri = qr_code_data_uri("https://lms.example/credplugin/badges/1/")
    assert uri.startswith("data:image/svg+xml;base64,")
    svg = base64.b64decode(uri.split(",", 1)[1])
    assert svg.startswith(b"<svg") and b"<path" in svg
