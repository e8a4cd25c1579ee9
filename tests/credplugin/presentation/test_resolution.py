"""The verification resolver: own documents from the database, allowed origins only, and
no redirects."""

import ipaddress
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings

from credplugin import api
from credplugin.presentation import resolution
from credplugin.presentation.resolution import (
    ResolutionRefused,
    allowed_origins,
    checked_address,
    document_url,
    verification_resolver,
)

pytestmark = pytest.mark.django_db
DID_DOCUMENT = {"id": "did:web:issuer.example", "verificationMethod": []}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's naming)
        self.server.requests.append(self.path)
        if self.path.startswith("/drip"):
            self.drip(headers_too=self.path == "/drip-headers")
            return
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

    def drip(self, *, headers_too):
        """One byte every 0.1 s for up to 30 s: no read waits long, the whole never ends."""
        self.wfile.write(b"HTTP/1.1 200 OK\r\n")
        if not headers_too:
            self.wfile.write(b"Content-Type: application/json\r\nContent-Length: 400\r\n\r\n")
        stop = time.monotonic() + 30
        while time.monotonic() < stop:
            try:
                self.wfile.write(b"X" if headers_too else b" ")
                self.wfile.flush()
            except OSError:
                return
            time.sleep(0.1)

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


@pytest.mark.parametrize("path", ["/drip", "/drip-headers"])
def test_a_slow_dripping_server_is_cut_off_at_the_deadline(issuer_server, monkeypatch, path):
    origin, requests = issuer_server
    monkeypatch.setattr(resolution, "FETCH_DEADLINE_SECONDS", 1)
    started = time.monotonic()
    with (
        override_settings(CREDPLUGIN_VERIFY_ALLOWED_HOSTS=[origin]),
        pytest.raises(ResolutionRefused, match="did not answer within 1 seconds"),
    ):
        verification_resolver()(f"{origin}{path}")
    assert time.monotonic() - started < 2.5
    assert requests == [path]


def resolving(monkeypatch, names):
    """Make ``socket.getaddrinfo`` answer ``names[host]`` (a list, one answer per call)."""
    real = socket.getaddrinfo
    calls = []

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in names:
            return real(host, port, *args, **kwargs)
        calls.append(host)
        answers = names[host]
        address = answers.pop(0) if len(answers) > 1 else answers[0]
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return calls


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.0.0.5", "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1"]
    + ["::1", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "::ffff:169.254.169.254"],
)
def test_a_host_name_resolving_to_a_private_address_is_refused(monkeypatch, address):
    resolving(monkeypatch, {"issuer.example": [address]})
    with pytest.raises(ResolutionRefused, match="not a public address"):
        checked_address("issuer.example", 443)


def test_a_public_address_and_a_listed_ip_literal_are_used_as_they_are(monkeypatch):
    resolving(monkeypatch, {"issuer.example": ["93.184.215.14"]})
    assert checked_address("issuer.example", 443) == "93.184.215.14"
    assert checked_address("10.0.0.5", 8080) == "10.0.0.5"


def test_an_allowed_host_name_resolving_to_loopback_is_not_fetched(issuer_server, monkeypatch):
    origin, requests = issuer_server
    port = origin.rsplit(":", 1)[1]
    resolving(monkeypatch, {"issuer.example": ["127.0.0.1"]})
    with (
        override_settings(CREDPLUGIN_VERIFY_ALLOWED_HOSTS=[f"http://issuer.example:{port}"]),
        pytest.raises(ResolutionRefused, match="not a public address"),
    ):
        verification_resolver()(f"http://issuer.example:{port}/list.json")
    assert requests == []


def test_the_connection_goes_to_the_address_that_was_checked(issuer_server, monkeypatch):
    """DNS rebinding: the name answers a checked address, then an internal one."""
    origin, requests = issuer_server
    port = origin.rsplit(":", 1)[1]
    # For this test 127.0.0.1 (where the test server listens) stands for a public address;
    # 127.0.0.2 is the internal service the rebinding answer points to.
    stand_in = ipaddress.ip_address("127.0.0.1")
    monkeypatch.setattr(resolution, "is_public_address", lambda address: address == stand_in)
    calls = resolving(monkeypatch, {"issuer.example": ["127.0.0.1", "127.0.0.2"]})
    with override_settings(CREDPLUGIN_VERIFY_ALLOWED_HOSTS=[f"http://issuer.example:{port}"]):
        assert verification_resolver()(f"http://issuer.example:{port}/list.json") == DID_DOCUMENT
    assert requests == ["/list.json"]
    assert calls == ["issuer.example"]
