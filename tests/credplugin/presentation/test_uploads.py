"""Reading submitted badges: JSON, baked PNG and SVG, and every way a submission is refused."""

import json
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from credplugin.openbadges import bake_png, bake_svg
from credplugin.presentation import artwork
from credplugin.presentation.uploads import UnreadableBadge, read_submitted_badge
from tests.openbadges.test_baking import inflating_png

ART = artwork.design(name="Badge", issuer_name="Issuer", seed="x")
CREDENTIAL = {"@context": ["https://www.w3.org/ns/credentials/v2"], "id": "urn:uuid:1", "a": "é"}


def test_json_bytes_give_the_credential():
    assert read_submitted_badge(json.dumps(CREDENTIAL).encode("utf-8")) == CREDENTIAL


def test_json_with_a_byte_order_mark_is_read():
    assert read_submitted_badge(b"\xef\xbb\xbf" + json.dumps(CREDENTIAL).encode()) == CREDENTIAL


def test_baked_png_gives_the_credential():
    baked = bake_png(artwork.badge_png(ART), CREDENTIAL)
    assert read_submitted_badge(baked) == CREDENTIAL


def test_baked_svg_gives_the_credential(db):
    svg = artwork.badge_svg(ART)
    assert read_submitted_badge(bake_svg(svg, CREDENTIAL).encode("utf-8")) == CREDENTIAL


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Nothing was submitted"),
        (b"   \n", "Nothing was submitted"),
        (b"{not json", "not valid JSON"),
        (b"[1, 2]", "not an object"),
        (b"\xff\xfe\x00garbage", "neither credential JSON"),
    ],
)
def test_unreadable_submissions_say_why(data, message):
    with pytest.raises(UnreadableBadge, match=message) as raised:
        read_submitted_badge(data)
    assert raised.value.status == 400


def test_png_that_was_never_baked_is_refused():
    with pytest.raises(UnreadableBadge, match="PNG image carries no readable"):
        read_submitted_badge(artwork.badge_png(ART))


def test_svg_that_was_never_baked_is_refused(db):
    svg = artwork.badge_svg(ART)
    with pytest.raises(UnreadableBadge, match="SVG image carries no readable"):
        read_submitted_badge(svg.encode("utf-8"))


def test_truncated_png_is_refused():
    baked = bake_png(artwork.badge_png(ART), CREDENTIAL)
    with pytest.raises(UnreadableBadge):
        read_submitted_badge(baked[:60])


@override_settings(CREDPLUGIN_VERIFY_MAX_BYTES=100)
def test_oversized_submission_is_refused_with_413():
    with pytest.raises(UnreadableBadge, match="larger than 100 bytes") as raised:
        read_submitted_badge(b"{" + b" " * 200 + b"}")
    assert raised.value.status == 413


BOMB_INFLATES_TO = 16 * 1024 * 1024


@pytest.fixture(scope="module")
def png_bomb():
    """A 16 kB PNG whose compressed credential chunk inflates to 16 MiB."""
    bomb = inflating_png(BOMB_INFLATES_TO)
    assert len(bomb) < 17 * 1024
    return bomb


def test_a_credential_inflating_past_the_limit_is_refused(png_bomb):
    with pytest.raises(UnreadableBadge, match="larger than 2097152 bytes once unpacked") as raised:
        read_submitted_badge(png_bomb)
    assert raised.value.status == 400


@pytest.mark.parametrize(
    ("url_name", "field"),
    [("credplugin:verify-api", "badge"), ("credplugin:verify-page", "badge_file")],
)
@pytest.mark.usefixtures("db")
def test_the_verify_api_and_page_refuse_a_png_bomb_with_400_in_bounded_memory(
    client, png_bomb, url_name, field
):
    def post(png):
        upload = SimpleUploadedFile("badge.png", png, content_type="image/png")
        return client.post(reverse(url_name), {field: upload})

    post(inflating_png(100))  # first requests import and cache; only the bomb is measured
    tracemalloc.start()
    try:
        response = post(png_bomb)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 400
    text = response.json()["error"] if field == "badge" else response.content.decode()
    assert "once unpacked" in text
    assert len(response.content) < 64 * 1024
    # The default limit is 2 MiB: inflation stops there, far below the bomb's 16 MiB.
    assert peak < 8 * 1024 * 1024, peak
