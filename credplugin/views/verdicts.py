"""Live verification of stored and submitted credentials, and the verdict a page shows.

Every verdict comes from ``credplugin.openbadges.verify_credential`` run at request time with
the resolver of ``resolution``: this site's DID document and status lists read from
the database, ``did:key`` decoded locally, and other hosts only when the operator allowed them.
Nothing here fetches a URL itself.
"""

from datetime import UTC, datetime

import attr
from django.utils.translation import gettext_lazy as _

from credplugin import openbadges
from credplugin.models import IssuedBadge
from credplugin.views.resolution import verification_resolver

VERIFIED = "verified"
EXPIRED = "expired"
SUSPENDED = "suspended"
REVOKED = "revoked"
NOT_YET_VALID = "not_yet_valid"
INVALID = "invalid"

VERDICT_LABELS = {
    VERIFIED: _("Verified"),
    EXPIRED: _("Expired"),
    SUSPENDED: _("Suspended"),
    REVOKED: _("Revoked"),
    NOT_YET_VALID: _("Not yet valid"),
    INVALID: _("Not verified"),
}

VERDICT_EXPLANATIONS = {
    VERIFIED: _(
        "The signature is valid, the issuer's key is genuine, the badge has not been revoked "
        "or suspended and it has not expired."
    ),
    EXPIRED: _("The badge is genuine but its validity period has ended."),
    SUSPENDED: _("The issuer has suspended this badge. It may be reinstated later."),
    REVOKED: _("The issuer has revoked this badge. It is no longer valid."),
    NOT_YET_VALID: _("The badge is genuine but its validity period has not started yet."),
    INVALID: _("This badge could not be verified. Do not rely on it."),
}

CHECK_LABELS = {
    "structure": _("It is an Open Badges 3.0 credential"),
    "proof": _("The signature matches the content"),
    "issuer": _("It was signed by the issuer"),
    "proof_purpose": _("The issuer's key may issue credentials"),
    "validity": _("It is within its validity dates"),
    "status": _("It has not been revoked"),
}

# Failing any of these means the document itself cannot be trusted, whatever its dates say.
_AUTHENTICITY_CHECKS = ("structure", "proof", "issuer", "proof_purpose")


@attr.s(frozen=True)
class Verdict:
    """
    What a person should conclude about a credential, with the checks behind it.

    Attributes:
        state (str): ``verified``, ``expired``, ``suspended``, ``revoked``, ``not_yet_valid``
            or ``invalid``.
        report (VerificationReport): every check ``verify_credential`` ran.
        checked_at (datetime): when the checks ran.
        status_reason (str): the issuer's reason for a revocation or suspension, if known.
    """

    state = attr.ib(type=str)
    report = attr.ib()
    checked_at = attr.ib(type=datetime)
    status_reason = attr.ib(type=str, default="")

    @property
    def verified(self):
        return self.state == VERIFIED

    @property
    def label(self):
        return VERDICT_LABELS[self.state]

    @property
    def explanation(self):
        return VERDICT_EXPLANATIONS[self.state]

    @property
    def checks(self):
        return [
            {
                "name": check.name,
                "label": CHECK_LABELS.get(check.name, check.name),
                "passed": check.passed,
                "reason": check.reason,
            }
            for check in self.report.checks
        ]

    def as_dict(self):
        """The JSON the verify API returns: the verdict, then the library's own report."""
        return {
            "verdict": self.state,
            "label": str(self.label),
            "explanation": str(self.explanation),
            "checked_at": self.checked_at.isoformat(),
            **self.report.to_json(),
            "checks": [{**check, "label": str(check["label"])} for check in self.checks],
        }


def _failed_status_state(check):
    """Revoked or suspended when the status list says so; ``invalid`` when it was unreadable
    (a list unreachable, forged or someone else's proves nothing either way)."""
    return {"revocation": REVOKED, "suspension": SUSPENDED}.get(check.status_set, INVALID)


def _validity_state(credential, now):
    valid_from = credential.get("validFrom")
    try:
        if isinstance(valid_from, str) and now < datetime.fromisoformat(valid_from):
            return NOT_YET_VALID
    except ValueError:
        return INVALID
    return EXPIRED


def verdict_from_report(report, credential, now):
    """The one state a page shows, most serious first: forged, revoked, suspended, dated."""
    failed = {check.name: check for check in report.checks if not check.passed}
    if not failed:
        return VERIFIED
    if any(name in failed for name in _AUTHENTICITY_CHECKS):
        return INVALID
    if "status" in failed:
        return _failed_status_state(failed["status"])
    if "validity" in failed:
        return _validity_state(credential, now)
    return INVALID


def verify_submitted_credential(credential, *, now=None):
    """Verify a credential someone submitted, resolving only what the site allows."""
    now = now or datetime.now(UTC)
    report = openbadges.verify_credential(credential, resolve=verification_resolver(), now=now)
    return Verdict(verdict_from_report(report, credential, now), report, now)


def verify_stored_badge(badge, *, now=None):
    """Verify one of this site's badges as a stranger would, then add what only we know.

    Credentials carry only their revocation entry, so a suspension shows through the
    badge's recorded status (the suspension list at the same index says the same).
    """
    verdict = verify_submitted_credential(badge.credential, now=now)
    state = verdict.state
    if state in (VERIFIED, EXPIRED, NOT_YET_VALID) and (
        badge.status == IssuedBadge.Status.SUSPENDED
    ):
        state = SUSPENDED
    reason = badge.status_reason if state in (REVOKED, SUSPENDED) else ""
    return attr.evolve(verdict, state=state, status_reason=reason)
