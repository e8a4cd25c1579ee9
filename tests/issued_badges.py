"""Badges issued by the real pipeline (eager Celery, on-commit callbacks run) for tests of
what sits on top of it: views, admin, browser pages."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from credplugin import api
from credplugin.models import IssuedBadge
from tests.factories import (
    COURSE_KEY,
    UserFactory,
    badge_description,
    criterion_levels,
    rubric_definition,
    usage_key_for,
)

PROJECT = usage_key_for(COURSE_KEY, "project")
EVIDENCE = [
    {
        "name": "Capstone repository",
        "description": "The learner's model card and impact analysis.",
        "url": "https://example.org/capstone",
        "genre": "project artifact",
    }
]


def register_capstone():
    """Register the capstone project's badge requirement (with its rubric) through the API."""
    return api.register_badge_requirement(
        course_key=str(COURSE_KEY),
        usage_key=str(PROJECT),
        title="Capstone project",
        badge=badge_description(),
        rubric=rubric_definition(),
        pass_rule={},
        assessment_methods=["project_rubric", "mentor_review"],
    )


def pass_capstone(learner, rubric_hash, *, criterion_levels, points_earned, evidence, feedback):
    """Record the learner's passed capstone judgement, then the course passing: the two
    events that make the pipeline issue the badge."""
    api.record_assessment_result(
        user_id=learner.id,
        course_key=str(COURSE_KEY),
        usage_key=str(PROJECT),
        rubric_hash=rubric_hash,
        criterion_levels=criterion_levels,
        scores={"ethics_scenarios": 0.8},
        points_earned=points_earned,
        points_possible=6,
        passed=True,
        evidence=evidence,
        assessment_methods=["project_rubric", "mentor_review"],
        feedback=feedback,
        reviewer_id=None,
    )
    api.course_passing_status_changed(
        user_id=learner.id, course_key=str(COURSE_KEY), is_passing=True
    )


@pytest.fixture
def badge_setup(db, django_capture_on_commit_callbacks):
    """A signing key and a registered badge requirement with a rubric."""
    call_command("credplugin_keys", "generate", verbosity=0)
    return register_capstone()


@pytest.fixture
def earn(badge_setup, django_capture_on_commit_callbacks):
    """``earn(username, issued_at=None, **user_fields)`` issues the badge to a new learner.

    ``issued_at`` runs the whole pipeline at that moment (the clock is patched), so a badge
    issued three years ago with a two-year validity is genuinely expired today.
    """

    def earn_badge(username="ada", issued_at=None, **user_fields):
        learner = UserFactory(username=username, **user_fields)
        with pytest.MonkeyPatch.context() as patch:
            if issued_at is not None:
                patch.setattr(timezone, "now", lambda: issued_at)
            _issue(learner)
        return IssuedBadge.objects.select_related("user", "badge_class").get(user=learner)

    def _issue(learner):
        with django_capture_on_commit_callbacks(execute=True):
            pass_capstone(
                learner,
                badge_setup["rubric_hash"],
                criterion_levels=criterion_levels(level_id="expert"),
                points_earned=6,
                evidence=EVIDENCE,
                feedback="Thorough.",
            )

    return earn_badge
