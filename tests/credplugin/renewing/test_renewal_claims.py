"""Renewals use the outbox's claims and leases: a killed worker's renewal is signed by the
next attempt once its lease ran out (at once by its own redelivery), and only once."""

from datetime import timedelta

from credplugin import tasks
from credplugin.issuing import claims
from credplugin.models import CredentialVersion, IssuedBadge, RenewalRequest
from credplugin.renewing import signing
from tests.renewals import EXPIRES, at, record_renewal_result

DECIDED = EXPIRES - timedelta(days=30)  # inside the renewal window


def decided_not_signed(renewable):
    """The learner passed the renewal assessment; the decision committed, its task never ran."""
    badge, rubric_hash, _renew = renewable
    with at(DECIDED):
        record_renewal_result(badge.user, rubric_hash)  # on-commit work is dropped in tests
    return badge, RenewalRequest.objects.get(badge=badge)


def version(badge):
    return IssuedBadge.objects.get(pk=badge.pk).version


def test_a_decided_renewal_waits_one_lease_for_its_own_task(renewable):
    badge, request = decided_not_signed(renewable)
    assert request.claimed_by == "" and request.lease_until == DECIDED + timedelta(seconds=15)
    with at(DECIDED + timedelta(seconds=5)):
        tasks.recover_lost_work_task.apply(task_id="recovery")
        assert version(badge) == 1  # its task is on its way: nobody else takes it
        assert tasks.renew_badge_task.apply(args=[request.pk], task_id="its-task").get() == "issued"
    assert version(badge) == 2


def test_a_killed_workers_renewal_is_signed_by_the_next_attempt_once_its_lease_ran_out(
    renewable,
):
    badge, request = decided_not_signed(renewable)
    with at(DECIDED + timedelta(seconds=1)):
        assert claims.take(RenewalRequest, request.pk, "dead-task")  # then its worker died
    with at(DECIDED + timedelta(seconds=10)):
        tasks.recover_lost_work_task.apply(task_id="early-look")
        assert version(badge) == 1  # a live attempt may still hold it
        assert claims.next_expiry("early-look") == DECIDED + timedelta(seconds=16)
        assert claims.last_expiry() == DECIDED + timedelta(seconds=16)
    with at(DECIDED + timedelta(seconds=17)):
        tasks.recover_lost_work_task.apply(task_id="look")
        assert version(badge) == 2
        # The dead attempt, had it only frozen, finds the renewal done: no third version.
        assert tasks.renew_badge_task.apply(args=[request.pk], task_id="dead-task").get() == (
            "skipped"
        )
    assert RenewalRequest.objects.get(pk=request.pk).status == "issued"
    versions = CredentialVersion.objects.filter(badge=badge).values_list("version", flat=True)
    assert sorted(versions) == [1, 2]


def test_a_redelivered_renewal_task_takes_its_own_claim_back_at_once(renewable):
    badge, request = decided_not_signed(renewable)
    with at(DECIDED + timedelta(seconds=1)):
        assert claims.take(RenewalRequest, request.pk, "lost-task")
        assert signing.issue_claimed(request.pk, "another-task") == "skipped"
        assert version(badge) == 1
        assert tasks.renew_badge_task.apply(args=[request.pk], task_id="lost-task").get() == (
            "issued"
        )
    assert version(badge) == 2
