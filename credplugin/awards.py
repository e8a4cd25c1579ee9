"""Deciding awards: passing records, ``evaluate`` and the outbox.

The grading path only touches ``CoursePassingRecord`` (one read per event, one write when the
status changed) and queues an evaluation after the transaction commits. The evaluation decides
per badge class and writes the ``IssuanceRequest`` outbox row in the same transaction as that
decision; issuing is queued only after it commits. If the broker is down, nothing is lost: the
pending flags and rows stay in the database and the sweeper picks them up.
"""

import logging
from functools import partial

from django.db import IntegrityError, connection, transaction
from django.db.models.constants import OnConflict
from django.utils import timezone

from credplugin import badges, requirements, validation
from credplugin.conf import (
    AWARD_ON_CERTIFICATE,
    EVENTS_FROM_EVENT_BUS,
    ON_FAILING_KEEP,
    ON_FAILING_REVOKE,
    credplugin_settings,
)
from credplugin.models import BadgeClass, CoursePassingRecord, IssuanceRequest, IssuedBadge

log = logging.getLogger(__name__)
# Pending records one evaluation task takes on (see evaluate_pending).
EVALUATION_BATCH = 50


def accepts_delivery(*, from_event_bus):
    """Whether this delivery of an event is the one ``CREDPLUGIN_EVENTS_FROM`` acts on."""
    return bool(from_event_bus) == (credplugin_settings.EVENTS_FROM == EVENTS_FROM_EVENT_BUS)


def enqueue(task_name, *args):
    """Queue a task; a broker failure is logged, never raised (the sweeper recovers)."""
    from credplugin import tasks  # noqa: PLC0415  (tasks import this module)

    try:
        getattr(tasks, task_name).delay(*args)
    except Exception:  # a broker outage must not reach the caller; the DB keeps the work
        log.warning("credplugin could not queue %s%r; the sweeper will pick it up", task_name, args)


def schedule_evaluation(user_id, course_key):
    transaction.on_commit(partial(enqueue, "evaluate_learner_task", user_id, str(course_key)))


def schedule_issuance(request_id):
    transaction.on_commit(partial(enqueue, "issue_badge_task", request_id))


def _needs_evaluation(is_passing, has_certificate):
    if credplugin_settings.AWARD_ON == AWARD_ON_CERTIFICATE:
        return has_certificate or not is_passing and _failing_matters()
    return is_passing or _failing_matters()


def _failing_matters():
    return credplugin_settings.ON_FAILING != ON_FAILING_KEEP


def course_passing_status_changed(*, user_id, course_key, is_passing):
    """Record the newest passing status; queue an evaluation only when it changed.

    Returns True when an evaluation was queued. Called on every grade recompute, so the
    unchanged case costs one indexed read.
    """
    course_key = validation.course_key(course_key)
    is_passing = bool(is_passing)
    previous = _read_status(user_id, course_key)
    if previous is None:
        pending = _needs_evaluation(is_passing, False)
        _insert_status(user_id, course_key, is_passing=is_passing, pending=pending)
        if pending:
            schedule_evaluation(user_id, course_key)
        return pending
    was_passing, has_certificate = bool(previous[0]), bool(previous[1])
    if was_passing == is_passing:
        return False
    pending = _needs_evaluation(is_passing, has_certificate)
    records = CoursePassingRecord.objects.filter(user_id=user_id, course_key=course_key)
    changed = records.filter(is_passing=was_passing).update(
        is_passing=is_passing, evaluation_pending=pending, updated=timezone.now()
    )
    if changed and pending:
        schedule_evaluation(user_id, course_key)
    return bool(changed and pending)


# The receiver runs on the grading path for every recompute. Its read (and, once per learner,
# its insert) are written as plain SQL: the ORM spends three to four times longer building the
# statement than the database takes to answer it.
_TABLE = CoursePassingRecord._meta.db_table


def _read_status(user_id, course_key):
    """``(is_passing, has_certificate)`` of the stored record, or None."""
    quote = connection.ops.quote_name
    table, user, course = quote(_TABLE), quote("user_id"), quote("course_key")
    columns = f"{quote('is_passing')}, {quote('has_certificate')}"
    # Only quoted model and column names are interpolated; values are parameters.
    sql = f"SELECT {columns} FROM {table} WHERE {user} = %s AND {course} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id, str(course_key)])
        return cursor.fetchone()


def _insert_status(user_id, course_key, *, is_passing, pending):
    """Insert the learner's first record in one statement, without a savepoint.

    A concurrent delivery that inserted first wins (the statement then inserts nothing); it
    queues its own, idempotent, evaluation.
    """
    ops, quote = connection.ops, connection.ops.quote_name
    columns = ("user_id", "course_key", "is_passing", "has_certificate", "evaluation_pending")
    columns += ("updated",)
    on_conflict = ops.on_conflict_suffix_sql([], OnConflict.IGNORE, [], [])
    sql = (
        f"{ops.insert_statement(on_conflict=OnConflict.IGNORE)} {quote(_TABLE)} "
        f"({', '.join(quote(column) for column in columns)}) "
        f"VALUES (%s, %s, %s, %s, %s, %s) {on_conflict}"
    )
    now = ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id, str(course_key), is_passing, False, pending, now])


def certificate_created(*, user_id, course_key):
    """Record that the learner holds a certificate (the trigger of ``AWARD_ON=certificate``)."""
    course_key = validation.course_key(course_key)
    records = CoursePassingRecord.objects.filter(user_id=user_id, course_key=course_key)
    if records.filter(has_certificate=True).exists():
        return False
    changed = records.update(
        has_certificate=True, is_passing=True, evaluation_pending=True, updated=timezone.now()
    )
    if not changed:
        try:
            with transaction.atomic():
                CoursePassingRecord.objects.create(
                    user_id=user_id,
                    course_key=course_key,
                    is_passing=True,
                    has_certificate=True,
                    evaluation_pending=True,
                )
        except IntegrityError:
            records.update(has_certificate=True, evaluation_pending=True, updated=timezone.now())
    schedule_evaluation(user_id, course_key)
    return True


def result_recorded(user_id, course_key):
    """A grade that arrives after the course already passed can complete a badge."""
    changed = (
        CoursePassingRecord.objects.filter(user_id=user_id, course_key=course_key, is_passing=True)
        .filter(**_trigger_filter())
        .update(evaluation_pending=True, updated=timezone.now())
    )
    if changed:
        schedule_evaluation(user_id, course_key)
    return bool(changed)


def _trigger_filter():
    if credplugin_settings.AWARD_ON == AWARD_ON_CERTIFICATE:
        return {"has_certificate": True}
    return {}


def evaluate(user_id, course_key, *, new_requests=None):
    """Bring one learner's badges in a course in line with their status. Idempotent.

    Returns a list of ``(badge_class_slug, outcome)`` pairs describing what was done. New
    outbox rows are queued for issuing after commit, or, when ``new_requests`` is a list,
    appended to it for a caller (a Celery task, outside any transaction) that issues them
    itself, saving a round trip through the broker.
    """
    course_key = validation.course_key(course_key)
    record = CoursePassingRecord.objects.filter(user_id=user_id, course_key=course_key).first()
    return _evaluate_record(record, new_requests) if record is not None else []


def evaluate_pending(user_id, course_key, *, batch=EVALUATION_BATCH):
    """Evaluate this learner's pending record and up to ``batch - 1`` others; return the new
    outbox rows' ids, committed, for the caller to issue.

    Under load many evaluation tasks are queued at once; each one taking a batch of pending
    records (skipping those locked by other tasks, so concurrent tasks take disjoint batches)
    lets the issuance that follows share its database work. A task whose learner another task
    already evaluated finds nothing pending for it and simply helps with the rest.
    """
    course_key = validation.course_key(course_key)
    new_requests = []
    with transaction.atomic():
        pending = CoursePassingRecord.objects.filter(evaluation_pending=True)
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
        for record in records:
            _evaluate_record(record, new_requests)
    return new_requests


def _evaluate_record(record, new_requests):
    user_id, course_key = record.user_id, record.course_key
    outcomes = []
    triggered = record.has_certificate if _trigger_filter() else record.is_passing
    badge_classes = BadgeClass.objects.filter(
        course_key=validation.master_course_key(course_key), active=True
    )
    for badge_class in badge_classes:
        if triggered:
            outcome = decide_award(user_id, badge_class, new_requests=new_requests)
        elif not record.is_passing:
            outcome = apply_failing_policy(user_id, badge_class)
        else:
            outcome = None
        if outcome:
            outcomes.append((badge_class.slug, outcome))
    # Only clear the flag if no newer status change arrived while we evaluated.
    CoursePassingRecord.objects.filter(pk=record.pk, updated=record.updated).update(
        evaluation_pending=False
    )
    return outcomes


def decide_award(user_id, badge_class, *, new_requests=None):
    """Write the outbox row when the learner newly meets every requirement of a badge."""
    met, _results = requirements.requirements_met(badge_class, user_id)
    if not met:
        return None
    generation, outcome = _next_generation(user_id, badge_class)
    if generation is None:
        return outcome
    try:
        with transaction.atomic():
            request = IssuanceRequest.objects.create(
                user_id=user_id, badge_class=badge_class, generation=generation
            )
    except IntegrityError:
        return None  # another delivery decided the same award first
    if new_requests is None:
        schedule_issuance(request.pk)
    else:
        new_requests.append(request.pk)
    return "requested"


def _next_generation(user_id, badge_class):
    """``(generation to request, None)``, or ``(None, outcome)`` when no request is due.

    Nothing is due while a request is on its way or failed (an operator retries it), or the
    badge is active, suspended by a person, or revoked with re-award blocked. A badge the
    failing policy suspended is reinstated instead; a revoked one is earned anew.
    """
    latest = (
        IssuanceRequest.objects.filter(user_id=user_id, badge_class=badge_class)
        .select_related("issued_badge")
        .order_by("-generation")
        .first()
    )
    if latest is None:
        return 1, None
    issued = getattr(latest, "issued_badge", None)
    if issued is None or issued.status == IssuedBadge.Status.ACTIVE:
        return None, None
    if issued.status == IssuedBadge.Status.SUSPENDED:
        if badges.suspended_by_policy(issued):
            badges.reinstate(issued, reason="", actor_id=None)
            return None, "reinstated"
        return None, None
    if issued.reaward_blocked:
        return None, None
    return latest.generation + 1, None


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
            badges.revoke(issued, reason=badges.FAILING_REASON, actor_id=None)
            done = "revoked"
        else:
            badges.suspend(issued, reason=badges.FAILING_REASON, actor_id=None)
            done = "suspended"
    return done
