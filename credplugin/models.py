"""What credplugin stores. LMS and Studio share these tables.

Rows that record judgements (rubric snapshots, assessment results) and issued credentials are
written once and never edited: a badge must always be explainable by the exact rubric and the
exact result it was issued from. Mutable state (a badge's revocation, a request's progress) lives
in explicit status fields with the reason and the actor beside it.
"""

import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from oauth2_provider.settings import oauth2_settings

from credplugin.keyfields import CourseKeyField, UsageKeyField

HEX_COLOUR = RegexValidator(r"^#[0-9a-f]{6}$", _("Write the colour as #rrggbb, e.g. #0b4f8a."))
_new_uuid = uuid.uuid4  # BadgeClass's own ``uuid`` field hides the module in its class body


class BadgeClass(models.Model):
    """One badge a course offers: the OB 3.0 ``Achievement`` learners earn.

    Blocks in one course run that share a slug form one badge class: its requirements, its
    learners and its awards are the run's. Every run of a course offers the same achievement
    (``achievement_uuid``, the credential's ``Achievement.id``), so employers see one badge
    whichever run a learner took (docs/decisions/0022). ``generation`` of an award is kept on
    the request and the issued badge, not here.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    course_key = CourseKeyField(max_length=255, db_index=True)
    catalog_course = models.CharField(
        _("course"),
        max_length=255,
        db_index=True,
        help_text=_("The course across its runs (organization and course number)."),
    )
    achievement_uuid = models.UUIDField(
        default=_new_uuid,
        db_index=True,
        editable=False,
        help_text=_("Shared by this badge's classes in every run of the course."),
    )
    slug = models.SlugField(max_length=100)
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    image_url = models.URLField(_("image URL"), max_length=500, blank=True)
    colour = models.CharField(
        _("artwork colour"),
        max_length=7,
        blank=True,
        validators=[HEX_COLOUR],
        help_text=_("The disc of the generated badge image, as #rrggbb; empty picks one."),
    )
    accent_colour = models.CharField(
        _("artwork accent colour"),
        max_length=7,
        blank=True,
        validators=[HEX_COLOUR],
        help_text=_("The ring and emblem of the generated badge image, as #rrggbb."),
    )
    artwork = models.CharField(
        _("uploaded artwork"),
        max_length=64,
        blank=True,
        help_text=_(
            "The id of an image the author uploaded in Studio, shown instead of the generated "
            "one; empty: the generated image."
        ),
    )
    criteria_narrative = models.TextField(_("criteria narrative"), blank=True)
    achievement_type = models.CharField(_("achievement type"), max_length=64, default="Badge")
    hours = models.DecimalField(_("hours"), max_digits=7, decimal_places=2, null=True, blank=True)
    validity_months = models.PositiveIntegerField(
        _("validity in months"),
        null=True,
        blank=True,
        help_text=_("Leave empty for a badge that does not expire."),
    )
    renewal_window_days = models.PositiveIntegerField(
        _("renewal window in days"),
        null=True,
        blank=True,
        help_text=_(
            "Renewal opens this many days before the badge expires. Leave empty for a badge "
            "that cannot be renewed (it needs a validity)."
        ),
    )
    renewal_grace_days = models.PositiveIntegerField(
        _("renewal grace in days"),
        default=0,
        help_text=_("Days after expiry during which the badge may still be renewed."),
    )
    renewal_by = models.CharField(
        _("renewal requires"),
        max_length=16,
        choices=[
            ("assessment", _("passing the renewal assessments of one course run")),
            ("course", _("passing the course's assessments again")),
        ],
        default="assessment",
    )
    alignments = models.JSONField(
        _("competency alignments"),
        default=list,
        blank=True,
        help_text=_("Competencies the badge as a whole aligns to: name, framework, code, url."),
    )
    tags = models.JSONField(_("tags"), default=list, blank=True)
    language = models.CharField(_("language"), max_length=16, default="en")
    active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("badge class")
        verbose_name_plural = _("badge classes")
        constraints = [
            models.UniqueConstraint(fields=["course_key", "slug"], name="credplugin_badge_slug")
        ]

    def __str__(self):
        return f"{self.name} ({self.course_key}/{self.slug})"


class RubricSnapshot(models.Model):
    """A rubric exactly as learners were judged against it, stored once per content hash.

    Editing a rubric in Studio after learners submitted creates a new snapshot; results keep
    pointing at the one they were judged against.
    """

    content_hash = models.CharField(max_length=64, unique=True)
    definition = models.JSONField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rubric snapshot")

    def __str__(self):
        return self.content_hash[:12]


class BadgeRequirement(models.Model):
    """One assessment block a badge needs, registered when the block is published.

    ``source_hash`` fingerprints the published settings the row was registered from, so the
    LMS can tell in one indexed read whether a block it renders is registered as published.
    """

    badge_class = models.ForeignKey(
        BadgeClass, related_name="requirements", on_delete=models.CASCADE
    )
    usage_key = UsageKeyField(max_length=255, unique=True)
    title = models.CharField(_("title"), max_length=255, blank=True)
    rubric = models.ForeignKey(
        RubricSnapshot, null=True, blank=True, related_name="+", on_delete=models.PROTECT
    )
    pass_rule = models.JSONField(_("pass rule"), default=dict, blank=True)
    assessment_methods = models.JSONField(default=list, blank=True)
    source_hash = models.CharField(max_length=64, blank=True, default="")
    active = models.BooleanField(default=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("badge requirement")

    def __str__(self):
        return f"{self.usage_key} → {self.badge_class.slug}"


class AssessmentResult(models.Model):
    """A learner's judged attempt at one assessment block. Append-only; the newest counts."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE)
    course_key = CourseKeyField(max_length=255)  # indexed with created, below
    usage_key = UsageKeyField(max_length=255)
    rubric = models.ForeignKey(
        RubricSnapshot, null=True, blank=True, related_name="results", on_delete=models.PROTECT
    )
    criterion_levels = models.JSONField(default=list, blank=True)
    scores = models.JSONField(default=dict, blank=True)
    points_earned = models.FloatField(default=0)
    points_possible = models.FloatField(default=0)
    passed = models.BooleanField(default=False)
    evidence = models.JSONField(default=list, blank=True)
    assessment_methods = models.JSONField(default=list, blank=True)
    feedback = models.TextField(blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    judgement = models.JSONField(
        default=dict,
        blank=True,
        help_text=_(
            'Who formed the result: {"mode": ..., "peer_reviews": n}; the credential '
            "describes the method from it. Empty for a mentor's grade without a peer step."
        ),
    )
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("assessment result")
        indexes = [
            models.Index(fields=["user", "usage_key", "-created"]),
            # A block's or a course run's judgements in time order, for the outcome figures.
            models.Index(fields=["usage_key", "created"], name="credplugin_result_block"),
            models.Index(fields=["course_key", "created"], name="credplugin_result_course"),
        ]

    def __str__(self):
        return f"{self.user_id} {self.usage_key} passed={self.passed}"


class CoursePassingRecord(models.Model):
    """The latest passing status the platform told us about, per learner and course."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE)
    course_key = CourseKeyField(max_length=255)
    is_passing = models.BooleanField(default=False)
    has_certificate = models.BooleanField(default=False)
    evaluation_pending = models.BooleanField(
        default=False,
        help_text=_(
            "Set when the status changed and the learner's badges have not been re-evaluated "
            "yet; the sweeper evaluates rows left set."
        ),
    )
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("course passing record")
        constraints = [
            models.UniqueConstraint(fields=["user", "course_key"], name="credplugin_passing_once")
        ]
        indexes = [models.Index(fields=["evaluation_pending", "updated"])]

    def __str__(self):
        return f"{self.user_id} {self.course_key} passing={self.is_passing}"


class IssuanceRequest(models.Model):
    """The outbox: a decision to award, written in the same transaction as the decision.

    ``(user, badge_class, generation)`` is unique, so however many times an event arrives only
    one request — and so one badge — can exist per generation. A revoked badge may be awarded
    again under the next generation.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        WAITING = "waiting", _("waiting for the operator")
        ISSUED = "issued", _("issued")
        FAILED = "failed", _("failed")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE)
    badge_class = models.ForeignKey(
        BadgeClass, related_name="issuance_requests", on_delete=models.CASCADE
    )
    generation = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    # The status-list slot is reserved (and committed) before signing, because the credential
    # names it; a retry reuses it instead of leaking another.
    status_list_sequence = models.PositiveIntegerField(null=True, blank=True)
    status_list_index = models.PositiveIntegerField(null=True, blank=True)
    # The attempt (a Celery task id) working on a pending request, and until when it counts as
    # alive; a redelivered task takes its own rows back at once, anyone takes expired ones
    # (credplugin.issuing.claims). Only liveness: exactly once comes from the row lock when storing.
    claimed_by = models.CharField(max_length=64, blank=True, default="", db_index=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("issuance request")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "badge_class", "generation"], name="credplugin_one_award"
            ),
            models.UniqueConstraint(
                fields=["status_list_sequence", "status_list_index"],
                name="credplugin_one_reserved_slot",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "updated"]),
            models.Index(fields=["status", "lease_until"]),
        ]

    def __str__(self):
        return f"{self.uuid} {self.status}"


class IssuedBadge(models.Model):
    """A signed credential as issued, plus its live status and the learner's sharing choices."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        SUSPENDED = "suspended", _("suspended")
        REVOKED = "revoked", _("revoked")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.OneToOneField(
        IssuanceRequest, related_name="issued_badge", on_delete=models.PROTECT
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE)
    badge_class = models.ForeignKey(
        BadgeClass, related_name="issued_badges", on_delete=models.PROTECT
    )
    generation = models.PositiveIntegerField(default=1)
    issuer_key = models.ForeignKey(
        "IssuerKey", null=True, related_name="issued_badges", on_delete=models.PROTECT
    )
    credential = models.JSONField()
    issued_at = models.DateTimeField()
    valid_until = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    status_reason = models.TextField(blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    reaward_blocked = models.BooleanField(
        default=False,
        help_text=_("A revocation that must not be undone by the learner passing again."),
    )
    status_list_sequence = models.PositiveIntegerField()
    status_list_index = models.PositiveIntegerField()
    hidden = models.BooleanField(_("hidden from the public"), default=False)
    show_name = models.BooleanField(_("show my name on the public page"), default=False)
    # The current version of the credential (``credential`` above is that version); every
    # version, the first included once renewed, is a ``CredentialVersion``.
    version = models.PositiveIntegerField(default=1)
    renewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("issued badge")
        constraints = [
            models.UniqueConstraint(
                fields=["status_list_sequence", "status_list_index"],
                name="credplugin_one_status_slot",
            )
        ]
        indexes = [
            models.Index(fields=["status", "valid_until"], name="credplugin_expiry"),
            # A badge class's badges of a period, for its outcome figures and survey quarters.
            models.Index(fields=["badge_class", "issued_at"], name="credplugin_badge_issued"),
            # Its status changes since the last roll-up.
            models.Index(
                fields=["badge_class", "status_changed_at"], name="credplugin_badge_changed"
            ),
        ]

    def __str__(self):
        return f"{self.uuid} {self.status}"


class StatusChange(models.Model):
    """One change of an issued badge's status, kept forever: the badge's history.

    The issuance itself is the badge row (``issued_at``); every later change — revoked,
    suspended, reinstated — adds a row here, so a reinstatement never hides why the badge was
    suspended. ``actor`` is empty when the plugin acted on its own (``CREDPLUGIN_ON_FAILING``).
    """

    badge = models.ForeignKey(IssuedBadge, related_name="status_changes", on_delete=models.CASCADE)
    previous_status = models.CharField(max_length=16, choices=IssuedBadge.Status.choices)
    status = models.CharField(max_length=16, choices=IssuedBadge.Status.choices)
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    changed_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("status change")
        ordering = ["changed_at", "id"]

    def __str__(self):
        return f"{self.badge_id} {self.previous_status} -> {self.status}"


class IssuerKey(models.Model):
    """An Ed25519 signing key. The private half is encrypted at rest or lives outside the DB.

    Retired keys stay listed in the DID document so badges they signed keep verifying. At most
    one key is active; rotation enforces that under a row lock because MariaDB has no partial
    unique indexes.
    """

    class Source(models.TextChoices):
        DATABASE = "database", _("database (encrypted)")
        PEM_FILE = "pem_file", _("PEM file")
        ENVIRONMENT = "environment", _("environment variable")

    public_key_multibase = models.CharField(max_length=128, unique=True)
    encrypted_private_key = models.BinaryField(null=True, blank=True, editable=False)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.DATABASE)
    active = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("issuer key")

    def __str__(self):
        return self.public_key_multibase


class StatusList(models.Model):
    """One Bitstring Status List. Revocation and suspension lists grow in lockstep: a badge
    holds the same index in the revocation and the suspension list of one sequence number."""

    class Purpose(models.TextChoices):
        REVOCATION = "revocation", _("revocation")
        SUSPENSION = "suspension", _("suspension")

    purpose = models.CharField(max_length=16, choices=Purpose.choices)
    sequence = models.PositiveIntegerField()
    size = models.PositiveIntegerField(default=131072)
    next_index = models.PositiveIntegerField(default=0)
    # Slots are counted in order (next_index) and handed out shuffled by this secret key, so an
    # index does not tell when its badge was issued; indexes below shuffled_from were handed
    # out in order before the list had a key.
    index_key = models.CharField(max_length=32, blank=True, default="", editable=False)
    shuffled_from = models.PositiveIntegerField(default=0, editable=False)
    bitstring = models.BinaryField()
    signed_credential = models.JSONField(null=True, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("status list")
        constraints = [
            models.UniqueConstraint(fields=["purpose", "sequence"], name="credplugin_status_list")
        ]

    def __str__(self):
        return f"{self.purpose} #{self.sequence}"


class LearnerPreference(models.Model):
    """A person's standing choices about credplugin e-mail: awards, assessment reviews, renewal
    reminders and pathway progress as a learner, new submissions to review as course staff.
    Every e-mail is sent unless opted out."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE
    )
    email_on_award = models.BooleanField(default=True)
    email_on_review = models.BooleanField(
        default=True, help_text=_("E-mail the learner when a mentor grades or returns their work.")
    )
    email_on_submission = models.BooleanField(
        default=True, help_text=_("E-mail course staff when a learner submits work to review.")
    )
    email_renewal_reminders = models.BooleanField(default=True)
    email_on_pathway_progress = models.BooleanField(
        default=True, help_text=_("E-mail at 25, 50 and 75 % of a pathway.")
    )
    email_mentor_reminders = models.BooleanField(
        default=True,
        help_text=_("E-mail a mentor when work they review waits past the target turnaround."),
    )
    email_peer_reminders = models.BooleanField(
        default=True,
        help_text=_("E-mail a learner who still owes peer reviews while work waits for them."),
    )

    class Meta:
        verbose_name = _("learner preference")

    def __str__(self):
        return f"{self.user_id} email={self.email_on_award}"


class RenewalAssessment(models.Model):
    """An assessment block that renews a badge: passing it (with the others of its course run
    that renew the same achievement) extends a holder's badge of that achievement.

    It names the achievement, not one run's badge class, so a block published in a later run
    renews the badges earned in every run.
    """

    usage_key = UsageKeyField(max_length=255, unique=True)
    course_key = CourseKeyField(max_length=255, db_index=True)
    achievement_uuid = models.UUIDField(db_index=True)
    title = models.CharField(_("title"), max_length=255, blank=True)
    rubric = models.ForeignKey(
        RubricSnapshot, null=True, blank=True, related_name="+", on_delete=models.PROTECT
    )
    pass_rule = models.JSONField(_("pass rule"), default=dict, blank=True)
    assessment_methods = models.JSONField(default=list, blank=True)
    active = models.BooleanField(default=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("renewal assessment")

    def __str__(self):
        return f"{self.usage_key} renews {self.achievement_uuid}"


class RenewalRequest(models.Model):
    """The renewal outbox: a decision to sign version ``version`` of a badge.

    ``(badge, version)`` is unique, so however many results or workers race, a version is
    signed once. The status-list slot of the new version is reserved with the decision.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        ISSUED = "issued", _("issued")
        FAILED = "failed", _("failed")

    badge = models.ForeignKey(IssuedBadge, related_name="renewals", on_delete=models.CASCADE)
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField(blank=True)
    results = models.JSONField(default=list, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    status_list_sequence = models.PositiveIntegerField()
    status_list_index = models.PositiveIntegerField()
    # The attempt signing it and until when (credplugin.issuing.claims, as IssuanceRequest).
    claimed_by = models.CharField(max_length=64, blank=True, default="", db_index=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("renewal request")
        constraints = [
            models.UniqueConstraint(fields=["badge", "version"], name="credplugin_one_renewal"),
            models.UniqueConstraint(
                fields=["status_list_sequence", "status_list_index"],
                name="credplugin_renewal_slot",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "updated"]),
            models.Index(fields=["status", "lease_until"]),
        ]

    def __str__(self):
        return f"{self.badge_id} v{self.version} {self.status}"


class CredentialVersion(models.Model):
    """One signed version of a badge's credential, kept so that every version still verifies.

    Written when a badge is first renewed (version 1, the credential as issued) and for each
    renewal after. Same credential ``id``; the newest ``validFrom`` is current (OB 3.0).
    """

    badge = models.ForeignKey(IssuedBadge, related_name="versions", on_delete=models.CASCADE)
    version = models.PositiveIntegerField()
    credential = models.JSONField()
    issuer_key = models.ForeignKey(IssuerKey, null=True, related_name="+", on_delete=models.PROTECT)
    valid_from = models.DateTimeField()
    valid_until = models.DateTimeField(null=True, blank=True)
    status_list_sequence = models.PositiveIntegerField()
    status_list_index = models.PositiveIntegerField()
    renewal = models.OneToOneField(
        RenewalRequest, null=True, blank=True, related_name="+", on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("credential version")
        constraints = [
            models.UniqueConstraint(fields=["badge", "version"], name="credplugin_one_version")
        ]

    def __str__(self):
        return f"{self.badge_id} v{self.version}"


class RenewalReminder(models.Model):
    """A reminder claimed (and then sent) for one badge version and one offset.

    The unique constraint makes each reminder happen once whoever sends: a sender inserts its
    claims with its own ``claim`` token, ignoring conflicts, and sends only the rows it won.
    """

    badge = models.ForeignKey(IssuedBadge, related_name="+", on_delete=models.CASCADE)
    version = models.PositiveIntegerField()
    days_before = models.IntegerField()
    claim = models.UUIDField(db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("renewal reminder")
        constraints = [
            models.UniqueConstraint(
                fields=["badge", "version", "days_before"], name="credplugin_remind_once"
            )
        ]

    def __str__(self):
        return f"{self.badge_id} v{self.version} -{self.days_before}d"


from credplugin.stacking.models import (  # noqa: E402
    Pathway,
    PathwayComponent,
    PathwayHold,
    PathwayMilestone,
)

__all__ = [
    "AssessmentResult",
    "BadgeClass",
    "BadgeRequirement",
    "CalibrationAttempt",
    "CoursePassingRecord",
    "CredentialVersion",
    "ExcludedReviewer",
    "IssuanceRequest",
    "IssuedBadge",
    "IssuerKey",
    "LearnerPreference",
    "MentorAssignment",
    "MentorReminder",
    "ObApiClient",
    "ObApiUse",
    "OutcomeCounter",
    "OutcomeDay",
    "OutcomePlan",
    "OutcomeRollUp",
    "OutcomeSnapshot",
    "Pathway",
    "PathwayComponent",
    "PathwayHold",
    "PathwayMilestone",
    "PeerReminder",
    "PeerReview",
    "PeerSubmission",
    "RenewalAssessment",
    "RenewalReminder",
    "RenewalRequest",
    "ReviewQueueEntry",
    "RubricSnapshot",
    "StatusChange",
    "StatusList",
    "SurveyInvitation",
    "SurveyOptOut",
    "SurveyResponse",
    "WalletExchange",
]

# Outcomes keep their models in their own module; importing them here registers them.
# So do mentors.
from credplugin.mentoring.models import (  # noqa: E402, F401
    MentorAssignment,
    MentorReminder,
    ReviewQueueEntry,
)
from credplugin.outcomes.models import (  # noqa: E402, F401
    OutcomeCounter,
    OutcomeDay,
    OutcomePlan,
    OutcomeRollUp,
    OutcomeSnapshot,
    SurveyInvitation,
    SurveyOptOut,
    SurveyResponse,
)

# Peer review keeps its models in its own module; importing them here registers them.
from credplugin.reviewing.models import (  # noqa: E402, F401
    CalibrationAttempt,
    ExcludedReviewer,
    PeerReminder,
    PeerReview,
    PeerSubmission,
)


class WalletExchange(models.Model):
    """A VC-API exchange that hands one badge to the wallet of the learner who opened it.

    ``exchange_id`` is the unguessable capability in the exchange URL. An exchange is used up
    (``completed_at``) by the first wallet presentation that passes; it expires at
    ``expires_at`` either way.
    """

    exchange_id = models.CharField(max_length=64, unique=True)
    challenge = models.CharField(max_length=64)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE)
    badge = models.ForeignKey(
        IssuedBadge, related_name="wallet_exchanges", on_delete=models.CASCADE
    )
    created = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    holder_did = models.CharField(_("wallet DID"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("wallet exchange")

    def __str__(self):
        return f"{self.badge_id} → {self.holder_did or 'pending'}"


class ObApiClient(models.Model):
    """An Open Badges 3.0 API client registered through dynamic client registration.

    The OAuth client itself is the platform's django-oauth-toolkit ``Application``; this row
    keeps what RFC 7591 registers beyond it and the scopes the client may ask for.
    """

    application = models.OneToOneField(
        oauth2_settings.APPLICATION_MODEL, related_name="+", on_delete=models.CASCADE
    )
    scope = models.CharField(max_length=255)
    metadata = models.JSONField(default=dict)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Open Badges API client")

    def __str__(self):
        return self.metadata.get("client_name", str(self.application_id))


class ObApiUse(models.Model):
    """When an Open Badges API client last read a learner's data, shown on "My badges"."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE)
    client = models.ForeignKey(ObApiClient, related_name="uses", on_delete=models.CASCADE)
    last_read = models.DateTimeField()

    class Meta:
        verbose_name = _("Open Badges API use")
        constraints = [
            models.UniqueConstraint(fields=["user", "client"], name="credplugin_one_api_use")
        ]

    def __str__(self):
        return f"{self.client} {self.last_read:%Y-%m-%d %H:%M}"
