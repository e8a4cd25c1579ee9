"""HTML fragments: contexts built here, markup in ``templates/html``, everything autoescaped.

Author rich text reaches a template only through :func:`.sanitize.rich_text`, cleaned at every
render (whatever wrote the field); templates mark nothing safe themselves. Handlers answer
with re-rendered regions, so the browser never builds markup from learner or author strings.
"""

import base64
import functools
import json
from importlib import resources

from django.template import Context, Engine, Template
from django.template.backends.django import get_installed_libraries
from django.utils.text import slugify
from xblock.utils.resources import ResourceLoader

from . import authoring, ethics, review
from .errors import _
from .evidence import word_count
from .passrule import describe
from .plugin import api as credplugin_api
from .rubric import limits, max_points, required_level_name
from .sanitize import rich_text

loader = ResourceLoader(__name__)

COLOUR_FIELDS = (
    ("colour", _("Badge colour"), _("Pick the badge colour")),
    ("accent_colour", _("Accent colour"), _("Pick the accent colour")),
)
FILTER_LABELS = {review.NEEDS_REVIEW: _("Needs review")}
STATUS_LABELS = {
    review.DRAFT: _("Draft"),
    review.SUBMITTED: _("Submitted"),
    review.IN_REVIEW: _("In review"),
    review.GRADED: _("Graded"),
    review.REVISION_REQUESTED: _("Revision requested"),
}


@functools.cache
def _template(path):
    """A template compiled once per process (building its engine scans every app's tags).

    The same engine as ``ResourceLoader.render_django_template``: the installed tag libraries,
    with XBlock's ``i18n`` library translating through the ``_i18n_service`` in the context.
    """
    libraries = {**get_installed_libraries(), "i18n": "xblock.utils.templatetags.i18n"}
    return Template(loader.load_unicode(path), engine=Engine(libraries=libraries))


def load_template_data(name):
    """A JSON template shipped in ``data/`` (ready-to-use authoring content)."""
    text = resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    return json.loads(text)


def _rubric_rows(rubric, levels_by_criterion=None, self_levels=None):
    rows = []
    for criterion in (rubric or {}).get("criteria", []):
        achieved = (levels_by_criterion or {}).get(criterion["id"])
        rows.append(
            {
                "criterion": criterion,
                "required_level_name": required_level_name(criterion),
                "achieved": achieved,
                "self_level_id": (self_levels or {}).get(criterion["id"], ""),
            }
        )
    return rows


class Views:
    """Renders one block's fragments with its i18n service."""

    def __init__(self, block):
        self.block = block
        self.i18n = block.runtime.service(block, "i18n")

    def resource(self, path):
        return loader.load_unicode(path)

    def render(self, template, context):
        template = _template(f"templates/html/{template}")
        return template.render(Context({**context, "_i18n_service": self.i18n}))

    def rubric_table(self, rubric, achieved):
        """The rubric as a table (with the learner's levels once judged), escaped markup."""
        return self.render("rubric_table.html", {"rows": _rubric_rows(rubric, achieved)})

    def _handler(self, name):
        return self.block.runtime.handler_url(self.block, name)

    def student_html(self, actor):
        urls = {
            name: self._handler(name)
            for name in (
                "learner_state",
                "save_draft",
                "upload_file",
                "remove_file",
                "answer_scenario",
                "submit_work",
                "review_queue",
                "review_open",
                "review_submit",
                "email_preferences",
                "peer_state",
                "peer_calibrate",
                "peer_review",
                "peer_rate",
                "peer_exclude",
            )
        }
        return self.render(
            "student.html",
            {
                "block": self.block,
                "urls_json": json.dumps(urls),
                "learner_html": self.learner_html(actor),
                "peer_html": self.peer_html(actor),
                "is_staff": actor.is_staff,
                "queue_filters": self.queue_filters() if actor.is_staff else [],
                "email": self._email_choices(actor),
                "slug": slugify(str(self.block.scope_ids.usage_id)),
            },
        )

    def peer_html(self, actor):
        """The learner's peer step, for a signed-in learner of a block with peer review."""
        if not (self.block.peer_enabled and actor.student_id and actor.user_id is not None):
            return ""
        from .peerviews import PeerViews  # noqa: PLC0415  (it renders through this class)

        return PeerViews(self).learner_html(actor)

    def learner_html(self, actor, *, preview=False):
        """The learner's view; with ``preview`` the view of a learner who has not started
        (Studio's preview: no draft, no progress, nothing read about ``actor``)."""
        block = self.block
        if preview:
            submission, event, status = None, None, review.DRAFT
        else:
            submission, event, status = block.learner_status(actor)
        draft = {} if preview else dict(block.draft)
        editable = preview or (bool(actor.student_id) and review.can_edit(status, event))
        achieved, result = {}, None
        shown_event = (
            event
            if event and event["status"] in (review.GRADED, review.REVISION_REQUESTED)
            else None
        )
        if shown_event:
            achieved = {item["criterion_id"]: item for item in shown_event["criterion_levels"]}
            comments = [item for item in shown_event["criterion_levels"] if item.get("comment")]
            result = {**shown_event, "comments": comments}
        progress = {} if preview else block.scenario_progress(actor)
        scenarios = [
            ethics.public_scenario(s, progress.get(s["id"])) for s in block.active_scenarios()
        ]
        earned, possible = ethics.score(block.active_scenarios(), progress)
        download = self._handler("download_file")
        files = [
            {**item, "url": f"{download}{'&' if '?' in download else '?'}file={item['id']}"}
            for item in ([] if preview else block.draft_files)
        ]
        gettext = block.gettext
        badge = None
        if result and result["status"] == review.GRADED and result.get("passed"):
            badge = credplugin_api().badge_for_block(
                user_id=actor.user_id, usage_key=block.usage_key()
            )
        slug = slugify(str(block.scope_ids.usage_id))
        if preview:
            slug = f"preview-{slug}"
        return self.render(
            "learner.html",
            {
                "block": block,
                "rich": {name: rich_text(getattr(block, name)) for name in authoring.RICH_FIELDS},
                "status": status,
                "status_label": gettext(STATUS_LABELS[status]),
                "editable": editable,
                "signed_in": preview or bool(actor.student_id),
                "draft": draft,
                "links": (draft.get("links") or [])
                + [""] * max(0, block.max_links - len(draft.get("links") or [])),
                "files": files,
                "can_upload": editable and block.project_enabled and len(files) < block.max_files,
                "accept": ",".join(f".{ext}" for ext in block.allowed_file_types),
                "project_table": self.rubric_table(
                    block.rubric if block.project_enabled else {}, achieved
                ),
                "reflection_table": self.rubric_table(
                    block.reflection_rubric if block.ethics_enabled else {}, achieved
                ),
                "self_assessment_rows": _rubric_rows(
                    block.rubric, None, draft.get("self_assessment")
                )
                if block.self_assessment_enabled and block.project_enabled
                else [],
                "scenarios": scenarios,
                "scenario_earned": earned,
                "scenario_possible": possible,
                "scenario_percent": ethics.percent(earned, possible),
                "pass_rule_lines": describe(
                    block.pass_rule,
                    gettext,
                    has_rubric=bool(block.current_rubric()["criteria"]),
                    has_scenarios=bool(scenarios),
                    has_self_assessment=block.self_assessment_enabled and block.project_enabled,
                ),
                "result": result,
                "badge": badge,
                "slug": slug,
                "email": {} if preview else self._email_choices(actor),
                "text_words": word_count(draft.get("text")),
                "reflection_words": word_count(draft.get("reflection")),
                "submitted_at": submission["submitted_at"] if submission else None,
            },
        )

    @staticmethod
    def _email_choices(actor):
        if not actor.user_id:
            return {}
        return credplugin_api().notification_preferences(actor.user_id)

    def queue_html(self, rows, status):
        gettext = self.block.gettext
        for row in rows:
            row["status_label"] = gettext(STATUS_LABELS[row["status"]])
        return self.render("queue.html", {"rows": rows, "status": status or ""})

    def queue_filters(self):
        """``(value, label)`` for the queue's filter; work that needs review comes first."""
        labels = {**FILTER_LABELS, **STATUS_LABELS}
        return [(value, self.block.gettext(labels[value])) for value in review.QUEUE_FILTERS]

    def review_html(self, found, event, status, *, next_uuid="", just_decided=False):
        answer = found["answer"]
        download = self._handler("download_file")
        separator = "&" if "?" in download else "?"
        files = [
            {**item, "url": f"{download}{separator}submission={found['uuid']}&file={item['id']}"}
            for item in answer.get("files", [])
        ]
        achieved = {}
        if event and event.get("criterion_levels"):
            achieved = {item["criterion_id"]: item for item in event["criterion_levels"]}
        self_assessment = answer.get("self_assessment") or {}
        rows = _rubric_rows(answer["rubric"], achieved, self_assessment)
        for row in rows:
            levels = row["criterion"]["levels"]
            required = [level["id"] for level in levels].index(row["criterion"]["required_level"])
            row["levels"] = [
                {**level, "meets": index >= required} for index, level in enumerate(levels)
            ]
        rule = answer["pass_rule"]
        scenarios = answer.get("scenarios")
        return self.render(
            "review.html",
            {
                "submission": found,
                "answer": answer,
                "files": files,
                "status": status,
                "status_label": self.block.gettext(STATUS_LABELS[status]),
                "final": status in (review.GRADED, review.REVISION_REQUESTED),
                "event": event,
                "rows": rows,
                "self_assessment": self_assessment,
                "scenarios": scenarios,
                "rubric_possible": max_points(answer["rubric"]),
                "scenario_earned": scenarios["earned"] if scenarios else 0,
                "scenario_possible": scenarios["possible"] if scenarios else 0,
                "scenarios_pass": scenarios is None
                or scenarios["percent"] >= rule["min_scenario_percent"],
                "rule": rule,
                "next_uuid": next_uuid,
                "just_decided": just_decided,
            },
        )

    def editor_labels(self):
        """Labels the editors' script builds its fields with, translated here."""
        gettext = self.block.gettext
        return {
            "criterion": gettext("Criterion {number}"),
            "name": gettext("Name"),
            "description": gettext("Description"),
            "competency": gettext("Competency it evidences"),
            "competency_name": gettext("Competency name"),
            "framework": gettext("Framework"),
            "code": gettext("Code"),
            "url": gettext("URL"),
            "levels": gettext("Levels, lowest first"),
            "level": gettext("Level {number}"),
            "points": gettext("Points"),
            "required": gettext("Required to meet this criterion"),
            "add_level": gettext("Add level"),
            "remove_level": gettext("Remove level {number}"),
            "remove_criterion": gettext("Remove criterion {number}"),
            "scenario": gettext("Scenario {number}"),
            "question": gettext("Question"),
            "kind": gettext("Answer type"),
            "single": gettext("One correct option"),
            "multiple": gettext("Several correct options"),
            "attempts": gettext("Attempts allowed"),
            "explanation": gettext("Explanation shown after answering"),
            "option": gettext("Option {number}"),
            "option_text": gettext("Text"),
            "option_feedback": gettext("Feedback when chosen"),
            "option_correct": gettext("Correct"),
            "add_option": gettext("Add option"),
            "remove_option": gettext("Remove option {number}"),
            "remove_scenario": gettext("Remove scenario {number}"),
            "move_up_criterion": gettext("Move criterion {number} up"),
            "move_down_criterion": gettext("Move criterion {number} down"),
            "move_up_scenario": gettext("Move scenario {number} up"),
            "move_down_scenario": gettext("Move scenario {number} down"),
            "contrast": gettext(
                "Contrast of the text on the badge: {text}:1. Ring against the badge: {ring}:1."
            ),
            "contrast_low": gettext(
                "Too low: text needs 4.5:1 and the ring 3:1. Pick other colours."
            ),
            "rich_toolbar": gettext("Formatting: {field}"),
            "rich_bold": gettext("Bold"),
            "rich_italic": gettext("Italic"),
            "rich_heading": gettext("Heading"),
            "rich_subheading": gettext("Subheading"),
            "rich_paragraph": gettext("Paragraph"),
            "rich_bullets": gettext("Bulleted list"),
            "rich_numbers": gettext("Numbered list"),
            "rich_link": gettext("Link"),
            "rich_unlink": gettext("Remove link"),
            "rich_link_url": gettext("Link address"),
            "rich_link_apply": gettext("Add link"),
        }

    def badge_preview_html(self, badge):
        """The badge as its page would show it: the artwork, the name, the issuer, what it
        proves and the competencies the rubric evidences (``badge`` from the API's
        ``preview_badge``)."""
        competencies = [
            {
                "competency": criterion["competency"],
                "required_level_name": required_level_name(criterion),
            }
            for criterion in self.block.current_rubric()["criteria"]
            if criterion.get("competency")
        ]
        svg = badge["artwork_svg"].encode("utf-8")
        return self.render(
            "badge_preview.html",
            {
                "badge": badge,
                "artwork": base64.b64encode(svg).decode("ascii"),
                "competencies": competencies,
            },
        )

    def studio_html(self):
        gettext = self.block.gettext
        return self.render(
            "studio.html",
            {
                "block": self.block,
                "submit_url": self._handler("studio_submit"),
                "template_url": self._handler("authoring_template"),
                "preview_url": self._handler("studio_preview"),
                "artwork_url": self._handler("upload_artwork"),
                "accent_default": credplugin_api().artwork_defaults()["accent_colour"],
                "labels_json": json.dumps(self.editor_labels()),
                "achievement_types": limits().achievement_types,
                "colour_fields": [
                    (key, gettext(label), gettext(picker)) for key, label, picker in COLOUR_FIELDS
                ],
                "badges_to_renew": self.block.badges_to_renew(),
            },
        )
