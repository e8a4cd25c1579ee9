"""Term tables compiled once from the shipped JSON-LD contexts.

pyld re-derives the active context and looks every key up through several layers of helpers on
every call. The contexts we accept are fixed files, so the derived contexts — the top-level one
for each ``@context`` list, and those produced by type-scoped and property-scoped contexts — are
computed once, by pyld itself, and kept. Keeping pyld as the context processor means the term
definitions (protection, propagation, coercion, containers) are exactly the reference's; only
the per-key lookups are memoised here.
"""

from pyld import jsonld

from credplugin.openbadges.fastcanon.literals import RELATIVE_IRI_MARKER, NotCovered, valid_iri
from credplugin.openbadges.loader import context_manifest, context_resolver, document_loader

# Derived contexts, key expansions and term lookups are cached per context; documents with
# arbitrary keys must not grow these caches without bound.
CONTEXTS_LIMIT = 256
KEYS_PER_CONTEXT_LIMIT = 4096


class TermInfo:
    """What the expansion algorithm asks about one key under one active context."""

    __slots__ = ("iri", "predicate", "scoped", "value_type", "plain", "graph", "language_free")

    def __init__(self, context, key):
        raw = context.raw
        get = jsonld.JsonLdProcessor.get_context_value
        self.iri = iri = context.expand_key(key)
        # The N-Quads predicate, or None where pyld would drop the key, the reference refuse
        # it, or it is a keyword.
        self.predicate = None
        if isinstance(iri, str) and not iri.startswith("@"):
            try:
                self.predicate = valid_iri(iri)
            except NotCovered:
                self.predicate = None
        self.scoped = get(raw, key, "@context")
        self.value_type = get(raw, key, "@type")
        container = get(raw, key, "@container")
        containers = [] if container is None else jsonld.JsonLdProcessor.arrayify(container)
        # Only sets (and no container at all) mean "a plain array of values".
        self.plain = all(item == "@set" for item in containers) and self.value_type != "@json"
        # A graph container without @id or @index: each value becomes its own named graph (an
        # embedded credential's proof).
        self.graph = (
            "@graph" in containers
            and all(item in ("@graph", "@set") for item in containers)
            and self.value_type != "@json"
        )
        self.language_free = (
            get(raw, key, "@language") is None and get(raw, key, "@direction") is None
        )


class Context:
    """One pyld active context plus the memoised lookups the emitter needs."""

    __slots__ = ("raw", "mappings", "previous", "shapes", "_keys", "_terms", "_derived", "_vocab")

    def __init__(self, raw, registry):
        self.raw = raw
        self.mappings = raw["mappings"]
        previous = raw.get("previousContext")
        self.previous = registry.wrap(previous) if previous is not None else None
        # Node plans by key tuple, filled by :mod:`.shapes`.
        self.shapes = {}
        self._keys = {}
        self._terms = {}
        self._derived = {}
        self._vocab = {}

    def expand_key(self, key: str):
        """pyld's ``_expand_iri(context, key, vocab=True)``, memoised."""
        try:
            return self._keys[key]
        except KeyError:
            pass
        if len(self._keys) >= KEYS_PER_CONTEXT_LIMIT:
            self._keys.clear()
        expanded = _PROCESSOR._expand_iri(self.raw, key, vocab=True)
        self._keys[key] = expanded
        return expanded

    def expand_vocab_value(self, value: str):
        """pyld's vocabulary-relative expansion of ``@type`` values and ``@vocab``-typed values."""
        try:
            return self._vocab[value]
        except KeyError:
            pass
        if len(self._vocab) >= KEYS_PER_CONTEXT_LIMIT:
            self._vocab.clear()
        expanded = _PROCESSOR._expand_iri(self.raw, value, vocab=True, base=RELATIVE_IRI_MARKER)
        self._vocab[value] = expanded
        return expanded

    def term(self, key: str) -> TermInfo:
        try:
            return self._terms[key]
        except KeyError:
            pass
        if len(self._terms) >= KEYS_PER_CONTEXT_LIMIT:
            self._terms.clear()
        info = self._terms[key] = TermInfo(self, key)
        return info

    def type_scoped(self, type_name: str):
        """The local context a type term carries (looked up here), or None."""
        scoped = jsonld.JsonLdProcessor.get_context_value(self.raw, type_name, "@context")
        return None if scoped is False else scoped

    def derive(self, cache_key, local_context, **flags) -> "Context":
        """The context pyld's ``_process_context`` makes from this one, computed once."""
        derived = self._derived.get(cache_key)
        if derived is None:
            raw = _PROCESSOR._process_context(self.raw, local_context, _options(), **flags)
            derived = self._derived[cache_key] = _REGISTRY.wrap(raw)
        return derived


class _Registry:
    """Wrappers for pyld contexts, bounded: past the limit it simply starts again."""

    def __init__(self):
        self._wrapped = {}
        self._top_level = {}

    def wrap(self, raw) -> Context:
        wrapped = self._wrapped.get(id(raw))
        if wrapped is not None and wrapped.raw is raw:
            return wrapped
        if len(self._wrapped) >= CONTEXTS_LIMIT:
            self._wrapped.clear()
            self._top_level.clear()
        wrapped = Context(raw, self)
        self._wrapped[id(raw)] = wrapped
        return wrapped

    def top_level(self, urls: tuple) -> Context:
        """The active context after a document's ``@context`` list of shipped URLs."""
        context = self._top_level.get(urls)
        if context is None:
            initial = _PROCESSOR._get_initial_context(_options())
            raw = _PROCESSOR._process_context(initial, list(urls), _options())
            context = self._top_level[urls] = self.wrap(raw)
        return context


def _options() -> dict:
    """The processing options canonical.py gives pyld, with pyld's own defaults filled in."""
    return {
        "documentLoader": document_loader,
        "contextResolver": context_resolver(),
        "base": RELATIVE_IRI_MARKER,
        "processingMode": "json-ld-1.1",
        "isFrame": False,
        "keepFreeFloatingNodes": False,
        "extractAllScripts": False,
    }


_PROCESSOR = jsonld.JsonLdProcessor()
_REGISTRY = _Registry()


def _shipped_urls(document_context) -> tuple:
    """A ``@context`` value (a URL or a list of URLs) as a tuple of shipped context URLs.

    Raises:
        NotCovered: inline contexts, unknown URLs or anything but strings.
    """
    if isinstance(document_context, str):
        urls = (document_context,)
    elif isinstance(document_context, list) and all(isinstance(u, str) for u in document_context):
        urls = tuple(document_context)
    else:
        raise NotCovered
    if not urls or any(url not in context_manifest() for url in urls):
        raise NotCovered
    return urls


def top_level_context(document_context) -> Context:
    """The compiled context for a document's ``@context`` value (a URL or a list of URLs).

    Raises:
        NotCovered: inline contexts, unknown URLs or anything but strings.
    """
    return _REGISTRY.top_level(_shipped_urls(document_context))


def embedded_context(context: Context, local_context) -> Context:
    """The context of a nested node object with its own ``@context`` — a credential embedded
    in a learner record — processed on top of ``context`` as pyld's
    ``_prepare_nested_context`` does, once per list of URLs.

    Raises:
        NotCovered: anything but shipped context URLs, or a redefinition pyld refuses.
    """
    urls = _shipped_urls(local_context)
    try:
        return context.derive(("local", urls), list(urls))
    except jsonld.JsonLdError as error:
        raise NotCovered from error
