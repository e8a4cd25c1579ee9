"""Reading submitted badges: JSON, baked PNG and SVG, and every way a submission is refused."""

import json

import pytest
from django.test import override_settings

from credplugin.openbadges import bake_png, bake_svg
from credplugin.views import artwork
from credplugin.views.uploads import UnreadableBadge, read_submitted_badge

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
