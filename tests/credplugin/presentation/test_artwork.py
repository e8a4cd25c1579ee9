"""The drawn badge images: one design in PNG and SVG, the name wrapped to fit, colours chosen."""

import io
import math
import re

import pytest
from django.test import override_settings
from PIL import Image

from credplugin.presentation import artwork

LONG_NAME = "Responsible ML Practitioner: Fairness, Accountability and Transparency in Practice"


def _design(name="Responsible ML Practitioner", issuer="Open Learning Lab", **colours):
    return artwork.design(name=name, issuer_name=issuer, seed="badge-class", **colours)


def _inside_disc(line):
    """Whether a line, at the width an SVG viewer may give it, stays inside the text circle."""
    half = artwork.text_width(line.text, line.size) / 2
    top, bottom = line.baseline - line.size, line.baseline + line.size * 0.25
    for y in (top, bottom):
        distance = math.hypot(half, y - artwork.CENTRE)
        if distance > artwork.DISC_RADIUS:
            return False
    return True


def test_the_whole_name_is_shown_wrapped_never_cut():
    art = _design()
    assert " ".join(line.text for line in art.name_lines) == "Responsible ML Practitioner"
    assert all(_inside_disc(line) for line in art.name_lines)


@pytest.mark.parametrize(
    "name",
    ["AI", LONG_NAME, "Supercalifragilisticexpialidociousnessfulness Expert", "x " * 60],
)
def test_every_name_fits_inside_the_disc(name):
    art = _design(name=name)
    assert art.name_lines
    assert all(_inside_disc(line) for line in art.name_lines)
    assert art.name_lines[0].baseline >= artwork.NAME_TOP
    assert art.name_lines[-1].baseline <= artwork.NAME_BOTTOM + 1


def test_a_long_name_uses_smaller_type_on_more_lines():
    short, long = _design(name="AI Ethics"), _design(name=LONG_NAME)
    assert len(long.name_lines) > len(short.name_lines)
    assert long.name_lines[0].size < short.name_lines[0].size
    assert " ".join(line.text for line in long.name_lines) == LONG_NAME


def test_only_a_name_too_long_for_the_smallest_type_is_cut_with_an_ellipsis():
    art = _design(name="word " * 80)
    assert art.name_lines[-1].text.endswith(artwork.ELLIPSIS)
    assert art.title.startswith("word word")


def test_author_colours_are_used_and_text_contrasts_with_them():
    dark = _design(colour="#102030", accent_colour="#ffcc00")
    assert (dark.colour, dark.accent, dark.ink) == ("#102030", "#ffcc00", "#ffffff")
    light = _design(colour="#f5f0e1")
    assert light.ink == "#111111"
    assert artwork.contrast_ratio(light.ink, light.colour) >= 4.5


def test_without_author_colours_the_colour_comes_from_the_badge_class():
    seeds = {artwork.default_colour(str(number)) for number in range(12)}
    assert len(seeds) > 1
    assert _design().colour == artwork.default_colour("badge-class")
    for colour in seeds:
        assert artwork.contrast_ratio(artwork.ink_for(colour), colour) >= 4.5


@pytest.mark.parametrize(
    ("issuer", "expected"),
    [("Open Learning Lab", "OL"), ("acme", "A"), ("Université de Lyon", "UD"), ("", "?")],
)
def test_initials_of_the_issuer(issuer, expected):
    assert artwork.initials(issuer) == expected


def test_png_is_a_deterministic_rgba_square_with_text_drawn_on_it():
    art = _design()
    png = artwork.badge_png(art)
    assert png == artwork.badge_png(_design())
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"
        assert image.mode == "RGBA"
        assert image.size == (artwork.PNG_SIZE, artwork.PNG_SIZE)
        scale = artwork.PNG_SIZE / artwork.VIEWBOX
        line = art.name_lines[0]
        band = image.crop(
            (60 * scale, (line.baseline - line.size) * scale, 196 * scale, line.baseline * scale)
        ).convert("RGB")
        colours = {colour for _, colour in band.getcolors(maxcolors=1 << 16)}
    assert (255, 255, 255) in colours  # white letters on the dark disc, not a plain disc
    assert len(colours) > 10  # anti-aliased glyph edges


def test_png_and_svg_show_the_same_lines_and_colours(db):
    art = _design(name=LONG_NAME, colour="#123456", accent_colour="#abcdef")
    svg = artwork.badge_svg(art)
    texts = re.findall(r'class="badge-name"[^>]*>([^<]*)</text>', svg)
    assert texts == [line.text for line in art.name_lines]
    assert 'fill="#123456"' in svg and 'fill="#abcdef"' in svg
    assert f'<title id="badge-title">{LONG_NAME} — Open Learning Lab</title>' in svg


def test_svg_escapes_names_and_labels_itself(db):
    svg = artwork.badge_svg(
        artwork.design(name="<script>x</script>", issuer_name="A & B", seed="s")
    )
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "A &amp; B" in svg
    assert 'role="img"' in svg


def test_the_issuer_logo_file_replaces_the_initials(db, tmp_path):
    logo = tmp_path / "logo.png"
    Image.new("RGBA", (300, 120), (200, 10, 10, 255)).save(logo)
    with override_settings(CREDPLUGIN_ISSUER_LOGO_FILE=str(logo)):
        art = _design()
    assert art.logo is not None
    with Image.open(io.BytesIO(art.logo)) as square:
        assert square.width == square.height
    assert "data:image/png;base64," in artwork.badge_svg(art)
    with Image.open(io.BytesIO(artwork.badge_png(art))) as image:
        centre = image.getpixel((image.width // 2, round(artwork.EMBLEM_Y * 2)))
    assert centre[:3] == (200, 10, 10)


def test_an_unreadable_logo_file_falls_back_to_initials(tmp_path, caplog):
    broken = tmp_path / "logo.png"
    broken.write_bytes(b"not an image")
    with override_settings(CREDPLUGIN_ISSUER_LOGO_FILE=str(broken)):
        art = _design()
    assert art.logo is None
    assert art.initials == "OL"
    assert "CREDPLUGIN_ISSUER_LOGO_FILE" in caplog.text


def test_the_issuer_name_shrinks_to_fit_before_it_is_cut():
    assert _design(issuer="credplugin demo academy").issuer_line.text == "credplugin demo academy"
    long = _design(issuer="The International Academy of Responsible Machine Learning Practice")
    assert long.issuer_line.text.endswith(artwork.ELLIPSIS)
    assert long.issuer_line.size == artwork.ISSUER_SIZES[-1]
    assert _inside_disc(long.issuer_line)
