"""Helpers for the peer-step tests: a block authored with peer review, and learners' actions
through the real workbench runtime."""

import re

from xblocks.assessment import review
from xblocks.assessment.demo import PROJECT_VALUES

from .conftest import submit_project

PEER_VALUES = {
    **PROJECT_VALUES,
    "self_assessment_enabled": False,
    "peer_enabled": True,
    "peer_must_grade": 2,
    "peer_must_be_graded_by": 2,
    "peer_flexible_days": 7,
    "peer_fallback": "flexible",
    "peer_result_mode": "peer_median",
    "peer_calibration": [],
}
LEVELS = {"data-preparation": "proficient", "evaluation": "advanced"}
EXAMPLE = {
    "id": "example-1",
    "text": "A notebook that splits randomly and reports accuracy only.",
    "levels": {"data-preparation": "developing", "evaluation": "beginning"},
}


def author_peer_block(driver, **changes):
    status, body = driver.author({**PEER_VALUES, **changes})
    assert status == 200, body
    driver.render("learner_1")
    return driver


def submit(driver, user):
    return submit_project(driver, user, with_file=False)


def peer_state(driver, user):
    status, body = driver.call(user, "peer_state", {})
    assert status == 200, body
    return body["html"]


def held_review_uuid(html):
    """The review uuid of the lease shown in the learner's peer region, or None."""
    found = re.search(r'data-handler="peer_review" data-review-uuid="([0-9a-f-]{36})"', html)
    return found.group(1) if found else None


def review_next(driver, user, levels=LEVELS, feedback="Clear split; say why macro F1."):
    """Ask for work (the peer region leases it) and review it; returns (status, body)."""
    review_uuid = held_review_uuid(peer_state(driver, user))
    assert review_uuid, f"{user} was handed nothing"
    return driver.call(
        user, "peer_review", {"review_uuid": review_uuid, "levels": levels, "feedback": feedback}
    )


def submission_of(driver, user):
    block = driver.block(user)
    from xblocks.assessment import identity  # noqa: PLC0415

    return review.latest_submission(identity.course_key(block), identity.usage_key(block), user)


def status_of(driver, user):
    found = submission_of(driver, user)
    block = driver.block(user)
    from xblocks.assessment import identity  # noqa: PLC0415

    events = review.events(identity.course_key(block), identity.usage_key(block), user)
    return review.status_of(found, review.latest_event_for(found["uuid"], events))


def two_reviews_of_learner_1(driver, first, second):
    """learner_2 reviews learner_1 (the oldest); learner_3 is handed learner_2's work first
    (fewest reviews first), then learner_1's. Needs the three to have submitted in order."""
    review_next(driver, "learner_2", first)
    review_next(driver, "learner_3")
    review_next(driver, "learner_3", second)
