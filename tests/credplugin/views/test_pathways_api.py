"""The pathways REST API and admin: staff author with the same validation, learners read."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from credplugin.models import BadgeClass, Pathway, PathwayComponent
from tests.factories import BadgeClassFactory, BadgeRequirementFactory, UserFactory

pytestmark = pytest.mark.django_db
LIST = "credplugin:pathways-api"
OTHER_COURSE = "course-v1:edX+Other+2026"


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def staff():
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def parts():
    return [
        BadgeRequirementFactory(badge_class=BadgeClassFactory(slug=f"part-{n}")).badge_class
        for n in range(3)
    ]


def new_pathway(parts, **extra):
    return {
        "course_id": OTHER_COURSE,
        "badge": {"slug": "champion", "name": "AI Champion", "achievement_type": "Certificate"},
        "components": [str(p.uuid) for p in parts],
        **extra,
    }


def test_staff_create_a_pathway_across_courses(api_client, staff, parts):
    api_client.force_authenticate(staff)
    response = api_client.post(reverse(LIST), new_pathway(parts, required_count=2), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["required"], data["achievement_type"]) == (2, "Certificate")
    assert [c["badge_class"] for c in data["components"]] == [str(p.uuid) for p in parts]
    assert BadgeClass.objects.get(slug="champion").course_key.course == "Other"
    detail = api_client.get(reverse("credplugin:pathway-api", args=[data["badge_class"]]))
    assert detail.json()["name"] == "AI Champion"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"components": []}, "at least one component"),
        ({"required_count": 4}, "more than the 3"),
        ({"required_count": "many"}, "whole number"),
        ({"components": ["nope"]}, "badge class"),
    ],
)
def test_bad_rules_are_a_400_that_changes_nothing(api_client, staff, parts, extra, message):
    api_client.force_authenticate(staff)
    response = api_client.post(reverse(LIST), new_pathway(parts, **extra), format="json")
    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert not Pathway.objects.exists()
    assert not BadgeClass.objects.filter(slug="champion").exists()


def test_learners_read_but_do_not_author(api_client, parts):
    api_client.force_authenticate(UserFactory())
    assert api_client.post(reverse(LIST), new_pathway(parts), format="json").status_code == 403
    assert api_client.get(reverse(LIST)).json() == {"results": []}
    progress = api_client.get(reverse("credplugin:pathway-progress-api"))
    assert progress.json() == {"results": []}


def test_put_replaces_the_rule(api_client, staff, parts):
    api_client.force_authenticate(staff)
    created = api_client.post(reverse(LIST), new_pathway(parts), format="json").json()
    url = reverse("credplugin:pathway-api", args=[created["badge_class"]])
    response = api_client.put(
        url, {"components": [str(parts[2].uuid), str(parts[0].uuid)], "ordered": True},
        format="json",
    )  # fmt: skip
    assert response.status_code == 200
    assert [c["badge_class"] for c in response.json()["components"]] == [
        str(parts[2].uuid),
        str(parts[0].uuid),
    ]
    assert PathwayComponent.objects.count() == 2


def test_the_admin_creates_a_pathway_and_refuses_a_cycle(client, staff, parts):
    client.force_login(staff)
    url = reverse("admin:credplugin_pathway_add")
    assert client.get(url).status_code == 200
    form = {
        "course_id": OTHER_COURSE,
        "slug": "champion",
        "name": "AI Champion",
        "achievement_type": "Certificate",
        "on_component_lost": "",
        "components-TOTAL_FORMS": "2",
        "components-INITIAL_FORMS": "0",
        "components-0-position": "0",
        "components-0-badge_class": str(parts[0].pk),
        "components-1-position": "1",
        "components-1-badge_class": str(parts[1].pk),
    }
    response = client.post(url, {**form, "required_count": "3"})
    assert response.status_code == 200
    assert "more than the 2" in response.content.decode()
    assert not BadgeClass.objects.filter(slug="champion").exists()
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    pathway = Pathway.objects.get()
    assert pathway.badge_class.name == "AI Champion"
    assert pathway.components.count() == 2
    change = reverse("admin:credplugin_pathway_change", args=[pathway.pk])
    assert client.get(change).status_code == 200


def test_the_public_pathway_page_shows_what_it_requires(client, staff, parts):
    api_client = APIClient()
    api_client.force_authenticate(staff)
    created = api_client.post(
        reverse(LIST), new_pathway(parts, required_count=2, window_days=90), format="json"
    ).json()
    page = client.get(reverse("credplugin:pathway-page", args=[created["badge_class"]]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "AI Champion" in text and "Earn 2 of these 3 badges" in text
    assert "within 90 days of each other" in text
    assert text.count("in the course course-v1:") == 3
    missing = client.get(reverse("credplugin:pathway-page", args=[parts[0].uuid]))
    assert missing.status_code == 404


def test_the_learner_turns_milestone_e_mails_off_and_on(client, db):
    from credplugin import api  # noqa: PLC0415

    user = UserFactory()
    client.force_login(user)
    url = reverse("credplugin:my-pathway-emails")
    assert client.post(url, {}).status_code == 302
    assert api.pathway_emails_enabled(user.id) is False
    client.post(url, {"email_on_pathway_progress": "on"})
    assert api.pathway_emails_enabled(user.id) is True
    assert client.get(url).status_code == 405
