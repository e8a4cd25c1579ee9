"""W3C Bitstring Status List: revocation and suspension without contacting the issuer per badge.

Each credential names an index in a list; the list is a large bitstring published as a signed
``BitstringStatusListCredential``. A set bit means revoked (or suspended). The list has at least
131,072 entries so that one index among many says little about who is being checked.
"""

import gzip
import zlib
from datetime import datetime

import attr

from credplugin.openbadges.loader import CREDENTIALS_V2_CONTEXT
from credplugin.openbadges.multibase import MultibaseError, decode_base64url, encode_base64url
from credplugin.openbadges.serialize import compact, format_datetime

MINIMUM_LENGTH = 131_072
STATUS_PURPOSES = ("revocation", "suspension")
# A list far beyond any real deployment: refuse to inflate more than this from untrusted input.
MAXIMUM_LENGTH = 64 * MINIMUM_LENGTH


class StatusListError(ValueError):
    """A status list or status entry is malformed, or an index is out of range."""


def _purpose(instance, attribute, value):
    if value not in STATUS_PURPOSES:
        raise StatusListError(f"statusPurpose must be one of {STATUS_PURPOSES}, not {value!r}")


def _plain_purpose(value):
    """The purpose as a plain ``str``: an equal ``str`` subclass (a Django ``TextChoices``
    member) would ride into the JSON and make every copy of the credential a slow deepcopy."""
    return STATUS_PURPOSES[STATUS_PURPOSES.index(value)] if value in STATUS_PURPOSES else value


@attr.s(frozen=True)
class BitstringStatusListEntry:
    """
    Where a credential's status is kept.

    Attributes:
        status_list_credential (str): URL of the signed status list credential.
        index (int): this credential's position in the list.
        purpose (str): ``revocation`` or ``suspension``.
    """

    status_list_credential = attr.ib(type=str)
    index = attr.ib(type=int)
    purpose = attr.ib(type=str, default="revocation", converter=_plain_purpose, validator=_purpose)

    def to_json(self) -> dict:
        return {
            "id": f"{self.status_list_credential}#{self.index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": self.purpose,
            "statusListIndex": str(self.index),
            "statusListCredential": self.status_list_credential,
        }

    @classmethod
    def from_json(cls, data) -> "BitstringStatusListEntry":
        """Read a ``credentialStatus`` object.

        Raises:
            StatusListError: wrong type, or a missing or malformed field.
        """
        types = data.get("type") if isinstance(data, dict) else None
        if "BitstringStatusListEntry" not in (types if isinstance(types, list) else [types]):
            raise StatusListError("credentialStatus is not a BitstringStatusListEntry")
        index = data.get("statusListIndex")
        url = data.get("statusListCredential")
        if not (isinstance(index, str) and index.isdecimal() and index.isascii()):
            raise StatusListError("statusListIndex must be a string of digits")
        if not isinstance(url, str):
            raise StatusListError("statusListCredential must be a URL")
        return cls(url, int(index), data.get("statusPurpose"))


def as_entry_list(status) -> list:
    """A credential's ``credentialStatus`` (absent, one entry or a list) as a list of entries."""
    if status is None:
        return []
    return status if isinstance(status, list) else [status]


class StatusList:
    """A mutable bitstring; bit 0 is the most significant bit of the first byte, as in the spec."""

    def __init__(self, length: int = MINIMUM_LENGTH, bits: bytes | None = None):
        if length < MINIMUM_LENGTH or length % 8:
            raise StatusListError(f"a status list has a multiple of 8, >= {MINIMUM_LENGTH}, bits")
        self.length = length
        self._bits = bytearray(bits if bits is not None else length // 8)

    def _locate(self, index: int) -> tuple[int, int]:
        if not isinstance(index, int) or not 0 <= index < self.length:
            raise StatusListError(f"status index {index!r} is outside 0..{self.length - 1}")
        return index // 8, 0x80 >> (index % 8)

    def get(self, index: int) -> bool:
        """Whether the bit at ``index`` is set (revoked or suspended)."""
        position, mask = self._locate(index)
        return bool(self._bits[position] & mask)

    def set(self, index: int, value: bool = True) -> None:
        """Set (or with ``value=False`` clear) the bit at ``index``."""
        position, mask = self._locate(index)
        if value:
            self._bits[position] |= mask
        else:
            self._bits[position] &= ~mask & 0xFF

    def clear(self, index: int) -> None:
        """Clear the bit at ``index`` (e.g. lift a suspension)."""
        self.set(index, False)

    def encode(self) -> str:
        """The ``encodedList``: GZIP (no timestamp, so it is reproducible), base64url multibase."""
        return encode_base64url(gzip.compress(bytes(self._bits), mtime=0))

    @classmethod
    def decode(cls, encoded: str) -> "StatusList":
        """Read an ``encodedList``.

        Raises:
            StatusListError: not multibase base64url GZIP, too short, or implausibly large.
        """
        try:
            compressed = decode_base64url(encoded)
            inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
            bits = inflater.decompress(compressed, MAXIMUM_LENGTH // 8 + 1)
        except (MultibaseError, zlib.error) as error:
            raise StatusListError(f"encodedList is not GZIP base64url: {error}") from error
        if len(bits) > MAXIMUM_LENGTH // 8:
            raise StatusListError("encodedList is larger than any status list we accept")
        if not inflater.eof:
            raise StatusListError("encodedList is truncated")
        return cls(len(bits) * 8, bits)


def status_list_credential(
    url: str,
    issuer: str,
    status_list: StatusList,
    *,
    purpose: str = "revocation",
    valid_from: datetime | None = None,
    valid_until: datetime | None = None,
) -> dict:
    """The unsigned ``BitstringStatusListCredential`` served at ``url``; sign it before serving."""
    _purpose(None, None, purpose)
    purpose = _plain_purpose(purpose)
    return compact(
        {
            "@context": [CREDENTIALS_V2_CONTEXT],
            "id": url,
            "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": issuer,
            "validFrom": format_datetime(valid_from),
            "validUntil": format_datetime(valid_until),
            "credentialSubject": {
                "id": f"{url}#list",
                "type": "BitstringStatusList",
                "statusPurpose": purpose,
                "encodedList": status_list.encode(),
            },
        }
    )
