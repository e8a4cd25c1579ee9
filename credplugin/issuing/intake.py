"""What the platform tells us about learners (passing, certificates, late results), and queueing.

The grading path only touches ``CoursePassingRecord`` (one read per event, one write when the
status changed) and queues an evaluation (``credplugin.issuing.evaluation``) after the transaction
commits, at most one per course and debounce window from each process (``request_evaluation``).
If the broker is down, nothing is lost: the pending flags stay in the database and the sweeper
picks them up.
"""

import logging
import time
from functools import partial

from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models.constants import OnConflict
from django.utils import timezone

from credplugin.authoring import validation
from credplugin.conf import (
    AWARD_ON_CERTIFICATE,
    EVENTS_FROM_EVENT_BUS,
    ON_FAILING_KEEP,
    credplugin_settings,
)
from credplugin.issuing import claims, queue
from credplugin.models import CoursePassingRecord

log = logging.getLogger(__name__)


def accepts_delivery(*, from_event_bus):
    """Whether this delivery of an event is the one ``CREDPLUGIN_EVENTS_FROM`` acts on."""
    return bool(from_event_bus) == (credplugin_settings.EVENTS_FROM == EVENTS_FROM_EVENT_BUS)


def schedule_evaluation(user_id, course_key):
    transaction.on_commit(partial(request_evaluation, user_id, str(course_key)))


# When this process last queued an evaluation of each course (time.monotonic()).
_evaluation_queued_at = {}


def request_evaluation(user_id, course_key, *, helper=False):
    """Queue an evaluation of ``course_key``, at most one per debounce window from this process.

    An evaluation task evaluates every pending learner, and looks once more a window after it
    finished (``follow_up_evaluation``). A learner whose event this process did not queue for
    committed less than a window after this process queued a task, so before that task's second
    look: nobody is left for the sweeper. The debounce is this process's own memory, so the
    grading path pays no cache round trip for it. ``helper``: a busy evaluation asking for a
    second worker; without a debounce every event queues its own task and none is needed.
    """
    window = _debounce_seconds()
    if not window:
        if not helper:
            queue.enqueue("evaluate_learner_task", user_id, course_key)
        return
    now = time.monotonic()
    queued_at = _evaluation_queued_at.get(course_key)
    if queued_at is not None and now - queued_at < window:
        return
    if queue.enqueue("evaluate_learner_task", user_id, course_key, window):
        _evaluation_queued_at[course_key] = now


def follow_up_evaluation(user_id, course_key, window):
    """The second look ``request_evaluation`` promises, ``window`` seconds from now; the
    follow-up itself asks for none."""
    queue.enqueue("evaluate_learner_task", user_id, course_key, countdown=window)


# When the look this process last queued runs (time.monotonic()).
_look_due_at = 0.0


def look_again_after_leases(attempt):
    """Queue a recovery for when the first lease another attempt holds runs out, unless this
    process already queued one that has not run yet.

    A live attempt finishes its awards before then, and the look finds nothing; a dead one's
    awards are taken over by that look (``credplugin.issuing.claims``), even when no event follows.
    Each look that still sees a lease queues the next, so one chain per process watches.
    """
    global _look_due_at  # noqa: PLW0603  (this process's memory, like the debounce)

    now = time.monotonic()
    if now < _look_due_at or queue.tasks_run_eagerly():
        return  # eager tasks run in their caller: no worker of theirs can be lost
    expiry = claims.next_expiry(attempt)
    if expiry is None:
        return
    countdown = _seconds_until(expiry)
    _look_due_at = now + countdown
    if not queue.enqueue("recover_lost_work_task", countdown=countdown):
        _look_due_at = 0.0


def recover_after_worker_start(**_signal):
    """``worker_ready`` receiver: queue a recovery for when every lease now held has run out.

    The starting worker may replace one that died holding awards and evaluations, whose
    messages Redis hands out again only after its visibility timeout (an hour by default).
    """
    try:
        countdown = _seconds_until(claims.last_expiry())
    except DatabaseError:  # not reachable yet: every lease held now runs out within one
        countdown = claims.lease_seconds() + 1
    finally:
        connection.close()  # the worker's main process does no other database work
    queue.enqueue("recover_lost_work_task", countdown=countdown)


def _seconds_until(moment):
    """Seconds from now until just after ``moment`` (at least 1; 1 when it is None)."""
    if moment is None:
        return 1.0
    return max(1.0, (moment - timezone.now()).total_seconds() + 1)


def _debounce_seconds():
    """The evaluation debounce window; 0 when tasks run eagerly, in the caller, at once."""
    if queue.tasks_run_eagerly():
        return 0
    return credplugin_settings.EVALUATION_DEBOUNCE_SECONDS


def schedule_issuance(request_id):
    transaction.on_commit(partial(queue.enqueue, "issue_badge_task", request_id))


def _needs_evaluation(is_passing, has_certificate):
    """Whether a changed status can change a badge: an award, or the failing policy."""
    if awards_on_certificate():
        return has_certificate or (not is_passing and _failing_matters())
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
        # A first record has no badge to suspend yet: only passing can call for evaluation.
        pending = is_passing and not awards_on_certificate()
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


def awards_on_certificate():
    return credplugin_settings.AWARD_ON == AWARD_ON_CERTIFICATE


def triggers_award(record):
    """Whether a ``CoursePassingRecord`` is what ``CREDPLUGIN_AWARD_ON`` awards badges on."""
    return record.has_certificate if awards_on_certificate() else record.is_passing


def _trigger_filter():
    return {"has_certificate": True} if awards_on_certificate() else {}
