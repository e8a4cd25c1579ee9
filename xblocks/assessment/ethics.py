"""The ethics case study: scenario judgments scored automatically, and what the learner may see.

A scenario is ``{"id", "question", "kind": "single"|"multiple", "options": [{"id", "text",
"feedback", "correct"}], "explanation", "points", "max_attempts"}``. The learner's browser
receives :func:`public_scenario` only: the correct options, every option's feedback and the
explanation stay on the server until the scenario is finished (answered correctly or out of
attempts); before that an answer reveals only the feedback of the options the learner chose.
"""

from .errors import InvalidInput, Problems, Text, _, sub
from .rubric import MAX_DESCRIPTION, clean_points, text_field, unique_identifier

MAX_SCENARIOS = 20
MAX_OPTIONS = 8
MAX_ATTEMPTS = 10
KINDS = ("single", "multiple")


def clean_scenarios(value, field="scenarios"):
    """A normalised copy of the author's scenarios, or ``FieldErrors`` naming every spot."""
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        raise InvalidInput(_("Scenarios must be a list."))
    if len(value) > MAX_SCENARIOS:
        raise InvalidInput(_("Too many scenarios: at most {limit}."), limit=MAX_SCENARIOS)
    problems = Problems()
    cleaned, seen_ids = [], set()
    for number, scenario in enumerate(value, start=1):
        path = f"{field}.{number - 1}"
        label = Text(_("Scenario {number}"), number=number)
        if not isinstance(scenario, dict):
            problems.add(path, _("{label} must be an object."), label=label)
            continue
        scenario_id = problems.check(
            path, unique_identifier, scenario.get("id"), f"scenario-{number}", label, seen_ids
        )
        kind = scenario.get("kind", "single")
        if kind not in KINDS:
            problems.add(
                f"{path}.kind", _("{label}: the kind must be single or multiple."), label=label
            )
        options = problems.check(
            f"{path}.options", _clean_options, scenario.get("options"), label, path, default=[]
        )
        correct = [option for option in options if option["correct"]]
        if options and not correct:
            problems.add(
                f"{path}.options.0.correct",
                _("{label}: mark at least one option as correct."),
                label=label,
            )
        if options and kind == "single" and len(correct) > 1:
            problems.add(
                f"{path}.kind",
                _("{label}: a single-choice scenario has exactly one correct option."),
                label=label,
            )
        attempts = problems.check(
            f"{path}.max_attempts", _clean_attempts, scenario.get("max_attempts", 1), label
        )
        cleaned.append(
            {
                "id": scenario_id,
                "question": text_field(
                    problems,
                    path,
                    scenario,
                    "question",
                    sub(label, _("question")),
                    required=True,
                    max_length=MAX_DESCRIPTION,
                ),
                "kind": kind,
                "options": options,
                "explanation": text_field(
                    problems,
                    path,
                    scenario,
                    "explanation",
                    sub(label, _("explanation")),
                    max_length=MAX_DESCRIPTION,
                ),
                "points": problems.check(
                    f"{path}.points", clean_points, scenario.get("points", 1), label
                ),
                "max_attempts": attempts,
            }
        )
    problems.raise_any()
    return cleaned


def _clean_attempts(attempts, label):
    if isinstance(attempts, bool) or not isinstance(attempts, int):
        raise InvalidInput(_("{label}: attempts must be a whole number."), label=label)
    if not 1 <= attempts <= MAX_ATTEMPTS:
        raise InvalidInput(
            _("{label}: attempts must be between 1 and {limit}."), label=label, limit=MAX_ATTEMPTS
        )
    return attempts


def _clean_options(options, label, path):
    if not isinstance(options, list) or len(options) < 2:
        raise InvalidInput(_("{label} needs at least two options."), label=label)
    if len(options) > MAX_OPTIONS:
        raise InvalidInput(
            _("{label} has too many options: at most {limit}."), label=label, limit=MAX_OPTIONS
        )
    problems = Problems()
    cleaned, seen_ids = [], set()
    for number, option in enumerate(options, start=1):
        option_path = f"{path}.options.{number - 1}"
        option_label = Text(_("{label} › option {number}"), label=label, number=number)
        if not isinstance(option, dict):
            problems.add(option_path, _("{label} must be an object."), label=option_label)
            continue
        option_id = problems.check(
            option_path,
            unique_identifier,
            option.get("id"),
            f"option-{number}",
            option_label,
            seen_ids,
        )
        cleaned.append(
            {
                "id": option_id,
                "text": text_field(
                    problems,
                    option_path,
                    option,
                    "text",
                    sub(option_label, _("text")),
                    required=True,
                ),
                "feedback": text_field(
                    problems,
                    option_path,
                    option,
                    "feedback",
                    sub(option_label, _("feedback")),
                    max_length=MAX_DESCRIPTION,
                ),
                "correct": bool(option.get("correct")),
            }
        )
    problems.raise_any()
    return cleaned


def scenario_points(scenarios):
    """The points all scenarios are worth; fixed by the author, never by a learner."""
    return sum(scenario["points"] for scenario in scenarios)


def is_finished(scenario, progress):
    """A scenario is finished once answered correctly or when no attempts remain."""
    if not progress:
        return False
    return progress.get("correct", False) or progress.get("attempts", 0) >= scenario["max_attempts"]


def answer(scenario, progress, selected):
    """Score one attempt; return the learner's new progress for this scenario.

    ``selected`` is a list of option ids. Full points for exactly the correct set, none
    otherwise: a multiple-choice judgment that includes a harmful option is not right.
    """
    progress = dict(progress or {"attempts": 0, "selected": [], "correct": False, "points": 0})
    if is_finished(scenario, progress):
        raise InvalidInput(_("You have no attempts left for this scenario."))
    if not isinstance(selected, list) or not all(isinstance(item, str) for item in selected):
        raise InvalidInput(_("Choose an answer."))
    option_ids = [option["id"] for option in scenario["options"]]
    chosen = [option_id for option_id in option_ids if option_id in set(selected)]
    if len(chosen) != len(set(selected)) or not chosen:
        raise InvalidInput(_("Choose an answer."))
    if scenario["kind"] == "single" and len(chosen) != 1:
        raise InvalidInput(_("Choose exactly one answer."))
    correct_ids = {option["id"] for option in scenario["options"] if option["correct"]}
    is_correct = set(chosen) == correct_ids
    progress.update(
        attempts=progress["attempts"] + 1,
        selected=chosen,
        correct=is_correct,
        points=scenario["points"] if is_correct else 0,
    )
    return progress


def public_scenario(scenario, progress):
    """What the learner's browser may know about a scenario given their progress."""
    progress = progress or {}
    finished = is_finished(scenario, progress)
    selected = set(progress.get("selected", []))
    options = []
    for option in scenario["options"]:
        shown = {"id": option["id"], "text": option["text"], "selected": option["id"] in selected}
        if finished:
            shown.update(correct=option["correct"], feedback=option["feedback"])
        elif option["id"] in selected:
            shown["feedback"] = option["feedback"]
        options.append(shown)
    public = {
        "id": scenario["id"],
        "question": scenario["question"],
        "kind": scenario["kind"],
        "points": scenario["points"],
        "max_attempts": scenario["max_attempts"],
        "attempts": progress.get("attempts", 0),
        "answered": bool(progress.get("attempts")),
        "finished": finished,
        "options": options,
    }
    if progress.get("attempts"):
        public["correct"] = progress.get("correct", False)
        public["earned"] = progress.get("points", 0)
    if finished:
        public["explanation"] = scenario["explanation"]
    return public


def score(scenarios, progress_by_id):
    """``(earned, possible)`` over every scenario, from the learner's stored progress."""
    earned = sum((progress_by_id.get(s["id"]) or {}).get("points", 0) for s in scenarios)
    return earned, scenario_points(scenarios)


def percent(earned, possible):
    return round(100.0 * earned / possible, 1) if possible else 100.0
