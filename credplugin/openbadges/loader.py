"""Offline JSON-LD document loader backed by the contexts shipped in ``contexts/``.

Signing and verifying must never reach the network: a context fetched at run time could change
what a signature means, and a verifier that fetches leaks who is checking which badge. Every
context we accept is a file in this package, recorded in ``contexts/manifest.json`` with the npm
package it came from and its sha256; any other URL is refused.
"""

import copy
import functools
import json
from importlib import resources

from pyld.context_resolver import ContextResolver

CREDENTIALS_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OPEN_BADGES_V3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OPEN_BADGES_EXTENSIONS_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
DATA_INTEGRITY_V2_CONTEXT = "https://w3id.org/security/data-integrity/v2"
MULTIKEY_V1_CONTEXT = "https://w3id.org/security/multikey/v1"
DID_V1_CONTEXT = "https://www.w3.org/ns/did/v1"
BITSTRING_STATUS_LIST_CONTEXT = "https://www.w3.org/ns/credentials/status/v1"
CLR_V2_CONTEXT = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"

MANIFEST_FILE = "manifest.json"
RESOLVED_CONTEXTS_LIMIT = 1000


class UnknownContextError(ValueError):
    """A document refers to a JSON-LD context that is not shipped with this package."""


def contexts_directory():
    """The package-data folder holding the shipped contexts and their manifest."""
    return resources.files(__package__).joinpath("contexts")


@functools.cache
def context_manifest() -> dict:
    """Return the manifest: context URL → file, npm source, path in the package, sha256."""
    return json.loads(contexts_directory().joinpath(MANIFEST_FILE).read_text("utf-8"))


@functools.cache
def _parsed_context(url: str) -> dict:
    entry = context_manifest().get(url)
    if entry is None:
        known = ", ".join(sorted(context_manifest()))
        raise UnknownContextError(
            f"JSON-LD context {url!r} is not shipped with credplugin; known contexts: {known}"
        )
    text = contexts_directory().joinpath(entry["file"]).read_text("utf-8")
    return json.loads(text)


def load_context(url: str) -> dict:
    """Return a fresh copy of the shipped context document for ``url``.

    Raises:
        UnknownContextError: ``url`` is not one of the shipped contexts.
    """
    return copy.deepcopy(_parsed_context(url))


def document_loader(url: str, options: dict | None = None) -> dict:
    """pyld document loader that serves only the shipped contexts (``options`` is ignored)."""
    return {"contextUrl": None, "documentUrl": url, "document": load_context(url)}


class _ResolvedContextCache(dict):
    """pyld's resolved-context cache, kept apart from pyld's process-wide one.

    pyld's default cache is shared by every loader in the process, so a context fetched by some
    other pyld user would be honoured here without our loader ever seeing it. Inline contexts are
    cached too, so the size is bounded: past the limit the cache simply starts again.
    """

    def __setitem__(self, key, value):
        if len(self) >= RESOLVED_CONTEXTS_LIMIT:
            self.clear()
        super().__setitem__(key, value)


_resolved_contexts = _ResolvedContextCache()


def context_resolver() -> ContextResolver:
    """A pyld context resolver for one operation, resolving only the shipped contexts."""
    return ContextResolver(_resolved_contexts, document_loader)
