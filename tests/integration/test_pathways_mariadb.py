"""A learner's last two components issued at the same moment on MariaDB: one pathway badge.

Each component is signed and stored by its own thread and connection; a barrier holds both
transactions at the moment they are about to insert their badge, so each would, without the
pathway lock, judge the pathway seeing only its own badge and neither would award it.
"""

import threading
import time

import pytest
from django.db import connection

from credplugin.issuing import evaluation, issuance
from credplugin.models import IssuanceRequest, IssuedBadge
from credplugin.stacking import pathways
from tests.factories import (
    BadgeRequirementFactory,
    CoursePassingRecordFactory,
    UserFactory,
    learner_meeting,
    usage_key_for,
)

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
        outcomes, failures = run_together(
            *[
                lambda request_id=r.pk: issuance.issue_requests([request_id]).get(
                    request_id, issuance.SKIPPED
                )
                for r in requests
            ]
        )
        monkeypatch.setattr(pathways, "lock_pathways", lock)

        assert not failures, failures
        assert outcomes == [issuance.ISSUED, issuance.ISSUED]
        assert IssuedBadge.objects.filter(user=user).count() == 2
        assert_one_pathway_badge(user, pathway_class)


def test_a_course_passed_while_the_last_component_is_stored_awards_the_pathway_once(
    integration_database_url, components, pathway_class, monkeypatch
):
    """A pathway badge also fed by a block. The last component's transaction judges the block
    unmet (the course is not passed yet) and, before it commits, the course-passing record
    commits and its evaluation decides: it must wait for the component and award the badge,
    or neither side would."""
    pathways.save_pathway(
        badge_class=pathway_class, components=[c.badge_class.uuid for c in components[:2]]
    )
    capstone = BadgeRequirementFactory(
        badge_class=pathway_class, usage_key=usage_key_for(pathway_class.course_key, "capstone")
    )
    monkeypatch.setattr("credplugin.issuing.queue.enqueue", lambda *args, **kwargs: False)
    blocks_met = pathways.blocks_met
    for _learner in range(LEARNERS):
        user = UserFactory()
        learner_meeting(components[0], user=user)
        first = IssuanceRequest.objects.create(user=user, badge_class=components[0].badge_class)
        assert issuance.issue_requests([first.pk]) == {first.pk: issuance.ISSUED}
        learner_meeting(components[1], user=user)
        last = IssuanceRequest.objects.create(user=user, badge_class=components[1].badge_class)
        learner_meeting(capstone, user=user)
        judged = threading.Event()

        def judged_then_slow(*args, judged=judged):
            met = blocks_met(*args)
            judged.set()
            time.sleep(0.5)  # the evaluation below runs meanwhile, before this commits
            return met

        def pass_the_course(user=user, judged=judged):
            assert judged.wait(timeout=30)
            CoursePassingRecordFactory(user=user, course_key=pathway_class.course_key)
            evaluation.evaluate(user.id, pathway_class.course_key)

        monkeypatch.setattr(pathways, "blocks_met", judged_then_slow)
        _outcomes, failures = run_together(
            lambda last=last: issuance.issue_requests([last.pk]), pass_the_course
        )
        monkeypatch.setattr(pathways, "blocks_met", blocks_met)

        assert not failures, failures
        assert_one_pathway_badge(user, pathway_class)


def run_together(*steps):
    """Run each step on a thread (and database connection) of its own; returns
    ``(their results in order of completion, their exceptions)``."""
    results, failures = [], []

    def run(step):
        try:
            results.append(step())
        except Exception as error:  # noqa: BLE001  (the caller asserts there are none)
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(step,)) for step in steps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, failures


def assert_one_pathway_badge(user, pathway_class):
    """One outbox row for the learner's pathway badge, which issues one badge."""
    [pathway_request] = IssuanceRequest.objects.filter(user=user, badge_class=pathway_class)
    assert issuance.issue_requests([pathway_request.pk]) == {pathway_request.pk: issuance.ISSUED}
    assert IssuedBadge.objects.filter(user=user, badge_class=pathway_class).count() == 1
