"""A learner's last two components issued at the same moment on MariaDB: one pathway badge.

Each component is signed and stored by its own thread and connection; a barrier holds both
transactions at the moment they are about to insert their badge, so each would, without the
pathway lock, judge the pathway seeing only its own badge and neither would award it.
"""

import threading

import pytest
from django.db import connection

from credplugin.issuing import issuance
from credplugin.models import IssuanceRequest, IssuedBadge
from credplugin.stacking import pathways
from tests.factories import UserFactory, learner_meeting

pytestmark = pytest.mark.integration

LEARNERS = 3


def test_concurrent_last_components_request_the_pathway_badge_once(
    integration_database_url, components, pathway_class, monkeypatch
):
    pathways.save_pathway(
        badge_class=pathway_class, components=[c.badge_class.uuid for c in components[:2]]
    )
    monkeypatch.setattr("credplugin.issuing.queue.enqueue", lambda *args, **kwargs: False)
    lock = pathways.lock_pathways
    for _learner in range(LEARNERS):
        user = UserFactory()
        requests = []
        for requirement in components[:2]:
            learner_meeting(requirement, user=user)
            requests.append(
                IssuanceRequest.objects.create(user=user, badge_class=requirement.badge_class)
            )
        both_storing = threading.Barrier(2, timeout=30)
        seen = threading.local()

        def held_at_the_barrier(issued, barrier=both_storing, seen=seen):
            if not getattr(seen, "waited", False):  # the first call: before the insert
                seen.waited = True
                barrier.wait()
            return lock(issued)

        monkeypatch.setattr(pathways, "lock_pathways", held_at_the_barrier)
        outcomes, failures = [], []

        def issue(request_id, outcomes=outcomes, failures=failures):
            try:
                outcomes.append(
                    issuance.issue_requests([request_id]).get(request_id, issuance.SKIPPED)
                )
            except Exception as error:  # noqa: BLE001  (reported by the assertion below)
                failures.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=issue, args=(r.pk,)) for r in requests]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        monkeypatch.setattr(pathways, "lock_pathways", lock)

        assert not failures, failures
        assert outcomes == [issuance.ISSUED, issuance.ISSUED]
        assert IssuedBadge.objects.filter(user=user).count() == 2
        [pathway_request] = IssuanceRequest.objects.filter(user=user, badge_class=pathway_class)
        assert issuance.issue_requests([pathway_request.pk]) == {
            pathway_request.pk: issuance.ISSUED
        }
        assert IssuedBadge.objects.filter(user=user, badge_class=pathway_class).count() == 1
