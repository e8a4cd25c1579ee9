"""Sample content and a driver that works the block through its own handlers in the workbench.

``make demo``, the workbench scenarios and the browser tests use this. :class:`WorkbenchDriver`
goes through the real XBlock runtime of the SDK workbench (``WorkbenchRuntime``): every call
builds a WebOb request and runs ``runtime.handle`` exactly as the workbench's handler view does,
so authoring, learner and staff actions take the same path as clicks in a browser::

    driver = WorkbenchDriver(WorkbenchDriver.usage_id_for("credplugin_assessment.0"))
    driver.author(PROJECT_VALUES, user="staff_author")              # studio_submit
    driver.render("learner_1")                                       # student_view
    driver.call("learner_1", "save_draft", {"text": "..."})          # learner handlers
    driver.upload("learner_1", "report.pdf", b"%PDF-1.4 ...")
    driver.call("learner_1", "submit_work", {"text": "...", "links": [...]})
    [uuid] = driver.submission_uuids("staff_mentor")                 # the review queue
    driver.grade("staff_mentor", uuid, levels, "Well argued.")       # review_open + review_submit

Workbench users whose id starts with ``staff`` are course staff (see :mod:`.identity`).
Needs Django configured with the ``workbench`` app (the standalone host in ``tests/host``).
"""

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


class WorkbenchDriver:
    """Calls one block's handlers as named workbench users, through ``WorkbenchRuntime``."""

    def __init__(self, usage_id):
        self.usage_id = usage_id

    @staticmethod
    def usage_id_for(scenario_name):
        """The usage id of a scenario such as ``credplugin_assessment.0`` (loading it if needed)."""
        from workbench.scenarios import get_scenarios  # noqa: PLC0415  (needs Django set up)

        return get_scenarios()[scenario_name].usage_id

    def block(self, user):
        from workbench.runtime import WorkbenchRuntime  # noqa: PLC0415

        return WorkbenchRuntime(user).get_block(self.usage_id)

    def request(self, user, handler, *, body=b"", content_type="application/json", query=""):
        """Run ``handler`` as ``user``; returns the WebOb response."""
        from webob import Request  # noqa: PLC0415

        block = self.block(user)
        request = Request.blank(f"/?{query}" if query else "/", method="POST" if body else "GET")
        if body:
            request.body = body
            request.content_type = content_type
        return block.runtime.handle(block, handler, request)

    def call(self, user, handler, payload=None):
        """POST a JSON payload; returns ``(status_code, decoded JSON)``."""
        response = self.request(user, handler, body=json.dumps(payload or {}).encode())
        return response.status_code, response.json

    def author(self, values, user="staff_author"):
        return self.call(user, "studio_submit", {"values": values})

    def render(self, user):
        """The learner's view, as the LMS renders it (which registers the badge requirement
        of settings nobody published, credplugin's safety net)."""
        block = self.block(user)
        return block.runtime.render(block, "student_view").content

    def upload(self, user, filename, content):
        boundary = "credplugin-demo-boundary"
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
            ).encode()
            + content
            + f"\r\n--{boundary}--\r\n".encode()
        )
        response = self.request(
            user, "upload_file", body=body, content_type=f"multipart/form-data; boundary={boundary}"
        )
        return response.status_code, response.json

    def submission_uuids(self, staff_user, status=None):
        """Submissions in the review queue, oldest first (staff only)."""
        from . import identity, review  # noqa: PLC0415

        block = self.block(staff_user)
        rows = review.queue(identity.course_key(block), identity.usage_key(block), status)
        return [row["submission_uuid"] for row in rows]

    def grade(self, staff_user, submission_uuid, levels, feedback, decision="grade"):
        self.call(staff_user, "review_open", {"submission_uuid": submission_uuid})
        return self.call(
            staff_user,
            "review_submit",
            {
                "submission_uuid": submission_uuid,
                "levels": levels,
                "feedback": feedback,
                "decision": decision,
            },
        )
