"""What peers said about one submission, a reviewer's progress, and calibration.

Names never leave this module: a review is shown to its author by its uuid, a submission to its
reviewer by its uuid, so neither side learns who the other is.
"""

from django.db.models import F
from django.utils import timezone

from credplugin.exceptions import InvalidInput, NotFound

from . import rules
from .models import CalibrationAttempt, PeerReview, PeerSubmission

HELPFULNESS = range(1, 6)


def counted_reviews(submission):
    """The submission's completed reviews that count (reviewer not excluded), oldest first."""
    return list(
        submission.reviews.filter(completed__isnull=False, excluded=False).order_by("completed")
    )


def summary(submission_uuid):
    """The peer step's state for one submission, or None when it never entered the pool."""
    submission = PeerSubmission.objects.filter(submission_uuid=submission_uuid).first()
    if submission is None:
        return None
    reviews = counted_reviews(submission)
    medians = rules.median_levels(submission.rubric, [review.levels for review in reviews])
    return {
        "state": submission.state,
        "required": submission.required_reviews,
        "received": len(reviews),
        "median_levels": medians if reviews else {},
        "created": submission.created,
        "reviews": [
            {
                "review_uuid": str(review.uuid),
                "levels": review.levels,
                "feedback": review.feedback,
                "helpfulness": review.helpfulness,
            }
            for review in reviews
        ],
    }


def given_by(usage_key, reviewer_id):
    """How many reviews this reviewer completed in the block (excluded ones too: they did them)."""
    return PeerReview.objects.filter(
        submission__usage_key=usage_key, reviewer_id=reviewer_id, completed__isnull=False
    ).count()


def rate(review_uuid, author_id, helpfulness):
    """The author's 1–5 rating of a review of their own work."""
    if (
        not isinstance(helpfulness, int)
        or isinstance(helpfulness, bool)
        or (helpfulness not in HELPFULNESS)
    ):
        raise InvalidInput("Rate helpfulness from 1 to 5.")
    updated = PeerReview.objects.filter(
        uuid=review_uuid, submission__author_id=author_id, completed__isnull=False
    ).update(helpfulness=helpfulness)
    if not updated:
        raise NotFound("No review of your work has this id.")


def record_calibration(*, usage_key, user_id, example_id, rubric, staff_levels, learner_levels):
    """Store one calibration attempt; returns whether it was close enough."""
    close = rules.close_enough(rubric, staff_levels, learner_levels)
    CalibrationAttempt.objects.create(
        user_id=user_id,
        usage_key=usage_key,
        example_id=example_id,
        levels=learner_levels,
        close_enough=close,
        created=timezone.now(),
    )
    return close


def calibrated_examples(usage_key, user_id):
    """The example ids whose NEWEST attempt by this learner was close enough."""
    newest = {}
    for example_id, close in (
        CalibrationAttempt.objects.filter(usage_key=usage_key, user_id=user_id)
        .order_by("-created", "-pk")
        .values_list("example_id", "close_enough")
    ):
        newest.setdefault(example_id, close)
    return {example_id for example_id, close in newest.items() if close}


def reviewer_ids(course_key, usage_key):
    """``{review uuid: reviewer id}`` for staff, who may see who wrote what."""
    return dict(
        PeerReview.objects.filter(
            submission__course_key=course_key,
            submission__usage_key=usage_key,
            completed__isnull=False,
        ).values_list("uuid", F("reviewer_id"))
    )
