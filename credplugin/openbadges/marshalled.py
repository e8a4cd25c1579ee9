"""The ``marshal`` bytes of a credential's objects, serialized once while they do not change.

The plain-form check (:mod:`.form`) and the fast canonicalizer both remember large objects (an
achievement with its rubric, the same for every learner) by their ``marshal`` bytes. Inside
:func:`unchanged`, the bytes one of them computed for an object serve the other and every later
use: a verification reads, checks and canonicalizes the credential within that block, and an
issuing batch, whose credentials share their achievement's very dict, signs and verifies them
all within one. The table keeps each object alive, so an ``id`` names the same object
throughout; the caller promises not to change those objects until the block ends.
"""

import contextlib
import contextvars
import marshal

_table = contextvars.ContextVar("credplugin_marshalled", default=None)


@contextlib.contextmanager
def unchanged():
    """Share serializations until the block ends (nested blocks share the outer table); the
    objects serialized meanwhile must not change."""
    if _table.get() is not None:
        yield
        return
    token = _table.set({})
    try:
        yield
    finally:
        _table.reset(token)


def dumps(value) -> bytes:
    """``marshal.dumps(value)``, reused within :func:`unchanged`.

    Raises:
        ValueError: ``value`` is not plain data, as ``marshal.dumps`` does.
    """
    table = _table.get()
    if table is None:
        return marshal.dumps(value)
    known = table.get(id(value))
    if known is not None and known[0] is value:
        return known[1]
    content = marshal.dumps(value)
    table[id(value)] = (value, content)
    return content
