"""Baking: a credential carried inside its badge image (OB 3.0 §5.3), as PNG or SVG.

PNG: an uncompressed ``iTXt`` chunk with keyword ``openbadgecredential`` holding the credential
JSON. SVG: an ``<openbadges:credential>`` element (namespace
``https://purl.imsglobal.org/ob/v3p0``) right inside the root, holding the JSON in CDATA.
Baking again replaces the credential already there, so an image never carries two.

Reading bounds the credential's size after decompression (a compressed ``iTXt`` chunk of a few
kilobytes can inflate to megabytes): inflation stops one byte past the limit.
"""

import json
import re
import struct
import zlib
from xml.etree import ElementTree
from xml.parsers import expat

MAX_IMAGE_BYTES = 16 * 1024 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_KEYWORD = b"openbadgecredential"
OPENBADGES_NAMESPACE = "https://purl.imsglobal.org/ob/v3p0"
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
SVG_CREDENTIAL = re.compile(
    r"<openbadges:credential\b[^>]*?(?:/>|>\s*(?:<!\[CDATA\[.*?\]\]>|[^<]*)\s*"
    r"</openbadges:credential\s*>)\s*",
    re.DOTALL,
)
START_TAG = re.compile(r"""<[^\s>/]+(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*/?>""")


class BakingError(ValueError):
    """The image is malformed, too large, or holds no (or no readable) baked credential."""


class CredentialTooLarge(BakingError):
    """The baked credential is larger than the reader's limit (after decompression)."""

    def __init__(self, limit: int):
        super().__init__(f"the baked credential is larger than {limit} bytes once decompressed")
        self.limit = limit


def _credential_text(credential: dict) -> str:
    if not isinstance(credential, dict):
        raise BakingError("only a credential JSON object can be baked")
    return json.dumps(credential, ensure_ascii=False, separators=(",", ":"))


def _parse_credential(text: str) -> dict:
    try:
        credential = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise BakingError(f"the baked credential is not JSON: {error}") from error
    if not isinstance(credential, dict):
        raise BakingError("the baked credential is not a JSON object")
    return credential


def _check_size(image: bytes | str) -> None:
    if len(image) > MAX_IMAGE_BYTES:
        raise BakingError(f"the image is larger than {MAX_IMAGE_BYTES // (1024 * 1024)} MiB")


def _png_chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    """Split a PNG into ``(type, data)`` chunks, checking structure and CRCs."""
    if not isinstance(png, bytes | bytearray) or not png.startswith(PNG_SIGNATURE):
        raise BakingError("not a PNG image (bad signature)")
    _check_size(png)
    chunks, offset = [], len(PNG_SIGNATURE)
    while offset < len(png):
        if offset + 12 > len(png):
            raise BakingError("truncated PNG chunk header")
        length, kind = struct.unpack(">I4s", png[offset : offset + 8])
        end = offset + 8 + length
        if end + 4 > len(png):
            raise BakingError(f"truncated PNG chunk {kind!r}")
        data = png[offset + 8 : end]
        (crc,) = struct.unpack(">I", png[end : end + 4])
        if zlib.crc32(kind + data) != crc:
            raise BakingError(f"PNG chunk {kind!r} fails its CRC check")
        chunks.append((kind, data))
        offset = end + 4
        if kind == b"IEND":
            break
    if not chunks or chunks[0][0] != b"IHDR" or chunks[-1][0] != b"IEND":
        raise BakingError("a PNG must start with IHDR and end with IEND")
    return chunks


def _is_baked_chunk(kind: bytes, data: bytes) -> bool:
    return kind == b"iTXt" and data.split(b"\0", 1)[0] == PNG_KEYWORD


def bake_png(png: bytes, credential: dict) -> bytes:
    """Return ``png`` carrying ``credential``, replacing any credential baked before.

    Raises:
        BakingError: not a well-formed PNG, too large, or the credential is not an object.
    """
    chunks = [chunk for chunk in _png_chunks(png) if not _is_baked_chunk(*chunk)]
    # keyword, NUL, compression flag 0 and method 0, empty language tag and translated keyword.
    text = PNG_KEYWORD + b"\0\0\0\0\0" + _credential_text(credential).encode("utf-8")
    chunks.insert(len(chunks) - 1, (b"iTXt", text))
    output = bytearray(PNG_SIGNATURE)
    for kind, data in chunks:
        output += struct.pack(">I", len(data)) + kind + data
        output += struct.pack(">I", zlib.crc32(kind + data))
    return bytes(output)


def unbake_png(png: bytes, *, max_credential_bytes: int = MAX_IMAGE_BYTES) -> dict:
    """Return the credential baked into ``png``.

    Raises:
        CredentialTooLarge: the credential text (inflated, if compressed) exceeds
            ``max_credential_bytes``; never more than one byte past it is inflated.
        BakingError: malformed PNG, no baked credential, or one that is not a JSON object.
    """
    for kind, data in _png_chunks(png):
        if _is_baked_chunk(kind, data):
            fields = data[len(PNG_KEYWORD) + 1 :]
            if len(fields) < 2:
                raise BakingError("truncated openbadgecredential iTXt chunk")
            compressed, rest = fields[0], fields[2:]
            parts = rest.split(b"\0", 2)
            if len(parts) != 3:
                raise BakingError("malformed openbadgecredential iTXt chunk")
            text = parts[2]
            try:
                if compressed:
                    text = zlib.decompressobj().decompress(text, max_credential_bytes + 1)
                if len(text) > max_credential_bytes:
                    raise CredentialTooLarge(max_credential_bytes)
                return _parse_credential(text.decode("utf-8"))
            except (zlib.error, UnicodeDecodeError) as error:
                raise BakingError(f"unreadable openbadgecredential chunk: {error}") from error
    raise BakingError("the PNG has no baked credential (iTXt openbadgecredential)")


def _parse_svg(svg: str) -> tuple[ElementTree.Element, int]:
    """Parse ``svg``; return its root element and where the root's start tag begins.

    Entity declarations are refused before ElementTree sees the text: a badge image has no use
    for them, and refusing them rules out entity-expansion attacks.
    """
    _check_size(svg)
    located = []

    def refuse_entities(*_):
        raise BakingError("SVG entity declarations are not accepted")

    def locate_root(*_):
        if not located:
            located.append(scanner.CurrentByteIndex)

    scanner = expat.ParserCreate()
    scanner.EntityDeclHandler = refuse_entities
    scanner.StartElementHandler = locate_root
    encoded = svg.encode("utf-8")
    try:
        scanner.Parse(encoded, True)
        root = ElementTree.fromstring(svg)  # noqa: S314 - entity declarations refused above
    except (expat.ExpatError, ElementTree.ParseError, ValueError) as error:
        raise BakingError(f"not well-formed SVG: {error}") from error
    if root.tag != f"{{{SVG_NAMESPACE}}}svg":
        raise BakingError("the root element is not an SVG <svg> element")
    return root, len(encoded[: located[0]].decode("utf-8"))


def _svg_text(svg: bytes | str) -> str:
    if isinstance(svg, bytes | bytearray):
        try:
            return bytes(svg).decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise BakingError("the SVG is not UTF-8") from error
    return svg


def bake_svg(svg: bytes | str, credential: dict) -> str:
    """Return ``svg`` carrying ``credential``, replacing any credential baked before.

    Raises:
        BakingError: not well-formed SVG, too large, a conflicting ``openbadges`` prefix, or the
            credential is not an object.
    """
    text = _svg_text(svg)
    root, _ = _parse_svg(text)
    if any(child.tag == f"{{{OPENBADGES_NAMESPACE}}}credential" for child in root.iter()):
        text = SVG_CREDENTIAL.sub("", text)
    _, root_start = _parse_svg(text)
    tag = START_TAG.match(text, root_start)
    declaration = re.search(r"""\sxmlns:openbadges\s*=\s*(["'])(.*?)\1""", tag.group(0))
    if declaration and declaration.group(2) != OPENBADGES_NAMESPACE:
        raise BakingError("the SVG binds the openbadges prefix to another namespace")
    opening = tag.group(0)
    if not declaration:
        opening = re.sub(r"^<(\S+)", rf'<\1 xmlns:openbadges="{OPENBADGES_NAMESPACE}"', opening)
    if opening.endswith("/>"):
        raise BakingError("the SVG has no content")
    # "]]>" would end the CDATA section early; \u003e is the same JSON text.
    payload = _credential_text(credential).replace("]]>", "]]\\u003e")
    element = f"<openbadges:credential><![CDATA[{payload}]]></openbadges:credential>"
    baked = text[: tag.start()] + opening + element + text[tag.end() :]
    baked_root, _ = _parse_svg(baked)
    if len(baked_root.findall(f".//{{{OPENBADGES_NAMESPACE}}}credential")) != 1:
        raise BakingError("the SVG's earlier credential uses another prefix and was not replaced")
    return baked


def unbake_svg(svg: bytes | str, *, max_credential_bytes: int = MAX_IMAGE_BYTES) -> dict:
    """Return the credential baked into ``svg``.

    Raises:
        CredentialTooLarge: the credential text exceeds ``max_credential_bytes``.
        BakingError: malformed SVG, no baked credential, or one that is not a JSON object.
    """
    root, _ = _parse_svg(_svg_text(svg))
    element = root.find(f".//{{{OPENBADGES_NAMESPACE}}}credential")
    if element is None or not (element.text or "").strip():
        raise BakingError("the SVG has no baked credential (openbadges:credential)")
    text = element.text.strip()
    if len(text.encode("utf-8")) > max_credential_bytes:
        raise CredentialTooLarge(max_credential_bytes)
    return _parse_credential(text)
