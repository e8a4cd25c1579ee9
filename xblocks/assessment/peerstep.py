"""The peer step's settings and the method a result was formed by, free of the runtime.

:func:`clean_peer` checks the Studio form's peer fields (every problem under its field name,
like the rest of :mod:`.authoring`); :func:`judgement` says how a mentor's grade relates to the
peers' median, for the credential's method narrative.
"""

import re

from .errors import InvalidInput, Text, _
from .numbers import whole
from .rubric import MAX_DESCRIPTION, judge

RESULT_MODES = ("peer_median", "mentor", "peer_confirmed")
FALLBACKS = ("flexible", "mentor")
MAX_REVIEWS = 10
MAX_FLEXIBLE_DAYS = 365
MAX_EXAMPLES = 5
_EXAMPLE_ID = re.compile(r"^[A-Za-z0-9_-]{1,100}$")
PEER_FIELDS = (
    "peer_enabled", "peer_must_grade", "peer_must_be_graded_by", "peer_calibration",
    "peer_flexible_days", "peer_fallback", "peer_result_mode",
)  # fmt: skip


def _choice(data, key, label, choices):
    value = data.get(key) or choices[0]  # empty (a form that never showed it): the default
    if value not in choices:
        raise InvalidInput(_("Choose one of the offered values for {label}."), label=label)
    return value


def _examples(value, rubric):
    """Staff-scored examples: ``[{id, text, levels: {criterion id: level id}}]``."""
    value = value or []
    if not isinstance(value, list) or len(value) > MAX_EXAMPLES:
        raise InvalidInput(_("Give at most {limit} calibration examples."), limit=MAX_EXAMPLES)
    cleaned, seen = [], set()
    for number, item in enumerate(value, start=1):
        label = Text(_("Calibration example {number}"), number=number)
        if not isinstance(item, dict):
            raise InvalidInput(_("{label} must be an object."), label=label)
        example_id, text = item.get("id"), item.get("text")
        if not isinstance(example_id, str) or not _EXAMPLE_ID.match(example_id):
            raise InvalidInput(_("{label} needs an id of letters, digits, - and _."), label=label)
        if example_id in seen:
            raise InvalidInput(_("{label} repeats the id {id}."), label=label, id=example_id)
        seen.add(example_id)
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_DESCRIPTION * 10:
            raise InvalidInput(_("{label} needs the example's text."), label=label)
        levels = item.get("levels")
        try:
            judge(rubric, levels)
        except InvalidInput as error:
            raise InvalidInput(
                _("{label} needs the staff's level for every criterion of the rubric."),
                label=label,
            ) from error
        cleaned.append({"id": example_id, "text": text.strip(), "levels": dict(levels)})
    return cleaned


def clean_peer(data, problems, rubric):
    """The peer fields of the Studio form; problems are added under their field names."""
    enabled = data.get("peer_enabled", False)
    if not isinstance(enabled, bool):
        problems.add("peer_enabled", _("Peer review must be yes or no."))
        enabled = False
    fields = {
        "peer_enabled": enabled,
        "peer_must_grade": problems.check(
            "peer_must_grade", whole, data, "peer_must_grade", _("Reviews each learner gives"),
            minimum=1, maximum=MAX_REVIEWS, fallback=3,
        ),
        "peer_must_be_graded_by": problems.check(
            "peer_must_be_graded_by", whole, data, "peer_must_be_graded_by",
            _("Reviews each submission needs"), minimum=1, maximum=MAX_REVIEWS, fallback=3,
        ),
        "peer_flexible_days": problems.check(
            "peer_flexible_days", whole, data, "peer_flexible_days",
            _("Days before a waiting submission is unblocked"), minimum=0,
            maximum=MAX_FLEXIBLE_DAYS, fallback=7,
        ),
        "peer_fallback": problems.check(
            "peer_fallback", _choice, data, "peer_fallback", _("When reviews are missing"),
            FALLBACKS,
        ),
        "peer_result_mode": problems.check(
            "peer_result_mode", _choice, data, "peer_result_mode", _("How the result is formed"),
            RESULT_MODES,
        ),
        "peer_calibration": problems.check(
            "peer_calibration", _examples, data.get("peer_calibration"), rubric, default=[]
        ),
    }  # fmt: skip
    if enabled and not rubric["criteria"]:
        problems.add("peer_enabled", _("Peer review needs a rubric to judge against."))
    if (
        enabled
        and fields["peer_must_grade"]
        and fields["peer_must_be_graded_by"]
        and fields["peer_must_grade"] < fields["peer_must_be_graded_by"]
    ):
        problems.add(
            "peer_must_grade",
            _(
                "Each learner must give at least as many reviews as each submission needs, "
                "or some submissions would never get theirs."
            ),
        )
    return fields


def judgement(mode, summary, criterion_levels):
    """How a mentor's grade was formed, for ``credplugin.api.record_assessment_result``.

    None without a peer step. ``peer_confirmed``: the mentor gave exactly the peers' median
    after all required reviews; otherwise the mentor decided (after the reviews given, or in
    their place).
    """
    if summary is None:
        return None
    received = summary["received"]
    chosen = {item["criterion_id"]: item["level_id"] for item in criterion_levels}
    complete = received and received >= summary["required"]
    if mode == "peer_confirmed" and complete and chosen == summary["median_levels"]:
        return {"mode": "peer_confirmed", "peer_reviews": received}
    if received:
        return {"mode": "mentor_after_peers", "peer_reviews": received}
    return {"mode": "mentor_override", "peer_reviews": 0}
