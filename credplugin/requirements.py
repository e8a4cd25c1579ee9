"""What a badge asks of a learner: badge classes, requirements, rubric snapshots and results.

XBlocks reach this module only through ``credplugin.api``. Rubric snapshots and assessment
results are written once and never edited, so an issued badge can always be explained by the
exact rubric and result behind it.
"""

import hashlib
import json

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from credplugin import validation
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


def register_badge_requirement(
    *, course_key, usage_key, title, badge, rubric, pass_rule, assessment_methods
):
    """Create or update the badge class a block feeds and the block's requirement row."""
    course_key = validation.course_key(course_key)
    usage_key = validation.usage_key(usage_key)
    badge_fields = validation.badge(badge)
    cleaned_rule = validation.pass_rule(pass_rule)
    methods = validation.assessment_methods(assessment_methods)
    title = validation.text(title, "title", max_length=255)
    if rubric is not None:
        validation.rubric(rubric)
    with transaction.atomic():
        content_hash = snapshot_rubric(rubric) if rubric is not None else None
        slug = badge_fields.pop("slug")
        badge_class, _ = BadgeClass.objects.update_or_create(
            course_key=course_key, slug=slug, defaults={**badge_fields, "active": True}
        )
        BadgeRequirement.objects.update_or_create(
            usage_key=usage_key,
            defaults={
                "badge_class": badge_class,
                "title": title,
                "rubric": (
                    RubricSnapshot.objects.get(content_hash=content_hash) if content_hash else None
                ),
                "pass_rule": cleaned_rule,
                "assessment_methods": methods,
                "active": True,
                "retired_at": None,
            },
        )
    return {"badge_uuid": str(badge_class.uuid), "rubric_hash": content_hash}


def retire_requirement(usage_key):
    """Stop a deleted block from standing between learners and its badge. True if it did."""
    usage_key = validation.usage_key(usage_key)
    retired = BadgeRequirement.objects.filter(usage_key=usage_key, active=True).update(
        active=False, retired_at=timezone.now(), modified=timezone.now()
    )
    return bool(retired)


def record_assessment_result(
    *,
    user_id,
    course_key,
    usage_key,
    rubric_hash,
    criterion_levels,
    scores,
    points_earned,
    points_possible,
    passed,
    evidence,
    assessment_methods,
    feedback,
    reviewer_id,
):
    """Append a judged attempt; returns the stored result."""
    course_key = validation.course_key(course_key)
    usage_key = validation.master_usage_key(validation.usage_key(usage_key))
    snapshot = None
    if rubric_hash:
        snapshot = RubricSnapshot.objects.filter(content_hash=rubric_hash).first()
        if snapshot is None:
            raise NotFound(f"No rubric snapshot has the hash {rubric_hash!r}.")
    levels = validation.criterion_levels(
        criterion_levels, snapshot.definition if snapshot else None
    )
    earned, possible = validation.points(points_earned, points_possible)
    if not isinstance(passed, bool):
        raise InvalidInput("passed must be true or false.")
    users = get_user_model().objects
    if not users.filter(pk=user_id).exists():
        raise NotFound(f"No user has the id {user_id!r}.")
    if reviewer_id is not None and not users.filter(pk=reviewer_id).exists():
        raise NotFound(f"No reviewer has the id {reviewer_id!r}.")
    return AssessmentResult.objects.create(
        user_id=user_id,
        course_key=course_key,
        usage_key=usage_key,
        rubric=snapshot,
        criterion_levels=levels,
        scores=validation.scores(scores),
        points_earned=earned,
        points_possible=possible,
        passed=passed,
        evidence=validation.evidence(evidence),
        assessment_methods=validation.assessment_methods(assessment_methods),
        feedback=validation.text(feedback, "feedback"),
        reviewer_id=reviewer_id,
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
