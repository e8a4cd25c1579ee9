"""Staff handlers: the review queue, opening a submission, and the mentor's judgement.

Only course staff reach past the first line of each handler. A grade is written three ways in
one database transaction — the score on the learner's submission (edx-submissions ``set_score``,
which makes the LMS regrade), the result through ``credplugin.api.record_assessment_result``
(which may complete a badge), and the review event the learner's view reads — so a failure in
any of them leaves none behind.
"""

from django.db import transaction

from . import review
from .errors import InvalidInput, NotAllowed, Problems, _
from .http import json_endpoint
from .passrule import passes
from .peerviews import PeerViews
from .plugin import api as credplugin_api
from .rubric import MAX_DESCRIPTION, earned_points, judge, max_points
from .views import Views

MAX_FEEDBACK = 10_000
DECISIONS = ("grade", "revision")


class ReviewHandlersMixin:
    """The mentor's side of the block."""

    def _staff_actor(self):
        actor = self.actor()
        if not actor.is_staff:
            raise NotAllowed(_("Only course staff can review submissions."))
        return actor

    @json_endpoint()
    def review_queue(self, data):
        """Every learner's newest submission, oldest first, optionally of one status; where
        the course assigns mentors, the work of the caller's own learners comes first."""
        actor = self._staff_actor()
        status = data.get("status") or None
        if status is not None and status not in review.QUEUE_FILTERS:
            raise InvalidInput(_("Unknown status filter."))
        rows = review.queue(self.course_key(), self.usage_key(), status)
        learner_ids = {row["learner_user_id"] for row in rows if row["learner_user_id"]}
        names = credplugin_api().learner_names(learner_ids)
        mine = credplugin_api().mentored_learners(
            course_key=self.course_key(), mentor_id=actor.user_id, learner_ids=learner_ids
        )
        for row in rows:
            row["learner"] = names.get(row["learner_user_id"]) or row["student_id"]
            row["assigned_to_me"] = mine is not None and row["learner_user_id"] in mine
        if mine:
            rows.sort(
                key=lambda row: (
                    row["status"] not in review.NEEDS_REVIEW_STATUSES,
                    not row["assigned_to_me"],
                    row["submitted_at"],
                )
            )
        return {"html": Views(self).queue_html(rows, status), "count": len(rows)}

    @json_endpoint()
    def review_open(self, data):
        """Show one submission with its files and the rubric it was submitted against."""
        actor = self._staff_actor()
        found = self.submission_in_block(data.get("submission_uuid"))
        student_id = found["student_item"]["student_id"]
        event = self._latest_event(found)
        if event is None and self._is_latest(found):
            event = {
                "submission_uuid": found["uuid"],
                "status": review.IN_REVIEW,
                "reviewer": actor.username,
            }
            review.record_event(self.course_key(), self.usage_key(), student_id, event)
        status = review.status_of(found, event)
        html = Views(self).review_html(found, event, status)
        if self.peer_enabled:
            html += PeerViews(Views(self)).staff_html(found)
        return {"html": html}

    def _latest_event(self, found):
        student_id = found["student_item"]["student_id"]
        events = review.events(self.course_key(), self.usage_key(), student_id)
        return review.latest_event_for(found["uuid"], events)

    def _is_latest(self, found):
        latest = review.latest_submission(
            self.course_key(), self.usage_key(), found["student_item"]["student_id"]
        )
        return latest is not None and latest["uuid"] == found["uuid"]

    @json_endpoint()
    def review_submit(self, data):
        """Grade (final) or ask for a revision; every problem of the form is named at once.

        Course staff may grade at any time, whatever the peer step's state: that is the override.
        A grade needs a level for every criterion; a revision needs feedback and takes only
        the levels the mentor chose. An optional comment per criterion goes with its level.
        """
        actor = self._staff_actor()
        found = self.submission_in_block(data.get("submission_uuid"))
        if not self._is_latest(found):
            raise InvalidInput(_("The learner has submitted newer work; open that instead."))
        event = self._latest_event(found)
        if review.status_of(found, event) in (review.GRADED, review.REVISION_REQUESTED):
            raise InvalidInput(_("This submission has already been reviewed."))
        decision = data.get("decision")
        if decision not in DECISIONS:
            raise InvalidInput(_("Choose whether to grade the work or ask for a revision."))
        answer = found["answer"]
        problems = Problems()
        feedback = problems.check("feedback", _clean_feedback, data.get("feedback"), default="")
        if decision == "revision" and not feedback:
            problems.add("feedback", _("Tell the learner what to revise in the feedback."))
        comments = problems.check("comments", _clean_comments, data.get("comments"), default={})
        criterion_levels = _judge_all(answer["rubric"], data.get("levels"), decision, problems)
        problems.raise_any()
        for item in criterion_levels:
            if comments.get(item["criterion_id"]):
                item["comment"] = comments[item["criterion_id"]]
        new_event = {
            "submission_uuid": found["uuid"],
            "status": review.GRADED if decision == "grade" else review.REVISION_REQUESTED,
            "reviewer": actor.username,
            "criterion_levels": criterion_levels,
            "feedback": feedback,
            "rubric_hash": answer["rubric_hash"],
        }
        if decision == "grade":
            new_event.update(self._outcome(answer, criterion_levels))
        judgement = self.peer_judgement(found, criterion_levels) if decision == "grade" else None
        self.record_decision(found, new_event, actor.user_id, judgement)
        message = _("Graded.") if decision == "grade" else _("Revision requested.")
        next_rows = [
            row
            for row in review.queue(self.course_key(), self.usage_key(), review.NEEDS_REVIEW)
            if row["submission_uuid"] != found["uuid"]
        ]
        return {
            "message": self.gettext(message),
            "html": Views(self).review_html(
                found,
                new_event,
                new_event["status"],
                next_uuid=next_rows[0]["submission_uuid"] if next_rows else "",
                just_decided=True,
            ),
        }

    def record_decision(self, found, new_event, reviewer_id, judgement=None):
        """Write a decision in one transaction: the score and credplugin's result (for a grade),
        the review event the learner's view reads, the e-mail; a grade also ends peer review."""
        answer = found["answer"]
        student_id = found["student_item"]["student_id"]
        grade = new_event["status"] == review.GRADED
        with transaction.atomic():
            if grade:
                review.set_score(
                    found["uuid"],
                    new_event["points_earned"],
                    new_event["points_possible"],
                    new_event["reviewer"],
                )
                new_event["result_uuid"] = credplugin_api().record_assessment_result(
                    user_id=answer["learner_user_id"],
                    course_key=self.course_key(),
                    usage_key=self.usage_key(),
                    rubric_hash=answer["rubric_hash"],
                    criterion_levels=new_event["criterion_levels"],
                    scores=new_event["scores"],
                    points_earned=new_event["points_earned"],
                    points_possible=new_event["points_possible"],
                    passed=new_event["passed"],
                    evidence=self._evidence(answer, judgement),
                    assessment_methods=answer["assessment_methods"],
                    feedback=new_event["feedback"],
                    reviewer_id=reviewer_id,
                    judgement=judgement,
                )
            credplugin_api().peer_close(found["uuid"])
            review.record_event(self.course_key(), self.usage_key(), student_id, new_event)
            credplugin_api().review_decided(
                submission_uuid=found["uuid"], status=new_event["status"], reviewer_id=reviewer_id
            )
            credplugin_api().assessment_reviewed(
                course_key=self.course_key(),
                usage_key=self.usage_key(),
                title=self.display_name,
                learner_id=answer["learner_user_id"],
                status=new_event["status"],
                passed=new_event.get("passed"),
            )

    @staticmethod
    def _outcome(answer, criterion_levels):
        """Points and the pass decision, from the rubric and pass rule the learner submitted to."""
        rubric_earned = earned_points(criterion_levels)
        rubric_possible = max_points(answer["rubric"])
        scenarios = answer.get("scenarios")
        scores = {"rubric_points": rubric_earned, "rubric_points_possible": rubric_possible}
        scenario_percent = None
        if scenarios:
            scenario_percent = scenarios["percent"]
            scores.update(
                ethics_scenarios_points=scenarios["earned"],
                ethics_scenarios_points_possible=scenarios["possible"],
                ethics_scenarios_percent=scenario_percent,
            )
        return {
            "points_earned": rubric_earned + (scenarios["earned"] if scenarios else 0),
            "points_possible": rubric_possible + (scenarios["possible"] if scenarios else 0),
            "scores": scores,
            "passed": passes(
                answer["pass_rule"],
                criterion_levels=criterion_levels,
                rubric_earned=rubric_earned,
                rubric_possible=rubric_possible,
                scenario_percent=scenario_percent,
            ),
        }

    @staticmethod
    def _evidence(answer, judgement):
        """Evidence entries for the credential; private files are named, never linked."""
        entries = []
        if answer.get("text") or answer.get("links") or answer.get("files"):
            names = ", ".join(item["name"] for item in answer.get("files", []))
            judged_by = "peers" if (judgement or {}).get("mode") == "peer_median" else "a mentor"
            description = f"Applied project judged by {judged_by} against the rubric."
            if names:
                description += f" Files: {names}."
            entries.append(
                {
                    "name": "Project submission",
                    "description": description,
                    "url": (answer.get("links") or [""])[0],
                    "genre": "Project",
                }
            )
        scenarios = answer.get("scenarios")
        if scenarios is not None:
            entries.append(
                {
                    "name": "Ethical-impact assessment",
                    "description": (
                        f"Case-study scenario judgments scored {scenarios['percent']} % "
                        "and an ethical-impact reflection (stakeholders, harms, unfair effects, "
                        "mitigations, monitoring) judged by a mentor against a rubric."
                    ),
                    "url": "",
                    "genre": "Ethical-impact assessment",
                }
            )
        return entries


def _clean_feedback(value):
    feedback = value or ""
    if not isinstance(feedback, str) or len(feedback) > MAX_FEEDBACK:
        raise InvalidInput(
            _("Feedback must be text of at most {limit} characters."), limit=MAX_FEEDBACK
        )
    return feedback.strip()


def _clean_comments(value):
    """``{criterion_id: comment}``, each comment optional text."""
    comments = value or {}
    if not isinstance(comments, dict) or not all(
        isinstance(text, str) and len(text) <= MAX_DESCRIPTION for text in comments.values()
    ):
        raise InvalidInput(
            _("A comment on a criterion must be text of at most {limit} characters."),
            limit=MAX_DESCRIPTION,
        )
    return {key: text.strip() for key, text in comments.items() if text.strip()}


def _judge_all(rubric, levels, decision, problems):
    """The chosen levels judged against ``rubric``; a grade names every criterion left open."""
    if levels is None:
        levels = {}
    if not isinstance(levels, dict):
        problems.add("levels", _("Choose a level for every criterion."))
        return []
    chosen = {key: value for key, value in levels.items() if value}
    criteria = rubric["criteria"]
    if decision == "grade":
        for criterion in criteria:
            if criterion["id"] not in chosen:
                problems.add(
                    f"criterion.{criterion['id']}",
                    _("Choose a level for “{criterion}”."),
                    criterion=criterion["name"],
                )
    judged = problems.check(
        "levels",
        judge,
        {"criteria": [criterion for criterion in criteria if criterion["id"] in chosen]},
        chosen,
        default=[],
    )
    return judged if decision == "revision" or len(judged) == len(criteria) else []
