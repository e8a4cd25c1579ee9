"""What a course author may save in Studio, checked as one unit before any field changes.

:func:`clean_authoring` turns the editor's JSON into field values or raises ``InvalidInput``
with a message naming the exact spot ("Project rubric › criterion 2 (Data) › level 3 …").
Rich text (prompt, brief, case narrative, reflection prompt) is sanitized here, on save.
"""

import re

from . import ethics, evidence
from .errors import InvalidInput, Text, _
from .passrule import clean_pass_rule
from .rubric import HTTP_URL, MAX_DESCRIPTION, clean_competency, clean_rubric, clean_text, limits
from .sanitize import sanitize_html

MAX_RICH_TEXT = 50_000
MAX_WORD_LIMIT = 20_000
MAX_GUIDING_QUESTIONS = 12
_SLUG = re.compile(r"^[A-Za-z0-9_-]{1,100}$")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


def _text(data, key, label, *, required=False, max_length=255):
    return clean_text(data.get(key, ""), label, required=required, max_length=max_length)


def _rich(data, key, label, *, required=False):
    return sanitize_html(_text(data, key, label, required=required, max_length=MAX_RICH_TEXT))


def _whole(data, key, label, *, minimum, maximum, default):
    value = data.get(key, default)
    if value in (None, ""):
        value = default
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(_("{label} must be a whole number."), label=label)
    if not minimum <= value <= maximum:
        raise InvalidInput(
            _("{label} must be between {minimum} and {maximum}."),
            label=label,
            minimum=minimum,
            maximum=maximum,
        )
    return value


def _flag(data, key, label, default):
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise InvalidInput(_("{label} must be yes or no."), label=label)
    return value


def clean_badge(data):
    if not isinstance(data, dict):
        raise InvalidInput(_("The badge settings must be an object."))
    slug = _text(data, "slug", _("Badge slug"), required=True, max_length=100)
    if not _SLUG.match(slug):
        raise InvalidInput(_("Badge slug may hold only letters, digits, - and _."))
    image_url = _text(data, "image_url", _("Badge image URL"), max_length=500)
    if image_url and not HTTP_URL.match(image_url):
        raise InvalidInput(_("Badge image URL must start with http:// or https://."))
    achievement_type = _text(data, "achievement_type", _("Achievement type")) or "Badge"
    if not limits().accepts_achievement_type(achievement_type):
        raise InvalidInput(
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
        raise InvalidInput(_("Hours must be a number between 0 and {maximum}."), maximum=hours_max)
    validity = data.get("validity_months")
    if validity in ("", None, 0):
        validity = None
    else:
        validity = _whole(
            data,
            "validity_months",
            _("Validity in months"),
            minimum=1,
            maximum=limits().validity_months_max,
            default=None,
        )
    alignments = data.get("alignments") or []
    if not isinstance(alignments, list):
        raise InvalidInput(_("Badge alignments must be a list."))
    cleaned_alignments = [
        clean_competency(item, Text(_("Badge alignment {number}"), number=number))
        for number, item in enumerate(alignments, start=1)
    ]
    language = _text(data, "language", _("Badge language"), max_length=16) or "en"
    if not _LANGUAGE.match(language):
        raise InvalidInput(_("Badge language must be a language code such as en or pt-BR."))
    return {
        "slug": slug,
        "name": _text(data, "name", _("Badge name"), required=True),
        "description": _text(
            data, "description", _("Badge description"), max_length=MAX_DESCRIPTION
        ),
        "image_url": image_url,
        "achievement_type": achievement_type,
        "hours": hours,
        "validity_months": validity,
        "criteria_narrative": _text(
            data, "criteria_narrative", _("Criteria narrative"), max_length=MAX_DESCRIPTION
        ),
        "alignments": [item for item in cleaned_alignments if item],
        "language": language,
    }


def clean_authoring(data):
    """Every authored field, checked together; returns ``{field_name: value}``."""
    if not isinstance(data, dict):
        raise InvalidInput(_("The editor sent something that is not a form."))
    project_enabled = _flag(data, "project_enabled", _("Project part"), True)
    ethics_enabled = _flag(data, "ethics_enabled", _("Ethics part"), False)
    if not project_enabled and not ethics_enabled:
        raise InvalidInput(_("Enable the project part, the ethics part, or both."))
    cleaned = {
        "display_name": _text(data, "display_name", _("Display name"), required=True),
        "weight": _weight(data.get("weight")),
        "project_enabled": project_enabled,
        "ethics_enabled": ethics_enabled,
        "self_assessment_enabled": _flag(
            data, "self_assessment_enabled", _("Self-assessment"), False
        ),
        "pass_rule": clean_pass_rule(data.get("pass_rule") or {}),
        "badge": clean_badge(data.get("badge")),
    }
    cleaned.update(_clean_project(data, required=project_enabled))
    cleaned.update(_clean_ethics(data, required=ethics_enabled))
    if project_enabled and ethics_enabled:
        project_ids = {c["id"] for c in cleaned["rubric"]["criteria"]}
        reflection_ids = {c["id"] for c in cleaned["reflection_rubric"]["criteria"]}
        shared = sorted(project_ids & reflection_ids)
        if shared:
            raise InvalidInput(
                _("Criterion ids must differ between the two rubrics; both use {ids}."),
                ids=", ".join(shared),
            )
    return cleaned


def _weight(value):
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1000:
        raise InvalidInput(_("Weight must be a number between 0 and 1000, or empty."))
    return float(value)


def _clean_project(data, *, required):
    fields = {
        "prompt": _rich(data, "prompt", _("Project prompt"), required=required),
        "brief": _rich(data, "brief", _("Scenario or brief")),
        "text_enabled": _flag(data, "text_enabled", _("Written answer"), True),
        "text_min_words": _whole(
            data, "text_min_words", _("Minimum words"), minimum=0, maximum=MAX_WORD_LIMIT, default=0
        ),
        "text_max_words": _whole(
            data,
            "text_max_words",
            _("Maximum words"),
            minimum=0,
            maximum=MAX_WORD_LIMIT,
            default=2000,
        ),
        "max_links": _whole(
            data, "max_links", _("Maximum links"), minimum=0, maximum=evidence.MAX_LINKS, default=3
        ),
        "allowed_file_types": evidence.clean_file_types(
            data.get("allowed_file_types", evidence.DEFAULT_FILE_TYPES)
        ),
        "max_file_size_mb": _whole(
            data,
            "max_file_size_mb",
            "Maximum file size (MB)",
            minimum=1,
            maximum=evidence.MAX_FILE_SIZE_MB,
            default=10,
        ),
        "max_files": _whole(
            data, "max_files", _("Maximum files"), minimum=0, maximum=10, default=3
        ),
    }
    if fields["text_max_words"] and fields["text_min_words"] > fields["text_max_words"]:
        raise InvalidInput(_("Minimum words is larger than maximum words."))
    if required:
        fields["rubric"] = clean_rubric(data.get("rubric"), title=_("Project rubric"))
    else:
        fields["rubric"] = _optional_rubric(data.get("rubric"), _("Project rubric"))
    return fields


def _clean_ethics(data, *, required):
    questions = data.get("guiding_questions") or []
    if not isinstance(questions, list) or not all(isinstance(q, str) for q in questions):
        raise InvalidInput(_("Guiding questions must be a list of text."))
    questions = [q.strip() for q in questions if q.strip()]
    if len(questions) > MAX_GUIDING_QUESTIONS:
        raise InvalidInput(_("At most {limit} guiding questions."), limit=MAX_GUIDING_QUESTIONS)
    if any(len(q) > MAX_DESCRIPTION for q in questions):
        raise InvalidInput(_("A guiding question is too long."))
    fields = {
        "case_narrative": _rich(data, "case_narrative", _("Case narrative"), required=required),
        "scenarios": ethics.clean_scenarios(data.get("scenarios")),
        "reflection_prompt": _rich(
            data, "reflection_prompt", _("Reflection prompt"), required=required
        ),
        "guiding_questions": questions,
        "reflection_min_words": _whole(
            data,
            "reflection_min_words",
            "Reflection minimum words",
            minimum=0,
            maximum=MAX_WORD_LIMIT,
            default=150,
        ),
        "reflection_max_words": _whole(
            data,
            "reflection_max_words",
            "Reflection maximum words",
            minimum=0,
            maximum=MAX_WORD_LIMIT,
            default=1500,
        ),
        "ethics_alignment": clean_competency(data.get("ethics_alignment"), "Ethics competency"),
    }
    if (
        fields["reflection_max_words"]
        and fields["reflection_min_words"] > fields["reflection_max_words"]
    ):
        raise InvalidInput(_("Reflection minimum words is larger than its maximum."))
    if required:
        if not fields["scenarios"]:
            raise InvalidInput(_("The ethics part needs at least one scenario."))
        fields["reflection_rubric"] = clean_rubric(
            data.get("reflection_rubric"), title=_("Reflection rubric")
        )
    else:
        fields["reflection_rubric"] = _optional_rubric(
            data.get("reflection_rubric"), _("Reflection rubric")
        )
    return fields


def _optional_rubric(value, title):
    """A disabled part keeps its rubric if it is valid, so switching a part off loses nothing."""
    if not value or not value.get("criteria"):
        return {}
    return clean_rubric(value, title=title)


def combined_rubric(fields):
    """The one rubric credplugin snapshots: project criteria, then reflection criteria."""
    criteria = []
    if fields["project_enabled"]:
        criteria += (fields["rubric"] or {}).get("criteria", [])
    if fields["ethics_enabled"]:
        criteria += (fields["reflection_rubric"] or {}).get("criteria", [])
    return {"criteria": criteria}


def assessment_methods(fields):
    methods = ["mentor_review"]
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


def requirement_for_api(fields):
    """Everything ``credplugin.api.register_badge_requirement`` needs besides the keys."""
    return {
        "title": fields["display_name"],
        "badge": badge_for_api(fields),
        "rubric": combined_rubric(fields),
        "pass_rule": {"all_criteria_met": fields["pass_rule"]["all_criteria_met"]},
        "assessment_methods": assessment_methods(fields),
    }
