"""The peer step's fragments: the learner's region and the staff's panel on a submission.

Kept apart from :mod:`.views` (which the rest of the block shares); it renders with the same
engine and the block's i18n service. Names appear only in the staff's panel.
"""

from django.utils.text import slugify

from . import review
from .errors import _
from .plugin import api as credplugin_api

HELPFULNESS_LABELS = (
    (1, _("1 — not helpful")),
    (2, _("2")),
    (3, _("3 — somewhat helpful")),
    (4, _("4")),
    (5, _("5 — very helpful")),
)
STATE_TEXTS = {
    "peer": _("Your work is waiting for peer reviews."),
    "peers_done": _("Your peers have reviewed your work."),
    "mentor": _("Your work has gone to a mentor to judge."),
    "closed": _("Your work has been judged."),
}


def level_rows(rubric, levels):
    """``[{criterion, level}]`` names for ``{criterion id: level id}``, in rubric order."""
    rows = []
    for criterion in rubric["criteria"]:
        for level in criterion["levels"]:
            if level["id"] == levels.get(criterion["id"]):
                rows.append({"criterion": criterion["name"], "level": level["name"]})
    return rows


class PeerViews:
    """Renders the peer fragments of one block through its shared :class:`.views.Views`."""

    def __init__(self, views):
        self.views = views
        self.block = views.block

    def _levels(self, rubric, form_id):
        return self.views.render("peer_levels.html", {"rubric": rubric, "form_id": form_id})

    def learner_html(self, actor):
        block = self.block
        api = credplugin_api()
        gettext = block.gettext
        submission = review.latest_submission(
            block.course_key(), block.usage_key(), actor.student_id
        )
        context = {
            "slug": slugify(str(block.scope_ids.usage_id)),
            "submitted": submission is not None,
            "must_grade": block.peer_must_grade,
            "given": 0,
            "helpfulness_choices": [(value, gettext(label)) for value, label in HELPFULNESS_LABELS],
        }
        if submission is None:
            return self.views.render("peer.html", context)
        block.peer_unblock()
        block.settle_peer_result(submission["uuid"])
        context["email_peer_reminders"] = api.notification_preferences(actor.user_id)[
            "email_peer_reminders"
        ]
        context["given"] = api.peer_reviews_given(
            usage_key=block.usage_key(), reviewer_id=actor.user_id
        )
        pending = block.pending_calibration(actor)
        if pending:
            context["example"] = pending[0]
            context["example_levels"] = self._levels(block.current_rubric(), pending[0]["id"])
        elif context["given"] < block.peer_must_grade:
            self._lease(actor, context)
        summary = api.peer_summary(submission["uuid"])
        rubric = submission["answer"]["rubric"]
        context["state_text"] = gettext(STATE_TEXTS[summary["state"]]) if summary else ""
        context["received"] = [
            {**item, "rows": level_rows(rubric, item["levels"])}
            for item in (summary or {}).get("reviews", [])
        ]
        return self.views.render("peer.html", context)

    def _lease(self, actor, context):
        block = self.block
        api = credplugin_api()
        try:
            lease = api.peer_next(
                course_key=block.course_key(),
                usage_key=block.usage_key(),
                reviewer_id=actor.user_id,
            )
        except api.InvalidInput:
            context["excluded"] = True
            return
        if lease is None:
            return
        found = review.get_submission(lease["submission_uuid"])
        context["lease"] = {**lease, "answer": found["answer"]}
        context["lease_levels"] = self._levels(found["answer"]["rubric"], lease["review_uuid"])

    def staff_html(self, found):
        block = self.block
        api = credplugin_api()
        summary = api.peer_summary(found["uuid"])
        rubric = found["answer"]["rubric"]
        context = {"submission_uuid": found["uuid"], "summary": summary}
        if summary:
            reviewers = api.peer_reviewers(
                course_key=block.course_key(), usage_key=block.usage_key()
            )
            # Only this submission's reviewers are named, not everyone who reviewed in the block.
            shown = {reviewers.get(item["review_uuid"]) for item in summary["reviews"]}
            names = api.learner_names(shown - {None})
            context.update(
                state_text=block.gettext(STATE_TEXTS[summary["state"]]),
                median=level_rows(rubric, summary["median_levels"]),
                reviews=[
                    {
                        **item,
                        "rows": level_rows(rubric, item["levels"]),
                        "reviewer": names.get(reviewers.get(item["review_uuid"]))
                        or str(reviewers.get(item["review_uuid"])),
                    }
                    for item in summary["reviews"]
                ],
            )
        return self.views.render("peer_staff.html", context)
