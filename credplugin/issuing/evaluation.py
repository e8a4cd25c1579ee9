"""Deciding awards: ``evaluate`` one learner, or a batch of pending learners, into the outbox.

An evaluation decides per badge class of the learner's course and writes the
``IssuanceRequest`` outbox rows in the same transaction as that decision; issuing is queued
only after it commits (or handed to the calling task). A batch of learners costs a handful of
queries per badge class: requirements, results, earlier requests and the new rows are read
and written for the whole batch at once.
"""

import functools
import operator
from collections import defaultdict
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from credplugin.authoring import requirements, validation
from credplugin.conf import ON_FAILING_KEEP, ON_FAILING_REVOKE, credplugin_settings
from credplugin.issuer import status_lists
from credplugin.issuing import claims, intake, lifecycle
from credplugin.models import BadgeClass, CoursePassingRecord, IssuanceRequest, IssuedBadge
from credplugin.renewing import renewal
from credplugin.stacking import pathways

# Pending records one evaluation task takes on at a time (see drain_pending).
EVALUATION_BATCH = 200


def evaluate(user_id, course_key, *, new_requests=None):
    """Bring one learner's badges in a course in line with their status. Idempotent.

    Returns a list of ``(badge_class_slug, outcome)`` pairs describing what was done. New
    outbox rows are queued for issuing after commit, or, when ``new_requests`` is a list,
    appended to it for a caller (a Celery task, outside any transaction) that issues them
    itself, saving a round trip through the broker.
    """
    course_key = validation.course_key(course_key)
    record = CoursePassingRecord.objects.filter(user_id=user_id, course_key=course_key).first()
    if record is None:
        return []
    return evaluate_records([record], new_requests=new_requests, locked=False)[record.pk]


def drain_pending(user_id, course_key, *, batch=EVALUATION_BATCH, on_full_batch=None, attempt=""):
    """Evaluate pending records batch by batch until none is left; yield each batch's new
    outbox rows' ids (committed, claimed by ``attempt``: ``credplugin.issuing.claims``), for the
    caller to issue before the next batch.

    Since events are debounced per course (``intake.request_evaluation``),
    one task drains what many events marked. ``on_full_batch`` is called when more may be
    pending, so the caller can ask another worker to help.
    """
    course_key = validation.course_key(course_key)
    while True:
        taken, new_requests = _evaluate_batch(user_id, course_key, batch, attempt=attempt)
        if not taken:
            return
        if taken == batch and on_full_batch is not None:
            on_full_batch()
        yield new_requests


def any_pending_learner():
    """``(user_id, course_key)`` of the longest-waiting pending record, or None."""
    return (
        CoursePassingRecord.objects.filter(evaluation_pending=True)
        .order_by("updated")
        .values_list("user_id", "course_key")
        .first()
    )


def _evaluate_batch(user_id, course_key, batch, *, attempt=""):
    """``(records taken, new request ids)`` of one batch: this learner's pending record and up
    to ``batch - 1`` others.

    Under load many evaluation tasks are queued at once; each one taking a batch of pending
    records (skipping those locked by other tasks, so concurrent tasks take disjoint batches)
    lets the issuance that follows share its database work. A task whose learner another task
    already evaluated finds nothing pending for it and simply helps with the rest.
    """
    pending = CoursePassingRecord.objects.filter(evaluation_pending=True)
    if not pending.exists():
        return 0, []  # the common case once other tasks took everything: no transaction
    new_requests = []
    with transaction.atomic():
        # The learner's own record is waited for (a task evaluating it commits soon and
        # clears the flag); the others are skipped when locked, so a task that holds records
        # never waits for another and no cycle of waits can form.
        records = list(pending.select_for_update().filter(user_id=user_id, course_key=course_key))
        others = (
            pending.select_for_update(skip_locked=True)
            .exclude(user_id=user_id, course_key=course_key)
            .order_by("updated")
        )
        records += list(others[: batch - len(records)])
        evaluate_records(records, new_requests=new_requests, locked=True, attempt=attempt)
    return len(records), new_requests


def evaluate_records(records, *, new_requests=None, locked, attempt=""):
    """Evaluate passing records; returns ``{record pk: [(badge slug, outcome)]}``.

    ``locked``: the caller holds the records' row locks, so their pending flags are cleared
    outright; otherwise only where no newer status change arrived meanwhile. New outbox rows
    are claimed by ``attempt`` (``credplugin.issuing.claims``) from the moment they exist.
    """
    outcomes = {record.pk: [] for record in records}
    by_course = defaultdict(list)
    for record in records:
        by_course[validation.master_course_key(record.course_key)].append(record)
    creations = []
    for course_key, course_records in by_course.items():
        for badge_class, pathway in classes_awarded_by_blocks(course_key):
            for record, outcome in _evaluate_badge(
                badge_class, course_records, creations, pathway=pathway
            ):
                outcomes[record.pk].append((badge_class.slug, outcome))
    # The outbox rows come last: their status-list slots lock the list, so every badge
    # reinstated, suspended or revoked above was locked before it, the order revoking uses.
    for record, request in _create(creations, attempt):
        if new_requests is None:
            intake.schedule_issuance(request.pk)
        else:
            new_requests.append(request.pk)
        outcomes[record.pk].append((request.badge_class.slug, "requested"))
    if records:
        if locked:
            done = Q(pk__in=[record.pk for record in records])
        else:
            done = functools.reduce(
                operator.or_, (Q(pk=record.pk, updated=record.updated) for record in records)
            )
        CoursePassingRecord.objects.filter(done).update(evaluation_pending=False)
    return outcomes


def classes_awarded_by_blocks(course_key):
    """``(badge_class, is_pathway)`` of each active class the course's blocks award: its own
    badges, then the pathway badges its blocks also feed, which are awarded once the components
    complete the pathway too (the pathway's own policy, not the failing policy, governs their
    losses)."""
    own = BadgeClass.objects.filter(course_key=course_key, active=True, pathway__isnull=True)
    fed_pathways = BadgeClass.objects.filter(
        course_key=course_key, active=True, pathway__isnull=False, requirements__active=True
    ).distinct()
    return [(badge_class, False) for badge_class in own] + [
        (badge_class, True) for badge_class in fed_pathways
    ]


def _evaluate_badge(badge_class, records, creations, *, pathway=False):
    """Yield ``(record, outcome)`` for what changed for ``badge_class``; append the outbox rows
    it calls for to ``creations`` as ``(record, unsaved IssuanceRequest)``.

    ``pathway``: the class is a pathway's badge, also earned by these blocks; learners must
    hold its components too (decided under the pathway's lock, see ``pathways.blocks_met``).
    """
    triggered = [record for record in records if intake.triggers_award(record)]
    if triggered:
        needed = requirements.active_requirements(badge_class)
        results = requirements.latest_results(
            [record.user_id for record in triggered], [n.usage_key for n in needed]
        )
        meeting = [r for r in triggered if requirements.judge(needed, r.user_id, results)[0]]
        if pathway:
            complete = pathways.complete_for(badge_class, [r.user_id for r in meeting])
            meeting = [record for record in meeting if record.user_id in complete]
        latest = _latest_requests(badge_class, [record.user_id for record in meeting])
        for record in meeting:
            generation, outcome = _reinstate_or_next_generation(latest.get(record.user_id))
            if generation is not None:
                request = IssuanceRequest(
                    user_id=record.user_id, badge_class=badge_class, generation=generation
                )
                creations.append((record, request))
            elif outcome:
                yield record, outcome
    for record in [] if pathway else records:
        if not intake.triggers_award(record) and not record.is_passing:
            outcome = apply_failing_policy(record.user_id, badge_class)
            if outcome:
                yield record, outcome


def _latest_requests(badge_class, user_ids):
    """Each learner's newest request for the badge (with its issued badge), in one query."""
    latest = {}
    if not user_ids:
        return latest
    rows = (
        IssuanceRequest.objects.filter(badge_class=badge_class, user_id__in=user_ids)
        .select_related("issued_badge")
        .defer("issued_badge__credential")  # only its status is judged; the JSON is ~12 kB
        .order_by("user_id", "-generation")
    )
    for request in rows:
        latest.setdefault(request.user_id, request)
    return latest


def _reinstate_or_next_generation(latest):
    """``(generation to request, None)``, or ``(None, outcome)`` when no request is due.

    Nothing is due while a request is on its way or failed (an operator retries it), or the
    badge is active, suspended by a person, or revoked with re-award blocked. A badge the
    failing policy suspended is reinstated instead; a revoked one, or one that expired past
    its renewal grace (lapsed), is earned anew.
    """
    if latest is None:
        return 1, None
    issued = getattr(latest, "issued_badge", None)
    in_flight = issued is None
    if in_flight or (issued.status == IssuedBadge.Status.ACTIVE and not renewal.lapsed(issued)):
        return None, None
    if issued.status == IssuedBadge.Status.SUSPENDED:
        if lifecycle.suspended_by_policy(issued):
            lifecycle.reinstate(issued, reason="", actor_id=None)
            return None, "reinstated"
        return None, None
    if issued.reaward_blocked:
        return None, None
    return latest.generation + 1, None


def _create(creations, attempt):
    """Insert the new outbox rows, each with its status-list slot and ``attempt``'s lease; a
    row another delivery inserted first is left out (those rows get their slots when issued).

    Returns the ``(record, request)`` pairs actually created, with primary keys.
    """
    if not creations:
        return []
    lease_until = timezone.now() + timedelta(seconds=claims.lease_seconds())
    for _record, request in creations:
        request.claimed_by, request.lease_until = attempt, lease_until
    try:
        with transaction.atomic():
            # Taken last, so the list's lock is held only until the decision commits.
            slots = status_lists.take_slots(len(creations))
            for (_record, request), (sequence, index) in zip(creations, slots, strict=True):
                request.status_list_sequence, request.status_list_index = sequence, index
            IssuanceRequest.objects.bulk_create([request for _record, request in creations])
    except IntegrityError:
        return list(_create_one_by_one(creations, attempt))
    # Not every database returns the keys of a bulk insert; the uuids were set here.
    keys = dict(
        IssuanceRequest.objects.filter(
            uuid__in=[request.uuid for _record, request in creations]
        ).values_list("uuid", "pk")
    )
    for _record, request in creations:
        request.pk = keys[request.uuid]
    return creations


def _create_one_by_one(creations, attempt):
    for record, planned in creations:
        try:
            with transaction.atomic():
                request = IssuanceRequest.objects.create(
                    user_id=planned.user_id,
                    badge_class=planned.badge_class,
                    generation=planned.generation,
                    claimed_by=attempt,
                    lease_until=planned.lease_until,
                )
        except IntegrityError:
            continue  # another delivery decided the same award first
        yield record, request


def apply_failing_policy(user_id, badge_class):
    """``CREDPLUGIN_ON_FAILING``: keep, suspend or revoke active badges of a failing learner."""
    policy = credplugin_settings.ON_FAILING
    if policy == ON_FAILING_KEEP:
        return None
    active = IssuedBadge.objects.filter(
        user_id=user_id, badge_class=badge_class, status=IssuedBadge.Status.ACTIVE
    )
    done = None
    for issued in active:
        if policy == ON_FAILING_REVOKE:
            lifecycle.revoke(issued, reason=lifecycle.FAILING_REASON, actor_id=None)
            done = "revoked"
        else:
            lifecycle.suspend(issued, reason=lifecycle.FAILING_REASON, actor_id=None)
            done = "suspended"
    return done
