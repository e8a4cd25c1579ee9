"""Live verification of stored and submitted credentials, and the verdict a page shows.

Every verdict comes from ``credplugin.openbadges.verify_credential`` run at request time with
the resolver of ``resolution``: this site's DID document and status lists read from
the database, ``did:key`` decoded locally, and other hosts only when the operator allowed them.
Nothing here fetches a URL itself. A verdict names whose badge it is: this site's, an issuer the
operator trusts (``CREDPLUGIN_TRUSTED_ISSUERS``), or an unknown one, whose "verified" means
only that the signature is intact.
"""

from datetime import UTC, datetime
from urllib.parse import urlsplit

import attr
from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _

from credplugin import api, openbadges
from credplugin.conf import credplugin_settings
from credplugin.exceptions import CredPluginError
from credplugin.models import IssuedBadge, OutcomeCounter
from credplugin.openbadges.report import THIS_SITE, TRUSTED, UNKNOWN, issuer_standing
from credplugin.outcomes import counters
from credplugin.presentation.resolution import verification_resolver

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

STANDING_LABELS = {
    THIS_SITE: _("Issued by this site"),
    TRUSTED: _("Issued by an issuer this site trusts"),
    UNKNOWN: _("Unknown issuer: only the signature is confirmed"),
}

UNKNOWN_ISSUER_EXPLANATION = _(
    "The signature is intact, and that is all this proves. This site does not know the issuer "
    "%(issuer_id)s, and anyone can create a key and sign a badge under any name, including "
    "“%(issuer_name)s”. Check that this identifier really belongs to that organization before "
    "relying on the badge."
)

CHECK_LABELS = {
    "structure": _("It is an Open Badges 3.0 credential in the form a verifier can read"),
    "proof": _("The signature matches the content"),
    "issuer": _("The signing key belongs to the issuer the badge names"),
    "proof_purpose": _("The issuer's key may issue credentials"),
    "validity": _("It is within its validity dates"),
    "status": _("It has not been revoked or suspended"),
}

PASSED, FAILED, NOT_JUDGED = "passed", "failed", "not_judged"

# Failing any of these means the document itself cannot be trusted, whatever its dates say.
_AUTHENTICITY_CHECKS = ("structure", "proof", "issuer", "proof_purpose")


@attr.s(frozen=True)
class Verdict:
    """
    What a person should conclude about a credential, with the checks behind it.

    Attributes:
        state (str): ``verified``, ``expired``, ``suspended``, ``revoked``, ``not_yet_valid``
            or ``invalid``.
        report (VerificationReport): every check ``verify_credential`` ran, and the values it
            judged (``report.facts``), the only values a page may show of a submitted badge.
        checked_at (datetime): when the checks ran.
        status_reason (str): the issuer's reason for a revocation or suspension, if known.
        standing (str | None): ``this_site``, ``trusted`` or ``unknown`` (see
            ``openbadges.verify.issuer_standing``); None when the badge is not authentic.
    """

    state = attr.ib(type=str)
    report = attr.ib()
    checked_at = attr.ib(type=datetime)
    status_reason = attr.ib(type=str, default="")
    standing = attr.ib(type=str, default=None)

    @property
    def verified(self):
        return self.state == VERIFIED

    @property
    def authentic(self):
        """Signed by the key of the issuer it names, whatever its dates and status say."""
        return self.state != INVALID

    @property
    def label(self):
        if self.state == VERIFIED and self.standing == UNKNOWN:
            return _("Signature intact, unknown issuer")
        return VERDICT_LABELS[self.state]

    @property
    def explanation(self):
        if self.state == VERIFIED and self.standing == UNKNOWN:
            facts = self.report.facts
            return UNKNOWN_ISSUER_EXPLANATION % {
                "issuer_id": facts.issuer_id,
                "issuer_name": facts.issuer_name or facts.issuer_id,
            }
        return VERDICT_EXPLANATIONS[self.state]

    @property
    def reason(self):
        """Why a badge is not verified, in the verifier's words ("" when it is)."""
        failure = self.report.first_failure
        return "" if failure is None or self.verified else failure.reason

    @property
    def standing_label(self):
        return STANDING_LABELS.get(self.standing, "")

    @property
    def checks(self):
        return check_rows(self.report.checks)

    def issuer(self):
        """The issuer the signature vouches for, and its standing; None if not authentic."""
        facts = self.report.facts
        if self.standing is None or facts is None:
            return None
        return {
            "id": facts.issuer_id,
            "name": facts.issuer_name,
            "standing": self.standing,
            "standing_label": str(self.standing_label),
        }

    def as_dict(self):
        """The JSON the verify API returns: the verdict, then the library's own report."""
        return {
            "verdict": self.state,
            "label": str(self.label),
            "explanation": str(self.explanation),
            "reason": self.reason,
            "issuer": self.issuer(),
            "checked_at": self.checked_at.isoformat(),
            **self.report.to_json(),
            "checks": [{**check, "label": str(check["label"])} for check in self.checks],
        }


def check_rows(checks, labels=CHECK_LABELS):
    """Each check as a page shows it, labelled from ``labels``: a check that ran after the
    document proved not authentic judged nothing, even if it passed."""
    failed_authenticity = any(
        not check.passed for check in checks if check.name in _AUTHENTICITY_CHECKS
    )
    rows = []
    for check in checks:
        outcome = PASSED if check.passed else FAILED
        if check.passed and failed_authenticity and check.name != "structure":
            outcome = NOT_JUDGED
        rows.append(
            {
                "name": check.name,
                "label": labels.get(check.name, check.name),
                "passed": check.passed,
                "outcome": outcome,
                "reason": check.reason,
            }
        )
    return rows


def verdict_from_report(report):
    """The one state a page shows, most serious first: forged, revoked, suspended, dated."""
    failed = {check.name: check for check in report.checks if not check.passed}
    if not failed:
        return VERIFIED
    if any(name in failed for name in _AUTHENTICITY_CHECKS):
        return INVALID
    if "status" in failed:
        return {"revocation": REVOKED, "suspension": SUSPENDED}.get(
            failed["status"].status_set, INVALID
        )
    if "validity" in failed:
        return {"before": NOT_YET_VALID, "after": EXPIRED}.get(failed["validity"].outside, INVALID)
    return INVALID


def _own_dids():
    try:
        return {api.issuer_did()}
    except CredPluginError:
        return set()


def verify_submitted_credential(credential, *, now=None):
    """Verify a credential someone submitted, resolving only what the site allows.

    Credentials carry only their revocation entry; a suspension of one of this site's badges
    shows through the badge's recorded status (the suspension list at the same index says the
    same).
    """
    now = now or datetime.now(UTC)
    report = openbadges.verify_credential(credential, resolve=verification_resolver(), now=now)
    standing = issuer_standing(
        report, own=_own_dids(), trusted=set(credplugin_settings.TRUSTED_ISSUERS or ())
    )
    state = verdict_from_report(report)
    if state == INVALID:
        return Verdict(state, report, now)
    verdict = Verdict(state, report, now, standing=standing)
    if state in (VERIFIED, EXPIRED, NOT_YET_VALID):
        badge = own_badge(verdict)
        if badge is not None and badge.status == IssuedBadge.Status.SUSPENDED:
            verdict = attr.evolve(verdict, state=SUSPENDED)
    return verdict


def own_badge(verdict):
    """The badge of this site an authentic verdict is about, found by its credential id (the
    URL of its ``credential.json``); None for anyone else's."""
    if verdict.standing != THIS_SITE:
        return None
    return badge_of_credential_id(verdict.report.facts.credential_id)


def badge_of_credential_id(credential_id):
    """The badge whose ``credential.json`` URL is ``credential_id``, if this site has it."""
    try:
        match = resolve(urlsplit(credential_id or "").path)
    except Resolver404:
        return None
    if match.url_name != "badge-credential":
        return None
    return IssuedBadge.objects.filter(uuid=match.kwargs["badge_uuid"]).first()


def count_verification(badge):
    """Count a check of one of this site's badges (verify page, API or command line) for its
    badge class; nothing about who checked is kept. ``badge`` may be None (not ours)."""
    if badge is not None:
        counters.count(badge.badge_class_id, OutcomeCounter.Kind.VERIFICATION)
    return badge


def verify_stored_badge(badge, *, now=None):
    """Verify one of this site's badges as a stranger would, then add the issuer's reason for a
    revocation or suspension, which only this site knows."""
    verdict = verify_submitted_credential(badge.credential, now=now)
    reason = badge.status_reason if verdict.state in (REVOKED, SUSPENDED) else ""
    return attr.evolve(verdict, status_reason=reason)
