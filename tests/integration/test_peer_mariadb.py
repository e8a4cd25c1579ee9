"""Concurrent peer reviewers on MariaDB: no submission is ever handed out more often than it
needs reviews, and every reviewer gets a different submission or none.

Each thread has its own connection (as each LMS worker has); they ask for work at the same
moment, so without ``SELECT … FOR UPDATE SKIP LOCKED`` and the recheck of ``claimed`` on the
locked row several would lease the same "fewest reviews" submission.
"""

from collections import Counter

import pytest
from django.db import connection
from django.db.models import Q
from opaque_keys.edx.keys import CourseKey

from credplugin import api
from credplugin.models import PeerReview, PeerSubmission
from tests.factories import UserFactory
from tests.integration.threads import run_at_once

pytestmark = [pytest.mark.integration]

COURSE = CourseKey.from_string("course-v1:Peer+Race+2026")
USAGE = COURSE.make_usage_key("credplugin_assessment", "peer-race")
RUBRIC = {
    "criteria": [
        {
            "id": "quality",
            "name": "Quality",
            "levels": [{"id": "low", "points": 0}, {"id": "high", "points": 1}],
            "required_level": "high",
        }
    ]
}
SUBMISSIONS = 6
REQUIRED = 2
REVIEWERS = 20


def _enter(authors):
    for number, author in enumerate(authors):
        api.peer_enter(
            submission_uuid=f"00000000-0000-4000-8000-{number:012d}",
            course_key=str(COURSE),
            usage_key=str(USAGE),
            author_id=author.id,
            rubric=RUBRIC,
            required_reviews=REQUIRED,
        )


def _live_leases():
    return PeerReview.objects.filter(Q(completed__isnull=False) | Q(released=False), excluded=False)


def test_concurrent_reviewers_never_exceed_the_required_count(integration_database_url):
    assert connection.features.has_select_for_update_skip_locked
    _enter([UserFactory() for _ in range(SUBMISSIONS)])
    reviewers = iter(UserFactory() for _ in range(REVIEWERS))
    reviewer_ids = [next(reviewers).id for _ in range(REVIEWERS)]
    queue = iter(reviewer_ids)

    def ask():
        reviewer_id = next(queue)
        return reviewer_id, api.peer_next(
            course_key=str(COURSE), usage_key=str(USAGE), reviewer_id=reviewer_id
        )

    results, errors = run_at_once(REVIEWERS, ask)
    assert errors == []
    handed = [lease for _reviewer, lease in results if lease]
    assert len(handed) == SUBMISSIONS * REQUIRED  # every slot filled, none twice
    per_submission = Counter(lease["submission_uuid"] for lease in handed)
    assert set(per_submission.values()) == {REQUIRED}
    for submission in PeerSubmission.objects.all():
        assert (
            submission.claimed == REQUIRED == _live_leases().filter(submission=submission).count()
        )

    # Everyone who holds a lease saves a review at once; the counts stay exact.
    leases = {reviewer: lease for reviewer, lease in results if lease}
    holders = iter(leases.items())

    def save():
        reviewer_id, lease = next(holders)
        return api.peer_save_review(
            review_uuid=lease["review_uuid"],
            reviewer_id=reviewer_id,
            levels={"quality": "high"},
            feedback="Solid work.",
        )

    saved, errors = run_at_once(len(leases), save)
    assert errors == [] and len(saved) == len(leases)
    for submission in PeerSubmission.objects.all():
        assert (submission.review_count, submission.state) == (REQUIRED, "peers_done")

    # Late reviewers find nothing left to review.
    late = iter(reviewer_ids)
    results, errors = run_at_once(
        REVIEWERS,
        lambda: api.peer_next(course_key=str(COURSE), usage_key=str(USAGE), reviewer_id=next(late)),
    )
    assert errors == [] and results == [None] * REVIEWERS
