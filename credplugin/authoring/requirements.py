"""What a badge asks of a learner: badge classes, requirements, rubric snapshots and results.

XBlocks reach this module only through ``credplugin.api``. Rubric snapshots and assessment
results are written once and never edited, so an issued badge can always be explained by the
exact rubric and result behind it.
"""

import hashlib
import json
import uuid

import attr
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, transaction

from credplugin.authoring import validation
from credplugin.exceptions import InvalidInput, NotFound
from credplugin.models import AssessmentResult, BadgeClass, BadgeRequirement, RubricSnapshot


def rubric_hash(definition):
    """SHA-256 of the canonical JSON of a cleaned rubric: equal rubrics share one snapshot."""
    canonical = json.dumps(definition, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def snapshot_rubric(rubric):
    """Store ``rubric`` once (by content hash) and return the hash; never edits a snapshot."""
    definition = validation.rubric(rubric)
    content_hash = rubric_hash(definition)
    try:
        with transaction.atomic():
            RubricSnapshot.objects.get_or_create(
                content_hash=content_hash, defaults={"definition": definition}
            )
    except IntegrityError:
        # Another process stored the same rubric between our read and write: same content.
        pass
    return content_hash


# Attempts after the first when a concurrent registration won a race (see register_...).
REGISTRATION_RETRIES = 2


class _AlreadyRegistered(Exception):
    """Raised inside a registration's transaction to undo it: another process registered the
    same published settings first."""


def source_hash(description):
    """SHA-256 of a requirement's description exactly as the block gave it."""
    canonical = json.dumps(
        description, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def catalog_course(course_key):
    """The course across its runs: ``org+number``."""
    return f"{course_key.org}+{course_key.course}"


def clean_requirement(
    *, course_key, usage_key, title, badge, rubric, pass_rule, assessment_methods
):
    """Every argument of a registration checked; raises ``InvalidInput``, writes nothing."""
    cleaned = {
        "course_key": validation.course_key(course_key),
        "usage_key": validation.master_usage_key(validation.usage_key(usage_key)),
        "badge": validation.badge(badge),
        "pass_rule": validation.pass_rule(pass_rule),
        "assessment_methods": validation.assessment_methods(assessment_methods),
        "title": validation.text(title, "title", max_length=255),
        "rubric": validation.rubric(rubric) if rubric is not None else None,
    }
    cleaned["course_key"] = validation.master_course_key(cleaned["course_key"])
    return cleaned


def register_badge_requirement(**description):
    """Create or update the badge class a block feeds and the block's requirement row.

    Returns ``{"badge_uuid", "rubric_hash", "registered"}``; ``registered`` is False when the
    row already held these exact settings (the same :func:`description_source`) and nothing
    was written.
    """
    cleaned = clean_requirement(**description)
    source = description_source(description)
    # Snapshots are immutable and shared: stored before the registration's transaction, which
    # then locks nothing but the badge class and the block's row.
    content_hash = snapshot_rubric(cleaned["rubric"]) if cleaned["rubric"] is not None else None
    retries = 0 if transaction.get_connection().in_atomic_block else REGISTRATION_RETRIES
    for attempt in range(retries + 1):
        try:
            with transaction.atomic():
                return _register(cleaned, source, content_hash)
        except _AlreadyRegistered as done:
            return done.args[0]
        except (IntegrityError, OperationalError):
            # A concurrent registration inserted the badge class or the block's row first, or
            # MariaDB chose ours as a deadlock victim; ours was rolled back, and the next
            # attempt sees the other's rows (or raises what was not a race).
            if attempt == retries:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def description_source(description):
    """The :func:`source_hash` of a registration's arguments, keys in their master form."""
    course_key = validation.master_course_key(validation.course_key(description["course_key"]))
    usage_key = validation.master_usage_key(validation.usage_key(description["usage_key"]))
    return source_hash({**description, "course_key": str(course_key), "usage_key": str(usage_key)})


def _register(cleaned, source, content_hash):
    """One registration, inside the caller's transaction (see register_badge_requirement)."""
    usage_key = cleaned["usage_key"]
    # Only the block's row is locked (MariaDB cannot lock just one table of a join).
    current = BadgeRequirement.objects.select_for_update().filter(usage_key=usage_key).first()
    if current is not None and current.active and current.source_hash == source:
        raise _AlreadyRegistered(_described(current.badge_class, content_hash, False))
    badge_fields = dict(cleaned["badge"])
    slug = badge_fields.pop("slug")
    course_key = cleaned["course_key"]
    badge_class = (
        BadgeClass.objects.select_for_update().filter(course_key=course_key, slug=slug).first()
    )
    if badge_class is None:
        own = uuid.uuid4()
        badge_class = BadgeClass.objects.create(
            uuid=own,
            course_key=course_key,
            slug=slug,
            catalog_course=catalog_course(course_key),
            achievement_uuid=_achievement_of(course_key, slug) or own,
            **badge_fields,
        )
    else:
        for name, value in {**badge_fields, "active": True}.items():
            setattr(badge_class, name, value)
        badge_class.save()
    snapshot = RubricSnapshot.objects.get(content_hash=content_hash) if content_hash else None
    fields = {
        "badge_class": badge_class,
        "title": cleaned["title"],
        "rubric": snapshot,
        "pass_rule": cleaned["pass_rule"],
        "assessment_methods": cleaned["assessment_methods"],
        "source_hash": source,
        "active": True,
        "retired_at": None,
    }
    if current is None:
        BadgeRequirement.objects.create(usage_key=usage_key, **fields)
    else:
        for name, value in fields.items():
            setattr(current, name, value)
        current.save()
    return _described(badge_class, content_hash, True)


def _achievement_of(course_key, slug):
    """The achievement this badge is in the course's other runs (None in its first run)."""
    return (
        BadgeClass.objects.filter(catalog_course=catalog_course(course_key), slug=slug)
        .order_by("created", "id")
        .values_list("achievement_uuid", flat=True)
        .first()
    )


def _described(badge_class, content_hash, registered):
    return {"badge_uuid": str(badge_class.uuid), "rubric_hash": content_hash,
            "registered": registered}  # fmt: skip


def registered_source(usage_key):
    """``(source_hash, active)`` of a block's requirement row, or None: one indexed read."""
    return (
        BadgeRequirement.objects.filter(usage_key=usage_key)
        .values_list("source_hash", "active")
        .first()
    )


@attr.s(frozen=True, kw_only=True)
class JudgedAttempt:
    """
    One judged attempt at an assessment, as its block reports it; checked when it is stored.

    Every field is a required keyword, so a caller that forgets one fails at once.

    Attributes:
        user_id (int): the learner judged.
        course_key (str): the course run the attempt was made in.
        usage_key (str): the assessment block (a CCX copy is stored as its master course's).
        rubric_hash (str | None): the rubric snapshot judged against (``snapshot_rubric``).
        criterion_levels (list): ``[{criterion_id, criterion, level_id, level, points,
            required_level_id, met, comment (optional)}]``, checked against that snapshot.
        scores (dict): named numbers, e.g. ``{"ethics_scenarios": 0.8}``.
        points_earned (number): the points the attempt earned.
        points_possible (number): the points it could have earned.
        passed (bool): whether it passed the block's rule.
        evidence (list): ``[{name, description, url, genre}]``.
        assessment_methods (list): names from ``validation.ASSESSMENT_METHODS``.
        feedback (str): the reviewer's written feedback.
        reviewer_id (int | None): the mentor who graded it; None when no person did.
    """

    user_id = attr.ib()
    course_key = attr.ib()
    usage_key = attr.ib()
    rubric_hash = attr.ib()
    criterion_levels = attr.ib()
    scores = attr.ib()
    points_earned = attr.ib()
    points_possible = attr.ib()
    passed = attr.ib()
    evidence = attr.ib()
    assessment_methods = attr.ib()
    feedback = attr.ib()
    reviewer_id = attr.ib()


def record_assessment_result(attempt):
    """Check a :class:`JudgedAttempt` and append it; returns the stored result."""
    course_key = validation.course_key(attempt.course_key)
    usage_key = validation.master_usage_key(validation.usage_key(attempt.usage_key))
    snapshot = None
    if attempt.rubric_hash:
        snapshot = RubricSnapshot.objects.filter(content_hash=attempt.rubric_hash).first()
        if snapshot is None:
            raise NotFound(f"No rubric snapshot has the hash {attempt.rubric_hash!r}.")
    levels = validation.criterion_levels(
        attempt.criterion_levels, snapshot.definition if snapshot else None
    )
    earned, possible = validation.points(attempt.points_earned, attempt.points_possible)
    if not isinstance(attempt.passed, bool):
        raise InvalidInput("passed must be true or false.")
    users = get_user_model().objects
    if not users.filter(pk=attempt.user_id).exists():
        raise NotFound(f"No user has the id {attempt.user_id!r}.")
    if attempt.reviewer_id is not None and not users.filter(pk=attempt.reviewer_id).exists():
        raise NotFound(f"No reviewer has the id {attempt.reviewer_id!r}.")
    return AssessmentResult.objects.create(
        user_id=attempt.user_id,
        course_key=course_key,
        usage_key=usage_key,
        rubric=snapshot,
        criterion_levels=levels,
        scores=validation.scores(attempt.scores),
        points_earned=earned,
        points_possible=possible,
        passed=attempt.passed,
        evidence=validation.evidence(attempt.evidence),
        assessment_methods=validation.assessment_methods(attempt.assessment_methods),
        feedback=validation.text(attempt.feedback, "feedback"),
        reviewer_id=attempt.reviewer_id,
    )


def course_offers_badges(course_key):
    return BadgeRequirement.objects.filter(
        active=True, badge_class__active=True, badge_class__course_key=course_key
    ).exists()


def active_requirements(badge_class):
    """The blocks a badge needs now, in a stable order (the order of the credential's parts)."""
    return list(
        badge_class.requirements.filter(active=True).select_related("rubric").order_by("id")
    )


def latest_results(user_ids, usage_keys):
    """The newest result per learner and block, as ``{(user_id, usage_key): AssessmentResult}``.

    Two queries for any number of learners, so a batch of awards costs what one does. Each
    rubric snapshot is read once and shared by the results judged against it (joined per row,
    every learner's result carried its own copy of the rubric).
    """
    latest = {}
    results = AssessmentResult.objects.filter(
        user_id__in=list(user_ids), usage_key__in=list(usage_keys)
    ).defer("feedback")
    for result in results.order_by("user_id", "usage_key", "-created", "-id"):
        latest.setdefault((result.user_id, result.usage_key), result)
    snapshot_ids = {result.rubric_id for result in latest.values() if result.rubric_id}
    snapshots = RubricSnapshot.objects.in_bulk(snapshot_ids)
    for result in latest.values():
        if result.rubric_id:
            result.rubric = snapshots[result.rubric_id]
    return latest


def result_meets(requirement, result):
    """Whether one result satisfies its requirement's pass rule."""
    if result is None or not result.passed:
        return False
    rule = requirement.pass_rule or {}
    if "min_percent" in rule:
        if not result.points_possible:
            return False
        if result.points_earned * 100 < rule["min_percent"] * result.points_possible:
            return False
    return not rule.get("all_criteria_met") or all(
        level["met"] for level in result.criterion_levels
    )


def judge(requirements, user_id, results):
    """``(met, chosen results)`` for one learner, from preloaded requirements and results.

    A badge class without active requirements is never met: its blocks were all deleted, and
    passing the course alone is not what the badge certifies.
    """
    if not requirements:
        return False, []
    chosen = [results.get((user_id, r.usage_key)) for r in requirements]
    met = all(result_meets(r, result) for r, result in zip(requirements, chosen, strict=True))
    return met, chosen


def requirements_met(badge_class, user_id):
    """``(met, results)``: whether the learner meets every active requirement now."""
    requirements = active_requirements(badge_class)
    results = latest_results([user_id], [r.usage_key for r in requirements])
    return judge(requirements, user_id, results)


def badge_class_by_uuid(badge_uuid):
    try:
        return BadgeClass.objects.get(uuid=badge_uuid)
    except (BadgeClass.DoesNotExist, ValueError, TypeError, ValidationError) as error:
        raise NotFound(f"No badge class has the uuid {badge_uuid!r}.") from error
