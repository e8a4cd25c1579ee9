"""Pathways: every rule (all-of, N of M, order, window, pathway of pathways), the award through
the outbox exactly once, its credential, and the lost-component policy."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from credplugin import api
from credplugin.exceptions import InvalidInput
from credplugin.issuing import backfill, issuance, lifecycle
from credplugin.models import IssuanceRequest, IssuedBadge, Pathway, PathwayHold, PathwayMilestone
from credplugin.openbadges.verify import verify_credential
from credplugin.stacking import pathways
from tests.factories import (
    BadgeClassFactory,
    CoursePassingRecordFactory,
    UserFactory,
    learner_meeting,
)

pytestmark = pytest.mark.django_db


def make(pathway_class, components, **rule):
    return pathways.save_pathway(
        badge_class=pathway_class,
        components=[c.badge_class.uuid for c in components],
        **rule,
    )


def pathway_badges(user, pathway_class):
    return list(IssuedBadge.objects.filter(user=user, badge_class=pathway_class))


# Authoring ------------------------------------------------------------------------------


def test_a_pathway_needs_components(pathway_class, components):
    with pytest.raises(InvalidInput, match="at least one component"):
        pathways.save_pathway(badge_class=pathway_class, components=[])
    assert not Pathway.objects.exists()


def test_n_cannot_exceed_m(pathway_class, components):
    with pytest.raises(InvalidInput, match=r"required_count \(4\) is more than the 3"):
        make(pathway_class, components, required_count=4)


def test_a_pathway_cannot_require_itself_or_make_a_cycle(pathway_class, components):
    with pytest.raises(InvalidInput, match="its own badge"):
        pathways.save_pathway(badge_class=pathway_class, components=[pathway_class.uuid])
    make(pathway_class, components[:2])
    outer = BadgeClassFactory(slug="outer")
    pathways.save_pathway(badge_class=outer, components=[pathway_class.uuid])
    with pytest.raises(InvalidInput, match="cycle"):
        pathways.save_pathway(badge_class=components[0].badge_class, components=[outer.uuid])


def test_a_badge_listed_twice_unknown_ids_and_bad_numbers_are_refused(pathway_class, components):
    one = components[0].badge_class.uuid
    with pytest.raises(InvalidInput, match="twice"):
        pathways.save_pathway(badge_class=pathway_class, components=[one, one])
    with pytest.raises(InvalidInput, match="No badge class"):
        pathways.save_pathway(
            badge_class=pathway_class, components=["00000000-0000-0000-0000-000000000000"]
        )
    with pytest.raises(InvalidInput, match="window_days"):
        make(pathway_class, components, window_days=0)
    with pytest.raises(InvalidInput, match="on_component_lost"):
        make(pathway_class, components, on_component_lost="explode")


def test_a_pathway_class_is_never_awarded_by_passing_its_course(pathway_class, components):
    make(pathway_class, components)
    user = UserFactory()
    api.course_passing_status_changed(
        user_id=user.id, course_key=str(pathway_class.course_key), is_passing=True
    )
    assert not IssuanceRequest.objects.filter(badge_class=pathway_class).exists()


# Awarding --------------------------------------------------------------------------------


def test_all_of_awards_once_the_last_component_is_earned(pathway_class, components, award):
    make(pathway_class, components)
    user = UserFactory()
    award(user, components[0])
    award(user, components[1])
    assert pathway_badges(user, pathway_class) == []
    award(user, components[2])
    [badge] = pathway_badges(user, pathway_class)
    report = verify_credential(badge.credential, resolve=issuance.resolve_for_verification)
    assert report.verified, report.checks


def test_the_pathway_credential_lists_components_as_evidence_with_their_alignments(
    pathway_class, components, award
):
    make(pathway_class, components)
    user = UserFactory()
    earned = [award(user, requirement) for requirement in components]
    [badge] = pathway_badges(user, pathway_class)
    credential = badge.credential
    ids = [item["id"] for item in credential["evidence"]]
    assert ids == [component.credential["id"] for component in earned]
    assert all(f"/credplugin/badges/{c.uuid}/" in e["description"]
               for c, e in zip(earned, credential["evidence"], strict=True))  # fmt: skip
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "Certificate"
    urls = {alignment["targetUrl"] for alignment in achievement["alignment"]}
    assert {"https://example.org/c/data", "https://example.org/c/model"} <= urls
    assert "https://example.org/c/eth" in urls


def test_n_of_m_awards_at_the_nth_component(pathway_class, components, award):
    make(pathway_class, components, required_count=2)
    user = UserFactory()
    award(user, components[2])
    assert pathway_badges(user, pathway_class) == []
    award(user, components[0])
    assert len(pathway_badges(user, pathway_class)) == 1
    award(user, components[1])
    assert len(pathway_badges(user, pathway_class)) == 1


def test_an_ordered_pathway_counts_components_only_in_order(pathway_class, components, award):
    make(pathway_class, components, required_count=2, ordered=True)
    user = UserFactory()
    start = timezone.now() - timedelta(days=10)
    award(user, components[2], at=start)
    award(user, components[1], at=start + timedelta(days=1))
    assert pathway_badges(user, pathway_class) == []  # 2 before 1: out of order
    award(user, components[0], at=start + timedelta(days=2))
    assert pathway_badges(user, pathway_class) == []  # 0 last: still no rising pair
    other = UserFactory()
    award(other, components[0], at=start)
    award(other, components[2], at=start + timedelta(days=1))
    assert len(pathway_badges(other, pathway_class)) == 1


def test_a_time_window_counts_only_components_earned_close_together(
    pathway_class, components, award
):
    make(pathway_class, components, required_count=2, window_days=30)
    user = UserFactory()
    start = timezone.now() - timedelta(days=100)
    award(user, components[0], at=start)
    award(user, components[1], at=start + timedelta(days=60))
    assert pathway_badges(user, pathway_class) == []
    award(user, components[2], at=start + timedelta(days=80))
    assert len(pathway_badges(user, pathway_class)) == 1


def test_a_pathway_of_pathways_is_awarded_through_the_inner_pathway(
    pathway_class, components, award
):
    make(pathway_class, components[:2])
    outer = BadgeClassFactory(slug="grand", name="Grand", alignments=[])
    pathways.save_pathway(
        badge_class=outer, components=[pathway_class.uuid, components[2].badge_class.uuid]
    )
    user = UserFactory()
    award(user, components[2])
    award(user, components[0])
    assert pathway_badges(user, outer) == []
    award(user, components[1])
    assert len(pathway_badges(user, pathway_class)) == 1
    assert len(pathway_badges(user, outer)) == 1


def test_a_lost_issuance_task_leaves_the_pathway_request_for_the_sweeper(
    pathway_class, components, award, monkeypatch
):
    make(pathway_class, components[:1])
    monkeypatch.setattr("credplugin.issuing.queue.enqueue", lambda *args, **kwargs: False)
    user = UserFactory()
    award(user, components[0])
    request = IssuanceRequest.objects.get(user=user, badge_class=pathway_class)
    assert request.status == IssuanceRequest.Status.PENDING
    monkeypatch.undo()
    from credplugin.issuing import sweeper  # noqa: PLC0415

    sweeper.sweep(older_than=0, inline=True)
    assert len(pathway_badges(user, pathway_class)) == 1


# Losing a component ----------------------------------------------------------------------


def test_a_revoked_component_suspends_the_pathway_badge_until_re_earned(
    pathway_class, components, award, django_capture_on_commit_callbacks
):
    make(pathway_class, components[:2])
    user = UserFactory()
    award(user, components[0])
    second = award(user, components[1])
    [badge] = pathway_badges(user, pathway_class)
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.revoke(second, reason="Plagiarism", actor_id=None)
    badge.refresh_from_db()
    assert badge.status == IssuedBadge.Status.SUSPENDED
    assert PathwayHold.objects.filter(badge=badge).exists()
    award(user, components[1])  # earned again: generation 2
    badge.refresh_from_db()
    assert badge.status == IssuedBadge.Status.ACTIVE
    assert not PathwayHold.objects.exists()
    assert len(pathway_badges(user, pathway_class)) == 1


@override_settings(CREDPLUGIN_PATHWAY_ON_COMPONENT_LOST="revoke")
def test_the_revoke_policy_revokes_and_re_earning_awards_a_new_generation(
    pathway_class, components, award, django_capture_on_commit_callbacks
):
    make(pathway_class, components[:1])
    user = UserFactory()
    first = award(user, components[0])
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.revoke(first, reason="Error", actor_id=None)
    [badge] = pathway_badges(user, pathway_class)
    assert badge.status == IssuedBadge.Status.REVOKED
    award(user, components[0])
    assert sorted(b.generation for b in pathway_badges(user, pathway_class)) == [1, 2]


def test_keep_leaves_the_pathway_badge_alone(
    pathway_class, components, award, django_capture_on_commit_callbacks
):
    make(pathway_class, components[:1], on_component_lost="keep")
    user = UserFactory()
    first = award(user, components[0])
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.suspend(first, reason="Check", actor_id=None)
    [badge] = pathway_badges(user, pathway_class)
    assert badge.status == IssuedBadge.Status.ACTIVE


def test_a_lapsed_component_is_found_by_the_sweep(pathway_class, components, award):
    make(pathway_class, components[:1])
    user = UserFactory()
    first = award(user, components[0])
    IssuedBadge.objects.filter(pk=first.pk).update(valid_until=timezone.now() - timedelta(days=1))
    assert pathways.enforce() == 1
    [badge] = pathway_badges(user, pathway_class)
    assert badge.status == IssuedBadge.Status.SUSPENDED


def test_n_of_m_keeps_the_badge_while_enough_components_remain(
    pathway_class, components, award, django_capture_on_commit_callbacks
):
    make(pathway_class, components, required_count=2)
    user = UserFactory()
    earned = [award(user, requirement) for requirement in components]
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.revoke(earned[0], reason="Error", actor_id=None)
    [badge] = pathway_badges(user, pathway_class)
    assert badge.status == IssuedBadge.Status.ACTIVE


def test_progress_reports_what_is_missing(pathway_class, components, award):
    make(pathway_class, components)
    user = UserFactory()
    award(user, components[1])
    [entry] = pathways.progress(user.id)
    assert (entry["earned"], entry["required"], entry["complete"]) == (1, 3, False)
    assert [c["name"] for c in entry["missing"]] == ["Component 0", "Component 2"]


def test_backfill_awards_the_pathway_badge_once(
    pathway_class, components, django_capture_on_commit_callbacks
):
    make(pathway_class, components)
    user = UserFactory()
    for requirement in components:
        learner_meeting(requirement, user=user)
    courses = {requirement.badge_class.course_key for requirement in components}
    for course_key in courses:
        CoursePassingRecordFactory(user=user, course_key=course_key)
    for _run in range(2):
        for course_key in courses:
            with django_capture_on_commit_callbacks(execute=True):
                backfill.backfill(str(course_key))
    assert IssuedBadge.objects.filter(user=user).count() == 4
    [badge] = pathway_badges(user, pathway_class)
    assert len(badge.credential["evidence"]) == 3


def test_milestones_are_e_mailed_once_and_the_learner_may_opt_out(
    pathway_class, components, award, mailoutbox
):
    make(pathway_class, components)
    user = UserFactory()
    award(user, components[0])  # 33 %: the 25 % milestone
    milestone_mails = [m for m in mailoutbox if "of the way to" in m.subject]
    assert [m.subject for m in milestone_mails] == ["You are 25% of the way to “AI Champion”"]
    award(user, components[0])  # the same component again: no new milestone
    assert len([m for m in mailoutbox if "of the way to" in m.subject]) == 1
    api.set_pathway_emails(user.id, enabled=False)
    assert api.pathway_emails_enabled(user.id) is False
    award(user, components[1])  # 66 %: the 50 % milestone, recorded but not e-mailed
    assert len([m for m in mailoutbox if "of the way to" in m.subject]) == 1
    assert sorted(PathwayMilestone.objects.filter(user=user).values_list("percent", flat=True)) == [
        25,
        50,
    ]


def test_the_pathway_badge_is_announced_as_badge_awarded(
    pathway_class, components, award, monkeypatch
):
    announced = []
    monkeypatch.setattr(
        "credplugin.issuing.issuance.announcements.send_badge_awarded",
        lambda badge: announced.append(badge.badge_class_id),
    )
    make(pathway_class, components[:1])
    award(UserFactory(), components[0])
    assert announced == [components[0].badge_class_id, pathway_class.pk]
