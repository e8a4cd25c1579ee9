"""The pass rule that combines the project rubric, the reflection rubric and the scenarios.

``{"all_criteria_met": bool, "min_rubric_percent": 0-100, "min_scenario_percent": 0-100}``:
every rubric criterion at its required level (when asked), at least that share of the rubric
points, and at least that share of the scenario points. The block decides ``passed`` with it;
``credplugin.api`` receives the part it can check on the stored result (``all_criteria_met``).
"""

from .errors import InvalidInput, _

DEFAULT_PASS_RULE = {"all_criteria_met": True, "min_rubric_percent": 0, "min_scenario_percent": 80}


def clean_pass_rule(value):
    if not isinstance(value, dict):
        raise InvalidInput(_("The pass rule must be an object."))
    unknown = sorted(set(value) - set(DEFAULT_PASS_RULE))
    if unknown:
        raise InvalidInput(
            _("The pass rule has unknown settings: {names}."), names=", ".join(unknown)
        )
    cleaned = dict(DEFAULT_PASS_RULE)
    if "all_criteria_met" in value:
        if not isinstance(value["all_criteria_met"], bool):
            raise InvalidInput(_("“Every criterion at its required level” must be yes or no."))
        cleaned["all_criteria_met"] = value["all_criteria_met"]
    for key, label in (
        ("min_rubric_percent", _("Minimum share of rubric points")),
        ("min_scenario_percent", _("Minimum share of scenario points")),
    ):
        if key in value:
            number = value[key]
            if isinstance(number, bool) or not isinstance(number, (int, float)):
                raise InvalidInput(_("{label} must be a number."), label=label)
            if not 0 <= number <= 100:
                raise InvalidInput(_("{label} must be between 0 and 100 %."), label=label)
            cleaned[key] = number
    return cleaned


def passes(pass_rule, *, criterion_levels, rubric_earned, rubric_possible, scenario_percent):
    """Whether a judgement passes; ``scenario_percent`` is None when there are no scenarios."""
    if pass_rule["all_criteria_met"] and not all(item["met"] for item in criterion_levels):
        return False
    if (
        rubric_possible
        and 100.0 * rubric_earned / rubric_possible < pass_rule["min_rubric_percent"]
    ):
        return False
    return scenario_percent is None or scenario_percent >= pass_rule["min_scenario_percent"]


def describe(pass_rule, gettext, *, has_rubric, has_scenarios, has_self_assessment=False):
    """Sentences that tell the learner, before they start, everything passing takes.

    What must be handed in comes first (every scenario answered, the self-assessment), as a
    submission missing either is refused; then what the mentor's judgement must reach.
    """
    lines = []
    if has_scenarios:
        lines.append(gettext("Answer every scenario judgment (required to submit)."))
    if has_self_assessment:
        lines.append(gettext("Complete the self-assessment (required to submit)."))
    if has_rubric and pass_rule["all_criteria_met"]:
        lines.append(gettext("Every rubric criterion reaches its required level."))
    if has_rubric and pass_rule["min_rubric_percent"]:
        lines.append(
            gettext("At least {percent} % of the rubric points.").format(
                percent=pass_rule["min_rubric_percent"]
            )
        )
    if has_scenarios and pass_rule["min_scenario_percent"]:
        lines.append(
            gettext("At least {percent} % of the scenario points.").format(
                percent=pass_rule["min_scenario_percent"]
            )
        )
    return lines
