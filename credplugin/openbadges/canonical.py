"""RDF Dataset Canonicalization (RDFC-1.0) of JSON-LD documents, the input of every proof hash.

Everything that signs or verifies goes through :func:`canonicalize`, so that a faster
implementation can replace pyld behind it without touching callers. pyld 3.3 is used with the
care it needs:

* its default algorithm is URGNA2012; RDFC-1.0 is its ``URDNA2015``;
* it silently drops properties and types it cannot expand, while the JavaScript verifiers
  (jsonld.js in safe mode) reject such documents: we refuse them too, or we would sign a
  statement narrower than the JSON the recipient sees;
* it writes control characters and IRI characters raw where RDFC-1.0 escapes them. Blank-node
  labels are derived from hashes of those serializations, so the output cannot be repaired
  afterwards; we refuse such input instead;
* Python and JavaScript disagree on very small doubles and on integers beyond 2**53, so such
  numbers are refused rather than signed into a proof other verifiers cannot reproduce;
* labelling look-alike blank nodes is factorial in their number, and it runs before any
  signature can be checked: both paths refuse a document past rdf-canonize's default work
  limit (``maxWorkFactor`` 1) instead of spending minutes on it.
"""

import logging
import math
import re

from pyld import jsonld
from pyld.canon import URDNA2015

from credplugin.openbadges.fastcanon import WorkLimitExceeded, fast_canonicalize
from credplugin.openbadges.fastcanon.literals import (
    ABSOLUTE_IRI,
    LARGEST_SAFE_INTEGER,
    RELATIVE_IRI_MARKER,
    SMALLEST_SAFE_FRACTION,
)
from credplugin.openbadges.fastcanon.rdfc import deep_iteration_limit, work_limit_reason
from credplugin.openbadges.loader import context_resolver, document_loader

NQUADS = "application/n-quads"
# Characters RDFC-1.0 writes as escapes but pyld writes raw (pyld handles \t \n \r " \\).
UNSAFE_LITERAL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
UNSAFE_IRI_CHARACTERS = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f]')
IRI_KEYWORDS = {"@id", "@type"}
LITERAL_KEYWORDS = {"@value", "@language", "@direction", "@index"}

log = logging.getLogger(__name__)
_fast_path = {"enabled": lambda: True}


def use_fast_path(enabled) -> None:
    """Whether :func:`canonicalize` tries the fast path before pyld: a callable read on each
    call. This package reads no settings; credplugin's app passes
    ``CREDPLUGIN_FAST_CANONICALIZATION`` in (``docs/decisions/0015-fast-canonicalizer.md``).
    """
    _fast_path["enabled"] = enabled


class CanonicalizationError(ValueError):
    """The document cannot be canonicalized into something every verifier would reproduce."""


def canonicalize(document: dict) -> str:
    """Return the RDFC-1.0 canonical N-Quads of a JSON-LD ``document``.

    Contexts are served only from the shipped copies (see :mod:`.loader`).

    Raises:
        CanonicalizationError: the document is not valid JSON-LD, uses an unknown context, has
            terms or types its contexts do not define, relative IRIs, characters RDFC-1.0
            escapes, numbers outside the range verifiers agree on, or needs more work than the
            limit allows.
    """
    # The fast path answers only for shapes it reproduces byte for byte (refusals included);
    # for anything else it answers None (and logs why) and the reference below decides.
    if isinstance(document, dict) and _fast_path["enabled"]():
        try:
            canonical = fast_canonicalize(document)
        except WorkLimitExceeded as error:
            raise CanonicalizationError(str(error)) from error
        if canonical is not None:
            return canonical
    return reference_canonicalize(document)


def reference_canonicalize(document: dict) -> str:
    """:func:`canonicalize` through pyld alone: the reference the fast path must match."""
    if not isinstance(document, dict):
        raise CanonicalizationError("a JSON-LD document must be a JSON object")
    _refuse_unportable_numbers(document, "$")
    dropped = []
    processor = jsonld.JsonLdProcessor(on_property_dropped=dropped.append)
    options = {
        "documentLoader": document_loader,
        "contextResolver": context_resolver(),
        "base": RELATIVE_IRI_MARKER,
    }
    try:
        expanded = processor.expand(document, options)
        if dropped:
            names = ", ".join(sorted({str(name) for name in dropped}))
            raise CanonicalizationError(f"terms not defined by the document's @context: {names}")
        _refuse_bad_iris(expanded)
        dataset = processor.to_rdf(expanded, options)
    except jsonld.JsonLdError as error:
        raise CanonicalizationError(_root_message(error)) from error
    except (TypeError, AttributeError) as error:
        # pyld trips over some keyword-like values (an "id" of "@foo") instead of reporting them.
        raise CanonicalizationError(f"not valid JSON-LD: {error}") from error
    _refuse_unescaped_characters(dataset)
    return _BoundedURDNA2015().main(dataset, {"format": NQUADS})


class _BoundedURDNA2015(URDNA2015):
    """pyld's RDFC-1.0 with the work limit of the fast path (:data:`.rdfc.MAX_WORK_FACTOR`)."""

    def __init__(self):
        super().__init__()
        self._limit = None
        self._iterations = {}

    def hash_n_degree_quads(self, id_, issuer):
        if self._limit is None:
            # First called in step 6, when only the groups of look-alike nodes are left.
            self._limit = deep_iteration_limit(sum(map(len, self.hash_to_blank_nodes.values())))
        iterations = self._iterations.get(id_, 0)
        if iterations > self._limit:
            raise CanonicalizationError(work_limit_reason(self._limit))
        self._iterations[id_] = iterations + 1
        return super().hash_n_degree_quads(id_, issuer)


def _root_message(error: BaseException) -> str:
    """pyld wraps the real reason (an unknown context, a bad term) in several layers."""
    while error.__cause__ is not None:
        error = error.__cause__
    return str(error)


def _refuse_unportable_numbers(value, path: str) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _refuse_unportable_numbers(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _refuse_unportable_numbers(item, f"{path}[{index}]")
    elif isinstance(value, bool) or not isinstance(value, int | float):
        return
    elif isinstance(value, float) and not math.isfinite(value):
        raise CanonicalizationError(f"{path}: {value} is not a JSON number")
    elif (isinstance(value, int) or value.is_integer()) and abs(value) > LARGEST_SAFE_INTEGER:
        raise CanonicalizationError(f"{path}: integer {value} exceeds 2**53; write it as a string")
    elif isinstance(value, float) and 0 < abs(value) < SMALLEST_SAFE_FRACTION:
        raise CanonicalizationError(f"{path}: {value} is below 1e-6; write it as a string")


def _refuse_bad_iris(expanded) -> None:
    """Refuse IRIs that pyld would resolve against a made-up base or silently drop.

    jsonld.js rejects relative ``@id``/``@type`` values in safe mode, and both libraries drop
    triples whose IRIs contain spaces or other characters IRIs may not hold.
    """
    if isinstance(expanded, list):
        for item in expanded:
            _refuse_bad_iris(item)
        return
    if not isinstance(expanded, dict):
        return
    for key, item in expanded.items():
        if key in IRI_KEYWORDS:
            for iri in [item] if isinstance(item, str) else item:
                _refuse_bad_iri(iri)
        elif key.startswith("@"):
            if key not in LITERAL_KEYWORDS:
                _refuse_bad_iris(item)
        else:
            _refuse_bad_iri(key)
            _refuse_bad_iris(item)


def _refuse_bad_iri(iri) -> None:
    if not isinstance(iri, str):
        raise CanonicalizationError(f"{iri!r} is not an IRI")
    if iri.startswith(RELATIVE_IRI_MARKER):
        relative = iri.removeprefix(RELATIVE_IRI_MARKER)
        raise CanonicalizationError(f"relative IRI {relative!r}: use an absolute IRI or a URN")
    if UNSAFE_IRI_CHARACTERS.search(iri):
        raise CanonicalizationError(f"IRI {iri[:80]!r} has characters an IRI may not contain")
    if not ABSOLUTE_IRI.match(iri):
        # pyld writes no triple for it: the statement would silently vanish from the proof.
        raise CanonicalizationError(f"{iri!r} is not an absolute IRI")


def _refuse_unescaped_characters(dataset: dict) -> None:
    """Refuse literals holding characters pyld would write raw (IRIs were checked before)."""
    for triples in dataset.values():
        for triple in triples:
            for component in triple.values():
                value = component["value"]
                if component["type"] == "literal" and UNSAFE_LITERAL_CHARACTERS.search(value):
                    raise CanonicalizationError(
                        f"control character in text {value[:40]!r}: remove it"
                    )
