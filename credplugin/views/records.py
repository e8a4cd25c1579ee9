"""Verifying a submitted CLR learner record: the record's own checks, then a verdict for each
badge inside it, each judged exactly as if it had been submitted on its own (same resolver,
same trust boundary; see ``verdicts``)."""

from datetime import UTC, datetime

from credplugin.openbadges.clr import verify_clr
from credplugin.presentation.resolution import verification_resolver
from credplugin.presentation.verdicts import verify_submitted_credential


def verify_submitted_record(document, *, now=None):
    """``{"record": {verified, checks}, "badges": [verdict, …]}`` for a ClrCredential."""
    now = now or datetime.now(UTC)
    report = verify_clr(document, resolve=verification_resolver(), now=now, embedded=False)
    embedded = (document.get("credentialSubject") or {}).get("verifiableCredential") or []
    return {
        "record": {
            "verified": report.verified,
            "checks": report.to_json()["checks"],
        },
        "badges": [
            verify_submitted_credential(badge, now=now).as_dict()
            for badge in (embedded if isinstance(embedded, list) else [])
        ],
    }
