"""N-Quads terms exactly as pyld writes them, refusing what canonical.py refuses.

IRIs and string literals repeat across every credential of a badge class, so their finished
forms are cached (bounded).
"""

import math
import re


class NotCovered(Exception):  # noqa: N818 - a signal, not an error: the caller falls back
    """The document uses JSON-LD the fast path does not reproduce; the reference must run."""


XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
XSD_BOOLEAN = XSD + "boolean"
XSD_INTEGER = XSD + "integer"
XSD_DOUBLE = XSD + "double"
# The limits and the base below are shared with canonical.py (the pyld path), so the fast path
# and the reference refuse exactly the same documents.
LARGEST_SAFE_INTEGER = 2**53
SMALLEST_SAFE_FRACTION = 1e-6
# pyld resolves relative IRIs against http://example.org/base/ when no base is given; resolving
# them against a reserved, never-real base lets us find and refuse them instead.
RELATIVE_IRI_MARKER = "https://relative-iri.invalid/"

# pyld's own test for an absolute IRI (blank node labels pass it too; those are refused apart).
ABSOLUTE_IRI = re.compile(r"^([A-Za-z][A-Za-z0-9+-.]*|_):[^\s]*$")
# Lone surrogates cannot be written as UTF-8: the reference decides what to do with those.
UNSAFE_IRI_CHARACTERS = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f\ud800-\udfff]')
# Characters pyld escapes in literals, and the ones it would write raw (refused by canonical.py).
ESCAPED_OR_UNSAFE = re.compile(r'[\\\t\n\r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]')
UNSAFE_LITERAL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
CACHE_LIMIT = 8192

_valid_iris = {}
_literals = {}
_plain_literals = {}


def valid_iri(value: str) -> str:
    """``<value>`` if pyld would keep it and canonical.py accept it, else :class:`NotCovered`."""
    serialized = _valid_iris.get(value)
    if serialized is None:
        if (
            not ABSOLUTE_IRI.match(value)
            or value.startswith(("_:", RELATIVE_IRI_MARKER))
            or UNSAFE_IRI_CHARACTERS.search(value)
        ):
            raise NotCovered
        if len(_valid_iris) >= CACHE_LIMIT:
            _valid_iris.clear()
        serialized = _valid_iris[value] = f"<{value}>"
    return serialized


def plain_literal(value: str) -> str:
    """A string without datatype (xsd:string), the commonest term of all."""
    serialized = _plain_literals.get(value)
    if serialized is None:
        serialized = string_literal(value, None)
        if len(_plain_literals) >= CACHE_LIMIT:
            _plain_literals.clear()
        _plain_literals[value] = serialized
    return serialized


def string_literal(value: str, datatype: str | None) -> str:
    key = (value, datatype)
    serialized = _literals.get(key)
    if serialized is None:
        text = value
        if ESCAPED_OR_UNSAFE.search(text):
            if UNSAFE_LITERAL_CHARACTERS.search(text):
                raise NotCovered
            text = (
                text.replace("\\", "\\\\")
                .replace("\t", "\\t")
                .replace("\n", "\\n")
                .replace("\r", "\\r")
                .replace('"', '\\"')
            )
        if datatype is None or datatype == XSD_STRING:
            serialized = f'"{text}"'
        else:
            serialized = f'"{text}"^^{valid_iri(datatype)}'
        if len(_literals) >= CACHE_LIMIT:
            _literals.clear()
        _literals[key] = serialized
    return serialized


def canonical_double(value: float) -> str:
    """pyld's canonical xsd:double lexical form."""
    return re.sub(r"(\d)0*E\+?(-)?0*(\d)", r"\1E\2\3", f"{value:1.15E}")


def number_literal(value, datatype: str | None) -> str:
    """An int or float as pyld writes it, refusing what canonical.py refuses."""
    if datatype == XSD_DOUBLE:
        raise NotCovered
    if isinstance(value, float):
        if not math.isfinite(value):
            raise NotCovered
        if not value.is_integer():
            if abs(value) < SMALLEST_SAFE_FRACTION:
                raise NotCovered
            return f'"{canonical_double(value)}"^^{valid_iri(datatype or XSD_DOUBLE)}'
    if abs(value) > LARGEST_SAFE_INTEGER:
        raise NotCovered
    return f'"{int(value)}"^^{valid_iri(datatype or XSD_INTEGER)}'


def expand_id(context, value) -> str:
    """pyld's document-relative expansion of an ``@id`` value, for absolute IRIs only."""
    if not isinstance(value, str):
        raise NotCovered
    colon = value.find(":")
    if colon <= 0 or value[0] == "@":
        raise NotCovered
    prefix = value[:colon]
    if prefix == "_":
        raise NotCovered
    suffix = value[colon + 1 :]
    if not suffix.startswith("//"):
        mapping = context.mappings.get(prefix)
        if mapping and mapping.get("_prefix"):
            value = mapping["@id"] + suffix
    return valid_iri(value)
