"""Badge requirements, rubric snapshots and assessment results through ``credplugin.api``."""

import attr
import pytest

from credplugin import api
from credplugin.authoring.requirements import latest_results, requirements_met
from credplugin.models import AssessmentResult, BadgeClass, BadgeRequirement, RubricSnapshot
from tests.factories import (
    COURSE_KEY,
    AssessmentResultFactory,
    BadgeRequirementFactory,
    UserFactory,
    badge_description,
    criterion_levels,
    rubric_definition,
    usage_key_for,
)

pytestmark = pytest.mark.django_db
PROJECT = usage_key_for(COURSE_KEY, "project")
ETHICS = usage_key_for(COURSE_KEY, "ethics")
OMITTED = object()  # a keyword ``record`` leaves out


def register(usage_key=PROJECT, **overrides):
    arguments = {
        "course_key": str(COURSE_KEY),
        "usage_key": str(usage_key),
        "title": "Capstone project",
        "badge": badge_description(),
        "rubric": rubric_definition(),
        "pass_rule": {"min_percent": 50},
        "assessment_methods": ["project_rubric", "mentor_review"],
    }
    arguments.update(overrides)
    return api.register_badge_requirement(**arguments)


def record(user, usage_key=PROJECT, rubric_hash=None, **overrides):
    arguments = {
        "user_id": user.id,
        "course_key": COURSE_KEY,
        "usage_key": usage_key,
        "rubric_hash": rubric_hash,
        "criterion_levels": criterion_levels() if rubric_hash else [],
        "scores": {"ethics_scenarios": 0.75},
        "points_earned": 4,
        "points_possible": 6,
        "passed": True,
        "evidence": [{"name": "Repo", "description": "", "url": "https://example.org/r"}],
        "assessment_methods": ["project_rubric"],
        "feedback": "Good",
        "reviewer_id": None,
    }
    arguments.update(overrides)
    return api.record_assessment_result(
        **{name: value for name, value in arguments.items() if value is not OMITTED}
    )


def test_snapshot_is_stored_once_per_content():
    first = api.snapshot_rubric(rubric_definition())
    second = api.snapshot_rubric(rubric_definition())
    assert first == second and len(first) == 64
    assert RubricSnapshot.objects.count() == 1
    assert api.snapshot_rubric(rubric_definition(criteria=("design",))) != first


def test_registering_creates_badge_and_requirement_and_blocks_sharing_a_slug_share_a_badge():
    first = register()
    second = register(usage_key=ETHICS, rubric=None, badge=badge_description(name="Renamed"))
    assert first["badge_uuid"] == second["badge_uuid"]
    assert second["rubric_hash"] is None
    badge_class = BadgeClass.objects.get()
    assert badge_class.name == "Renamed"
    assert badge_class.requirements.filter(active=True).count() == 2


def test_saving_a_block_again_updates_its_requirement_and_revives_a_retired_one():
    register()
    assert api.retire_requirement(PROJECT) is True
    assert api.retire_requirement(PROJECT) is False
    register(pass_rule={"all_criteria_met": True})
    requirement = BadgeRequirement.objects.get(usage_key=PROJECT)
    assert requirement.active and requirement.retired_at is None
    assert requirement.pass_rule == {"all_criteria_met": True}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"badge": badge_description(slug="not a slug")}, "badge.slug"),
        ({"badge": badge_description(name="")}, "badge.name is required"),
        ({"badge": badge_description(achievement_type="Trophy")}, "not an OB 3.0 type"),
        ({"badge": badge_description(validity_months=0)}, "validity_months"),
        ({"badge": badge_description(image_url="ftp://x")}, "image_url"),
        ({"pass_rule": {"min_score": 3}}, "unknown key"),
        ({"assessment_methods": ["guessing"]}, "Unknown assessment method"),
        ({"course_key": "not a key"}, "not a course key"),
        ({"rubric": {"criteria": []}}, "no criteria"),
    ],
)
def test_bad_registration_is_refused_and_changes_nothing(overrides, message):
    with pytest.raises(api.InvalidInput, match=message):
        register(**overrides)
    assert not BadgeClass.objects.exists()
    assert not RubricSnapshot.objects.exists()


def test_rubric_required_level_must_be_one_of_its_levels():
    rubric = rubric_definition()
    rubric["criteria"][0]["required_level"] = "wizard"
    with pytest.raises(api.InvalidInput, match="required_level"):
        api.snapshot_rubric(rubric)


def test_result_is_checked_against_its_rubric_snapshot():
    user = UserFactory()
    rubric_hash = register()["rubric_hash"]
    result_uuid = record(user, rubric_hash=rubric_hash)
    stored = AssessmentResult.objects.get(uuid=result_uuid)
    assert stored.rubric.content_hash == rubric_hash
    assert stored.criterion_levels[0]["level_id"] == "proficient"
    bad_levels = criterion_levels()
    bad_levels[0]["level_id"] = "wizard"
    with pytest.raises(api.InvalidInput, match="no level 'wizard'"):
        record(user, rubric_hash=rubric_hash, criterion_levels=bad_levels)
    with pytest.raises(api.NotFound, match="rubric snapshot"):
        record(user, rubric_hash="0" * 64)
    with pytest.raises(api.InvalidInput, match="more than points_possible"):
        record(user, points_earned=7)
    with pytest.raises(api.NotFound, match="No user"):
        record(user, user_id=user.id + 999)
    assert AssessmentResult.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "named"),
    [({"reviewer_id": OMITTED}, "reviewer_id"), ({"grade": "A"}, "grade")],
)
def test_a_missing_or_unknown_result_keyword_is_refused_by_name(change, named):
    with pytest.raises(TypeError, match=named):
        record(UserFactory(), **change)
    assert not AssessmentResult.objects.exists()


def test_the_api_documents_every_field_of_a_judged_attempt():
    fields = [field.name for field in attr.fields(api.JudgedAttempt)]
    assert len(fields) == 13
    assert all(f"``{name}``" in api.record_assessment_result.__doc__ for name in fields)


def test_requirements_are_met_only_by_the_newest_result_that_passes_the_rule():
    user = UserFactory()
    requirement = BadgeRequirementFactory(pass_rule={"min_percent": 60})
    AssessmentResultFactory(user=user, usage_key=requirement.usage_key, points_earned=5)
    assert requirements_met(requirement.badge_class, user.id)[0]
    AssessmentResultFactory(user=user, usage_key=requirement.usage_key, points_earned=3)
    assert not requirements_met(requirement.badge_class, user.id)[0]


def test_a_badge_whose_blocks_were_all_deleted_is_never_met():
    user = UserFactory()
    requirement = BadgeRequirementFactory()
    AssessmentResultFactory(user=user, usage_key=requirement.usage_key)
    api.retire_requirement(requirement.usage_key)
    assert requirements_met(requirement.badge_class, user.id) == (False, [])


def test_all_criteria_rule_needs_every_required_level():
    user = UserFactory()
    requirement = BadgeRequirementFactory(pass_rule={"all_criteria_met": True})
    AssessmentResultFactory(
        user=user,
        usage_key=requirement.usage_key,
        criterion_levels=criterion_levels(level_id="novice"),
    )
    assert not requirements_met(requirement.badge_class, user.id)[0]


def test_latest_results_of_a_batch_share_each_rubric_snapshot_in_two_queries(
    django_assert_num_queries,
):
    requirement = BadgeRequirementFactory()
    learners = [UserFactory() for _ in range(5)]
    for user in learners:
        AssessmentResultFactory(
            user=user, usage_key=requirement.usage_key, rubric=requirement.rubric
        )
    with django_assert_num_queries(2):
        results = latest_results([user.id for user in learners], [requirement.usage_key])
        snapshots = {id(result.rubric) for result in results.values()}
    assert len(results) == 5 and len(snapshots) == 1
    assert next(iter(results.values())).rubric.content_hash == requirement.rubric.content_hash


def test_the_author_colours_are_stored_on_the_badge_class_and_bad_ones_change_nothing():
    uuid = register(badge=badge_description(colour="#0B4F8A", accent_colour="#fc0"))["badge_uuid"]
    badge_class = BadgeClass.objects.get(uuid=uuid)
    assert (badge_class.colour, badge_class.accent_colour) == ("#0b4f8a", "#ffcc00")
    with pytest.raises(api.InvalidInput, match="badge.accent_colour"):
        register(badge=badge_description(name="Renamed", accent_colour="gold"))
    badge_class.refresh_from_db()
    assert (badge_class.name, badge_class.accent_colour) == ("Ethical AI Practitioner", "#ffcc00")
    assert api.validate_colour("#ABC") == "#aabbcc"
