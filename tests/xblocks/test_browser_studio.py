"""The author's day in Studio beyond the form itself, keyboard only at 1280 and 390 px:
the preview of the learner view and of the badge from unsaved values, with every problem
linked to its field, and nothing stored until Save. Every state is audited with axe-core.
"""

import pytest

from tests.workbench_driver import WorkbenchDriver

from . import test_browser
from .conftest import PROJECT_SCENARIO
from .test_browser import (
    DESKTOP,
    PHONE,
    assert_accessible,
    assert_fits,
    focused,
    open_scenario,
    press,
    save_in_studio,
    screenshot,
    type_into,
)
from .test_studio_preview import PNG_ART

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# The same module-scoped Chromium page and its script-error check as the other block tests.
browser_page = test_browser.browser_page
browser = test_browser.browser


@pytest.fixture
def upload_folder(settings, tmp_path):
    """Uploads go to files under ``tmp_path`` (the live server runs in this process)."""
    settings.CREDPLUGIN_UPLOAD_STORAGE = "django.core.files.storage.FileSystemStorage"
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def preview(page):
    """Press Preview; returns the preview region once it has focus."""
    studio = page.locator(".cpa-studio")
    press(page, studio.get_by_role("button", name="Preview"))
    region = studio.get_by_role("region", name="Preview (not saved)")
    region.wait_for()
    page.wait_for_function("document.activeElement.id === 'cpa-studio-preview'")
    return region


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_author_previews_the_learner_view_and_the_badge_before_saving(
    live_server, project, browser, viewport
):
    page = browser
    page.set_viewport_size(viewport)
    open_scenario(page, live_server, PROJECT_SCENARIO, "staff_author", "studio_view")
    studio = page.locator(".cpa-studio")
    before = project.block("staff_author").authored_values()

    type_into(page, studio.get_by_label("Badge name"), "")
    colour = studio.get_by_label("Badge colour", exact=True)
    type_into(page, colour, "#7a2e8e")
    contrast = studio.locator("#cpa-contrast")
    assert contrast.inner_text() == (
        "Contrast of the text on the badge: 8.0:1. Ring against the badge: 4.8:1."
    )
    assert studio.get_by_label("Pick the badge colour").input_value() == "#7a2e8e"
    accent = studio.get_by_label("Accent colour", exact=True)
    type_into(page, accent, "#7a2e8f")
    assert "Too low" in contrast.inner_text()
    region_hidden = studio.locator(".cpa-studio-preview")
    press(page, studio.get_by_role("button", name="Preview"))
    summary = studio.locator(".cpa-studio-form > .cpa-error-summary")
    summary.get_by_role("link").first.wait_for()
    assert summary.locator("h4").inner_text() == "No preview. Fix these problems:"
    assert region_hidden.is_hidden()
    press(page, summary.get_by_role("link", name="Badge name is required."))
    assert focused(page, studio.get_by_label("Badge name"))
    low = summary.get_by_role("link", name="The accent colour and the badge colour have a")
    press(page, low)
    assert focused(page, accent)
    type_into(page, accent, "#f2c23d")

    type_into(page, studio.get_by_label("Badge name"), "Responsible ML Practitioner")
    prompt = studio.get_by_role("textbox", name="Project prompt")
    type_into(page, prompt, "Compare two classifiers on held-out data")
    region = preview(page)
    assert summary.is_hidden()
    badge = region.locator(".cpa-badge-preview")
    assert badge.get_by_role("heading", name="Responsible ML Practitioner").is_visible()
    art = badge.get_by_role("img", name="Badge artwork: Responsible ML Practitioner")
    assert art.evaluate("img => img.complete && img.naturalWidth > 0")
    assert "Prepare data for machine learning" in badge.inner_text()
    assert art.evaluate("img => atob(img.src.split(',')[1]).includes('fill=\"#7a2e8e\"')")
    learner = region.locator(".cpa-preview-learner")
    assert "Compare two classifiers on held-out data" in learner.inner_text()
    assert learner.get_by_role("button", name="Submit for review").is_disabled()
    assert_fits(page)
    assert_accessible(page, ".cpa-studio")
    if viewport == DESKTOP:
        screenshot(page, "assessment-studio-preview", publish=True, element=".cpa-preview-badge")

    block = WorkbenchDriver(WorkbenchDriver.usage_id_for(PROJECT_SCENARIO)).block("staff_author")
    assert block.authored_values() == before


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_author_uploads_the_badge_image_and_sees_it_in_the_preview(
    live_server, project, browser, viewport, upload_folder
):
    tmp_path = upload_folder
    page = browser
    page.set_viewport_size(viewport)
    open_scenario(page, live_server, PROJECT_SCENARIO, "staff_author", "studio_view")
    studio = page.locator(".cpa-studio")
    box = studio.get_by_role("group", name="Badge image")
    state = box.get_by_role("status")
    assert state.inner_text() == "The badge shows the generated artwork."
    assert box.get_by_role("button", name="Use the generated artwork").is_hidden()
    image_file = box.get_by_label("Image file")

    (tmp_path / "notes.txt").write_text("not an image")
    image_file.set_input_files(str(tmp_path / "notes.txt"))
    press(page, box.get_by_role("button", name="Upload image"))
    note = box.locator(".cpa-field-error")
    note.wait_for()
    assert note.inner_text().endswith("This file is not a PNG or JPEG image.")
    assert focused(page, image_file)
    assert note.get_attribute("id") in image_file.get_attribute("aria-describedby")
    assert_accessible(page, ".cpa-studio")

    picture = tmp_path / "art.png"
    picture.write_bytes(PNG_ART)
    image_file.set_input_files(str(picture))
    press(page, box.get_by_role("button", name="Upload image"))
    page.wait_for_function(
        "el => el.textContent === 'Image uploaded. Press Save to use it.'",
        arg=state.element_handle(),
    )
    assert note.count() == 0
    region = preview(page)
    art = region.get_by_role("img", name="Badge artwork: Applied ML Practitioner")
    assert art.evaluate("img => atob(img.src.split(',')[1]).includes('data:image/png;base64,')")
    if viewport == DESKTOP:
        screenshot(page, "assessment-studio-badge-image", publish=True, element=".cpa-artwork")
    save_in_studio(page)
    assert_fits(page)
    assert_accessible(page, ".cpa-studio")
    block = WorkbenchDriver(WorkbenchDriver.usage_id_for(PROJECT_SCENARIO)).block("staff_author")
    assert len(block.badge["artwork"]) == 64

    press(page, box.get_by_role("button", name="Use the generated artwork"))
    assert state.inner_text() == "The badge shows the generated artwork."
    save_in_studio(page)
    block = WorkbenchDriver(WorkbenchDriver.usage_id_for(PROJECT_SCENARIO)).block("staff_author")
    assert block.badge["artwork"] == ""
