"""Issue badges: compose → sign → verify what was signed → store → announce.

``issue_requests`` takes a batch of outbox rows and is idempotent and safe to run concurrently
for the same rows: the status-list slots are reserved (and committed) first, because each
credential names its slot before it is signed; then every credential is composed, signed and
verified outside any transaction; finally the rows are locked, rows no longer pending are
left alone, and the badges are stored in one transaction. ``IssuedBadge.request`` is
one-to-one, so two workers can never store two badges for one request. While it works, the
batch is claimed by its attempt (``credplugin.issuing.claims``), so that if the attempt dies,
another takes the batch over within seconds. A batch costs a handful of queries whatever its size;
each badge is still individually signed and verified.
"""

import logging
import uuid
from collections import defaultdict
from functools import partial
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone

from credplugin.authoring import requirements
from credplugin.exceptions import NotFound, PermanentIssuanceError
from credplugin.issuer import identity, keys, status_lists
from credplugin.issuing import announcements, claims, composition
from credplugin.mail import badge_awarded
from credplugin.models import BadgeClass, IssuanceRequest, IssuedBadge
from credplugin.openbadges import marshalled
from credplugin.openbadges.did import did_document, did_web_document_url
from credplugin.openbadges.proof import sign_credential
from credplugin.openbadges.verify import parse_datetime, verify_credential
from credplugin.stacking import credentials, pathways

log = logging.getLogger(__name__)
OPEN = (IssuanceRequest.Status.PENDING, IssuanceRequest.Status.WAITING)

ISSUED = "issued"
WAITING = "waiting"
FAILED = "failed"
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


class _Signer(NamedTuple):
    key_row: object
    signing_key: object
    resolve: object
    lease: claims.Renewal


class _BatchResolver:
    """``resolve_for_verification`` remembered for one batch: the documents do not change
    while it is signed (new slots are clear bits), so each is read from the database once."""

    def __init__(self):
        self._seen = {}
        self.verified_status_lists = {}  # verify_credential's memo, valid as long as _seen

    def __call__(self, reference):
        if reference not in self._seen:
            self._seen[reference] = resolve_for_verification(reference)
        return self._seen[reference]


def _mark(request_ids, status, reason):
    IssuanceRequest.objects.filter(pk__in=list(request_ids), status__in=OPEN).update(
        status=status, reason=reason, updated=timezone.now()
    )


def mark_failed(request_ids, reason):
    """Record a permanent failure with a sentence an operator can act on."""
    log.error("credplugin issuance request(s) %s failed: %s", list(request_ids), reason)
    _mark(request_ids, IssuanceRequest.Status.FAILED, reason)


def issue_requests(request_ids, *, attempt=""):
    """Issue a batch of requests; returns ``{request id: outcome}`` for the open ones.

    A request that cannot succeed by retrying (results no longer meet the badge, a credential
    that does not verify, a composition error) is marked failed with its reason; the others
    in the batch are still issued. ``attempt`` (a task id) claims the batch while it works
    and renews its lease as it signs (``credplugin.issuing.claims``), so that if it dies, the batch
    is taken over in seconds.

    Raises:
        django.db.OperationalError and other transient errors: the caller retries the batch.
    """
    requests = list(
        IssuanceRequest.objects.filter(pk__in=list(request_ids), status__in=OPEN)
        .select_related("user")
        .order_by("pk")
    )
    if not requests:
        return {}
    _share_badge_classes(requests)
    did = identity.issuer_did()
    try:
        key_row, signing_key = keys.active_signing_key(did)
    except keys.KeyUnavailable as unavailable:
        _mark([r.pk for r in requests], IssuanceRequest.Status.WAITING, str(unavailable))
        log.warning("credplugin issuance waits (%d request(s)): %s", len(requests), unavailable)
        return dict.fromkeys((r.pk for r in requests), WAITING)
    pks = [r.pk for r in requests]
    claims.claim(pks, attempt)
    slots = status_lists.count_attempt_and_reserve_slots(pks)
    for sequence in {sequence for sequence, _index in slots.values()}:
        status_lists.ensure_signed(sequence, signing_key)
    signer = _Signer(key_row, signing_key, _BatchResolver(), claims.Renewal(pks, attempt))
    prepared, outcomes = _prepare(requests, slots, signer)
    issued = _store(prepared)
    outcomes.update(dict.fromkeys((badge.request_id for badge in issued), ISSUED))
    for request in requests:
        outcomes.setdefault(request.pk, SKIPPED)
    return outcomes


def _share_badge_classes(requests):
    """Give the requests their badge classes, each read once: joined per row, every request
    would carry its own copy, its course key parsed and its JSON fields decoded again."""
    badge_classes = BadgeClass.objects.in_bulk({request.badge_class_id for request in requests})
    for request in requests:
        request.badge_class = badge_classes[request.badge_class_id]


def _prepare(requests, slots, signer):
    """Compose, sign and verify every credential; no transaction is open meanwhile."""
    by_badge_class = defaultdict(list)
    for request in requests:
        by_badge_class[request.badge_class_id].append(request)
    prepared, outcomes, failures = [], {}, defaultdict(list)
    for batch in by_badge_class.values():
        compose = credentials.composer(batch[0].badge_class) or _assessment_composer(batch)
        # The credentials share their parts' dicts (composition.BatchParts.serialized) and
        # nothing edits a credential once composed: the achievement is serialized for the
        # canonicalizer's and the form check's memos once per batch, not twice per badge.
        with marshalled.unchanged():
            for request in batch:
                signer.lease.tick()
                try:
                    prepared.append(_signed_badge(request, compose, slots[request.pk], signer))
                except PermanentIssuanceError as error:
                    failures[str(error)].append(request.pk)
                except Exception as error:  # one bad badge must not block the batch
                    log.exception("credplugin could not compose request %s", request.pk)
                    failures[f"Unexpected error: {type(error).__name__}: {error}"].append(
                        request.pk
                    )
    for reason, pks in failures.items():
        mark_failed(pks, reason)
        outcomes.update(dict.fromkeys(pks, FAILED))
    return prepared, outcomes


def _assessment_composer(batch):
    """``compose(request, **slot)`` for badges earned by assessment blocks, with the batch's
    requirements and results loaded once, and the parts its credentials share built once."""
    needed = requirements.active_requirements(batch[0].badge_class)
    results = requirements.latest_results([r.user_id for r in batch], [n.usage_key for n in needed])
    parts = composition.BatchParts()
    return partial(_compose_assessed, needed=needed, results=results, parts=parts)


def _compose_assessed(request, *, needed, results, parts, **slot):
    return composition.compose(request, needed, results, parts=parts, **slot)


def _signed_badge(request, compose, slot, signer):
    sequence, index = slot
    now = timezone.now()
    badge_uuid = uuid.uuid4()
    document = compose(request, badge_uuid=badge_uuid, sequence=sequence, index=index, now=now)
    signed = sign_credential(document, signer.signing_key, created=now, handed_over=True)
    report = verify_credential(
        signed,
        resolve=signer.resolve,
        now=now,
        verified_status_lists=signer.resolve.verified_status_lists,
    )
    if not report.verified:
        failed = "; ".join(f"{c.name}: {c.reason}" for c in report.checks if not c.passed)
        raise PermanentIssuanceError(f"The signed credential did not verify ({failed}).")
    valid_until = signed.get("validUntil")
    return IssuedBadge(
        uuid=badge_uuid,
        request=request,
        user=request.user,
        badge_class=request.badge_class,
        generation=request.generation,
        issuer_key=signer.key_row,
        credential=signed,
        issued_at=now,
        valid_until=parse_datetime(valid_until, "validUntil") if valid_until else None,
        status_list_sequence=sequence,
        status_list_index=index,
    )


def _store(prepared):
    """Store the badges of the rows still open once locked; return those stored."""
    if not prepared:
        return []
    with transaction.atomic():
        # Lock by primary key only, waiting for (rather than skipping) a row another worker
        # holds: this transaction is short, and on MariaDB SKIP LOCKED also skips rows merely
        # touched by another worker's index scan, which would leave them pending until the
        # sweeper. The status is read under the lock, so a request another worker finished
        # meanwhile is left alone; rows are locked in key order everywhere.
        locked = (
            IssuanceRequest.objects.select_for_update()
            .filter(pk__in=[badge.request_id for badge in prepared])
            .order_by("pk")
            .values_list("pk", "status")
        )
        claimable = {pk for pk, status in locked if status in OPEN}
        issued = [badge for badge in prepared if badge.request_id in claimable]
        if not issued:
            return []
        pathways.lock_pathways(issued)  # before the insert: see pathways.lock_pathways
        IssuedBadge.objects.bulk_create(issued)
        IssuanceRequest.objects.filter(pk__in=claimable).update(
            status=IssuanceRequest.Status.ISSUED, reason="", updated=timezone.now()
        )
        pathways.components_awarded(issued)  # in this transaction: never lost
        transaction.on_commit(lambda: announce(issued))
    log.info("credplugin issued %d badge(s)", len(issued))
    return issued


def announce(issued):
    """After commit: the openedx-event, then the learner's e-mail, for each new badge.

    ``issued``: the ``IssuedBadge`` rows just stored, with user and badge class in memory.
    """
    for badge in issued:
        announcements.send_badge_awarded(badge)
    badge_awarded.send_award_emails(issued)
