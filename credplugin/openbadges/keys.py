"""Ed25519 signing keys as Multikeys, bound to the DID that controls them.

A key is worth nothing to a verifier without the DID document that lists it, so a
:class:`SigningKey` carries its controller (a ``did:key`` by default, or the site's ``did:web``)
and derives its verification method id from both. Keys travel as PKCS#8 PEM (what the Django side
stores) or as a JSON key file (what ``python -m credplugin.openbadges keygen`` writes).
"""

import functools

import attr
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from credplugin.openbadges.multibase import MultibaseError, decode_base58btc, encode_base58btc

# Multicodec varint prefixes: ed25519-pub (0xed) and ed25519-priv (0x1300).
ED25519_PUBLIC_PREFIX = b"\xed\x01"
ED25519_PRIVATE_PREFIX = b"\x80\x26"
ED25519_KEY_LENGTH = 32
DID_KEY_PREFIX = "did:key:"
# Public keys decoded from Multikeys, by Multikey (see public_key_from_multibase).
DECODED_PUBLIC_KEYS_LIMIT = 64
_decoded_public_keys = {}


class KeyFormatError(ValueError):
    """A key, key file or multikey string is malformed or of the wrong kind."""


def public_key_multibase(public_key: Ed25519PublicKey) -> str:
    """Return the Multikey encoding of an Ed25519 public key (``z6Mk…``)."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return encode_base58btc(ED25519_PUBLIC_PREFIX + raw)


def public_key_from_multibase(multibase: str) -> Ed25519PublicKey:
    """Decode a ``z6Mk…`` Multikey into an Ed25519 public key.

    Decoded keys are remembered (a few): a batch verifies every credential against its
    issuer's one key, and key objects are immutable.

    Raises:
        KeyFormatError: not base58btc, not the ed25519-pub multicodec, or the wrong length.
    """
    known = _decoded_public_keys.get(multibase) if multibase.__class__ is str else None
    if known is not None:
        return known
    raw = _multicodec_key_bytes(
        multibase,
        ED25519_PUBLIC_PREFIX,
        "publicKeyMultibase",
        "publicKeyMultibase is not an Ed25519 Multikey (z6Mk…)",
    )
    public_key = Ed25519PublicKey.from_public_bytes(raw)
    if len(_decoded_public_keys) >= DECODED_PUBLIC_KEYS_LIMIT:
        _decoded_public_keys.clear()
    _decoded_public_keys[multibase] = public_key
    return public_key


def _multicodec_key_bytes(multibase: str, prefix: bytes, field: str, wrong_kind: str) -> bytes:
    """The raw 32 key bytes of a base58btc multibase value carrying the multicodec ``prefix``.

    Raises ``KeyFormatError`` naming ``field`` when it is not base58btc, and ``wrong_kind`` when
    the multicodec or the length is not that of an Ed25519 key of the expected kind.
    """
    try:
        data = decode_base58btc(multibase)
    except MultibaseError as error:
        raise KeyFormatError(f"{field}: {error}") from error
    if not data.startswith(prefix) or len(data) != len(prefix) + ED25519_KEY_LENGTH:
        raise KeyFormatError(wrong_kind)
    return data[len(prefix) :]


def did_key_for(multibase: str) -> str:
    """Return the ``did:key`` DID whose key is the given Multikey."""
    return DID_KEY_PREFIX + multibase


@attr.s(frozen=True)
class SigningKey:
    """
    An Ed25519 private key and the DID that publishes it.

    Attributes:
        private_key (Ed25519PrivateKey): the signing key.
        controller (str): the DID of the issuer; defaults to the key's own ``did:key``.
    """

    private_key = attr.ib(type=Ed25519PrivateKey, repr=False)
    controller = attr.ib(
        type=str,
        default=attr.Factory(lambda key: did_key_for(key.public_key_multibase), takes_self=True),
    )

    @classmethod
    def _published_by(cls, private_key, controller: str | None) -> "SigningKey":
        return cls(private_key) if controller is None else cls(private_key, controller)

    @functools.cached_property
    def public_key_multibase(self) -> str:
        """The public key as a Multikey string (``z6Mk…``), derived once: every proof names it."""
        return public_key_multibase(self.private_key.public_key())

    @functools.cached_property
    def verification_method(self) -> str:
        """The id of this key in its controller's DID document: ``<controller>#<multikey>``."""
        return f"{self.controller}#{self.public_key_multibase}"

    def for_controller(self, controller: str) -> "SigningKey":
        """The same key published by another DID (e.g. the site's ``did:web``)."""
        return attr.evolve(self, controller=controller)

    def sign(self, data: bytes) -> bytes:
        """Return the 64-byte Ed25519 signature of ``data``."""
        return self.private_key.sign(data)

    def to_pem(self) -> bytes:
        """The private key as unencrypted PKCS#8 PEM (store it encrypted at rest)."""
        return self.private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    @classmethod
    def from_pem(cls, pem: bytes | str, *, controller: str | None = None) -> "SigningKey":
        """Load a PKCS#8 PEM Ed25519 private key.

        Raises:
            KeyFormatError: not PEM, encrypted, or not an Ed25519 key.
        """
        data = pem.encode("ascii") if isinstance(pem, str) else pem
        try:
            private_key = serialization.load_pem_private_key(data, password=None)
        except (ValueError, TypeError, UnsupportedAlgorithm) as error:
            raise KeyFormatError(f"not an unencrypted PEM private key: {error}") from error
        if not isinstance(private_key, Ed25519PrivateKey):
            raise KeyFormatError("the PEM key is not an Ed25519 key")
        return cls._published_by(private_key, controller)

    @property
    def private_key_multibase(self) -> str:
        """The private key seed as multibase (multicodec ed25519-priv), as in the W3C vectors."""
        raw = self.private_key.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        return encode_base58btc(ED25519_PRIVATE_PREFIX + raw)

    @classmethod
    def from_private_key_multibase(
        cls, multibase: str, *, controller: str | None = None
    ) -> "SigningKey":
        """Load a key from its ``privateKeyMultibase`` (multicodec ed25519-priv seed)."""
        raw = _multicodec_key_bytes(
            multibase,
            ED25519_PRIVATE_PREFIX,
            "privateKeyMultibase",
            "privateKeyMultibase is not an Ed25519 private key",
        )
        return cls._published_by(Ed25519PrivateKey.from_private_bytes(raw), controller)

    def to_json(self) -> dict:
        """The JSON key file: DID, verification method, public and private Multikey."""
        return {
            "did": self.controller,
            "verificationMethod": self.verification_method,
            "type": "Multikey",
            "publicKeyMultibase": self.public_key_multibase,
            "privateKeyMultibase": self.private_key_multibase,
        }

    @classmethod
    def from_json(cls, data: dict) -> "SigningKey":
        """Load a key file written by :meth:`to_json`, checking its parts agree.

        Raises:
            KeyFormatError: missing fields, or a public key or DID not matching the private key.
        """
        if not isinstance(data, dict) or not isinstance(data.get("privateKeyMultibase"), str):
            raise KeyFormatError("a key file is a JSON object with privateKeyMultibase")
        controller = data.get("did")
        if controller is not None and not (
            isinstance(controller, str) and controller.startswith("did:")
        ):
            raise KeyFormatError("the key file's did is not a DID")
        key = cls.from_private_key_multibase(data["privateKeyMultibase"], controller=controller)
        if data.get("publicKeyMultibase", key.public_key_multibase) != key.public_key_multibase:
            raise KeyFormatError("publicKeyMultibase does not belong to privateKeyMultibase")
        expected_method = data.get("verificationMethod", key.verification_method)
        if expected_method != key.verification_method:
            raise KeyFormatError("verificationMethod does not match the key and its DID")
        return key


def generate_key(controller: str | None = None) -> SigningKey:
    """Create a new Ed25519 signing key, published by ``controller`` (default: its did:key)."""
    return SigningKey._published_by(Ed25519PrivateKey.generate(), controller)
