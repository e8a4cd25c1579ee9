"""Baking credentials into PNG and SVG badge images, and getting them back."""

import struct
import zlib

import pytest

from credplugin.openbadges import (
    BakingError,
    CredentialTooLarge,
    bake_png,
    bake_svg,
    unbake_png,
    unbake_svg,
)
from credplugin.openbadges.baking import MAX_IMAGE_BYTES, PNG_SIGNATURE

CREDENTIAL = {"id": "urn:uuid:1", "name": "Ünïcode ✓ <b> ]]> </openbadges:credential> שלום 🎓"}


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def tiny_png() -> bytes:
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return PNG_SIGNATURE + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


SVG = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!-- a <svg> in a comment -->\n'
    '<svg xmlns="http://www.w3.org/2000/svg" data-note="a > b" width="10" height="10">'
    '<circle r="5"/></svg>'
)


def test_png_round_trip_keeps_the_image_and_replaces_the_credential():
    baked = bake_png(tiny_png(), CREDENTIAL)
    assert unbake_png(baked) == CREDENTIAL
    rebaked = bake_png(baked, {"id": "urn:uuid:2"})
    assert unbake_png(rebaked) == {"id": "urn:uuid:2"}
    assert rebaked.count(b"openbadgecredential") == 1
    assert b"IDAT" in rebaked and rebaked.endswith(chunk(b"IEND", b""))


def test_png_chunk_is_uncompressed_itxt_before_iend():
    baked = bake_png(tiny_png(), CREDENTIAL)
    position = baked.index(b"iTXt")
    assert baked[position + 4 :].startswith(b"openbadgecredential\x00\x00\x00\x00\x00{")
    assert position < baked.index(b"IEND")


def test_png_reader_accepts_a_compressed_itxt():
    text = b'{"id":"urn:uuid:3"}'
    data = b"openbadgecredential\x00\x01\x00\x00\x00" + zlib.compress(text)
    png = tiny_png()
    png = png[:-12] + chunk(b"iTXt", data) + png[-12:]
    assert unbake_png(png) == {"id": "urn:uuid:3"}


def inflating_png(inflated_bytes: int) -> bytes:
    """A small PNG whose compressed credential chunk inflates to ``inflated_bytes``."""
    text = b'{"id":"' + b" " * (inflated_bytes - 9) + b'"}'
    data = b"openbadgecredential\x00\x01\x00\x00\x00" + zlib.compress(text, 9)
    png = tiny_png()
    return png[:-12] + chunk(b"iTXt", data) + png[-12:]


def test_a_compressed_credential_is_inflated_no_further_than_the_limit():
    bomb = inflating_png(16 * 1024 * 1024)
    assert len(bomb) < 20 * 1024
    with pytest.raises(CredentialTooLarge, match="larger than 4096 bytes once decompressed"):
        unbake_png(bomb, max_credential_bytes=4096)
    with pytest.raises(CredentialTooLarge):
        unbake_png(inflating_png(MAX_IMAGE_BYTES + 1))  # by default, the image limit
    assert unbake_png(inflating_png(4096), max_credential_bytes=4096)["id"].isspace()


def test_an_svg_credential_over_the_limit_is_refused():
    baked = bake_svg(SVG, {"id": "x" * 5000})
    with pytest.raises(CredentialTooLarge):
        unbake_svg(baked, max_credential_bytes=4096)
    assert unbake_svg(baked, max_credential_bytes=8192) == {"id": "x" * 5000}


@pytest.mark.parametrize(
    "png",
    [
        b"GIF89a....",
        PNG_SIGNATURE,
        PNG_SIGNATURE + b"\x00\x00\x00\x05IHDR",
        tiny_png()[:-4] + b"\x00\x00\x00\x00",
        PNG_SIGNATURE + chunk(b"IDAT", b"") + chunk(b"IEND", b""),
        b"\x00" * (MAX_IMAGE_BYTES + 1),
    ],
)
def test_malformed_png(png):
    with pytest.raises(BakingError):
        bake_png(png, CREDENTIAL)
    with pytest.raises(BakingError):
        unbake_png(png)


def test_png_without_credential():
    with pytest.raises(BakingError, match="no baked credential"):
        unbake_png(tiny_png())


def test_svg_round_trip_and_replacement():
    baked = bake_svg(SVG, CREDENTIAL)
    assert 'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"' in baked
    assert "<openbadges:credential><![CDATA[" in baked
    assert unbake_svg(baked) == CREDENTIAL
    rebaked = bake_svg(baked.encode("utf-8"), {"id": "urn:uuid:2"})
    assert unbake_svg(rebaked) == {"id": "urn:uuid:2"}
    assert rebaked.count("<openbadges:credential>") == 1
    assert rebaked.count("xmlns:openbadges") == 1
    assert '<circle r="5"/>' in rebaked


def test_svg_with_ob2_style_assertion_element_is_replaced():
    svg = SVG.replace(
        'height="10">',
        'height="10" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">'
        '<openbadges:credential verify="https://x"/>',
    )
    baked = bake_svg(svg, CREDENTIAL)
    assert 'verify="https://x"' not in baked
    assert baked.count("<openbadges:credential>") == 1
    assert unbake_svg(baked) == CREDENTIAL


@pytest.mark.parametrize(
    "svg",
    [
        "<svg",
        "<html xmlns='http://www.w3.org/1999/xhtml'/>",
        '<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="urn:other"><g/></svg>',
        b"\xff\xfe<svg/>",
        "<svg xmlns='http://www.w3.org/2000/svg'>" + " " * MAX_IMAGE_BYTES + "</svg>",
    ],
)
def test_malformed_svg(svg):
    with pytest.raises(BakingError):
        bake_svg(svg, CREDENTIAL)


def test_svg_without_or_with_broken_credential():
    with pytest.raises(BakingError, match="no baked credential"):
        unbake_svg(SVG)
    broken = bake_svg(SVG, CREDENTIAL).replace('{"id"', '{"id" oops')
    with pytest.raises(BakingError, match="not JSON"):
        unbake_svg(broken)


def test_only_objects_are_baked():
    with pytest.raises(BakingError):
        bake_png(tiny_png(), ["not", "an", "object"])
