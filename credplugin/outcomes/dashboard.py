"""The staff dashboard's figures: per badge class of a course, for a chosen date range.

Course staff already see every learner's work in their course, so the programme figures of a
range they choose are shown exact. Survey answers are another matter: learners gave them to be
counted only in aggregates, so the dashboard shows them exactly as published (kept quarters,
suppressed below ``CREDPLUGIN_OUTCOMES_MIN_COHORT``), and no choice of range can single anyone
out.
"""

import csv
import io
from functools import partial

from django.db.models import Q
from django.utils.translation import gettext as _

from credplugin.models import BadgeClass, Pathway
from credplugin.outcomes import figures, rollups, statements
from credplugin.outcomes.figures import Scope

MAX_RANGE_DAYS = 3 * 366

# The programme figures the dashboard charts, and which part of each it charts.
CHARTED = (
    ("earners", "value"),
    ("completion_rate", "value"),
    ("first_attempt_pass_rate", "value"),
    ("revision_rate", "value"),
    ("days_enrollment_to_award", "median"),
    ("days_first_attempt_to_award", "median"),
    ("mentor_turnaround_hours", "median"),
    ("revocation_rate", "value"),
    ("lapse_rate", "value"),
    ("page_views", "value"),
    ("verifications", "value"),
    ("linkedin_shares", "value"),
)


def badge_classes(course_key):
    return list(BadgeClass.objects.filter(course_key=course_key).order_by("name", "slug"))


def course_figures(course_key, start, end):
    """``[{label, uuid, badge_class, programme, published, published_version}]`` for every
    badge class of the course run; ``published`` reads the kept quarters when called, so that
    a page holding their rendering (named by ``published_version``) need not read them."""
    rows = []
    for badge_class in badge_classes(course_key):
        achievement = Scope.achievement(badge_class.achievement_uuid)
        statements.roll_up(achievement)
        rows.append(
            {
                "label": badge_class.name,
                "uuid": badge_class.uuid,
                "badge_class": badge_class,
                "programme": rollups.compute(badge_class, start, end),
                "published": partial(statements.published, achievement),
                "published_version": f"{achievement.key}:{statements.kept_version(achievement)}",
            }
        )
    return rows


def pathway_scopes(course_key):
    """``(pathway, scope)`` of each pathway a badge of the course run counts towards, or whose
    own badge the run awards. A pathway's scope is its component badges, every run of their
    achievements (any run counts towards the pathway)."""
    achievements = BadgeClass.objects.filter(course_key=course_key).values("achievement_uuid")
    pathways = (
        Pathway.objects.filter(
            Q(components__badge_class__achievement_uuid__in=achievements)
            | Q(badge_class__course_key=course_key)
        )
        .distinct()
        .select_related("badge_class")
        .order_by("badge_class__name", "pk")
    )
    for pathway in pathways:
        counted = pathway.components.values("badge_class__achievement_uuid")
        ids = BadgeClass.objects.filter(achievement_uuid__in=counted).values_list("pk", flat=True)
        yield pathway, Scope.badge_classes(f"pathway:{pathway.badge_class.uuid}", ids)


def pathway_figures(scopes, start, end):
    """Rows like ``course_figures``' for pathway scopes; pathways publish no statement."""
    return [
        {
            "label": _("Pathway: %(name)s") % {"name": pathway.badge_class.name},
            "uuid": pathway.badge_class.uuid,
            "badge_class": None,
            "programme": figures.compute(scope, start, end),
            "published": list,
            "published_version": None,
        }
        for pathway, scope in scopes
    ]


def as_csv(rows, start, end):
    """The programme figures as CSV: one line per badge class and figure."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["badge", "badge_uuid", "from", "before", "figure", "part", "value", "n"])
    period = [start.date().isoformat(), end.date().isoformat()]
    for row in rows:
        badge = [row["label"], str(row["uuid"]), *period]
        for name, figure in row["programme"].items():
            for label, part in _parts(name, figure):
                writer.writerow([*badge, label, *part])
    return out.getvalue()


def _parts(name, figure):
    """``(figure name, (part, value, n))`` rows of one figure, nested ones flattened."""
    if "n" not in figure:
        for sub, sub_figure in figure.items():
            yield from _parts(f"{name}/{sub}", sub_figure)
        return
    if "counts" in figure:
        for category, count in figure["counts"].items():
            yield name, (category, count, figure["n"])
        return
    for part in ("value", "median", "p90"):
        if part in figure:
            yield name, (part, figure[part], figure["n"])


def chart_data(rows):
    """What the charts draw: per charted figure, one value per badge class (null if none)."""
    return {
        "labels": [row["label"] for row in rows],
        "series": {
            name: [row["programme"][name].get(part) for row in rows] for name, part in CHARTED
        },
    }
