"""The demo host's front doors: a home page that leads somewhere, and a sign-in that works."""

import pytest
from django.urls import reverse

from tests.host.demo_course import DEMO_SCENARIO, DEMO_SCENARIO_TITLE, LEARNER_PASSWORD
from tests.issued_badges import badge_setup, earn  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def test_home_links_the_course_my_badges_verify_and_the_admin(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    course = reverse("workbench_show_scenario", kwargs={"scenario_id": DEMO_SCENARIO})
    assert f'href="{course}?student=learner_ada"' in html
    assert reverse("credplugin:verify-page") in html
    assert f"{reverse('login')}?next={reverse('credplugin:my-badges')}" in html
    assert LEARNER_PASSWORD in html


def test_the_demo_block_page_has_a_real_title(client):
    client.get("/")
    course = reverse("workbench_show_scenario", kwargs={"scenario_id": DEMO_SCENARIO})
    html = client.get(course).content.decode()
    assert DEMO_SCENARIO_TITLE in html
    assert "empty block for authoring" not in html


def test_a_learner_with_a_password_signs_in_and_reaches_my_badges(client, earn):  # noqa: F811
    badge = earn()
    badge.user.set_password(LEARNER_PASSWORD)
    badge.user.save()
    my_badges = reverse("credplugin:my-badges")
    assert client.get(my_badges).url.startswith(reverse("login"))
    response = client.post(
        reverse("login"),
        {"username": badge.user.username, "password": LEARNER_PASSWORD, "next": my_badges},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == my_badges
    assert "Ethical AI Practitioner" in response.content.decode()


def test_a_wrong_password_is_refused_with_a_message(client, earn):  # noqa: F811
    badge = earn()
    response = client.post(reverse("login"), {"username": badge.user.username, "password": "x"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
