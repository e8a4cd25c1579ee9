"""What a verification found: each check, the values judged, and whose badge it is.

Kept apart from :mod:`.verify` (which runs the checks) so that pages, the API and the CLI can
read a report without knowing how it was made.
"""

import attr

from credplugin.openbadges.status_list import BitstringStatusListEntry, as_entry_list

CHECK_NAMES = ("structure", "proof", "issuer", "proof_purpose", "validity", "status")
# Whose badge it is, as far as the verifier's user knows: see :func:`issuer_standing`.
THIS_SITE, TRUSTED, UNKNOWN = "this_site", "trusted", "unknown"


@attr.s(frozen=True)
class Check:
    """
    The outcome of one verification check.

    Attributes:
        name (str): one of ``structure``, ``proof``, ``issuer``, ``proof_purpose``, ``validity``,
            ``status``.
        passed (bool): whether the check passed.
        reason (str): what was found, in words a person can act on.
        status_set (str | None): on a failed ``status`` check, the purpose (``revocation`` or
            ``suspension``) whose bit is set for this credential; None when the status could
            not be read, so callers need not interpret the reason's wording.
        outside (str | None): on a failed ``validity`` check, ``before`` (not valid yet) or
            ``after`` (expired); None when the dates could not be read.
    """

    name = attr.ib(type=str)
    passed = attr.ib(type=bool)
    reason = attr.ib(type=str)
    status_set = attr.ib(type=str, default=None)
    outside = attr.ib(type=str, default=None)


@attr.s(frozen=True)
class SignedFacts:
    """
    The values the checks judged, read from a credential in the plain form (:mod:`.form`).

    Attributes:
        credential_id (str): the credential's ``id``.
        issuer_id (str | None): the issuer's DID (None when the credential names none).
        issuer_name (str): the issuer's name as the credential states it ("" if none).
        achievement_name (str): the achievement's name.
        recipient (str): the subject's ``id``, or its first identifier's ``identityHash``.
        valid_from (str | None): ``validFrom`` as written.
        valid_until (str | None): ``validUntil`` as written, None when it never expires.
        status_entries (tuple[BitstringStatusListEntry]): the ``credentialStatus`` entries.
    """

    credential_id = attr.ib(type=str)
    issuer_id = attr.ib(type=str)
    issuer_name = attr.ib(type=str)
    achievement_name = attr.ib(type=str)
    recipient = attr.ib(type=str)
    valid_from = attr.ib(type=str)
    valid_until = attr.ib(type=str)
    status_entries = attr.ib(type=tuple, converter=tuple)

    @classmethod
    def of(cls, document: dict, status_entries=None) -> "SignedFacts":
        """Read a credential that passed :func:`.form.check_credential_form`, with the status
        entries that check read (read here if not given)."""
        if status_entries is None:
            status_entries = [
                BitstringStatusListEntry.from_json(entry)
                for entry in as_entry_list(document.get("credentialStatus"))
            ]
        issuer = document.get("issuer")
        issuer = issuer if isinstance(issuer, dict) else {"id": issuer}
        subject = document.get("credentialSubject")
        subject = subject if isinstance(subject, dict) else {}
        achievement = subject.get("achievement")
        achievement = achievement if isinstance(achievement, dict) else {}
        identifiers = subject.get("identifier")
        identifiers = identifiers if isinstance(identifiers, list) else [identifiers]
        first = next((item for item in identifiers if isinstance(item, dict)), {})
        return cls(
            credential_id=document.get("id"),
            issuer_id=issuer.get("id") if isinstance(issuer.get("id"), str) else None,
            issuer_name=issuer.get("name") if isinstance(issuer.get("name"), str) else "",
            achievement_name=achievement.get("name", ""),
            recipient=subject.get("id") or first.get("identityHash", ""),
            valid_from=document.get("validFrom"),
            valid_until=document.get("validUntil"),
            status_entries=status_entries,
        )


@attr.s(frozen=True)
class VerificationReport:
    """
    Every check run on a credential.

    Attributes:
        checks (tuple[Check]): the checks, in ``CHECK_NAMES`` order.
        facts (SignedFacts | None): the values judged; None when the credential was refused
            before any check could read it (not a JSON object, or not in the plain form).
    """

    checks = attr.ib(type=tuple, converter=tuple)
    facts = attr.ib(default=None)

    @property
    def verified(self) -> bool:
        """True only when every check ran and passed."""
        return bool(self.checks) and all(check.passed for check in self.checks)

    def check(self, name: str) -> Check:
        """The check called ``name``."""
        return next(check for check in self.checks if check.name == name)

    def to_json(self) -> dict:
        optional = ("status_set", "outside")
        checks = [
            attr.asdict(
                check, filter=lambda field, value: value is not None or field.name not in optional
            )
            for check in self.checks
        ]
        facts = (
            None if self.facts is None else attr.asdict(self.facts, retain_collection_types=False)
        )
        return {"verified": self.verified, "checks": checks, "facts": facts}

    @property
    def first_failure(self) -> Check | None:
        """The first failed check: the reason a verdict leads with."""
        return next((check for check in self.checks if not check.passed), None)


def issuer_standing(report: VerificationReport, *, own=(), trusted=()) -> str | None:
    """Whose badge this is: ``this_site`` (an issuer DID in ``own``), ``trusted`` (one in
    ``trusted``) or ``unknown``; None when the signature does not show who issued it.

    A signature only proves that whoever controls the issuer's key wrote the badge; the name a
    credential gives its issuer proves nothing. So standing goes by the issuer DID, and only
    once the proof, the issuer's control of the key and the key's purpose have all passed.
    """
    authentic = all(report.check(name).passed for name in ("structure", "proof", "issuer"))
    if not authentic or not report.check("proof_purpose").passed or report.facts is None:
        return None
    if report.facts.issuer_id in own:
        return THIS_SITE
    if report.facts.issuer_id in trusted:
        return TRUSTED
    return UNKNOWN
