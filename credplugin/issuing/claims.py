"""Which attempt works on which pending award, until when: a killed worker costs seconds.

An *attempt* is one run of a Celery task, named by the task id. A message delivered again
after its worker died, or a task retried, runs under the same id. Both outboxes work this way:
``IssuanceRequest`` (awards, the default ``model``) and ``RenewalRequest`` (renewals). A pending
row carries the attempt that claimed it (``claimed_by``) and a lease (``lease_until``) that the
attempt renews while it signs. A row is *orphaned* when its lease ran out, when it has none, or
when the attempt asking is the one that claimed it: a task that finds rows under its own id is
the redelivery of an attempt that died (or froze) holding them.

Evaluation tasks take orphaned rows first (``orphaned_batches``), and one that ends while
another attempt's lease runs queues a recovery for when it expires (``next_expiry``); so does
a worker that starts, for when the last lease runs out (``last_expiry``). Leases
only decide who works on a row. Whether a badge is stored is decided under the row lock in
``issuance._store``, so a lease that runs out under a slow but live attempt costs a second
signature, never a second badge.
"""

import logging
import time
from datetime import timedelta

from django.core.mail import get_connection
from django.db import OperationalError, transaction
from django.db.models import Max, Min, Q
from django.utils import timezone

from credplugin.conf import credplugin_settings
from credplugin.models import IssuanceRequest, RenewalRequest

log = logging.getLogger(__name__)

PENDING = IssuanceRequest.Status.PENDING
# How often a claim insert that deadlocked is tried (MariaDB picks one victim per deadlock).
CLAIM_INSERT_ATTEMPTS = 5
# MySQL/MariaDB error codes: ER_LOCK_DEADLOCK.
_DEADLOCK = 1213


def is_deadlock(error):
    """Whether ``error`` (a database ``OperationalError``) is InnoDB choosing this statement
    as a deadlock's victim."""
    return bool(error.args) and error.args[0] == _DEADLOCK


# The outboxes whose rows carry claims and leases; their pending status is the same word.
OUTBOXES = (IssuanceRequest, RenewalRequest)


def insert_claims(model, rows, token_field):
    """Claim by inserting: insert ``rows`` (unsaved, each carrying a token in
    ``token_field``), letting the model's unique constraint refuse those another sender
    claimed first, and return the rows this call inserted (found by their tokens).

    The shape of e-mails sent once per row whoever sends (renewal reminders, survey
    invitations): each sender sends only what it won. Outbox rows are claimed differently,
    with a lease on rows that already exist (above), since their work may be taken over.
    """
    for attempt in range(1, CLAIM_INSERT_ATTEMPTS + 1):
        try:
            model.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
            break
        except OperationalError as error:
            # Concurrent INSERT IGNOREs on one unique index can deadlock on InnoDB; the loser's
            # statement is rolled back whole, and inserting again is harmless (rows another
            # sender won are ignored). Inside a caller's transaction the rollback took its
            # other work too, so only the caller can retry.
            in_transaction = transaction.get_connection().in_atomic_block
            if not is_deadlock(error) or in_transaction or attempt == CLAIM_INSERT_ATTEMPTS:
                raise
            log.info("credplugin: claim insert deadlocked (attempt %d); trying again", attempt)
            time.sleep(0.01 * attempt)
    tokens = {getattr(row, token_field) for row in rows}
    return model.objects.filter(**{f"{token_field}__in": list(tokens)})


def send_claimed(model, claim_ids, messages, now, what):
    """Send the e-mails of the claims ``claim_ids`` (rows of ``model`` won through
    :func:`insert_claims`) over one connection and mark them sent; returns how many went out.

    Mail trouble deletes the claims still unsent, so a later run claims and sends them.
    """
    if messages:
        try:
            get_connection().send_messages(messages)
        except Exception:  # mail trouble: release the claims so a later run sends them
            log.exception("credplugin could not send %d %s", len(messages), what)
            model.objects.filter(pk__in=list(claim_ids), sent_at__isnull=True).delete()
            return 0
    model.objects.filter(pk__in=list(claim_ids)).update(sent_at=now)
    return len(messages)


def lease_seconds():
    return credplugin_settings.ISSUANCE_LEASE_SECONDS


def _lease_from(now):
    return now + timedelta(seconds=lease_seconds())


def claim(request_ids, attempt, model=IssuanceRequest):
    """Record ``attempt`` as working on the pending rows among ``request_ids``, with a fresh
    lease (also marking them busy for the sweeper, which re-queues only idle rows).

    Rows ``attempt`` already holds with at least two thirds of a lease left are left as they
    are: those its own evaluation wrote a moment ago (``claimed_by``, ``lease_until`` and
    ``updated`` are indexed, so rewriting them costs the server three index entries a row).
    Their lease outlasts the first renewal of a ``Renewal`` made now.
    """
    now = timezone.now()
    two_thirds_left = now + timedelta(seconds=lease_seconds() * 2 / 3)
    held_fresh = Q(claimed_by=attempt, lease_until__gte=two_thirds_left)
    model.objects.filter(pk__in=list(request_ids), status=PENDING).exclude(held_fresh).update(
        claimed_by=attempt, lease_until=_lease_from(now), updated=now
    )


def new_lease():
    """The lease a row gets when it is written for a task still to come (``claimed_by``
    empty): nobody else takes it before the task had one lease's time to start."""
    return _lease_from(timezone.now())


def take(model, request_id, attempt):
    """Claim one pending row for ``attempt`` if nobody alive holds it: its lease ran out, it
    has none, it waits for its first task (claimed by nobody) or ``attempt`` holds it (a
    redelivery). Returns whether ``attempt`` now holds it."""
    now = timezone.now()
    free = (
        Q(lease_until__isnull=True)
        | Q(lease_until__lte=now)
        | Q(claimed_by="")
        | Q(claimed_by=attempt)
    )
    return bool(
        model.objects.filter(free, pk=request_id, status=PENDING).update(
            claimed_by=attempt, lease_until=_lease_from(now), updated=now
        )
    )


class Renewal:
    """Keeps ``attempt``'s lease on ``request_ids`` alive: ``tick()`` as work proceeds renews
    it once a third of the lease has passed, so a lease never runs out under a live attempt
    that ticks at least that often."""

    def __init__(self, request_ids, attempt):
        self.request_ids, self.attempt = list(request_ids), attempt
        self._due = time.monotonic() + lease_seconds() / 3

    def tick(self):
        if time.monotonic() < self._due:
            return
        now = timezone.now()
        IssuanceRequest.objects.filter(
            pk__in=self.request_ids, status=PENDING, claimed_by=self.attempt
        ).update(lease_until=_lease_from(now), updated=now)
        self._due = time.monotonic() + lease_seconds() / 3


def _retryable():
    """Pending rows issued fewer times than the task retry limit: a row that keeps failing
    (or keeps killing its worker) is left to the sweeper and an operator."""
    return Q(status=PENDING, attempts__lt=credplugin_settings.TASK_MAX_RETRIES)


def orphaned(attempt, now=None, model=IssuanceRequest):
    """The pending rows nobody alive works on, as seen by ``attempt``: see the module."""
    now = now or timezone.now()
    unheld = Q(lease_until__isnull=True) | Q(lease_until__lte=now)
    if attempt:
        unheld |= Q(claimed_by=attempt)
    return model.objects.filter(_retryable() & unheld)


def claim_orphaned(attempt, *, batch, exclude=(), model=IssuanceRequest):
    """Claim up to ``batch`` orphaned rows (not in ``exclude``) for ``attempt``; returns their
    ids, committed. Rows another attempt is claiming right now are skipped, not waited for."""
    now = timezone.now()
    candidates = orphaned(attempt, now, model).exclude(pk__in=list(exclude))
    if not candidates.exists():
        return []  # the common case: one indexed read, no transaction
    with transaction.atomic():
        pks = list(
            candidates.select_for_update(skip_locked=True)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch]
        )
        if pks:
            model.objects.filter(pk__in=pks).update(
                claimed_by=attempt, lease_until=_lease_from(now), updated=now
            )
    return pks


def orphaned_batches(attempt, *, batch, model=IssuanceRequest):
    """Claim orphaned rows batch by batch until none is left; yield each batch's ids for the
    caller to issue before the next. A row comes at most once, whatever its issuing did."""
    seen = set()
    while True:
        pks = claim_orphaned(attempt, batch=batch, exclude=seen, model=model)
        if not pks:
            return
        seen.update(pks)
        yield pks


def next_expiry(attempt):
    """When the first lease another attempt holds on a pending row of either outbox runs out
    (a datetime), or None when no other attempt holds one."""
    found = []
    for model in OUTBOXES:
        held = model.objects.filter(_retryable(), lease_until__gt=timezone.now())
        if attempt:
            held = held.exclude(claimed_by=attempt)
        found.append(held.aggregate(first=Min("lease_until"))["first"])
    return min((moment for moment in found if moment), default=None)


def last_expiry():
    """When the last lease on a pending row of either outbox runs out (a datetime), or None
    when none runs."""
    found = [
        model.objects.filter(_retryable(), lease_until__gt=timezone.now()).aggregate(
            last=Max("lease_until")
        )["last"]
        for model in OUTBOXES
    ]
    return max((moment for moment in found if moment), default=None)
