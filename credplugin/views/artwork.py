"""The pictures badges are baked into, drawn here so serving them never fetches a URL.

A badge class names its artwork by URL, but the server must not fetch arbitrary URLs while
answering a public request, and the host has no imaging library. So the downloadable PNG and
SVG are drawn from the badge itself: a medal in a colour derived from the badge class, with the
badge and issuer names in the SVG. Both are deterministic, so a baked file can be re-served
byte for byte.
"""

import functools
import hashlib
import struct
import zlib

from django.template.loader import render_to_string

PNG_SIZE = 256
_PALETTE = ((0x0B, 0x4F, 0x8A), (0x1B, 0x6E, 0x3A), (0x7A, 0x2E, 0x8E), (0x9A, 0x3B, 0x12))
_RIBBON = (0xF2, 0xC2, 0x3D)


def medal_colour(seed):
    """One of a few dark colours (white text on them passes WCAG AA), chosen by ``seed``."""
    digest = hashlib.sha256(str(seed).encode("utf-8")).digest()
    return _PALETTE[digest[0] % len(_PALETTE)]


def badge_svg(*, name, issuer_name, seed):
    """An SVG medal naming the badge and its issuer; XML-escaped by the template engine."""
    red, green, blue = medal_colour(seed)
    return render_to_string(
        "credplugin/badge_artwork.svg",
        {
            "name": name,
            "issuer_name": issuer_name,
            "colour": f"#{red:02x}{green:02x}{blue:02x}",
            "ribbon": "#{:02x}{:02x}{:02x}".format(*_RIBBON),
        },
    )


def _chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


@functools.lru_cache(maxsize=64)
def badge_png(*, seed):
    """A 256×256 RGBA PNG medal: a ribbon-coloured ring around a disc, transparent outside."""
    colour = medal_colour(seed)
    centre = (PNG_SIZE - 1) / 2
    outer, ring = PNG_SIZE / 2 - 2, PNG_SIZE / 2 - 16
    rows = bytearray()
    for y in range(PNG_SIZE):
        rows.append(0)  # filter type "None" for each scanline
        for x in range(PNG_SIZE):
            distance_squared = (x - centre) ** 2 + (y - centre) ** 2
            if distance_squared > outer**2:
                rows.extend((0, 0, 0, 0))
            elif distance_squared > ring**2:
                rows.extend((*_RIBBON, 255))
            else:
                rows.extend((*colour, 255))
    header = struct.pack(">IIBBBBB", PNG_SIZE, PNG_SIZE, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + _chunk(b"IEND", b"")
    )
