"""Studio's preview: the learner view and the badge from the editor's unsaved values."""

import base64
import copy
import io
import re

import pytest
from PIL import Image

from credplugin.models import BadgeClass
from xblocks.assessment.demo import PROJECT_VALUES
from xblocks.assessment.studio import UnsavedBlock


def _png():
    buffer = io.BytesIO()
    Image.new("RGB", (128, 128), (20, 90, 160)).save(buffer, format="PNG")
    return buffer.getvalue()


PNG_ART = _png()


def edited(**badge):
    values = copy.deepcopy(PROJECT_VALUES)
    values["prompt"] = '<h3>New <b>prompt</b></h3><img src=x onerror="alert(1)">'
    values["badge"] = {**values["badge"], **badge}
    return values


def artwork_svg(badge_html):
    encoded = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', badge_html).group(1)
    return base64.b64decode(encoded).decode("utf-8")


def test_preview_shows_the_unsaved_values_and_stores_nothing(project):
    before = project.block("staff_author").authored_values()
    classes = list(BadgeClass.objects.values_list("slug", "name", "colour"))
    values = edited(slug="renamed", name="Responsible ML Practitioner")
    status, body = project.call("staff_author", "studio_preview", {"values": values})
    assert status == 200, body
    assert "<h3>New <b>prompt</b></h3>" in body["learner_html"]
    assert "onerror" not in body["learner_html"]
    assert "Submit for review" in body["learner_html"]
    assert "Responsible ML Practitioner" in body["badge_html"]
    svg = artwork_svg(body["badge_html"])
    assert "Practitioner" in svg
    assert (
        "Prepare data for machine learning" in body["badge_html"]
    )  # a competency the rubric evidences
    assert project.block("staff_author").authored_values() == before
    assert list(BadgeClass.objects.values_list("slug", "name", "colour")) == classes


def test_bad_values_get_field_errors_and_no_preview(project):
    before = project.block("staff_author").authored_values()
    values = edited(name="", slug="no spaces")
    status, body = project.call("staff_author", "studio_preview", {"values": values})
    assert status == 400
    assert {problem["field"] for problem in body["errors"]} == {"badge.name", "badge.slug"}
    assert "learner_html" not in body
    assert project.block("staff_author").authored_values() == before


def test_only_authors_may_preview(project):
    status, body = project.call("learner_1", "studio_preview", {"values": edited()})
    assert status == 403, body


def test_an_unsaved_block_cannot_be_written(project):
    block = project.block("staff_author")
    unsaved = UnsavedBlock(block, {"display_name": "Draft title", "ethics_enabled": False})
    assert unsaved.display_name == "Draft title"
    assert unsaved.active_scenarios() == []
    with pytest.raises(AttributeError):
        unsaved.display_name = "x"
    assert block.display_name != "Draft title"


def test_the_badge_colours_are_checked_saved_and_drawn(project):
    values = edited(colour="#7A2E8E", accent_colour="#fc3")
    status, body = project.call("staff_author", "studio_preview", {"values": values})
    assert status == 200, body
    assert 'fill="#7a2e8e"' in artwork_svg(body["badge_html"])
    assert project.author(values) == (
        200,
        {"message": "Saved. Learners see the changes once you publish."},
    )
    badge = project.block("staff_author").badge
    assert (badge["colour"], badge["accent_colour"]) == ("#7a2e8e", "#ffcc33")
    project.render("learner_1")
    assert BadgeClass.objects.get().colour == "#7a2e8e"


@pytest.mark.parametrize(
    ("colours", "field", "message"),
    [
        ({"colour": "purple"}, "badge.colour", "Badge colour must be a colour written #rrggbb"),
        ({"accent_colour": "#12345"}, "badge.accent_colour", "Accent colour must be a colour"),
        (
            {"colour": "#1b6e3a", "accent_colour": "#1b6e3b"},
            "badge.accent_colour",
            "The accent colour and the badge colour have a contrast of 1.0:1",
        ),
        (
            {"colour": "#f5c33b"},
            "badge.colour",
            "The accent colour and the badge colour have a contrast of 1.0",
        ),
    ],
)
def test_unreadable_colours_are_refused_beside_their_field(project, colours, field, message):
    before = project.block("staff_author").authored_values()
    status, body = project.author(edited(**colours))
    assert status == 400
    assert [problem["field"] for problem in body["errors"]] == [field]
    assert body["errors"][0]["message"].startswith(message), body
    assert project.block("staff_author").authored_values() == before


def test_an_uploaded_image_replaces_the_generated_artwork(project, settings, tmp_path):
    settings.CREDPLUGIN_UPLOAD_STORAGE = "django.core.files.storage.FileSystemStorage"
    settings.MEDIA_ROOT = str(tmp_path)
    status, body = project.upload("staff_author", "art.txt", b"not an image", "upload_artwork")
    assert status == 400
    assert body["errors"] == [
        {"field": "badge.artwork", "message": "This file is not a PNG or JPEG image."}
    ]
    assert project.upload("learner_1", "art.png", PNG_ART, "upload_artwork")[0] == 403
    status, body = project.upload("staff_author", "art.png", PNG_ART, "upload_artwork")
    assert status == 200, body
    values = edited(artwork=body["artwork"])
    status, shown = project.call("staff_author", "studio_preview", {"values": values})
    assert "data:image/png;base64," in artwork_svg(shown["badge_html"])
    assert project.author(values)[0] == 200
    project.render("learner_1")
    assert BadgeClass.objects.get().artwork == body["artwork"]
    status, refused = project.author(edited(artwork="../secret.png"))
    assert status == 400
    assert "must be the id of uploaded artwork" in refused["error"]
