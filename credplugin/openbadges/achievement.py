"""What a badge is: the issuer ``Profile`` and the ``Achievement`` with its competencies.

These are frozen attrs classes in the OB 3.0 vocabulary (one Python attribute per OB property,
snake_case). ``to_json()`` writes the JSON-LD object with ``type`` on every object and lists
wherever the 1EdTech JSON schema wants arrays.
"""

import attr

from credplugin.openbadges.serialize import compact, json_list

ACHIEVEMENT_TYPES = frozenset(
    {
        "Achievement", "ApprenticeshipCertificate", "Assessment", "Assignment",
        "AssociateDegree", "Award", "Badge", "BachelorDegree", "Certificate",
        "CertificateOfCompletion", "Certification", "CommunityService", "Competency", "Course",
        "CoCurricular", "Degree", "Diploma", "DoctoralDegree", "Fieldwork",
        "GeneralEducationDevelopment", "JourneymanCertificate", "LearningProgram", "License",
        "Membership",
        "ProfessionalDoctorate", "QualityAssuranceCredential", "MasterCertificate", "MasterDegree",
        "MicroCredential", "ResearchDoctorate", "SecondarySchoolDiploma",
    }
)  # fmt: skip


def is_achievement_type(value):
    """Whether ``value`` is an OB 3.0 ``achievementType``: the vocabulary, or an ``ext:`` name."""
    return value in ACHIEVEMENT_TYPES or value.startswith("ext:")


def _achievement_type(instance, attribute, value):
    if not is_achievement_type(value):
        raise ValueError(f"achievementType {value!r} is not an OB 3.0 type (or ext:…)")


@attr.s(frozen=True)
class Image:
    """
    An image by URL or data URI.

    Attributes:
        id (str): the image URL or ``data:`` URI.
        caption (str): optional text alternative.
    """

    id = attr.ib(type=str)
    caption = attr.ib(type=str, default=None)

    def to_json(self) -> dict:
        return compact({"id": self.id, "type": "Image", "caption": self.caption})


@attr.s(frozen=True)
class Profile:
    """
    The issuer: the organization running the Open edX site.

    Attributes:
        id (str): the issuer's DID; it must control the signing key.
        name (str): display name.
        url (str): home page.
        email (str): contact address.
        description (str): what the organization is.
        image (Image): logo.
    """

    id = attr.ib(type=str)
    name = attr.ib(type=str)
    url = attr.ib(type=str, default=None)
    email = attr.ib(type=str, default=None)
    description = attr.ib(type=str, default=None)
    image = attr.ib(type=Image, default=None)

    def to_json(self) -> dict:
        return compact(
            {
                "id": self.id,
                "type": ["Profile"],
                "name": self.name,
                "url": self.url,
                "email": self.email,
                "description": self.description,
                "image": self.image and self.image.to_json(),
            }
        )


@attr.s(frozen=True)
class Alignment:
    """
    A competency, standard or framework item the achievement (or a rubric part) maps to.

    Attributes:
        target_name (str): the competency's name.
        target_url (str): where the competency is described.
        target_code (str): its code in the framework.
        target_framework (str): the framework's name.
        target_description (str): a short description.
        target_type (str): e.g. ``ceasn:Competency``, ``CFItem``, or ``ext:…``.
    """

    target_name = attr.ib(type=str)
    target_url = attr.ib(type=str)
    target_code = attr.ib(type=str, default=None)
    target_framework = attr.ib(type=str, default=None)
    target_description = attr.ib(type=str, default=None)
    target_type = attr.ib(type=str, default=None)

    def to_json(self) -> dict:
        return compact(
            {
                "type": ["Alignment"],
                "targetName": self.target_name,
                "targetUrl": self.target_url,
                "targetCode": self.target_code,
                "targetFramework": self.target_framework,
                "targetDescription": self.target_description,
                "targetType": self.target_type,
            }
        )


@attr.s(frozen=True)
class Criteria:
    """
    How the achievement is earned.

    Attributes:
        narrative (str): the requirements in words (Markdown allowed).
        id (str): a URL describing the criteria.
    """

    narrative = attr.ib(type=str, default=None)
    id = attr.ib(type=str, default=None)

    def to_json(self) -> dict:
        return compact({"id": self.id, "narrative": self.narrative})


@attr.s(frozen=True)
class RubricCriterionLevel:
    """
    One level of one rubric criterion (e.g. "Proficient").

    Attributes:
        id (str): a stable IRI for the level; results refer to it in ``achievedLevel``.
        name (str): the level's name.
        level (str): its rank or label in the rubric.
        description (str): what work at this level looks like.
        points (str): points the level is worth, as text.
        alignments (tuple[Alignment]): competencies this level evidences.
    """

    id = attr.ib(type=str)
    name = attr.ib(type=str)
    level = attr.ib(type=str, default=None)
    description = attr.ib(type=str, default=None)
    points = attr.ib(type=str, default=None)
    alignments = attr.ib(type=tuple, default=(), converter=tuple)

    def to_json(self) -> dict:
        return compact(
            {
                "id": self.id,
                "type": ["RubricCriterionLevel"],
                "name": self.name,
                "level": self.level,
                "description": self.description,
                "points": self.points,
                "alignment": json_list(self.alignments),
            }
        )


@attr.s(frozen=True)
class ResultDescription:
    """
    One assessed part of the achievement: a rubric criterion, or a score such as the ethics score.

    Attributes:
        id (str): a stable IRI; results refer to it in ``resultDescription``.
        name (str): the criterion's or score's name.
        result_type (str): ``RubricCriterionLevel`` for rubric criteria, ``Percent``,
            ``RawScore``… for scores.
        levels (tuple[RubricCriterionLevel]): the rubric levels, low to high.
        required_level (str): id of the lowest level that passes.
        required_value (str): lowest passing score, as text.
        value_min (str): lowest possible score.
        value_max (str): highest possible score.
        alignments (tuple[Alignment]): competencies this criterion assesses.
    """

    id = attr.ib(type=str)
    name = attr.ib(type=str)
    result_type = attr.ib(type=str, default="RubricCriterionLevel")
    levels = attr.ib(type=tuple, default=(), converter=tuple)
    required_level = attr.ib(type=str, default=None)
    required_value = attr.ib(type=str, default=None)
    value_min = attr.ib(type=str, default=None)
    value_max = attr.ib(type=str, default=None)
    alignments = attr.ib(type=tuple, default=(), converter=tuple)

    def __attrs_post_init__(self):
        if self.required_level and self.required_level not in {level.id for level in self.levels}:
            raise ValueError(f"requiredLevel {self.required_level!r} is not one of the levels")

    def to_json(self) -> dict:
        return compact(
            {
                "id": self.id,
                "type": ["ResultDescription"],
                "name": self.name,
                "resultType": self.result_type,
                "rubricCriterionLevel": json_list(self.levels),
                "requiredLevel": self.required_level,
                "requiredValue": self.required_value,
                "valueMin": self.value_min,
                "valueMax": self.value_max,
                "alignment": json_list(self.alignments),
            }
        )


@attr.s(frozen=True)
class Achievement:
    """
    The badge: what was achieved, how it is earned and what it proves.

    Attributes:
        id (str): a stable URL for the badge class.
        name (str): the badge's name.
        description (str): what the badge represents.
        criteria (Criteria): how it is earned.
        achievement_type (str): an OB 3.0 achievement type (default ``Badge``).
        image (Image): the badge image.
        alignments (tuple[Alignment]): competencies and frameworks the badge maps to.
        result_descriptions (tuple[ResultDescription]): the rubric criteria and scores assessed.
        credits_available (float): hours of learning the badge stands for.
        tags (tuple[str]): search keywords.
        in_language (str): BCP 47 language of the texts, e.g. ``en`` or ``pt-BR``.
        creator (Profile): who authored the badge, when not the issuer.
        related (tuple[str]): IRIs of documents about this achievement, such as the issuer's
            published outcomes of it; each becomes a ``Related`` entry.
    """

    id = attr.ib(type=str)
    name = attr.ib(type=str)
    description = attr.ib(type=str)
    criteria = attr.ib(type=Criteria)
    achievement_type = attr.ib(type=str, default="Badge", validator=_achievement_type)
    image = attr.ib(type=Image, default=None)
    alignments = attr.ib(type=tuple, default=(), converter=tuple)
    result_descriptions = attr.ib(type=tuple, default=(), converter=tuple)
    credits_available = attr.ib(type=float, default=None)
    tags = attr.ib(type=tuple, default=(), converter=tuple)
    in_language = attr.ib(type=str, default=None)
    creator = attr.ib(type=Profile, default=None)
    related = attr.ib(type=tuple, default=(), converter=tuple)

    def to_json(self) -> dict:
        return compact(
            {
                "id": self.id,
                "type": ["Achievement"],
                "achievementType": self.achievement_type,
                "name": self.name,
                "description": self.description,
                "criteria": self.criteria.to_json(),
                "image": self.image and self.image.to_json(),
                "alignment": json_list(self.alignments),
                "resultDescription": json_list(self.result_descriptions),
                "creditsAvailable": self.credits_available,
                "tag": list(self.tags),
                "inLanguage": self.in_language,
                "creator": self.creator and self.creator.to_json(),
                "related": [{"id": iri, "type": ["Related"]} for iri in self.related],
            }
        )
