"""The learner's record: a signed CLR 2.0 of their current badges, downloaded from My badges."""

import json

import pytest
from django.urls import reverse

from credplugin import api
from credplugin.exceptions import InvalidInput, NotFound
from credplugin.issuing import issuance, lifecycle
from credplugin.openbadges.clr import verify_clr
from credplugin.stacking import pathways
from credplugin.stacking import record as clr
from tests.factories import UserFactory
from tests.js_stack import js_stack  # noqa: F401 - pytest fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(components, pathway_class, award):
    """A learner holding two components and the ordered pathway badge they complete."""
    pathways.save_pathway(
        badge_class=pathway_class,
        components=[c.badge_class.uuid for c in components[:2]],
        ordered=True,
    )
    user = UserFactory()
    award(user, components[0])
    award(user, components[1])
    return user


def test_the_record_holds_every_current_badge_and_verifies(learner, pathway_class):
    record = clr.learner_record(learner.id)
    report = verify_clr(record, resolve=issuance.resolve_for_verification)
    assert report.verified, report.to_json()
    subject = record["credentialSubject"]
    assert len(subject["verifiableCredential"]) == 3
    kinds = sorted(a["associationType"] for a in subject["association"])
    assert kinds == ["isPartOf", "isPartOf", "precedes"]
    assert record["partial"] is False
    pathway_id = f"urn:uuid:{pathway_class.achievement_uuid}"
    assert all(a["targetId"] == pathway_id for a in subject["association"][:2])


def test_a_chosen_subset_is_marked_partial(learner):
    chosen = api.list_badges(learner.id)[0]["uuid"]
    record = clr.learner_record(learner.id, badge_uuids=[chosen])
    assert record["partial"] is True
    assert len(record["credentialSubject"]["verifiableCredential"]) == 1


def test_a_revoked_badge_is_left_out_and_cannot_be_chosen(learner, components):
    first = api.list_badges(learner.id)[-1]
    lifecycle.revoke(lifecycle.get(first["uuid"]), reason="Error", actor_id=None)
    with pytest.raises(InvalidInput):
        clr.learner_record(learner.id, badge_uuids=[first["uuid"]])
    ids = [
        c["id"] for c in clr.learner_record(learner.id)["credentialSubject"]["verifiableCredential"]
    ]
    assert first["credential"]["id"] not in ids


def test_no_badge_no_record(db):
    with pytest.raises(NotFound):
        clr.learner_record(UserFactory().id)


def test_my_badges_shows_progress_and_downloads_the_record(client, learner, components):
    client.force_login(learner)
    page = client.get(reverse("credplugin:my-badges")).content.decode()
    assert "Pathways" in page and "2 of 2 badges" in page
    assert "Download my record (CLR 2.0)" in page
    response = client.get(reverse("credplugin:my-learner-record"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    record = json.loads(response.content)
    assert record["type"] == ["VerifiableCredential", "ClrCredential"]
    bad = client.get(reverse("credplugin:my-learner-record"), {"badge": "not-a-uuid"})
    assert bad.status_code == 400


def test_progress_shows_a_milestone_and_what_is_missing(client, components, pathway_class, award):
    pathways.save_pathway(
        badge_class=pathway_class, components=[c.badge_class.uuid for c in components]
    )
    user = UserFactory()
    award(user, components[0])
    award(user, components[1])
    client.force_login(user)
    page = client.get(reverse("credplugin:my-badges")).content.decode()
    assert "2 of 3 badges" in page
    assert "Milestone: you are 50% of the way there." in page
    assert "Component 2, in the course course-v1:edX+Other+2026" in page


def test_javascript_verifies_the_record_and_each_badge_inside_it(
    client,
    learner,
    js_stack,  # noqa: F811
):
    client.force_login(learner)
    record = json.loads(client.get(reverse("credplugin:my-learner-record")).content)
    did_document = client.get(reverse("credplugin:did-document")).json()
    badges_inside = record["credentialSubject"]["verifiableCredential"]
    status_lists = [
        client.get(badge["credentialStatus"]["statusListCredential"]).json()
        for badge in badges_inside
    ]
    answer = js_stack.verify(record, did_documents=[did_document])
    assert answer.verified, answer.error
    for badge in badges_inside:
        answer = js_stack.verify(badge, did_documents=[did_document], status_lists=status_lists)
        assert answer.verified, answer.error


def test_the_verify_api_reports_a_record_and_each_badge_inside_it(client, learner):
    record = clr.learner_record(learner.id)
    lifecycle.revoke(
        lifecycle.get(api.list_badges(learner.id)[-1]["uuid"]), reason="X", actor_id=None
    )
    client.logout()
    response = client.post(
        reverse("credplugin:verify-api"), json.dumps(record), content_type="application/json"
    )
    assert response.status_code == 200
    report = response.json()
    assert report["record"]["verified"] is True
    verdicts = [badge["verdict"] for badge in report["badges"]]
    assert sorted(verdicts) == ["revoked", "verified", "verified"]
