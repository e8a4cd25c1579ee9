"""Issued badges after issuance: revoke, suspend, reinstate, list, and the learner's choices.

Every status change records the reason and the actor on the badge and as a row of its
history (``StatusChange``), flips the badge's bit in the matching status list and re-signs
that list in one transaction; ``BADGE_REVOKED`` is sent after commit.
"""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from credplugin.exceptions import InvalidInput, InvalidTransition, NotFound
from credplugin.issuer import identity, status_lists
from credplugin.issuing import announcements
from credplugin.models import BadgeRequirement, IssuedBadge, StatusChange, StatusList
from credplugin.renewing import renewal
from credplugin.stacking import pathways

log = logging.getLogger(__name__)

# Written (untranslated, it is a stored record) when CREDPLUGIN_ON_FAILING acts; a badge
# suspended with this reason and no actor is reinstated automatically when the learner passes.
FAILING_REASON = "The learner no longer passes the course."


def get(badge_uuid):
    try:
        return IssuedBadge.objects.select_related("badge_class").get(uuid=badge_uuid)
    except (IssuedBadge.DoesNotExist, ValueError, TypeError, ValidationError) as error:
        raise NotFound(f"No issued badge has the uuid {badge_uuid!r}.") from error


def suspended_by_policy(issued):
    return (
        issued.status == IssuedBadge.Status.SUSPENDED
        and issued.status_changed_by_id is None
        and issued.status_reason == FAILING_REASON
    )


def _reason(reason, actor_id):
    reason = (reason or "").strip()
    if actor_id is not None and not reason:
        raise InvalidInput("A reason is required.")
    return reason


def _change(issued, status, reason, actor_id, **extra):
    with transaction.atomic():
        locked = IssuedBadge.objects.select_for_update().get(pk=issued.pk)
        previous = locked.status
        bits = {
            StatusList.Purpose.REVOCATION: status == IssuedBadge.Status.REVOKED,
            StatusList.Purpose.SUSPENSION: status == IssuedBadge.Status.SUSPENDED,
        }
        for purpose, value in bits.items():
            for sequence, index in renewal.status_slots(locked):  # every version's slot
                status_lists.set_status(purpose, sequence, index, value)
        locked.status = status
        locked.status_reason = reason
        locked.status_changed_by_id = actor_id
        locked.status_changed_at = timezone.now()
        for name, value in extra.items():
            setattr(locked, name, value)
        locked.save()
        record_change(locked, previous, reason)
        pathways.schedule_status_changed(locked)
        if status == IssuedBadge.Status.REVOKED:
            transaction.on_commit(lambda: announcements.send_badge_revoked(locked.pk))
    log.info(
        "credplugin badge %s: %s -> %s by %s (%s)", locked.uuid, previous, status, actor_id, reason
    )
    return locked


def record_change(badge, previous_status, reason):
    """Append the change ``badge`` just went through (its status, actor and time) to its history."""
    StatusChange.objects.create(
        badge=badge,
        previous_status=previous_status,
        status=badge.status,
        reason=reason,
        actor_id=badge.status_changed_by_id,
        changed_at=badge.status_changed_at,
    )


def history(issued):
    """Every status the badge has had, oldest first, as dicts: the issuance, then each change.

    ``actor`` is the username of whoever made the change, ``None`` for the plugin itself.
    """
    entries = [
        {
            "status": "issued",
            "previous_status": None,
            "reason": "",
            "actor": None,
            "at": issued.issued_at,
        }
    ]
    for change in issued.status_changes.select_related("actor").order_by("changed_at", "id"):
        entries.append(
            {
                "status": change.status,
                "previous_status": change.previous_status,
                "reason": change.reason,
                "actor": change.actor.get_username() if change.actor else None,
                "at": change.changed_at,
            }
        )
    entries += renewal.history_entries(issued)
    return sorted(entries, key=lambda entry: entry["at"])


def revoke(issued, *, reason, actor_id, block_reaward=False):
    if issued.status == IssuedBadge.Status.REVOKED:
        raise InvalidTransition(f"Badge {issued.uuid} is already revoked.")
    return _change(
        issued,
        IssuedBadge.Status.REVOKED,
        _reason(reason, actor_id),
        actor_id,
        reaward_blocked=block_reaward,
    )


def suspend(issued, *, reason, actor_id):
    if issued.status != IssuedBadge.Status.ACTIVE:
        raise InvalidTransition(f"Only an active badge can be suspended; {issued.uuid} is not.")
    return _change(issued, IssuedBadge.Status.SUSPENDED, _reason(reason, actor_id), actor_id)


def reinstate(issued, *, reason, actor_id):
    if issued.status != IssuedBadge.Status.SUSPENDED:
        raise InvalidTransition(
            f"Only a suspended badge can be reinstated; {issued.uuid} is {issued.status}. "
            "A revoked badge is awarded again as a new badge."
        )
    return _change(issued, IssuedBadge.Status.ACTIVE, (reason or "").strip(), actor_id)


def describe(issued):
    """A plain-dict summary of a badge for callers that must not touch models."""
    badge_class = issued.badge_class
    return {
        "uuid": str(issued.uuid),
        "user_id": issued.user_id,
        "course_key": str(badge_class.course_key),
        "badge_class_uuid": str(badge_class.uuid),
        "name": badge_class.name,
        "generation": issued.generation,
        "status": issued.status,
        "status_reason": issued.status_reason,
        "issued_at": issued.issued_at,
        "valid_until": issued.valid_until,
        "expired": bool(issued.valid_until and issued.valid_until <= timezone.now()),
        "hidden": issued.hidden,
        "show_name": issued.show_name,
        "credential": issued.credential,
    }


def list_for_user(user_id, *, course_key=None, include_revoked=True):
    badges = IssuedBadge.objects.filter(user_id=user_id).select_related("badge_class")
    if course_key is not None:
        badges = badges.filter(badge_class__course_key=course_key)
    if not include_revoked:
        badges = badges.exclude(status=IssuedBadge.Status.REVOKED)
    return [describe(issued) for issued in badges.order_by("-issued_at", "-id")]


def for_block(user_id, usage_key):
    """The badge an assessment block counts towards, and the learner's copy if they have one."""
    requirement = (
        BadgeRequirement.objects.filter(usage_key=usage_key, active=True)
        .select_related("badge_class")
        .first()
    )
    if requirement is None:
        return None
    issued = (
        IssuedBadge.objects.filter(user_id=user_id, badge_class=requirement.badge_class)
        .exclude(status=IssuedBadge.Status.REVOKED)
        .order_by("-issued_at", "-id")
        .first()
    )
    return {
        "name": requirement.badge_class.name,
        "badge_url": identity.badge_page_url(issued.uuid) if issued else None,
        "my_badges_url": identity.public_url("my-badges"),
    }


def set_visibility(badge_uuid, *, user_id, hidden=None, show_name=None):
    """The learner's sharing choices; only the badge's owner may change them."""
    issued = get(badge_uuid)
    if issued.user_id != user_id:
        raise NotFound(f"No issued badge has the uuid {badge_uuid!r}.")
    changes = {}
    if hidden is not None:
        changes["hidden"] = bool(hidden)
    if show_name is not None:
        changes["show_name"] = bool(show_name)
    if changes:
        IssuedBadge.objects.filter(pk=issued.pk).update(**changes)
        for name, value in changes.items():
            setattr(issued, name, value)
    return describe(issued)
