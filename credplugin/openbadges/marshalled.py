"""The ``marshal`` bytes of a credential's objects, serialized once per verification.

The plain-form check (:mod:`.form`) and the fast canonicalizer both remember large objects (an
achievement with its rubric, the same for every learner) by their ``marshal`` bytes. While one
verification runs, inside :func:`one_verification`, the bytes one of them computed for an object
serve the other: the credential is read, checked and canonicalized within that call, and the
table keeps each object alive, so an ``id`` names the same object throughout.
"""

import contextlib
import contextvars
import marshal

_table = contextvars.ContextVar("credplugin_marshalled", default=None)


@contextlib.contextmanager
def one_verification():
    """Share serializations until the block ends (nested blocks share the outer table)."""
    if _table.get() is not None:
        yield
        return
    token = _table.set({})
    try:
        yield
    finally:
        _table.reset(token)


def dumps(value) -> bytes:
    """``marshal.dumps(value)``, reused within :func:`one_verification`.

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
