"""Sample content of the assessment block: the SDK workbench's scenarios, ``make demo`` and the
tests author blocks with these values."""

import copy
import json
from xml.sax.saxutils import quoteattr

from .views import load_template_data

_LEVELS = [
    ("beginning", "Beginning", 0),
    ("developing", "Developing", 1),
    ("proficient", "Proficient", 2),
    ("advanced", "Advanced", 3),
]


def _criterion(criterion_id, name, description, competency):
    return {
        "id": criterion_id,
        "name": name,
        "description": description,
        "competency": competency,
        "levels": [
            {"id": level_id, "name": level_name, "description": "", "points": points}
            for level_id, level_name, points in _LEVELS
        ],
        "required_level": "proficient",
    }


PROJECT_VALUES = {
    "display_name": "Capstone: build and evaluate a text classifier",
    "weight": None,
    "project_enabled": True,
    "ethics_enabled": False,
    "self_assessment_enabled": True,
    "prompt": (
        "<p>Train a classifier on the <strong>provided support-ticket data</strong>, evaluate it "
        "on the held-out set, and explain your choices. Hand in your notebook or report and a "
        "link to your repository.</p>"
    ),
    "brief": "<p>Your client routes 20,000 tickets a month and wants fewer misrouted ones.</p>",
    "text_enabled": True,
    "text_min_words": 20,
    "text_max_words": 2000,
    "max_links": 3,
    "allowed_file_types": ["pdf", "png", "ipynb", "txt", "md"],
    "max_file_size_mb": 5,
    "max_files": 3,
    "rubric": {
        "criteria": [
            _criterion(
                "data-preparation",
                "Data preparation",
                "Cleans, splits and documents the data without leakage.",
                {
                    "name": "Prepare data for machine learning",
                    "framework": "credplugin demo skills framework",
                    "code": "ML-DATA-1",
                    "url": "https://example.org/skills/ML-DATA-1",
                },
            ),
            _criterion(
                "evaluation",
                "Model evaluation",
                "Chooses metrics that fit the problem and reports them honestly.",
                {
                    "name": "Evaluate machine-learning models",
                    "framework": "credplugin demo skills framework",
                    "code": "ML-EVAL-2",
                    "url": "https://example.org/skills/ML-EVAL-2",
                },
            ),
        ]
    },
    "pass_rule": {"all_criteria_met": True, "min_rubric_percent": 50, "min_scenario_percent": 80},
    "badge": {
        "slug": "applied-ml-practitioner",
        "name": "Applied ML Practitioner",
        "description": "Builds and honestly evaluates a machine-learning model on real data.",
        "image_url": "",
        "achievement_type": "MicroCredential",
        "hours": 12,
        "validity_months": 36,
        "criteria_narrative": (
            "A project judged by a mentor at the Proficient level or above on data "
            "preparation and model evaluation."
        ),
        "alignments": [],
    },
}


def ethics_values(slug="applied-ml-practitioner"):
    """The hiring-bias template as the ethics part of the same badge as the project."""
    values = load_template_data("ethics_hiring_bias_template.json")
    values["badge"] = copy.deepcopy(PROJECT_VALUES["badge"])
    values["badge"]["slug"] = slug
    return values


def _scenario_xml(values):
    attributes = []
    for name, value in values.items():
        if value is None:
            continue
        text = value if isinstance(value, str) else json.dumps(value)
        attributes.append(f"{name}={quoteattr(text)}")
    return f"<credplugin_assessment {' '.join(attributes)}/>"


def workbench_scenarios():
    """Scenarios for the SDK workbench; open them as ``?student=learner_1`` or ``staff_1``."""
    return [
        ("credplugin assessment: project judged against a rubric", _scenario_xml(PROJECT_VALUES)),
        ("credplugin assessment: ethics case study (hiring bias)", _scenario_xml(ethics_values())),
        (
            "credplugin assessment: empty block for authoring",
            '<credplugin_assessment display_name="New assessment"/>',
        ),
    ]
