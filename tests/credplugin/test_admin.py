"""The operators' Django admin: every model listed, changes only through ``credplugin.api``.

Badges here are issued by the real pipeline (eager Celery, on-commit callbacks executed), so
an admin action is checked against what a verifier would see, not against a hand-made row.
"""

import json

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from credplugin import api
from credplugin.models import IssuanceRequest, IssuedBadge, IssuerKey, StatusChange, StatusList
from tests.browser_support import chromium_page, save_screenshot
from tests.factories import (
    COURSE_KEY,
    usage_key_for,
)

pytestmark = pytest.mark.django_db
PROJECT = usage_key_for(COURSE_KEY, "project")


def changelist(model):
    return reverse(f"admin:credplugin_{model._meta.model_name}_changelist")


def post_action(admin_client, badges, action, **extra):
    return admin_client.post(
        changelist(IssuedBadge),
        {"action": action, ACTION_CHECKBOX_NAME: [badge.pk for badge in badges], **extra},
        follow=True,
    )


def verdict(client, badge):
    response = client.post(
        reverse("credplugin:verify-api"),
        data=json.dumps(IssuedBadge.objects.get(pk=badge.pk).credential),
        content_type="application/json",
    )
    return response.json()["verdict"]


def test_every_credplugin_model_is_in_the_admin():
    models = apps.get_app_config("credplugin").get_models()
    assert [m.__name__ for m in models if not admin.site.is_registered(m)] == []


def test_renewal_and_delivery_admins_live_next_to_their_packages():
    """credplugin/admin.py keeps the core; each pipeline package registers its own pages."""
    from credplugin.models import ObApiClient, RenewalRequest  # noqa: PLC0415

    assert type(admin.site._registry[RenewalRequest]).__module__ == "credplugin.renewing.admin"
    assert type(admin.site._registry[ObApiClient]).__module__ == "credplugin.delivery.admin"
    assert "claimed_by" in admin.site._registry[RenewalRequest].list_display


def test_every_changelist_opens(admin_client, earn):
    earn("ada")
    for model in apps.get_app_config("credplugin").get_models():
        response = admin_client.get(changelist(model))
        assert response.status_code == 200, model.__name__


@pytest.mark.parametrize(
    ("query", "expected"),
    [("ada", {"ada"}), ("grace@example.org", {"grace"}), (str(COURSE_KEY), {"ada", "grace"})],
)
def test_issued_badges_are_searchable_by_learner_or_course(admin_client, earn, query, expected):
    earn("ada")
    earn("grace")
    response = admin_client.get(changelist(IssuedBadge), {"q": query})
    found = {badge.user.username for badge in response.context["cl"].result_list}
    assert found == expected


def test_revoke_asks_for_a_reason_before_changing_anything(admin_client, earn):
    badge = earn("ada")

    response = post_action(admin_client, [badge], "revoke_badges")

    assert response.status_code == 200
    assert b'name="reason"' in response.content
    assert IssuedBadge.objects.get(pk=badge.pk).status == IssuedBadge.Status.ACTIVE


def test_revoke_with_a_reason_goes_through_the_api_and_the_status_list(
    admin_client, admin_user, client, earn
):
    badge = earn("ada")
    assert verdict(client, badge) == "verified"

    post_action(admin_client, [badge], "revoke_badges", apply="1", reason="Plagiarised project.")

    badge.refresh_from_db()
    assert badge.status == IssuedBadge.Status.REVOKED
    assert badge.status_reason == "Plagiarised project."
    assert badge.status_changed_by == admin_user
    assert verdict(client, badge) == "revoked"


def test_blank_reason_shows_the_form_again_and_changes_nothing(admin_client, earn):
    badge = earn("ada")

    response = post_action(admin_client, [badge], "suspend_badges", apply="1", reason="  ")

    assert b'name="reason"' in response.content
    assert IssuedBadge.objects.get(pk=badge.pk).status == IssuedBadge.Status.ACTIVE


def test_suspend_then_reinstate(admin_client, client, earn):
    badge = earn("ada")

    post_action(admin_client, [badge], "suspend_badges", apply="1", reason="Under review.")
    assert IssuedBadge.objects.get(pk=badge.pk).status == IssuedBadge.Status.SUSPENDED
    post_action(admin_client, [badge], "reinstate_badges", apply="1", reason="Review passed.")

    assert IssuedBadge.objects.get(pk=badge.pk).status == IssuedBadge.Status.ACTIVE
    assert verdict(client, badge) == "verified"


def test_refused_transition_is_reported_and_the_others_proceed(admin_client, earn):
    revoked, active = earn("ada"), earn("grace")
    post_action(admin_client, [revoked], "revoke_badges", apply="1", reason="Fraud.")

    response = post_action(
        admin_client, [revoked, active], "suspend_badges", apply="1", reason="Audit."
    )

    messages = [str(message) for message in response.context["messages"]]
    assert any(str(revoked.uuid) in message for message in messages)
    assert IssuedBadge.objects.get(pk=revoked.pk).status == IssuedBadge.Status.REVOKED
    assert IssuedBadge.objects.get(pk=active.pk).status == IssuedBadge.Status.SUSPENDED


def test_reissue_signs_a_fresh_credential(
    admin_client, client, earn, django_capture_on_commit_callbacks
):
    badge = earn("ada")

    with django_capture_on_commit_callbacks(execute=True):
        post_action(admin_client, [badge], "reissue_badges", apply="1", reason="New key.")

    newest = IssuedBadge.objects.filter(user=badge.user).order_by("-pk").first()
    assert newest.credential["proof"] != badge.credential["proof"]
    assert verdict(client, newest) == "verified"


def test_issued_badge_detail_links_to_its_public_page(admin_client, earn):
    badge = earn("ada")

    response = admin_client.get(reverse("admin:credplugin_issuedbadge_change", args=[badge.pk]))

    assert reverse("credplugin:badge-page", args=[badge.uuid]).encode() in response.content
    proofs = badge.credential["proof"]
    proof = proofs[0] if isinstance(proofs, list) else proofs
    assert proof["proofValue"].encode() in response.content


def test_issued_badges_cannot_be_edited_or_deleted(admin_client, earn):
    badge = earn("ada")
    url = reverse("admin:credplugin_issuedbadge_change", args=[badge.pk])

    response = admin_client.post(url, {"status": "active", "status_reason": ""})
    delete = admin_client.post(reverse("admin:credplugin_issuedbadge_delete", args=[badge.pk]))

    assert response.status_code == 403
    assert delete.status_code == 403
    assert IssuedBadge.objects.filter(pk=badge.pk).exists()


def test_failed_request_shows_its_reason_and_can_be_retried(
    admin_client, earn, django_capture_on_commit_callbacks
):
    badge = earn("ada")
    request = badge.request
    IssuedBadge.objects.filter(pk=badge.pk).delete()
    IssuanceRequest.objects.filter(pk=request.pk).update(
        status=IssuanceRequest.Status.FAILED, reason="The signing key could not be read."
    )

    listing = admin_client.get(changelist(IssuanceRequest), {"status__exact": "failed"})
    detail = admin_client.get(reverse("admin:credplugin_issuancerequest_change", args=[request.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            changelist(IssuanceRequest),
            {"action": "retry_requests", ACTION_CHECKBOX_NAME: [request.pk]},
        )

    assert [r.pk for r in listing.context["cl"].result_list] == [request.pk]
    assert b"The signing key could not be read." in detail.content
    assert IssuedBadge.objects.filter(request=request).exists()


def test_keys_show_the_public_half_only(admin_client, badge_setup):
    key = IssuerKey.objects.get(active=True)
    url = reverse("admin:credplugin_issuerkey_change", args=[key.pk])

    response = admin_client.get(url)

    assert key.public_key_multibase.encode() in response.content
    assert b"encrypted_private_key" not in response.content
    assert bytes(key.encrypted_private_key)[:24] not in response.content
    assert b"PRIVATE KEY" not in response.content


def test_status_lists_are_read_only(admin_client, earn):
    earn("ada")
    status_list = StatusList.objects.first()
    url = reverse("admin:credplugin_statuslist_change", args=[status_list.pk])

    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url, {"next_index": 0}).status_code == 403


def test_preview_shows_an_unsigned_credential(admin_client, badge_setup):
    from credplugin.models import BadgeClass  # noqa: PLC0415

    badge_class = BadgeClass.objects.get(uuid=badge_setup["badge_uuid"])
    change = admin_client.get(reverse("admin:credplugin_badgeclass_change", args=[badge_class.pk]))
    preview_url = reverse("admin:credplugin_badgeclass_preview", args=[badge_class.pk])

    response = admin_client.get(preview_url)

    assert preview_url.encode() in change.content
    credential = json.loads(response.context["credential_json"])
    assert credential["credentialSubject"]["achievement"]["name"] == badge_class.name
    assert "proof" not in credential
    assert not IssuedBadge.objects.exists()


def test_preview_is_for_staff_only(client, badge_setup):
    from credplugin.models import BadgeClass  # noqa: PLC0415

    badge_class = BadgeClass.objects.get(uuid=badge_setup["badge_uuid"])
    response = client.get(reverse("admin:credplugin_badgeclass_preview", args=[badge_class.pk]))

    assert response.status_code == 302
    assert "/login/" in response["Location"]


# --- in a browser: what the operators' how-to shows ------------------------------------------


@pytest.fixture
def admin_page(live_server, admin_user, monkeypatch):
    """Headless Chromium logged into the admin of the live host."""
    with chromium_page(monkeypatch, height=720) as page:
        # Screenshots show the page, not the navigation sidebar (Django keeps its state here).
        page.add_init_script("localStorage.setItem('django.admin.navSidebarIsOpen', 'false')")
        page.goto(live_server.url + reverse("admin:login"))
        page.fill("#id_username", admin_user.username)
        page.fill("#id_password", "password")
        page.click("input[type=submit]")
        yield page


def publish_screenshot(page, name):
    """For docs/how-to/operators.md (see tests/browser_support.py)."""
    save_screenshot(page, name, for_docs=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_operator_finds_and_revokes_a_badge_in_the_browser(live_server, admin_page, earn):
    badge, _other = earn("ada"), earn("grace")

    admin_page.goto(live_server.url + changelist(IssuedBadge) + "?q=ada")
    assert admin_page.locator("#result_list tbody tr").count() == 1
    publish_screenshot(admin_page, "admin-issued-badges")
    admin_page.check("input.action-select")
    admin_page.select_option("select[name=action]", "revoke_badges")
    admin_page.click("button[name=index]")
    admin_page.fill("textarea[name=reason]", "The project was not the learner's own.")
    publish_screenshot(admin_page, "admin-revoke-reason")
    admin_page.click("input[type=submit][value=Revoke]")

    assert "1 badge revoked." in admin_page.locator("ul.messagelist").inner_text()
    assert IssuedBadge.objects.get(pk=badge.pk).status == IssuedBadge.Status.REVOKED


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_operator_sees_why_a_request_failed_in_the_browser(live_server, admin_page, earn):
    request = earn("ada").request
    IssuedBadge.objects.filter(request=request).delete()
    IssuanceRequest.objects.filter(pk=request.pk).update(
        status=IssuanceRequest.Status.FAILED,
        reason="No active signing key: run manage.py credplugin_keys generate.",
    )

    admin_page.goto(live_server.url + changelist(IssuanceRequest) + "?status__exact=failed")
    assert "No active signing key" in admin_page.locator("#result_list").inner_text()
    publish_screenshot(admin_page, "admin-failed-requests")
    admin_page.click(f"text={request.uuid}")
    admin_page.wait_for_url("**/change/**")

    assert "No active signing key" in admin_page.locator("#content").inner_text()


def test_issued_badge_page_shows_history_and_folds_the_credential(admin_client, earn, admin_user):
    badge = earn("ada")
    api.suspend_badge(badge.uuid, reason="Under review", actor_id=admin_user.id)
    api.reinstate_badge(badge.uuid, reason="Cleared", actor_id=admin_user.id)

    response = admin_client.get(reverse("admin:credplugin_issuedbadge_change", args=[badge.pk]))

    html = response.content.decode()
    history = html[html.index('class="credplugin-history"') :]
    assert history.index("Under review") < history.index("Cleared")
    assert "<details><summary>" in html  # the credential is folded away
    json_url = reverse("admin:credplugin_issuedbadge_credential", args=[badge.pk])
    assert json_url in html
    assert admin_client.get(json_url).json() == badge.credential


def test_hidden_badge_credential_opens_for_the_operator(admin_client, earn):
    badge = earn("ada")
    api.set_badge_visibility(str(badge.uuid), user_id=badge.user_id, hidden=True)
    url = reverse("admin:credplugin_issuedbadge_credential", args=[badge.pk])
    assert admin_client.get(url).json()["id"] == badge.credential["id"]


def test_credential_json_needs_the_admin(client, earn):
    badge = earn("ada")
    url = reverse("admin:credplugin_issuedbadge_credential", args=[badge.pk])
    assert client.get(url).status_code == 302  # to the admin login


def test_changelists_count_issued_pending_and_failed(admin_client, earn):
    badge, grace = earn("ada"), earn("grace")
    # Created after both awards: an evaluation takes over any pending row no task holds.
    IssuanceRequest.objects.create(user=badge.user, badge_class=badge.badge_class, generation=2)
    IssuanceRequest.objects.create(
        user=grace.user, badge_class=badge.badge_class, generation=2, status="failed"
    )
    for model in (IssuedBadge, IssuanceRequest):
        counts = {
            str(label): count
            for label, count, _ in admin_client.get(changelist(model)).context["credplugin_counts"]
        }
        assert (counts["issued"], counts["pending"], counts["failed"]) == (2, 1, 1)


def test_status_changes_are_listed_read_only(admin_client, earn, admin_user):
    badge = earn("ada")
    api.suspend_badge(badge.uuid, reason="Under review", actor_id=admin_user.id)
    response = admin_client.get(changelist(StatusChange))
    assert "Under review" in response.content.decode()
    assert not admin.site._registry[StatusChange].has_change_permission(response.wsgi_request)


def test_badge_class_page_shows_the_artwork_and_refuses_a_colour_that_is_not_hex(
    admin_client, earn
):
    badge_class = earn("ada").badge_class
    url = reverse("admin:credplugin_badgeclass_change", args=[badge_class.pk])
    assert 'src="data:image/svg+xml;base64,' in admin_client.get(url).content.decode()
    form = admin_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        alignments=json.dumps(badge_class.alignments),
        tags=json.dumps(badge_class.tags),
        colour="blue",
        **{
            "requirements-TOTAL_FORMS": "0",
            "requirements-INITIAL_FORMS": "0",
        },
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Write the colour as #rrggbb" in response.content.decode()
    badge_class.refresh_from_db()
    assert badge_class.colour == ""
