"""Headless Chromium, keyboard only, at desktop and phone widths: the employer on a badge page,
the operator in the admin's status history, and an axe-core audit of every public page.

Badges come from the real pipeline, issued before the browser starts.
"""

import uuid

import pytest
from django.urls import reverse

from credplugin import api
from credplugin.presentation import artwork
from tests.browser_support import axe_violations, chromium_page, save_screenshot, tab_to
from tests.issued_badges import badge_setup, earn  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.fixture(params=sorted(WIDTHS))
def sized_browser(request, monkeypatch):
    width, height = WIDTHS[request.param]
    with chromium_page(monkeypatch, width=width, height=height) as page:
        page.context.grant_permissions(["clipboard-read", "clipboard-write"])
        yield request.param, page


def sign_in(page, live_server, client, user):
    client.force_login(user)
    session = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])


def assert_no_sideways_scroll(page):
    scroll, width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= width, f"the page scrolls sideways ({scroll} > {width} px)"


def test_employer_reads_and_shares_a_badge_by_keyboard(live_server, earn, sized_browser):  # noqa: F811
    size, page = sized_browser
    badge = earn(first_name="Grace", last_name="Hopper")
    api.set_badge_visibility(str(badge.uuid), user_id=badge.user_id, show_name=True)
    page.goto(live_server.url + reverse("credplugin:badge-page", args=[badge.uuid]))

    assert page.evaluate("document.activeElement.tagName") == "BODY"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    art = page.locator("img.credplugin-artwork")
    assert art.evaluate("img => img.complete && img.naturalWidth > 0")
    assert art.bounding_box()["width"] >= 180
    assert "Verified" in page.locator("#verdict-heading").inner_text()
    assert "Grace Hopper" in page.locator(".credplugin-lede").inner_text()

    # Share is among the first things a keyboard reaches, and copying the link says so.
    presses = tab_to(page, "el.dataset.credpluginCopy !== undefined")
    assert presses <= 12, f"Copy link is {presses} Tab presses away"
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('.credplugin-share [role=status]').textContent")
    assert page.evaluate("navigator.clipboard.readText()") == page.url
    share_top = page.locator("#share-heading").bounding_box()["y"] + page.evaluate("scrollY")
    assert share_top < WIDTHS[size][1] * 1.6, "Share is far below the top of the page"

    # The embed snippet opens from the keyboard too.
    tab_to(page, "el.tagName === 'SUMMARY' && el.closest('.credplugin-embed')")
    page.keyboard.press("Enter")
    assert page.locator("#embed-code").is_visible()
    assert page.locator("#embed-code").input_value().startswith(f'<a href="{page.url}">')

    table = page.locator(".credplugin-table").inner_text()
    assert "level 3 of 3" in table and "Rubric points" not in table
    assert_no_sideways_scroll(page)
    assert axe_violations(page) == []
    name = "badge-page-verified" if size == "desktop" else "badge-page-phone"
    save_screenshot(page, name, for_docs=True)


def test_artwork_text_stays_inside_the_disc_in_chromium(live_server, monkeypatch, db):
    names = ["Responsible ML Practitioner", "Data Protection and Privacy Engineering Lead " * 2]
    with chromium_page(monkeypatch, width=600, height=600) as page:
        for name in names:
            art = artwork.design(name=name, issuer_name="credplugin demo academy", seed="s")
            page.set_content(artwork.badge_svg(art))
            corners_outside = page.evaluate(
                """() => [...document.querySelectorAll('text')].flatMap(t => {
                    const b = t.getBBox();
                    return [[b.x, b.y], [b.x + b.width, b.y], [b.x, b.y + b.height],
                            [b.x + b.width, b.y + b.height]]
                      .filter(([x, y]) => Math.hypot(x - 128, y - 128) > 112)
                      .map(() => t.textContent);
                })"""
            )
            assert corners_outside == [], name
            shown = page.evaluate(
                "[...document.querySelectorAll('text.badge-name')]"
                ".map(t => t.textContent).join(' ')"
            )
            assert shown == " ".join(name.split())
        save_screenshot(page, "badge-artwork-long-name")


def test_operator_suspends_and_reads_the_history_by_keyboard(
    live_server,
    earn,  # noqa: F811
    sized_browser,
    client,
    admin_user,
):
    size, page = sized_browser
    badge = earn()
    sign_in(page, live_server, client, admin_user)
    page.goto(live_server.url + reverse("admin:credplugin_issuedbadge_changelist"))
    assert "1 issued" in page.locator(".credplugin-counts").inner_text()

    tab_to(page, "el.type === 'checkbox' && el.name === '_selected_action'", limit=120)
    page.keyboard.press("Space")
    tab_to(page, "el.name === 'action'", limit=120)
    page.keyboard.type("Suspend")
    tab_to(page, "el.name === 'index'")
    page.keyboard.press("Enter")
    page.wait_for_selector("textarea[name=reason]")
    # At desktop width the admin's navigation sidebar lists every model before the form.
    tab_to(page, "el.name === 'reason'", limit=200)
    page.keyboard.type("Identity check requested by the registrar.")
    tab_to(page, "el.type === 'submit'")
    page.keyboard.press("Enter")
    page.wait_for_selector(".messagelist")

    page.goto(live_server.url + reverse("admin:credplugin_issuedbadge_change", args=[badge.pk]))
    history = page.locator(".credplugin-history")
    rows = history.locator("tbody tr").all_inner_texts()
    assert [row.split("\t")[1] for row in rows] == ["issued", "suspended"]
    assert "Identity check requested by the registrar." in rows[1]
    assert admin_user.username in rows[1]
    assert not page.locator(".field-credential_link pre").is_visible()  # folded away
    history.scroll_into_view_if_needed()
    if size == "desktop":
        save_screenshot(page, "admin-status-history", for_docs=True)


def test_public_pages_pass_axe(live_server, earn, client, monkeypatch):  # noqa: F811
    badge = earn()
    pages = {
        "home": "/",
        "not found": reverse("credplugin:badge-page", args=[uuid.uuid4()]),
    }
    with chromium_page(monkeypatch) as page:
        for name, path in pages.items():
            page.goto(live_server.url + path)
            assert page.locator("h1").count() == 1, name
            assert axe_violations(page) == [], name
            save_screenshot(page, f"page-{name.replace(' ', '-')}", for_docs=name == "not found")
        page.emulate_media(color_scheme="dark")
        page.goto(live_server.url + reverse("credplugin:badge-page", args=[badge.uuid]))
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == "rgb(13, 17, 23)", "no dark style for prefers-color-scheme: dark"
        assert axe_violations(page) == [], "dark mode"
        page.emulate_media(color_scheme="light")
        sign_in(page, live_server, client, badge.user)
        page.goto(live_server.url + reverse("credplugin:my-badges"))
        assert page.locator("img.credplugin-card__art").evaluate("img => img.naturalWidth > 0")
        assert axe_violations(page) == []
        save_screenshot(page, "my-badges", for_docs=True)
