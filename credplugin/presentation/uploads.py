"""Read a badge someone submits for verification: credential JSON, a baked PNG or a baked SVG.

The format is recognised from the bytes, not from a file name or content type a client chose.
``CREDPLUGIN_VERIFY_MAX_BYTES`` bounds both the submission and the credential baked inside it
once decompressed. Every failure raises ``UnreadableBadge`` with a sentence the person can act
on, worded for how the badge came: an uploaded file, pasted text, or an API request body.
"""

import json

from django.utils.translation import gettext as _

from credplugin import openbadges
from credplugin.conf import credplugin_settings

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
FILE, PASTE, BODY = "file", "paste", "body"


class UnreadableBadge(ValueError):
    """The submission is not a badge this site can read; the message says why."""

    def __init__(self, message, *, status=400):
        super().__init__(message)
        self.status = status


def max_bytes():
    return int(credplugin_settings.VERIFY_MAX_BYTES)


def too_large_error():
    return UnreadableBadge(
        _("The badge is larger than %(limit)d bytes, the most this site accepts.")
        % {"limit": max_bytes()},
        status=413,
    )


def _credential_from_json(text, source):
    try:
        document = json.loads(text)
    except RecursionError as error:
        raise UnreadableBadge(_("This JSON is nested too deeply to be a badge.")) from error
    except ValueError as error:
        if source == FILE:
            raise _not_a_badge_file() from error
        position = {"line": getattr(error, "lineno", 1), "column": getattr(error, "colno", 1)}
        message = _("This is not valid JSON (line %(line)d, column %(column)d).") % position
        if source == PASTE:
            message += " " + _("Paste the whole credential, from its first “{” to its last “}”.")
        raise UnreadableBadge(message) from error
    if not isinstance(document, dict):
        raise UnreadableBadge(_("A credential is a JSON object; this JSON is not an object."))
    return document


def _not_a_badge_file():
    return UnreadableBadge(
        _(
            "This file is not a badge: it is neither credential JSON nor a PNG or SVG image "
            "with a credential baked in."
        )
    )


def _looks_like_svg(data):
    head = data[:4096].lstrip().lower()
    return head.startswith(b"<?xml") or head.startswith(b"<svg") or b"<svg" in head


def read_submitted_badge(data, source=BODY):
    """The credential carried by ``data`` (bytes of JSON, a baked PNG or a baked SVG) that
    came as ``source``: ``FILE``, ``PASTE`` or ``BODY``."""
    if not data or not data.strip():
        raise UnreadableBadge(_("Nothing was submitted. Upload a badge file or paste its JSON."))
    if len(data) > max_bytes():
        raise too_large_error()
    if data.startswith(PNG_SIGNATURE):
        return _unbake(openbadges.unbake_png, data, _("PNG image"))
    if _looks_like_svg(data):
        return _unbake(openbadges.unbake_svg, data, _("SVG image"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _not_a_badge_file() from error
    return _credential_from_json(text, source)


def _unbake(unbake, data, kind):
    try:
        return unbake(data, max_credential_bytes=max_bytes())
    except openbadges.CredentialTooLarge as error:
        raise UnreadableBadge(
            _(
                "The credential inside this %(kind)s is larger than %(limit)d bytes once "
                "unpacked, the most this site accepts."
            )
            % {"kind": kind, "limit": max_bytes()}
        ) from error
    except openbadges.BakingError as error:
        raise UnreadableBadge(
            _("The %(kind)s carries no readable Open Badges credential (%(error)s).")
            % {"kind": kind, "error": error}
        ) from error
