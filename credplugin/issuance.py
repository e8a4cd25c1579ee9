"""Issue one badge: compose → sign → verify what was signed → store → announce.

``issue_request`` is idempotent and safe to run concurrently for the same request: the request
row is locked (``SKIP LOCKED`` where the database has it) for the store step, a request that is
no longer pending is left alone, and ``IssuedBadge.request`` is one-to-one, so two workers can
never store two badges for one request. The status-list slot is reserved in its own short
transaction first, because the credential must name it before it is signed.
"""

import logging
import uuid

from django.db import transaction
from django.utils import timezone

from credplugin import composition, events, identity, keys, notifications, status_lists
from credplugin.exceptions import NotFound, PermanentIssuanceError
from credplugin.models import IssuanceRequest, IssuedBadge
from credplugin.openbadges.did import did_document, did_web_document_url
from credplugin.openbadges.proof import sign_credential
from credplugin.openbadges.verify import parse_datetime, verify_credential

log = logging.getLogger(__name__)
OPEN = (IssuanceRequest.Status.PENDING, IssuanceRequest.Status.WAITING)

ISSUED = "issued"
WAITING = "waiting"
SKIPPED = "skipped"


def issuer_did_document():
    """This site's ``did:web`` document, listing every key it has signed with.

    Raises:
        NotFound: the issuer is not a did:web DID (e.g. a configured did:key).
    """
    did = identity.issuer_did()
    if not did.startswith("did:web:"):
        raise NotFound(f"The issuer is {did}; this site publishes no did:web document.")
    return did_document(did, keys.published_keys())


def resolve_for_verification(reference):
    """Resolve this site's DID document and status lists from the database, without HTTP.

    ``reference`` is a DID, a DID document URL or a status list URL, as
    ``openbadges.verify_credential`` asks for them.

    Raises:
        NotFound: the reference is not published by this site.
    """
    did = identity.issuer_did()
    if did.startswith("did:web:") and reference in (did, did_web_document_url(did)):
        return issuer_did_document()
    found = status_lists.status_list_for_url(reference)
    if found is None:
        raise NotFound(f"{reference} is not published by this site.")
    return status_lists.published_credential(*found)


def _mark(request_id, status, reason):
    IssuanceRequest.objects.filter(pk=request_id, status__in=OPEN).update(
        status=status, reason=reason, updated=timezone.now()
    )


def mark_failed(request_id, reason):
    """Record a permanent failure with a sentence an operator can act on."""
    log.error("credplugin issuance request %s failed: %s", request_id, reason)
    _mark(request_id, IssuanceRequest.Status.FAILED, reason)


def issue_request(request_id):
    """Issue the badge of one request; returns ``issued``, ``waiting`` or ``skipped``.

    Raises:
        PermanentIssuanceError: retrying cannot help (the caller marks the request failed).
        django.db.OperationalError and other transient errors: the caller retries.
    """
    request = (
        IssuanceRequest.objects.filter(pk=request_id, status__in=OPEN)
        .select_related("user", "badge_class")
        .first()
    )
    if request is None:
        return SKIPPED
    did = identity.issuer_did()
    try:
        key_row, signing_key = keys.active_signing_key(did)
    except keys.KeyUnavailable as unavailable:
        _mark(request.pk, IssuanceRequest.Status.WAITING, str(unavailable))
        log.warning("credplugin issuance request %s waits: %s", request.pk, unavailable)
        return WAITING
    sequence, index = status_lists.reserve_slot(request.pk)
    status_lists.ensure_signed(sequence, signing_key)
    IssuanceRequest.objects.filter(pk=request.pk).update(attempts=request.attempts + 1)
    with transaction.atomic():
        locked = (
            IssuanceRequest.objects.select_for_update(skip_locked=True)
            .filter(pk=request.pk, status__in=OPEN)
            .first()
        )
        if locked is None:
            return SKIPPED  # another worker holds it, or finished it meanwhile
        issued = _sign_and_store(request, key_row, signing_key, sequence, index)
        IssuanceRequest.objects.filter(pk=request.pk).update(
            status=IssuanceRequest.Status.ISSUED, reason="", updated=timezone.now()
        )
        transaction.on_commit(lambda: announce(issued.pk))
    log.info("credplugin issued badge %s for request %s", issued.uuid, request.pk)
    return ISSUED


def _sign_and_store(request, key_row, signing_key, sequence, index):
    now = timezone.now()
    badge_uuid = uuid.uuid4()
    document = composition.compose(
        request, badge_uuid=badge_uuid, sequence=sequence, index=index, now=now
    )
    signed = sign_credential(document, signing_key, created=now)
    report = verify_credential(signed, resolve=resolve_for_verification, now=now)
    if not report.verified:
        failed = "; ".join(f"{c.name}: {c.reason}" for c in report.checks if not c.passed)
        raise PermanentIssuanceError(f"The signed credential did not verify ({failed}).")
    valid_until = (
        parse_datetime(signed["validUntil"], "validUntil") if "validUntil" in signed else None
    )
    return IssuedBadge.objects.create(
        uuid=badge_uuid,
        request=request,
        user_id=request.user_id,
        badge_class=request.badge_class,
        generation=request.generation,
        issuer_key=key_row,
        credential=signed,
        issued_at=now,
        valid_until=valid_until,
        status_list_sequence=sequence,
        status_list_index=index,
    )


def announce(badge_pk):
    """After commit: the openedx-event, then the learner's e-mail."""
    events.send_badge_awarded(badge_pk)
    notifications.send_award_email(badge_pk)
