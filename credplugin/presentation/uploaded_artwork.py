"""Artwork an author uploads in Studio instead of the generated medal.

An upload is hostile until proven otherwise. The format is read from the bytes (never from a
name or content type), the image is really decoded by Pillow within a pixel budget (so a
decompression bomb or a truncated file is refused), and what is stored is a new image drawn
from the decoded pixels: a ``artwork.PNG_SIZE`` square PNG, the picture centred on a
transparent background, nothing of the uploaded file's metadata or chunks kept. The SVG
served beside it wraps that PNG, so the PNG and the SVG show the same picture.

SVG uploads are refused: nothing here can turn an SVG into the PNG the award e-mail and the
baked download need, and a scripted SVG is refused by name so the author knows why.

Files go to the plugin's upload storage (``CREDPLUGIN_UPLOAD_STORAGE``, else Django's default)
under the SHA-256 of the drawn PNG, which is also the artwork's id on the badge class: equal
uploads share one file and an id can only name a file this module wrote.
"""

import hashlib
import io
import re

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from credplugin.exceptions import InvalidInput
from credplugin.presentation import artwork

MAX_BYTES = 2 * 1024 * 1024
MIN_SIDE = 64
MAX_PIXELS = 4096 * 4096
ARTWORK_ID = re.compile(r"^[0-9a-f]{64}$")
FOLDER = "credplugin/artwork"
_FORMATS = ("PNG", "JPEG")
_SCRIPTED_SVG = re.compile(rb"<script|\son[a-z]+\s*=|javascript:|<foreignobject", re.IGNORECASE)


def storage():
    """The storage the plugin keeps uploads in, read at call time so tests can switch it."""
    dotted = getattr(settings, "CREDPLUGIN_UPLOAD_STORAGE", "")
    return import_string(dotted)() if dotted else default_storage


def _path(artwork_id):
    return f"{FOLDER}/{artwork_id}.png"


def _refuse_svg(data):
    if _SCRIPTED_SVG.search(data):
        raise InvalidInput(_("This SVG contains scripts or event handlers; it is refused."))
    raise InvalidInput(
        _("SVG artwork cannot be used: the award e-mail and the download need a PNG. Upload a "
          "PNG or JPEG image.")
    )  # fmt: skip


def _decoded(data):
    """The uploaded picture as RGBA pixels, or ``InvalidInput`` saying what is wrong."""
    if not data:
        raise InvalidInput(_("Choose an image to upload."))
    if len(data) > MAX_BYTES:
        raise InvalidInput(
            _("The image is larger than %(limit)d MB.") % {"limit": MAX_BYTES // (1024 * 1024)}
        )
    head = data[:1024].lstrip().lower()
    if head.startswith((b"<?xml", b"<svg", b"<!doctype svg")) or b"<svg" in head:
        _refuse_svg(data)
    try:
        with Image.open(io.BytesIO(data), formats=_FORMATS) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise InvalidInput(_("The image has too many pixels (at most 4096 × 4096)."))
            if min(width, height) < MIN_SIDE:
                raise InvalidInput(
                    _("The image is too small: at least %(side)d pixels on each side.")
                    % {"side": MIN_SIDE}
                )
            image.load()
            return image.convert("RGBA")
    except InvalidInput:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError) as error:
        raise InvalidInput(_("This file is not a PNG or JPEG image.")) from error
    except (OSError, ValueError, SyntaxError) as error:
        raise InvalidInput(_("This image is damaged and cannot be read.")) from error


def normalised_png(data):
    """``data`` (PNG or JPEG bytes) redrawn as the badge's square PNG."""
    picture = _decoded(data)
    picture.thumbnail((artwork.PNG_SIZE, artwork.PNG_SIZE), Image.Resampling.LANCZOS)
    square = Image.new("RGBA", (artwork.PNG_SIZE, artwork.PNG_SIZE), (0, 0, 0, 0))
    offset = ((square.width - picture.width) // 2, (square.height - picture.height) // 2)
    square.alpha_composite(picture, offset)
    buffer = io.BytesIO()
    square.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def store(data):
    """Check, redraw and store an uploaded image; returns its artwork id."""
    png = normalised_png(data)
    artwork_id = hashlib.sha256(png).hexdigest()
    files = storage()
    if not files.exists(_path(artwork_id)):
        files.save(_path(artwork_id), ContentFile(png))
    return artwork_id


def check_id(value, field="badge.artwork"):
    """``value`` if it is an artwork id (``""`` stays ``""``), else ``InvalidInput``.

    The file itself may be missing (a course imported from another site names artwork stored
    there); the badge then shows the generated artwork, see :func:`png`.
    """
    if value in (None, ""):
        return ""
    if not isinstance(value, str) or not ARTWORK_ID.match(value):
        raise InvalidInput(f"{field} must be the id of uploaded artwork.")
    return value


def png(artwork_id):
    """The stored PNG of ``artwork_id``, or ``None`` when this site has no such file."""
    files = storage()
    if not artwork_id or not files.exists(_path(artwork_id)):
        return None
    with files.open(_path(artwork_id), "rb") as handle:
        return handle.read()


def svg(artwork_id, design):
    """The badge's SVG: the stored PNG titled like the medal ``design`` draws, else that medal
    when this site has no such file (see :func:`png`)."""
    picture = png(artwork_id)
    return artwork.picture_svg(picture, design.title) if picture else artwork.badge_svg(design)
