"""Find work the queue lost, from database state alone.

Three kinds: passing records whose evaluation never ran (broker down when the grade changed),
pending issuance requests idle for longer than ``CREDPLUGIN_SWEEP_AFTER_SECONDS`` (a lost task
no other task took over, retries exhausted, an award attempted too often) and requests waiting
for a signing key once one exists. A killed worker's awards are taken over by the tasks
themselves within seconds (``credplugin.issuing.claims``), and claims keep work in progress from
looking idle: the sweeper is the backstop for what no message brings back. It also
applies the lost-component policy to pathway badges whose components lapsed. Run from
Celery beat (``sweep_issuance_requests_task``) or cron (``manage.py credplugin_sweep``), since
Tutor runs no beat. Everything it triggers is idempotent, so sweeping too often is harmless.
"""

import logging
from datetime import timedelta

from django.utils import timezone

from credplugin.conf import credplugin_settings
from credplugin.issuer import identity, keys
from credplugin.issuing import evaluation, issuance, queue
from credplugin.models import CoursePassingRecord, IssuanceRequest
from credplugin.stacking import pathways

log = logging.getLogger(__name__)
BATCH = 500
# Requests issued per task: large enough to share the fixed cost of a batch, small enough
# that a lost worker redoes little.
ISSUE_BATCH = 50


def _key_available():
    try:
        keys.active_signing_key(identity.issuer_did())
    except keys.KeyUnavailable:
        return False
    return True


def stale_evaluations(cutoff):
    return CoursePassingRecord.objects.filter(evaluation_pending=True, updated__lte=cutoff)


def stale_requests(cutoff, *, include_waiting):
    pending = IssuanceRequest.objects.filter(
        status=IssuanceRequest.Status.PENDING, updated__lte=cutoff
    )
    if include_waiting:
        pending |= IssuanceRequest.objects.filter(status=IssuanceRequest.Status.WAITING)
    return pending


def sweep(*, older_than=None, inline=False, progress=None):
    """Queue (or with ``inline``, do here) every piece of lost work; returns counts.

    ``older_than``: seconds a request must have been idle (default the setting).
    ``progress``: optional callable(kind, done) for command-line feedback.
    """
    seconds = credplugin_settings.SWEEP_AFTER_SECONDS if older_than is None else older_than
    cutoff = timezone.now() - timedelta(seconds=seconds)
    counts = {"evaluations": 0, "requests": 0}
    records = stale_evaluations(cutoff).values_list("pk", "user_id", "course_key")
    for pk, user_id, course_key in records.iterator(chunk_size=BATCH):
        if inline:
            evaluation.evaluate(user_id, course_key)
        else:
            CoursePassingRecord.objects.filter(pk=pk).update(updated=timezone.now())
            queue.enqueue("evaluate_learner_task", user_id, str(course_key))
        counts["evaluations"] += 1
        if progress:
            progress("evaluations", counts["evaluations"])
    requests = stale_requests(cutoff, include_waiting=_key_available()).values_list("pk", flat=True)
    batch = []
    for pk in requests.order_by("pk").iterator(chunk_size=BATCH):
        batch.append(pk)
        if len(batch) == ISSUE_BATCH:
            _issue(batch, inline)
            counts["requests"] += len(batch)
            batch = []
            if progress:
                progress("requests", counts["requests"])
    if batch:
        _issue(batch, inline)
        counts["requests"] += len(batch)
    counts["pathway_badges_lost"] = pathways.enforce()  # components that lapsed
    if any(counts.values()):
        log.info("credplugin sweep found %s", counts)
    return counts


def _issue(request_ids, inline):
    if inline:
        issuance.issue_requests(request_ids)
        return
    IssuanceRequest.objects.filter(pk__in=request_ids).update(updated=timezone.now())
    queue.enqueue("issue_badges_task", request_ids)
