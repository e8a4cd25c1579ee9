"""Mapping badge classes, rubric snapshots and results onto the OB 3.0 composer."""

from datetime import UTC, datetime

import pytest

from credplugin.authoring import requirements
from credplugin.exceptions import CredPluginError, PermanentIssuanceError
from credplugin.issuing import composition
from credplugin.models import IssuanceRequest
from tests.factories import BadgeClassFactory, BadgeRequirementFactory, learner_meeting

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 1, 31, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("months", "expected"),
    [(1, datetime(2026, 2, 28, 12, tzinfo=UTC)), (13, datetime(2027, 2, 28, 12, tzinfo=UTC))],
)
def test_months_are_added_on_the_calendar_clamping_the_day(months, expected):
    assert composition.add_months(NOW, months) == expected
    assert composition.add_months(datetime(2028, 1, 31, tzinfo=UTC), 1).day == 29


def compose_for(requirement, user, **badge_changes):
    for name, value in badge_changes.items():
        setattr(requirement.badge_class, name, value)
    request = IssuanceRequest(user=user, badge_class=requirement.badge_class)
    needed = requirements.active_requirements(requirement.badge_class)
    results = requirements.latest_results([user.id], [r.usage_key for r in needed])
    return composition.compose(
        request, needed, results, badge_uuid="0" * 32, sequence=1, index=4, now=NOW
    )


def test_expiry_hours_and_status_come_from_the_badge_class():
    requirement = BadgeRequirementFactory()
    user = learner_meeting(requirement)
    credential = compose_for(requirement, user, validity_months=6, hours=3)
    assert credential["validUntil"] == "2026-07-31T12:00:00Z"
    assert credential["credentialSubject"]["creditsEarned"] == 3
    assert credential["credentialStatus"]["statusListIndex"] == "4"
    forever = compose_for(requirement, user, validity_months=None, hours=None)
    assert "validUntil" not in forever and "creditsEarned" not in forever["credentialSubject"]


def test_an_alignment_without_a_url_is_left_out_as_ob3_requires_target_url():
    requirement = BadgeRequirementFactory()
    user = learner_meeting(requirement)
    credential = compose_for(
        requirement, user, alignments=[{"name": "Unlinked", "framework": "", "code": "", "url": ""}]
    )
    names = [a["targetName"] for a in credential["credentialSubject"]["achievement"]["alignment"]]
    assert "Unlinked" not in names and "Design competency" in names


def test_the_credential_is_written_in_the_badge_language():
    requirement = BadgeRequirementFactory()
    user = learner_meeting(requirement)
    credential = compose_for(requirement, user, language="en")
    assert credential["credentialSubject"]["achievement"]["inLanguage"] == "en"
    narratives = {e.get("narrative") for e in credential["evidence"]}
    assert "A project judged against a published rubric." in narratives


def test_a_learner_who_no_longer_meets_the_badge_gets_no_credential():
    requirement = BadgeRequirementFactory(pass_rule={"min_percent": 90})
    user = learner_meeting(requirement)
    with pytest.raises(PermanentIssuanceError, match="no longer meets"):
        compose_for(requirement, user)


def test_preview_needs_an_active_requirement():
    with pytest.raises(CredPluginError, match="no active requirement"):
        composition.preview(BadgeClassFactory(), now=NOW)


def test_the_credential_is_plain_json_data_all_the_way_down():
    """Only exact JSON types: a ``str`` subclass (a model choice) would survive ``json`` but
    sends the signer's copy down the deepcopy path, and tells of a leak from the models."""
    requirement = BadgeRequirementFactory()
    credential = compose_for(requirement, learner_meeting(requirement), validity_months=6)
    leaks = []

    def walk(value, path):
        if type(value) is dict:
            for key, item in value.items():
                walk(key, f"{path} key")
                walk(item, f"{path}.{key}")
        elif type(value) is list:
            for number, item in enumerate(value):
                walk(item, f"{path}[{number}]")
        elif type(value) not in (str, int, float, bool, type(None)):
            leaks.append(f"{path}: {type(value).__name__}")

    walk(credential, "$")
    assert leaks == []


def test_credentials_sharing_their_batch_parts_equal_those_composed_alone():
    requirement = BadgeRequirementFactory(assessment_methods=["project_rubric", "mentor_review"])
    learners = [
        learner_meeting(requirement, scores={"ethics_scenarios": 0.5}),
        learner_meeting(requirement, scores={"ethics_scenarios": 0.75, "reflection": 1}),
        learner_meeting(requirement),
    ]
    needed = requirements.active_requirements(requirement.badge_class)
    results = requirements.latest_results([u.id for u in learners], [r.usage_key for r in needed])
    parts = composition.BatchParts()

    def compose(user, **shared):
        request = IssuanceRequest(user=user, badge_class=requirement.badge_class)
        document = composition.compose(
            request, needed, results, badge_uuid="0" * 32, sequence=1, index=4, now=NOW, **shared
        )
        del document["credentialSubject"]["identifier"]  # hashed with a random salt
        return document

    for user in learners:
        assert compose(user, parts=parts) == compose(user)
    achievements = [
        compose(user, parts=parts)["credentialSubject"]["achievement"] for user in learners
    ]
    assert achievements[0] != achievements[1]  # their scores are described, the parts told apart
