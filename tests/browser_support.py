"""Headless Chromium for the browser tests, and where their screenshots go.

Every screenshot lands in ``test-artifacts/``. The ones the how-tos show are copied to
``docs/images/`` only when ``CREDPLUGIN_UPDATE_DOC_IMAGES=1``, so an ordinary test run never
rewrites tracked files; refresh the docs deliberately with that variable set.
"""

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO_ROOT / "test-artifacts"
DOC_IMAGES = REPO_ROOT / "docs" / "images"
CHROMIUM = os.environ.get("CREDPLUGIN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def require_chromium():
    """Skip loudly without Chromium, except in CI where a missing browser is a failure."""
    if Path(CHROMIUM).exists():
        return
    message = f"{CHROMIUM} is not installed (Debian package chromium; `make system-deps`)"
    if os.environ.get("CI") or os.environ.get("CREDPLUGIN_REQUIRE_SERVICES"):
        pytest.fail(message, pytrace=False)
    pytest.skip(f"SKIPPED LOUDLY: {message}")


@contextmanager
def chromium_page(monkeypatch, *, width=1280, height=900):
    """A fresh headless Chromium page; closed with its browser on exit."""
    require_chromium()
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    # Playwright's sync API runs an event loop in the test's thread; the live server does its
    # database work in its own thread.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = chromium.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        page.set_default_timeout(20_000)
        try:
            yield page
        finally:
            context.close()
            chromium.close()


def save_screenshot(page, name, *, for_docs=False, element=None):
    """Save ``name``.png (the whole page, or only the ``element`` selector) as a test artifact."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    if element:
        page.locator(element).first.screenshot(path=str(path), timeout=90_000)
    else:
        page.screenshot(path=str(path), full_page=True, timeout=90_000)
    if for_docs and os.environ.get("CREDPLUGIN_UPDATE_DOC_IMAGES") == "1":
        DOC_IMAGES.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, DOC_IMAGES / path.name)
    return path


AXE_SCRIPT = REPO_ROOT / "tests" / "js" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")


def axe_violations(page, context="body"):
    """axe-core's serious and critical WCAG 2.1 A/AA violations inside ``context`` (a
    selector), as ``["rule-id (impact): help — target; …"]``.

    axe-core comes from npm (``npm ci --prefix tests/js``); without it the test skips loudly,
    except in CI where an audit that did not run is a failure.
    """
    if not AXE_SCRIPT.exists():
        message = f"{AXE_SCRIPT} is missing: run `npm ci --prefix tests/js`"
        if os.environ.get("CI") or os.environ.get("CREDPLUGIN_REQUIRE_SERVICES"):
            pytest.fail(message, pytrace=False)
        pytest.skip(f"SKIPPED LOUDLY: {message}")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE_SCRIPT.read_text(encoding="utf-8"))
    results = page.evaluate(
        """(context) => axe.run(context, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
            resultTypes: ['violations'],
        })""",
        context,
    )
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
        for violation in results["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


def tab_to(page, predicate, *, limit=80):
    """Press Tab until ``predicate`` (JavaScript taking the focused element) holds; return how
    many presses it took. Fails if ``limit`` presses never get there: keyboard users cannot."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => {predicate})(document.activeElement)"):
            return presses
    pytest.fail(f"Tab never reached an element where {predicate} within {limit} presses")
