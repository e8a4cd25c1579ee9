"""A fast RDFC-1.0 canonicalizer for the JSON-LD shapes credplugin signs.

:func:`credplugin.openbadges.canonical.canonicalize` tries :func:`fast_canonicalize` first and
runs the pyld reference whenever it answers ``None``. The fast path never guesses: contexts are
processed by pyld once and kept (:mod:`.context`), the document is turned into quads following
pyld's expansion step by step (:mod:`.emit`), and blank nodes are labelled with the RDFC-1.0
algorithms over a compact layout (:mod:`.rdfc`). Every shape it does not reproduce exactly —
including every input the reference refuses — makes it answer ``None``.
"""

import logging

from credplugin.openbadges.fastcanon.emit import document_quads
from credplugin.openbadges.fastcanon.literals import NotCovered
from credplugin.openbadges.fastcanon.rdfc import WorkLimitExceeded, canonical_nquads

log = logging.getLogger(__name__)


def fast_canonicalize(document: dict) -> str | None:
    """The canonical N-Quads of ``document``, or ``None`` when the reference must decide.

    Raises:
        WorkLimitExceeded: the document's blank nodes need more work than allowed; the
            reference would refuse it too, only later.
    """
    try:
        ground, fresh, replays, known_hashes, graph_quads = document_quads(document)
        return canonical_nquads(ground, fresh, replays, known_hashes, graph_quads)
    except NotCovered:
        log.debug("fastcanon does not cover this document's shape; pyld canonicalizes it")
        return None
    except WorkLimitExceeded:
        raise
    except Exception:  # odd input (deep nesting, non-string keys) or a fastcanon bug
        log.warning("fastcanon failed on a document; pyld canonicalizes it", exc_info=True)
        return None


__all__ = ["WorkLimitExceeded", "fast_canonicalize"]
