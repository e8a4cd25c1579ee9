"""Add to wallet: the learner opens a single-use, short-lived VC-API exchange for their own
badge; a wallet that proves control of its DID receives the badge bound to that DID. Every
hostile message is refused with a reason and changes nothing."""

import json
from datetime import timedelta
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from credplugin import api
from credplugin.issuing.issuance import resolve_for_verification
from credplugin.models import WalletExchange
from credplugin.openbadges.keys import generate_key
from credplugin.openbadges.verify import verify_credential
from tests.openbadges.test_credential import schema_validator  # noqa: F401 - fixture
from tests.wallets import did_auth

pytestmark = pytest.mark.django_db
DOMAIN = "127.0.0.1:8000"


def open_exchange(client, badge):
    client.force_login(badge.user)
    response = client.post(reverse("credplugin:my-badge-wallet", args=[badge.uuid]))
    assert response.status_code == 200, response.content
    return response, WalletExchange.objects.get(pk=response.context["exchange"].pk)


def exchange_path(exchange):
    return reverse("credplugin:wallet-exchange", args=[exchange.exchange_id])


def post(client, path, body):
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return client.post(path, data, content_type="application/json")


def present(client, exchange, key, **change):
    proof = {"challenge": exchange.challenge, "domain": DOMAIN, **change}
    return post(client, exchange_path(exchange), {"verifiablePresentation": did_auth(key, **proof)})


def test_my_badges_and_the_owners_badge_page_offer_add_to_wallet(client, earn):
    badge = earn()
    wallet_action = reverse("credplugin:my-badge-wallet", args=[badge.uuid])
    assert (
        wallet_action
        not in client.get(reverse("credplugin:badge-page", args=[badge.uuid])).content.decode()
    )
    client.force_login(badge.user)
    assert wallet_action in client.get(reverse("credplugin:my-badges")).content.decode()
    assert (
        wallet_action
        in client.get(reverse("credplugin:badge-page", args=[badge.uuid])).content.decode()
    )


def test_the_exchange_page_shows_a_qr_code_and_both_wallet_links(client, earn):
    response, exchange = open_exchange(client, earn())
    html = response.content.decode()
    assert "data:image/svg+xml;base64," in html
    context = response.context
    assert context["interaction_url"].endswith(
        f"/credplugin/wallet/interactions/{exchange.exchange_id}?iuv=1"
    )
    request = json.loads(parse_qs(urlsplit(context["lcw_url"]).query)["request"][0])
    assert context["lcw_url"].startswith("https://lcw.app/request?request=")
    assert request["protocols"]["vcapi"].endswith(exchange_path(exchange))
    legacy = parse_qs(urlsplit(context["legacy_url"]).query)
    assert context["legacy_url"].startswith("dccrequest://request?")
    assert legacy["challenge"] == [exchange.challenge]
    assert unquote(legacy["vc_request_url"][0]).endswith(exchange_path(exchange))
    assert exchange.expires_at - exchange.created == timedelta(minutes=10)
    assert "no-store" in response["Cache-Control"]


def test_only_the_owner_opens_an_exchange_and_only_for_an_active_badge(client, earn):
    badge, other = earn(), earn("grace")
    path = reverse("credplugin:my-badge-wallet", args=[badge.uuid])
    assert client.post(path).status_code == 302  # to the login page
    client.force_login(other.user)
    assert client.post(path).status_code == 404
    api.revoke_badge(str(badge.uuid), reason="Fraud.", actor_id=None)
    client.force_login(badge.user)
    assert client.post(path).status_code == 409
    assert client.get(path).status_code == 405
    assert not WalletExchange.objects.exists()


def test_the_interaction_url_names_the_vcapi_exchange_for_a_wallet(client, earn):
    _, exchange = open_exchange(client, earn())
    client.logout()
    path = reverse("credplugin:wallet-interaction", args=[exchange.exchange_id]) + "?iuv=1"
    answer = client.get(path, HTTP_ACCEPT="application/json")
    assert answer.json()["protocols"]["vcapi"].endswith(exchange_path(exchange))
    page = client.get(path, HTTP_ACCEPT="text/html")
    assert "https://lcw.app/request?request=" in page.content.decode()
    unknown = reverse("credplugin:wallet-interaction", args=["nope"]) + "?iuv=1"
    assert client.get(unknown, HTTP_ACCEPT="application/json").status_code == 404


def test_a_wallet_proving_its_did_receives_the_badge_bound_to_it_once(client, earn):
    badge = earn()
    _, exchange = open_exchange(client, badge)
    client.logout()
    request = post(client, exchange_path(exchange), {}).json()["verifiablePresentationRequest"]
    assert request["query"][0]["type"] == "DIDAuthentication"
    assert (request["challenge"], request["domain"]) == (exchange.challenge, DOMAIN)

    key = generate_key()
    response = present(client, exchange, key)
    assert response.status_code == 200, response.content
    credential = response.json()["verifiablePresentation"]["verifiableCredential"][0]
    subject = credential["credentialSubject"]
    assert subject["id"] == key.controller
    assert subject["identifier"] == badge.credential["credentialSubject"]["identifier"]
    assert credential["id"] == badge.credential["id"]
    report = verify_credential(credential, resolve=resolve_for_verification)
    assert report.verified, report.checks
    exchange.refresh_from_db()
    assert exchange.completed_at is not None and exchange.holder_did == key.controller

    replay = present(client, exchange, key)
    assert replay.status_code == 410
    assert "already been used" in replay.json()["detail"]
    assert post(client, exchange_path(exchange), {}).status_code == 410


def test_the_delivered_badge_matches_the_1edtech_schema(
    client,
    earn,
    schema_validator,  # noqa: F811
):
    _, exchange = open_exchange(client, earn())
    response = present(client, exchange, generate_key())
    schema_validator.validate(response.json()["verifiablePresentation"]["verifiableCredential"][0])


def _unchanged(exchange):
    exchange.refresh_from_db()
    return exchange.completed_at is None and exchange.holder_did == ""


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"challenge": "the-challenge-of-another-exchange"}, "challenge"),
        ({"domain": "evil.example"}, "domain"),
        ({"created": timezone.now() - timedelta(hours=1)}, "older than this exchange"),
    ],
)
def test_a_presentation_for_another_exchange_is_refused_and_nothing_stored(
    client, earn, change, reason
):
    _, exchange = open_exchange(client, earn())
    response = present(client, exchange, generate_key(), **change)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert reason in response.json()["detail"]
    assert _unchanged(exchange)


def test_someone_elses_exchange_challenge_does_not_open_mine(client, earn):
    _, mine = open_exchange(client, earn())
    _, theirs = open_exchange(client, earn("grace"))
    key = generate_key()
    stolen = did_auth(key, challenge=theirs.challenge, domain=DOMAIN)
    response = post(client, exchange_path(mine), {"verifiablePresentation": stolen})
    assert response.status_code == 400
    assert _unchanged(mine) and _unchanged(theirs)


def test_an_expired_exchange_is_gone(client, earn):
    _, exchange = open_exchange(client, earn())
    WalletExchange.objects.filter(pk=exchange.pk).update(expires_at=timezone.now())
    response = present(client, exchange, generate_key())
    assert response.status_code == 410
    assert "expired" in response.json()["detail"]
    assert _unchanged(exchange)


def test_a_badge_revoked_after_the_exchange_opened_is_not_delivered(client, earn):
    badge = earn()
    _, exchange = open_exchange(client, badge)
    api.revoke_badge(str(badge.uuid), reason="Fraud.", actor_id=None)
    assert present(client, exchange, generate_key()).status_code == 409
    assert _unchanged(exchange)


@pytest.mark.parametrize(
    ("body", "status", "reason"),
    [
        (b"{not json", 400, "not JSON"),
        (b"[" * 100_000, 413, "too large"),
        (b"[" * 30_000 + b"]" * 30_000, 400, "not JSON"),
        (b'{"verifiablePresentation": NaN}', 400, "not JSON"),
        (b"[]", 400, "Send {}"),
        (b'{"verifiablePresentation": {}, "redirectUrl": "https://evil.example"}', 400, "Send {}"),
        (b'{"verifiablePresentation": "did:key:z6Mk"}', 400, "JSON object"),
        (b'{"verifiablePresentation": {"@context": {"@vocab": "urn:x"}}}', 400, "@context"),
    ],
)
def test_malformed_messages_are_refused_with_a_reason(client, earn, body, status, reason):
    _, exchange = open_exchange(client, earn())
    response = post(client, exchange_path(exchange), body)
    assert response.status_code == status
    assert reason in response.json()["detail"]
    assert _unchanged(exchange)


def test_an_unknown_exchange_is_not_found(client, db):
    response = post(client, reverse("credplugin:wallet-exchange", args=["guess"]), {})
    assert response.status_code == 404
