"""Renewal on the pages: the refresh service, "expires in N days — renew", the history and the
learner's reminder switch."""

import json
from datetime import timedelta

from django.urls import reverse

from credplugin import api
from credplugin.models import LearnerPreference
from tests.factories import UserFactory
from tests.renewals import EXPIRES, at

OPENS = EXPIRES - timedelta(days=60)


def test_the_refresh_service_serves_the_latest_version(client, renewable):
    badge, _hash, renew = renewable
    url = reverse("credplugin:badge-refresh", args=[badge.uuid])
    assert json.loads(client.get(url).content)["validFrom"] == badge.credential["validFrom"]
    renewed = renew(badge.user, OPENS + timedelta(days=1))
    response = client.get(url)
    assert response["Content-Type"] == "application/ld+json"
    assert response["Access-Control-Allow-Origin"] == "*"
    served = json.loads(response.content)
    assert served == renewed.credential
    assert served["refreshService"]["id"] == f"http://testserver{url}".replace(
        "testserver", "127.0.0.1:8000"
    )
    assert client.post(url).status_code == 405


def test_a_hidden_badge_has_no_public_refresh(client, renewable):
    badge, _hash, _renew = renewable
    api.set_badge_visibility(str(badge.uuid), user_id=badge.user_id, hidden=True)
    assert client.get(reverse("credplugin:badge-refresh", args=[badge.uuid])).status_code == 404


def test_my_badges_says_when_it_expires_and_links_to_the_renewal(client, renewable):
    badge, _hash, _renew = renewable

    def my_badges(moment):
        with at(moment):
            client.force_login(badge.user)  # sessions expire while the clock travels
            return client.get(reverse("credplugin:my-badges")).content.decode()

    html = my_badges(OPENS - timedelta(days=1))
    assert "My badges" in html and "Expires in" not in html
    html = my_badges(EXPIRES - timedelta(days=28, hours=1))
    assert "Expires in 28 days" in html
    assert "/courses/course-v1:credplugin+ethics+2027/jump_to/" in html
    assert "Expired; renewable for 25 more days" in my_badges(EXPIRES + timedelta(days=5))


def test_only_the_owner_sees_the_renewal_notice_on_the_badge_page(client, renewable):
    badge, _hash, _renew = renewable
    page = reverse("credplugin:badge-page", args=[badge.uuid])
    with at(EXPIRES - timedelta(days=10, hours=1)):
        assert "Expires in" not in client.get(page).content.decode()
        client.force_login(badge.user)
        assert "Expires in 10 days" in client.get(page).content.decode()
        client.force_login(UserFactory(username="someone"))
        assert "Expires in" not in client.get(page).content.decode()


def test_the_badge_page_shows_the_current_version_and_its_history(client, renewable):
    badge, _hash, renew = renewable
    page = reverse("credplugin:badge-page", args=[badge.uuid])
    assert "First awarded" not in client.get(page).content.decode()
    renew(badge.user, OPENS + timedelta(days=1))
    with at(OPENS + timedelta(days=2)):
        response = client.get(page)
    html = response.content.decode()
    assert "First awarded January 2026" in html
    assert "Renewed November 2027" in html
    assert response.context["verdict"].state == "verified"


def test_the_badge_page_says_its_history_is_not_verified(client, renewable):
    """The versions list is read from this site's database; the page must not let it pass for
    something the verdict vouched for."""
    badge, _hash, renew = renewable
    page = reverse("credplugin:badge-page", args=[badge.uuid])
    assert "data-credplugin-history-source" not in client.get(page).content.decode()
    renew(badge.user, OPENS + timedelta(days=1))
    with at(OPENS + timedelta(days=2)):
        html = client.get(page).content.decode()
    assert "data-credplugin-history-source" in html
    assert "not from the verified credential" in html


def test_the_learner_turns_renewal_reminders_off_and_on(client, db):
    learner = UserFactory()
    client.force_login(learner)
    url = reverse("credplugin:my-reminders")
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert not LearnerPreference.objects.get(user=learner).email_renewal_reminders
    html = client.get(reverse("credplugin:my-badges")).content.decode()
    assert 'id="id_reminders_enabled">' in html
    client.post(url, {"enabled": "on"})
    assert LearnerPreference.objects.get(user=learner).email_renewal_reminders
    assert (
        'id="id_reminders_enabled" checked>'
        in client.get(reverse("credplugin:my-badges")).content.decode()
    )


def test_reminder_switch_needs_a_login(client, db):
    assert client.post(reverse("credplugin:my-reminders")).status_code == 302
    assert not LearnerPreference.objects.exists()
