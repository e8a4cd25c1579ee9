"""A wallet nobody here wrote: the Digital Bazaar / DCC JavaScript stack holds a did:key, walks
the exchange over HTTP from the interaction URL, and verifies the badge it receives."""

import json
import subprocess

import pytest
from django.urls import reverse

from credplugin.models import WalletExchange
from credplugin.openbadges.keys import generate_key
from tests.js_stack import (
    JS_DIR,
    TIMEOUT_SECONDS,
    js_stack,  # noqa: F401 - pytest fixture
)

pytestmark = pytest.mark.django_db(transaction=True)


def run_wallet(*args):
    result = subprocess.run(
        ["node", str(JS_DIR / "wallet.mjs"), *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def site(live_server, settings):
    """The live server is the site: badges are issued under its address."""
    settings.LMS_ROOT_URL = live_server.url
    return live_server


@pytest.fixture(params=["eddsa-rdfc-2022", "ed25519-2020"])
def wallet(request, tmp_path):
    """``(suite, did:key, key file)``: a VC 2.0 wallet, and one signing as LCW does."""
    key = generate_key()
    key_file = tmp_path / "wallet-key.json"
    key_file.write_text(json.dumps(key.to_json()))
    return request.param, key, key_file


def test_the_javascript_wallet_receives_a_badge_it_can_verify(
    site,
    earn,
    client,
    js_stack,  # noqa: F811
    wallet,
):
    suite, wallet_key, key_file = wallet
    badge = earn()
    client.force_login(badge.user)
    page = client.post(reverse("credplugin:my-badge-wallet", args=[badge.uuid]))

    run = run_wallet(
        "exchange", "--key", str(key_file), "--suite", suite, page.context["interaction_url"]
    )
    assert run["status"] == 200, run["answer"]
    credential = run["answer"]["verifiablePresentation"]["verifiableCredential"][0]
    assert credential["credentialSubject"]["id"] == wallet_key.controller
    did_document = client.get(reverse("credplugin:did-document")).json()
    status_list = client.get(
        reverse("credplugin:status-list", args=["revocation", badge.status_list_sequence])
    ).json()
    answer = js_stack.verify(credential, did_documents=[did_document], status_lists=[status_list])
    assert answer.verified, answer.error
    assert WalletExchange.objects.get().holder_did == wallet_key.controller

    again = run_wallet(
        "did-auth",
        "--key",
        str(key_file),
        "--suite",
        suite,
        "--challenge",
        run["request"]["challenge"],
        "--domain",
        run["request"]["domain"],
    )
    replay = client.post(
        reverse("credplugin:wallet-exchange", args=[WalletExchange.objects.get().exchange_id]),
        json.dumps({"verifiablePresentation": again}),
        content_type="application/json",
    )
    assert replay.status_code == 410
