"""Authoring in Studio: the editor view and the handler that checks, saves and registers.

``studio_submit`` cleans the whole form first (:func:`authoring.clean_authoring`), registers the
badge and this block's requirement through ``credplugin.api`` (Studio and the LMS share one
database), and only then writes the fields — an author who gets an error has changed nothing.
The rubric is snapshotted by content hash: once learners have submitted, an edit is a new
snapshot, and every submission keeps the rubric and hash it was made against.
"""

from django.utils.translation import get_language
from web_fragments.fragment import Fragment

from . import authoring
from .errors import InvalidInput, NotAllowed, _
from .http import json_endpoint
from .plugin import api as credplugin_api
from .views import Views, load_template_data

MAX_EDITOR_BYTES = 1024 * 1024
AUTHORED_FIELDS = (
    "display_name", "weight", "project_enabled", "ethics_enabled", "self_assessment_enabled",
    "pass_rule", "badge", "prompt", "brief", "text_enabled", "text_min_words", "text_max_words",
    "max_links", "allowed_file_types", "max_file_size_mb", "max_files", "rubric",
    "case_narrative", "scenarios", "reflection_prompt", "guiding_questions", "reflection_rubric",
    "reflection_min_words", "reflection_max_words", "ethics_alignment",
)  # fmt: skip


class StudioMixin:
    """The course author's side of the block."""

    def _require_author(self):
        """Studio says who may edit the course; the LMS and the workbench fall back to staff.

        Handlers are reachable from the LMS too, so without this a learner could re-register
        the badge or read the template's answer key.
        """
        permissions = self.runtime.service(self, "studio_user_permissions")
        can_write = getattr(permissions, "can_write", None)
        allowed = can_write(self.course_key()) if can_write else self.actor().is_staff
        if not allowed:
            raise NotAllowed(_("Only the course's authors can change this assessment."))

    def authored_values(self):
        return {name: getattr(self, name) for name in AUTHORED_FIELDS}

    def assessment_methods(self):
        return authoring.assessment_methods(self.authored_values())

    def studio_view(self, context=None):
        views = Views(self)
        fragment = Fragment(views.studio_html())
        fragment.add_css(views.resource("public/css/assessment.css"))
        fragment.add_javascript(views.resource("public/js/problems.js"))
        fragment.add_javascript(views.resource("public/js/editors.js"))
        fragment.add_javascript(views.resource("public/js/studio.js"))
        fragment.initialize_js("CredpluginAssessmentStudio", {"values": self.authored_values()})
        return fragment

    @json_endpoint()
    def authoring_template(self, data):
        """A ready-to-use configuration an author can start from (then edit and save)."""
        self._require_author()
        name = data.get("name")
        if name != "ethics_hiring_bias":
            raise InvalidInput(_("Unknown template."))
        return {"values": load_template_data("ethics_hiring_bias_template.json")}

    @json_endpoint(max_bytes=MAX_EDITOR_BYTES)
    def studio_submit(self, data):
        self._require_author()
        values = data.get("values")
        cleaned = authoring.clean_authoring(values)
        language = (get_language() or "en").split("-")[0]
        try:
            registered = credplugin_api().register_badge_requirement(
                course_key=self.course_key(),
                usage_key=self.usage_key(),
                title=cleaned["display_name"],
                badge=authoring.badge_for_api(cleaned, language),
                rubric=authoring.combined_rubric(cleaned),
                pass_rule={"all_criteria_met": cleaned["pass_rule"]["all_criteria_met"]},
                assessment_methods=authoring.assessment_methods(cleaned),
            )
        except credplugin_api().InvalidInput as error:
            raise InvalidInput(
                _("The badge could not be registered: {reason}"), reason=str(error)
            ) from error
        for name, value in cleaned.items():
            setattr(self, name, value)
        self.rubric_hash = registered.get("rubric_hash") or ""
        self.badge_uuid = registered.get("badge_uuid") or ""
        return {
            "message": self.gettext("Saved. The badge requirement is registered."),
            "rubric_hash": self.rubric_hash,
            "badge_uuid": self.badge_uuid,
        }
