"""Renewal: a badge holder proves the skill again and the same credential gets a new version.

A badge class with a renewal window is renewable. Renewal opens ``renewal_window_days`` before
the badge's ``validUntil`` and closes ``renewal_grace_days`` after it; after that the badge has
lapsed and must be earned again (a new generation). A passing result inside the window that
completes what the policy asks (every renewal assessment of one course run, or every
requirement of the course again) writes a ``RenewalRequest`` (the outbox, unique per badge
and version) with its status-list slot; the renewal task claims it (the outbox's claims and
leases, ``credplugin.issuing.claims``: a killed worker's renewal is finished by the next
attempt once its lease runs out) and signs the new version: same ``id``,
issuer and ``awardedDate``, new ``validFrom``/``validUntil``, the renewal's results and
evidence added, a fresh status entry. Every version is kept (``CredentialVersion``) and a
status change of the badge applies to all of them (docs/decisions/0016).
"""

import logging
from datetime import timedelta
from functools import partial
from typing import NamedTuple

from django.db import IntegrityError, transaction
from django.utils import timezone

from credplugin.authoring import requirements
from credplugin.conf import credplugin_settings
from credplugin.exceptions import InvalidTransition, NotFound
from credplugin.issuer import status_lists
from credplugin.issuing import claims, queue
from credplugin.models import (
    AssessmentResult,
    BadgeClass,
    BadgeRequirement,
    IssuedBadge,
    RenewalAssessment,
    RenewalRequest,
)
from credplugin.renewing.policy import BY_ASSESSMENT, BY_COURSE

log = logging.getLogger(__name__)

NOT_RENEWABLE = "not_renewable"
NOT_YET = "not_yet"
OPEN = "open"
GRACE = "grace"
LAPSED = "lapsed"


class Window(NamedTuple):
    opens: object
    expires: object
    closes: object


# --- the window -----------------------------------------------------------------------------


def window(badge_class, valid_until):
    """When renewal opens and closes for a badge expiring at ``valid_until``; None if never."""
    if badge_class.renewal_window_days is None or valid_until is None:
        return None
    return Window(
        valid_until - timedelta(days=badge_class.renewal_window_days),
        valid_until,
        valid_until + timedelta(days=badge_class.renewal_grace_days),
    )


def phase(issued, now=None):
    """``not_renewable``, ``not_yet``, ``open``, ``grace`` (expired, still renewable) or
    ``lapsed`` (past the grace period: earned again or not at all)."""
    now = now or timezone.now()
    if issued.valid_until is None:
        return NOT_RENEWABLE
    found = window(issued.badge_class, issued.valid_until)
    if found is None:
        return LAPSED if now > issued.valid_until else NOT_RENEWABLE
    if now > found.closes:
        return LAPSED
    if now < found.opens:
        return NOT_YET
    return GRACE if now > found.expires else OPEN


def lapsed(issued, now=None):
    """Whether an active badge expired past any grace: the learner may earn it anew."""
    now = now or timezone.now()
    return (
        issued.valid_until is not None and issued.valid_until < now and phase(issued, now) == LAPSED
    )


def refusal(issued, now=None):
    """Why ``issued`` cannot be renewed now (a sentence), or None when it can."""
    if issued.status == IssuedBadge.Status.REVOKED:
        return "This badge was revoked; a revoked badge cannot be renewed."
    if issued.status == IssuedBadge.Status.SUSPENDED:
        return "This badge is suspended; it can be renewed once it is reinstated."
    found = window(issued.badge_class, issued.valid_until)
    current = phase(issued, now)
    if current == NOT_RENEWABLE:
        return "This badge cannot be renewed."
    if current == NOT_YET:
        return f"Renewal opens on {found.opens:%Y-%m-%d}."
    if current == LAPSED:
        closed = found.closes if found else issued.valid_until
        return f"The renewal period ended on {closed:%Y-%m-%d}; the badge must be earned again."
    return None


# --- deciding -------------------------------------------------------------------------------


def result_recorded(result):
    """A passing result was stored: renew the learner's badges it completes. Returns the ids
    of the renewal requests written (their issuance follows the commit)."""
    if not result.passed:
        return []
    created = []
    for achievement, mode, needed in _what_it_counts_for(result.usage_key):
        holders = IssuedBadge.objects.filter(
            user_id=result.user_id,
            status=IssuedBadge.Status.ACTIVE,
            badge_class__achievement_uuid=achievement,
            badge_class__renewal_by=mode,
            badge_class__renewal_window_days__isnull=False,
        ).select_related("badge_class")
        for issued in holders:
            chosen = _results_in_window(issued, needed)
            if chosen is not None:
                request_id = request_renewal(issued, [str(r.uuid) for r in chosen])
                if request_id is not None:
                    created.append(request_id)
    return created


def _what_it_counts_for(usage_key):
    """``(achievement uuid, renewal mode, blocks all needed)`` for each way this block renews."""
    found = []
    assessment = RenewalAssessment.objects.filter(usage_key=usage_key, active=True).first()
    if assessment is not None:
        run = RenewalAssessment.objects.filter(
            achievement_uuid=assessment.achievement_uuid,
            course_key=assessment.course_key,
            active=True,
        ).select_related("rubric")
        found.append((assessment.achievement_uuid, BY_ASSESSMENT, list(run.order_by("id"))))
    requirement = (
        BadgeRequirement.objects.filter(usage_key=usage_key, active=True)
        .select_related("badge_class")
        .first()
    )
    if requirement is not None:
        badge_class = requirement.badge_class
        needed = requirements.active_requirements(badge_class)
        found.append((badge_class.achievement_uuid, BY_COURSE, needed))
    return found


def _results_in_window(issued, needed, now=None):
    """The learner's latest result for each needed block, all recorded since the window
    opened and all meeting their pass rule; None otherwise (or outside the window)."""
    now = now or timezone.now()
    if not needed or phase(issued, now) not in (OPEN, GRACE):
        return None
    opened = window(issued.badge_class, issued.valid_until).opens
    latest = {}
    rows = AssessmentResult.objects.filter(
        user_id=issued.user_id,
        usage_key__in=[n.usage_key for n in needed],
        created__gte=opened,
    ).order_by("usage_key", "-created", "-id")
    for row in rows:
        latest.setdefault(row.usage_key, row)
    chosen = [latest.get(n.usage_key) for n in needed]
    if all(requirements.result_meets(n, r) for n, r in zip(needed, chosen, strict=True)):
        return chosen
    return None


def request_renewal(issued, result_uuids):
    """Write the outbox row of the badge's next version, with its status-list slot; None if
    that version is already requested or the badge cannot be renewed any more.

    A request of that version that failed (e.g. the badge was suspended meanwhile, then
    reinstated) is tried again with these results, keeping its slot.
    """
    try:
        with transaction.atomic():
            locked = IssuedBadge.objects.select_for_update().select_related("badge_class")
            locked = locked.get(pk=issued.pk)
            if refusal(locked) is not None:
                return None
            version = locked.version + 1
            request = RenewalRequest.objects.filter(badge=locked, version=version).first()
            if request is not None and request.status != RenewalRequest.Status.FAILED:
                return None
            if request is not None:
                RenewalRequest.objects.filter(pk=request.pk).update(
                    status=RenewalRequest.Status.PENDING,
                    reason="",
                    results=list(result_uuids),
                    claimed_by="",
                    lease_until=claims.new_lease(),
                )
            else:
                (sequence, index) = status_lists.take_slots(1)[0]
                request = RenewalRequest.objects.create(
                    badge=locked,
                    version=version,
                    results=list(result_uuids),
                    status_list_sequence=sequence,
                    status_list_index=index,
                    lease_until=claims.new_lease(),  # its task's; a lost one's after that
                )
            transaction.on_commit(partial(queue.enqueue, "renew_badge_task", request.pk))
    except IntegrityError:  # another delivery requested this version first
        return None
    log.info("credplugin will renew badge %s to version %d", issued.uuid, version)
    return request.pk


def sweep():
    """Queue again the renewal requests left pending (a lost worker, a broker outage)."""
    stale = timezone.now() - timedelta(seconds=credplugin_settings.SWEEP_AFTER_SECONDS)
    pending = RenewalRequest.objects.filter(
        status=RenewalRequest.Status.PENDING, updated__lt=stale
    ).values_list("pk", flat=True)
    found = list(pending[:1000])
    for request_id in found:
        queue.enqueue("renew_badge_task", request_id)
    return len(found)


def renew(badge_uuid):
    """Renew a badge now from the results the learner has in its window (an operator's or
    the learner's explicit request). Returns the renewal request id.

    Raises:
        NotFound: no such badge.
        InvalidTransition: the badge cannot be renewed now (the reason is the message), or the
            learner has not passed what renewal requires inside the window.
    """
    try:
        issued = IssuedBadge.objects.select_related("badge_class").get(uuid=badge_uuid)
    except (IssuedBadge.DoesNotExist, ValueError, TypeError) as error:
        raise NotFound(f"No issued badge has the uuid {badge_uuid!r}.") from error
    reason = refusal(issued)
    if reason:
        raise InvalidTransition(reason)
    for achievement_needed in _policy_needs(issued):
        chosen = _results_in_window(issued, achievement_needed)
        if chosen is not None:
            request_id = request_renewal(issued, [str(r.uuid) for r in chosen])
            if request_id is None:
                raise InvalidTransition("This badge's renewal is already under way.")
            return request_id
    raise InvalidTransition("The learner has not yet passed what renewal requires.")


def _policy_needs(issued):
    """Each set of blocks that, all passed in the window, renews ``issued``."""
    badge_class = issued.badge_class
    if badge_class.renewal_by == BY_COURSE:
        classes = BadgeClass.objects.filter(achievement_uuid=badge_class.achievement_uuid)
        return [requirements.active_requirements(c) for c in classes.order_by("-created")]
    runs = (
        RenewalAssessment.objects.filter(achievement_uuid=badge_class.achievement_uuid, active=True)
        .values_list("course_key", flat=True)
        .distinct()
    )
    return [
        list(
            RenewalAssessment.objects.filter(
                achievement_uuid=badge_class.achievement_uuid, course_key=run, active=True
            ).order_by("id")
        )
        for run in runs
    ]


# --- reading --------------------------------------------------------------------------------


def status_slots(badge):
    """Every status-list slot the badge's versions name, the current one first."""
    slots = [(badge.status_list_sequence, badge.status_list_index)]
    for slot in badge.versions.values_list("status_list_sequence", "status_list_index"):
        if slot not in slots:
            slots.append(slot)
    return slots


def versions(badge):
    """Every version of the badge, oldest first: ``[{version, valid_from, valid_until,
    credential}]`` (one entry for a badge never renewed)."""
    rows = list(badge.versions.order_by("version"))
    if not rows:
        return [
            {
                "version": 1,
                "valid_from": badge.issued_at,
                "valid_until": badge.valid_until,
                "credential": badge.credential,
            }
        ]
    return [
        {
            "version": row.version,
            "valid_from": row.valid_from,
            "valid_until": row.valid_until,
            "credential": row.credential,
        }
        for row in rows
    ]


def history_entries(badge):
    """The badge's renewals as status-history entries."""
    return [
        {
            "status": "renewed",
            "previous_status": None,
            "reason": "",
            "actor": None,
            "at": row.valid_from,
        }  # fmt: skip
        for row in badge.versions.filter(version__gt=1).order_by("version")
    ]


def renewal_url(badge):
    """Where the holder renews: the newest renewal assessment (or the newest run's course)."""
    root = credplugin_settings.lms_root_url
    badge_class = badge.badge_class
    if badge_class.renewal_by == BY_ASSESSMENT:
        block = (
            RenewalAssessment.objects.filter(
                achievement_uuid=badge_class.achievement_uuid, active=True
            )
            .order_by("-created", "-id")
            .first()
        )
        if block is not None:
            return f"{root}/courses/{block.course_key}/jump_to/{block.usage_key}"
    newest = (
        BadgeClass.objects.filter(achievement_uuid=badge_class.achievement_uuid, active=True)
        .order_by("-created", "-id")
        .values_list("course_key", flat=True)
        .first()
    ) or badge_class.course_key
    return f"{root}/courses/{newest}/course/"


def notice(badge, now=None):
    """What the holder should be told about renewing, or None: ``{phase, days, url,
    valid_until}`` while the window is open or in grace."""
    now = now or timezone.now()
    if badge.status != IssuedBadge.Status.ACTIVE:
        return None
    current = phase(badge, now)
    if current not in (OPEN, GRACE):
        return None
    found = window(badge.badge_class, badge.valid_until)
    until = found.expires if current == OPEN else found.closes
    return {
        "phase": current,
        "days": max(0, (until - now).days),
        "valid_until": badge.valid_until,
        "closes": found.closes,
        "url": renewal_url(badge),
    }
