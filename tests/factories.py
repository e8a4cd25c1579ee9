"""factory_boy factories for credplugin's models and the dictionaries its API takes.

Other test modules reuse these; keep defaults valid so a bare ``Factory()`` is always usable.
"""

import uuid
from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from opaque_keys.edx.keys import CourseKey

from credplugin import models
from credplugin.authoring.requirements import catalog_course, rubric_hash

COURSE_KEY = CourseKey.from_string("course-v1:credplugin+ethics+2026")


def usage_key_for(course_key, block_id):
    return course_key.make_usage_key("credplugin_project", block_id)


def rubric_definition(criteria=("design", "ethics")):
    """A valid rubric with three levels per criterion, "proficient" required."""
    return {
        "criteria": [
            {
                "id": criterion,
                "name": criterion.title(),
                "description": f"How well the learner handles {criterion}.",
                "competency": {
                    "name": f"{criterion.title()} competency",
                    "framework": "credplugin demo framework",
                    "code": criterion.upper(),
                    "url": f"https://example.org/competencies/{criterion}",
                },
                "levels": [
                    {"id": "novice", "name": "Novice", "description": "", "points": 0},
                    {"id": "proficient", "name": "Proficient", "description": "", "points": 2},
                    {"id": "expert", "name": "Expert", "description": "", "points": 3},
                ],
                "required_level": "proficient",
            }
            for criterion in criteria
        ]
    }


def badge_description(slug="ethical-ai-practitioner", **overrides):
    description = {
        "slug": slug,
        "name": "Ethical AI Practitioner",
        "description": "Designs and reviews AI systems with their impact in mind.",
        "image_url": "https://example.org/badge.png",
        "criteria_narrative": "Pass the project and the ethics case study.",
        "achievement_type": "MicroCredential",
        "hours": 12.5,
        "validity_months": 24,
        "alignments": [
            {
                "name": "Responsible AI",
                "framework": "credplugin demo framework",
                "code": "RAI",
                "url": "https://example.org/competencies/rai",
            }
        ],
        "tags": ["ai", "ethics"],
        "language": "en",
    }
    description.update(overrides)
    return description


def criterion_levels(rubric=None, level_id="proficient"):
    rubric = rubric or rubric_definition()
    points = {"novice": 0, "proficient": 2, "expert": 3}
    return [
        {
            "criterion_id": criterion["id"],
            "criterion": criterion["name"],
            "level_id": level_id,
            "level": level_id.title(),
            "points": points[level_id],
            "required_level_id": criterion["required_level"],
            "met": points[level_id] >= points[criterion["required_level"]],
        }
        for criterion in rubric["criteria"]
    ]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"learner{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    first_name = "Ada"
    last_name = factory.Sequence(lambda n: f"Learner {n}")


class RubricSnapshotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.RubricSnapshot
        django_get_or_create = ("content_hash",)

    definition = factory.LazyFunction(rubric_definition)
    content_hash = factory.LazyAttribute(lambda snapshot: rubric_hash(snapshot.definition))


class BadgeClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.BadgeClass

    course_key = COURSE_KEY
    catalog_course = factory.LazyAttribute(lambda badge: catalog_course(badge.course_key))
    uuid = factory.LazyFunction(uuid.uuid4)
    achievement_uuid = factory.SelfAttribute("uuid")
    slug = factory.Sequence(lambda n: f"badge-{n}")
    name = "Ethical AI Practitioner"
    description = "Designs and reviews AI systems with their impact in mind."
    image_url = "https://example.org/badge.png"
    criteria_narrative = "Pass the project and the ethics case study."
    achievement_type = "MicroCredential"
    hours = 12
    validity_months = 24
    alignments = factory.LazyFunction(lambda: badge_description()["alignments"])


class BadgeRequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.BadgeRequirement

    badge_class = factory.SubFactory(BadgeClassFactory)
    usage_key = factory.Sequence(lambda n: usage_key_for(COURSE_KEY, f"project{n}"))
    title = "Capstone project"
    rubric = factory.SubFactory(RubricSnapshotFactory)
    pass_rule = factory.LazyFunction(dict)
    assessment_methods = factory.LazyFunction(lambda: ["project_rubric", "mentor_review"])


class AssessmentResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.AssessmentResult

    user = factory.SubFactory(UserFactory)
    course_key = COURSE_KEY
    usage_key = factory.Sequence(lambda n: usage_key_for(COURSE_KEY, f"project{n}"))
    rubric = factory.SubFactory(RubricSnapshotFactory)
    criterion_levels = factory.LazyAttribute(lambda r: criterion_levels(r.rubric.definition))
    scores = factory.LazyFunction(lambda: {"ethics_scenarios": 0.8})
    points_earned = 4
    points_possible = 6
    passed = True
    evidence = factory.LazyFunction(
        lambda: [
            {
                "name": "Capstone repository",
                "description": "The learner's project",
                "url": "https://example.org/project",
                "genre": "project artifact",
            }
        ]
    )
    assessment_methods = factory.LazyFunction(lambda: ["project_rubric", "mentor_review"])
    feedback = "Thorough impact analysis."


class CoursePassingRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CoursePassingRecord

    user = factory.SubFactory(UserFactory)
    course_key = COURSE_KEY
    is_passing = True


class IssuerKeyFactory(factory.django.DjangoModelFactory):
    """An active database key, encrypted like ``credplugin_keys generate`` stores it."""

    class Meta:
        model = models.IssuerKey

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from credplugin.issuer import keys  # noqa: PLC0415  (needs settings)

        return keys.generate(rotate=True)


def learner_meeting(requirement, user=None, **result_fields):
    """A learner with a passing result for ``requirement`` (not yet passing the course)."""
    user = user or UserFactory()
    AssessmentResultFactory(user=user, usage_key=requirement.usage_key, **result_fields)
    return user


def held_elsewhere(request, *, seconds=60, attempt="another-attempt"):
    """Give ``request`` a lease that ``attempt``, alive, holds for ``seconds`` more."""
    lease_until = timezone.now() + timedelta(seconds=seconds)
    models.IssuanceRequest.objects.filter(pk=request.pk).update(
        claimed_by=attempt, lease_until=lease_until
    )
    request.refresh_from_db()
    return request
