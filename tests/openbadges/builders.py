"""A realistic credential (rubric, ethics score, evidence, status) for tests to start from."""

from datetime import UTC, datetime

from credplugin.openbadges import (
    Achievement,
    AchievementCredential,
    AchievementSubject,
    Alignment,
    BitstringStatusListEntry,
    Criteria,
    Evidence,
    IdentityObject,
    Image,
    Profile,
    Result,
    ResultDescription,
    RubricCriterionLevel,
)

SITE = "https://lms.example.com"
STATUS_LIST_URL = f"{SITE}/credplugin/status/revocation/1"
ISSUED = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
EXPIRES = datetime(2028, 3, 1, 12, 0, tzinfo=UTC)
DURING = datetime(2026, 1, 1, tzinfo=UTC)

ETHICAL_REASONING = Alignment(
    target_name="Ethical reasoning",
    target_url="https://frameworks.example.org/digital-skills/ER-2",
    target_code="ER-2",
    target_framework="Example Digital Skills Framework",
    target_type="ceasn:Competency",
)


def rubric_criterion(number: int) -> ResultDescription:
    base = f"{SITE}/credplugin/badges/ethics/rubric/{number}"
    levels = [
        RubricCriterionLevel(
            id=f"{base}/levels/{rank}", name=name, level=str(rank), points=str(rank)
        )
        for rank, name in enumerate(["Beginning", "Developing", "Proficient", "Exemplary"])
    ]
    return ResultDescription(
        id=base,
        name=f"Criterion {number}",
        levels=levels,
        required_level=levels[2].id,
        alignments=[ETHICAL_REASONING],
    )


ETHICS_SCORE = ResultDescription(
    id=f"{SITE}/credplugin/badges/ethics/ethics-score",
    name="Ethical impact reflection",
    result_type="Percent",
    value_min="0",
    value_max="100",
    required_value="60",
)


def achievement(**overrides) -> Achievement:
    criteria = [rubric_criterion(1), rubric_criterion(2)]
    fields = {
        "id": f"{SITE}/credplugin/badges/ethics",
        "name": "Responsible AI Practitioner",
        "description": "Designed and defended an AI project with an ethical-impact analysis.",
        "criteria": Criteria(
            narrative="Pass the course and reach *Proficient* on every criterion."
        ),
        "achievement_type": "MicroCredential",
        "image": Image(f"{SITE}/static/badge.png", caption="Badge"),
        "alignments": [ETHICAL_REASONING],
        "result_descriptions": [*criteria, ETHICS_SCORE],
        "credits_available": 12.5,
        "tags": ["ethics", "ai"],
        "in_language": "en",
    }
    fields.update(overrides)
    return Achievement(**fields)


def credential(issuer_did: str, *, status_index: int | None = None, **overrides):
    """An AchievementCredential model issued by ``issuer_did``."""
    badge = overrides.pop("achievement", None) or achievement()
    rubric = badge.result_descriptions
    subject = AchievementSubject(
        achievement=badge,
        identifiers=[IdentityObject.for_email("learner@example.org", salt="pepper")],
        results=[Result(rd.id, achieved_level=rd.levels[2].id) for rd in rubric if rd.levels]
        + [Result(ETHICS_SCORE.id, value="87")],
        credits_earned=12.5,
        activity_start_date=datetime(2025, 1, 6, tzinfo=UTC),
        activity_end_date=datetime(2025, 2, 28, tzinfo=UTC),
    )
    fields = {
        "id": "urn:uuid:5b6f0b52-8f7e-4b8e-9d59-0d8a3f0f7c11",
        "issuer": Profile(id=issuer_did, name="Example University", url=SITE),
        "subject": subject,
        "valid_from": ISSUED,
        "valid_until": EXPIRES,
        "awarded_date": ISSUED,
        "evidence": [
            Evidence(id=f"{SITE}/credplugin/evidence/42", name="Capstone project", genre="Project"),
            Evidence(name="Assessment method", narrative="Rubric review by a mentor."),
        ],
    }
    if status_index is not None:
        fields["credential_status"] = BitstringStatusListEntry(STATUS_LIST_URL, status_index)
    fields.update(overrides)
    return AchievementCredential(**fields)
