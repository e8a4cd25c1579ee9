"""Checks of the dictionaries XBlocks hand to ``credplugin.api``.

Every function returns a cleaned copy or raises ``InvalidInput`` with a sentence naming the
field, before anything is written.
"""

import numbers
import re

from ccx_keys.locator import CCXBlockUsageLocator, CCXLocator
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_slug
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey, UsageKey

from credplugin.authoring.limits import AUTHORING_LIMITS as LIMITS
from credplugin.exceptions import InvalidInput
from credplugin.presentation import uploaded_artwork

ASSESSMENT_METHODS = (
    "project_rubric",
    "mentor_review",
    "self_assessment",
    "ethics_case_scenarios",
    "ethics_impact_reflection",
    "peer_review",
)

# How a result was formed (``AssessmentResult.judgement["mode"]``); see composition.
JUDGEMENT_MODES = ("peer_median", "peer_confirmed", "mentor_after_peers", "mentor_override")
MAX_PEER_REVIEWS = 100

COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")

PASS_RULE_KEYS = {"min_percent", "all_criteria_met"}
EVIDENCE_KEYS = ("name", "description", "url", "genre")
_url = URLValidator(schemes=["http", "https"])


def _opaque_key(value, key_class, noun):
    """``value`` as a ``key_class`` (kept as is when it already is one), else a clear error."""
    if isinstance(value, key_class):
        return value
    try:
        return key_class.from_string(str(value))
    except InvalidKeyError as error:
        raise InvalidInput(f"{value!r} is not a {noun}.") from error


def course_key(value):
    return _opaque_key(value, CourseKey, "course key")


def master_course_key(key):
    """A CCX run's badges are its master course's: CCX keys map to the master course."""
    return key.to_course_locator() if isinstance(key, CCXLocator) else key


def master_usage_key(key):
    """A block seen through a CCX run is the master course's block (where requirements live)."""
    return key.to_block_locator() if isinstance(key, CCXBlockUsageLocator) else key


def usage_key(value):
    return _opaque_key(value, UsageKey, "usage key")


def text(value, field, *, required=False, max_length=None):
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(f"{field} must be text.")
    value = value.strip()
    if required and not value:
        raise InvalidInput(f"{field} is required.")
    if max_length and len(value) > max_length:
        raise InvalidInput(f"{field} is longer than {max_length} characters.")
    return value


def _optional_url(value, field):
    value = text(value, field, max_length=500)
    if value:
        try:
            _url(value)
        except ValidationError as error:
            raise InvalidInput(f"{field} must be an http(s) URL, not {value!r}.") from error
    return value


def _number(value, field, *, minimum=None, maximum=None, integer=False):
    kind = numbers.Integral if integer else numbers.Real
    if isinstance(value, bool) or not isinstance(value, kind):
        raise InvalidInput(f"{field} must be {'a whole number' if integer else 'a number'}.")
    if minimum is not None and value < minimum:
        raise InvalidInput(f"{field} must be at least {minimum}.")
    if maximum is not None and value > maximum:
        raise InvalidInput(f"{field} must be at most {maximum}.")
    return value


def _alignment(value, field):
    if not isinstance(value, dict):
        raise InvalidInput(f"{field} must be an object with name, framework, code and url.")
    return {
        "name": text(value.get("name"), f"{field}.name", required=True, max_length=255),
        "framework": text(value.get("framework"), f"{field}.framework", max_length=255),
        "code": text(value.get("code"), f"{field}.code", max_length=255),
        "url": _optional_url(value.get("url"), f"{field}.url"),
    }


def assessment_methods(values):
    if not isinstance(values, (list, tuple)):
        raise InvalidInput("assessment_methods must be a list.")
    unknown = [value for value in values if value not in ASSESSMENT_METHODS]
    if unknown:
        raise InvalidInput(
            f"Unknown assessment method(s) {', '.join(map(str, unknown))}; "
            f"use {', '.join(ASSESSMENT_METHODS)}."
        )
    return list(dict.fromkeys(values))


def judgement(value):
    """``{"mode": one of JUDGEMENT_MODES, "peer_reviews": 0..100}``; None or ``{}`` stays empty."""
    if not value:
        return {}
    if not isinstance(value, dict) or set(value) != {"mode", "peer_reviews"}:
        raise InvalidInput("judgement must be {mode, peer_reviews}.")
    if value["mode"] not in JUDGEMENT_MODES:
        raise InvalidInput(f"judgement mode must be one of {', '.join(JUDGEMENT_MODES)}.")
    count = value["peer_reviews"]
    if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= MAX_PEER_REVIEWS:
        raise InvalidInput(f"peer_reviews must be a whole number from 0 to {MAX_PEER_REVIEWS}.")
    return {"mode": value["mode"], "peer_reviews": count}


def colour(value, field):
    """An optional ``#rrggbb`` colour, lower-cased; ``#rgb`` is widened. Empty stays empty."""
    if value in (None, ""):
        return ""
    if not isinstance(value, str) or not COLOUR.fullmatch(value.strip()):
        raise InvalidInput(f"{field} must be a colour written #rrggbb, e.g. #0b4f8a.")
    digits = value.strip()[1:].lower()
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    return f"#{digits}"


def badge(value):
    """The badge description an XBlock edits in Studio, as BadgeClass field values."""
    if not isinstance(value, dict):
        raise InvalidInput("badge must be an object.")
    slug = text(value.get("slug"), "badge.slug", required=True, max_length=100)
    try:
        validate_slug(slug)
    except ValidationError as error:
        raise InvalidInput(f"badge.slug {slug!r} may hold only letters, digits, - and _.") from (
            error
        )
    achievement_type = text(value.get("achievement_type") or "Badge", "badge.achievement_type")
    if not LIMITS.accepts_achievement_type(achievement_type):
        raise InvalidInput(f"badge.achievement_type {achievement_type!r} is not an OB 3.0 type.")
    hours = value.get("hours")
    if hours is not None:
        hours = _number(hours, "badge.hours", minimum=0, maximum=LIMITS.hours_max)
    validity = value.get("validity_months")
    if validity is not None:
        validity = _number(
            validity,
            "badge.validity_months",
            minimum=1,
            maximum=LIMITS.validity_months_max,
            integer=True,
        )
    alignments = value.get("alignments") or []
    tags = value.get("tags") or []
    if not isinstance(alignments, list):
        raise InvalidInput("badge.alignments must be a list.")
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        raise InvalidInput("badge.tags must be a list of text.")
    return {
        "slug": slug,
        "name": text(value.get("name"), "badge.name", required=True, max_length=255),
        "description": text(value.get("description"), "badge.description"),
        "image_url": _optional_url(value.get("image_url"), "badge.image_url"),
        "colour": colour(value.get("colour"), "badge.colour"),
        "accent_colour": colour(value.get("accent_colour"), "badge.accent_colour"),
        "artwork": uploaded_artwork.check_id(value.get("artwork")),
        "criteria_narrative": text(value.get("criteria_narrative"), "badge.criteria_narrative"),
        "achievement_type": achievement_type,
        "hours": hours,
        "validity_months": validity,
        "alignments": [
            _alignment(item, f"badge.alignments[{n}]") for n, item in enumerate(alignments)
        ],
        "tags": [tag.strip() for tag in tags if tag.strip()],
        "language": text(value.get("language") or "en", "badge.language", max_length=16),
    }


def rubric(value):
    """A rubric definition with unique criterion ids, unique level ids and a real required level."""
    if not isinstance(value, dict) or not isinstance(value.get("criteria"), list):
        raise InvalidInput("rubric must be an object with a list of criteria.")
    if not value["criteria"]:
        raise InvalidInput("rubric has no criteria.")
    if len(value["criteria"]) > LIMITS.criteria_max:
        raise InvalidInput(f"rubric has more than {LIMITS.criteria_max} criteria.")
    criteria, seen = [], set()
    for n, criterion in enumerate(value["criteria"]):
        field = f"rubric.criteria[{n}]"
        if not isinstance(criterion, dict):
            raise InvalidInput(f"{field} must be an object.")
        criterion_id = text(criterion.get("id"), f"{field}.id", required=True, max_length=100)
        if criterion_id in seen:
            raise InvalidInput(f"rubric criterion id {criterion_id!r} is used twice.")
        seen.add(criterion_id)
        cleaned_levels = _rubric_levels(criterion.get("levels"), field, criterion_id)
        required_level = criterion.get("required_level")
        if required_level not in {level["id"] for level in cleaned_levels}:
            raise InvalidInput(
                f"{field}.required_level {required_level!r} is not one of its level ids."
            )
        competency = criterion.get("competency")
        criteria.append(
            {
                "id": criterion_id,
                "name": text(criterion.get("name"), f"{field}.name", required=True),
                "description": text(criterion.get("description"), f"{field}.description"),
                "competency": _alignment(competency, f"{field}.competency") if competency else None,
                "levels": cleaned_levels,
                "required_level": required_level,
            }
        )
    return {"criteria": criteria}


def _rubric_levels(levels, field, criterion_id):
    """The cleaned levels of the criterion at ``field``, each id unique within it."""
    if not isinstance(levels, list) or not LIMITS.levels_min <= len(levels) <= LIMITS.levels_max:
        raise InvalidInput(
            f"{field}.levels must be a list of {LIMITS.levels_min} to {LIMITS.levels_max} levels."
        )
    cleaned, level_ids = [], set()
    for m, level in enumerate(levels):
        level_field = f"{field}.levels[{m}]"
        if not isinstance(level, dict):
            raise InvalidInput(f"{level_field} must be an object.")
        level_id = text(level.get("id"), f"{level_field}.id", required=True, max_length=100)
        if level_id in level_ids:
            raise InvalidInput(f"level id {level_id!r} is used twice in {criterion_id!r}.")
        level_ids.add(level_id)
        cleaned.append(
            {
                "id": level_id,
                "name": text(level.get("name"), f"{level_field}.name", required=True),
                "description": text(level.get("description"), f"{level_field}.description"),
                "points": _number(
                    level.get("points", 0),
                    f"{level_field}.points",
                    minimum=0,
                    maximum=LIMITS.points_max,
                ),
            }
        )
    return cleaned


def pass_rule(value):
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InvalidInput("pass_rule must be an object.")
    unknown = set(value) - PASS_RULE_KEYS
    if unknown:
        raise InvalidInput(
            f"pass_rule has unknown key(s) {', '.join(sorted(unknown))}; "
            f"use {', '.join(sorted(PASS_RULE_KEYS))}."
        )
    cleaned = {}
    if "min_percent" in value:
        cleaned["min_percent"] = _number(
            value["min_percent"], "pass_rule.min_percent", minimum=0, maximum=100
        )
    if "all_criteria_met" in value:
        if not isinstance(value["all_criteria_met"], bool):
            raise InvalidInput("pass_rule.all_criteria_met must be true or false.")
        cleaned["all_criteria_met"] = value["all_criteria_met"]
    return cleaned


MAX_COMMENT = 2000


def criterion_levels(values, rubric_definition):
    """Achieved levels, each naming a criterion and level that exist in the judged rubric, with
    the mentor's optional comment on it."""
    if not isinstance(values, list):
        raise InvalidInput("criterion_levels must be a list.")
    criteria = {c["id"]: c for c in rubric_definition["criteria"]} if rubric_definition else None
    cleaned = []
    for n, item in enumerate(values):
        field = f"criterion_levels[{n}]"
        if not isinstance(item, dict):
            raise InvalidInput(f"{field} must be an object.")
        criterion_id = text(item.get("criterion_id"), f"{field}.criterion_id", required=True)
        level_id = text(item.get("level_id"), f"{field}.level_id", required=True)
        if criteria is not None:
            if criterion_id not in criteria:
                raise InvalidInput(f"{field}: the rubric has no criterion {criterion_id!r}.")
            if level_id not in {level["id"] for level in criteria[criterion_id]["levels"]}:
                raise InvalidInput(f"{field}: {criterion_id!r} has no level {level_id!r}.")
        if not isinstance(item.get("met"), bool):
            raise InvalidInput(f"{field}.met must be true or false.")
        comment = text(item.get("comment"), f"{field}.comment", max_length=MAX_COMMENT)
        cleaned.append(
            {
                **({"comment": comment} if comment else {}),
                "criterion_id": criterion_id,
                "criterion": text(item.get("criterion"), f"{field}.criterion"),
                "level_id": level_id,
                "level": text(item.get("level"), f"{field}.level"),
                "points": _number(item.get("points", 0), f"{field}.points", minimum=0),
                "required_level_id": text(
                    item.get("required_level_id"), f"{field}.required_level_id"
                ),
                "met": item["met"],
            }
        )
    return cleaned


def scores(value):
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InvalidInput("scores must be an object of names to numbers.")
    for name, number in value.items():
        if not isinstance(name, str):
            raise InvalidInput("scores keys must be text.")
        _number(number, f"scores.{name}")
    return dict(value)


def evidence(values):
    if values is None:
        return []
    if not isinstance(values, list):
        raise InvalidInput("evidence must be a list.")
    cleaned = []
    for n, item in enumerate(values):
        field = f"evidence[{n}]"
        if not isinstance(item, dict):
            raise InvalidInput(f"{field} must be an object.")
        unknown = set(item) - set(EVIDENCE_KEYS)
        if unknown:
            raise InvalidInput(f"{field} has unknown key(s) {', '.join(sorted(unknown))}.")
        cleaned.append(
            {
                "name": text(item.get("name"), f"{field}.name", required=True, max_length=255),
                "description": text(item.get("description"), f"{field}.description"),
                "url": _optional_url(item.get("url"), f"{field}.url"),
                "genre": text(item.get("genre"), f"{field}.genre", max_length=100),
            }
        )
    return cleaned


def points(earned, possible):
    earned = _number(earned, "points_earned", minimum=0)
    possible = _number(possible, "points_possible", minimum=0)
    if earned > possible:
        raise InvalidInput("points_earned is more than points_possible.")
    return float(earned), float(possible)
