"""Evidence a learner hands in: text within word limits, links, and files checked on the server.

Files are checked by extension AND by their first bytes (a renamed executable is not a PDF),
by size and by count, then written through Django's storage API under a random name; the
learner's file name is kept only as metadata. Storage is ``CREDPLUGIN_UPLOAD_STORAGE`` (a dotted
class path) or Django's default storage.
"""

import hashlib
import json
import re
import uuid
from pathlib import PurePath
from urllib.parse import quote

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.module_loading import import_string

from .errors import InvalidInput, Problems, Text, _

MAX_TEXT_CHARACTERS = 100_000
MAX_LINKS = 10
MAX_LINK_LENGTH = 2000
MAX_FILE_SIZE_MB = 50
_LINK = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)
_WORD = re.compile(r"\S+")
_SCHEMELESS = re.compile(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:\d+)?([/?#]\S*)?$")


def _utf8_text(head):
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character may be cut at the end of the sniffed head.
        return error.start >= len(head) - 3
    return True


def _json_object(content):
    try:
        return isinstance(json.loads(content.decode("utf-8")), dict)
    except (UnicodeDecodeError, ValueError):
        return False


_ZIP = b"PK\x03\x04"
# extension -> (check of the whole content, MIME type to serve it with)
FILE_TYPES = {
    "pdf": (lambda data: data.startswith(b"%PDF-"), "application/pdf"),
    "png": (lambda data: data.startswith(b"\x89PNG\r\n\x1a\n"), "image/png"),
    "jpg": (lambda data: data.startswith(b"\xff\xd8\xff"), "image/jpeg"),
    "jpeg": (lambda data: data.startswith(b"\xff\xd8\xff"), "image/jpeg"),
    "gif": (lambda data: data[:6] in (b"GIF87a", b"GIF89a"), "image/gif"),
    "zip": (lambda data: data.startswith(_ZIP), "application/zip"),
    "docx": (
        lambda data: data.startswith(_ZIP),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": (
        lambda data: data.startswith(_ZIP),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "pptx": (
        lambda data: data.startswith(_ZIP),
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    "odt": (lambda data: data.startswith(_ZIP), "application/vnd.oasis.opendocument.text"),
    "txt": (lambda data: _utf8_text(data[:65536]), "text/plain"),
    "md": (lambda data: _utf8_text(data[:65536]), "text/markdown"),
    "csv": (lambda data: _utf8_text(data[:65536]), "text/csv"),
    "ipynb": (_json_object, "application/x-ipynb+json"),
    "json": (_json_object, "application/json"),
}
DEFAULT_FILE_TYPES = ["pdf", "png", "jpg", "jpeg", "txt", "md", "csv", "ipynb", "zip", "docx"]


def word_count(text):
    return len(_WORD.findall(text or ""))


def clean_text(value, *, label, min_words, max_words, required):
    """The learner's text, within the author's word limits."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(_("{label} must be text."), label=label)
    if len(value) > MAX_TEXT_CHARACTERS:
        raise InvalidInput(
            _("{label} is too long: at most {limit} characters."),
            label=label,
            limit=MAX_TEXT_CHARACTERS,
        )
    if not required:
        return value
    words = word_count(value)
    if min_words and words < min_words:
        raise InvalidInput(
            _("{label} has {count} words; write at least {limit}."),
            label=label,
            count=words,
            limit=min_words,
        )
    if max_words and words > max_words:
        raise InvalidInput(
            _("{label} has {count} words; keep it to {limit} at most."),
            label=label,
            count=words,
            limit=max_words,
        )
    return value


def normalize_link(value):
    """The link with ``https://`` added when it starts with a host name but has no scheme.

    Learners paste ``github.com/me/x`` far more often than the full address; anything else
    (``javascript:…``, plain words) is left as typed for :func:`link_problem` to name.
    """
    link = value.strip()
    if link and "://" not in link and _SCHEMELESS.match(link):
        return "https://" + link
    return link


def link_problem(link):
    """Why ``link`` is not a web address the mentor can open, or None when it is one."""
    if len(link) > MAX_LINK_LENGTH:
        return Text(_("This link is too long: at most {limit} characters."), limit=MAX_LINK_LENGTH)
    if not _LINK.match(link):
        return Text(
            _("“{link}” is not a web address such as https://example.org/work."), link=link[:100]
        )
    return None


def read_links(value, *, max_links):
    """Every link field as typed, normalized, positions kept (empty fields stay empty).

    Raises ``InvalidInput`` only for input no form can send (not a list of text, too many).
    """
    if value in (None, ""):
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise InvalidInput(_("Links must be a list of web addresses."))
    limit = min(max_links, MAX_LINKS)
    links = [normalize_link(item) for item in value]
    while links and not links[-1]:
        links.pop()
    if len([link for link in links if link]) > limit:
        raise InvalidInput(_("Too many links: at most {limit}."), limit=limit)
    if len(links) > limit:
        links = [link for link in links if link]
    return links


def check_links(links, problems):
    """Record under ``links.<position>`` every link that is not a web address."""
    for position, link in enumerate(links):
        problem = link and link_problem(link)
        if problem:
            problems.found.append((f"links.{position}", problem))


def clean_links(value, *, max_links):
    """The learner's links for a submission: normalized, every one a web address, no gaps."""
    links = read_links(value, max_links=max_links)
    problems = Problems()
    check_links(links, problems)
    problems.raise_any()
    return [link for link in links if link]


def clean_file_types(value):
    """The extensions an author allows, limited to the types the server can recognise."""
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise InvalidInput(_("Allowed file types must be a list such as pdf, png, ipynb."))
    types = [item.strip().lower().lstrip(".") for item in value if item.strip()]
    unknown = sorted(set(types) - set(FILE_TYPES))
    if unknown:
        raise InvalidInput(
            _("File type(s) {types} cannot be checked; choose from {known}."),
            types=", ".join(unknown),
            known=", ".join(sorted(FILE_TYPES)),
        )
    return list(dict.fromkeys(types))


def upload_storage():
    """The storage learners' files go to, read at call time so tests and hosts can switch it."""
    dotted = getattr(settings, "CREDPLUGIN_UPLOAD_STORAGE", "")
    return import_string(dotted)() if dotted else default_storage


def check_file(name, content, *, allowed_types, max_size_mb):
    """Return ``(extension, mime_type)`` for an acceptable file, else ``InvalidInput``."""
    extension = PurePath(name or "").suffix.lower().lstrip(".")
    if extension not in allowed_types or extension not in FILE_TYPES:
        raise InvalidInput(
            _("Files of type “{type}” are not accepted here; use {allowed}."),
            type=extension or "?",
            allowed=", ".join(allowed_types),
        )
    if len(content) > max_size_mb * 1024 * 1024:
        raise InvalidInput(
            _("{name} is larger than {limit} MB."), name=display_name(name), limit=max_size_mb
        )
    if not content:
        raise InvalidInput(_("{name} is empty."), name=display_name(name))
    sniff, mime_type = FILE_TYPES[extension]
    if not sniff(content):
        raise InvalidInput(
            _("{name} does not look like a .{type} file."),
            name=display_name(name),
            type=extension,
        )
    return extension, mime_type


def display_name(name):
    """The learner's file name without any path, trimmed, for showing and downloading."""
    base = PurePath((name or "").replace("\\", "/")).name
    cleaned = "".join(ch for ch in base if ch.isprintable() and ch not in '"<>|')
    return cleaned[:120] or "file"


def content_disposition(name):
    """An attachment header that survives any file name: ASCII fallback plus RFC 5987 UTF-8."""
    fallback = name.encode("ascii", "replace").decode("ascii").replace("?", "_")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"


def store_file(name, content, *, extension, mime_type, folder):
    """Write the checked file under a random name; return its metadata for the learner's state."""
    storage = upload_storage()
    path = storage.save(f"{folder}/{uuid.uuid4().hex}.{extension}", ContentFile(content))
    return {
        "id": uuid.uuid4().hex[:16],
        "name": display_name(name),
        "path": path,
        "size": len(content),
        "mime_type": mime_type,
        "sha256": hashlib.sha256(content).hexdigest(),
    }


def folder_for(usage_key, student_id):
    """A per-block, per-learner folder that reveals neither id."""
    digest = hashlib.sha256(f"{usage_key}|{student_id}".encode()).hexdigest()[:32]
    return f"credplugin-assessment/{digest}"


def read_file(path):
    with upload_storage().open(path, "rb") as handle:
        return handle.read()


def delete_file(path):
    upload_storage().delete(path)
