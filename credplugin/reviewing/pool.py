"""Handing out submissions to peer reviewers, fairly and never beyond the required count.

The next submission for a reviewer is the one with the fewest reviews given or held
(``claimed``), oldest first, among those still short of their required count — excluding the
reviewer's own work and anything they were ever handed before. Rows are read with
``SELECT … FOR UPDATE SKIP LOCKED``: concurrent reviewers take different submissions instead of
queueing on the same row, and ``claimed`` is re-checked on the locked row (a locking read sees
the latest committed value at any isolation level) before it is raised.
"""

from datetime import timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from credplugin.conf import credplugin_settings
from credplugin.exceptions import InvalidInput, NotFound

from . import handoff, rules
from .models import (
    IN_PEER_REVIEW,
    NEEDS_MENTOR,
    PEERS_DONE,
    ExcludedReviewer,
    PeerReview,
    PeerSubmission,
)

MAX_FEEDBACK = 10_000
# How many reads (skipping locked rows, then waiting for them, in turn) one request makes
# before it reports that nothing is available.
_ATTEMPTS = 6


def enter(*, submission_uuid, course_key, usage_key, author_id, rubric, required_reviews, **shown):
    """Put a submission in the block's peer pool (idempotent per submission).

    ``shown``: ``title``, ``result_mode``, ``created`` (when the work was submitted),
    ``unblock_at`` and ``fallback``, which decide when and how the work reaches the mentors'
    queue. The learner's older work still waiting there is replaced at once.
    """
    with transaction.atomic():
        found, _ = PeerSubmission.objects.get_or_create(
            submission_uuid=submission_uuid,
            defaults={
                "course_key": course_key,
                "usage_key": usage_key,
                "author_id": author_id,
                "rubric": rubric,
                "required_reviews": required_reviews,
                **shown,
            },
        )
        handoff.withdraw_older(found)
    return found


def release_expired(usage_key=None, now=None):
    """Release leases past their time in one block (every block with None), so their
    submissions are handed out again; returns how many this call released.

    Each lease is released by one conditional ``UPDATE``; only the request that released it
    lowers the submission's ``claimed``, so racing sweeps never release one lease twice.
    """
    now = now or timezone.now()
    expired = PeerReview.objects.filter(completed=None, released=False, lease_expires__lt=now)
    if usage_key is not None:
        expired = expired.filter(submission__usage_key=usage_key)
    released = 0
    for review_id, submission_id in list(expired.values_list("pk", "submission_id")):
        with transaction.atomic():
            if PeerReview.objects.filter(pk=review_id, completed=None, released=False).update(
                released=True
            ):
                PeerSubmission.objects.filter(pk=submission_id).update(claimed=F("claimed") - 1)
                released += 1
    return released


def held_lease(usage_key, reviewer_id, now=None):
    """The reviewer's unfinished, unexpired lease in this block, or None."""
    return (
        PeerReview.objects.select_related("submission")
        .filter(
            submission__usage_key=usage_key,
            reviewer_id=reviewer_id,
            completed=None,
            released=False,
            lease_expires__gte=now or timezone.now(),
        )
        .first()
    )


def _candidates(usage_key, reviewer_id, *, skip_locked):
    seen = PeerReview.objects.filter(reviewer_id=reviewer_id).values("submission_id")
    queryset = (
        PeerSubmission.objects.filter(
            usage_key=usage_key, state=IN_PEER_REVIEW, claimed__lt=F("required_reviews")
        )
        .exclude(author_id=reviewer_id)
        .exclude(pk__in=seen)
        .order_by("claimed", "created", "pk")
    )
    skip_locked = skip_locked and connection.features.has_select_for_update_skip_locked
    return queryset.select_for_update(skip_locked=skip_locked)


def _lease_one(usage_key, reviewer_id, now, *, skip_locked):
    """Lease the first candidate, or return ``(None, found)``: whether a candidate was seen.

    Without ``skip_locked`` the query waits for a row others hold, so "nothing found" then
    means nothing is left, not that everything was momentarily locked.
    """
    with transaction.atomic():
        candidate = _candidates(usage_key, reviewer_id, skip_locked=skip_locked).first()
        if candidate is None:
            return None, False
        # The candidate row is locked: its claimed count is current.
        if candidate.claimed >= candidate.required_reviews:
            return None, True
        PeerSubmission.objects.filter(pk=candidate.pk).update(claimed=F("claimed") + 1)
        lease = PeerReview.objects.create(
            submission=candidate,
            reviewer_id=reviewer_id,
            leased_at=now,
            lease_expires=now + timedelta(hours=credplugin_settings.PEER_LEASE_HOURS),
        )
        return lease, True


def next_for(usage_key, course_key, reviewer_id, now=None):
    """Lease the next submission to ``reviewer_id``: their held lease, a new one, or None.

    Rows other reviewers are leasing right now are skipped; when every candidate is locked,
    one more query waits for them, so a reviewer is told "nothing to review" only when
    nothing is left.
    """
    now = now or timezone.now()
    if ExcludedReviewer.objects.filter(course_key=course_key, reviewer_id=reviewer_id).exists():
        raise InvalidInput("Course staff have excluded you from peer review in this course.")
    release_expired(usage_key, now)
    held = held_lease(usage_key, reviewer_id, now)
    if held is not None:
        return held
    for attempt in range(_ATTEMPTS):
        try:
            lease, found = _lease_one(usage_key, reviewer_id, now, skip_locked=attempt % 2 == 0)
        except IntegrityError:
            # The same reviewer asked twice at once and the other request won; use its lease.
            return held_lease(usage_key, reviewer_id, now)
        if lease is not None:
            return lease
        if not found and attempt % 2 == 1:
            return None
    return None


def complete(review_uuid, reviewer_id, levels, feedback, now=None):
    """Store the reviewer's levels and feedback on their lease; returns the review.

    Raises ``NotFound`` for somebody else's or an unknown lease and ``InvalidInput`` for one
    already completed or released (its time ran out and the submission went to someone else).
    """
    now = now or timezone.now()
    if not isinstance(feedback, str) or not feedback.strip() or len(feedback) > MAX_FEEDBACK:
        raise InvalidInput(f"Write feedback of 1 to {MAX_FEEDBACK} characters.")
    with transaction.atomic():
        review = (
            PeerReview.objects.select_for_update()
            .select_related("submission")
            .filter(uuid=review_uuid, reviewer_id=reviewer_id)
            .first()
        )
        if review is None:
            raise NotFound("No such peer review is held by you.")
        if review.completed is not None:
            raise InvalidInput("You have already reviewed this submission.")
        if review.released:
            raise InvalidInput("Your time to review this submission ran out; ask for another.")
        if not rules.complete_levels(review.submission.rubric, levels):
            raise InvalidInput("Choose one level of the rubric for every criterion.")
        review.levels, review.feedback, review.completed = levels, feedback.strip(), now
        review.save(update_fields=["levels", "feedback", "completed"])
        PeerSubmission.objects.filter(pk=review.submission_id).update(
            review_count=F("review_count") + 1
        )
        if _settle(review.submission_id):
            handoff.hand_over(review.submission_id)
    review.submission.refresh_from_db()
    return review


def _settle(submission_id):
    """A submission with all its required reviews leaves the pool; returns whether it left."""
    return PeerSubmission.objects.filter(
        pk=submission_id, state=IN_PEER_REVIEW, review_count__gte=F("required_reviews")
    ).update(state=PEERS_DONE)


def unblock_due(usage_key, *, after_days, fallback, now=None):
    """Unblock submissions waiting longer than ``after_days`` for their peer reviews.

    ``fallback`` ``"flexible"``: the required count drops to the reviews already given (the
    submission is then judged on those); with none given, or with ``"mentor"``, the submission
    goes to a mentor. Each submission moves by one conditional ``UPDATE`` on its state, so of
    racing sweeps exactly one unblocks it (and hands it to the mentors when one is needed).
    Returns how many submissions this call unblocked.
    """
    if not after_days:
        return 0
    cutoff = (now or timezone.now()) - timedelta(days=after_days)
    due = PeerSubmission.objects.filter(
        usage_key=usage_key, state=IN_PEER_REVIEW, created__lt=cutoff
    ).values_list("pk", flat=True)
    return sum(_unblock(submission_id, fallback) for submission_id in list(due))


def sweep(now=None):
    """The periodic sweep over every block: release expired leases, then unblock the work
    whose ``unblock_at`` has passed, each by its own fallback, without waiting for anyone to
    open the peer step. Safe to run from several workers at once (every change is one
    conditional ``UPDATE``). Returns ``{"released": n, "unblocked": n}``."""
    now = now or timezone.now()
    released = release_expired(now=now)
    due = PeerSubmission.objects.filter(state=IN_PEER_REVIEW, unblock_at__lte=now).values_list(
        "pk", "fallback"
    )
    unblocked = sum(_unblock(submission_id, fallback) for submission_id, fallback in list(due))
    return {"released": released, "unblocked": unblocked}


def _unblock(submission_id, fallback):
    with transaction.atomic():
        waiting = PeerSubmission.objects.filter(pk=submission_id, state=IN_PEER_REVIEW)
        moved = 0
        if fallback == "flexible":
            moved = waiting.filter(review_count__gt=0).update(
                required_reviews=F("review_count"), state=PEERS_DONE
            )
        moved = moved or waiting.update(state=NEEDS_MENTOR)
        if moved:
            handoff.hand_over(submission_id)
        return moved


def close(submission_uuid, state):
    """Mark a submission decided (or waiting for a mentor): no more leases are handed out."""
    with transaction.atomic():
        PeerSubmission.objects.filter(submission_uuid=submission_uuid).update(state=state)
        if state == NEEDS_MENTOR:
            submission = PeerSubmission.objects.filter(submission_uuid=submission_uuid).first()
            if submission is not None:
                handoff.hand_over(submission.pk)


def exclude_reviewer(course_key, reviewer_id, reason, excluded_by):
    """Exclude a reviewer from a course's peer review; their reviews stop counting.

    Each of their counted reviews is marked excluded by one conditional ``UPDATE`` and only then
    lowers its submission's counts, so the submission is handed to another reviewer.
    """
    with transaction.atomic():
        _, created = ExcludedReviewer.objects.get_or_create(
            course_key=course_key,
            reviewer_id=reviewer_id,
            defaults={"reason": reason, "excluded_by_id": excluded_by},
        )
        reviews = PeerReview.objects.filter(
            submission__course_key=course_key, reviewer_id=reviewer_id, excluded=False
        ).values_list("pk", "submission_id", "completed")
        for review_id, submission_id, completed in list(reviews):
            # An unfinished lease is released with it, so the expiry sweep cannot count it again.
            unfinished = completed is None
            claim = PeerReview.objects.filter(pk=review_id, excluded=False)
            if unfinished:
                claim = claim.filter(released=False)
            marks = {"excluded": True, "released": True} if unfinished else {"excluded": True}
            if not claim.update(**marks):
                continue
            changes = {"claimed": F("claimed") - 1}
            if not unfinished:
                changes["review_count"] = F("review_count") - 1
            PeerSubmission.objects.filter(pk=submission_id).update(**changes)
            PeerSubmission.objects.filter(
                pk=submission_id, state=PEERS_DONE, review_count__lt=F("required_reviews")
            ).update(state=IN_PEER_REVIEW)
    return created
