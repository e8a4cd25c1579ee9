"""The ``credplugin_assessment`` XBlock: fields, views and the score the LMS reads.

Behaviour lives in mixins by audience — :mod:`.learner` (draft, evidence, scenarios, submit),
:mod:`.staff` (review queue and grading), :mod:`.studio` (authoring) — over pure modules for
rubric maths, ethics scoring, evidence checks and the review workflow.
"""

import logging

from web_fragments.fragment import Fragment
from xblock.core import XBlock
from xblock.fields import Boolean, Dict, Float, Integer, List, Scope, String

from . import ethics, evidence, identity, olx, rubric
from .learner import LearnerHandlersMixin
from .passrule import DEFAULT_PASS_RULE
from .plugin import api as credplugin_api
from .sanitize import sanitize_html
from .staff import ReviewHandlersMixin
from .studio import StudioMixin
from .views import Views

log = logging.getLogger(__name__)


def _(text):
    """Field labels are extracted for translation; the runtime translates them when shown."""
    return text


@XBlock.needs("i18n")
@XBlock.needs("user")
@XBlock.wants("studio_user_permissions")
class AssessmentBlock(StudioMixin, LearnerHandlersMixin, ReviewHandlersMixin, XBlock):
    """A project judged against a rubric by a mentor, and/or an ethics case study."""

    has_score = True
    icon_class = "problem"
    show_in_read_only_mode = True

    display_name = String(
        display_name=_("Display name"), default=_("Project assessment"), scope=Scope.settings
    )
    weight = Float(
        display_name=_("Problem weight"),
        help=_("Points this block is worth in the gradebook; empty uses the rubric points."),
        default=None,
        scope=Scope.settings,
    )
    project_enabled = Boolean(default=True, scope=Scope.settings)
    prompt = String(default="", scope=Scope.settings)
    brief = String(default="", scope=Scope.settings)
    rubric = Dict(default={}, scope=Scope.settings)
    text_enabled = Boolean(default=True, scope=Scope.settings)
    text_min_words = Integer(default=0, scope=Scope.settings)
    text_max_words = Integer(default=2000, scope=Scope.settings)
    max_links = Integer(default=3, scope=Scope.settings)
    allowed_file_types = List(default=list(evidence.DEFAULT_FILE_TYPES), scope=Scope.settings)
    max_file_size_mb = Integer(default=10, scope=Scope.settings)
    max_files = Integer(default=3, scope=Scope.settings)
    self_assessment_enabled = Boolean(default=False, scope=Scope.settings)
    pass_rule = Dict(default=dict(DEFAULT_PASS_RULE), scope=Scope.settings)
    badge = Dict(default={}, scope=Scope.settings)
    # The slug of a badge of this course (any run) this block renews instead of awarding one.
    renews = String(default="", scope=Scope.settings)

    ethics_enabled = Boolean(default=False, scope=Scope.settings)
    case_narrative = String(default="", scope=Scope.settings)
    scenarios = List(default=[], scope=Scope.settings)
    reflection_prompt = String(default="", scope=Scope.settings)
    guiding_questions = List(default=[], scope=Scope.settings)
    reflection_rubric = Dict(default={}, scope=Scope.settings)
    reflection_min_words = Integer(default=150, scope=Scope.settings)
    reflection_max_words = Integer(default=1500, scope=Scope.settings)
    ethics_alignment = Dict(default={}, scope=Scope.settings)

    draft = Dict(default={}, scope=Scope.user_state)
    draft_files = List(default=[], scope=Scope.user_state)

    # --- facts every audience needs ---------------------------------------------------------

    def gettext(self, text):
        return self.runtime.service(self, "i18n").gettext(text)

    def actor(self):
        return identity.current_actor(self)

    def course_key(self):
        return identity.course_key(self)

    def usage_key(self):
        return identity.usage_key(self)

    def current_rubric(self):
        """Project criteria then reflection criteria: what a mentor judges now."""
        criteria = []
        if self.project_enabled and self.rubric:
            criteria += self.rubric["criteria"]
        if self.ethics_enabled and self.reflection_rubric:
            criteria += self.reflection_rubric["criteria"]
        return {"criteria": criteria}

    def active_scenarios(self):
        return self.scenarios if self.ethics_enabled else []

    def max_score(self):
        """Rubric points plus scenario points; the same for every learner."""
        return rubric.max_points(self.current_rubric()) + ethics.scenario_points(
            self.active_scenarios()
        )

    # --- the content lifecycle ---------------------------------------------------------------

    def _ensure_requirement(self):
        """The LMS's safety net: the settings this learner sees are registered for the badge.

        Publishing registers them; this catches a course nobody published since the plugin
        was installed. Studio's preview (no user id, as in edx-ora2) shows a draft and is
        skipped, and a failure is logged: rendering never depends on it.
        """
        if self.scope_ids.user_id is None:
            return
        description = self.badge_requirement()
        if description is None:
            return
        try:
            credplugin_api().ensure_badge_requirement(
                course_key=self.course_key(), usage_key=self.usage_key(), **description
            )
        except Exception:  # the learner's page must render whatever the badge's state
            log.exception("credplugin could not check the requirement of %s", self.usage_key())

    @classmethod
    def parse_xml(cls, node, runtime, keys):
        """OLX import: every setting exactly as exported, or one clear validation message."""
        block = runtime.construct_xblock_from_class(cls, keys)
        for name, value in olx.parse_attributes(cls, node).items():
            setattr(block, name, value)
        return block

    # --- views -------------------------------------------------------------------------------

    def student_view(self, context=None):
        self._ensure_requirement()
        views = Views(self)
        fragment = Fragment(views.student_html(self.actor()))
        fragment.add_css(views.resource("public/css/assessment.css"))
        fragment.add_javascript(views.resource("public/js/problems.js"))
        fragment.add_javascript(views.resource("public/js/assessment.js"))
        fragment.initialize_js("CredpluginAssessmentBlock")
        return fragment

    def student_view_data(self, context=None):
        """What the mobile apps need to show the assessment; never the answer key.

        Rich text is cleaned here as on the page: the apps render it as HTML.
        """
        return {
            "display_name": self.display_name,
            "project_enabled": self.project_enabled,
            "prompt": sanitize_html(self.prompt),
            "brief": sanitize_html(self.brief),
            "rubric": self.rubric if self.project_enabled else {},
            "ethics_enabled": self.ethics_enabled,
            "case_narrative": sanitize_html(self.case_narrative) if self.ethics_enabled else "",
            "scenarios": [
                ethics.public_scenario(scenario, None) for scenario in self.active_scenarios()
            ],
            "reflection_prompt": sanitize_html(self.reflection_prompt)
            if self.ethics_enabled
            else "",
            "guiding_questions": self.guiding_questions if self.ethics_enabled else [],
            "reflection_rubric": self.reflection_rubric if self.ethics_enabled else {},
            "pass_rule": self.pass_rule,
            "max_score": self.max_score(),
        }

    @staticmethod
    def workbench_scenarios():
        from .demo import workbench_scenarios  # noqa: PLC0415  (sample content, only for the SDK)

        return workbench_scenarios()
