"""The badges REST API: own badges, course staff filtering, sharing, staff status changes."""

import uuid

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from credplugin.models import IssuedBadge
from tests.factories import COURSE_KEY, UserFactory

pytestmark = pytest.mark.django_db
LIST = "credplugin:badges-api"


@pytest.fixture
def api_client():
    return APIClient()


def status_url(badge):
    return reverse("credplugin:badge-status-api", args=[badge.uuid])


def test_anonymous_callers_are_refused(api_client, db):
    assert api_client.get(reverse(LIST)).status_code in (401, 403)


def test_lists_only_own_badges_paginated_and_uncached(api_client, earn):
    badge = earn()
    earn("grace")
    api_client.force_authenticate(badge.user)
    response = api_client.get(reverse(LIST))
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    assert "next" in data and "previous" in data
    item = data["results"][0]
    assert item["uuid"] == str(badge.uuid)
    assert item["state"] == "active"
    assert item["course_id"] == str(COURSE_KEY)
    assert item["urls"]["png"].endswith(f"/credplugin/badges/{badge.uuid}/badge.png")
    assert item["urls"]["linkedin"].startswith("https://www.linkedin.com/profile/add?")
    assert "no-store" in response["Cache-Control"]


def test_page_size_is_honoured(api_client, earn):
    badge = earn()
    api_client.force_authenticate(badge.user)
    response = api_client.get(reverse(LIST), {"page_size": 1, "page": 2})
    assert response.status_code == 404  # one badge: there is no second page


def test_course_staff_may_list_a_course(api_client, earn):
    earn("ada")
    earn("grace")
    api_client.force_authenticate(UserFactory(username="staff", is_staff=True))
    response = api_client.get(reverse(LIST), {"course_id": str(COURSE_KEY)})
    assert response.status_code == 200
    assert {item["learner"] for item in response.json()["results"]} == {"ada", "grace"}


def test_learners_may_not_list_a_course(api_client, earn):
    badge = earn()
    api_client.force_authenticate(badge.user)
    assert api_client.get(reverse(LIST), {"course_id": str(COURSE_KEY)}).status_code == 403


def test_malformed_course_id_is_400(api_client, earn):
    api_client.force_authenticate(UserFactory(username="staff", is_staff=True))
    response = api_client.get(reverse(LIST), {"course_id": "not a course"})
    assert response.status_code == 400
    assert "course_id" in response.json()


def test_owner_may_patch_sharing_choices_only(api_client, earn):
    badge = earn()
    api_client.force_authenticate(badge.user)
    url = reverse("credplugin:badge-api", args=[badge.uuid])
    response = api_client.patch(url, {"hidden": True, "status": "revoked"}, format="json")
    assert response.status_code == 200
    assert response.json()["hidden"] is True
    badge.refresh_from_db()
    assert (badge.hidden, badge.status) == (True, "active")


def test_another_learners_badge_is_404(api_client, earn):
    badge = earn()
    api_client.force_authenticate(UserFactory(username="mallory"))
    url = reverse("credplugin:badge-api", args=[badge.uuid])
    assert api_client.get(url).status_code == 404
    assert api_client.patch(url, {"hidden": True}, format="json").status_code == 404


def test_staff_revoke_suspend_and_reinstate_with_a_reason(api_client, earn, client):
    badge = earn()
    staff = UserFactory(username="staff", is_staff=True)
    api_client.force_authenticate(staff)
    response = api_client.post(status_url(badge), {"action": "suspend", "reason": "Check."})
    assert (response.status_code, response.json()["state"]) == (200, "suspended")
    response = api_client.post(status_url(badge), {"action": "reinstate", "reason": "Fine."})
    assert response.json()["state"] == "active"
    response = api_client.post(status_url(badge), {"action": "revoke", "reason": "Fraud."})
    assert response.json()["state"] == "revoked"
    badge.refresh_from_db()
    assert (badge.status_reason, badge.status_changed_by) == ("Fraud.", staff)
    page = client.get(reverse("credplugin:badge-page", args=[badge.uuid]))
    assert page.context["verdict"].state == "revoked"


def test_status_change_needs_a_reason_and_a_known_action(api_client, earn):
    badge = earn()
    api_client.force_authenticate(UserFactory(username="staff", is_staff=True))
    assert api_client.post(status_url(badge), {"action": "revoke"}).status_code == 400
    response = api_client.post(status_url(badge), {"action": "delete", "reason": "x"})
    assert response.status_code == 400
    assert IssuedBadge.objects.get(pk=badge.pk).status == "active"


def test_reinstating_a_revoked_badge_is_a_conflict(api_client, earn):
    badge = earn()
    api_client.force_authenticate(UserFactory(username="staff", is_staff=True))
    api_client.post(status_url(badge), {"action": "revoke", "reason": "Fraud."})
    response = api_client.post(status_url(badge), {"action": "reinstate", "reason": "Oops."})
    assert response.status_code == 409


def test_learners_may_not_change_status(api_client, earn):
    badge = earn()
    api_client.force_authenticate(badge.user)
    response = api_client.post(status_url(badge), {"action": "revoke", "reason": "x"})
    assert response.status_code == 403
    assert IssuedBadge.objects.get(pk=badge.pk).status == "active"


def test_session_authentication_enforces_csrf_on_writes(earn):
    badge = earn()
    staff = UserFactory(username="staff", is_staff=True)
    strict = APIClient(enforce_csrf_checks=True)
    strict.force_login(staff)
    response = strict.post(status_url(badge), {"action": "revoke", "reason": "x"})
    assert response.status_code == 403
    assert IssuedBadge.objects.get(pk=badge.pk).status == "active"


def history_url(badge):
    return reverse("credplugin:badge-history-api", args=[badge.uuid])


def test_history_lists_every_change_for_staff_and_owner_only(api_client, earn):
    badge = earn()
    staff = UserFactory(username="staff", is_staff=True)
    api_client.force_authenticate(staff)
    api_client.post(status_url(badge), {"action": "suspend", "reason": "Check."})
    api_client.post(status_url(badge), {"action": "reinstate", "reason": "Fine."})

    response = api_client.get(history_url(badge))

    assert response.status_code == 200
    entries = response.json()["history"]
    assert [(e["status"], e["actor"], e["reason"]) for e in entries] == [
        ("issued", None, ""),
        ("suspended", "staff", "Check."),
        ("active", "staff", "Fine."),
    ]
    assert "no-store" in response["Cache-Control"]
    api_client.force_authenticate(badge.user)
    assert api_client.get(history_url(badge)).status_code == 200
    api_client.force_authenticate(UserFactory(username="mallory"))
    assert api_client.get(history_url(badge)).status_code == 403
    api_client.force_authenticate(None)
    assert api_client.get(history_url(badge)).status_code in (401, 403)


def test_history_of_an_unknown_badge_is_404(api_client, db):
    api_client.force_authenticate(UserFactory(is_staff=True))
    missing = reverse("credplugin:badge-history-api", args=[uuid.uuid4()])
    assert api_client.get(missing).status_code == 404
