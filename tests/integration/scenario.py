"""One course with one badge and many learners who passed its assessment, set up through the API.

Shared by the integration tests and ``bench/pipeline.py``. The badge, its requirement and one
learner's result go through ``credplugin.api`` exactly as the XBlocks call it; the other
learners' results are copies of that stored result (only the learner differs), written in bulk
so that setting up 100,000 learners takes seconds, not the length of the run being measured.
"""

import uuid

from django.contrib.auth import get_user_model
from django.db.models import Count
from opaque_keys.edx.keys import CourseKey

from credplugin import api
from credplugin.models import AssessmentResult, BadgeClass, IssuanceRequest, IssuedBadge
from tests.factories import badge_description, criterion_levels, rubric_definition

BULK_SIZE = 2000


def course_key_for(name):
    return CourseKey.from_string(f"course-v1:credplugin+{name}+2026")


def register_course_badge(course_key):
    """The project block of ``course_key`` and the badge it feeds. Returns ``(badge, block)``."""
    usage_key = course_key.make_usage_key("credplugin_project", "capstone")
    registered = api.register_badge_requirement(
        course_key=course_key,
        usage_key=usage_key,
        title="Capstone project",
        badge=badge_description(),
        rubric=rubric_definition(),
        pass_rule={"all_criteria_met": True},
        assessment_methods=["project_rubric", "mentor_review"],
    )
    return BadgeClass.objects.get(uuid=registered["badge_uuid"]), usage_key, registered


def create_learners(count, prefix):
    """``count`` users named ``<prefix>-<n>``, created in bulk; returned in id order."""
    model = get_user_model()
    for start in range(0, count, BULK_SIZE):
        model.objects.bulk_create(
            model(username=f"{prefix}-{n}", email=f"{prefix}-{n}@example.org")
            for n in range(start, min(count, start + BULK_SIZE))
        )
    return list(model.objects.filter(username__startswith=f"{prefix}-").order_by("id"))


def record_passing_results(learners, course_key, usage_key, rubric_hash):
    """Every learner passed the block: the first through the API, the rest as copies."""
    rubric = rubric_definition()
    first = api.record_assessment_result(
        user_id=learners[0].id,
        course_key=course_key,
        usage_key=usage_key,
        rubric_hash=rubric_hash,
        criterion_levels=criterion_levels(rubric),
        scores={"project": 1.0},
        points_earned=4,
        points_possible=6,
        passed=True,
        evidence=[
            {
                "name": "Capstone repository",
                "description": "The learner's project.",
                "url": "https://example.org/projects/capstone",
                "genre": "Project",
            }
        ],
        assessment_methods=["project_rubric", "mentor_review"],
        feedback="Solid work.",
        reviewer_id=None,
    )
    template = AssessmentResult.objects.get(uuid=first)
    fields = {
        field.attname: getattr(template, field.attname)
        for field in AssessmentResult._meta.concrete_fields
        if field.attname not in ("id", "uuid", "user_id", "created")
    }
    for start in range(1, len(learners), BULK_SIZE):
        AssessmentResult.objects.bulk_create(
            AssessmentResult(uuid=uuid.uuid4(), user_id=learner.id, **fields)
            for learner in learners[start : start + BULK_SIZE]
        )


def passing_course(learner_count, name):
    """A course whose ``learner_count`` learners all passed the badge's assessment."""
    course_key = course_key_for(name)
    badge_class, usage_key, registered = register_course_badge(course_key)
    learners = create_learners(learner_count, prefix=name)
    record_passing_results(learners, course_key, usage_key, registered["rubric_hash"])
    return course_key, badge_class, learners


def duplicate_badges(badge_class):
    """Issued badges beyond the first per learner and generation (must always be 0)."""
    per_award = (
        IssuedBadge.objects.filter(badge_class=badge_class)
        .values("user_id", "generation")
        .annotate(copies=Count("id"))
        .filter(copies__gt=1)
    )
    return sum(row["copies"] - 1 for row in per_award)


def request_statuses(badge_class):
    """``{status: count}`` of the badge's issuance requests, for readable assertion messages."""
    rows = (
        IssuanceRequest.objects.filter(badge_class=badge_class)
        .values_list("status")
        .annotate(count=Count("id"))
    )
    return dict(rows)
