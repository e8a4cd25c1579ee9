"""Rubrics: checking what an author wrote, and the maths of a mentor's judgement.

A rubric is ``{"criteria": [{"id", "name", "description", "competency": {"name", "framework",
"code", "url"} | None, "levels": [{"id", "name", "description", "points"}],
"required_level"}]}`` — the shape ``credplugin.api.snapshot_rubric`` stores. Levels are ordered
from lowest to highest; a criterion is *met* when the chosen level is at or above its required
level.
"""

import re

from .errors import InvalidInput, Problems, Text, _, sub
from .plugin import api as credplugin_api

MAX_NAME = 200
MAX_DESCRIPTION = 2000
_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
HTTP_URL = re.compile(r"^https?://[^\s<>\"]+$")


def limits():
    """The authoring limits the API applies too (``credplugin.api.AUTHORING_LIMITS``)."""
    return credplugin_api().AUTHORING_LIMITS


def clean_text(value, label, *, required=False, max_length=MAX_NAME):
    """Stripped text (``""`` for None), refused when not text, missing but required, or too long."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(_("{label} must be text."), label=label)
    value = value.strip()
    if required and not value:
        raise InvalidInput(_("{label} is required."), label=label)
    if len(value) > max_length:
        raise InvalidInput(
            _("{label} is too long: at most {limit} characters."), label=label, limit=max_length
        )
    return value


def text_field(problems, path, item, key, label, **limits):
    """``item[key]`` as clean text, or None with its problem recorded under ``path.key``."""
    return problems.check(f"{path}.{key}", clean_text, item.get(key), label, **limits)


def unique_identifier(value, fallback, label, seen_ids):
    """The item's id (``fallback`` when left empty), refused if malformed or already in
    ``seen_ids``; recorded there so the next sibling cannot reuse it."""
    value = value if value not in (None, "") else fallback
    if not isinstance(value, str) or not _ID.match(value):
        raise InvalidInput(
            _("{label}: the id may hold only letters, digits, - and _ (at most 64)."), label=label
        )
    if value in seen_ids:
        raise InvalidInput(_("{label}: the id {id} is used twice."), label=label, id=value)
    seen_ids.add(value)
    return value


def clean_competency(value, label, *, field="competency"):
    """A competency alignment (name, framework, code, url), or None when left empty."""
    if not value:
        return None
    if not isinstance(value, dict):
        raise InvalidInput(_("{label}: the competency must be an object."), label=label)
    problems = Problems()
    cleaned = {
        key: problems.check(
            f"{field}.{key}", clean_text, value.get(key), sub(label, piece), max_length=length
        )
        for key, piece, length in (
            ("name", _("competency name"), MAX_NAME),
            ("framework", _("framework"), MAX_NAME),
            ("code", _("code"), 100),
            ("url", _("URL"), 500),
        )
    }
    problems.raise_any()
    if not any(cleaned.values()):
        return None
    if not cleaned["name"]:
        problems.add(f"{field}.name", _("{label}: a competency needs a name."), label=label)
    if cleaned["url"] and not HTTP_URL.match(cleaned["url"]):
        problems.add(
            f"{field}.url",
            _("{label}: the competency URL must start with http:// or https://."),
            label=label,
        )
    problems.raise_any()
    return cleaned


def clean_points(value, label):
    """Whole points: edx-submissions stores scores as integers."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(_("{label}: points must be a whole number."), label=label)
    if not 0 <= value <= limits().points_max:
        raise InvalidInput(
            _("{label}: points must be between 0 and {limit}."),
            label=label,
            limit=limits().points_max,
        )
    return value


def clean_rubric(value, *, title, field="rubric"):
    """Return a normalised copy of an author's rubric, or raise ``FieldErrors`` naming every spot.

    ``title`` names the rubric in messages ("Project rubric", "Reflection rubric"); ``field``
    is the form's name for it, so each problem points at its input
    (``rubric.criteria.1.levels.2.points``).
    """
    if not isinstance(value, dict) or not isinstance(value.get("criteria"), list):
        raise InvalidInput(_("{title} must have a list of criteria."), title=title)
    criteria = value["criteria"]
    if not criteria:
        raise InvalidInput(_("{title} needs at least one criterion."), title=title)
    if len(criteria) > limits().criteria_max:
        raise InvalidInput(
            _("{title} has too many criteria: at most {limit}."),
            title=title,
            limit=limits().criteria_max,
        )
    problems = Problems()
    cleaned, seen_ids = [], set()
    for number, criterion in enumerate(criteria, start=1):
        path = f"{field}.criteria.{number - 1}"
        label = Text(_("{title} › criterion {number}"), title=title, number=number)
        if not isinstance(criterion, dict):
            problems.add(path, _("{label} must be an object."), label=label)
            continue
        name = text_field(problems, path, criterion, "name", sub(label, _("name")), required=True)
        if name:
            label = Text(
                _("{title} › criterion {number} ({name})"), title=title, number=number, name=name
            )
        criterion_id = problems.check(
            path, unique_identifier, criterion.get("id"), f"criterion-{number}", label, seen_ids
        )
        levels = problems.check(
            f"{path}.levels", _clean_levels, criterion.get("levels"), label, path, default=[]
        )
        required = criterion.get("required_level")
        if levels and required not in [level["id"] for level in levels]:
            problems.add(
                f"{path}.required_level",
                _("{label}: choose which level is required to meet this criterion."),
                label=label,
            )
        cleaned.append(
            {
                "id": criterion_id,
                "name": name,
                "description": text_field(
                    problems,
                    path,
                    criterion,
                    "description",
                    sub(label, _("description")),
                    max_length=MAX_DESCRIPTION,
                ),
                "competency": problems.check(
                    f"{path}.competency",
                    clean_competency,
                    criterion.get("competency"),
                    label,
                    field=f"{path}.competency",
                ),
                "levels": levels,
                "required_level": required,
            }
        )
    problems.raise_any()
    return {"criteria": cleaned}


def _clean_levels(levels, label, path):
    if not isinstance(levels, list) or len(levels) < limits().levels_min:
        raise InvalidInput(
            _("{label} needs at least {limit} levels."), label=label, limit=limits().levels_min
        )
    if len(levels) > limits().levels_max:
        raise InvalidInput(
            _("{label} has too many levels: at most {limit}."),
            label=label,
            limit=limits().levels_max,
        )
    problems = Problems()
    cleaned, seen_ids, previous_points = [], set(), None
    for number, level in enumerate(levels, start=1):
        level_path = f"{path}.levels.{number - 1}"
        level_label = Text(_("{label} › level {number}"), label=label, number=number)
        if not isinstance(level, dict):
            problems.add(level_path, _("{label} must be an object."), label=level_label)
            continue
        name = text_field(
            problems, level_path, level, "name", sub(level_label, _("name")), required=True
        )
        if name:
            level_label = Text(
                _("{label} › level {number} ({name})"), label=label, number=number, name=name
            )
        level_id = problems.check(
            level_path, unique_identifier, level.get("id"), f"level-{number}", level_label, seen_ids
        )
        points = problems.check(
            f"{level_path}.points", clean_points, level.get("points"), level_label
        )
        if points is not None and previous_points is not None and points < previous_points:
            problems.add(
                f"{level_path}.points",
                _("{label}: levels go from lowest to highest, so points may not go down."),
                label=level_label,
            )
        if points is not None:
            previous_points = points
        cleaned.append(
            {
                "id": level_id,
                "name": name,
                "description": text_field(
                    problems,
                    level_path,
                    level,
                    "description",
                    sub(level_label, _("description")),
                    max_length=MAX_DESCRIPTION,
                ),
                "points": points,
            }
        )
    problems.raise_any()
    return cleaned


def max_points(rubric):
    """The points a perfect judgement earns: the top level of every criterion."""
    if not rubric:
        return 0
    return sum(criterion["levels"][-1]["points"] for criterion in rubric["criteria"])


def judge(rubric, chosen_levels):
    """Turn ``{criterion_id: level_id}`` into ``criterion_levels`` for ``record_assessment_result``.

    Every criterion needs a level; unknown ids are rejected so a stale form cannot record a
    judgement against a rubric that no longer matches.
    """
    if not isinstance(chosen_levels, dict):
        raise InvalidInput(_("Choose a level for every criterion."))
    known = {criterion["id"] for criterion in rubric["criteria"]}
    unknown = sorted(set(chosen_levels) - known)
    if unknown:
        raise InvalidInput(
            _("This rubric has no criterion {id}; reload the page."), id=", ".join(unknown)
        )
    judged = []
    for criterion in rubric["criteria"]:
        level_id = chosen_levels.get(criterion["id"])
        level_ids = [level["id"] for level in criterion["levels"]]
        if level_id not in level_ids:
            raise InvalidInput(_("Choose a level for “{criterion}”."), criterion=criterion["name"])
        level = criterion["levels"][level_ids.index(level_id)]
        judged.append(
            {
                "criterion_id": criterion["id"],
                "criterion": criterion["name"],
                "level_id": level["id"],
                "level": level["name"],
                "points": level["points"],
                "required_level_id": criterion["required_level"],
                "met": level_ids.index(level_id) >= level_ids.index(criterion["required_level"]),
            }
        )
    return judged


def earned_points(criterion_levels):
    return sum(item["points"] for item in criterion_levels)


def required_level_name(criterion):
    """The name of the level a learner must reach, for the learner's view."""
    for level in criterion["levels"]:
        if level["id"] == criterion["required_level"]:
            return level["name"]
    return ""
