"""Artwork an author uploads: checked from its bytes, redrawn, stored, and served in place of
the generated medal by the badge's PNG and SVG (the page, My badges and the award e-mail)."""

import hashlib
import io
import struct
import zlib

import pytest
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from credplugin import api
from credplugin.openbadges import unbake_png, unbake_svg
from credplugin.presentation import artwork, uploaded_artwork


@pytest.fixture(autouse=True)
def media(tmp_path):
    with override_settings(
        CREDPLUGIN_UPLOAD_STORAGE="django.core.files.storage.FileSystemStorage",
        MEDIA_ROOT=str(tmp_path),
    ):
        yield tmp_path


def image_bytes(size=(300, 150), colour=(200, 30, 60, 255), fmt="PNG"):
    buffer = io.BytesIO()
    mode = "RGB" if fmt == "JPEG" else "RGBA"
    Image.new(mode, size, colour[: len(mode)]).save(buffer, format=fmt)
    return buffer.getvalue()


def png_header_only(width, height):
    """A PNG claiming ``width`` × ``height`` pixels with one tiny compressed row."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0"))
        + chunk(b"IEND", b"")
    )  # fmt: skip


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_an_upload_is_redrawn_as_the_badge_square_and_stored_once(fmt, media):
    first = api.store_badge_artwork(image_bytes(fmt=fmt))["artwork"]
    assert api.store_badge_artwork(image_bytes(fmt=fmt))["artwork"] == first
    stored = uploaded_artwork.png(first)
    assert hashlib.sha256(stored).hexdigest() == first
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "PNG"
        assert image.size == (artwork.PNG_SIZE, artwork.PNG_SIZE)
        assert image.getpixel((0, 0))[3] == 0  # padded with transparency, not stretched
        assert image.getpixel((256, 256))[:3] == pytest.approx((200, 30, 60), abs=3)
    assert len(list((media / "credplugin" / "artwork").iterdir())) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Choose an image"),
        (b"x" * (uploaded_artwork.MAX_BYTES + 1), "The image is larger than 2 MB."),
        (b"hello, not an image", "This file is not a PNG or JPEG image."),
        (image_bytes(fmt="GIF"), "This file is not a PNG or JPEG image."),
        (image_bytes(size=(40, 400)), "The image is too small"),
        (png_header_only(5000, 5000), "The image has too many pixels"),
        (image_bytes()[:200], "This image is damaged"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "scripts"),
        (b'<?xml version="1.0"?><svg onload="x()"/>', "contains scripts"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>', "SVG artwork cannot"),
    ],
    ids=["empty", "too-big", "text", "gif", "small", "bomb", "truncated", "script", "onload",
         "svg"],
)  # fmt: skip
def test_bad_uploads_are_refused_with_the_reason_and_nothing_stored(data, message, media):
    with pytest.raises(api.InvalidInput, match=message):
        api.store_badge_artwork(data)
    assert not (media / "credplugin").exists()


def test_a_badge_names_only_artwork_that_was_stored():
    stored = api.store_badge_artwork(image_bytes())["artwork"]
    assert uploaded_artwork.check_id(stored) == stored
    assert uploaded_artwork.check_id("") == ""
    with pytest.raises(api.InvalidInput, match="must be the id"):
        uploaded_artwork.check_id("../../etc/passwd")
    missing = "0" * 64  # e.g. named by a course imported from another site
    assert uploaded_artwork.check_id(missing) == missing
    assert uploaded_artwork.png(missing) is None


def test_the_badge_downloads_show_the_uploaded_image_baked(client, earn):
    badge = earn()
    stored = api.store_badge_artwork(image_bytes())["artwork"]
    badge.badge_class.artwork = stored
    badge.badge_class.save()
    png = client.get(reverse("credplugin:badge-png", args=[badge.uuid])).content
    assert unbake_png(png) == badge.credential
    with Image.open(io.BytesIO(png)) as image:
        assert image.getpixel((256, 256))[:3] == pytest.approx((200, 30, 60), abs=3)
    svg = client.get(reverse("credplugin:badge-svg", args=[badge.uuid])).content.decode()
    assert unbake_svg(svg.encode()) == badge.credential
    assert "data:image/png;base64," in svg
    assert f'<title id="badge-title">{badge.badge_class.name}' in svg


def test_artwork_missing_from_this_site_falls_back_to_the_generated_medal(client, earn):
    badge = earn()
    badge.badge_class.artwork = "0" * 64
    badge.badge_class.save()
    svg = client.get(reverse("credplugin:badge-svg", args=[badge.uuid])).content.decode()
    assert "data:image/png" not in svg
    assert 'class="badge-name"' in svg
