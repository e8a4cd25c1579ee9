"""The verification resolver: own documents from the database, allowed origins only, and
no redirects."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings

from credplugin import api
from credplugin.views.resolution import (
    ResolutionRefused,
    allowed_origins,
    document_url,
    verification_resolver,
)

pytestmark = pytest.mark.django_db
DID_DOCUMENT = {"id": "did:web:issuer.example", "verificationMethod": []}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's naming)
        self.server.requests.append(self.path)
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
            self.end_headers()
            return
        body = b"[1]" if self.path == "/array.json" else json.dumps(DID_DOCUMENT).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        """Keep test output quiet."""


@pytest.fixture
def issuer_server():
    """A throwaway HTTP server on a free loopback port; yields its origin and request log."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", server.requests
    server.shutdown()
    server.server_close()


def test_this_sites_did_document_comes_from_the_database(badge_setup):
    did = api.issuer_did()
    assert verification_resolver()(did) == api.issuer_did_document()


@override_settings(CREDPLUGIN_VERIFY_ALLOWED_HOSTS=["Issuer.example", "http://10.0.0.5:8080/"])
def test_allowed_hosts_become_origins():
    assert allowed_origins() == {"https://issuer.example", "http://10.0.0.5:8080"}


@pytest.mark.parametrize(
    ("reference", "url"),
    [
        ("did:web:issuer.example", "https://issuer.example/.well-known/did.json"),
        ("did:web:issuer.example:org#key-1", "https://issuer.example/org/did.json"),
        ("https://issuer.example/list.json", "https://issuer.example/list.json"),
    ],
)
def test_document_urls(reference, url):
    assert document_url(reference) == url


@pytest.mark.parametrize("reference", ["file:///etc/passwd", "ftp://x/y", "urn:uuid:1"])
def test_non_web_references_are_refused(reference):
    with pytest.raises(ResolutionRefused):
        document_url(reference)


def test_an_origin_not_allowed_is_not_fetched(issuer_server):
    origin, requests = issuer_server
    with pytest.raises(ResolutionRefused, match="not fetched"):
        verification_resolver()(f"{origin}/list.json")
    assert requests == []


def test_an_allowed_origin_is_fetched(issuer_server):
    origin, requests = issuer_server
    with override_settings(CREDPLUGIN_VERIFY_ALLOWED_HOSTS=[origin]):
        assert verification_resolver()(f"{origin}/list.json") == DID_DOCUMENT
    assert requests == ["/list.json"]


def test_a_redirect_from_an_allowed_origin_is_not_followed(issuer_server):
    origin, requests = issuer_server
    with (
        override_settings(CREDPLUGIN_VERIFY_ALLOWED_HOSTS=[origin]),
        pytest.raises(ResolutionRefused, match="redirects"),
    ):
        verification_resolver()(f"{origin}/redirect")
    assert requests == ["/redirect"]


def test_an_allowed_origin_must_answer_a_json_object(issuer_server):
    origin, _requests = issuer_server
    with (
        override_settings(CREDPLUGIN_VERIFY_ALLOWED_HOSTS=[origin]),
        pytest.raises(ResolutionRefused, match="JSON object"),
    ):
        verification_resolver()(f"{origin}/array.json")


def test_an_allowed_origin_answer_over_the_size_limit_is_refused(issuer_server):
    origin, _requests = issuer_server
    with (
        override_settings(CREDPLUGIN_VERIFY_ALLOWED_HOSTS=[origin], CREDPLUGIN_VERIFY_MAX_BYTES=10),
        pytest.raises(ResolutionRefused, match="size limit"),
    ):
        verification_resolver()(f"{origin}/list.json")


def test_one_verification_fetches_each_document_once(issuer_server):
    origin, requests = issuer_server
    with override_settings(CREDPLUGIN_VERIFY_ALLOWED_HOSTS=[origin]):
        resolve = verification_resolver()
        resolve(f"{origin}/list.json")
        resolve(f"{origin}/list.json")
    assert requests == ["/list.json"]
