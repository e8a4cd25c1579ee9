"""Outcomes over HTTP: the public page and signed statement of a badge, and the staff dashboard.

The public page and JSON are cacheable like badge pages; only badge classes whose author
published their outcomes answer, others are 404, and they show the kept, suppressed figures
(``outcomes.statements``). The dashboard is private to the course run's staff
(``outcomes.dashboard`` says what it shows exactly and what suppressed).
"""

import hashlib
from datetime import UTC, datetime, time, timedelta
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey

from credplugin import compat
from credplugin.conf import credplugin_settings
from credplugin.models import BadgeClass, OutcomePlan, SurveyResponse
from credplugin.outcomes import dashboard, links, statements
from credplugin.outcomes.figures import Scope
from credplugin.views.caching import never_cache_private, public_cache
from credplugin.views.layout import page_context

MEASURE_LABELS = {
    "earners": gettext_lazy("Earners"),
    "completion_rate": gettext_lazy("Enrolled learners who earned the badge"),
    "first_attempt_pass_rate": gettext_lazy("Assessments passed at the first attempt"),
    "revision_rate": gettext_lazy("Assessments revised and judged again"),
    "days_enrollment_to_award": gettext_lazy("Days from enrollment to the badge"),
    "days_first_attempt_to_award": gettext_lazy(
        "Days from the first assessed attempt to the badge"
    ),
    "mentor_turnaround_hours": gettext_lazy("Hours from submission to the mentor's decision"),
    "criterion_levels": gettext_lazy("Level reached per rubric criterion"),
    "ethics_score_bands": gettext_lazy("Ethics case study scores"),
    "revocation_rate": gettext_lazy("Badges revoked"),
    "suspension_rate": gettext_lazy("Badges suspended"),
    "lapse_rate": gettext_lazy("Badges expired without renewal"),
    "page_views": gettext_lazy("Badge page views (cache misses; nobody's visit is recorded)"),
    "verifications": gettext_lazy("Verifications"),
    "linkedin_shares": gettext_lazy("LinkedIn shares"),
    "respondents": gettext_lazy("Survey respondents who agreed to be counted"),
    "job_change": gettext_lazy("Job change since the badge"),
    "promotion_rate": gettext_lazy("Promoted"),
    "more_responsibility_rate": gettext_lazy("Took on new responsibilities"),
    "pay_change": gettext_lazy("Pay change"),
    "applies_competencies": gettext_lazy("How often they use the competencies"),
}


ANSWER_LABELS = {
    "job_change": dict(SurveyResponse.JobChange.choices),
    "pay_change": dict(SurveyResponse.PayChange.choices),
    "applies_competencies": {str(value): label for value, label in SurveyResponse.Applies.choices},
}


def section_label(name):
    if name == statements.PROGRAMME:
        return _("The programme")
    days = int(name.removeprefix("survey-"))
    return _("Survey %(days)s days after the award") % {"days": days}


def rows(figures, prefix=""):
    """The figures of one section as table rows: label, n, and the value as text or counts."""
    found = []
    for name, figure in figures.items():
        label = f"{prefix}{MEASURE_LABELS.get(name, name)}"
        if "n" not in figure and "suppressed" not in figure:
            found.extend(rows(figure, prefix=f"{label}: "))
            continue
        found.append({"label": label, "n": figure.get("n"), **_shown(name, figure)})
    return found


def _shown(name, figure):
    if figure.get("suppressed"):
        return {"suppressed": True}
    if "counts" in figure:
        labels = ANSWER_LABELS.get(name, {})
        return {
            "counts": [(labels.get(key, key), count) for key, count in figure["counts"].items()]
        }
    if "median" in figure:
        text = _("median %(median)s, 90 %% within %(p90)s") % figure
    elif name.endswith("_rate"):
        text = f"{round(figure['value'] * 100)} %"
    else:
        text = str(figure["value"])
    return {"text": text}


def display_periods(periods):
    return [
        {
            "start": period["start"],
            "end": period["end"],
            "sections": [
                {"label": section_label(name), "rows": rows(figures)}
                for name, figures in period["sections"].items()
            ],
        }
        for period in periods
    ]


def outcomes_url(badge_class):
    """The outcomes page of ``badge_class``'s achievement, if any of its runs publishes one."""
    publishing = links.publishing_badge_class(badge_class.achievement_uuid)
    if publishing is None:
        return None
    return reverse("credplugin:outcomes-page", args=[publishing.uuid])


def published_badge_class(badge_class_uuid):
    """The badge class with published outcomes, or 404."""
    badge_class = BadgeClass.objects.filter(uuid=badge_class_uuid).first()
    plan = OutcomePlan.objects.filter(badge_class=badge_class, published=True).first()
    if badge_class is None or plan is None:
        raise Http404(_("This badge publishes no outcomes."))
    return badge_class, Scope.achievement(badge_class.achievement_uuid)


class DashboardFilter(forms.Form):
    """The dashboard's date range and course run."""

    start = forms.DateField(label=gettext_lazy("From"), widget=forms.DateInput({"type": "date"}))
    end = forms.DateField(label=gettext_lazy("Before"), widget=forms.DateInput({"type": "date"}))
    run = forms.ChoiceField(label=gettext_lazy("Course run"))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and not start < end <= start + timedelta(days=dashboard.MAX_RANGE_DAYS):
            raise forms.ValidationError(
                _("Choose a start before the end, at most three years apart.")
            )
        return cleaned


def _staff_runs(user, course_key):
    """Runs of the course's catalog course (with badges) in which ``user`` is staff."""
    catalog = (
        BadgeClass.objects.filter(course_key=course_key)
        .values_list("catalog_course", flat=True)
        .first()
    )
    runs = {str(course_key)}
    if catalog:
        runs |= {
            str(key)
            for key in BadgeClass.objects.filter(catalog_course=catalog).values_list(
                "course_key", flat=True
            )
        }
    return sorted(run for run in runs if compat.is_course_staff(user, CourseKey.from_string(run)))


def _visible_pathways(user, course_key):
    """The run's pathway scopes whose every course run ``user`` is staff of: pathway figures
    are exact, so they are shown only to someone who already sees each of those learners."""
    return [
        (pathway, scope)
        for pathway, scope in dashboard.pathway_scopes(course_key)
        if all(compat.is_course_staff(user, run) for run in scope.course_keys())
    ]


@never_cache_private
@login_required
@require_safe
def outcomes_dashboard(request, course_key):
    """A course run's badge figures for course staff: charts, tables and CSV."""
    try:
        course_key = CourseKey.from_string(course_key)
    except InvalidKeyError as invalid:
        raise Http404(_("There is no such course.")) from invalid
    if not compat.is_course_staff(request.user, course_key):
        raise PermissionDenied(_("Only the course's staff see its badge outcomes."))
    today = timezone.now().date()
    defaults = {"start": today - timedelta(days=365), "end": today + timedelta(days=1)}
    form = DashboardFilter({**defaults, "run": str(course_key), **request.GET.dict()})
    form.fields["run"].choices = [(run, run) for run in _staff_runs(request.user, course_key)]
    if not form.is_valid():
        context = page_context(course_key=course_key, form=form, rows=[], charts=[])
        return render(request, "credplugin/outcomes_dashboard.html", context, status=400)
    run = CourseKey.from_string(form.cleaned_data["run"])
    start = datetime.combine(form.cleaned_data["start"], time.min, tzinfo=UTC)
    end = datetime.combine(form.cleaned_data["end"], time.min, tzinfo=UTC)
    rows = dashboard.course_figures(run, start, end)
    rows += dashboard.pathway_figures(_visible_pathways(request.user, run), start, end)
    if request.GET.get("format") == "csv":
        response = HttpResponse(dashboard.as_csv(rows, start, end), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="outcomes-{run}.csv"'
        return response
    context = page_context(
        course_key=run,
        form=form,
        start=start,
        end=end,
        rows=[{**row, "published_card": _published_card(row)} for row in rows],
        charts=_charts(rows),
        chart_data=dashboard.chart_data(rows),
        min_cohort=credplugin_settings.OUTCOMES_MIN_COHORT,
        csv_url=f"?{urlencode({**form.cleaned_data, 'format': 'csv'})}",
    )
    return render(request, "credplugin/outcomes_dashboard.html", context)


PUBLISHED_CARD_SECONDS = 86400


def _published_card(row):
    """A badge's published quarters as the dashboard shows them, rendered once per version of
    its kept quarters (they only ever appear), language, cohort threshold and badge name;
    nothing for a pathway, which publishes nothing."""
    if row["badge_class"] is None:
        return ""
    min_cohort = credplugin_settings.OUTCOMES_MIN_COHORT
    name = hashlib.sha256(row["badge_class"].name.encode()).hexdigest()[:16]
    version = row["published_version"]
    key = f"credplugin:published-card:{version}:{min_cohort}:{get_language()}:{name}"
    card = cache.get(key)
    if card is None:
        context = {
            "row": row,
            "periods": display_periods(row["published"]()),
            "min_cohort": min_cohort,
        }
        card = render_to_string("credplugin/_published_quarters.html", context)
        cache.set(key, card, PUBLISHED_CARD_SECONDS)
    return mark_safe(card)  # noqa: S308 - our own template's rendering


PART_LABELS = {"value": gettext_lazy("Value"), "median": gettext_lazy("Median")}


def _charts(rows):
    charts = []
    for name, part in dashboard.CHARTED:
        lines = [
            {
                "badge": row["label"],
                "value": row["programme"][name].get(part),
                "n": row["programme"][name]["n"],
            }
            for row in rows
        ]
        label = MEASURE_LABELS[name]
        charts.append(
            {"name": name, "label": label, "part_label": PART_LABELS[part], "lines": lines}
        )
    return charts


@public_cache
@require_safe
def outcomes_page(request, badge_class_uuid):
    """Every kept quarter of the badge's outcomes, each figure with its n."""
    badge_class, scope = published_badge_class(badge_class_uuid)
    statements.roll_up(scope)
    periods = statements.published(scope)
    context = page_context(
        badge_class=badge_class,
        periods=display_periods(periods),
        min_cohort=credplugin_settings.OUTCOMES_MIN_COHORT,
    )
    return render(request, "credplugin/outcomes_page.html", context)


@public_cache
@require_safe
def outcomes_statement(request, badge_class_uuid):
    """The same figures, signed by the issuer's key."""
    badge_class, scope = published_badge_class(badge_class_uuid)
    statements.roll_up(scope)
    document = statements.cached_statement(badge_class, scope)
    return JsonResponse(
        document, content_type="application/ld+json", json_dumps_params={"ensure_ascii": False}
    )
