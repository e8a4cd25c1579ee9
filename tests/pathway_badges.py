"""Pathway fixtures: component badges issued through the real pipeline, and a pathway badge
class to require them."""

import pytest
from django.utils import timezone
from opaque_keys.edx.keys import CourseKey

from credplugin.issuing import issuance
from credplugin.models import IssuanceRequest, IssuedBadge
from tests.factories import (
    COURSE_KEY,
    BadgeClassFactory,
    BadgeRequirementFactory,
    IssuerKeyFactory,
    learner_meeting,
)

OTHER_COURSE = "course-v1:edX+Other+2026"


@pytest.fixture
def components():
    """Three component badges (two courses), each earned by one assessment block."""
    IssuerKeyFactory()
    made = []
    for n, url in enumerate(
        ["https://example.org/c/data", "https://example.org/c/model", "https://example.org/c/eth"]
    ):
        requirement = BadgeRequirementFactory(
            badge_class=BadgeClassFactory(
                name=f"Component {n}",
                slug=f"component-{n}",
                course_key=CourseKey.from_string(OTHER_COURSE if n == 2 else str(COURSE_KEY)),
                alignments=[{"name": f"Skill {n}", "url": url, "code": "", "framework": ""}],
            )
        )
        made.append(requirement)
    return made


@pytest.fixture
def pathway_class():
    return BadgeClassFactory(
        name="AI Champion", slug="ai-champion", achievement_type="Certificate", alignments=[]
    )


@pytest.fixture
def award(django_capture_on_commit_callbacks):
    """``award(user, requirement, at=None)``: issue that component to the learner through the
    real pipeline (on-commit callbacks, eager tasks), at a chosen moment."""

    def award_component(user, requirement, at=None):
        learner_meeting(requirement, user=user)
        generation = (
            1
            + IssuanceRequest.objects.filter(user=user, badge_class=requirement.badge_class).count()
        )
        request = IssuanceRequest.objects.create(
            user=user, badge_class=requirement.badge_class, generation=generation
        )
        with pytest.MonkeyPatch.context() as patch:
            if at is not None:
                patch.setattr(timezone, "now", lambda: at)
            with django_capture_on_commit_callbacks(execute=True):
                assert issuance.issue_requests([request.pk]) == {request.pk: issuance.ISSUED}
        return IssuedBadge.objects.get(request=request)

    return award_component
