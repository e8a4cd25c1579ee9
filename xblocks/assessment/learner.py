"""Learner handlers: draft, evidence files, scenario answers, self-assessment and submission.

Each handler checks everything first and changes fields only once all checks pass, so a 400
leaves the learner's state exactly as it was — with one exception on purpose: what the learner
typed is always kept. ``save_draft`` stores the text even when a link is not a web address (it
answers with the problem beside the field), and a refused ``submit_work`` still saves the draft
before it lists every problem at once.
"""

from webob import Response
from xblock.core import XBlock

from . import ethics, evidence, review
from .errors import FieldErrors, InvalidInput, NotAllowed, NotFound, Problems, _
from .http import error_response, json_endpoint, json_response
from .plugin import api as credplugin_api
from .rubric import judge
from .views import Views

UPLOAD_OVERHEAD_BYTES = 64 * 1024
MAX_DRAFT_BYTES = 512 * 1024


def _query(request, *names):
    """The query parameters ``names`` as text ("" when absent); bad encoding is a 400."""
    try:
        return [request.GET.get(name, "") for name in names]
    except UnicodeDecodeError as error:
        raise InvalidInput(_("The address of this request is not valid.")) from error


class LearnerHandlersMixin:
    """Handlers a learner calls on their own work; nobody can reach another learner's here."""

    def learner_status(self, actor):
        """``(submission, latest review event, status)`` for ``actor`` in this block."""
        if not actor.student_id:
            return None, None, review.DRAFT
        submission = review.latest_submission(self.course_key(), self.usage_key(), actor.student_id)
        event = None
        if submission:
            found = review.events(self.course_key(), self.usage_key(), actor.student_id)
            event = review.latest_event_for(submission["uuid"], found)
        return submission, event, review.status_of(submission, event)

    def _editable_actor(self):
        actor = self.actor()
        if not actor.student_id:
            raise NotAllowed(_("Sign in to work on this assessment."))
        _submission, event, status = self.learner_status(actor)
        if not review.can_edit(status, event):
            raise InvalidInput(
                _("Your work is submitted; you can change it again if a revision is requested.")
            )
        return actor

    def _learner_answer(self, message):
        actor = self.actor()
        return {"html": Views(self).learner_html(actor), "message": self.gettext(message)}

    @json_endpoint()
    def learner_state(self, data):
        return self._learner_answer(_("Up to date."))

    def _read_draft(self, data):
        """What the learner typed, as typed: only input no form can send is refused here."""
        draft = {
            "text": evidence.clean_text(
                data.get("text"), label=_("Answer"), min_words=0, max_words=0, required=False
            ),
            "links": evidence.read_links(data.get("links"), max_links=self.max_links),
            "reflection": evidence.clean_text(
                data.get("reflection"),
                label=_("Reflection"),
                min_words=0,
                max_words=0,
                required=False,
            ),
        }
        self_assessment = data.get("self_assessment") or {}
        if not isinstance(self_assessment, dict) or not all(
            isinstance(key, str) and isinstance(value, str) and len(key) + len(value) < 200
            for key, value in self_assessment.items()
        ):
            raise InvalidInput(_("The self-assessment must pair criteria with levels."))
        if len(self_assessment) > len(self.current_rubric()["criteria"]):
            raise InvalidInput(_("The self-assessment names more criteria than the rubric has."))
        draft["self_assessment"] = self_assessment
        return draft

    @json_endpoint(max_bytes=MAX_DRAFT_BYTES)
    def save_draft(self, data):
        """Keep what the learner typed; a link that is not a web address is named, not refused.

        Word limits and link checks block a submission, never a draft: ``errors`` lists the
        links to fix, and everything (those links included, as typed) is saved.
        """
        self._editable_actor()
        self.draft = self._read_draft(data)
        problems = Problems()
        evidence.check_links(self.draft["links"], problems)
        return {
            "message": self.gettext("Draft saved."),
            "errors": FieldErrors(problems.found).render_fields(self.gettext),
        }

    @json_endpoint()
    def email_preferences(self, data):
        """The person's own e-mail choices: reviews of their work, reminders of peer reviews
        they owe, new work to review (staff)."""
        actor = self.actor()
        if not actor.user_id:
            raise NotAllowed(_("Sign in to change your e-mail choices."))
        choices = {}
        for name in ("email_on_review", "email_on_submission", "email_peer_reminders"):
            if name in data:
                if not isinstance(data[name], bool):
                    raise InvalidInput(_("An e-mail choice must be yes or no."))
                choices[name] = data[name]
        saved = credplugin_api().set_notification_preferences(actor.user_id, **choices)
        return {**saved, "message": self.gettext("Your e-mail choice is saved.")}

    @XBlock.handler
    def upload_file(self, request, suffix=""):
        """Accept one file (multipart field ``file``), checked by type, content, size and count."""
        try:
            actor = self._editable_actor()
            if not self.project_enabled or not self.max_files:
                raise InvalidInput(_("This assessment does not take files."))
            limit = self.max_file_size_mb * 1024 * 1024
            if request.method != "POST":
                raise InvalidInput(_("Send this request with POST."))
            if (request.content_length or 0) > limit + UPLOAD_OVERHEAD_BYTES:
                raise InvalidInput(
                    _("The file is larger than {limit} MB."), limit=self.max_file_size_mb
                )
            if len(self.draft_files) >= self.max_files:
                raise InvalidInput(_("You can attach at most {limit} files."), limit=self.max_files)
            upload = request.POST.get("file")
            if upload is None or not hasattr(upload, "file"):
                raise InvalidInput(_("Choose a file to upload."))
            content = upload.file.read(limit + 1)
            extension, mime_type = evidence.check_file(
                upload.filename,
                content,
                allowed_types=self.allowed_file_types,
                max_size_mb=self.max_file_size_mb,
            )
        except (InvalidInput, NotAllowed) as error:
            return error_response(self, error)
        stored = evidence.store_file(
            upload.filename,
            content,
            extension=extension,
            mime_type=mime_type,
            folder=evidence.folder_for(self.usage_key(), actor.student_id),
        )
        self.draft_files = [*self.draft_files, stored]
        return json_response(self._learner_answer(_("File attached.")))

    @json_endpoint()
    def remove_file(self, data):
        self._editable_actor()
        file_id = data.get("file_id")
        remaining = [item for item in self.draft_files if item["id"] != file_id]
        if len(remaining) == len(self.draft_files):
            raise NotFound(_("That file is not attached."))
        removed = next(item for item in self.draft_files if item["id"] == file_id)
        if not self._file_in_submissions(removed["path"]):
            evidence.delete_file(removed["path"])
        self.draft_files = remaining
        return self._learner_answer(_("File removed."))

    def _file_in_submissions(self, path):
        actor = self.actor()
        submission = review.latest_submission(self.course_key(), self.usage_key(), actor.student_id)
        return bool(submission) and any(
            item["path"] == path for item in submission["answer"].get("files", [])
        )

    @XBlock.handler
    def download_file(self, request, suffix=""):
        """Serve a file to its learner or to course staff; everyone else gets a 403."""
        try:
            found = self._find_file(self.actor(), *_query(request, "submission", "file"))
        except (InvalidInput, NotAllowed, NotFound) as error:
            return error_response(self, error)
        response = Response(body=evidence.read_file(found["path"]), content_type=found["mime_type"])
        response.headers["Content-Disposition"] = evidence.content_disposition(found["name"])
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Cache-Control"] = "private, no-store"
        return response

    def _find_file(self, actor, submission_uuid, file_id):
        if not submission_uuid:
            files = self.draft_files if actor.student_id else []
        else:
            found = self.submission_in_block(submission_uuid)
            if not actor.is_staff and found["student_item"]["student_id"] != actor.student_id:
                raise NotAllowed(_("Only the learner and course staff may open this work."))
            files = found["answer"].get("files", [])
        for item in files:
            if item["id"] == file_id:
                return item
        raise NotFound(_("That file does not exist."))

    def submission_in_block(self, submission_uuid):
        """A submission made in THIS block, else ``NotFound`` (never another block's work)."""
        found = review.get_submission(submission_uuid)
        if (
            not found
            or found["student_item"]["item_id"] != str(self.usage_key())
            or found["student_item"]["item_type"] != review.ITEM_TYPE
        ):
            raise NotFound(_("That submission does not exist."))
        return found

    def scenario_progress(self, actor=None):
        """The learner's ``{scenario id: progress}``, read from the scenario answer log."""
        actor = actor or self.actor()
        if not actor.student_id:
            return {}
        return review.scenario_progress(self.course_key(), self.usage_key(), actor.student_id)

    @json_endpoint()
    def answer_scenario(self, data):
        """Score one attempt; the answer reveals only what the learner has earned to see."""
        actor = self._editable_actor()
        scenario = next(
            (s for s in self.active_scenarios() if s["id"] == data.get("scenario_id")), None
        )
        if scenario is None:
            raise NotFound(_("That scenario does not exist."))

        def judge_answer():
            earlier = self.scenario_progress(actor).get(scenario["id"])
            return ethics.answer(scenario, earlier, data.get("selected"))

        # Judged once before the lock, so a refused answer writes nothing (not even the lock
        # row), and again under it against what racing answers have recorded meanwhile.
        judge_answer()
        keys = (self.course_key(), self.usage_key(), actor.student_id)
        with review.locked(*keys, review.SCENARIO_ITEM_TYPE):
            progress = judge_answer()
            review.record_scenario_answer(*keys, scenario["id"], progress)
        if progress["correct"]:
            message = _("Correct.")
        elif ethics.is_finished(scenario, progress):
            message = _("Not quite. The explanation is shown below.")
        else:
            message = _("Not quite. Read the feedback and try again.")
        return {
            **self._learner_answer(message),
            "scenario": ethics.public_scenario(scenario, progress),
        }

    @json_endpoint(max_bytes=MAX_DRAFT_BYTES)
    def submit_work(self, data):
        """File the learner's work in edx-submissions for a mentor to review.

        Every problem (word counts, links, unanswered scenarios, self-assessment) is reported
        at once under its field; the draft is saved either way, so nothing typed is lost.
        """
        actor = self._editable_actor()
        draft = self._read_draft(data)
        self.draft = draft
        problems = Problems()
        answer = {"learner_user_id": actor.user_id, "files": [], "links": [], "text": ""}
        if self.project_enabled:
            answer.update(self._project_evidence(draft, problems))
        if self.ethics_enabled:
            answer.update(self._ethics_evidence(draft, problems))
        if self.self_assessment_enabled and self.project_enabled:
            answer["self_assessment"] = self._self_assessment(draft, problems)
        problems.raise_any()
        current = self.current_rubric()
        answer.update(
            rubric=current,
            rubric_hash=credplugin_api().snapshot_rubric(current),
            pass_rule=dict(self.pass_rule),
            assessment_methods=self.assessment_methods(),
        )
        keys = (self.course_key(), self.usage_key(), actor.student_id)
        with review.locked(*keys):
            self._editable_actor()
            submission = review.submit(*keys, answer)
            reported = {
                "submission_uuid": submission["uuid"],
                "course_key": self.course_key(),
                "usage_key": self.usage_key(),
                "title": self.display_name,
                "submitted_at": submission["submitted_at"],
            }
            if self.peer_enabled:
                # The plugin queues it for a mentor once one is needed (result mode, unblocking).
                credplugin_api().peer_enter(
                    **reported,
                    author_id=actor.user_id,
                    rubric=current,
                    required_reviews=self.peer_must_be_graded_by,
                    result_mode=self.peer_result_mode,
                    unblock_after_days=self.peer_flexible_days,
                    fallback=self.peer_fallback,
                    must_grade=self.peer_must_grade,
                )
            else:
                credplugin_api().review_waiting(**reported, learner_id=actor.user_id)
        credplugin_api().assessment_submitted(
            course_key=self.course_key(),
            usage_key=self.usage_key(),
            title=self.display_name,
            learner_id=actor.user_id,
        )
        self.draft = {
            "text": answer["text"],
            "links": answer["links"],
            "reflection": answer.get("reflection", ""),
            "self_assessment": answer.get("self_assessment", {}),
        }
        if self.peer_enabled:
            return self._learner_answer(_("Submitted. Now review your peers' work below."))
        return self._learner_answer(_("Submitted. A mentor will review your work."))

    def _project_evidence(self, draft, problems):
        text = ""
        if self.text_enabled:
            text = problems.check(
                "text",
                evidence.clean_text,
                draft["text"],
                label=_("Your answer"),
                min_words=self.text_min_words,
                max_words=self.text_max_words,
                required=True,
                default=draft["text"],
            )
        evidence.check_links(draft["links"], problems)
        links = [link for link in draft["links"] if link]
        if not (text.strip() or links or self.draft_files):
            problems.add("text", _("Add your work: write an answer, give a link or attach a file."))
        return {"text": text, "links": links, "files": list(self.draft_files)}

    def _ethics_evidence(self, draft, problems):
        progress = self.scenario_progress()
        for number, scenario in enumerate(self.active_scenarios(), start=1):
            if not (progress.get(scenario["id"]) or {}).get("attempts"):
                problems.add(
                    f"scenario.{scenario['id']}",
                    _("Scenario {number} is not answered yet: choose and check an answer."),
                    number=number,
                )
        reflection = problems.check(
            "reflection",
            evidence.clean_text,
            draft["reflection"],
            label=_("Your ethical-impact assessment"),
            min_words=self.reflection_min_words,
            max_words=self.reflection_max_words,
            required=True,
            default=draft["reflection"],
        )
        if not reflection.strip() and not self.reflection_min_words:
            problems.add("reflection", _("Write your ethical-impact assessment before you submit."))
        earned, possible = ethics.score(self.active_scenarios(), progress)
        return {
            "reflection": reflection,
            "scenarios": {
                "earned": earned,
                "possible": possible,
                "percent": ethics.percent(earned, possible),
                "progress": progress,
            },
        }

    def _self_assessment(self, draft, problems):
        """``{criterion_id: level_id}`` with a level for every project criterion, else problems."""
        chosen = draft["self_assessment"]
        complete = {}
        for criterion in self.rubric["criteria"]:
            level_ids = [level["id"] for level in criterion["levels"]]
            if chosen.get(criterion["id"]) in level_ids:
                complete[criterion["id"]] = chosen[criterion["id"]]
            else:
                problems.add(
                    f"self.{criterion['id']}",
                    _("Self-assessment: choose where your work stands on “{criterion}”."),
                    criterion=criterion["name"],
                )
        levels = (
            judge(self.rubric, complete) if len(complete) == len(self.rubric["criteria"]) else []
        )
        return {item["criterion_id"]: item["level_id"] for item in levels}
