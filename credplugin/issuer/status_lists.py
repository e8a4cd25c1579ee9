"""Bitstring Status Lists in the database: slot reservation, bit flips and signed publication.

Revocation and suspension lists of one sequence number grow in lockstep, so a badge owns the
same index in both. Indexes are random, as the Bitstring Status List spec recommends (indexes
in issuance order would tell when each badge was issued): a list counts its slots in order and
``shuffled_indexes`` maps each count through a keyed pseudorandom permutation of the list's
free indexes (a Feistel network over BLAKE2b, cycle-walked into range), so slots never collide
and cost about 10 µs each. A list filled in order before it had a key keeps its old indexes and
shuffles only the rest. A slot is reserved, and committed, before the credential that names it is
signed; the signed ``BitstringStatusListCredential`` is stored on the row and re-signed in the
same transaction as every bit change, so the public list never lags the database.
"""

import hashlib
import secrets

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from credplugin.exceptions import NotFound
from credplugin.issuer import identity, keys
from credplugin.models import IssuanceRequest, StatusList
from credplugin.openbadges.proof import sign_credential
from credplugin.openbadges.status_list import (
    MINIMUM_LENGTH,
    BitstringStatusListEntry,
    status_list_credential,
)
from credplugin.openbadges.status_list import StatusList as Bitstring

PURPOSES = (StatusList.Purpose.REVOCATION, StatusList.Purpose.SUSPENSION)


def count_attempt_and_reserve_slots(request_ids):
    """Make sure each issuance request has its status-list slot, and count the attempt;
    returns ``{id: (seq, index)}``.

    Requests the evaluation created already carry their slot (``take_slots`` in the decision's
    transaction); then this is one read and one update, with no lock. Otherwise the missing
    slots are taken and committed on their own, before signing, so a retry reuses them.
    Lock order is requests, then list (the evaluation takes the list before inserting its
    rows, which nobody else can lock until it commits).
    """
    request_ids = list(request_ids)
    rows = IssuanceRequest.objects.filter(pk__in=request_ids).values_list(
        "pk", "status_list_sequence", "status_list_index"
    )
    slots = {pk: (sequence, index) for pk, sequence, index in rows if index is not None}
    IssuanceRequest.objects.filter(pk__in=request_ids).update(attempts=F("attempts") + 1)
    missing = [pk for pk in request_ids if pk not in slots]
    if missing:
        for _attempt in range(3):
            try:
                with transaction.atomic():
                    slots.update(_reserve(missing))
                break
            except IntegrityError:
                continue  # another worker opened the same new sequence; take slots in it
        else:
            raise IntegrityError("could not open a new status list after three attempts")
    return slots


def _reserve(request_ids):
    requests = list(
        IssuanceRequest.objects.select_for_update()
        .filter(pk__in=request_ids)
        .order_by("pk")
        .values_list("pk", "status_list_sequence", "status_list_index")
    )
    slots = {pk: (sequence, index) for pk, sequence, index in requests if index is not None}
    missing = [pk for pk, _sequence, index in requests if index is None]
    for pk, (sequence, index) in zip(missing, take_slots(len(missing)), strict=True):
        IssuanceRequest.objects.filter(pk=pk).update(
            status_list_sequence=sequence, status_list_index=index
        )
        slots[pk] = (sequence, index)
    return slots


def take_slots(wanted):
    """``wanted`` free slots ``(sequence, index)``; call inside a transaction, which holds the
    current list's lock until it ends (opening new lists as they fill)."""
    slots = []
    while len(slots) < wanted:
        sequence, indexes = _take(wanted - len(slots))
        slots += [(sequence, index) for index in indexes]
    return slots


def _take(wanted):
    """Up to ``wanted`` free indexes of the current list: ``(sequence, indexes)``."""
    current = (
        StatusList.objects.select_for_update()
        .filter(purpose=StatusList.Purpose.REVOCATION)
        .order_by("-sequence")
        .first()
    )
    if current is None or current.next_index >= current.size:
        sequence = current.sequence + 1 if current else 1
        key = secrets.token_hex(16)
        for purpose in PURPOSES:
            StatusList.objects.create(
                purpose=purpose,
                sequence=sequence,
                size=MINIMUM_LENGTH,
                bitstring=bytes(MINIMUM_LENGTH // 8),
                index_key=key,
            )
        current = StatusList(sequence=sequence, size=MINIMUM_LENGTH, index_key=key)
    elif not current.index_key:
        current.index_key, current.shuffled_from = secrets.token_hex(16), current.next_index
        StatusList.objects.filter(sequence=current.sequence).update(
            index_key=current.index_key, shuffled_from=current.shuffled_from
        )
    count = min(wanted, current.size - current.next_index)
    StatusList.objects.filter(sequence=current.sequence).update(next_index=F("next_index") + count)
    counters = range(current.next_index, current.next_index + count)
    return current.sequence, shuffled_indexes(current, counters)


FEISTEL_ROUNDS = 4


def shuffled_indexes(row, counters):
    """The indexes of the list's slots number ``counters``: a permutation of
    ``[shuffled_from, size)`` keyed by the list's ``index_key``."""
    offset, size = row.shuffled_from, row.size - row.shuffled_from
    half_bits = (max(size - 1, 1).bit_length() + 1) // 2
    mask = (1 << half_bits) - 1
    rounds = [
        hashlib.blake2b(bytes([number]), key=bytes.fromhex(row.index_key), digest_size=8)
        for number in range(FEISTEL_ROUNDS)
    ]

    def shuffled(value):
        while True:  # cycle-walking: fewer than four passes on average
            left, right = value >> half_bits, value & mask
            for keyed in rounds:
                digest = keyed.copy()
                digest.update(right.to_bytes(8, "big"))
                left, right = right, left ^ (int.from_bytes(digest.digest(), "big") & mask)
            value = (left << half_bits) | right
            if value < size:
                return value

    return [offset + shuffled(counter - offset) for counter in counters]


def status_entry(sequence, index):
    """The ``credentialStatus`` a credential carries: its revocation entry.

    The OB 3.0 schema allows one status object, so credentials name the revocation list;
    the suspension list at the same index is published for this site's own pages and API.
    """
    url = identity.status_list_url(StatusList.Purpose.REVOCATION, sequence)
    return BitstringStatusListEntry(url, index, StatusList.Purpose.REVOCATION)


def _with_bit(bitstring, index, value):
    """A copy of ``bitstring`` with bit ``index`` set or cleared (bit 0 = MSB of byte 0)."""
    bits = bytearray(bitstring)
    mask = 0x80 >> (index % 8)
    if value:
        bits[index // 8] |= mask
    else:
        bits[index // 8] &= ~mask & 0xFF
    return bytes(bits)


def set_status(purpose, sequence, index, value):
    """Set or clear one badge's bit and re-sign the list; call inside a transaction."""
    row = StatusList.objects.select_for_update().get(purpose=purpose, sequence=sequence)
    row.bitstring = _with_bit(row.bitstring, index, value)
    row.signed_credential = _signed(row)
    row.save(update_fields=["bitstring", "signed_credential", "updated"])


def _signed(row, signing_key=None):
    """The signed list credential for the row's current bits, or None when no key is usable."""
    if signing_key is None:
        try:
            _key_row, signing_key = keys.active_signing_key(identity.issuer_did())
        except keys.KeyUnavailable:
            return None
    unsigned = status_list_credential(
        identity.status_list_url(row.purpose, row.sequence),
        identity.issuer_did(),
        Bitstring(row.size, bytes(row.bitstring)),
        purpose=row.purpose,
        valid_from=timezone.now(),
    )
    return sign_credential(unsigned, signing_key)


def ensure_signed(sequence, signing_key):
    """Sign the lists of ``sequence`` that have never been signed (new lists, key added late)."""
    for row in StatusList.objects.filter(sequence=sequence, signed_credential__isnull=True):
        with transaction.atomic():
            locked = StatusList.objects.select_for_update().get(pk=row.pk)
            if locked.signed_credential is None:
                locked.signed_credential = _signed(locked, signing_key)
                locked.save(update_fields=["signed_credential", "updated"])


def published_credential(purpose, sequence):
    """The signed list credential served at the list's URL.

    Raises:
        NotFound: no such list, or it could not be signed yet because no key is usable.
    """
    row = StatusList.objects.filter(purpose=purpose, sequence=sequence).first()
    if row is None:
        raise NotFound(f"There is no {purpose} status list {sequence}.")
    if row.signed_credential is None:
        with transaction.atomic():
            row = StatusList.objects.select_for_update().get(pk=row.pk)
            if row.signed_credential is None:
                row.signed_credential = _signed(row)
                if row.signed_credential is None:
                    raise NotFound(f"The {purpose} status list {sequence} is not signed yet.")
                row.save(update_fields=["signed_credential", "updated"])
    return row.signed_credential


def status_list_for_url(url):
    """``(purpose, sequence)`` if ``url`` is one of this site's status list URLs, else None."""
    for purpose, sequence in StatusList.objects.values_list("purpose", "sequence"):
        if identity.status_list_url(purpose, sequence) == url:
            return purpose, sequence
    return None
