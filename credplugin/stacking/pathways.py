"""Pathways: a badge class earned by earning other badge classes (all of them, or N of M,
optionally in order and within a time window, across courses).

Authoring (``save_pathway``) validates the whole rule before writing anything. Awarding
hangs off issuance: ``components_awarded`` runs inside the transaction that stores component
badges, so the pathway's outbox row is committed with them or not at all, and the issuance
pipeline, the sweeper and the outbox's uniqueness do the rest (one badge per generation).
Concurrent awards of a learner's last two components are serialized by locking the pathway
row and reading the components with a locking read, which sees the other's committed badge.

When a component is revoked, suspended or lapses, ``CREDPLUGIN_PATHWAY_ON_COMPONENT_LOST``
(or the pathway's own choice) keeps, suspends or revokes the pathway badge; a suspension made
this way is recorded as a ``PathwayHold`` and lifted when the pathway is complete again.
"""

import logging
from datetime import timedelta
from functools import partial
from typing import NamedTuple

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from credplugin.authoring import requirements, validation
from credplugin.conf import ON_FAILING_KEEP, ON_FAILING_REVOKE, credplugin_settings
from credplugin.exceptions import InvalidInput, NotFound
from credplugin.issuing import intake, lifecycle
from credplugin.mail import badge_awarded
from credplugin.models import (
    BadgeClass,
    CoursePassingRecord,
    IssuanceRequest,
    IssuedBadge,
    LearnerPreference,
    Pathway,
    PathwayComponent,
    PathwayHold,
    PathwayMilestone,
)

log = logging.getLogger(__name__)

# A pathway counts at most this many components: the order and window rules are judged by
# trying every start, which stays cheap only for short lists.
MAX_COMPONENTS = 50
MAX_WINDOW_DAYS = 36500
MILESTONES = (25, 50, 75)
ON_LOST = ("keep", "suspend", "revoke")
# Stored (untranslated) as the status reason when the policy acts.
COMPONENT_LOST_REASON = "A badge this pathway requires was revoked, suspended or has expired."


class Earned(NamedTuple):
    """A component the learner holds: its position, when first earned, and the badge shown."""

    position: int
    achievement_uuid: object
    earned_at: object
    badge: IssuedBadge


class Progress(NamedTuple):
    """Where a learner stands on a pathway."""

    complete: bool
    counted: list  # the Earned that complete it, in position order (empty until complete)
    earned: list  # every Earned component, in position order
    required: int
    total: int


# Authoring -------------------------------------------------------------------------------


def _component_classes(values):
    if not isinstance(values, (list, tuple)):
        raise InvalidInput("components must be a list of badge class ids.")
    if not values:
        raise InvalidInput("A pathway needs at least one component badge.")
    if len(values) > MAX_COMPONENTS:
        raise InvalidInput(f"A pathway may count at most {MAX_COMPONENTS} component badges.")
    classes = []
    for value in values:
        if isinstance(value, BadgeClass):
            classes.append(value)
            continue
        try:
            classes.append(BadgeClass.objects.get(uuid=value))
        except (BadgeClass.DoesNotExist, ValueError, TypeError) as error:
            raise InvalidInput(f"No badge class has the id {value!r}.") from error
        except Exception as error:  # a malformed uuid raises ValidationError on some backends
            raise InvalidInput(f"{value!r} is not a badge class id.") from error
    achievements = [c.achievement_uuid for c in classes]
    if len(set(achievements)) != len(achievements):
        raise InvalidInput("A pathway lists the same badge twice (or two runs of one badge).")
    return classes


def _optional_int(value, field, *, minimum, maximum):
    if value in (None, ""):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"{field} must be a whole number.")
    if value < minimum or value > maximum:
        raise InvalidInput(f"{field} must be between {minimum} and {maximum}.")
    return value


def _reaches(start_achievements, target_achievement):
    """Whether a pathway over ``start_achievements`` requires ``target_achievement``, directly
    or through pathways among its components (a cycle if the target is the pathway itself)."""
    seen, frontier = set(), set(start_achievements)
    while frontier:
        if target_achievement in frontier:
            return True
        seen |= frontier
        below = PathwayComponent.objects.filter(
            pathway__badge_class__achievement_uuid__in=frontier
        ).values_list("badge_class__achievement_uuid", flat=True)
        frontier = set(below) - seen
    return False


def clean_pathway(badge_class, *, components, required_count=None, ordered=False,
                  window_days=None, on_component_lost=""):  # fmt: skip
    """The validated rule as field values, or ``InvalidInput`` saying what to fix.

    Rejects: no components, a badge listed twice, the pathway among its own components or
    reachable through them (a cycle), N larger than M or below 1, a window of no days, and an
    unknown policy. A badge class that assessment blocks also feed keeps them: it is awarded
    when both the blocks and the component rule are met (:func:`blocks_met`).
    """
    classes = _component_classes(components)
    if any(c.achievement_uuid == badge_class.achievement_uuid for c in classes):
        raise InvalidInput("A pathway cannot require its own badge.")
    if _reaches([c.achievement_uuid for c in classes], badge_class.achievement_uuid):
        raise InvalidInput(
            "These components would make a cycle: one of them requires this pathway's badge."
        )
    required = _optional_int(required_count, "required_count", minimum=1, maximum=MAX_COMPONENTS)
    if required is not None and required > len(classes):
        raise InvalidInput(
            f"required_count ({required}) is more than the {len(classes)} component badge(s)."
        )
    window = _optional_int(window_days, "window_days", minimum=1, maximum=MAX_WINDOW_DAYS)
    on_lost = on_component_lost or ""
    if on_lost not in ("", *ON_LOST):
        raise InvalidInput(f"on_component_lost must be one of {', '.join(ON_LOST)} (or empty).")
    if not isinstance(ordered, bool):
        raise InvalidInput("ordered must be true or false.")
    return {
        "components": classes,
        "required_count": required,
        "ordered": ordered,
        "window_days": window,
        "on_component_lost": on_lost,
    }


def save_pathway(*, badge=None, badge_class=None, course_key=None, **rule):
    """Create or replace a pathway; returns it. Nothing is written when anything is invalid.

    Either ``badge_class`` (an existing class without requirements) or ``badge`` (a badge
    description as ``validation.badge`` reads it) with the ``course_key`` the pathway's badge
    class is filed under. ``rule``: ``components`` (badge class ids), ``required_count``,
    ``ordered``, ``window_days``, ``on_component_lost``.
    """
    if badge_class is None:
        fields = validation.badge(badge)
        course_key = validation.course_key(course_key)
        badge_class = BadgeClass.objects.filter(course_key=course_key, slug=fields["slug"]).first()
        if badge_class is None:
            from credplugin.authoring.requirements import catalog_course  # noqa: PLC0415

            badge_class = BadgeClass(
                course_key=course_key, catalog_course=catalog_course(course_key)
            )
        for name, value in fields.items():
            setattr(badge_class, name, value)
    cleaned = clean_pathway(badge_class, **rule)
    with transaction.atomic():
        badge_class.save()
        pathway, _created = Pathway.objects.update_or_create(
            badge_class=badge_class,
            defaults={key: value for key, value in cleaned.items() if key != "components"},
        )
        set_components(pathway, cleaned["components"])
    return pathway


def set_components(pathway, classes):
    """Replace the pathway's components with ``classes``, in that order."""
    pathway.components.exclude(badge_class__in=classes).delete()
    for position, badge_class in enumerate(classes):
        PathwayComponent.objects.update_or_create(
            pathway=pathway, badge_class=badge_class, defaults={"position": position}
        )


def get_pathway(badge_class_uuid):
    try:
        return Pathway.objects.select_related("badge_class").get(badge_class__uuid=badge_class_uuid)
    except (Pathway.DoesNotExist, ValueError, TypeError) as error:
        raise NotFound(f"No pathway has the badge class id {badge_class_uuid!r}.") from error
    except Exception as error:  # malformed uuid
        raise NotFound(f"No pathway has the badge class id {badge_class_uuid!r}.") from error


def list_active():
    found = Pathway.objects.filter(badge_class__active=True).select_related("badge_class")
    return [describe(pathway) for pathway in found.order_by("badge_class__name", "pk")]


def rule_of(badge_class):
    """The badge class's pathway, or None when assessment blocks earn it."""
    return Pathway.objects.filter(badge_class=badge_class).first()


def describe(pathway):
    """A plain dict of the rule, for the API and pages."""
    components = list(pathway.components.select_related("badge_class"))
    return {
        "badge_class": str(pathway.badge_class.uuid),
        "name": pathway.badge_class.name,
        "description": pathway.badge_class.description,
        "achievement_type": pathway.badge_class.achievement_type,
        "course_id": str(pathway.badge_class.course_key),
        "required_count": pathway.required_count,
        "required": pathway.required_count or len(components),
        "ordered": pathway.ordered,
        "window_days": pathway.window_days,
        "on_component_lost": pathway.on_component_lost or on_lost_policy(pathway),
        "components": [
            {
                "badge_class": str(component.badge_class.uuid),
                "name": component.badge_class.name,
                "course_id": str(component.badge_class.course_key),
                "position": position,
            }
            for position, component in enumerate(components)
        ],
    }


def on_lost_policy(pathway):
    return pathway.on_component_lost or credplugin_settings.PATHWAY_ON_COMPONENT_LOST


# Judging ---------------------------------------------------------------------------------


def _components(pathway):
    """``[(position, achievement uuid)]`` in order."""
    return [
        (position, achievement)
        for position, achievement in enumerate(
            pathway.components.order_by("position", "id").values_list(
                "badge_class__achievement_uuid", flat=True
            )
        )
    ]


def _held(user_id, achievements, *, now, lock=False):
    """The learner's current badges of ``achievements``: ``{achievement: (first, latest)}``.

    Current means active and not expired. With ``lock`` the read is a locking read, which
    sees badges other transactions committed after this one started.
    """
    classes = dict(
        BadgeClass.objects.filter(achievement_uuid__in=achievements).values_list(
            "pk", "achievement_uuid"
        )
    )
    rows = IssuedBadge.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gt=now),
        user_id=user_id,
        badge_class_id__in=list(classes),
        status=IssuedBadge.Status.ACTIVE,
    )
    # Locking, no join: only the badge rows are locked (MariaDB would lock joined rows too).
    rows = rows.select_for_update() if lock else rows.select_related("badge_class")
    held = {}
    for badge in rows.order_by("issued_at", "id"):
        achievement = classes[badge.badge_class_id]
        first, _latest = held.get(achievement, (badge, badge))
        held[achievement] = (first, badge)
    return held


def judge(pathway, components, held):
    """The learner's ``Progress`` on ``pathway`` from their held component badges."""
    earned = [
        Earned(position, achievement, held[achievement][0].issued_at, held[achievement][1])
        for position, achievement in components
        if achievement in held
    ]
    required = pathway.required_count or len(components)
    counted = _complete_set(earned, required, pathway.ordered, pathway.window_days)
    return Progress(bool(counted), counted, earned, required, len(components))


def _complete_set(earned, required, ordered, window_days):
    """``required`` components that satisfy the order and window rules, or [] if none do.

    Every component may start the window; inside it, an ordered pathway counts the longest
    chain whose positions rise as the dates do.
    """
    if len(earned) < required:
        return []
    by_date = sorted(earned, key=lambda e: (e.earned_at, e.position))
    starts = range(len(by_date)) if window_days else range(1)
    for start in starts:
        inside = by_date[start:]
        if window_days:
            end = by_date[start].earned_at + timedelta(days=window_days)
            inside = [e for e in inside if e.earned_at <= end]
        chain = _rising_chain(inside) if ordered else inside
        if len(chain) >= required:
            return sorted(chain, key=lambda e: e.position)[:required]
    return []


def _rising_chain(items):
    """The longest subsequence of ``items`` (in date order) whose positions rise."""
    best = []  # best[i]: the longest chain ending at items[i]
    for i, item in enumerate(items):
        chain = [item]
        for j in range(i):
            if items[j].position < item.position and len(best[j]) + 1 > len(chain):
                chain = [*best[j], item]
        best.append(chain)
    return max(best, key=len, default=[])


def progress(user_id, *, now=None):
    """Every pathway the learner has started (or completed), with what they hold and lack."""
    now = now or timezone.now()
    held_achievements = set(
        IssuedBadge.objects.filter(user_id=user_id, status=IssuedBadge.Status.ACTIVE).values_list(
            "badge_class__achievement_uuid", flat=True
        )
    )
    pathways = (
        Pathway.objects.filter(components__badge_class__achievement_uuid__in=held_achievements)
        .distinct()
        .select_related("badge_class")
    )
    report = []
    for pathway in pathways:
        components = _components(pathway)
        state = judge(pathway, components, _held(user_id, [a for _p, a in components], now=now))
        has = {e.achievement_uuid for e in state.earned}
        report.append(
            {
                **describe(pathway),
                "complete": state.complete,
                "earned": len(state.earned),
                "percent": min(100, round(100 * len(state.earned) / state.required)),
                "missing": [
                    c
                    for c, (_p, achievement) in zip(
                        describe(pathway)["components"], components, strict=True
                    )
                    if achievement not in has
                ],
            }
        )
    return report


def milestone_emails_enabled(user_id):
    preference = LearnerPreference.objects.filter(user_id=user_id).first()
    return preference is None or preference.email_on_pathway_progress


def set_milestone_emails(user_id, *, enabled):
    LearnerPreference.objects.update_or_create(
        user_id=user_id, defaults={"email_on_pathway_progress": enabled}
    )


# Awarding --------------------------------------------------------------------------------


def component_awarded(issued_badge):
    """Hook for whatever makes a badge current again (issuance, renewal, reinstatement):
    award, or lift the hold on, every pathway it completes. Call inside the transaction that
    stores the badge; returns the new outbox rows' ids (issued after commit)."""
    return components_awarded([issued_badge])


def components_awarded(issued_badges):
    """``component_awarded`` for many badges at once (one issuance batch)."""
    by_user = {}
    for badge in issued_badges:
        by_user.setdefault(badge.user_id, set()).add(badge.badge_class.achievement_uuid)
    created = []
    with transaction.atomic():
        now = timezone.now()
        for pathway in lock_pathways(issued_badges):
            components = _components(pathway)
            mine = {a for _p, a in components}
            for user_id, earned in by_user.items():
                if not earned & mine:
                    continue
                held = _held(user_id, list(mine), now=now, lock=True)
                state = judge(pathway, components, held)
                if state.complete and blocks_met(pathway.badge_class, user_id):
                    request = _award(pathway.badge_class, user_id)
                    if request is not None:
                        created.append(request.pk)
                        intake.schedule_issuance(request.pk)
                else:
                    _record_milestone(pathway, user_id, state)
    return created


def blocks_met(badge_class, user_id):
    """Whether the learner meets the assessment blocks a pathway badge class also requires
    (True when it requires none): the course passed (or certified, as
    ``CREDPLUGIN_AWARD_ON`` says) and every active requirement met.

    Whichever of the two rules is met last awards the badge. Both deciders hold the pathway's
    row lock (:func:`lock_pathways`, :func:`complete_for`) while they decide, and read at READ
    COMMITTED, so the second one sees what the first committed: the award is neither lost nor
    made twice (the outbox row is unique per learner, badge and generation).
    """
    needed = requirements.active_requirements(badge_class)
    if not needed:
        return True
    records = CoursePassingRecord.objects.filter(user_id=user_id)
    if not any(
        validation.master_course_key(record.course_key) == badge_class.course_key
        and intake.triggers_award(record)
        for record in records
    ):
        return False
    results = requirements.latest_results([user_id], [n.usage_key for n in needed])
    return requirements.judge(needed, user_id, results)[0]


def complete_for(badge_class, user_ids):
    """The learners among ``user_ids`` whose components complete the pathway of
    ``badge_class`` (all of them when it has none), deciding under the pathway's row lock.

    Called by the evaluation of a course's assessment blocks, for a pathway badge class those
    blocks also feed; see :func:`blocks_met` for the other side.
    """
    if not user_ids:
        return set()
    # Outside a caller's transaction the lock lasts for this decision only, which is enough:
    # a component being stored holds the lock until it commits, so this decision comes either
    # after it (and sees it) or before it (and then that transaction sees the blocks met).
    with transaction.atomic():
        pathway = Pathway.objects.select_for_update().filter(badge_class=badge_class).first()
        if pathway is None:
            return set(user_ids)
        components = _components(pathway)
        achievements = [a for _p, a in components]
        now = timezone.now()
        return {
            user_id
            for user_id in user_ids
            if judge(pathway, components, _held(user_id, achievements, now=now, lock=True)).complete
        }


def _record_milestone(pathway, user_id, state):
    """Record the milestones (25, 50, 75 %) the learner passed; the highest new one is
    e-mailed after commit, once: the rows are unique per learner, pathway and milestone."""
    percent = 100 * len(state.earned) // state.required
    reached = [m for m in MILESTONES if m <= percent]
    known = set(
        PathwayMilestone.objects.filter(user_id=user_id, pathway=pathway).values_list(
            "percent", flat=True
        )
    )
    new = [m for m in reached if m not in known]
    if not new:
        return
    PathwayMilestone.objects.bulk_create(
        [PathwayMilestone(user_id=user_id, pathway=pathway, percent=m) for m in new],
        ignore_conflicts=True,
    )
    transaction.on_commit(
        partial(
            badge_awarded.send_pathway_milestone,
            user_id,
            pathway.badge_class,
            max(new),
            len(state.earned),
            state.required,
        )
    )


def lock_pathways(issued_badges):
    """Lock (``SELECT … FOR UPDATE``, in key order) the active pathways the badges count
    towards, and return them; none when they count towards no pathway.

    Issuance takes these locks before it inserts the badges, so two transactions storing a
    learner's last two components run their decisions one after the other, the second seeing
    the first's committed badge — and neither waits for the other's uncommitted row.
    """
    achievements = {badge.badge_class.achievement_uuid for badge in issued_badges}
    if not achievements:
        return []
    pathway_ids = set(
        PathwayComponent.objects.filter(badge_class__achievement_uuid__in=achievements).values_list(
            "pathway_id", flat=True
        )
    )
    if not pathway_ids:
        return []
    return list(
        Pathway.objects.select_for_update()
        .filter(pk__in=pathway_ids, badge_class__active=True)
        .select_related("badge_class")
        .order_by("pk")
    )


def _award(badge_class, user_id):
    """The new outbox row for a completed pathway, or None when none is due (badge active,
    on its way, blocked) — lifting a hold instead where the policy suspended it."""
    latest = (
        IssuanceRequest.objects.filter(badge_class=badge_class, user_id=user_id)
        .select_related("issued_badge")
        .order_by("-generation")
        .first()
    )
    generation = 1
    if latest is not None:
        issued = getattr(latest, "issued_badge", None)
        if issued is None or issued.status == IssuedBadge.Status.ACTIVE:
            return None
        if issued.status == IssuedBadge.Status.SUSPENDED:
            if PathwayHold.objects.filter(badge=issued).delete()[0]:
                lifecycle.reinstate(issued, reason="", actor_id=None)
            return None
        if issued.reaward_blocked:
            return None
        generation = latest.generation + 1
    try:
        with transaction.atomic():
            return IssuanceRequest.objects.create(
                user_id=user_id, badge_class=badge_class, generation=generation
            )
    except IntegrityError:
        return None  # another transaction decided the same award first


def still_complete(pathway, user_id, *, now=None):
    """The learner's progress on ``pathway`` now (for composing its credential)."""
    components = _components(pathway)
    return judge(pathway, components, _held(user_id, [a for _p, a in components],
                                            now=now or timezone.now()))  # fmt: skip


# Losing a component ----------------------------------------------------------------------


def component_status_changed(issued_badge):
    """After a component's status changed: re-award on reinstatement, apply the policy on
    revocation or suspension. Runs after the change committed (see ``badges``)."""
    if issued_badge.status == IssuedBadge.Status.ACTIVE:
        with transaction.atomic():
            component_awarded(issued_badge)
    else:
        enforce(issued_badge.user_id, achievements=[issued_badge.badge_class.achievement_uuid])


def schedule_status_changed(issued_badge):
    """``component_status_changed`` once the current transaction commits."""
    if PathwayComponent.objects.filter(
        badge_class__achievement_uuid=issued_badge.badge_class.achievement_uuid
    ).exists():
        transaction.on_commit(partial(component_status_changed, issued_badge))


def enforce(user_id=None, *, achievements=None, now=None):
    """Apply the lost-component policy to pathway badges no longer complete; returns how
    many were suspended or revoked. With no arguments, every learner (the sweeper's look for
    components that lapsed)."""
    now = now or timezone.now()
    pathways = Pathway.objects.select_related("badge_class")
    if achievements is not None:
        pathways = pathways.filter(
            components__badge_class__achievement_uuid__in=achievements
        ).distinct()
    changed = 0
    for pathway in pathways:
        policy = on_lost_policy(pathway)
        if policy == ON_FAILING_KEEP:
            continue
        holders = IssuedBadge.objects.filter(
            badge_class=pathway.badge_class, status=IssuedBadge.Status.ACTIVE
        ).select_related("badge_class")
        if user_id is not None:
            holders = holders.filter(user_id=user_id)
        components = _components(pathway)
        lost = IssuedBadge.objects.filter(
            Q(valid_until__lte=now) | ~Q(status=IssuedBadge.Status.ACTIVE),
            badge_class__achievement_uuid__in=[a for _p, a in components],
        )
        holders = holders.filter(user_id__in=lost.values("user_id"))
        for badge in holders:
            held = _held(badge.user_id, [a for _p, a in components], now=now)
            if judge(pathway, components, held).complete:
                continue
            _lose(badge, policy)
            changed += 1
    return changed


def _lose(badge, policy):
    with transaction.atomic():
        if policy == ON_FAILING_REVOKE:
            lifecycle.revoke(badge, reason=COMPONENT_LOST_REASON, actor_id=None)
        else:
            lifecycle.suspend(badge, reason=COMPONENT_LOST_REASON, actor_id=None)
            PathwayHold.objects.get_or_create(badge=badge)
