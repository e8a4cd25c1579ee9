"""DID documents for the issuer: ``did:key`` (self-describing) and ``did:web`` (served by the site).

A verifier trusts a proof only if the proof's verification method is listed under
``assertionMethod`` in the document of the DID that issued the credential. ``did:web`` documents
list every key the site ever signed with, current and retired, so badges signed before a key
rotation still verify.
"""

from urllib.parse import quote, unquote, urlsplit

from credplugin.openbadges.keys import (
    DID_KEY_PREFIX,
    KeyFormatError,
    did_key_for,
    public_key_from_multibase,
)
from credplugin.openbadges.loader import DID_V1_CONTEXT, MULTIKEY_V1_CONTEXT

DID_WEB_PREFIX = "did:web:"
DID_DOCUMENT_CONTEXT = [DID_V1_CONTEXT, MULTIKEY_V1_CONTEXT]


class DidError(ValueError):
    """A DID or DID document is malformed, unresolvable, or does not list the key."""


def did_web_from_url(site_url: str) -> str:
    """Return the ``did:web`` DID of a site: ``https://lms.example.com:8443/org`` →
    ``did:web:lms.example.com%3A8443:org``.

    Raises:
        DidError: the URL is not https (or http for localhost) or has a query or fragment.
    """
    parts = urlsplit(site_url.strip())
    local = parts.hostname in {"localhost", "127.0.0.1"}
    if parts.scheme != "https" and not (parts.scheme == "http" and local):
        raise DidError(f"did:web needs an https site URL, got {site_url!r}")
    if not parts.hostname or parts.query or parts.fragment or parts.username:
        raise DidError(f"{site_url!r} is not a plain site URL")
    host = parts.hostname + (f"%3A{parts.port}" if parts.port else "")
    segments = [quote(unquote(segment), safe="") for segment in parts.path.split("/") if segment]
    return DID_WEB_PREFIX + ":".join([host, *segments])


def did_web_document_url(did: str) -> str:
    """Where a ``did:web`` DID's document is served (per the did:web method spec).

    Raises:
        DidError: ``did`` is not a did:web DID.
    """
    if not isinstance(did, str) or not did.startswith(DID_WEB_PREFIX) or "#" in did:
        raise DidError(f"{did!r} is not a did:web DID")
    host, *segments = did.removeprefix(DID_WEB_PREFIX).split(":")
    host = unquote(host)
    scheme = "http" if host.split(":")[0] in {"localhost", "127.0.0.1"} else "https"
    path = "/".join(segments) if segments else ".well-known"
    return f"{scheme}://{host}/{path}/did.json"


def verification_method_entry(controller: str, multibase: str) -> dict:
    """The ``Multikey`` verification method for ``multibase`` inside ``controller``'s document."""
    return {
        "id": f"{controller}#{multibase}",
        "type": "Multikey",
        "controller": controller,
        "publicKeyMultibase": multibase,
    }


def did_document(did: str, key_multibases: list[str]) -> dict:
    """A DID document listing each Multikey for assertion (signing credentials).

    ``key_multibases`` holds every key the DID has signed with, current and retired.
    """
    methods = [verification_method_entry(did, multibase) for multibase in key_multibases]
    ids = [method["id"] for method in methods]
    return {
        "@context": list(DID_DOCUMENT_CONTEXT),
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": ids,
        "authentication": ids,
    }


def did_web_document(site_url: str, key_multibases: list[str]) -> dict:
    """The DID document a site serves for its ``did:web``, listing every key it signed with.

    Raises:
        DidError: ``site_url`` cannot be a did:web (see :func:`did_web_from_url`).
    """
    return did_document(did_web_from_url(site_url), key_multibases)


def did_key_document(did: str) -> dict:
    """Resolve a ``did:key`` DID (Ed25519 Multikey only) into its DID document.

    Raises:
        DidError: not an Ed25519 did:key.
    """
    multibase = did.removeprefix(DID_KEY_PREFIX) if isinstance(did, str) else ""
    if not did.startswith(DID_KEY_PREFIX) or did_key_for(multibase) != did:
        raise DidError(f"{did!r} is not a did:key DID")
    try:
        public_key_from_multibase(multibase)
    except KeyFormatError as error:
        raise DidError(f"{did}: {error}") from error
    return did_document(did, [multibase])


def assertion_method(document: dict, method_id: str) -> dict:
    """Return the verification method ``method_id`` if ``document`` authorizes it to assert.

    Raises:
        DidError: the document does not list the method, lists it under another DID, or does
            not allow it under ``assertionMethod``.
    """
    if not isinstance(document, dict):
        raise DidError("the DID document is not a JSON object")
    controller = method_id.split("#", 1)[0]
    if document.get("id") != controller:
        raise DidError(f"the DID document is for {document.get('id')!r}, not {controller!r}")
    methods = {}
    for entry in _entries(document, "verificationMethod") + _entries(document, "assertionMethod"):
        if isinstance(entry, dict) and isinstance(entry.get("id"), str):
            methods[_absolute(controller, entry["id"])] = entry
    authorized = set()
    for entry in _entries(document, "assertionMethod"):
        reference = entry.get("id") if isinstance(entry, dict) else entry
        if isinstance(reference, str):
            authorized.add(_absolute(controller, reference))
    if method_id not in authorized:
        raise DidError(f"{method_id} is not an assertionMethod of {controller}")
    method = methods.get(method_id)
    if method is None:
        raise DidError(f"{method_id} is not described in the DID document")
    if method.get("controller") != controller:
        raise DidError(f"{method_id} is controlled by {method.get('controller')!r}")
    return method


def _entries(document: dict, name: str) -> list:
    value = document.get(name, [])
    return value if isinstance(value, list) else [value]


def _absolute(controller: str, method_id: str) -> str:
    """DID documents may write verification method ids relative to the DID (``#key-1``)."""
    return controller + method_id if method_id.startswith("#") else method_id
