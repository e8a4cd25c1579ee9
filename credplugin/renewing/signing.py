"""Sign a renewed badge: the next version of the same credential.

Same ``id``, issuer and ``awardedDate`` as the version it replaces; new ``validFrom`` and
``validUntil`` (counted from the old expiry, or from now when renewed in the grace period);
the renewal's results and evidence appended; a fresh status entry; a ``refreshService``.
Compose → sign → verify what was signed → store under the badge's row lock, like a first
issuance. The first renewal keeps the original as version 1, so every version verifies.
"""

import copy
import logging
from functools import partial

from django.db import transaction
from django.utils import timezone, translation

from credplugin.issuer import identity, keys, status_lists
from credplugin.issuing import announcements, claims, composition
from credplugin.mail import badge_awarded
from credplugin.models import (
    AssessmentResult,
    BadgeRequirement,
    CredentialVersion,
    IssuedBadge,
    RenewalAssessment,
    RenewalRequest,
)
from credplugin.openbadges.proof import sign_credential
from credplugin.openbadges.serialize import format_datetime
from credplugin.openbadges.verify import parse_datetime, verify_credential
from credplugin.renewing.renewal import refusal

log = logging.getLogger(__name__)

ISSUED = "issued"
FAILED = "failed"
SKIPPED = "skipped"
WAITING = "waiting"


def issue_claimed(request_id, attempt):
    """Sign the request for ``attempt`` unless another live attempt holds it
    (``claims.take``); returns the outcome (``skipped`` when held elsewhere)."""
    if not claims.take(RenewalRequest, request_id, attempt):
        return SKIPPED
    return issue_renewal(request_id)


def finish_orphaned(attempt, *, batch):
    """Sign the renewals attempts that died left behind, claimed for ``attempt`` batch by
    batch; returns how many were taken over."""
    taken = 0
    for orphans in claims.orphaned_batches(attempt, batch=batch, model=RenewalRequest):
        for request_id in orphans:
            issue_renewal(request_id)
        taken += len(orphans)
    return taken


def issue_renewal(request_id):
    """Sign, verify and store the version a renewal request asks for; returns the outcome."""
    request = (
        RenewalRequest.objects.filter(pk=request_id, status=RenewalRequest.Status.PENDING)
        .select_related("badge__user", "badge__badge_class")
        .first()
    )
    if request is None:
        return SKIPPED
    RenewalRequest.objects.filter(pk=request.pk).update(attempts=request.attempts + 1)
    try:
        key_row, signing_key = keys.active_signing_key(identity.issuer_did())
    except keys.KeyUnavailable as unavailable:
        RenewalRequest.objects.filter(pk=request.pk).update(reason=str(unavailable))
        return WAITING
    status_lists.ensure_signed(request.status_list_sequence, signing_key)
    now = timezone.now()
    badge = request.badge
    document = compose_renewed(badge, request, now)
    signed = sign_credential(document, signing_key, created=now)
    from credplugin.issuing.issuance import resolve_for_verification  # noqa: PLC0415  (import cycle)

    report = verify_credential(signed, resolve=resolve_for_verification, now=now)
    if not report.verified:
        failed = "; ".join(f"{c.name}: {c.reason}" for c in report.checks if not c.passed)
        return _fail(request, f"The renewed credential did not verify ({failed}).")
    return _store(request, signed, key_row, now)


def compose_renewed(badge, request, now):
    """The unsigned next version of ``badge``'s credential (see the module docstring)."""
    document = copy.deepcopy(badge.credential)
    document.pop("proof", None)
    badge_class = badge.badge_class
    base = max(badge.valid_until, now) if badge.valid_until else now
    document["validFrom"] = format_datetime(now)
    document["validUntil"] = format_datetime(
        composition.add_months(base, badge_class.validity_months)
    )
    document["credentialStatus"] = status_lists.status_entry(
        request.status_list_sequence, request.status_list_index
    ).to_json()
    document["refreshService"] = identity.refresh_service(badge.uuid)
    with translation.override(badge_class.language or None):
        descriptions, results, evidence = _renewal_parts(request)
    subject = document["credentialSubject"]
    achievement = subject["achievement"]
    known = {d["id"] for d in achievement.get("resultDescription", [])}
    new_descriptions = [d.to_json() for d in descriptions if d.id not in known]
    if new_descriptions:
        achievement["resultDescription"] = (
            achievement.get("resultDescription", []) + new_descriptions
        )
    if results:
        subject["result"] = subject.get("result", []) + [r.to_json() for r in results]
    if evidence:
        document["evidence"] = document.get("evidence", []) + [e.to_json() for e in evidence]
    return document


def _renewal_parts(request):
    results = AssessmentResult.objects.filter(uuid__in=request.results).select_related("rubric")
    blocks = {r.usage_key: r for r in RenewalAssessment.objects.filter(
        usage_key__in=[result.usage_key for result in results])}  # fmt: skip
    blocks.update(
        {
            r.usage_key: r
            for r in BadgeRequirement.objects.filter(
                usage_key__in=[result.usage_key for result in results]
            ).select_related("rubric")
        }
    )
    descriptions, achieved, evidence = [], [], []
    for result in results.order_by("created", "id"):
        parts = composition.result_parts(blocks[result.usage_key], result)
        descriptions += parts[0]
        achieved += parts[1]
        evidence += parts[2]
    return descriptions, achieved, evidence


def _fail(request, reason):
    log.error("credplugin renewal request %s failed: %s", request.pk, reason)
    RenewalRequest.objects.filter(pk=request.pk, status=RenewalRequest.Status.PENDING).update(
        status=RenewalRequest.Status.FAILED, reason=reason
    )
    return FAILED


def _store(request, signed, key_row, now):
    with transaction.atomic():
        badge = IssuedBadge.objects.select_for_update().select_related("user", "badge_class")
        badge = badge.get(pk=request.badge_id)
        locked = RenewalRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status != RenewalRequest.Status.PENDING:
            return SKIPPED
        if badge.status != IssuedBadge.Status.ACTIVE:
            return _fail(request, refusal(badge, now) or "The badge is no longer active.")
        if badge.version + 1 != locked.version:
            return _fail(request, "Another version of this badge was issued meanwhile.")
        if badge.version == 1:
            _keep_first_version(badge)
        valid_until = parse_datetime(signed["validUntil"], "validUntil")
        CredentialVersion.objects.create(
            badge=badge,
            version=locked.version,
            credential=signed,
            issuer_key=key_row,
            valid_from=now,
            valid_until=valid_until,
            status_list_sequence=locked.status_list_sequence,
            status_list_index=locked.status_list_index,
            renewal=locked,
        )
        badge.credential = signed
        badge.valid_until = valid_until
        badge.version = locked.version
        badge.renewed_at = now
        badge.issuer_key = key_row
        badge.status_list_sequence = locked.status_list_sequence
        badge.status_list_index = locked.status_list_index
        badge.save()
        locked.status = RenewalRequest.Status.ISSUED
        locked.reason = ""
        locked.save(update_fields=["status", "reason", "updated"])
        transaction.on_commit(partial(_announce, badge))
    log.info("credplugin renewed badge %s to version %d", badge.uuid, badge.version)
    return ISSUED


def _announce(badge):
    """After commit: the openedx-event for the renewed version, then the holder's e-mail."""
    announcements.send_badge_awarded(badge)
    badge_awarded.send_renewed_email(badge)


def _keep_first_version(badge):
    valid_from = badge.credential.get("validFrom")
    CredentialVersion.objects.create(
        badge=badge,
        version=1,
        credential=badge.credential,
        issuer_key=badge.issuer_key,
        valid_from=parse_datetime(valid_from, "validFrom") if valid_from else badge.issued_at,
        valid_until=badge.valid_until,
        status_list_sequence=badge.status_list_sequence,
        status_list_index=badge.status_list_index,
    )
