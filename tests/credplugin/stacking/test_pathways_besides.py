"""A pathway badge class that assessment blocks also feed: awarded once both the component rule
and the blocks are met, whichever is met last, and its credential carries both."""

import pytest

from credplugin import api
from credplugin.issuing import backfill, issuance
from credplugin.models import CoursePassingRecord, IssuanceRequest, IssuedBadge
from credplugin.openbadges.verify import verify_credential
from credplugin.stacking import pathways
from tests.factories import (
    BadgeRequirementFactory,
    CoursePassingRecordFactory,
    UserFactory,
    learner_meeting,
    usage_key_for,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def capstone(pathway_class, components):
    """The pathway of the first two components, whose badge also needs a capstone block."""
    pathways.save_pathway(
        badge_class=pathway_class, components=[c.badge_class.uuid for c in components[:2]]
    )
    return BadgeRequirementFactory(
        badge_class=pathway_class,
        usage_key=usage_key_for(pathway_class.course_key, "capstone"),
        title="Pathway capstone",
    )


@pytest.fixture
def pass_capstone(django_capture_on_commit_callbacks):
    """``pass_capstone(user, requirement)``: the learner passes the block and the course; the
    evaluation that follows runs, and what it queues is issued."""

    def passed(user, requirement, **result_fields):
        learner_meeting(requirement, user=user, **result_fields)
        CoursePassingRecord.objects.update_or_create(
            user=user, course_key=requirement.badge_class.course_key, defaults={"is_passing": True}
        )
        with django_capture_on_commit_callbacks(execute=True):
            return api.evaluate(user.id, str(requirement.badge_class.course_key))

    return passed


def pathway_badges(user, pathway_class):
    return list(IssuedBadge.objects.filter(user=user, badge_class=pathway_class))


def test_a_pathway_class_with_blocks_is_accepted(capstone, pathway_class):
    assert pathways.rule_of(pathway_class) is not None
    assert pathway_class.requirements.filter(active=True).count() == 1


def test_the_blocks_met_last_award_the_badge_once(
    capstone, pathway_class, components, award, pass_capstone
):
    user = UserFactory()
    award(user, components[0])
    award(user, components[1])
    assert pathway_badges(user, pathway_class) == []  # the capstone is still missing
    outcome = pass_capstone(user, capstone)
    assert (pathway_class.slug, "requested") in outcome
    [badge] = pathway_badges(user, pathway_class)
    assert pass_capstone(user, capstone) == []  # evaluated again: nothing more
    assert IssuanceRequest.objects.filter(user=user, badge_class=pathway_class).count() == 1
    report = verify_credential(badge.credential, resolve=issuance.resolve_for_verification)
    assert report.verified, report.checks


def test_the_last_component_awards_the_badge_once_the_blocks_are_met(
    capstone, pathway_class, components, award, pass_capstone
):
    user = UserFactory()
    award(user, components[0])
    assert pass_capstone(user, capstone) == []  # components incomplete: no award yet
    assert pathway_badges(user, pathway_class) == []
    award(user, components[1])
    assert len(pathway_badges(user, pathway_class)) == 1
    assert IssuanceRequest.objects.filter(user=user, badge_class=pathway_class).count() == 1


def test_complete_components_without_the_blocks_award_nothing(
    capstone, pathway_class, components, award, pass_capstone
):
    user = UserFactory()
    award(user, components[0])
    award(user, components[1])
    pass_capstone(user, capstone, passed=False)
    assert pathway_badges(user, pathway_class) == []
    # Passing the block without passing the course is not enough either.
    other = UserFactory()
    learner_meeting(capstone, user=other)
    award(other, components[0])
    award(other, components[1])
    assert pathway_badges(other, pathway_class) == []


def test_the_credential_carries_the_components_and_the_blocks(
    capstone, pathway_class, components, award, pass_capstone
):
    user = UserFactory()
    earned = [award(user, component) for component in components[:2]]
    pass_capstone(user, capstone)
    [badge] = pathway_badges(user, pathway_class)
    credential = badge.credential
    genres = [item.get("genre") for item in credential["evidence"]]
    assert genres[:2] == ["Component badge", "Component badge"]
    assert [item["id"] for item in credential["evidence"][:2]] == [
        component.credential["id"] for component in earned
    ]
    assert "Assessment method" in genres[2:]
    achievement = credential["credentialSubject"]["achievement"]
    urls = {alignment["targetUrl"] for alignment in achievement["alignment"]}
    assert {"https://example.org/c/data", "https://example.org/c/model"} <= urls
    rubric_alignments = {
        alignment["targetUrl"]
        for description in achievement["resultDescription"]
        for alignment in description.get("alignment", [])
    }
    assert rubric_alignments and rubric_alignments <= urls
    assert credential["credentialSubject"]["result"]


def test_a_pathway_without_blocks_still_ignores_its_course(pathway_class, components):
    pathways.save_pathway(
        badge_class=pathway_class, components=[c.badge_class.uuid for c in components]
    )
    user = UserFactory()
    CoursePassingRecordFactory(user=user, course_key=pathway_class.course_key)
    assert api.evaluate(user.id, str(pathway_class.course_key)) == []
    assert not IssuanceRequest.objects.filter(badge_class=pathway_class).exists()


def test_a_backfill_dry_run_counts_the_pathway_badge_its_blocks_would_award(
    capstone, pathway_class, components, award
):
    ready, incomplete = UserFactory(), UserFactory()
    award(ready, components[1])
    for user in (ready, incomplete):
        award(user, components[0])
        learner_meeting(capstone, user=user)
        # Passed before the badge existed: no evaluation has run since.
        CoursePassingRecordFactory(user=user, course_key=pathway_class.course_key)

    counts = backfill.backfill(str(pathway_class.course_key), dry_run=True)

    assert (counts["requested"], counts["unchanged"]) == (1, 1)
    assert not IssuanceRequest.objects.filter(badge_class=pathway_class).exists()
    assert backfill.backfill(str(pathway_class.course_key)) == counts
