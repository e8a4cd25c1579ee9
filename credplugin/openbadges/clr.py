"""A learner's record as a 1EdTech CLR 2.0 ``ClrCredential``: build it, and verify it with
every badge inside it (pure Python, no Django).

The record embeds the signed badge credentials unchanged (``verifiableCredential``), lists
their achievements once each, and relates them with ``association`` entries (``isPartOf`` from
a component to its pathway, ``precedes`` along an ordered pathway). The record is signed with
the same ``eddsa-rdfc-2022`` proof as a badge, so the record and each badge verify on their
own: a badge cut out of the record is still the badge its issuer signed.
"""

from collections.abc import Iterable
from datetime import UTC, datetime

import attr

from credplugin.openbadges.form import check_record_form
from credplugin.openbadges.loader import (
    CLR_V2_CONTEXT,
    CREDENTIALS_V2_CONTEXT,
    OPEN_BADGES_EXTENSIONS_CONTEXT,
    OPEN_BADGES_V3_CONTEXT,
)
from credplugin.openbadges.serialize import format_datetime
from credplugin.openbadges.verify import (
    Check,
    CheckFailed,
    Resolver,
    VerificationReport,
    verify_credential,
)

CLR_CONTEXTS = [
    CREDENTIALS_V2_CONTEXT,
    CLR_V2_CONTEXT,
    OPEN_BADGES_V3_CONTEXT,
    OPEN_BADGES_EXTENSIONS_CONTEXT,
]
CLR_CREDENTIAL_SCHEMA = (
    "https://purl.imsglobal.org/spec/clr/v2p0/schema/json/clr_v2p0_clrcredential_schema.json"
)
ASSOCIATION_TYPES = frozenset(
    {
        "exactMatchOf",
        "isChildOf",
        "isParentOf",
        "isPartOf",
        "isPeerOf",
        "isRelatedTo",
        "precedes",
        "replacedBy",
    }
)
CLR_CHECK_NAMES = ("structure", "proof", "issuer", "proof_purpose", "validity")


@attr.s(frozen=True)
class Association:
    """
    How two achievements of the record relate.

    Attributes:
        association_type (str): a CLR 2.0 ``AssociationType``, e.g. ``isPartOf`` or ``precedes``.
        source_id (str): the achievement the relation starts from.
        target_id (str): the achievement it points to.
    """

    association_type = attr.ib(
        type=str, validator=attr.validators.in_(ASSOCIATION_TYPES)
    )  # fmt: skip
    source_id = attr.ib(type=str)
    target_id = attr.ib(type=str)

    def to_json(self) -> dict:
        return {
            "type": "Association",
            "associationType": self.association_type,
            "sourceId": self.source_id,
            "targetId": self.target_id,
        }


def achievements_of(credentials: Iterable[dict]) -> list[dict]:
    """Each distinct achievement of the signed credentials, in their order."""
    seen, found = set(), []
    for credential in credentials:
        achievement = (credential.get("credentialSubject") or {}).get("achievement")
        if isinstance(achievement, dict) and achievement.get("id") not in seen:
            seen.add(achievement.get("id"))
            found.append(achievement)
    return found


def build_clr(
    *,
    id: str,  # noqa: A002 - the JSON-LD name
    issuer: dict,
    name: str,
    credentials: list[dict],
    identifiers: list[dict] = (),
    subject_id: str | None = None,
    associations: Iterable[Association] = (),
    partial: bool = False,
    description: str | None = None,
    valid_from: datetime | None = None,
) -> dict:
    """The unsigned ``ClrCredential`` holding ``credentials`` (signed badges, unchanged).

    Associations whose ends are not both achievements of the record are left out: a record
    relates only what it contains.

    Raises:
        ValueError: no credential, or neither a subject id nor an identifier.
    """
    if not credentials:
        raise ValueError("a learner record needs at least one credential")
    if not subject_id and not identifiers:
        raise ValueError("a learner record needs the learner's id or an identifier")
    achievements = achievements_of(credentials)
    present = {achievement.get("id") for achievement in achievements}
    related = [
        association.to_json()
        for association in dict.fromkeys(associations)
        if association.source_id in present and association.target_id in present
    ]
    subject = {"type": ["ClrSubject"]}
    if subject_id:
        subject["id"] = subject_id
    if identifiers:
        subject["identifier"] = list(identifiers)
    subject["verifiableCredential"] = list(credentials)
    subject["achievement"] = achievements
    if related:
        subject["association"] = related
    document = {
        "@context": list(CLR_CONTEXTS),
        "id": id,
        "type": ["VerifiableCredential", "ClrCredential"],
        "issuer": issuer,
        "validFrom": format_datetime(valid_from or datetime.now(UTC)),
        "name": name,
    }
    if description:
        document["description"] = description
    document["partial"] = bool(partial)
    document["credentialSubject"] = subject
    document["credentialSchema"] = [
        {"id": CLR_CREDENTIAL_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}
    ]
    return document


@attr.s(frozen=True)
class ClrReport:
    """
    A verified record: the record's own checks and each embedded badge's report.

    Attributes:
        checks (tuple[Check]): the record's checks, in ``CLR_CHECK_NAMES`` order.
        badges (tuple[tuple[str, VerificationReport]]): each embedded credential's id and report.
    """

    checks = attr.ib(type=tuple, converter=tuple)
    badges = attr.ib(type=tuple, converter=tuple, default=())

    @property
    def verified(self) -> bool:
        """True when the record and every badge inside it verified."""
        return (
            bool(self.checks)
            and all(check.passed for check in self.checks)
            and all(report.verified for _id, report in self.badges)
        )

    def to_json(self) -> dict:
        return {
            "verified": self.verified,
            "checks": VerificationReport(self.checks).to_json()["checks"],
            "badges": [
                {"id": credential_id, **report.to_json()} for credential_id, report in self.badges
            ],
        }


def is_clr(document) -> bool:
    """Whether ``document`` presents itself as a ClrCredential (to pick the verifier)."""
    types = document.get("type") if isinstance(document, dict) else None
    return isinstance(types, list) and "ClrCredential" in types


def _check_structure(document: dict) -> str:
    context = document.get("@context")
    if not isinstance(context, list) or context[:2] != CLR_CONTEXTS[:2]:
        raise CheckFailed(f"@context must start with {CREDENTIALS_V2_CONTEXT}, {CLR_V2_CONTEXT}")
    if not is_clr(document) or "VerifiableCredential" not in document["type"]:
        raise CheckFailed("type must list VerifiableCredential and ClrCredential")
    subject = document.get("credentialSubject")
    if not isinstance(subject, dict) or "ClrSubject" not in (subject.get("type") or []):
        raise CheckFailed("credentialSubject must be a ClrSubject")
    embedded = subject.get("verifiableCredential")
    if not isinstance(embedded, list) or not embedded:
        raise CheckFailed("the record holds no verifiableCredential")
    if not isinstance(document.get("id"), str):
        raise CheckFailed("the record has no id")
    return f"a CLR 2.0 record of {len(embedded)} credential(s)"


def verify_clr(
    document,
    *,
    resolve: Resolver | None = None,
    now: datetime | None = None,
    embedded: bool = True,
) -> ClrReport:
    """Verify a ClrCredential's own proof, issuer and validity, then (with ``embedded``) each
    badge inside it.

    The record has no status entry of its own (it is made on request and never revoked);
    each badge's status is checked as the badge's.
    """
    now = now or datetime.now(UTC)
    if not isinstance(document, dict):
        reason = "the record is not a JSON object"
        return ClrReport(Check(name, False, reason) for name in CLR_CHECK_NAMES)
    envelope = verify_credential(document, resolve=resolve, now=now, form=check_record_form)
    checks = [_record_structure(document)]
    checks += [envelope.check(name) for name in CLR_CHECK_NAMES[1:]]
    if not embedded:
        return ClrReport(checks)
    badges = (document.get("credentialSubject") or {}).get("verifiableCredential") or []
    status_lists = {}
    reports = [
        (
            badge.get("id") if isinstance(badge, dict) else None,
            verify_credential(badge, resolve=resolve, now=now, verified_status_lists=status_lists),
        )
        for badge in (badges if isinstance(badges, list) else [])
    ]
    return ClrReport(checks, reports)


def _record_structure(document: dict) -> Check:
    try:
        return Check("structure", True, _check_structure(document))
    except CheckFailed as failure:
        return Check("structure", False, str(failure))


__all__ = [
    "ASSOCIATION_TYPES",
    "CLR_CONTEXTS",
    "Association",
    "ClrReport",
    "achievements_of",
    "build_clr",
    "is_clr",
    "verify_clr",
]
