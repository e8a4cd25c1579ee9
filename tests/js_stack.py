"""The JavaScript verifier stack (Digital Bazaar / DCC, from npm) as a pytest fixture.

Tests anywhere in the repository can check that what credplugin issues verifies with the
reference JavaScript implementation::

    from tests.js_stack import js_stack  # noqa: F401 - pytest fixture

    def test_badge_page_credential(js_stack):
        assert js_stack.verify(credential, did_documents=[did_doc]).verified

Setup: ``npm ci --prefix tests/js`` (package.json and package-lock.json are committed). Without
node or the modules the fixture skips with the reason, except under ``CI=true`` where it fails:
interop must never be skipped silently in CI.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import attr
import pytest

JS_DIR = Path(__file__).resolve().parent / "js"
SCRIPT = JS_DIR / "ob.mjs"
REQUIRED_MODULE = JS_DIR / "node_modules" / "@digitalbazaar" / "vc" / "package.json"
TIMEOUT_SECONDS = 60


class JsStackError(RuntimeError):
    """The node script failed to run (as opposed to answering "not verified")."""


@attr.s(frozen=True)
class JsVerification:
    """
    The JavaScript verifier's answer.

    Attributes:
        verified (bool): whether @digitalbazaar/vc accepted the credential.
        error (str): its reasons when it did not.
    """

    verified = attr.ib(type=bool)
    error = attr.ib(type=str, default="")


def unavailable_reason() -> str | None:
    """Why the JavaScript stack cannot run here, or None when it can."""
    if shutil.which("node") is None:
        return "node is not installed"
    if not REQUIRED_MODULE.exists():
        return "npm modules missing: run `npm ci --prefix tests/js`"
    return None


@attr.s(frozen=True)
class JsStack:
    """
    Runs ``tests/js/ob.mjs`` with JSON files written to a scratch folder.

    Attributes:
        workdir (Path): where input files are written.
    """

    workdir = attr.ib(type=Path)

    def _write(self, name: str, data: dict) -> str:
        path = self.workdir / name
        path.write_text(json.dumps(data), encoding="utf-8")
        return str(path)

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["node", str(SCRIPT), *args],
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )

    def _json_output(self, result: subprocess.CompletedProcess):
        if result.returncode != 0:
            raise JsStackError(f"ob.mjs exited {result.returncode}: {result.stderr.strip()}")
        return json.loads(result.stdout)

    def verify(self, credential: dict, *, did_documents=(), status_lists=(), now=None):
        """Verify ``credential`` with @digitalbazaar/vc, offline, and return its answer."""
        args = ["verify", self._write("credential.json", credential)]
        for index, document in enumerate(did_documents):
            args += ["--did-doc", self._write(f"did-{index}.json", document)]
        for index, status_list in enumerate(status_lists):
            args += ["--status-list", self._write(f"status-{index}.json", status_list)]
        if now is not None:
            args += ["--now", now]
        result = self._run(*args)
        if result.returncode not in (0, 1) or not result.stdout.strip():
            raise JsStackError(f"ob.mjs exited {result.returncode}: {result.stderr.strip()}")
        answer = json.loads(result.stdout)
        return JsVerification(answer["verified"], answer.get("error") or "")

    def sign(self, credential: dict, key, *, created: str | None = None) -> dict:
        """Sign ``credential`` with eddsa-rdfc-2022 in JavaScript, as ``key`` (a SigningKey)."""
        args = ["sign", "--key", self._write("key.json", key.to_json())]
        if created:
            args += ["--created", created]
        return self._json_output(self._run(*args, self._write("unsigned.json", credential)))

    def status_list(self, key, url: str, *, set_bits=(), purpose: str = "revocation") -> dict:
        """A BitstringStatusListCredential made and signed by the JavaScript libraries."""
        args = ["status-list", "--key", self._write("key.json", key.to_json()), "--url", url]
        args += ["--purpose", purpose]
        for index in set_bits:
            args += ["--set", str(index)]
        return self._json_output(self._run(*args))

    def canonize(self, *documents: dict) -> list[str]:
        """RDFC-1.0 N-Quads of each document, computed by jsonld.js in safe mode (one run)."""
        paths = [self._write(f"document-{i}.json", doc) for i, doc in enumerate(documents)]
        return self._json_output(self._run("canonize", *paths))


@pytest.fixture(scope="session")
def js_stack(tmp_path_factory) -> JsStack:
    """The JavaScript stack, or a skip (a failure under CI=true) saying why it is missing."""
    reason = unavailable_reason()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"JavaScript interop is required in CI: {reason}")
        pytest.skip(f"JavaScript interop skipped: {reason}")
    return JsStack(tmp_path_factory.mktemp("js-stack"))
