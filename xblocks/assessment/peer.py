"""The peer step: calibration, reviewing peers' work, the feedback received, and staff's tools.

Storage and the rules (leases, fair hand-out, median, calibration distance, unblocking) live
in credplugin, reached through ``credplugin.api``'s ``peer_*`` functions; this mixin checks
every posted value first (so bad input stores nothing), shows work without names — reviewers
never see the author, authors never see their reviewers — and, when the median forms the
result, grades the submission through the same path a mentor's grade takes.
"""

import uuid

from . import review
from .errors import InvalidInput, NotAllowed, NotFound, Problems, _
from .http import json_endpoint
from .peerstep import judgement
from .peerviews import PeerViews
from .plugin import api as credplugin_api
from .rubric import judge
from .views import Views

MAX_FEEDBACK = 10_000
MAX_REASON = 500
HELPFULNESS = (1, 2, 3, 4, 5)
PEERS = "peers"


def _uuid_text(value):
    """The posted id as text when it is a UUID, else ``NotFound`` (nothing is looked up)."""
    try:
        return str(uuid.UUID(value)) if isinstance(value, str) else None
    except ValueError:
        return None


def _levels(rubric, levels, problems):
    """``{criterion id: level id}`` with every criterion judged, else problems per criterion."""
    if not isinstance(levels, dict):
        problems.add("levels", _("Choose a level for every criterion."))
        return {}
    known = {criterion["id"]: criterion for criterion in rubric["criteria"]}
    if set(levels) - set(known):
        problems.add("levels", _("This rubric has changed; reload the page."))
        return {}
    for criterion_id, criterion in known.items():
        if levels.get(criterion_id) not in [level["id"] for level in criterion["levels"]]:
            problems.add(
                f"criterion.{criterion_id}",
                _("Choose a level for “{criterion}”."),
                criterion=criterion["name"],
            )
    return dict(levels)


def _feedback(value):
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_FEEDBACK:
        raise InvalidInput(
            _("Write feedback for the learner: at most {limit} characters."), limit=MAX_FEEDBACK
        )
    return value.strip()


class PeerHandlersMixin:
    """The learner's peer step and the staff's peer tools."""

    def _peer_actor(self):
        if not self.peer_enabled:
            raise NotFound(_("This assessment has no peer review."))
        actor = self.actor()
        if not actor.student_id or actor.user_id is None:
            raise NotAllowed(_("Sign in to review your peers' work."))
        return actor

    def _own_submission(self, actor):
        submission = review.latest_submission(self.course_key(), self.usage_key(), actor.student_id)
        if submission is None:
            raise InvalidInput(_("Submit your own work before you review your peers'."))
        return submission

    def pending_calibration(self, actor):
        """The calibration examples this learner has not yet judged close enough."""
        if not self.peer_calibration:
            return []
        done = credplugin_api().peer_calibrated_examples(
            usage_key=self.usage_key(), user_id=actor.user_id
        )
        return [example for example in self.peer_calibration if example["id"] not in done]

    def peer_unblock(self):
        credplugin_api().peer_unblock_due(
            usage_key=self.usage_key(),
            after_days=self.peer_flexible_days,
            fallback=self.peer_fallback,
        )

    def settle_peer_result(self, submission_uuid):
        """Grade a submission by its peers' median once they are done (median mode only).

        Held under the learner's student-item lock, so two reviewers finishing at once grade
        it once; work already decided, or superseded by newer work, is left alone.
        """
        if self.peer_result_mode != "peer_median":
            return
        summary = credplugin_api().peer_summary(submission_uuid)
        if not summary or summary["state"] != "peers_done" or not summary["median_levels"]:
            return
        found = self.submission_in_block(submission_uuid)
        student_id = found["student_item"]["student_id"]
        with review.locked(self.course_key(), self.usage_key(), student_id):
            if not self._is_latest(found) or review.status_of(found, self._latest_event(found)) in (
                review.GRADED,
                review.REVISION_REQUESTED,
            ):
                return
            answer = found["answer"]
            criterion_levels = judge(answer["rubric"], summary["median_levels"])
            new_event = {
                "submission_uuid": found["uuid"],
                "status": review.GRADED,
                "reviewer": PEERS,
                "criterion_levels": criterion_levels,
                "feedback": "",
                "rubric_hash": answer["rubric_hash"],
                **self._outcome(answer, criterion_levels),
            }
            self.record_decision(
                found,
                new_event,
                None,
                {"mode": "peer_median", "peer_reviews": summary["received"]},
            )

    def peer_judgement(self, found, criterion_levels):
        """How a mentor's grade of ``found`` relates to its peer reviews (None without any)."""
        summary = credplugin_api().peer_summary(found["uuid"])
        return judgement(self.peer_result_mode, summary, criterion_levels)

    def _peer_answer(self, actor, message):
        return {
            "html": PeerViews(Views(self)).learner_html(actor),
            "message": self.gettext(message),
        }

    @json_endpoint()
    def peer_state(self, data):
        """The peer step as it stands: calibration, the work to review, feedback received."""
        return self._peer_answer(self._peer_actor(), _("Up to date."))

    @json_endpoint()
    def peer_calibrate(self, data):
        """Judge one staff-scored example; close enough to the staff's levels passes it."""
        actor = self._peer_actor()
        self._own_submission(actor)
        example_id = data.get("example_id")
        example = next((item for item in self.peer_calibration if item["id"] == example_id), None)
        if example is None:
            raise NotFound(_("That calibration example does not exist."))
        rubric = self.current_rubric()
        problems = Problems()
        levels = _levels(rubric, data.get("levels"), problems)
        problems.raise_any()
        close = credplugin_api().peer_calibrate(
            usage_key=self.usage_key(),
            user_id=actor.user_id,
            example_id=example_id,
            rubric=rubric,
            staff_levels=example["levels"],
            learner_levels=levels,
        )
        if close:
            return self._peer_answer(actor, _("Close enough to the staff's judgement. Well done."))
        return self._peer_answer(
            actor, _("Not close enough to the staff's judgement yet: read the example again.")
        )

    @json_endpoint()
    def peer_review(self, data):
        """Save the learner's review of the submission they hold."""
        actor = self._peer_actor()
        self._own_submission(actor)
        held = credplugin_api().peer_held(usage_key=self.usage_key(), reviewer_id=actor.user_id)
        review_uuid = _uuid_text(data.get("review_uuid"))
        if held is None or review_uuid != held["review_uuid"]:
            raise NotFound(_("You do not hold that review any more; reload the page."))
        found = self.submission_in_block(held["submission_uuid"])
        problems = Problems()
        levels = _levels(found["answer"]["rubric"], data.get("levels"), problems)
        feedback = problems.check("feedback", _feedback, data.get("feedback"), default="")
        problems.raise_any()
        try:
            saved = credplugin_api().peer_save_review(
                review_uuid=review_uuid, reviewer_id=actor.user_id, levels=levels, feedback=feedback
            )
        except (credplugin_api().InvalidInput, credplugin_api().NotFound) as error:
            raise InvalidInput(_("Your review could not be saved; reload the page.")) from error
        self.settle_peer_result(saved["submission_uuid"])
        return self._peer_answer(actor, _("Review saved. Thank you."))

    @json_endpoint()
    def peer_rate(self, data):
        """The author rates how helpful one review of their work was (1–5)."""
        actor = self._peer_actor()
        review_uuid = _uuid_text(data.get("review_uuid"))
        if review_uuid is None:
            raise NotFound(_("That review of your work does not exist."))
        helpfulness = data.get("helpfulness")
        if isinstance(helpfulness, str) and helpfulness.isdigit():
            helpfulness = int(helpfulness)
        if isinstance(helpfulness, bool) or helpfulness not in HELPFULNESS:
            raise InvalidInput(_("Rate the feedback from 1 (not helpful) to 5 (very helpful)."))
        try:
            credplugin_api().peer_rate_review(
                review_uuid=review_uuid, author_id=actor.user_id, helpfulness=helpfulness
            )
        except credplugin_api().NotFound as error:
            raise NotFound(_("That review of your work does not exist.")) from error
        return self._peer_answer(actor, _("Thank you for rating the feedback."))

    # --- staff ---------------------------------------------------------------------------------

    @json_endpoint()
    def peer_reviews(self, data):
        """Staff: the peer reviews of one submission, with their reviewers' names."""
        self._staff_actor()
        if not self.peer_enabled:
            raise NotFound(_("This assessment has no peer review."))
        found = self.submission_in_block(data.get("submission_uuid"))
        return {"html": PeerViews(Views(self)).staff_html(found)}

    @json_endpoint()
    def peer_exclude(self, data):
        """Staff: exclude the writer of an empty or abusive review; their reviews stop counting."""
        actor = self._staff_actor()
        reason = data.get("reason")
        if not isinstance(reason, str) or not reason.strip() or len(reason) > MAX_REASON:
            raise InvalidInput(
                _("Say why the reviewer is excluded, in at most {limit} characters."),
                limit=MAX_REASON,
            )
        reviewers = credplugin_api().peer_reviewers(
            course_key=self.course_key(), usage_key=self.usage_key()
        )
        reviewer_id = reviewers.get(_uuid_text(data.get("review_uuid")) or "")
        if reviewer_id is None:
            raise NotFound(_("That review does not exist."))
        credplugin_api().peer_exclude_reviewer(
            course_key=self.course_key(),
            reviewer_id=reviewer_id,
            reason=reason.strip(),
            excluded_by=actor.user_id,
        )
        return {
            "message": self.gettext(_("The reviewer is excluded; their reviews no longer count."))
        }
