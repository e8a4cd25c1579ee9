"""The verdict on a submitted CLR 2.0 learner record, and on each credential inside it.

The record's own checks (its proof, issuer and validity) say only that the record is what its
issuer signed. Each credential inside it is judged exactly as if it had been submitted on its
own (``verdicts.verify_submitted_credential``: same resolver, same trust boundary), so a page
or the API shows one verdict per credential besides the record's.
"""

from datetime import UTC, datetime

import attr
from django.utils.translation import gettext_lazy as _

from credplugin.openbadges.clr import verify_clr
from credplugin.presentation.describe import describe_credential
from credplugin.presentation.resolution import verification_resolver
from credplugin.presentation.verdicts import (
    CHECK_LABELS,
    INVALID,
    VERIFIED,
    check_rows,
    verify_submitted_credential,
)

RECORD_CHECK_LABELS = {
    **CHECK_LABELS,
    "structure": _("It is a CLR 2.0 learner record in the form a verifier can read"),
}
RECORD_LABELS = {
    VERIFIED: _("Learner record verified"),
    INVALID: _("Learner record not verified"),
}
RECORD_EXPLANATIONS = {
    VERIFIED: _(
        "The record's signature is valid and its issuer's key is genuine. Each credential in "
        "it is checked on its own below: rely on each one only as far as its own verdict says."
    ),
    INVALID: _(
        "This learner record could not be verified. Do not rely on it as a whole; each "
        "credential in it is checked on its own below."
    ),
}


@attr.s(frozen=True)
class IncludedCredential:
    """
    One credential of a record: its verdict, and what it says when it is authentic.

    Attributes:
        number (int): its place in the record, from 1.
        verdict (Verdict): as if it had been submitted on its own.
        facts (dict | None): ``describe_credential`` of it, only when it is authentic.
    """

    number = attr.ib(type=int)
    verdict = attr.ib()
    facts = attr.ib(default=None)

    @property
    def heading_id(self):
        """The id of its heading on a page, unique among the record's."""
        return f"record-credential-{self.number}"

    @property
    def name(self):
        """The achievement's name as signed, or its place in the record when not authentic."""
        if self.facts and self.facts.get("name"):
            return self.facts["name"]
        return _("Credential %(number)s") % {"number": self.number}


@attr.s(frozen=True)
class RecordVerdict:
    """
    What a person should conclude about a learner record; the same attributes a badge's
    ``Verdict`` gives a page (``state``, ``label``, ``explanation``, ``reason``, ``checks``).

    Attributes:
        report (ClrReport): the record's own checks (not its credentials').
        included (tuple[IncludedCredential]): each credential inside it, in order.
        checked_at (datetime): when the checks ran.
    """

    report = attr.ib()
    included = attr.ib(type=tuple, converter=tuple)
    checked_at = attr.ib(type=datetime)
    status_reason = ""
    standing = None

    @property
    def state(self):
        return VERIFIED if self.report.verified else INVALID

    @property
    def verified(self):
        """The record and every credential inside it verified."""
        return self.state == VERIFIED and all(item.verdict.verified for item in self.included)

    @property
    def label(self):
        return RECORD_LABELS[self.state]

    @property
    def explanation(self):
        return RECORD_EXPLANATIONS[self.state]

    @property
    def reason(self):
        failed = [check for check in self.report.checks if not check.passed]
        return failed[0].reason if failed else ""

    def issuer(self):
        return None

    @property
    def checks(self):
        """As a badge's: after a failed signature, the record's dates judged nothing."""
        return check_rows(self.report.checks, RECORD_CHECK_LABELS)

    def as_dict(self):
        """The JSON the verify API returns for a record."""
        return {
            "record": {
                "verified": self.report.verified,
                "checks": self.report.to_json()["checks"],
            },
            "badges": [item.verdict.as_dict() for item in self.included],
        }


def verify_submitted_record(document, *, now=None):
    """The ``RecordVerdict`` of a submitted ClrCredential and of each credential inside it."""
    now = now or datetime.now(UTC)
    report = verify_clr(document, resolve=verification_resolver(), now=now, embedded=False)
    embedded = (document.get("credentialSubject") or {}).get("verifiableCredential") or []
    included = []
    for number, credential in enumerate(embedded if isinstance(embedded, list) else [], 1):
        verdict = verify_submitted_credential(credential, now=now)
        facts = describe_credential(credential) if verdict.authentic else None
        included.append(IncludedCredential(number, verdict, facts))
    return RecordVerdict(report, included, now)
