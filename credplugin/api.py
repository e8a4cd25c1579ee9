"""The public Python API of credplugin. XBlocks, views and receivers call only this module.

Functions take and return plain values (ids, keys, dicts, strings) so callers never import
credplugin models. Bad input raises ``InvalidInput`` (a ``ValueError``) or ``NotFound`` (a
``LookupError``) with a readable sentence, and nothing is changed.
"""

from credplugin import requirements
from credplugin.exceptions import (  # noqa: F401  (re-exported for callers)
    CredPluginError,
    InvalidInput,
    InvalidTransition,
    NotFound,
)
from credplugin.validation import ASSESSMENT_METHODS  # noqa: F401  (re-exported)

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

    Called when an author saves an assessment block. Blocks of one course sharing
    ``badge["slug"]`` feed one badge; the last saved description wins. ``badge``: slug, name,
    description, image_url, criteria_narrative, achievement_type, hours, validity_months,
    alignments [{name, framework, code, url}], tags, language. ``pass_rule``: optional
    ``min_percent`` (0-100) and ``all_criteria_met`` (bool), applied on top of the result's own
    ``passed``. Returns ``{"badge_uuid": str, "rubric_hash": str | None}``.
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


def retire_requirement(usage_key):
    """The block was deleted: it no longer counts towards its badge. True if one was retired."""
    return requirements.retire_requirement(usage_key)


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
    """Store one judged attempt (append-only) and return its uuid as a string.

    ``criterion_levels``: ``[{criterion_id, criterion, level_id, level, points,
    required_level_id, met}]``, checked against the rubric snapshot ``rubric_hash``.
    ``scores``: named numbers, e.g. ``{"ethics_scenarios": 0.8}``. ``evidence``: ``[{name,
    description, url, genre}]``. A passing result for a learner who already passes the course
    queues an evaluation, so a late grade still completes the badge.
    """
    result = requirements.record_assessment_result(
        user_id=user_id,
        course_key=course_key,
        usage_key=usage_key,
        rubric_hash=rubric_hash,
        criterion_levels=criterion_levels,
        scores=scores,
        points_earned=points_earned,
        points_possible=points_possible,
        passed=passed,
        evidence=evidence,
        assessment_methods=assessment_methods,
        feedback=feedback,
        reviewer_id=reviewer_id,
    )
    return str(result.uuid)
