"""Who earned the badge and how: the ``AchievementSubject`` and the ``AchievementCredential``.

:meth:`AchievementCredential.to_json` composes the unsigned OB 3.0 JSON-LD credential; sign it
with :func:`credplugin.openbadges.proof.sign_credential`.
"""

import hashlib
import secrets
from datetime import datetime

import attr

from credplugin.openbadges.achievement import Achievement, Image, Profile
from credplugin.openbadges.loader import (
    CREDENTIALS_V2_CONTEXT,
    OPEN_BADGES_EXTENSIONS_CONTEXT,
    OPEN_BADGES_V3_CONTEXT,
)
from credplugin.openbadges.serialize import compact, format_datetime, json_list
from credplugin.openbadges.status_list import BitstringStatusListEntry

ACHIEVEMENT_CREDENTIAL_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
SCHEMA_VALIDATOR_TYPE = "1EdTechJsonSchemaValidator2019"
RESULT_STATUSES = frozenset(
    {"Completed", "Enrolled", "Failed", "InProgress", "OnHold", "Provisional", "Withdrew"}
)


def hash_identity(value: str, salt: str) -> str:
    """The OB ``identityHash``: ``sha256$`` and the hex sha256 of the value followed by the salt."""
    return "sha256$" + hashlib.sha256((value + salt).encode("utf-8")).hexdigest()


def normalize_email(email: str) -> str:
    """Emails are hashed trimmed and lower-cased so that a verifier can reproduce the hash."""
    return email.strip().lower()


@attr.s(frozen=True)
class IdentityObject:
    """
    A recipient identifier, salted and hashed so the public credential does not expose it.

    Attributes:
        identity_hash (str): ``sha256$<hex>`` of the identifier followed by the salt.
        salt (str): random text mixed into the hash.
        identity_type (str): what was hashed, e.g. ``emailAddress``.
    """

    identity_hash = attr.ib(type=str)
    salt = attr.ib(type=str)
    identity_type = attr.ib(type=str, default="emailAddress")

    @classmethod
    def for_email(cls, email: str, salt: str | None = None) -> "IdentityObject":
        """Hash ``email`` (normalized) with ``salt`` (a fresh random one if not given)."""
        salt = salt if salt is not None else secrets.token_hex(16)
        return cls(hash_identity(normalize_email(email), salt), salt)

    def matches_email(self, email: str) -> bool:
        """Whether ``email`` is the address this object hashes."""
        return secrets.compare_digest(
            hash_identity(normalize_email(email), self.salt), self.identity_hash
        )

    def to_json(self) -> dict:
        return {
            "type": "IdentityObject",
            "hashed": True,
            "identityHash": self.identity_hash,
            "identityType": self.identity_type,
            "salt": self.salt,
        }


@attr.s(frozen=True)
class Result:
    """
    What the learner achieved on one ``ResultDescription`` (a rubric criterion or a score).

    Attributes:
        result_description (str): id of the ResultDescription this result is for.
        achieved_level (str): id of the RubricCriterionLevel reached.
        value (str): the score, as text.
        status (str): e.g. ``Completed``.
        alignments (tuple[Alignment]): competencies this result evidences.
    """

    result_description = attr.ib(type=str)
    achieved_level = attr.ib(type=str, default=None)
    value = attr.ib(type=str, default=None)
    status = attr.ib(
        type=str,
        default=None,
        validator=attr.validators.optional(attr.validators.in_(RESULT_STATUSES)),
    )
    alignments = attr.ib(type=tuple, default=(), converter=tuple)

    def to_json(self) -> dict:
        return compact(
            {
                "type": ["Result"],
                "resultDescription": self.result_description,
                "achievedLevel": self.achieved_level,
                "value": self.value,
                "status": self.status,
                "alignment": json_list(self.alignments),
            }
        )


@attr.s(frozen=True)
class AchievementSubject:
    """
    The learner and what they did to earn the achievement.

    Attributes:
        achievement (Achievement): the badge earned.
        id (str): the learner's DID, when they connected one.
        identifiers (tuple[IdentityObject]): hashed identifiers, when there is no DID.
        results (tuple[Result]): achieved rubric levels and scores.
        credits_earned (float): hours earned.
        activity_start_date (datetime): when the learning began.
        activity_end_date (datetime): when it was completed.
        narrative (str): the learner's achievement in words.
        image (Image): a personalised image.
    """

    achievement = attr.ib(type=Achievement)
    id = attr.ib(type=str, default=None)
    identifiers = attr.ib(type=tuple, default=(), converter=tuple)
    results = attr.ib(type=tuple, default=(), converter=tuple)
    credits_earned = attr.ib(type=float, default=None)
    activity_start_date = attr.ib(type=datetime, default=None)
    activity_end_date = attr.ib(type=datetime, default=None)
    narrative = attr.ib(type=str, default=None)
    image = attr.ib(type=Image, default=None)

    def __attrs_post_init__(self):
        if not self.id and not self.identifiers:
            raise ValueError("an AchievementSubject needs an id (DID) or an identifier")

    def to_json(self) -> dict:
        return compact(
            {
                "id": self.id,
                "type": ["AchievementSubject"],
                "identifier": json_list(self.identifiers),
                "achievement": self.achievement.to_json(),
                "result": json_list(self.results),
                "creditsEarned": self.credits_earned,
                "activityStartDate": format_datetime(self.activity_start_date),
                "activityEndDate": format_datetime(self.activity_end_date),
                "narrative": self.narrative,
                "image": self.image and self.image.to_json(),
            }
        )


@attr.s(frozen=True)
class Evidence:
    """
    Something that shows the work: the project artifact, the assessment method.

    Attributes:
        id (str): URL of the evidence.
        name (str): its title.
        description (str): what it is.
        narrative (str): how it shows the achievement.
        genre (str): kind of evidence, e.g. ``Project`` or ``Assessment method``.
        audience (str): who it is meant for.
    """

    id = attr.ib(type=str, default=None)
    name = attr.ib(type=str, default=None)
    description = attr.ib(type=str, default=None)
    narrative = attr.ib(type=str, default=None)
    genre = attr.ib(type=str, default=None)
    audience = attr.ib(type=str, default=None)

    def to_json(self) -> dict:
        return compact(
            {
                "id": self.id,
                "type": ["Evidence"],
                "name": self.name,
                "description": self.description,
                "narrative": self.narrative,
                "genre": self.genre,
                "audience": self.audience,
            }
        )


@attr.s(frozen=True)
class AchievementCredential:
    """
    The Open Badges 3.0 credential issued to one learner.

    Attributes:
        id (str): a unique IRI for this credential (``urn:uuid:…`` or its public URL).
        issuer (Profile): the issuer; its id is the DID that signs.
        subject (AchievementSubject): the learner and the achievement.
        valid_from (datetime): when it takes effect.
        valid_until (datetime): when it expires, if it does.
        name (str): display name (defaults to the achievement's name).
        description (str): display description.
        awarded_date (datetime): when it was awarded.
        evidence (tuple[Evidence]): the work behind it.
        credential_status (BitstringStatusListEntry): where its revocation status is published.
        include_schema (bool): add ``credentialSchema`` pointing at the 1EdTech JSON schema.
        image (Image): the credential's image.
    """

    id = attr.ib(type=str)
    issuer = attr.ib(type=Profile)
    subject = attr.ib(type=AchievementSubject)
    valid_from = attr.ib(type=datetime)
    valid_until = attr.ib(type=datetime, default=None)
    name = attr.ib(type=str, default=None)
    description = attr.ib(type=str, default=None)
    awarded_date = attr.ib(type=datetime, default=None)
    evidence = attr.ib(type=tuple, default=(), converter=tuple)
    credential_status = attr.ib(type=BitstringStatusListEntry, default=None)
    include_schema = attr.ib(type=bool, default=True)
    image = attr.ib(type=Image, default=None)

    def __attrs_post_init__(self):
        if self.valid_until is not None and self.valid_until <= self.valid_from:
            raise ValueError("validUntil must be later than validFrom")

    def to_json(self) -> dict:
        """The unsigned OB 3.0 credential as a JSON-LD dict."""
        context = [CREDENTIALS_V2_CONTEXT, OPEN_BADGES_V3_CONTEXT]
        schema = []
        if self.include_schema:
            context.append(OPEN_BADGES_EXTENSIONS_CONTEXT)
            schema = [{"id": ACHIEVEMENT_CREDENTIAL_SCHEMA, "type": SCHEMA_VALIDATOR_TYPE}]
        return compact(
            {
                "@context": context,
                "id": self.id,
                "type": ["VerifiableCredential", "OpenBadgeCredential"],
                "name": self.name or self.subject.achievement.name,
                "description": self.description,
                "image": self.image and self.image.to_json(),
                "issuer": self.issuer.to_json(),
                "validFrom": format_datetime(self.valid_from),
                "validUntil": format_datetime(self.valid_until),
                "awardedDate": format_datetime(self.awarded_date),
                "credentialSubject": self.subject.to_json(),
                "evidence": json_list(self.evidence),
                "credentialStatus": self.credential_status and self.credential_status.to_json(),
                "credentialSchema": schema,
            }
        )


def compose_credential(**fields) -> dict:
    """Shorthand for ``AchievementCredential(**fields).to_json()``."""
    return AchievementCredential(**fields).to_json()
