"""Celery tasks: thin wrappers over ``credplugin.issuing.intake``, ``issuance`` and ``sweeper``.

Task paths are stable and no queue is named here: the host routes them (``EXPLICIT_QUEUES``).
Tasks are ``acks_late`` with ``reject_on_worker_lost``, so a killed worker's message is
delivered again, and the evaluation task then finishes what its lost run committed
(``credplugin.issuing.claims``); every task is idempotent, so a second run does nothing twice. Only
transient errors (database connection trouble, a race lost to another worker, broker outages)
are retried, with exponential backoff and jitter; anything else marks the request failed with a
readable reason.
"""

import logging
import random
from collections import Counter
from functools import partial

from celery import shared_task
from django.db import IntegrityError, InterfaceError, OperationalError
from edx_django_utils.monitoring import set_code_owner_attribute
from kombu.exceptions import OperationalError as BrokerError

from credplugin.conf import credplugin_settings
from credplugin.issuing import claims, evaluation, intake, issuance, queue, sweeper
from credplugin.mail import assessment_reviews
from credplugin.mentoring import reminders as mentor_reminders
from credplugin.outcomes import surveys, upkeep
from credplugin.renewing import reminders, renewal, signing
from credplugin.reviewing import pool as peer_pool
from credplugin.reviewing import reminders as peer_reminders

log = logging.getLogger(__name__)

TRANSIENT_ERRORS = (OperationalError, InterfaceError, IntegrityError, BrokerError, ConnectionError)
_TASK_OPTIONS = {"bind": True, "acks_late": True, "reject_on_worker_lost": True}


def backoff_seconds(retries):
    """Exponential backoff (5 s, 10 s, 20 s … capped at 10 min) with ±50 % jitter."""
    return min(600, 5 * 2**retries) * random.uniform(0.5, 1.5)  # noqa: S311  (not security)


def _retry_or_leave(task, error, what):
    """Retry a transient error, or leave the work in the database for the sweeper."""
    if task.request.retries >= credplugin_settings.TASK_MAX_RETRIES:
        log.error("credplugin gave up retrying %s (%s); the sweeper will pick it up", what, error)
        return
    log.warning("credplugin will retry %s after a transient error: %s", what, error)
    raise task.retry(exc=error, countdown=backoff_seconds(task.request.retries))


def _issue(task, request_ids, *, retry_here=True):
    """Issue, retrying transient errors in ``task`` or, without ``retry_here``, in a new
    ``issue_badges_task`` (an evaluation task retried would find nobody pending any more)."""
    try:
        return issuance.issue_requests(request_ids, attempt=task.request.id or "")
    except TRANSIENT_ERRORS as error:
        if retry_here:
            _retry_or_leave(task, error, f"issuance request(s) {request_ids}")
        else:
            log.warning("credplugin will issue %s in a new task: %s", request_ids, error)
            queue.enqueue("issue_badges_task", request_ids)
    except Exception as error:  # unknown errors are not retried blindly; an operator reads them
        log.exception("credplugin issuance request(s) %s failed unexpectedly", request_ids)
        issuance.mark_failed(request_ids, f"Unexpected error: {type(error).__name__}: {error}")
    return None


@shared_task(**_TASK_OPTIONS)
@set_code_owner_attribute
def issue_badge_task(self, request_id):
    """Issue the badge of one ``IssuanceRequest`` (by primary key); returns the outcome."""
    outcomes = _issue(self, [request_id])
    return outcomes.get(request_id, issuance.SKIPPED) if outcomes is not None else None


@shared_task(**_TASK_OPTIONS)
@set_code_owner_attribute
def issue_badges_task(self, request_ids):
    """Issue a batch of requests (the sweeper and the evaluation tasks queue these); returns
    how many ended in each outcome."""
    outcomes = _issue(self, list(request_ids)) or {}
    return dict(Counter(outcomes.values()))


def _finish_orphans(task, attempt):
    """Issue the awards and sign the renewals that attempts that died left behind
    (``credplugin.issuing.claims``)."""
    for orphans in claims.orphaned_batches(attempt, batch=evaluation.EVALUATION_BATCH):
        _issue(task, orphans, retry_here=False)
    signing.finish_orphaned(attempt, batch=evaluation.EVALUATION_BATCH)


def _drain(task, user_id, course_key, attempt):
    """Evaluate pending learners batch by batch, issuing each batch's awards; returns how
    many requests it created."""
    ask_for_help = partial(intake.request_evaluation, user_id, course_key, helper=True)
    created = 0
    for new_requests in evaluation.drain_pending(
        user_id, course_key, on_full_batch=ask_for_help, attempt=attempt
    ):
        if new_requests:
            _issue(task, new_requests, retry_here=False)
        created += len(new_requests)
    return created


@shared_task(**_TASK_OPTIONS)
@set_code_owner_attribute
def evaluate_learner_task(self, user_id, course_key, follow_up_seconds=0):
    """Finish orphaned awards, then evaluate a learner whose status changed and every other
    pending learner, batch by batch, issuing what each batch awarded here; returns how many
    requests it created.

    Orphaned awards (``credplugin.issuing.claims``) are those of an attempt that died: this task's
    own earlier delivery (its message comes back under the same id when its worker is lost), or
    any attempt whose lease ran out. With ``follow_up_seconds`` (a debounced request,
    ``awards.request_evaluation``), it queues one more evaluation that many seconds after it
    finished, for the learners whose events were debounced meanwhile; otherwise, while
    another attempt holds a lease, it asks for a look when that lease runs out
    (``awards.look_again_after_leases``). Issuing in the same task saves a trip through the
    broker.
    """
    attempt = self.request.id or ""
    try:
        _finish_orphans(self, attempt)
        created = _drain(self, user_id, course_key, attempt)
    except TRANSIENT_ERRORS as error:
        _retry_or_leave(self, error, f"the evaluation of user {user_id} in {course_key}")
        return None
    if follow_up_seconds:
        intake.follow_up_evaluation(user_id, course_key, follow_up_seconds)
    else:
        intake.look_again_after_leases(attempt)
    return created


@shared_task(**_TASK_OPTIONS)
@set_code_owner_attribute
def recover_lost_work_task(self):
    """Take over what dead attempts left: orphaned awards and pending evaluations; returns how
    many requests it created.

    Queued when a worker starts (it may replace one that died holding work, whose messages
    Redis keeps for its visibility timeout), and by evaluations that end while another attempt
    holds a lease, for when it runs out. While leases are held, it queues the next look.
    """
    attempt = self.request.id or ""
    try:
        _finish_orphans(self, attempt)
        pending = evaluation.any_pending_learner()
        created = _drain(self, *pending, attempt) if pending else 0
    except TRANSIENT_ERRORS as error:
        _retry_or_leave(self, error, "the recovery of lost work")
        return None
    intake.look_again_after_leases(attempt)
    return created


@shared_task(**_TASK_OPTIONS)
@set_code_owner_attribute
def sweep_issuance_requests_task(self):
    """Beat task: queue again whatever the outbox and the passing records left behind."""
    return sweeper.sweep()


@shared_task(**_TASK_OPTIONS)
@set_code_owner_attribute
def send_assessment_email_task(self, context):
    """E-mail about a submission or a review (``credplugin.mail.assessment_reviews``); a transient
    database error is retried, mail trouble is logged there and never retried."""
    try:
        return assessment_reviews.send(context)
    except TRANSIENT_ERRORS as error:
        if self.request.retries >= credplugin_settings.TASK_MAX_RETRIES:
            log.error("credplugin gave up e-mailing about %s: %s", context.get("kind"), error)
            return 0
        raise self.retry(exc=error, countdown=backoff_seconds(self.request.retries)) from error


@shared_task(**_TASK_OPTIONS)
@set_code_owner_attribute
def renew_badge_task(self, renewal_request_id):
    """Sign the new version of a badge a ``RenewalRequest`` (by primary key) asks for, unless
    another live attempt holds it (``claims.take``): a redelivery of this attempt after its
    worker died takes it back at once, anyone else once its lease ran out."""
    try:
        return signing.issue_claimed(renewal_request_id, self.request.id or "")
    except TRANSIENT_ERRORS as error:
        _retry_or_leave(self, error, f"renewal request {renewal_request_id}")
    return None


@shared_task(**_TASK_OPTIONS)
@set_code_owner_attribute
def send_renewal_reminders_task(self):
    """Beat task: e-mail the renewal reminders that are due, and queue renewals left pending;
    returns how many reminders were sent."""
    renewal.sweep()
    return reminders.send_due()["sent"]


@shared_task(**_TASK_OPTIONS)
@set_code_owner_attribute
def send_follow_up_surveys_task(self):
    """Beat task: e-mail the follow-up surveys now due; returns how many went out. Safe to run
    from several workers at once: each survey is e-mailed at most once."""
    try:
        return surveys.send_due_surveys()
    except TRANSIENT_ERRORS as error:
        _retry_or_leave(self, error, "the follow-up surveys")
        return None


@shared_task(**_TASK_OPTIONS)
@set_code_owner_attribute
def send_mentor_reminders_task(self):
    """Beat task: e-mail mentors about work waiting past the target turnaround; returns how
    many went out. Safe from several workers at once: each reminder is claimed once."""
    try:
        return mentor_reminders.send_due()["sent"]
    except TRANSIENT_ERRORS as error:
        _retry_or_leave(self, error, "the mentor reminders")
        return None


@shared_task(**_TASK_OPTIONS)
@set_code_owner_attribute
def sweep_peer_reviews_task(self):
    """Beat task: release expired peer-review leases, unblock work waiting past its days
    (flexible grading or a mentor) and remind learners of the reviews they owe; returns
    ``{released, unblocked, reminded}``. Safe from several workers at once: each lease is
    released, each submission unblocked and each reminder sent once."""
    try:
        return {**peer_pool.sweep(), "reminded": peer_reminders.send_due()["sent"]}
    except TRANSIENT_ERRORS as error:
        _retry_or_leave(self, error, "the peer-review sweep")
        return None


@shared_task(**_TASK_OPTIONS)
@set_code_owner_attribute
def refresh_outcomes_task(self):
    """Beat task: copy the badge page, verification and share counts from the cache into the
    database, roll up the dashboard's days changed since the last run (first: the quarters
    read those days), then keep the published quarters that became final; returns how many
    counter rows, days and quarters were written. Safe to run from several workers at once."""
    return sum(upkeep.run())
