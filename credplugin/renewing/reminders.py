"""Renewal reminders: e-mail a badge's holder before it expires, once per offset and version.

For each offset ``d`` of ``CREDPLUGIN_RENEWAL_REMINDER_DAYS`` (e.g. 90, 30, 7, 0) a renewable,
active badge is due when it expires in ``d`` days or a little less (at most ``CATCH_UP`` less,
and more than the next smaller offset; for 0: it expired within the last day), its renewal
window is open by then (at least ``d`` days), its current version started before the
reminder's moment, and no reminder of that version at that offset or nearer exists. Each
offset's scan is one range read of the ``(status, valid_until)`` index.

Sending is exactly once whoever sends (beat task, cron, two at once): a sender inserts its
claims (``RenewalReminder``, unique per badge, version and offset) with its own token,
ignoring conflicts, and sends only the rows carrying its token. Mail trouble releases the
sender's unsent claims so a later run sends them.
"""

import logging
import uuid
from datetime import timedelta

from django.db.models import Exists, F, OuterRef
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from credplugin.conf import credplugin_settings
from credplugin.issuing.claims import insert_claims, send_claimed
from credplugin.mail import badge_awarded
from credplugin.models import BadgeClass, IssuedBadge, LearnerPreference, RenewalReminder
from credplugin.renewing import renewal

log = logging.getLogger(__name__)
SEND_BATCH = 500
# How late a reminder may still be sent; one missed for longer is dropped (the next offset's
# reminder follows). It bounds each offset's scan to the badges expiring within this span.
CATCH_UP = timedelta(days=3)


def offsets():
    """The configured offsets in days, farthest first, without repeats."""
    return sorted({int(days) for days in credplugin_settings.RENEWAL_REMINDER_DAYS}, reverse=True)


def _scan(days, nearer, now):
    """Badges due for the reminder ``days`` before expiry (``nearer``: the next offset).

    One range read of the ``(status, valid_until)`` index over at most ``CATCH_UP``; the
    badge classes are named by id, so no join tempts the optimizer off that index.
    """
    if days > 0:
        reach = max(timedelta(days=days) - CATCH_UP, timedelta(days=nearer or 0))
        lower, upper = now + reach, now + timedelta(days=days)
    else:
        lower, upper = now - timedelta(days=1), now
    renewable = list(
        BadgeClass.objects.filter(renewal_window_days__gte=days).values_list("pk", flat=True)
    )  # reminders fall inside the renewal window
    already = RenewalReminder.objects.filter(
        badge=OuterRef("pk"), version=OuterRef("version"), days_before__lte=days
    )
    return (
        IssuedBadge.objects.filter(
            status=IssuedBadge.Status.ACTIVE,
            valid_until__gt=lower,
            valid_until__lte=upper,
            badge_class_id__in=renewable,
        )
        .annotate(version_start=Coalesce("renewed_at", "issued_at"))
        .filter(valid_until__gte=F("version_start") + timedelta(days=days))
        .exclude(Exists(already))
    )


def due(now=None):
    """``[(badge id, version, days before)]`` of the reminders due now, nearest offset first
    per badge, opted-out learners included (``send_due`` skips them)."""
    now = now or timezone.now()
    found, seen = [], set()
    days_list = offsets()
    for position in range(len(days_list) - 1, -1, -1):  # nearest offset first
        days = days_list[position]
        nearer = days_list[position + 1] if position + 1 < len(days_list) else None
        for pk, version in _scan(days, nearer, now).values_list("pk", "version"):
            if pk not in seen:
                seen.add(pk)
                found.append((pk, version, days))
    return found


def opted_out(user_ids):
    return set(
        LearnerPreference.objects.filter(
            user_id__in=list(user_ids), email_renewal_reminders=False
        ).values_list("user_id", flat=True)
    )


def send_due(now=None, *, limit=None):
    """Claim and send the due reminders; returns ``{"due", "sent", "opted_out", "taken"}``
    (``taken``: claimed by another sender first)."""
    now = now or timezone.now()
    rows = due(now)
    if limit is not None:
        rows = rows[:limit]
    owners = dict(
        IssuedBadge.objects.filter(pk__in=[pk for pk, _v, _d in rows]).values_list("pk", "user_id")
    )
    skipped = opted_out(owners.values())
    wanted = [row for row in rows if owners[row[0]] not in skipped]
    token = uuid.uuid4()
    claimed = insert_claims(
        RenewalReminder,
        [
            RenewalReminder(badge_id=pk, version=v, days_before=d, claim=token)
            for pk, v, d in wanted
        ],
        "claim",
    )
    won = list(
        claimed.select_related("badge__user", "badge__badge_class").defer(
            "badge__credential"  # the e-mail needs none of the ~12 kB credential
        )
    )
    sent, links = 0, {}
    for start in range(0, len(won), SEND_BATCH):
        sent += _send(won[start : start + SEND_BATCH], now, links)
    return {
        "due": len(rows),
        "sent": sent,
        "opted_out": len(rows) - len(wanted),
        "taken": len(wanted) - len(won),
    }


def _send(claims, now, links):
    """Send one batch over one connection; ``links``: renewal URLs by badge class, shared."""
    messages, sendable = [], []
    for claim in claims:
        badge_class_id = claim.badge.badge_class_id
        if badge_class_id not in links:
            links[badge_class_id] = renewal.renewal_url(claim.badge)
        message = _message(claim, now, links[badge_class_id])
        if message is not None:
            messages.append(message)
            sendable.append(claim.pk)
    return send_claimed(RenewalReminder, sendable, messages, now, "renewal reminder(s)")


def _message(claim, now, renew_url):
    """The reminder e-mail, in the badge's language; None if it cannot be written."""
    badge = claim.badge
    if not badge.user.email:
        return None
    try:
        with translation.override(badge.badge_class.language or None):
            context = badge_awarded.badge_context(
                badge,
                days=max(0, (badge.valid_until - now).days),
                valid_until=badge.valid_until,
                renew_url=renew_url,
            )
            if claim.days_before > 0:
                subject = ngettext(
                    "Your badge “%(badge)s” expires in %(days)d day",
                    "Your badge “%(badge)s” expires in %(days)d days",
                    context["days"],
                ) % {
                    "badge": badge.badge_class.name,
                    "days": context["days"],
                }
            else:
                subject = _("Your badge “%(badge)s” expires today") % {
                    "badge": badge.badge_class.name
                }
            return badge_awarded.message(
                subject, "credplugin/email/renewal_reminder_body", context, badge.user
            )
    except Exception:  # one unwritable message must not stop the others
        log.exception("credplugin could not write the renewal reminder of badge %s", badge.uuid)
        return None


def set_reminders(user_id, enabled):
    """The learner's choice to receive renewal reminders."""
    LearnerPreference.objects.update_or_create(
        user_id=user_id, defaults={"email_renewal_reminders": bool(enabled)}
    )
    return bool(enabled)


def reminders_enabled(user_id):
    return not LearnerPreference.objects.filter(
        user_id=user_id, email_renewal_reminders=False
    ).exists()
