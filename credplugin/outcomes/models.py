"""What outcomes add to the database: survey plans, invitations, answers and opt-outs.

Imported by ``credplugin.models`` so Django registers them in the ``credplugin`` app.

An invitation row is the claim on one e-mail: ``(badge, offset_days)`` is unique, so however
many senders run at once, one inserts the row and only that one sends (``surveys.py``). The
answers are the only personal data outcomes keep; figures read them only where ``consent`` is
set, and the platform's retirement deletes them (``retirement.py``).
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_token():
    return secrets.token_urlsafe(24)


class OutcomePlan(models.Model):
    """A badge class's outcome choices: when to survey its earners, and whether its figures
    are public. A badge class without a plan uses ``CREDPLUGIN_SURVEY_DAYS`` and is not
    published."""

    badge_class = models.OneToOneField(
        "credplugin.BadgeClass", related_name="outcome_plan", on_delete=models.CASCADE
    )
    survey_days = models.JSONField(
        _("survey days"),
        null=True,
        blank=True,
        help_text=_(
            "Days after the award when earners are asked about their outcomes, e.g. [30, 90, "
            "180]; an empty list sends no surveys; empty uses the site's default."
        ),
    )
    published = models.BooleanField(
        _("publish outcomes"),
        default=False,
        help_text=_("Show this badge's aggregate outcomes on a public page, signed."),
    )

    class Meta:
        verbose_name = _("outcome plan")

    def __str__(self):
        return f"{self.badge_class_id} {self.survey_days} published={self.published}"


class SurveyInvitation(models.Model):
    """One follow-up survey of one badge: the claim on its e-mail and the key of its form."""

    class Status(models.TextChoices):
        CLAIMED = "claimed", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("not sent (will be retried)")
        SKIPPED = "skipped", _("not sent (opted out or no address)")

    badge = models.ForeignKey(
        "credplugin.IssuedBadge", related_name="survey_invitations", on_delete=models.CASCADE
    )
    offset_days = models.PositiveSmallIntegerField()
    token = models.CharField(max_length=64, unique=True, default=new_token)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.CLAIMED)
    attempts = models.PositiveSmallIntegerField(default=0)
    created = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("survey invitation")
        constraints = [
            models.UniqueConstraint(fields=["badge", "offset_days"], name="credplugin_one_survey")
        ]
        indexes = [models.Index(fields=["status", "created"])]

    def __str__(self):
        return f"{self.badge_id} +{self.offset_days}d {self.status}"


class SurveyResponse(models.Model):
    """A learner's answer to one invitation; editable for ``CREDPLUGIN_SURVEY_EDIT_DAYS``."""

    class JobChange(models.TextChoices):
        NONE = "none", _("No change")
        NEW_EMPLOYER = "new_employer", _("A new job with another employer")
        NEW_ROLE = "new_role", _("A new role with the same employer")
        FIRST_JOB = "first_job", _("My first job in this field")

    class PayChange(models.TextChoices):
        DECREASE = "decrease", _("Lower")
        SAME = "same", _("About the same")
        UP_TO_10 = "up_to_10", _("Up to 10 % higher")
        UP_TO_25 = "up_to_25", _("10–25 % higher")
        OVER_25 = "over_25", _("More than 25 % higher")

    class Applies(models.IntegerChoices):
        NEVER = 0, _("Never")
        RARELY = 1, _("A few times a year")
        MONTHLY = 2, _("Monthly")
        WEEKLY = 3, _("Weekly")
        DAILY = 4, _("Daily")

    invitation = models.OneToOneField(
        SurveyInvitation, related_name="response", on_delete=models.CASCADE
    )
    job_change = models.CharField(max_length=16, choices=JobChange.choices)
    promotion = models.BooleanField(default=False)
    more_responsibility = models.BooleanField(default=False)
    pay_change = models.CharField(max_length=16, choices=PayChange.choices, blank=True)
    applies_competencies = models.PositiveSmallIntegerField(choices=Applies.choices)
    comment = models.TextField(blank=True, max_length=2000)
    consent = models.BooleanField(default=False)
    submitted_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("survey response")

    def __str__(self):
        return f"{self.invitation_id} consent={self.consent}"


class SurveyOptOut(models.Model):
    """A learner who asked for no more follow-up surveys."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("survey opt-out")

    def __str__(self):
        return str(self.user_id)


class OutcomeSnapshot(models.Model):
    """The figures of one scope, period and section, computed once their data was final.

    Published figures are read from here, never recomputed: two publications can never be
    subtracted to single someone out, and a learner's retirement leaves the counts intact.
    ``figures`` are exact; suppression is applied when they are shown.
    """

    scope_key = models.CharField(max_length=255)
    period_start = models.DateField()
    period_end = models.DateField()
    section = models.CharField(max_length=32)
    figures = models.JSONField()
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("outcome snapshot")
        constraints = [
            models.UniqueConstraint(
                fields=["scope_key", "period_start", "section"], name="credplugin_one_snapshot"
            )
        ]

    def __str__(self):
        return f"{self.scope_key} {self.period_start} {self.section}"


class OutcomeCounter(models.Model):
    """How often something happened to a badge class's badges on one day, and nothing about
    who: public page views, verifications, LinkedIn shares."""

    class Kind(models.TextChoices):
        PAGE_VIEW = "page_view", _("badge page views")
        VERIFICATION = "verification", _("verifications")
        LINKEDIN_SHARE = "linkedin_share", _("LinkedIn shares")

    badge_class = models.ForeignKey(
        "credplugin.BadgeClass", related_name="+", on_delete=models.CASCADE
    )
    day = models.DateField()
    kind = models.CharField(max_length=16, choices=Kind.choices)
    count = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("outcome counter")
        constraints = [
            models.UniqueConstraint(
                fields=["badge_class", "day", "kind"], name="credplugin_one_counter"
            )
        ]

    def __str__(self):
        return f"{self.badge_class_id} {self.day} {self.kind}={self.count}"


class OutcomeDay(models.Model):
    """One badge class's dashboard figures of one day, in parts that add up over any range
    (``outcomes/rollups.py``): counts, and the values medians are taken of."""

    badge_class = models.ForeignKey(
        "credplugin.BadgeClass", related_name="+", on_delete=models.CASCADE
    )
    day = models.DateField()
    parts = models.JSONField()

    class Meta:
        verbose_name = _("outcome day")
        constraints = [
            models.UniqueConstraint(fields=["badge_class", "day"], name="credplugin_one_day")
        ]

    def __str__(self):
        return f"{self.badge_class_id} {self.day}"


class OutcomeRollUp(models.Model):
    """How far a badge class's days are rolled up: every change before ``refreshed_at`` is in
    its ``OutcomeDay`` rows, except deletions from ``stale_from`` on (rows leave no timestamp
    behind, so whoever deletes marks the day); the refresher locks this row, so refreshes of a
    class queue."""

    badge_class = models.OneToOneField(
        "credplugin.BadgeClass", related_name="+", on_delete=models.CASCADE
    )
    refreshed_at = models.DateTimeField(null=True, blank=True)
    stale_from = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("outcome roll-up")

    def __str__(self):
        return f"{self.badge_class_id} {self.refreshed_at}"
