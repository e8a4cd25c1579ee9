"""The learner's "My badges" page and sharing switches: login, ownership, private caching."""

import pytest
from django.urls import reverse

from credplugin import api
from credplugin.models import IssuedBadge
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_login_is_required(client, db):
    response = client.get(reverse("credplugin:my-badges"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_lists_own_badges_with_state_downloads_and_sharing(client, earn):
    badge = earn()
    other = earn("grace")
    api.suspend_badge(str(badge.uuid), reason="Under review.", actor_id=None)
    client.force_login(badge.user)
    response = client.get(reverse("credplugin:my-badges"))
    assert response.status_code == 200
    assert [entry["badge"].uuid for entry in response.context["entries"]] == [badge.uuid]
    assert response.context["entries"][0]["state"] == "suspended"
    html = response.content.decode()
    assert str(other.uuid) not in html
    for name in ("badge-credential", "badge-png", "badge-svg", "badge-page"):
        assert reverse(f"credplugin:{name}", args=[badge.uuid]) in html
    assert reverse("credplugin:badge-share", args=[badge.uuid, "linkedin"]) in html
    assert "Under review." in html
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control


def test_empty_list_says_how_to_earn_one(client, db):
    client.force_login(UserFactory())
    assert "no badges yet" in client.get(reverse("credplugin:my-badges")).content.decode()


def test_sharing_switches_change_the_public_page(client, earn):
    badge = earn(first_name="Grace", last_name="Hopper")
    client.force_login(badge.user)
    url = reverse("credplugin:my-badge-sharing", args=[badge.uuid])
    response = client.post(url, {"show_name": "on"})
    assert response.status_code == 302
    badge.refresh_from_db()
    assert (badge.hidden, badge.show_name) == (False, True)
    client.post(url, {"hidden": "on"})
    badge.refresh_from_db()
    assert (badge.hidden, badge.show_name) == (True, False)
    client.logout()
    assert client.get(reverse("credplugin:badge-page", args=[badge.uuid])).status_code == 404


def test_nobody_else_can_change_a_learners_choices(client, earn):
    badge = earn()
    client.force_login(UserFactory(username="mallory"))
    url = reverse("credplugin:my-badge-sharing", args=[badge.uuid])
    assert client.post(url, {"hidden": "on"}).status_code == 404
    assert IssuedBadge.objects.get(pk=badge.pk).hidden is False


def test_sharing_needs_post_and_login(client, earn):
    badge = earn()
    url = reverse("credplugin:my-badge-sharing", args=[badge.uuid])
    assert client.post(url, {"hidden": "on"}).status_code == 302
    client.force_login(badge.user)
    assert client.get(url).status_code == 405
