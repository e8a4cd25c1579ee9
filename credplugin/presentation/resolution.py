"""What verification may look up: this site's documents, ``did:key``, allowed hosts; nothing else.

A submitted credential names URLs (its issuer's ``did:web`` document, its status list). Fetching
them blindly would let anyone make this server request internal addresses (cloud metadata,
localhost services). So the resolver answers from the database for this site's own documents
(``credplugin.api.resolve_for_verification``), ``did:key`` needs no lookup at all, and only
origins the operator lists in ``CREDPLUGIN_VERIFY_ALLOWED_HOSTS`` are fetched: without
redirects or proxies, within a size limit and one overall deadline (a server that drips its
answer is cut off), and only from public addresses. An allowed host *name* is resolved once, every
address it resolves to must be global (not private, loopback, link-local, multicast or
reserved), and the connection goes to the address that was checked, so a DNS answer that
changes between check and connection ("rebinding") cannot reach an internal service. An origin
the operator lists as a literal IP address is their explicit choice and is used as listed.
"""

import functools
import http.client
import ipaddress
import json
import socket
import threading
import urllib.error
import urllib.request
from contextlib import suppress
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from credplugin import api
from credplugin.conf import credplugin_settings
from credplugin.exceptions import NotFound
from credplugin.openbadges import DidError, did_web_document_url

FETCH_DEADLINE_SECONDS = 5


class ResolutionRefused(LookupError):
    """The reference is neither this site's nor on an allowed host, or fetching it failed."""


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect could lead anywhere, including to addresses the operator never allowed."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: PLR0917 (urllib's)
        raise ResolutionRefused(
            _("%(url)s redirects to %(target)s; redirects are not followed.")
            % {"url": req.full_url, "target": newurl}
        )


def _origin(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def allowed_origins():
    """``CREDPLUGIN_VERIFY_ALLOWED_HOSTS`` as origins; a bare host name means ``https://``."""
    origins = set()
    for entry in credplugin_settings.VERIFY_ALLOWED_HOSTS:
        origin = entry.strip().rstrip("/").lower()
        if origin:
            origins.add(origin if "://" in origin else f"https://{origin}")
    return origins


def document_url(reference):
    """The URL a DID or URL reference is fetched from, or ``ResolutionRefused``."""
    if reference.startswith("did:web:"):
        try:
            return did_web_document_url(reference.split("#", 1)[0])
        except DidError as error:
            raise ResolutionRefused(str(error)) from error
    if urlsplit(reference).scheme in ("http", "https"):
        return reference
    raise ResolutionRefused(
        _("%(reference)s cannot be looked up: only did:key, did:web and web addresses can.")
        % {"reference": reference}
    )


def _address(value):
    address = ipaddress.ip_address(value.split("%", 1)[0])
    if address.version == 6 and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def is_public_address(address):
    """Globally reachable: not private, loopback, link-local, multicast, reserved or shared."""
    return address.is_global and not address.is_multicast


def checked_address(host, port):
    """The address to connect to for ``host``: itself if a literal IP, else its public address.

    Raises ``ResolutionRefused`` when the name does not resolve or resolves to any address that
    is not globally reachable.
    """
    try:
        return str(_address(host))
    except ValueError:
        pass
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise ResolutionRefused(
            _("%(host)s could not be resolved: %(error)s") % {"host": host, "error": error}
        ) from error
    addresses = [_address(info[4][0]) for info in found]
    for address in addresses:
        if not is_public_address(address):
            raise ResolutionRefused(
                _("%(host)s resolves to %(address)s, which is not a public address; not fetched.")
                % {"host": host, "address": address}
            )
    if not addresses:
        raise ResolutionRefused(_("%(host)s has no address.") % {"host": host})
    return str(addresses[0])


class _Deadline:
    """Shuts every connection of one fetch down when its time is up, whatever it is waiting for.

    A socket timeout bounds each read, not their sum: a server sending a byte every few
    seconds would never time out. The shutdown goes through a duplicate of the socket's
    descriptor, so it also ends a TLS connection wrapped around the original socket.
    """

    def __init__(self, seconds):
        self.expired = False
        self.sockets = []
        self.lock = threading.Lock()
        self.timer = threading.Timer(seconds, self.expire)
        self.timer.daemon = True

    def __enter__(self):
        self.timer.start()
        return self

    def __exit__(self, *exc_info):
        self.timer.cancel()
        with self.lock:
            for watched in self.sockets:
                watched.close()

    def watch(self, connected):
        watched = connected.dup()
        with self.lock:
            self.sockets.append(watched)
            if self.expired:
                watched.shutdown(socket.SHUT_RDWR)

    def expire(self):
        with self.lock:
            self.expired = True
            for watched in self.sockets:
                with suppress(OSError):
                    watched.shutdown(socket.SHUT_RDWR)


def _pinned(connection_class):
    """``connection_class`` connecting to one checked address whatever its host name resolves to.

    The host name still goes in the ``Host`` header and, for HTTPS, in SNI and the certificate
    check.
    """

    class Pinned(connection_class):
        def __init__(self, host, *, address, deadline, **kwargs):
            super().__init__(host, **kwargs)
            self.pinned_address = address
            self.deadline = deadline
            # http.client connects through this instance attribute.
            self._create_connection = self._connect_pinned

        def _connect_pinned(self, target, *args, **kwargs):
            connected = socket.create_connection((self.pinned_address, target[1]), *args, **kwargs)
            self.deadline.watch(connected)
            return connected

    return Pinned


_PinnedHTTPConnection = _pinned(http.client.HTTPConnection)
_PinnedHTTPSConnection = _pinned(http.client.HTTPSConnection)


class _PinnedHandler(urllib.request.HTTPHandler, urllib.request.HTTPSHandler):
    """HTTP and HTTPS through the pinned connections (it replaces both default handlers)."""

    def __init__(self, address, deadline):
        urllib.request.HTTPSHandler.__init__(self)
        self.pinning = {"address": address, "deadline": deadline}

    def http_open(self, req):
        return self.do_open(functools.partial(_PinnedHTTPConnection, **self.pinning), req)

    def https_open(self, req):
        connection = functools.partial(_PinnedHTTPSConnection, **self.pinning)
        return self.do_open(connection, req, context=self._context)


def fetch_json(url):
    """GET ``url`` (an allowed origin) and parse its JSON object, within the deadline."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ResolutionRefused(_("%(url)s is not a web address.") % {"url": url})
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise ResolutionRefused(_("%(url)s is not a web address.") % {"url": url}) from error
    address = checked_address(parts.hostname, port)
    limit = int(credplugin_settings.VERIFY_MAX_BYTES)
    request = urllib.request.Request(  # noqa: S310 (the scheme is checked just above)
        url, headers={"Accept": "application/did+ld+json, application/ld+json, application/json"}
    )
    with _Deadline(FETCH_DEADLINE_SECONDS) as deadline:
        opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}),
            _RefuseRedirects,
            _PinnedHandler(address, deadline),
        )
        try:
            with opener.open(request, timeout=FETCH_DEADLINE_SECONDS) as response:
                body = response.read(limit + 1)
        except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException) as error:
            if deadline.expired:
                raise _too_slow(url) from error
            raise ResolutionRefused(
                _("%(url)s could not be fetched: %(error)s") % {"url": url, "error": error}
            ) from error
    if deadline.expired:
        raise _too_slow(url)
    if len(body) > limit:
        raise ResolutionRefused(_("%(url)s is larger than the size limit.") % {"url": url})
    try:
        document = json.loads(body)
    except ValueError as error:
        raise ResolutionRefused(_("%(url)s did not answer JSON.") % {"url": url}) from error
    if not isinstance(document, dict):
        raise ResolutionRefused(_("%(url)s did not answer a JSON object.") % {"url": url})
    return document


def _too_slow(url):
    return ResolutionRefused(
        _("%(url)s did not answer within %(seconds)d seconds.")
        % {"url": url, "seconds": FETCH_DEADLINE_SECONDS}
    )


def verification_resolver():
    """A ``resolve(reference)`` for one verification, remembering what it already found."""
    origins = allowed_origins()
    found = {}

    def resolve(reference):
        if reference not in found:
            found[reference] = _resolve(reference, origins)
        return found[reference]

    return resolve


def _resolve(reference, origins):
    try:
        return api.resolve_for_verification(reference)
    except NotFound:
        pass
    url = document_url(reference)
    if _origin(url) not in origins:
        raise ResolutionRefused(
            _(
                "%(reference)s is neither published by this site nor on a host its operator "
                "allows, so it was not fetched."
            )
            % {"reference": reference}
        )
    return fetch_json(url)
