"""The shipped JSON-LD contexts and the offline document loader."""

import hashlib
import json
import subprocess

import pytest

from credplugin.openbadges.loader import (
    OPEN_BADGES_V3_CONTEXT,
    UnknownContextError,
    context_manifest,
    contexts_directory,
    document_loader,
    load_context,
)
from tests.js_stack import JS_DIR


def test_every_shipped_context_matches_its_manifest_sha256():
    manifest = context_manifest()
    assert manifest
    for url, entry in manifest.items():
        data = contexts_directory().joinpath(entry["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], url
        assert "@context" in json.loads(data), url
        assert "@" in entry["source"] and entry["path"], url


def test_every_context_file_is_listed_in_the_manifest():
    listed = {entry["file"] for entry in context_manifest().values()} | {"manifest.json"}
    shipped = {item.name for item in contexts_directory().iterdir() if item.name.endswith(".json")}
    assert shipped == listed


def test_loader_returns_pyld_remote_document():
    remote = document_loader(OPEN_BADGES_V3_CONTEXT, {})
    assert remote["documentUrl"] == OPEN_BADGES_V3_CONTEXT
    assert remote["document"]["@context"]["@protected"] is True


def test_loaded_context_is_a_private_copy():
    load_context(OPEN_BADGES_V3_CONTEXT)["@context"]["@protected"] = False
    assert load_context(OPEN_BADGES_V3_CONTEXT)["@context"]["@protected"] is True


def test_unknown_context_is_a_clear_error():
    with pytest.raises(UnknownContextError, match="not shipped"):
        document_loader("https://example.com/my-context.json")


def test_shipped_contexts_are_exactly_what_the_npm_packages_publish(js_stack, tmp_path):
    """Re-export from tests/js/node_modules: catches drift between our copies and the JS stack's."""
    subprocess.run(["node", str(JS_DIR / "export-contexts.mjs"), str(tmp_path)], check=True)
    exported = json.loads((tmp_path / "manifest.json").read_text("utf-8"))
    assert exported == context_manifest()
