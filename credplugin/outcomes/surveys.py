"""Follow-up surveys: who is due one, the e-mail, and the learner's answer.

A badge is due the survey of offset ``d`` days from ``issued_at + d`` until
``CREDPLUGIN_SURVEY_SEND_WITHIN_DAYS`` later, if it is still active, its class's plan lists ``d``
and its earner has not opted out. Each e-mail is sent at most once: a sender first inserts the
invitation row, with a token only it knows, under the unique ``(badge, offset_days)``; a
concurrent sender's insert of the same pair is dropped, and each sends only the rows that carry
its own tokens. A message the mail server refused is marked failed and retried by a later run,
which takes it back with a conditional update; a sender that dies between claiming and sending
leaves the row claimed and the e-mail unsent rather than risk sending it twice.
"""

import logging
from datetime import timedelta

from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from credplugin.conf import credplugin_settings
from credplugin.exceptions import InvalidInput, NotFound
from credplugin.issuer import identity
from credplugin.issuing import claims
from credplugin.mail import badge_awarded
from credplugin.models import (
    IssuedBadge,
    OutcomePlan,
    SurveyInvitation,
    SurveyOptOut,
    SurveyResponse,
)
from credplugin.outcomes.models import new_token

log = logging.getLogger(__name__)

MAX_SEND_ATTEMPTS = 5
SEND_BATCH = 500


def validate_survey_days(value):
    """``value`` as a sorted list of distinct whole days (1–3650); InvalidInput otherwise."""
    if value is None:
        return None
    if not isinstance(value, list) or not all(
        isinstance(day, int) and not isinstance(day, bool) and 1 <= day <= 3650 for day in value
    ):
        raise InvalidInput(
            _("Survey days must be a list of whole numbers of days from 1 to 3650, e.g. [30, 90].")
        )
    return sorted(set(value))


def survey_days(badge_class):
    """The offsets (days) at which earners of ``badge_class`` are surveyed."""
    try:
        days = badge_class.outcome_plan.survey_days
    except OutcomePlan.DoesNotExist:
        days = None
    return tuple(credplugin_settings.SURVEY_DAYS if days is None else days)


def _all_offsets():
    offsets = set(credplugin_settings.SURVEY_DAYS)
    for days in OutcomePlan.objects.exclude(survey_days=None).values_list("survey_days", flat=True):
        offsets.update(days or ())
    return sorted(offsets)


def due_badges(offset, now):
    """Active badges due the survey of ``offset`` days at ``now`` and not yet invited to it."""
    window = timedelta(days=credplugin_settings.SURVEY_SEND_WITHIN_DAYS)
    due_at = now - timedelta(days=offset)
    opted_out = SurveyOptOut.objects.values("user_id")
    return (
        IssuedBadge.objects.filter(
            status=IssuedBadge.Status.ACTIVE,
            issued_at__lte=due_at,
            issued_at__gt=due_at - window,
        )
        .exclude(survey_invitations__offset_days=offset)
        .exclude(user_id__in=opted_out)
        .select_related("user", "badge_class", "badge_class__outcome_plan")
        .order_by("issued_at", "id")
    )


def _claim_new(now):
    """Insert invitation rows for every due survey; returns the rows this call inserted."""
    rows = [
        SurveyInvitation(badge=badge, offset_days=offset, token=new_token())
        for offset in _all_offsets()
        for badge in due_badges(offset, now)[:SEND_BATCH]
        if offset in survey_days(badge.badge_class)
    ]
    return list(_with_badge(claims.insert_claims(SurveyInvitation, rows, "token")))


def _claim_failed():
    """Take back failed invitations for another try; each is taken by one sender only."""
    mine = []
    retry = SurveyInvitation.objects.filter(
        status=SurveyInvitation.Status.FAILED, attempts__lt=MAX_SEND_ATTEMPTS
    ).values_list("pk", "attempts")[:SEND_BATCH]
    for pk, attempts in retry:
        taken = SurveyInvitation.objects.filter(
            pk=pk, status=SurveyInvitation.Status.FAILED, attempts=attempts
        ).update(status=SurveyInvitation.Status.CLAIMED)
        if taken:
            mine.append(pk)
    return list(_with_badge(SurveyInvitation.objects.filter(pk__in=mine)))


def _with_badge(invitations):
    return invitations.select_related("badge__user", "badge__badge_class")


def send_due_surveys(now=None):
    """Claim and e-mail every survey due at ``now``; returns how many e-mails went out."""
    if not credplugin_settings.SEND_EMAIL:
        return 0
    now = now or timezone.now()
    claimed = _claim_failed() + _claim_new(now)
    if not claimed:
        return 0
    sent = 0
    try:
        connection = get_connection()
        connection.open()
    except Exception:  # the mail server is away: every claim waits for the next run
        log.exception("credplugin could not reach the mail server for %d survey(s)", len(claimed))
        _mark(claimed, SurveyInvitation.Status.FAILED)
        return 0
    try:
        for invitation in claimed:
            sent += _send_one(connection, invitation)
    finally:
        connection.close()
    return sent


def _send_one(connection, invitation):
    message = survey_message(invitation) if invitation.badge.user.email else None
    if message is None:
        _mark([invitation], SurveyInvitation.Status.SKIPPED)
        return 0
    try:
        delivered = connection.send_messages([message])
    except Exception:  # one refused message must not stop the others
        log.exception("credplugin could not e-mail survey invitation %s", invitation.pk)
        delivered = 0
    status = SurveyInvitation.Status.SENT if delivered else SurveyInvitation.Status.FAILED
    _mark([invitation], status)
    return 1 if delivered else 0


def _mark(invitations, status):
    sent_at = timezone.now() if status == SurveyInvitation.Status.SENT else None
    SurveyInvitation.objects.filter(pk__in=[row.pk for row in invitations]).update(
        status=status,
        sent_at=sent_at,
        attempts=F("attempts") + 1,
    )


def survey_message(invitation):
    """The invitation e-mail in the badge's language; None if it cannot be written."""
    badge = invitation.badge
    try:
        with translation.override(badge.badge_class.language or None):
            context = badge_awarded.badge_context(
                badge,
                days=invitation.offset_days,
                survey_url=identity.public_url("survey", token=invitation.token),
                opt_out_url=identity.public_url("survey-opt-out", token=invitation.token),
            )
            subject = _("How has “%(badge)s” served you?") % {"badge": badge.badge_class.name}
            text = render_to_string("credplugin/email/survey_invitation_body.txt", context)
            html = render_to_string("credplugin/email/survey_invitation_body.html", context)
    except Exception:  # one unwritable message must not stop the others
        log.exception("credplugin could not write survey invitation %s", invitation.pk)
        return None
    message = EmailMultiAlternatives(
        subject,
        text,
        to=[badge.user.email],
        headers={"List-Unsubscribe": f"<{context['opt_out_url']}>"},
    )
    message.attach_alternative(html, "text/html")
    return message


def invitation_for(token, user_id=None):
    """The invitation with ``token`` (and, given ``user_id``, of that learner's badge)."""
    invitations = _with_badge(SurveyInvitation.objects.filter(token=token))
    if user_id is not None:
        invitations = invitations.filter(badge__user_id=user_id)
    invitation = invitations.first()
    if invitation is None:
        raise NotFound(_("There is no survey at this address."))
    return invitation


def response_editable(response, now=None):
    """Whether the learner may still change ``response``."""
    if response is None:
        return True
    limit = timedelta(days=credplugin_settings.SURVEY_EDIT_DAYS)
    return (now or timezone.now()) < response.submitted_at + limit


def save_response(invitation, answers, now=None):
    """Store or change the learner's one answer to ``invitation``.

    ``answers``: the cleaned form fields. Raises InvalidInput once the answer may no longer
    be changed. The row lock makes two simultaneous submissions one answer.
    """
    now = now or timezone.now()
    with transaction.atomic():
        SurveyInvitation.objects.select_for_update().get(pk=invitation.pk)
        response = SurveyResponse.objects.filter(invitation=invitation).first()
        if response is None:
            return SurveyResponse.objects.create(
                invitation=invitation, submitted_at=now, updated_at=now, **answers
            )
        if not response_editable(response, now):
            raise InvalidInput(_("This answer can no longer be changed."))
        for field, value in answers.items():
            setattr(response, field, value)
        response.updated_at = now
        response.save()
        return response


def opt_out(user_id):
    """Send this learner no more follow-up surveys."""
    SurveyOptOut.objects.get_or_create(user_id=user_id)
