"""The peer step's rules through the real workbench runtime, with several learners."""

import re
from datetime import timedelta

import time_machine
from django.utils import timezone

from credplugin.models import AssessmentResult, PeerReview, PeerSubmission
from xblocks.assessment import review

from .peer_support import (
    EXAMPLE,
    LEVELS,
    author_peer_block,
    held_review_uuid,
    peer_state,
    review_next,
    status_of,
    submission_of,
    submit,
    two_reviews_of_learner_1,
)


def test_a_learner_reviews_others_never_their_own_and_never_the_same_twice(driver):
    author_peer_block(driver)
    submit(driver, "learner_1")
    assert held_review_uuid(peer_state(driver, "learner_1")) is None  # only their own work
    submit(driver, "learner_2")
    html = peer_state(driver, "learner_2")
    assert "0 of 2 reviews given" in html
    assert "learner_1" not in html  # the author is not named
    status, body = review_next(driver, "learner_2")
    assert status == 200, body
    assert "1 of 2 reviews given" in body["html"]
    # learner_1's work is the only other submission, and learner_2 reviewed it already.
    assert held_review_uuid(body["html"]) is None
    reviewed = PeerReview.objects.get(reviewer__username="learner_2")
    assert reviewed.submission.author.username == "learner_1"
    submit(driver, "learner_3")
    status, body = review_next(driver, "learner_2")
    assert status == 200, body
    assert set(
        PeerReview.objects.filter(reviewer__username="learner_2").values_list(
            "submission__author__username", flat=True
        )
    ) == {"learner_1", "learner_3"}


def test_another_learners_lease_cannot_be_used(driver):
    author_peer_block(driver)
    for user in ("learner_1", "learner_2", "learner_3"):
        submit(driver, user)
    review_uuid = held_review_uuid(peer_state(driver, "learner_2"))
    status, _body = driver.call(
        "learner_3",
        "peer_review",
        {"review_uuid": review_uuid, "levels": LEVELS, "feedback": "Mine now."},
    )
    assert status == 404
    assert not PeerReview.objects.filter(completed__isnull=False).exists()


def test_the_median_with_an_even_count_is_the_lower_middle_level(driver):
    author_peer_block(driver)
    for user in ("learner_1", "learner_2", "learner_3"):
        submit(driver, user)
    two_reviews_of_learner_1(
        driver,
        {"data-preparation": "advanced", "evaluation": "advanced"},
        {"data-preparation": "developing", "evaluation": "proficient"},
    )
    reviewers = PeerReview.objects.filter(submission__author__username="learner_1")
    assert sorted(reviewers.values_list("reviewer__username", flat=True)) == [
        "learner_2",
        "learner_3",
    ]
    assert status_of(driver, "learner_1") == review.GRADED
    result = AssessmentResult.objects.get(user__username="learner_1")
    chosen = {item["criterion_id"]: item["level_id"] for item in result.criterion_levels}
    assert chosen == {"data-preparation": "developing", "evaluation": "proficient"}
    assert result.judgement == {"mode": "peer_median", "peer_reviews": 2}
    assert "peer_review" in result.assessment_methods
    assert "mentor_review" not in result.assessment_methods
    html = peer_state(driver, "learner_1")
    assert "Peer review 2" in html and "learner_2" not in html and "learner_3" not in html


def test_an_expired_lease_is_handed_to_someone_else(driver):
    author_peer_block(driver, peer_must_be_graded_by=1, peer_must_grade=1)
    for user in ("learner_1", "learner_2", "learner_3"):
        submit(driver, user)
    first = held_review_uuid(peer_state(driver, "learner_2"))
    assert PeerReview.objects.get(uuid=first).submission.author.username == "learner_1"
    # learner_3 is handed learner_2's work meanwhile (learner_1's is claimed in full).
    third = held_review_uuid(peer_state(driver, "learner_3"))
    assert PeerReview.objects.get(uuid=third).submission.author.username == "learner_2"
    with time_machine.travel(timezone.now() + timedelta(hours=5)):
        submit(driver, "learner_4")
        fourth = held_review_uuid(peer_state(driver, "learner_4"))
        assert PeerReview.objects.get(uuid=fourth).submission.author.username == "learner_1"
        assert PeerReview.objects.get(uuid=first).released
        status, _body = driver.call(
            "learner_2",
            "peer_review",
            {"review_uuid": first, "levels": LEVELS, "feedback": "Too late."},
        )
        assert status == 404
    assert PeerSubmission.objects.get(author__username="learner_1").claimed == 1


def test_calibration_must_be_close_enough_before_reviewing(driver):
    author_peer_block(driver, peer_calibration=[EXAMPLE])
    submit(driver, "learner_1")
    submit(driver, "learner_2")
    html = peer_state(driver, "learner_2")
    assert "Practice first" in html and held_review_uuid(html) is None
    far = {"data-preparation": "advanced", "evaluation": "beginning"}  # two levels off
    status, body = driver.call(
        "learner_2", "peer_calibrate", {"example_id": "example-1", "levels": far}
    )
    assert status == 200 and "Not close enough" in body["message"]
    assert held_review_uuid(body["html"]) is None
    near = {"data-preparation": "proficient", "evaluation": "beginning"}  # one off, one exact
    status, body = driver.call(
        "learner_2", "peer_calibrate", {"example_id": "example-1", "levels": near}
    )
    assert status == 200 and "Close enough" in body["message"]
    assert held_review_uuid(body["html"])


def test_flexible_grading_after_the_days_pass_judges_on_the_reviews_given(driver):
    author_peer_block(driver, peer_must_be_graded_by=3, peer_must_grade=3)
    submit(driver, "learner_1")
    submit(driver, "learner_2")
    review_next(driver, "learner_2")
    assert status_of(driver, "learner_1") == review.SUBMITTED
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        peer_state(driver, "learner_1")
    assert status_of(driver, "learner_1") == review.GRADED
    result = AssessmentResult.objects.get(user__username="learner_1")
    assert result.judgement == {"mode": "peer_median", "peer_reviews": 1}
    # learner_2 had no review: their work goes to a mentor.
    assert PeerSubmission.objects.get(author__username="learner_2").state == "mentor"


def test_mentor_fallback_then_the_mentor_decides(driver):
    author_peer_block(driver, peer_fallback="mentor")
    submit(driver, "learner_1")
    submit(driver, "learner_2")
    review_next(driver, "learner_2")
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        assert "gone to a mentor" in peer_state(driver, "learner_1")
    assert status_of(driver, "learner_1") == review.SUBMITTED
    uuid = submission_of(driver, "learner_1")["uuid"]
    status, body = driver.call("staff_mentor", "review_open", {"submission_uuid": uuid})
    assert status == 200 and "Peer reviews" in body["html"] and "learner_2" in body["html"]
    status, body = driver.grade("staff_mentor", uuid, LEVELS, "Judged by a mentor.")
    assert status == 200, body
    result = AssessmentResult.objects.get(user__username="learner_1")
    assert result.judgement == {"mode": "mentor_after_peers", "peer_reviews": 1}


def test_staff_can_override_before_any_peer_review(driver):
    author_peer_block(driver)
    submit(driver, "learner_1")
    uuid = submission_of(driver, "learner_1")["uuid"]
    status, body = driver.grade("staff_mentor", uuid, LEVELS, "Override.")
    assert status == 200, body
    result = AssessmentResult.objects.get(user__username="learner_1")
    assert result.judgement == {"mode": "mentor_override", "peer_reviews": 0}
    assert PeerSubmission.objects.get(submission_uuid=uuid).state == "closed"
    submit(driver, "learner_2")
    assert (
        held_review_uuid(peer_state(driver, "learner_2")) is None
    )  # decided work is not handed out


def test_a_mentor_confirming_the_median_is_recorded_as_confirmed(driver):
    author_peer_block(driver, peer_result_mode="peer_confirmed")
    for user in ("learner_1", "learner_2", "learner_3"):
        submit(driver, user)
    two_reviews_of_learner_1(driver, LEVELS, LEVELS)
    assert status_of(driver, "learner_1") == review.SUBMITTED  # waits for the mentor
    uuid = submission_of(driver, "learner_1")["uuid"]
    status, body = driver.grade("staff_mentor", uuid, LEVELS, "Agreed with the peers.")
    assert status == 200, body
    result = AssessmentResult.objects.get(user__username="learner_1")
    assert result.judgement == {"mode": "peer_confirmed", "peer_reviews": 2}
    assert "mentor_review" in result.assessment_methods


def test_an_excluded_reviewers_reviews_stop_counting(driver):
    author_peer_block(driver, peer_result_mode="peer_confirmed")
    for user in ("learner_1", "learner_2", "learner_3"):
        submit(driver, user)
    review_next(driver, "learner_2", feedback="x")
    submission = PeerSubmission.objects.get(author__username="learner_1")
    assert submission.review_count == 1
    review_uuid = str(PeerReview.objects.get(completed__isnull=False).uuid)
    status, body = driver.call(
        "staff_mentor", "peer_exclude", {"review_uuid": review_uuid, "reason": "Empty feedback."}
    )
    assert status == 200, body
    submission.refresh_from_db()
    assert (submission.review_count, submission.claimed) == (0, 0)
    assert "excluded you" in peer_state(driver, "learner_2")
    assert "Peer review 1" not in peer_state(driver, "learner_1")


def test_the_author_rates_the_feedback_received(driver):
    author_peer_block(driver)
    submit(driver, "learner_1")
    submit(driver, "learner_2")
    review_next(driver, "learner_2")
    review_uuid = str(PeerReview.objects.get(completed__isnull=False).uuid)
    status, body = driver.call(
        "learner_1", "peer_rate", {"review_uuid": review_uuid, "helpfulness": 4}
    )
    assert status == 200, body
    assert PeerReview.objects.get(uuid=review_uuid).helpfulness == 4
    status, _body = driver.call(
        "learner_2", "peer_rate", {"review_uuid": review_uuid, "helpfulness": 5}
    )
    assert status == 404  # only the author rates reviews of their work
    assert PeerReview.objects.get(uuid=review_uuid).helpfulness == 4


def test_a_learner_turns_peer_review_reminders_off_in_the_peer_step(driver):
    author_peer_block(driver)
    submit(driver, "learner_1")
    choice = 'data-choice="email_peer_reminders" id="cpa-email-peer-'
    assert re.search(choice + r'[^"]*" checked>', peer_state(driver, "learner_1"))
    status, body = driver.call("learner_1", "email_preferences", {"email_peer_reminders": False})
    assert status == 200 and body["email_peer_reminders"] is False
    assert choice in peer_state(driver, "learner_1")
    assert not re.search(choice + r'[^"]*" checked>', peer_state(driver, "learner_1"))
    status, _body = driver.call("learner_1", "email_preferences", {"email_peer_reminders": "no"})
    assert status == 400
