"""The typical badge the signing speed goals are set for, built with the real composer.

Five competencies, five rubric criteria of four levels each (every criterion aligned to its
competency), an ethics score, two pieces of evidence, a status list entry and a did:web issuer.
``bench/sign_verify.py`` and the fast canonicalizer's tests use the same document.
"""

import attr

from credplugin.openbadges import (
    Alignment,
    IdentityObject,
    Result,
    ResultDescription,
    RubricCriterionLevel,
)
from tests.openbadges import builders

ISSUER_DID = "did:web:lms.example.com"
COMPETENCIES = [
    ("Problem framing", "PF-1"),
    ("Data stewardship", "DS-3"),
    ("Model evaluation", "ME-2"),
    ("Stakeholder communication", "SC-4"),
    ("Ethical reasoning", "ER-2"),
]
LEVELS = ["Beginning", "Developing", "Proficient", "Exemplary"]


def competency(name: str, code: str) -> Alignment:
    return Alignment(
        target_name=name,
        target_url=f"https://frameworks.example.org/digital-skills/{code}",
        target_code=code,
        target_framework="Example Digital Skills Framework",
        target_type="ceasn:Competency",
    )


def rubric_criterion(number: int, alignment: Alignment) -> ResultDescription:
    base = f"{builders.SITE}/credplugin/badges/responsible-ai/rubric/{number}"
    levels = [
        RubricCriterionLevel(
            id=f"{base}/levels/{rank}",
            name=name,
            level=str(rank),
            description=f"{name} work on {alignment.target_name.lower()}.",
            points=str(rank),
        )
        for rank, name in enumerate(LEVELS)
    ]
    return ResultDescription(
        id=base,
        name=f"Criterion {number}: {alignment.target_name}",
        levels=levels,
        required_level=levels[2].id,
        alignments=[alignment],
    )


def typical_credential(status_index: int = 4242, learner: str = "learner@example.org") -> dict:
    """The unsigned typical credential as JSON-LD."""
    alignments = [competency(name, code) for name, code in COMPETENCIES]
    criteria = [rubric_criterion(number, a) for number, a in enumerate(alignments, start=1)]
    badge = builders.achievement(
        alignments=alignments, result_descriptions=[*criteria, builders.ETHICS_SCORE]
    )
    model = builders.credential(ISSUER_DID, status_index=status_index, achievement=badge)
    results = [Result(rd.id, achieved_level=rd.levels[2].id, status="Completed") for rd in criteria]
    subject = attr.evolve(
        model.subject,
        identifiers=[IdentityObject.for_email(learner, salt="pepper")],
        results=[*results, Result(builders.ETHICS_SCORE.id, value="87")],
    )
    return attr.evolve(model, subject=subject).to_json()
