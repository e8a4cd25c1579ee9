"""The drawn badge images: valid, deterministic, escaped."""

import struct
import zlib

from credplugin.views import artwork


def test_png_is_a_valid_256_pixel_rgba_image():
    png = artwork.badge_png(seed="badge-class")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    length, kind = struct.unpack(">I4s", png[8:16])
    width, height, depth, colour_type = struct.unpack(">IIBB", png[16:26])
    assert (kind, length, width, height, depth, colour_type) == (b"IHDR", 13, 256, 256, 8, 6)
    crc = struct.unpack(">I", png[29:33])[0]
    assert crc == zlib.crc32(png[12:29]) & 0xFFFFFFFF


def test_png_is_deterministic_and_coloured_by_seed():
    assert artwork.badge_png(seed="a") == artwork.badge_png(seed="a")
    seeds = [str(number) for number in range(12)]
    assert len({artwork.medal_colour(seed) for seed in seeds}) > 1


def test_svg_escapes_names_and_labels_itself(db):
    svg = artwork.badge_svg(name="<script>x</script>", issuer_name="A & B", seed="s")
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "A &amp; B" in svg
    assert 'role="img"' in svg
