"""What a course author may save in Studio, checked as one unit before any field changes.

:func:`clean_authoring` turns the editor's JSON into field values or raises ``InvalidInput``
listing every problem, each with a message naming the exact spot ("Project rubric ›
criterion 2 (Data) › level 3 …") and the form's name for its field.
Rich text (prompt, brief, case narrative, reflection prompt) is sanitized here, on save.
"""

import re

from . import ethics, evidence
from .errors import InvalidInput, Problems, Text, _
from .numbers import whole as _whole
from .passrule import clean_pass_rule
from .peerstep import clean_peer
from .plugin import api as credplugin_api
from .rubric import HTTP_URL, MAX_DESCRIPTION, clean_competency, clean_rubric, clean_text, limits
from .sanitize import sanitize_html

MAX_RICH_TEXT = 50_000
# WCAG 2.1 minimum contrast ratios: text (1.4.3) and graphical objects (1.4.11).
TEXT_CONTRAST, GRAPHIC_CONTRAST = 4.5, 3
RICH_FIELDS = ("prompt", "brief", "case_narrative", "reflection_prompt")
MAX_WORD_LIMIT = 20_000
MAX_GUIDING_QUESTIONS = 12
_SLUG = re.compile(r"^[A-Za-z0-9_-]{1,100}$")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


def _text(data, key, label, *, required=False, max_length=255):
    return clean_text(data.get(key, ""), label, required=required, max_length=max_length)


def _rich(data, key, label, *, required=False):
    return sanitize_html(_text(data, key, label, required=required, max_length=MAX_RICH_TEXT))


def _flag(data, key, label, default):
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise InvalidInput(_("{label} must be yes or no."), label=label)
    return value


def _colour(value, label):
    try:
        return credplugin_api().validate_colour(value)
    except credplugin_api().InvalidInput as error:
        raise InvalidInput(
            _("{label} must be a colour written #rrggbb, e.g. #0b4f8a."), label=label
        ) from error


def _check_contrast(colours, problems):
    """The artwork must stay legible (WCAG): its text on the disc at least 4.5:1 (text
    contrast), its ring and emblem against the disc at least 3:1 (non-text contrast)."""
    ratios = credplugin_api().artwork_contrast(**colours)
    if ratios["text"] < TEXT_CONTRAST:
        problems.add(
            "badge.colour",
            _("Text on this badge colour has a contrast of {ratio}:1; pick a colour that "
              "reaches {needed}:1 with black or white."),
            ratio=ratios["text"],
            needed=TEXT_CONTRAST,
        )  # fmt: skip
    if ratios["ring"] < GRAPHIC_CONTRAST:
        problems.add(
            "badge.accent_colour" if colours["accent_colour"] else "badge.colour",
            _("The accent colour and the badge colour have a contrast of {ratio}:1; the ring "
              "needs at least {needed}:1 to stand out."),
            ratio=ratios["ring"],
            needed=GRAPHIC_CONTRAST,
        )  # fmt: skip


def clean_badge(data, problems):
    if not isinstance(data, dict):
        problems.add("badge.slug", _("The badge settings must be an object."))
        return {}
    slug = problems.check(
        "badge.slug", _text, data, "slug", _("Badge slug"), required=True, max_length=100
    )
    if slug and not _SLUG.match(slug):
        problems.add("badge.slug", _("Badge slug may hold only letters, digits, - and _."))
    image_url = problems.check(
        "badge.image_url", _text, data, "image_url", _("Badge image URL"), max_length=500
    )
    if image_url and not HTTP_URL.match(image_url):
        problems.add("badge.image_url", _("Badge image URL must start with http:// or https://."))
    colours = {
        key: problems.check(f"badge.{key}", _colour, data.get(key), label)
        for key, label in (("colour", _("Badge colour")), ("accent_colour", _("Accent colour")))
    }
    if all(value is not None for value in colours.values()):
        _check_contrast(colours, problems)
    achievement_type = (
        problems.check(
            "badge.achievement_type", _text, data, "achievement_type", _("Achievement type")
        )
        or "Badge"
    )
    if not limits().accepts_achievement_type(achievement_type):
        problems.add(
            "badge.achievement_type",
            _("Achievement type must be one of {types}."),
            types=", ".join(limits().achievement_types),
        )
    hours = data.get("hours")
    hours_max = limits().hours_max
    if hours in ("", None):
        hours = None
    elif (
        isinstance(hours, bool) or not isinstance(hours, (int, float)) or not 0 < hours <= hours_max
    ):
        problems.add(
            "badge.hours", _("Hours must be a number between 0 and {maximum}."), maximum=hours_max
        )
    validity = data.get("validity_months")
    if validity in ("", None, 0):
        validity = None
    else:
        validity = problems.check(
            "badge.validity_months",
            _whole,
            data,
            "validity_months",
            _("Validity in months"),
            minimum=1,
            maximum=limits().validity_months_max,
            fallback=None,
        )
    alignments = data.get("alignments") or []
    if not isinstance(alignments, list):
        problems.add("badge.alignments", _("Badge alignments must be a list."))
        alignments = []
    cleaned_alignments = [
        problems.check(
            f"badge.alignments.{number - 1}",
            clean_competency,
            item,
            Text(_("Badge alignment {number}"), number=number),
            field=f"badge.alignments.{number - 1}",
        )
        for number, item in enumerate(alignments, start=1)
    ]
    language = _text(data, "language", _("Badge language"), max_length=16) or "en"
    if not _LANGUAGE.match(language):
        raise InvalidInput(_("Badge language must be a language code such as en or pt-BR."))
    return {
        "slug": slug,
        "name": problems.check("badge.name", _text, data, "name", _("Badge name"), required=True),
        "description": problems.check(
            "badge.description",
            _text,
            data,
            "description",
            _("Badge description"),
            max_length=MAX_DESCRIPTION,
        ),
        "image_url": image_url,
        "artwork": problems.check(
            "badge.artwork", _text, data, "artwork", _("Uploaded artwork"), max_length=64
        ),
        "colour": colours["colour"] or "",
        "accent_colour": colours["accent_colour"] or "",
        "achievement_type": achievement_type,
        "hours": hours,
        "validity_months": validity,
        "criteria_narrative": problems.check(
            "badge.criteria_narrative",
            _text,
            data,
            "criteria_narrative",
            _("Criteria narrative"),
            max_length=MAX_DESCRIPTION,
        ),
        "alignments": [item for item in cleaned_alignments if item],
        "language": language,
    }


def clean_authoring(data):
    """Every authored field, checked together; returns ``{field_name: value}``.

    Every problem is collected under the form's name for its field (``badge.slug``,
    ``rubric.criteria.1.levels.2.points``) and raised at once as ``FieldErrors``.
    """
    if not isinstance(data, dict):
        raise InvalidInput(_("The editor sent something that is not a form."))
    problems = Problems()
    project_enabled = problems.check(
        "project_enabled", _flag, data, "project_enabled", _("Project part"), True, default=True
    )
    ethics_enabled = problems.check(
        "ethics_enabled", _flag, data, "ethics_enabled", _("Ethics part"), False, default=False
    )
    if not project_enabled and not ethics_enabled:
        problems.add("project_enabled", _("Enable the project part, the ethics part, or both."))
    cleaned = {
        "display_name": problems.check(
            "display_name", _text, data, "display_name", _("Display name"), required=True
        ),
        "weight": problems.check("weight", _weight, data.get("weight")),
        "project_enabled": project_enabled,
        "ethics_enabled": ethics_enabled,
        "self_assessment_enabled": problems.check(
            "self_assessment_enabled",
            _flag,
            data,
            "self_assessment_enabled",
            _("Self-assessment"),
            False,
        ),
        "pass_rule": problems.check(
            "pass_rule.min_rubric_percent", clean_pass_rule, data.get("pass_rule") or {}
        ),
    }
    cleaned.update(_clean_badge_or_renewal(data, problems))
    cleaned.update(_clean_project(data, problems, required=project_enabled))
    cleaned.update(_clean_ethics(data, problems, required=ethics_enabled))
    if project_enabled and ethics_enabled and cleaned["rubric"] and cleaned["reflection_rubric"]:
        project_ids = {c["id"] for c in cleaned["rubric"]["criteria"]}
        reflection_ids = {c["id"] for c in cleaned["reflection_rubric"]["criteria"]}
        shared = sorted(project_ids & reflection_ids)
        if shared:
            problems.add(
                "reflection_rubric",
                _("Criterion ids must differ between the two rubrics; both use {ids}."),
                ids=", ".join(shared),
            )
    cleaned.update(clean_peer(data, problems, combined_rubric(cleaned)))
    problems.raise_any()
    return cleaned


def _clean_badge_or_renewal(data, problems):
    """A block awards a badge or renews one (an earlier run's, through the same slug), never
    both: a renewal assessment's badge settings are empty."""
    renews = problems.check("renews", _text, data, "renews", _("Renews the badge"), max_length=100)
    if not renews:
        return {"badge": clean_badge(data.get("badge"), problems), "renews": ""}
    if not _SLUG.match(renews):
        problems.add("renews", _("Choose the badge this block renews from the list."))
    badge = data.get("badge")
    if isinstance(badge, dict) and (badge.get("slug") or "").strip():
        problems.add(
            "renews",
            _("A renewal assessment awards no badge of its own: clear the badge slug, or choose "
              "no badge to renew."),
        )  # fmt: skip
    return {"badge": {}, "renews": renews}


def _weight(value):
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1000:
        raise InvalidInput(_("Weight must be a number between 0 and 1000, or empty."))
    return float(value)


def _whole_field(problems, data, key, label, **bounds):
    return problems.check(key, _whole, data, key, label, **bounds)


def _clean_project(data, problems, *, required):
    fields = {
        "prompt": problems.check(
            "prompt", _rich, data, "prompt", _("Project prompt"), required=required
        ),
        "brief": problems.check("brief", _rich, data, "brief", _("Scenario or brief")),
        "text_enabled": problems.check(
            "text_enabled", _flag, data, "text_enabled", _("Written answer"), True
        ),
        "text_min_words": _whole_field(
            problems, data, "text_min_words", _("Minimum words"), minimum=0,
            maximum=MAX_WORD_LIMIT, fallback=0,
        ),
        "text_max_words": _whole_field(
            problems, data, "text_max_words", _("Maximum words"), minimum=0,
            maximum=MAX_WORD_LIMIT, fallback=2000,
        ),
        "max_links": _whole_field(
            problems, data, "max_links", _("Maximum links"), minimum=0,
            maximum=evidence.MAX_LINKS, fallback=3,
        ),
        "allowed_file_types": problems.check(
            "allowed_file_types",
            evidence.clean_file_types,
            data.get("allowed_file_types", evidence.DEFAULT_FILE_TYPES),
        ),
        "max_file_size_mb": _whole_field(
            problems, data, "max_file_size_mb", _("Maximum file size (MB)"), minimum=1,
            maximum=evidence.MAX_FILE_SIZE_MB, fallback=10,
        ),
        "max_files": _whole_field(
            problems, data, "max_files", _("Maximum files"), minimum=0, maximum=10, fallback=3
        ),
    }  # fmt: skip
    low, high = fields["text_min_words"], fields["text_max_words"]
    if low is not None and high and low > high:
        problems.add("text_min_words", _("Minimum words is larger than maximum words."))
    if required:
        fields["rubric"] = problems.check(
            "rubric", clean_rubric, data.get("rubric"), title=_("Project rubric"), default={}
        )
    else:
        fields["rubric"] = problems.check(
            "rubric", _optional_rubric, data.get("rubric"), _("Project rubric"), default={}
        )
    return fields


def _guiding_questions(questions):
    questions = questions or []
    if not isinstance(questions, list) or not all(isinstance(q, str) for q in questions):
        raise InvalidInput(_("Guiding questions must be a list of text."))
    questions = [q.strip() for q in questions if q.strip()]
    if len(questions) > MAX_GUIDING_QUESTIONS:
        raise InvalidInput(_("At most {limit} guiding questions."), limit=MAX_GUIDING_QUESTIONS)
    if any(len(q) > MAX_DESCRIPTION for q in questions):
        raise InvalidInput(_("A guiding question is too long."))
    return questions


def _clean_ethics(data, problems, *, required):
    fields = {
        "case_narrative": problems.check(
            "case_narrative", _rich, data, "case_narrative", _("Case narrative"),
            required=required,
        ),
        "scenarios": problems.check(
            "scenarios", ethics.clean_scenarios, data.get("scenarios"), default=[]
        ),
        "reflection_prompt": problems.check(
            "reflection_prompt", _rich, data, "reflection_prompt", _("Reflection prompt"),
            required=required,
        ),
        "guiding_questions": problems.check(
            "guiding_questions", _guiding_questions, data.get("guiding_questions"), default=[]
        ),
        "reflection_min_words": _whole_field(
            problems, data, "reflection_min_words", _("Reflection minimum words"), minimum=0,
            maximum=MAX_WORD_LIMIT, fallback=150,
        ),
        "reflection_max_words": _whole_field(
            problems, data, "reflection_max_words", _("Reflection maximum words"), minimum=0,
            maximum=MAX_WORD_LIMIT, fallback=1500,
        ),
        "ethics_alignment": problems.check(
            "ethics_alignment", clean_competency, data.get("ethics_alignment"),
            _("Ethics competency"), field="ethics_alignment",
        ),
    }  # fmt: skip
    low, high = fields["reflection_min_words"], fields["reflection_max_words"]
    if low is not None and high and low > high:
        problems.add(
            "reflection_min_words", _("Reflection minimum words is larger than its maximum.")
        )
    if required:
        if not fields["scenarios"] and not any(
            field.startswith("scenarios") for field, _message in problems.found
        ):
            problems.add("scenarios", _("The ethics part needs at least one scenario."))
        fields["reflection_rubric"] = problems.check(
            "reflection_rubric",
            clean_rubric,
            data.get("reflection_rubric"),
            title=_("Reflection rubric"),
            field="reflection_rubric",
            default={},
        )
    else:
        fields["reflection_rubric"] = problems.check(
            "reflection_rubric",
            _optional_rubric,
            data.get("reflection_rubric"),
            _("Reflection rubric"),
            field="reflection_rubric",
            default={},
        )
    return fields


def _optional_rubric(value, title, field="rubric"):
    """A disabled part keeps its rubric if it is valid, so switching a part off loses nothing."""
    if not value or not value.get("criteria"):
        return {}
    return clean_rubric(value, title=title, field=field)


def combined_rubric(fields):
    """The one rubric credplugin snapshots: project criteria, then reflection criteria."""
    criteria = []
    if fields["project_enabled"]:
        criteria += (fields["rubric"] or {}).get("criteria", [])
    if fields["ethics_enabled"]:
        criteria += (fields["reflection_rubric"] or {}).get("criteria", [])
    return {"criteria": criteria}


def assessment_methods(fields):
    """The methods the credential names; a result formed by the peers' median alone names no
    mentor (staff who override it are named by the result's judgement instead)."""
    peer = fields.get("peer_enabled")
    methods = [] if peer and fields.get("peer_result_mode") == "peer_median" else ["mentor_review"]
    if peer:
        methods.append("peer_review")
    if fields["project_enabled"]:
        methods.insert(0, "project_rubric")
    if fields["self_assessment_enabled"]:
        methods.append("self_assessment")
    if fields["ethics_enabled"]:
        methods += ["ethics_case_scenarios", "ethics_impact_reflection"]
    return methods


def badge_for_api(fields):
    """The badge description ``credplugin.api.register_badge_requirement`` expects."""
    badge = dict(fields["badge"])
    alignments = list(badge.pop("alignments", None) or [])
    ethics_alignment = fields.get("ethics_alignment") if fields["ethics_enabled"] else None
    if ethics_alignment and ethics_alignment not in alignments:
        alignments.append(fields["ethics_alignment"])
    badge.update(alignments=alignments, tags=[], language=badge.get("language") or "en")
    return badge


def renewal_for_api(fields):
    """Everything ``credplugin.api.register_renewal_assessment`` needs besides the keys."""
    return {
        "title": fields["display_name"],
        "renews": fields["renews"],
        "rubric": combined_rubric(fields),
        "pass_rule": {"all_criteria_met": fields["pass_rule"]["all_criteria_met"]},
        "assessment_methods": assessment_methods(fields),
    }


def requirement_for_api(fields):
    """Everything ``credplugin.api.register_badge_requirement`` needs besides the keys."""
    return {
        "title": fields["display_name"],
        "badge": badge_for_api(fields),
        "rubric": combined_rubric(fields),
        "pass_rule": {"all_criteria_met": fields["pass_rule"]["all_criteria_met"]},
        "assessment_methods": assessment_methods(fields),
    }
