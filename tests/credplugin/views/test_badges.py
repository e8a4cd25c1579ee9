"""The public badge page and downloads: verdicts, privacy, 404s, cache headers, baking."""

import io
import json
import re
import uuid
from datetime import timedelta
from html import unescape
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from credplugin import api
from credplugin.models import BadgeClass, IssuedBadge
from credplugin.openbadges import unbake_png, unbake_svg, verify_credential
from credplugin.presentation.resolution import verification_resolver

pytestmark = pytest.mark.django_db


def page(client, badge):
    return client.get(reverse("credplugin:badge-page", args=[badge.uuid]))


def verdict_heading(response):
    html = response.content.decode()
    match = re.search(r'<h2 id="verdict-heading"[^>]*>(.*?)</h2>', html, re.DOTALL)
    return re.sub(r"<[^>]+>|[✓✕!]", "", match.group(1)).strip()


def test_fresh_badge_page_says_verified_first(client, earn):
    response = page(client, earn())
    assert response.status_code == 200
    assert response.context["verdict"].state == "verified"
    assert verdict_heading(response) == "Verified"
    html = response.content.decode()
    assert html.index("verdict-heading") < html.index("competencies-heading")


def test_page_shows_competencies_methods_hours_and_evidence(client, earn):
    html = page(client, earn()).content.decode()
    assert "Ethical AI Practitioner" in html
    assert "Expert" in html and "Proficient" in html  # level reached and level required
    assert "How it was assessed" in html
    assert "https://example.org/capstone" in html
    assert "12" in html  # hours


def test_name_is_shown_only_when_the_learner_allows(client, earn):
    badge = earn(first_name="Grace", last_name="Hopper")
    assert "Grace Hopper" not in page(client, badge).content.decode()
    api.set_badge_visibility(str(badge.uuid), user_id=badge.user_id, show_name=True)
    assert "Grace Hopper" in page(client, badge).content.decode()


def test_page_has_open_graph_qr_code_and_linkedin_link(client, earn):
    badge = earn()
    html = page(client, badge).content.decode()
    assert '<meta property="og:title" content="Ethical AI Practitioner">' in html
    assert f'content="http://testserver/credplugin/badges/{badge.uuid}/"' in html
    assert 'src="data:image/svg+xml;base64,' in html
    share = reverse("credplugin:badge-share", args=[badge.uuid, "linkedin"])
    assert f'href="{share}"' in html
    assert '<html lang="en"' in html


def test_revoked_badge_says_revoked_with_the_reason(client, earn):
    badge = earn()
    api.revoke_badge(str(badge.uuid), reason="Plagiarised project.", actor_id=None)
    response = page(client, badge)
    assert response.context["verdict"].state == "revoked"
    assert "Plagiarised project." in response.content.decode()


def test_suspended_badge_says_suspended(client, earn):
    badge = earn()
    api.suspend_badge(str(badge.uuid), reason="Under review.", actor_id=None)
    assert page(client, badge).context["verdict"].state == "suspended"
    api.reinstate_badge(str(badge.uuid), reason="Cleared.", actor_id=None)
    assert page(client, badge).context["verdict"].state == "verified"


def test_expired_badge_says_expired(client, earn):
    badge = earn(issued_at=timezone.now() - timedelta(days=365 * 3))
    assert badge.valid_until < timezone.now()
    response = page(client, badge)
    assert response.context["verdict"].state == "expired"
    assert verdict_heading(response) == "Expired"


def test_tampered_stored_credential_is_not_verified(client, earn):
    badge = earn()
    credential = dict(badge.credential, name="Something else entirely")
    IssuedBadge.objects.filter(pk=badge.pk).update(credential=credential)
    assert page(client, badge).context["verdict"].state == "invalid"


@pytest.mark.parametrize("name", ["badge-page", "badge-credential", "badge-png", "badge-svg"])
def test_hidden_and_unknown_badges_are_404(client, earn, name):
    badge = earn()
    api.set_badge_visibility(str(badge.uuid), user_id=badge.user_id, hidden=True)
    assert client.get(reverse(f"credplugin:{name}", args=[badge.uuid])).status_code == 404
    assert client.get(reverse(f"credplugin:{name}", args=[uuid.uuid4()])).status_code == 404


def test_hidden_badge_stays_visible_to_its_learner_privately(client, earn):
    badge = earn()
    api.set_badge_visibility(str(badge.uuid), user_id=badge.user_id, hidden=True)
    client.force_login(badge.user)
    response = page(client, badge)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "public" not in response["Cache-Control"]


@override_settings(CREDPLUGIN_PUBLIC_CACHE_SECONDS=42)
@pytest.mark.parametrize("name", ["badge-page", "badge-credential", "badge-png", "badge-svg"])
def test_public_responses_are_cacheable_briefly(client, earn, name):
    response = client.get(reverse(f"credplugin:{name}", args=[earn().uuid]))
    assert response.status_code == 200
    assert set(response["Cache-Control"].split(", ")) == {"public", "max-age=42"}


def test_writes_are_refused(client, earn):
    badge = earn()
    response = client.post(reverse("credplugin:badge-page", args=[badge.uuid]))
    assert response.status_code == 405


def test_credential_json_is_the_stored_signed_credential(client, earn):
    badge = earn()
    response = client.get(reverse("credplugin:badge-credential", args=[badge.uuid]))
    assert response["Content-Type"] == "application/ld+json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert json.loads(response.content) == badge.credential


def test_png_download_round_trips_to_a_verifying_credential(client, earn):
    badge = earn()
    response = client.get(reverse("credplugin:badge-png", args=[badge.uuid]))
    assert response["Content-Type"] == "image/png"
    assert "attachment" in response["Content-Disposition"]
    credential = unbake_png(response.content)
    assert credential == badge.credential
    assert verify_credential(credential, resolve=verification_resolver()).verified


def test_svg_download_round_trips_to_a_verifying_credential(client, earn):
    badge = earn()
    response = client.get(reverse("credplugin:badge-svg", args=[badge.uuid]))
    assert response["Content-Type"] == "image/svg+xml"
    credential = unbake_svg(response.content)
    assert credential == badge.credential
    assert verify_credential(credential, resolve=verification_resolver()).verified


def test_baked_downloads_verify_through_the_verify_api(client, earn):
    badge = earn()
    for name in ("badge-png", "badge-svg"):
        image = client.get(reverse(f"credplugin:{name}", args=[badge.uuid])).content
        content_type = "image/png" if name == "badge-png" else "image/svg+xml"
        report = client.post(reverse("credplugin:verify-api"), image, content_type=content_type)
        assert report.json()["verdict"] == "verified", name


def test_a_signed_in_visitors_copy_is_never_shared(client, earn):
    badge = earn()
    client.force_login(badge.user)
    cache_control = page(client, badge)["Cache-Control"]
    assert "public" not in cache_control
    assert "private" in cache_control and "no-store" in cache_control


def test_page_shows_the_badge_artwork_large_with_alt_text(client, earn):
    badge = earn()
    html = page(client, badge).content.decode()
    svg_url = reverse("credplugin:badge-svg", args=[badge.uuid])
    assert re.search(
        rf'<img class="credplugin-artwork" src="{svg_url}" width="220" height="220" '
        r'alt="Badge image: Ethical AI Practitioner, issued by [^"]+"',
        html,
    )


def test_downloads_draw_the_badge_class_colours(client, earn):
    badge = earn()
    BadgeClass.objects.filter(pk=badge.badge_class_id).update(colour="#123456")
    svg = client.get(reverse("credplugin:badge-svg", args=[badge.uuid])).content.decode()
    assert 'fill="#123456"' in svg
    png = client.get(reverse("credplugin:badge-png", args=[badge.uuid])).content
    with Image.open(io.BytesIO(png)) as image:
        assert image.getpixel((256, 200))[:3] == (0x12, 0x34, 0x56)
    assert unbake_png(png) == badge.credential


def test_competencies_show_levels_on_their_scale_and_no_raw_scores(client, earn):
    html = page(client, earn()).content.decode()
    table = html[html.index('id="competencies-heading"') : html.index("</table>")]
    assert "Expert — level 3 of 3" in table
    assert "Proficient — level 2 of 3" in table
    assert "Ethics scenarios" not in table and "0.8" not in table


def test_hours_read_as_a_duration_and_each_assessment_is_named_once(client, earn):
    html = page(client, earn()).content.decode()
    assert "12.5 hours" in html
    section = html[html.index('id="assessment-heading"') :]
    section = section[: section.index("</section>")]
    assert section.count("Capstone project") == 1
    assert "A project judged against a published rubric." in section


def test_a_hidden_name_is_explained_neutrally(client, earn):
    html = page(client, earn()).content.decode()
    assert "chose not to show" not in html
    assert "Name not shown publicly (the learner's choice)" in html


def test_share_box_offers_copy_email_and_an_embed_snippet_near_the_top(client, earn):
    badge = earn()
    html = page(client, badge).content.decode()
    page_url = f"http://testserver/credplugin/badges/{badge.uuid}/"
    assert html.index('id="share-heading"') < html.index('id="issued-heading"')
    assert f'data-credplugin-copy="{page_url}"' in html
    mailto = re.search(r'href="(mailto:[^"]+)"', html).group(1)
    query = parse_qs(urlparse(mailto.replace("&amp;", "&")).query)
    assert "Ethical AI Practitioner" in query["subject"][0]
    assert page_url in query["body"][0]
    snippet = re.search(r'<textarea id="embed-code"[^>]*>(.*?)</textarea>', html, re.S).group(1)
    embed = unescape(snippet)
    assert embed.startswith(f'<a href="{page_url}"><img src="http://testserver/credplugin/badges/')
    assert 'alt="Badge: Ethical AI Practitioner, issued by' in embed


@pytest.mark.parametrize("hidden", [True, False])
def test_hidden_and_unknown_badge_pages_are_a_helpful_styled_404(client, earn, hidden):
    badge = earn()
    api.set_badge_visibility(str(badge.uuid), user_id=badge.user_id, hidden=True)
    target = badge.uuid if hidden else uuid.uuid4()
    response = client.get(reverse("credplugin:badge-page", args=[target]))
    assert response.status_code == 404
    html = response.content.decode()
    assert "This badge is not available" in html
    assert "credplugin.css" in html
    assert reverse("credplugin:verify-page") in html
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
