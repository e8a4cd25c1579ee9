"""Authoring in Studio: the editor view and the handler that checks and saves a draft.

``studio_submit`` cleans the whole form first (:func:`authoring.clean_authoring`), asks
``credplugin.api`` whether the badge could be registered, and only then writes the fields — an
author who gets an error has changed nothing. What it writes is Studio's draft: learners keep
seeing, and being judged on, the published version. Publishing registers the requirement
(credplugin hears the platform's publish event and reads :meth:`badge_requirement` from the
published block). Every submission keeps the rubric and hash it was made against.
"""

import inspect
import logging
import types

from django.utils.translation import get_language
from web_fragments.fragment import Fragment
from xblock.core import XBlock

from . import authoring
from .errors import FieldErrors, InvalidInput, NotAllowed, Problems, Text, _
from .http import error_response, json_endpoint, json_response
from .learner import UPLOAD_OVERHEAD_BYTES
from .peerstep import PEER_FIELDS
from .plugin import api as credplugin_api
from .sanitize import sanitize_html
from .views import Views, load_template_data

log = logging.getLogger(__name__)
MAX_EDITOR_BYTES = 1024 * 1024
AUTHORED_FIELDS = (
    "display_name", "weight", "project_enabled", "ethics_enabled", "self_assessment_enabled",
    "pass_rule", "badge", "prompt", "brief", "text_enabled", "text_min_words", "text_max_words",
    "max_links", "allowed_file_types", "max_file_size_mb", "max_files", "rubric",
    "case_narrative", "scenarios", "reflection_prompt", "guiding_questions", "reflection_rubric",
    "reflection_min_words", "reflection_max_words", "ethics_alignment", "renews", *PEER_FIELDS,
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

    def editor_values(self):
        """The fields as the editor shows them: rich text cleaned first, because the editor
        renders it as markup and a field may have been written without Studio (OLX import)."""
        values = self.authored_values()
        values.update({name: sanitize_html(values[name]) for name in authoring.RICH_FIELDS})
        return values

    def assessment_methods(self):
        return authoring.assessment_methods(self.authored_values())

    def studio_view(self, context=None):
        views = Views(self)
        fragment = Fragment(views.studio_html())
        fragment.add_css(views.resource("public/css/assessment.css"))
        fragment.add_javascript(views.resource("public/js/problems.js"))
        fragment.add_javascript(views.resource("public/js/editors.js"))
        fragment.add_javascript(views.resource("public/js/richtext.js"))
        fragment.add_javascript(views.resource("public/js/colours.js"))
        fragment.add_javascript(views.resource("public/js/badgeart.js"))
        fragment.add_javascript(views.resource("public/js/studio.js"))
        fragment.initialize_js("CredpluginAssessmentStudio", {"values": self.editor_values()})
        return fragment

    @json_endpoint()
    def authoring_template(self, data):
        """A ready-to-use configuration an author can start from (then edit and save)."""
        self._require_author()
        name = data.get("name")
        if name != "ethics_hiring_bias":
            raise InvalidInput(_("Unknown template."))
        return {"values": load_template_data("ethics_hiring_bias_template.json")}

    def badge_requirement(self):
        """What credplugin registers for this block's current settings, or None without a badge.

        The keyword arguments of ``credplugin.api.register_badge_requirement`` besides the
        keys, computed from the settings alone (never from anything a copy carried along).
        """
        values = self.authored_values()
        if not (values["badge"] or {}).get("slug"):
            return None
        return authoring.requirement_for_api(values)

    def badges_to_renew(self):
        """The editor's choice of a badge to renew: those of every run of this course, plus
        the one the block names if no run offers it (an imported block keeps its choice)."""
        try:
            found = list(credplugin_api().badges_to_renew(self.course_key()))
        except Exception:  # the editor must open whatever the plugin's state
            log.exception("credplugin could not list the badges %s may renew", self.usage_key())
            found = []
        if self.renews and self.renews not in {badge["slug"] for badge in found}:
            found.append({"slug": self.renews, "name": self.renews, "renewable": False})
        return found

    def renewal_assessment(self):
        """What credplugin registers when this block renews a badge (the keyword arguments of
        ``credplugin.api.register_renewal_assessment`` besides the keys), or None."""
        values = self.authored_values()
        if not values["renews"]:
            return None
        return authoring.renewal_for_api(values)

    def _check_renewal(self, renews):
        """Whether a badge of this course has the slug ``renews``, as an error on its field."""
        try:
            credplugin_api().check_renewal_assessment(course_key=self.course_key(), renews=renews)
        except credplugin_api().InvalidInput as error:
            problems = Problems()
            problems.add(
                "renews", _("This badge cannot be renewed here: {reason}"), reason=str(error)
            )
            problems.raise_any()

    def _cleaned_editor_values(self, values, check=None):
        """The editor's values cleaned as fields, and checked by credplugin with ``check``
        (``check_badge_requirement`` by default); raises ``InvalidInput``, writes nothing.
        A block that renews a badge is checked as a renewal and has no badge of its own: the
        check's answer is then ``None``."""
        cleaned = authoring.clean_authoring(values)
        if cleaned["renews"]:
            self._check_renewal(cleaned["renews"])
            return cleaned, None
        cleaned["badge"]["language"] = (get_language() or "en").split("-")[0]
        check = check or credplugin_api().check_badge_requirement
        try:
            answer = check(
                course_key=self.course_key(),
                usage_key=self.usage_key(),
                **authoring.requirement_for_api(cleaned),
            )
        except credplugin_api().InvalidInput as error:
            raise InvalidInput(
                _("The badge could not be registered: {reason}"), reason=str(error)
            ) from error
        return cleaned, answer

    @json_endpoint(max_bytes=MAX_EDITOR_BYTES)
    def studio_submit(self, data):
        self._require_author()
        cleaned, _checked = self._cleaned_editor_values(data.get("values"))
        for name, value in cleaned.items():
            setattr(self, name, value)
        return {"message": self.gettext("Saved. Learners see the changes once you publish.")}

    @json_endpoint(max_bytes=MAX_EDITOR_BYTES)
    def studio_preview(self, data):
        """The learner view and the badge as the editor's unsaved values would make them.

        Checked exactly as a save is (the same field problems), but nothing is stored: the
        values are read through :class:`UnsavedBlock`, never written to a field.
        """
        self._require_author()
        cleaned, badge = self._cleaned_editor_values(
            data.get("values"), check=credplugin_api().preview_badge
        )
        views = Views(UnsavedBlock(self, cleaned))
        return {
            "learner_html": views.learner_html(self.actor(), preview=True),
            "badge_html": views.badge_preview_html(badge) if badge else "",
        }

    @XBlock.handler
    def upload_artwork(self, request, suffix=""):
        """Store an image (multipart field ``file``) the badge shows instead of the generated
        artwork; answers its id, which the editor saves with the badge on Save. A refused
        image stores nothing and answers the reason beside the upload field."""
        try:
            self._require_author()
            limit = credplugin_api().badge_artwork_max_bytes()
            if request.method != "POST":
                raise InvalidInput(_("Send this request with POST."))
            if (request.content_length or 0) > limit + UPLOAD_OVERHEAD_BYTES:
                raise InvalidInput(_("The image is larger than {limit} MB."), limit=limit >> 20)
            upload = request.POST.get("file")
            if upload is None or not hasattr(upload, "file"):
                raise InvalidInput(_("Choose an image to upload."))
            stored = credplugin_api().store_badge_artwork(upload.file.read(limit + 1))
        except credplugin_api().InvalidInput as error:
            refused = FieldErrors([("badge.artwork", Text("{reason}", reason=str(error)))])
            return error_response(self, refused)
        except (InvalidInput, NotAllowed) as error:
            return error_response(self, error)
        return json_response({**stored, "message": self.gettext("Image uploaded.")})


class UnsavedBlock:
    """A read-only view of ``block`` in which the authored fields hold ``values``.

    The block's own methods (``current_rubric``, ``active_scenarios``…) run against these
    values; anything else (runtime, ids, services) is the block's. Assigning raises, so a
    preview can never change a field.
    """

    def __init__(self, block, values):
        object.__setattr__(self, "_block", block)
        object.__setattr__(self, "_values", values)

    def __getattr__(self, name):
        if name in self._values:
            return self._values[name]
        found = inspect.getattr_static(type(self._block), name, None)
        if inspect.isfunction(found):
            return types.MethodType(found, self)
        return getattr(self._block, name)

    def __setattr__(self, name, value):
        raise AttributeError(f"A preview changes nothing (tried to set {name}).")
