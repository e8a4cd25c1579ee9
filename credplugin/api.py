"""The public Python API of credplugin: every change of state goes through this module.

XBlocks import nothing else of the plugin; receivers, the admin and views make every change
here. Views and serializers may read models to display them, but import no pipeline module
(``docs/decisions/0013-boundaries-checked-by-import-linter.md``; ``.importlinter`` checks it).
Functions take and return plain values (ids, keys, dicts, strings) so XBlocks never import
credplugin models. Bad input raises ``InvalidInput`` (a ``ValueError``) or ``NotFound`` (a
``LookupError``) with a readable sentence, and nothing is changed.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from credplugin.authoring import content, requirements, validation
from credplugin.authoring.content import BLOCK_TYPE as ASSESSMENT_BLOCK_TYPE  # noqa: F401  (re-exported)
from credplugin.authoring.limits import AUTHORING_LIMITS  # noqa: F401  (re-exported)
from credplugin.authoring.requirements import JudgedAttempt  # noqa: F401  (re-exported)
from credplugin.authoring.validation import ASSESSMENT_METHODS  # noqa: F401  (re-exported)
from credplugin.compat import learner_display_name
from credplugin.conf import credplugin_settings
from credplugin.exceptions import (  # noqa: F401  (re-exported for callers)
    CredPluginError,
    InvalidInput,
    InvalidTransition,
    NotFound,
)
from credplugin.issuer import identity, status_lists
from credplugin.issuer.keys import KeyUnavailable  # noqa: F401  (re-exported for the views)
from credplugin.issuing import composition, evaluation, intake, issuance, lifecycle
from credplugin.mail import assessment_reviews
from credplugin.mentoring import assignment as mentor_assignment
from credplugin.mentoring import queue as review_queue
from credplugin.mentoring import reminders as mentor_reminders
from credplugin.models import BadgeClass, IssuanceRequest
from credplugin.presentation import artwork, uploaded_artwork
from credplugin.renewing import policy, reminders, renewal
from credplugin.reviewing import models as reviewing_models
from credplugin.reviewing import pool as reviewing_pool
from credplugin.reviewing import results as reviewing_results
from credplugin.stacking import pathways, record

# --- requirements and results (called by the assessment XBlocks) ---------------------------


def snapshot_rubric(rubric):
    """Store a rubric definition once, immutably; return its content hash.

    ``rubric``: ``{"criteria": [{"id", "name", "description", "competency": {"name",
    "framework", "code", "url"} | None, "levels": [{"id", "name", "description", "points"}],
    "required_level": <level id>}]}``. Equal rubrics give the same hash.
    """
    return requirements.snapshot_rubric(rubric)


def register_badge_requirement(
    *, course_key, usage_key, title, badge, rubric, pass_rule, assessment_methods
):
    """Declare that the badge described by ``badge`` needs the block ``usage_key``.

    Called with a block's published settings (see :mod:`credplugin.authoring.content`). Blocks of
    one course run sharing ``badge["slug"]`` feed one badge; the last registered description wins.
    ``badge``: slug, name, description, image_url, colour and accent_colour (``#rrggbb`` or
    empty, the generated artwork's disc and ring), artwork (an id from
    :func:`store_badge_artwork`, shown instead of the generated artwork, or empty),
    criteria_narrative, achievement_type, hours, validity_months, alignments [{name,
    framework, code, url}], tags, language. ``pass_rule``: optional ``min_percent`` (0-100)
    and ``all_criteria_met`` (bool), applied on top of the result's own ``passed``. Returns
    ``{"badge_uuid": str, "rubric_hash": str | None,
    "registered": bool}`` (False: these exact settings were registered already).
    """
    return requirements.register_badge_requirement(
        course_key=course_key,
        usage_key=usage_key,
        title=title,
        badge=badge,
        rubric=rubric,
        pass_rule=pass_rule,
        assessment_methods=assessment_methods,
    )


def check_badge_requirement(**description):
    """Raise ``InvalidInput`` if these settings (the keyword arguments of
    :func:`register_badge_requirement`) could not be registered; writes nothing.

    Studio's save checks a draft with this; the draft is registered once published.
    """
    requirements.clean_requirement(**description)


def ensure_badge_requirement(**description):
    """The LMS's safety net when it renders a block: register the published settings it shows
    (the keyword arguments of :func:`register_badge_requirement`) unless they are registered
    already. Cached; returns True when this call registered them. Does nothing in Studio,
    whose previews show drafts."""
    return content.ensure_registered(**description)


def retire_requirement(usage_key):
    """The block left the published course: it no longer counts towards its badge.

    Learners who earned the badge keep it; those still waiting are evaluated again. True if a
    requirement was retired.
    """
    return content.retire(usage_key)


# --- peer review (called by the assessment XBlock's peer step) -------------------------------


def peer_enter(
    *,
    submission_uuid,
    course_key,
    usage_key,
    author_id,
    rubric,
    required_reviews,
    title="",
    result_mode=reviewing_models.PEER_MEDIAN,
    submitted_at=None,
    unblock_after_days=0,
    fallback=reviewing_models.FLEXIBLE,
    must_grade=0,
):
    """Put a learner's submission in the block's peer pool, needing ``required_reviews``.

    The block calls this instead of ``review_waiting``: the work reaches the mentors' queue
    (titled ``title``, waiting from then on) only when a mentor is needed, which
    ``result_mode`` (the block's ``peer_result_mode``) decides; the learner's older work
    still waiting there is replaced at once. The periodic sweep unblocks it by ``fallback``
    after ``unblock_after_days`` (0: never); the author, who owes ``must_grade`` reviews, is
    reminded of them (0: never). Raises ``InvalidInput`` for an unknown mode or
    fallback.
    """
    if result_mode not in dict(reviewing_models.RESULT_MODES):
        raise InvalidInput(f"Unknown peer result mode {result_mode!r}.")
    if fallback not in dict(reviewing_models.FALLBACKS):
        raise InvalidInput(f"Unknown peer fallback {fallback!r}.")
    submitted_at = submitted_at or timezone.now()
    unblock_at = submitted_at + timedelta(days=unblock_after_days) if unblock_after_days else None
    reviewing_pool.enter(
        submission_uuid=str(submission_uuid),
        course_key=validation.course_key(course_key),
        usage_key=validation.usage_key(usage_key),
        author_id=author_id,
        rubric=rubric,
        required_reviews=required_reviews,
        title=str(title or "")[:255],
        result_mode=result_mode,
        created=submitted_at,
        unblock_at=unblock_at,
        fallback=fallback,
        must_grade=must_grade,
    )


def peer_next(*, course_key, usage_key, reviewer_id):
    """Lease the next submission for ``reviewer_id`` (fewest reviews, oldest first) or return
    the one they hold: ``{review_uuid, submission_uuid, lease_expires}``; None when no
    submission can be handed to them. Never their own work, never one they were handed before.
    Raises ``InvalidInput`` for a reviewer staff excluded."""
    return _lease(
        reviewing_pool.next_for(
            validation.usage_key(usage_key), validation.course_key(course_key), reviewer_id
        )
    )


def peer_held(*, usage_key, reviewer_id):
    """The reviewer's unexpired lease in this block (as ``peer_next`` describes it), or None;
    hands nothing out."""
    review = reviewing_pool.held_lease(validation.usage_key(usage_key), reviewer_id)
    return _lease(review)


def _lease(review):
    if review is None:
        return None
    return {
        "review_uuid": str(review.uuid),
        "submission_uuid": review.submission.submission_uuid,
        "lease_expires": review.lease_expires,
    }


def peer_save_review(*, review_uuid, reviewer_id, levels, feedback):
    """Complete the reviewer's lease with ``{criterion id: level id}`` and written feedback.

    Returns ``{submission_uuid, state, received, required}`` for the reviewed submission.
    Raises ``NotFound`` (not their lease) or ``InvalidInput`` (done, expired or incomplete)."""
    review = reviewing_pool.complete(review_uuid, reviewer_id, levels, feedback)
    submission = review.submission
    return {
        "submission_uuid": submission.submission_uuid,
        "state": submission.state,
        "received": submission.review_count,
        "required": submission.required_reviews,
    }


def peer_summary(submission_uuid):
    """What peers said about one submission, anonymous: ``{state, required, received,
    median_levels, created, reviews: [{review_uuid, levels, feedback, helpfulness}]}``, or
    None when it never entered peer review. Excluded reviewers' reviews are left out."""
    return reviewing_results.summary(str(submission_uuid))


def peer_reviews_given(*, usage_key, reviewer_id):
    return reviewing_results.given_by(validation.usage_key(usage_key), reviewer_id)


def peer_rate_review(*, review_uuid, author_id, helpfulness):
    """The author's 1–5 helpfulness rating of a review of their own work."""
    reviewing_results.rate(str(review_uuid), author_id, helpfulness)


def peer_calibrate(*, usage_key, user_id, example_id, rubric, staff_levels, learner_levels):
    """Record a calibration attempt; returns whether it was close enough (see ADR 0022)."""
    return reviewing_results.record_calibration(
        usage_key=validation.usage_key(usage_key),
        user_id=user_id,
        example_id=example_id,
        rubric=rubric,
        staff_levels=staff_levels,
        learner_levels=learner_levels,
    )


def peer_calibrated_examples(*, usage_key, user_id):
    return reviewing_results.calibrated_examples(validation.usage_key(usage_key), user_id)


def peer_unblock_due(*, usage_key, after_days, fallback):
    """Unblock submissions waiting more than ``after_days`` days: ``fallback`` "flexible"
    lowers the required count to the reviews given (none given: to a mentor), "mentor" sends
    them to a mentor. Returns how many were unblocked."""
    return reviewing_pool.unblock_due(
        validation.usage_key(usage_key), after_days=after_days, fallback=fallback
    )


def peer_close(submission_uuid, *, needs_mentor=False):
    """Stop handing a submission out: decided, or (``needs_mentor``) waiting for a mentor."""
    reviewing_pool.close(
        str(submission_uuid),
        reviewing_models.NEEDS_MENTOR if needs_mentor else reviewing_models.CLOSED,
    )


def peer_exclude_reviewer(*, course_key, reviewer_id, reason, excluded_by):
    """Exclude a reviewer from the course's peer review; their reviews stop counting and the
    submissions they reviewed are handed out again. Returns False if already excluded."""
    if not get_user_model().objects.filter(pk=reviewer_id).exists():
        raise NotFound(f"No user has the id {reviewer_id!r}.")
    return reviewing_pool.exclude_reviewer(
        validation.course_key(course_key),
        reviewer_id,
        validation.text(reason, "reason", required=True, max_length=500),
        excluded_by,
    )


def peer_reviewers(*, course_key, usage_key):
    """``{review uuid: reviewer user id}`` of a block's completed reviews, for course staff."""
    return {
        str(key): value
        for key, value in reviewing_results.reviewer_ids(
            validation.course_key(course_key), validation.usage_key(usage_key)
        ).items()
    }


# --- course content lifecycle (called by the Studio event receivers) -----------------------


def content_published(usage_key, block_type):
    """A block (or a container with everything in it) was published."""
    return content.block_published(usage_key, block_type)


def content_duplicated(usage_key, source_usage_key):
    """A block was duplicated; the copy registers under its own usage key once published."""
    return content.block_duplicated(usage_key, source_usage_key)


def library_block_published(library_usage_key):
    """A content-library block was published; its course copies are checked again."""
    return content.library_block_published(library_usage_key)


def content_deleted(usage_key):
    """A block was deleted, from the draft or the published course."""
    return content.block_deleted(usage_key)


def course_content_copied(course_key):
    """A course was re-run or imported: register its published assessment blocks."""
    return content.course_copied(course_key)


def record_assessment_result(**attempt):
    """Store one judged attempt (append-only) and return its uuid as a string.

    The keywords, all required, are the fields of ``JudgedAttempt``, where each is described:
    ``user_id``, ``course_key``, ``usage_key``, ``rubric_hash``, ``criterion_levels``
    (checked against the rubric snapshot ``rubric_hash``), ``scores``, ``points_earned``,
    ``points_possible``, ``passed``, ``evidence``, ``assessment_methods``, ``feedback`` and
    ``reviewer_id``, and optionally ``judgement`` (how peers and mentors formed the result, so
    the credential describes the method); a missing or unknown one raises ``TypeError`` naming
    it. A passing result for a learner who already passes the course queues an evaluation, so a
    late grade still completes the badge.
    """
    result = requirements.record_assessment_result(requirements.JudgedAttempt(**attempt))
    if result.passed:
        intake.result_recorded(result.user_id, result.course_key)
        renewal.result_recorded(result)
    return str(result.uuid)


# --- renewal -------------------------------------------------------------------------------


def set_renewal_policy(badge_class_uuid, *, window_days, grace_days=0, renew_by="assessment"):
    """A badge class's renewal policy: renewal opens ``window_days`` before expiry and closes
    ``grace_days`` after it; ``renew_by`` is ``assessment`` (pass the renewal assessments of
    one course run) or ``course`` (pass the course's assessments again). ``window_days=None``
    makes the badge not renewable. Returns the stored policy."""
    return policy.set_policy(
        badge_class_uuid, window_days=window_days, grace_days=grace_days, renew_by=renew_by
    )


def check_renewal_policy(*, validity_months, window_days, grace_days, renew_by):
    """Raise ``InvalidInput`` if this renewal policy cannot be stored; writes nothing."""
    policy.clean_policy(
        validity_months=validity_months,
        window_days=window_days,
        grace_days=grace_days,
        renew_by=renew_by,
    )


def set_renewal_reminders(user_id, *, enabled):
    """The learner's choice to be e-mailed before their badges expire."""
    return reminders.set_reminders(user_id, enabled)


def register_renewal_assessment(
    *, course_key, usage_key, title, renews, rubric, pass_rule, assessment_methods
):
    """Mark a published assessment block as a renewal assessment of the badge whose slug is
    ``renews`` in any run of this course. Its results are judged like any other; passing
    every renewal assessment of one run inside the window renews the holder's badge."""
    return policy.register_renewal_assessment(
        course_key=course_key,
        usage_key=usage_key,
        title=title,
        renews=renews,
        rubric=rubric,
        pass_rule=pass_rule,
        assessment_methods=assessment_methods,
    )


def check_renewal_assessment(*, course_key, renews):
    """Raise ``InvalidInput`` if a block of ``course_key`` cannot be marked as renewing the
    badge whose slug is ``renews`` (Studio's save of a draft; publishing registers it)."""
    policy.check_renewal_assessment(course_key=course_key, renews=renews)


def badges_to_renew(course_key):
    """The badges an assessment block of ``course_key`` may renew: every slug offered in any
    run of the course, ``[{"slug", "name", "renewable"}]`` (Studio's choice of the badge)."""
    return policy.badges_to_renew(course_key)


def retire_renewal_assessment(usage_key):
    """The block no longer renews a badge; True if it did."""
    return policy.retire_renewal_assessment(usage_key)


def renew_badge(badge_uuid):
    """Renew a badge from the results its learner has in the renewal window.

    Raises:
        InvalidTransition: with the reason (revoked, suspended, window not open, lapsed,
            renewal requirements not passed).
    """
    return renewal.renew(badge_uuid)


def badge_versions(badge_uuid):
    """Every signed version of a badge, oldest first (see ``renewal.versions``)."""
    return renewal.versions(lifecycle.get(badge_uuid))


# --- passing, certificates and evaluation (called by the event receivers) -------------------


def accepts_delivery(*, from_event_bus):
    """Whether to act on this delivery of an event (``CREDPLUGIN_EVENTS_FROM``).

    With the event bus on, each event reaches the receivers twice (in the process that sent
    it and in the consumer); exactly one of those deliveries is acted on.
    """
    return intake.accepts_delivery(from_event_bus=from_event_bus)


def course_passing_status_changed(*, user_id, course_key, is_passing):
    """Record the learner's newest passing status; an evaluation follows after commit.

    Cheap when nothing changed (the common case: every grade recompute sends this). Returns
    True when an evaluation was queued.
    """
    return intake.course_passing_status_changed(
        user_id=user_id, course_key=course_key, is_passing=is_passing
    )


def certificate_created(*, user_id, course_key):
    """Record a certificate (the trigger when ``CREDPLUGIN_AWARD_ON`` is ``certificate``)."""
    return intake.certificate_created(user_id=user_id, course_key=course_key)


def evaluate(user_id, course_key):
    """Bring the learner's badges in the course in line with their status, now. Idempotent.

    Awards (through the outbox) badges whose requirements are all met, applies
    ``CREDPLUGIN_ON_FAILING`` to a failing learner. Returns ``[(badge slug, outcome)]``.
    """
    return evaluation.evaluate(user_id, course_key)


# --- issued badges -------------------------------------------------------------------------


def revoke_badge(badge_uuid, *, reason, actor_id, block_reaward=False):
    """Revoke a badge (permanent for this badge). With ``block_reaward`` the learner passing
    again does not earn it anew; otherwise a later award is a new badge (next generation)."""
    return lifecycle.describe(
        lifecycle.revoke(
            lifecycle.get(badge_uuid), reason=reason, actor_id=actor_id, block_reaward=block_reaward
        )
    )


def suspend_badge(badge_uuid, *, reason, actor_id):
    """Suspend an active badge; it verifies as suspended until reinstated."""
    return lifecycle.describe(
        lifecycle.suspend(lifecycle.get(badge_uuid), reason=reason, actor_id=actor_id)
    )


def reinstate_badge(badge_uuid, *, reason, actor_id):
    """Lift a suspension."""
    return lifecycle.describe(
        lifecycle.reinstate(lifecycle.get(badge_uuid), reason=reason, actor_id=actor_id)
    )


def badge_history(badge_uuid):
    """Every status the badge has had, oldest first: ``[{status, previous_status, reason,
    actor (username or None), at}]``, starting with its issuance."""
    return lifecycle.history(lifecycle.get(badge_uuid))


def validate_colour(value, field="colour"):
    """``value`` as ``#rrggbb`` (or ``""``); raises ``InvalidInput`` naming ``field``."""
    return validation.colour(value, field)


def preview_badge(**description):
    """How the badge of these settings (the keyword arguments of
    :func:`register_badge_requirement`, unsaved) would look; raises ``InvalidInput`` like
    :func:`check_badge_requirement` and writes nothing.

    Returns the cleaned badge description plus ``issuer_name``, ``artwork_svg`` (the generated
    medal, coloured as the badge class's uuid would colour it when no colour is picked) and
    ``ink_contrast`` (the WCAG ratio of the medal's text on its disc).
    """
    cleaned = requirements.clean_requirement(**description)
    badge = cleaned["badge"]
    known = BadgeClass.objects.filter(course_key=cleaned["course_key"], slug=badge["slug"])
    seed = known.values_list("uuid", flat=True).first() or badge["slug"]
    design = artwork.design(
        name=badge["name"],
        issuer_name=credplugin_settings.issuer_name,
        seed=str(seed),
        colour=badge["colour"],
        accent_colour=badge["accent_colour"],
    )
    artwork_svg = uploaded_artwork.svg(badge["artwork"], design)
    return {
        **badge,
        "issuer_name": credplugin_settings.issuer_name,
        "artwork_svg": artwork_svg,
        "ink_contrast": round(artwork.contrast_ratio(design.ink, design.colour), 2),
    }


def store_badge_artwork(data):
    """Check an image an author uploads (PNG or JPEG bytes; SVG is refused), redraw it as the
    badge's square PNG and store it; returns ``{"artwork": id}`` for the badge description's
    ``artwork``. Raises ``InvalidInput`` with the reason; a refused upload stores nothing."""
    return {"artwork": uploaded_artwork.store(data)}


def badge_artwork_max_bytes():
    return uploaded_artwork.MAX_BYTES


def artwork_defaults():
    """The colours of the generated artwork when the author picks none: ``{"accent_colour"}``
    (the disc's default depends on the badge class)."""
    return {"accent_colour": artwork.DEFAULT_ACCENT}


def artwork_contrast(*, colour="", accent_colour="", seed=""):
    """WCAG contrast ratios of the generated artwork in these colours (``""``: the default
    one, as the badge class ``seed`` would get): ``{"text"}`` (the name on the disc, needs
    4.5) and ``{"ring"}`` (the ring and emblem against the disc, graphics that need 3)."""
    design = artwork.design(
        name="",
        issuer_name="",
        seed=seed,
        colour=validation.colour(colour, "colour"),
        accent_colour=validation.colour(accent_colour, "accent_colour"),
    )
    return {
        "text": round(artwork.contrast_ratio(design.ink, design.colour), 2),
        "ring": round(artwork.contrast_ratio(design.accent, design.colour), 2),
    }


def reissue_badge(badge_uuid, *, reason, actor_id):
    """Replace a badge with a freshly signed one (e.g. after the badge class was corrected).

    The old badge is revoked with ``reason``; the new one is the next generation and is
    issued through the outbox. Returns the new request's uuid.
    """
    issued = lifecycle.get(badge_uuid)
    with transaction.atomic():
        if issued.status != issued.Status.REVOKED:
            lifecycle.revoke(issued, reason=reason, actor_id=actor_id)
        latest = (
            IssuanceRequest.objects.filter(user_id=issued.user_id, badge_class=issued.badge_class)
            .order_by("-generation")
            .first()
        )
        request = IssuanceRequest.objects.create(
            user_id=issued.user_id, badge_class=issued.badge_class, generation=latest.generation + 1
        )
        intake.schedule_issuance(request.pk)
    return str(request.uuid)


def retry_issuance(request_uuid):
    """Queue a failed or waiting issuance request again (after the operator fixed the cause)."""
    try:
        request = IssuanceRequest.objects.get(uuid=request_uuid)
    except (IssuanceRequest.DoesNotExist, ValueError, TypeError, ValidationError) as error:
        raise NotFound(f"No issuance request has the uuid {request_uuid!r}.") from error
    if request.status == IssuanceRequest.Status.ISSUED:
        raise InvalidTransition(f"Issuance request {request_uuid} was already issued.")
    with transaction.atomic():
        IssuanceRequest.objects.filter(pk=request.pk).update(
            status=IssuanceRequest.Status.PENDING, reason="", updated=timezone.now()
        )
        intake.schedule_issuance(request.pk)
    return str(request.uuid)


def course_offers_badges(course_key):
    """Whether the course (a CCX run: its master course) has an active badge with at least
    one active requirement."""
    key = validation.master_course_key(validation.course_key(course_key))
    return requirements.course_offers_badges(key)


def list_badges(user_id, *, course_key=None, include_revoked=True):
    """A learner's badges, newest first, as dicts (uuid, name, status, credential…)."""
    return lifecycle.list_for_user(user_id, course_key=course_key, include_revoked=include_revoked)


def badge_for_block(*, user_id, usage_key):
    """What a learner of assessment block ``usage_key`` should see about its badge.

    ``{"name", "badge_url": the learner's badge page or None before it is issued,
    "my_badges_url"}``, or None when the block counts towards no badge.
    """
    return lifecycle.for_block(user_id, usage_key)


def assessment_submitted(*, course_key, usage_key, title, learner_id):
    """A learner submitted work to review: e-mail the course staff (after commit, opt-out)."""
    assessment_reviews.schedule(
        assessment_reviews.SUBMITTED,
        course_key=course_key,
        usage_key=usage_key,
        title=title,
        learner_id=learner_id,
    )


def assessment_reviewed(*, course_key, usage_key, title, learner_id, status, passed=None):
    """A mentor graded the work (``status`` "graded", with ``passed``) or asked for a revision
    ("revision_requested"): e-mail the learner after commit, unless they opted out."""
    if status not in (assessment_reviews.GRADED, assessment_reviews.REVISION_REQUESTED):
        raise InvalidInput(f"Unknown review status {status!r}.")
    assessment_reviews.schedule(
        status,
        course_key=course_key,
        usage_key=usage_key,
        title=title,
        learner_id=learner_id,
        passed=passed,
    )


# --- the review queue and mentors (the assessment block, the admin, the mentor views) ----


def review_waiting(*, submission_uuid, course_key, usage_key, title, learner_id, submitted_at):
    """Work was submitted (or resubmitted) to an assessment block and waits for a mentor.

    The block calls this in the transaction that files the work when it has no peer step (a
    peer-reviewed submission reaches the queue through ``peer_enter`` once a mentor is
    needed); the learner's older work in the block still waiting is replaced. Repeating a
    report changes nothing. Raises ``InvalidInput`` for a malformed id or an unknown learner.
    """
    review_queue.report_waiting(
        submission_uuid=submission_uuid,
        course_key=course_key,
        usage_key=usage_key,
        title=title,
        learner_id=learner_id,
        submitted_at=submitted_at,
    )


def review_decided(*, submission_uuid, status, reviewer_id):
    """A mentor (``reviewer_id``) graded the work (``status`` "graded") or asked for a revision
    ("revision_requested"): it leaves the queue. Returns whether the queue changed."""
    return review_queue.report_reviewed(
        submission_uuid=submission_uuid, decision=status, reviewer_id=reviewer_id
    )


def mentored_learners(*, course_key, mentor_id, learner_ids):
    """Those of ``learner_ids`` whom ``mentor_id`` mentors in the course; None when nobody in
    the course has a mentor (the block's queue then keeps its plain order)."""
    if not mentor_assignment.has_assignments(course_key):
        return None
    return mentor_assignment.learners_of(course_key, mentor_id, learner_ids)


def assign_mentor(*, course_key, mentor, learner=None, cohort=None, assigned_by_id=None):
    """Give a learner or a cohort (by name) of the course a mentor; people by id, username or
    e-mail. The mentor must review work in the course. Returns the assignment as a dict.

    Raises:
        InvalidInput: with the reason; nothing is stored.
    """
    key = validation.course_key(course_key)
    return mentor_assignment.describe(
        mentor_assignment.assign(
            key, mentor=mentor, learner=learner, cohort=cohort, assigned_by_id=assigned_by_id
        )
    )


def unassign_mentor(*, course_key, assignment_id):
    """Remove one assignment of the course. Raises ``NotFound``."""
    mentor_assignment.unassign(validation.course_key(course_key), assignment_id)


def import_mentor_assignments(*, course_key, data, assigned_by_id=None):
    """Store the assignments of a CSV file, all or none; returns how many.

    Raises:
        InvalidInput: its ``errors`` names every wrong row; nothing is stored.
    """
    return mentor_assignment.import_csv(
        validation.course_key(course_key), data, assigned_by_id=assigned_by_id
    )


def assign_mentors_round_robin(*, course_key, assigned_by_id=None):
    """Give each learner of the course without a mentor one of its reviewers, in turn;
    returns ``{mentor_id: learners assigned}``."""
    return mentor_assignment.round_robin(
        validation.course_key(course_key), assigned_by_id=assigned_by_id
    )


def set_mentor_reminders(user_id, *, enabled):
    """A mentor's choice to be e-mailed about work waiting past the target turnaround."""
    return mentor_reminders.set_reminders(user_id, enabled)


def notification_preferences(user_id):
    """``{"email_on_review": bool, "email_on_submission": bool, "email_peer_reminders":
    bool}`` for this person."""
    return assessment_reviews.preferences(user_id)


def set_notification_preferences(
    user_id, *, email_on_review=None, email_on_submission=None, email_peer_reminders=None
):
    """Opt in or out of review e-mails and reminders of peer reviews owed (as a learner) and
    submission e-mails (as staff)."""
    return assessment_reviews.set_preferences(
        user_id,
        email_on_review=email_on_review,
        email_on_submission=email_on_submission,
        email_peer_reminders=email_peer_reminders,
    )


def learner_names(user_ids):
    """``{user_id: "Full name (username)"}`` for course staff reviewing these learners' work."""
    users = get_user_model().objects.filter(pk__in=list(user_ids))
    names = {}
    for user in users:
        name = learner_display_name(user)
        username = user.get_username()
        names[user.pk] = name if name == username else f"{name} ({username})"
    return names


def get_public_badge(badge_uuid):
    """A badge as the public may see it.

    Raises:
        NotFound: no such badge, or its learner hid it.
    """
    issued = lifecycle.get(badge_uuid)
    if issued.hidden:
        raise NotFound(f"No issued badge has the uuid {badge_uuid!r}.")
    return lifecycle.describe(issued)


def set_badge_visibility(badge_uuid, *, user_id, hidden=None, show_name=None):
    """The owner's sharing choices: hide the badge from the public, show their name on it."""
    return lifecycle.set_visibility(badge_uuid, user_id=user_id, hidden=hidden, show_name=show_name)


def preview_credential(badge_class_uuid):
    """The unsigned credential a learner meeting exactly the required levels would receive."""
    badge_class = requirements.badge_class_by_uuid(badge_class_uuid)
    return composition.preview(badge_class, now=timezone.now())


# --- issuer identity and public documents (called by the views) ----------------------------


def issuer_did():
    return identity.issuer_did()


def issuer_profile():
    """The issuer's OB 3.0 ``Profile`` as JSON."""
    return identity.issuer_profile().to_json()


def issuer_did_document():
    """This site's did:web document with every key, current and retired.

    Raises:
        NotFound: the issuer is configured as a did:key.
    """
    return issuance.issuer_did_document()


def status_list_credential(purpose, sequence):
    """The signed ``BitstringStatusListCredential`` ``purpose``/``sequence``.

    Raises:
        NotFound: no such list, or no key has signed it yet.
    """
    return status_lists.published_credential(purpose, int(sequence))


def resolve_for_verification(reference):
    """A resolver for ``openbadges.verify_credential``: this site's DID document and status
    lists straight from the database. Raises ``NotFound`` for anything else."""
    return issuance.resolve_for_verification(reference)


# --- pathways (called by the admin, the REST API and the learner's pages) -------------------


def save_pathway(*, badge_class_uuid=None, badge=None, course_key=None, **rule):
    """Create or replace a pathway; returns its description (see ``pathways.describe``).

    Name an existing badge class without requirements by ``badge_class_uuid``, or describe a
    new one with ``badge`` (as a Studio badge description) and ``course_key``. ``rule``:
    ``components`` (badge class ids, in order), ``required_count`` (empty: all),
    ``ordered``, ``window_days``, ``on_component_lost`` (keep, suspend, revoke; empty: setting).

    Raises:
        InvalidInput: an empty list, a cycle, N larger than M, an unknown badge class…
        NotFound: no badge class has ``badge_class_uuid``.
    """
    badge_class = None
    if badge_class_uuid is not None:
        badge_class = requirements.badge_class_by_uuid(badge_class_uuid)
    elif badge is None:
        raise InvalidInput("Name the pathway's badge class or describe a new one.")
    pathway = pathways.save_pathway(
        badge=badge, badge_class=badge_class, course_key=course_key, **rule
    )
    return pathways.describe(pathway)


def get_pathway(badge_class_uuid):
    """One pathway's description. Raises ``NotFound``."""
    return pathways.describe(pathways.get_pathway(badge_class_uuid))


def list_pathways():
    """Every pathway whose badge class is active, by name."""
    return pathways.list_active()


def pathway_progress(user_id):
    """The pathways a learner has started, with what they hold and what is still missing."""
    return pathways.progress(user_id)


def export_learner_record(user_id, *, badge_uuids=None):
    """The learner's signed CLR 2.0 ``ClrCredential`` of their current badges (or the chosen
    ones, marked ``partial``).

    Raises:
        InvalidInput: a chosen badge is not one of their current badges.
        NotFound: they hold no current badge.
        KeyUnavailable: no signing key is configured.
    """
    return record.learner_record(user_id, badge_uuids=badge_uuids)


def pathway_emails_enabled(user_id):
    """Whether the learner gets e-mails at pathway milestones (the default)."""
    return pathways.milestone_emails_enabled(user_id)


def set_pathway_emails(user_id, *, enabled):
    """Turn the learner's pathway milestone e-mails on or off."""
    pathways.set_milestone_emails(user_id, enabled=bool(enabled))
