"""A learner's retirement (Open edX's user-retirement pipeline) erases their survey data.

What outcomes keep about a person, and for how long:

- survey invitations (which badge, which survey, when sent): until the learner is retired;
- survey answers (job change, promotion, pay band, use of the competencies, comment, consent):
  until the learner is retired; the learner may change them for
  ``CREDPLUGIN_SURVEY_EDIT_DAYS``;
- a survey opt-out: until the learner is retired;
- the review queue's rows of their submissions (when submitted, when decided, by whom) and
  their mentor assignments, as learner or as mentor: until they are retired (a decision they
  made as a mentor stays, without their name).

All are deleted when the LMS retires the learner (``USER_RETIRE_LMS_MISC``). When an account
is deleted outright, its judgements and badges go with it; the daily roll-ups that count them
are marked for recompute from their earliest day before they go (``rollups``). Kept snapshots
(``OutcomeSnapshot``) hold only counts, so published figures keep their counts; issued
credentials stay verifiable (they name the learner only by a salted hash).
"""

import logging

from django.conf import settings
from django.db import transaction
from django.db.models.signals import pre_delete
from django.utils.module_loading import import_string

from credplugin.models import (
    MentorAssignment,
    ReviewQueueEntry,
    SurveyInvitation,
    SurveyOptOut,
    SurveyResponse,
)
from credplugin.outcomes import rollups

log = logging.getLogger(__name__)

RETIREMENT_SIGNAL = "openedx.core.djangoapps.user_api.accounts.signals.USER_RETIRE_LMS_MISC"


def retire_learner(user_id):
    """Delete everything outcomes keep about the learner; returns how many rows went."""
    with transaction.atomic():
        deleted = SurveyResponse.objects.filter(invitation__badge__user_id=user_id).delete()[0]
        deleted += SurveyInvitation.objects.filter(badge__user_id=user_id).delete()[0]
        deleted += SurveyOptOut.objects.filter(user_id=user_id).delete()[0]
        deleted += ReviewQueueEntry.objects.filter(learner_id=user_id).delete()[0]
        ReviewQueueEntry.objects.filter(reviewer_id=user_id).update(reviewer=None)
        deleted += MentorAssignment.objects.filter(learner_id=user_id).delete()[0]
        deleted += MentorAssignment.objects.filter(mentor_id=user_id).delete()[0]
    log.info("credplugin erased %d outcome row(s) of a retired learner", deleted)
    return deleted


def user_retired(sender, user=None, **kwargs):
    """Receiver of the platform's retirement signal; ``user`` is the learner being retired."""
    if user is not None:
        retire_learner(user.id)


def learner_deleted(sender, instance, **kwargs):
    """Receiver of the user model's ``pre_delete``: the learner's judgements and badges go with
    the account, so the roll-ups counting them are marked for recompute first."""
    rollups.mark_learner_stale(instance.pk)


def connect():
    """Hear accounts being deleted, and the platform's retirement signal where the platform is
    there to send it; returns whether it is."""
    pre_delete.connect(
        learner_deleted,
        sender=settings.AUTH_USER_MODEL,
        dispatch_uid="credplugin.outcomes.learner_deleted",
    )
    try:
        signal = import_string(RETIREMENT_SIGNAL)
    except ImportError:
        return False
    signal.connect(user_retired, dispatch_uid="credplugin.outcomes.retirement")
    return True
