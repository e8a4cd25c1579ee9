"""The pictures badges are baked into, drawn here so serving them never fetches a URL.

A badge class names its artwork by URL, but the server must not fetch arbitrary URLs while
answering a public request. So the downloadable PNG and SVG are drawn from the badge itself:
a medal in the colours the author picked (or one derived from the badge class), the issuer's
logo or initials at the top, the badge name wrapped to fit inside the disc and the issuer's
name below it. One layout (:func:`design`) feeds both renderers, so the PNG and the SVG show
the same picture. Both are deterministic, so a baked file can be re-served byte for byte.

Text is measured with Pillow's bundled font, widened by ``SVG_WIDTH_FACTOR`` because an SVG
viewer may fall back to a wider face (DejaVu Sans Bold is ~27 % wider); a line that fits that
estimate fits in every common sans-serif.
"""

import base64
import functools
import hashlib
import io
import logging
import math

import attr
from django.template.loader import render_to_string
from PIL import Image, ImageDraw, ImageFont

from credplugin.conf import credplugin_settings

log = logging.getLogger(__name__)

VIEWBOX = 256
PNG_SIZE = 512
SVG_WIDTH_FACTOR = 1.3
CENTRE = VIEWBOX / 2
OUTER_RADIUS, DISC_RADIUS, TEXT_RADIUS = 126, 112, 100
EMBLEM_Y, EMBLEM_RADIUS = 66, 26
NAME_TOP, NAME_BOTTOM = 100, 184
ISSUER_Y, ISSUER_SIZES = 204, (11, 10, 9, 8)
NAME_SIZES = (24, 22, 20, 18, 16, 14, 12)
MIN_NAME_SIZE = NAME_SIZES[-1]
LINE_HEIGHT = 1.15
ELLIPSIS = "…"
DEFAULT_ACCENT = "#f2c23d"
# Dark colours on which white text passes WCAG AA; the default when the author picked none.
_PALETTE = ("#0b4f8a", "#1b6e3a", "#7a2e8e", "#9a3b12")


@attr.s(frozen=True, auto_attribs=True)
class Line:
    """One line of text on the medal, centred on ``x = CENTRE``.

    Attributes:
        text: what the line says.
        baseline: y of the text baseline in the 256-unit view box.
        size: font size in view-box units.
    """

    text: str
    baseline: float
    size: int


@attr.s(frozen=True, auto_attribs=True)
class Design:
    """Everything both renderers draw.

    Attributes:
        title: the full badge name and issuer, for the SVG ``<title>`` (never truncated).
        colour: the disc, ``#rrggbb``.
        accent: the ring and the emblem, ``#rrggbb``.
        ink: text on the disc, black or white, whichever contrasts more with ``colour``.
        emblem_ink: the initials on the emblem, the same choice against ``accent``.
        initials: up to two letters of the issuer's name.
        logo: the issuer's logo as PNG bytes (drawn instead of the initials), or ``None``.
        name_lines: the badge name, wrapped.
        issuer_line: the issuer's name.
    """

    title: str
    colour: str
    accent: str
    ink: str
    emblem_ink: str
    initials: str
    logo: bytes | None
    name_lines: tuple
    issuer_line: Line


def default_colour(seed):
    """One of a few dark colours, chosen by ``seed`` (the badge class uuid)."""
    digest = hashlib.sha256(str(seed).encode("utf-8")).digest()
    return _PALETTE[digest[0] % len(_PALETTE)]


def _rgb(colour):
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def _luminance(colour):
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(value) for value in _rgb(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first, second):
    """The WCAG contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def ink_for(background):
    """White or near-black, whichever reads better on ``background``."""
    return max(("#ffffff", "#111111"), key=lambda ink: contrast_ratio(ink, background))


def initials(issuer_name):
    words = [word for word in issuer_name.replace("-", " ").split() if word[:1].isalnum()]
    return "".join(word[0] for word in words[:2]).upper() or "?"


@functools.lru_cache(maxsize=32)
def _font(size):
    return ImageFont.load_default(size=size)


def text_width(text, size):
    """The width ``text`` may take in an SVG viewer, in view-box units (see module docstring)."""
    return _font(size).getlength(text) * SVG_WIDTH_FACTOR


def chord_width(top, bottom, radius=TEXT_RADIUS):
    """The width of the disc of ``radius`` usable by a text band between ``top`` and ``bottom``."""
    furthest = max(abs(top - CENTRE), abs(bottom - CENTRE))
    if furthest >= radius:
        return 0
    return 2 * math.sqrt(radius**2 - furthest**2)


def _wrap(words, size, width):
    """Greedy word wrap; ``None`` when a single word is wider than ``width``."""
    lines, current = [], ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if text_width(candidate, size) <= width:
            current = candidate
        elif text_width(word, size) <= width:
            lines.append(current)
            current = word
        else:
            return None
    return [*lines, current] if current else lines


def _fit(text, size, width):
    """``text`` cut to ``width`` with an ellipsis (the last resort for a very long name)."""
    while text and text_width(text + ELLIPSIS, size) > width:
        text = text[:-1].rstrip()
    return text + ELLIPSIS


def _band(count, size):
    """Baselines of ``count`` lines of ``size`` centred in the name area, and their chord."""
    height = count * size * LINE_HEIGHT
    top = (NAME_TOP + NAME_BOTTOM) / 2 - height / 2
    baselines = [top + size * (LINE_HEIGHT * n + 0.95) for n in range(count)]
    return baselines, chord_width(top, top + height), height


def _placed(texts, size):
    baselines, _, _ = _band(len(texts), size)
    return tuple(
        Line(text, round(baseline, 2), size)
        for text, baseline in zip(texts, baselines, strict=True)
    )


@functools.lru_cache(maxsize=256)
def layout_name(name):
    """The badge name as lines that fit the disc, at the largest size at which the whole name
    fits in whole words. Only a name too long for the smallest size is split inside words
    and, past the last line, cut with an ellipsis (the full name stays in the SVG title)."""
    words = name.split() or [""]
    area = NAME_BOTTOM - NAME_TOP
    for size in NAME_SIZES:
        for count in range(1, int(area // (size * LINE_HEIGHT)) + 1):
            _, width, _ = _band(count, size)
            lines = _wrap(words, size, width)
            if lines is not None and len(lines) <= count:
                return _placed(lines, size)
    return _placed(_squeezed(" ".join(words)), MIN_NAME_SIZE)


def _squeezed(text):
    """``text`` in as many lines of the smallest size as the name area holds, breaking at a
    space where one fits and inside a word where none does; the last line ends in "…"."""
    count = int((NAME_BOTTOM - NAME_TOP) // (MIN_NAME_SIZE * LINE_HEIGHT))
    _, width, _ = _band(count, MIN_NAME_SIZE)
    lines = []
    while text and len(lines) < count - 1:
        cut = len(text)
        while cut > 1 and text_width(text[:cut], MIN_NAME_SIZE) > width:
            space = text.rfind(" ", 0, cut)
            cut = space if space > 0 else cut - 1
        lines.append(text[:cut].strip())
        text = text[cut:].strip()
    if text:
        fits = text_width(text, MIN_NAME_SIZE) <= width
        lines.append(text if fits else _fit(text, MIN_NAME_SIZE, width))
    return lines


@functools.lru_cache(maxsize=16)
def layout_issuer(issuer_name):
    """The issuer's name on one line under the badge name, in smaller type if it must; only a
    name too long for the smallest size is cut, with an ellipsis."""
    for size in ISSUER_SIZES:
        width = chord_width(ISSUER_Y - size, ISSUER_Y + size * 0.25, radius=TEXT_RADIUS)
        if text_width(issuer_name, size) <= width:
            return Line(issuer_name, ISSUER_Y, size)
    return Line(_fit(issuer_name, size, width), ISSUER_Y, size)


@functools.lru_cache(maxsize=4)
def _logo_png(path):
    """The operator's logo file as a small square PNG, or ``None`` (logged) if unreadable."""
    try:
        with Image.open(path) as source:
            logo = source.convert("RGBA")
            logo.thumbnail((EMBLEM_RADIUS * 8, EMBLEM_RADIUS * 8))
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        log.warning("credplugin: cannot read CREDPLUGIN_ISSUER_LOGO_FILE %r: %s", path, error)
        return None
    square = Image.new("RGBA", (max(logo.size),) * 2, (0, 0, 0, 0))
    square.paste(logo, ((square.width - logo.width) // 2, (square.height - logo.height) // 2))
    buffer = io.BytesIO()
    square.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def design(*, name, issuer_name, seed, colour="", accent_colour=""):
    """The medal for one badge class: author's colours, else a colour derived from ``seed``."""
    colour = colour or default_colour(seed)
    accent = accent_colour or DEFAULT_ACCENT
    logo_file = credplugin_settings.ISSUER_LOGO_FILE
    return Design(
        title=f"{name} — {issuer_name}" if issuer_name else name,
        colour=colour,
        accent=accent,
        ink=ink_for(colour),
        emblem_ink=ink_for(accent),
        initials=initials(issuer_name),
        logo=_logo_png(logo_file) if logo_file else None,
        name_lines=layout_name(name),
        issuer_line=layout_issuer(issuer_name),
    )


def design_for_badge_class(badge_class, issuer_name):
    """The :func:`design` of a ``BadgeClass`` row, named as ``issuer_name``."""
    return design(
        name=badge_class.name,
        issuer_name=issuer_name,
        seed=str(badge_class.uuid),
        colour=badge_class.colour,
        accent_colour=badge_class.accent_colour,
    )


def badge_svg(art):
    """The medal as SVG; text is XML-escaped by the template engine."""
    logo = base64.b64encode(art.logo).decode("ascii") if art.logo else ""
    return render_to_string(
        "credplugin/badge_artwork.svg",
        {
            "art": art,
            "logo": logo,
            "centre": CENTRE,
            "radii": (OUTER_RADIUS, DISC_RADIUS, TEXT_RADIUS + 4),
            "emblem": (EMBLEM_Y, EMBLEM_RADIUS, EMBLEM_RADIUS * 2, EMBLEM_Y - EMBLEM_RADIUS),
        },
    )


def picture_svg(png, title):
    """An uploaded picture (``png`` bytes) as the badge's SVG, titled like the drawn medal."""
    return render_to_string(
        "credplugin/badge_picture.svg",
        {"title": title, "picture": base64.b64encode(png).decode("ascii")},
    )


@functools.lru_cache(maxsize=64)
def badge_png(art):
    """The medal as a ``PNG_SIZE`` square RGBA PNG, drawn with Pillow's bundled font."""
    scale = PNG_SIZE / VIEWBOX
    image = Image.new("RGBA", (PNG_SIZE, PNG_SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)

    def circle(cx, cy, radius, **style):
        box = [(cx - radius) * scale, (cy - radius) * scale]
        draw.ellipse([*box, (cx + radius) * scale, (cy + radius) * scale], **style)

    circle(CENTRE, CENTRE, OUTER_RADIUS, fill=art.accent)
    circle(CENTRE, CENTRE, DISC_RADIUS, fill=art.colour)
    circle(CENTRE, CENTRE, TEXT_RADIUS + 4, outline=art.accent, width=round(scale))
    circle(CENTRE, EMBLEM_Y, EMBLEM_RADIUS, fill=art.accent)
    if art.logo:
        size = round(EMBLEM_RADIUS * 2 * scale * 0.8)
        with Image.open(io.BytesIO(art.logo)) as source:
            logo = source.convert("RGBA").resize((size, size), Image.Resampling.LANCZOS)
        image.alpha_composite(
            logo, (round(CENTRE * scale - size / 2), round(EMBLEM_Y * scale - size / 2))
        )
    else:
        draw.text(
            (CENTRE * scale, EMBLEM_Y * scale),
            art.initials,
            font=_font(round(20 * scale)),
            fill=art.emblem_ink,
            anchor="mm",
        )
    for line in (*art.name_lines, art.issuer_line):
        draw.text(
            (CENTRE * scale, line.baseline * scale),
            line.text,
            font=_font(round(line.size * scale)),
            fill=art.ink,
            anchor="ms",
        )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
