"""A badge class's renewal policy, and the assessment blocks that renew a badge.

The policy is authored in the admin or through the API (Studio's save does not carry it, so a
publish never resets it); a renewal assessment is a published block marked with the slug of
the badge it renews, in any run of the course (docs/decisions/0016).
"""

from django.db import IntegrityError, transaction

from credplugin.authoring import requirements, validation
from credplugin.exceptions import InvalidInput
from credplugin.models import BadgeClass, BadgeRequirement, RenewalAssessment, RubricSnapshot

BY_ASSESSMENT = "assessment"
BY_COURSE = "course"
MAX_DAYS = 3650


def clean_policy(*, validity_months, window_days, grace_days, renew_by):
    """The renewal policy checked against the badge's validity; raises ``InvalidInput``."""
    if renew_by not in (BY_ASSESSMENT, BY_COURSE):
        raise InvalidInput(f"renew_by must be {BY_ASSESSMENT!r} or {BY_COURSE!r}.")
    grace = _days(grace_days, "grace_days", minimum=0)
    if window_days is None:
        return {"renewal_window_days": None, "renewal_grace_days": grace, "renewal_by": renew_by}
    window = _days(window_days, "window_days", minimum=1)
    if not validity_months:
        raise InvalidInput("Only a badge that expires can be renewed: give it a validity first.")
    if window >= validity_months * 28:
        raise InvalidInput(
            "The renewal window must open after the badge is issued: make it shorter than "
            f"the validity ({validity_months} months)."
        )
    return {"renewal_window_days": window, "renewal_grace_days": grace, "renewal_by": renew_by}


def _days(value, field, *, minimum):
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"{field} must be a whole number of days.")
    if not minimum <= value <= MAX_DAYS:
        raise InvalidInput(f"{field} must be between {minimum} and {MAX_DAYS} days.")
    return value


def set_policy(badge_class_uuid, *, window_days, grace_days=0, renew_by=BY_ASSESSMENT):
    """Store a badge class's renewal policy; ``window_days=None`` makes it not renewable."""
    badge_class = requirements.badge_class_by_uuid(badge_class_uuid)
    fields = clean_policy(
        validity_months=badge_class.validity_months,
        window_days=window_days,
        grace_days=grace_days,
        renew_by=renew_by,
    )
    BadgeClass.objects.filter(pk=badge_class.pk).update(**fields)
    return describe_policy(BadgeClass.objects.get(pk=badge_class.pk))


def describe_policy(badge_class):
    return {
        "badge_class_uuid": str(badge_class.uuid),
        "validity_months": badge_class.validity_months,
        "window_days": badge_class.renewal_window_days,
        "grace_days": badge_class.renewal_grace_days,
        "renew_by": badge_class.renewal_by,
    }


def _achievement(course, slug):
    """The achievement whose badge has ``slug`` in some run of ``course`` (its catalog
    course); raises ``InvalidInput`` when no run offers one."""
    slug = validation.text(slug, "renews", required=True, max_length=100)
    achievement = (
        BadgeClass.objects.filter(catalog_course=requirements.catalog_course(course), slug=slug)
        .order_by("created", "id")
        .values_list("achievement_uuid", flat=True)
        .first()
    )
    if achievement is None:
        raise InvalidInput(f"No run of this course offers a badge with the slug {slug!r}.")
    return achievement


def badges_to_renew(course_key):
    """The badges a block of ``course_key`` may renew: one per slug offered in any run of the
    course, newest run's name first seen, ``[{"slug", "name", "renewable"}]`` by slug
    (``renewable``: some run's badge class has a renewal policy)."""
    course = validation.master_course_key(validation.course_key(course_key))
    rows = (
        BadgeClass.objects.filter(catalog_course=requirements.catalog_course(course))
        .order_by("-created", "-id")
        .values_list("slug", "name", "renewal_window_days")
    )
    found = {}
    for slug, name, window_days in rows:
        entry = found.setdefault(slug, {"slug": slug, "name": name, "renewable": False})
        entry["renewable"] = entry["renewable"] or window_days is not None
    return [found[slug] for slug in sorted(found)]


def check_renewal_assessment(*, course_key, renews):
    """Raise ``InvalidInput`` if a block of ``course_key`` cannot renew the badge ``renews``
    (a Studio save's check of a draft; publishing registers it). Writes nothing."""
    _achievement(validation.master_course_key(validation.course_key(course_key)), renews)


def register_renewal_assessment(
    *, course_key, usage_key, title, renews, rubric, pass_rule, assessment_methods
):
    """Mark a published block as a renewal assessment of the badge ``renews`` (its slug in any
    run of this course). Returns ``{"achievement_uuid", "rubric_hash", "registered"}``
    (``registered``: anything changed)."""
    course = validation.master_course_key(validation.course_key(course_key))
    usage = validation.master_usage_key(validation.usage_key(usage_key))
    achievement = _achievement(course, renews)
    if BadgeRequirement.objects.filter(usage_key=usage, active=True).exists():
        raise InvalidInput("This block already counts towards a badge; it cannot also renew one.")
    fields = {
        "course_key": course,
        "achievement_uuid": achievement,
        "title": validation.text(title, "title", max_length=255),
        "pass_rule": validation.pass_rule(pass_rule),
        "assessment_methods": validation.assessment_methods(assessment_methods),
        "active": True,
    }
    content_hash = requirements.snapshot_rubric(rubric) if rubric is not None else None
    fields["rubric"] = (
        RubricSnapshot.objects.get(content_hash=content_hash) if content_hash else None
    )
    before = RenewalAssessment.objects.filter(usage_key=usage).values(*_COMPARED).first()
    try:
        with transaction.atomic():
            RenewalAssessment.objects.update_or_create(usage_key=usage, defaults=fields)
    except IntegrityError:  # a concurrent registration of the same block won; same settings
        RenewalAssessment.objects.filter(usage_key=usage).update(**fields)
    after = RenewalAssessment.objects.filter(usage_key=usage).values(*_COMPARED).first()
    return {
        "achievement_uuid": str(achievement),
        "rubric_hash": content_hash,
        "registered": before != after,
    }


# What a registration may change; equal before and after means it changed nothing.
_COMPARED = (
    "course_key", "achievement_uuid", "title", "rubric_id", "pass_rule", "assessment_methods",
    "active",
)  # fmt: skip


def retire_renewal_assessment(usage_key):
    usage = validation.master_usage_key(validation.usage_key(usage_key))
    return bool(RenewalAssessment.objects.filter(usage_key=usage, active=True).update(active=False))


def retire_unpublished(course_key, published_usage_keys):
    """Retire the course's renewal assessments whose block learners no longer see; returns
    their usage keys."""
    stale = RenewalAssessment.objects.filter(course_key=course_key, active=True).exclude(
        usage_key__in=list(published_usage_keys)
    )
    usage_keys = list(stale.values_list("usage_key", flat=True))
    RenewalAssessment.objects.filter(usage_key__in=usage_keys).update(active=False)
    return usage_keys
