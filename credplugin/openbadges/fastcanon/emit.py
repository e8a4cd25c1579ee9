"""JSON-LD straight to RDF quads, for the documents we sign, without building expanded JSON-LD.

This follows pyld's expansion (``_expand``, ``_prepare_nested_context``, ``_expand_object``,
``_expand_value``) and RDF conversion (``_object_to_rdf``) step by step for the subset our
credentials use: node objects, arrays, strings, numbers, booleans, ``@id`` and ``@type``, terms
with ``@id``/``@vocab``/datatype coercion and ``@set`` containers, type- and property-scoped
contexts. Anything else — inline contexts, value objects, lists, graphs, language maps, JSON
literals, blank-node identifiers, nulls in keyword positions, relative IRIs, and every input the
reference refuses — raises :class:`NotCovered` so the reference decides.

A quad is ``(subject, predicate, object)`` in N-Quads form (``"<iri>"`` or a literal), except that
blank nodes are ints: each JSON object without an ``id`` is a fresh blank node, as in pyld.
"""

from credplugin.openbadges import marshalled
from credplugin.openbadges.fastcanon.context import embedded_context, top_level_context
from credplugin.openbadges.fastcanon.literals import (
    XSD_BOOLEAN,
    NotCovered,
    expand_id,
    number_literal,
    valid_iri,
)
from credplugin.openbadges.fastcanon.rdfc import Subtree, first_degree_hashes
from credplugin.openbadges.fastcanon.shapes import derive, node_plan

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
# Subtrees smaller than this (as marshal bytes) are cheaper to emit than to look up.
MEMO_MINIMUM_SIZE = 1024
MEMO_LIMIT = 64

_subtrees = {}


def document_quads(document: dict) -> tuple[list, list, list, list, list]:
    """Return ``(ground lines, blank-node quads, replays, known hashes, graph quads)``.

    Ground lines are finished N-Quads lines of default-graph quads without blank nodes
    (duplicates are removed later, with the other lines); blank-node quads are
    ``(subject, predicate, object)`` tuples of the default graph, duplicates removed as pyld's
    node map does; replays are ``(subtree, first blank node)`` for each memoised subtree.
    Known hashes has one entry per blank node: its first-degree hash if already known (those of
    replayed subtrees), else None. Graph quads are ``(subject, predicate, object, graph)``
    tuples of the named graphs graph containers make (an embedded credential's proof); their
    graph names are blank nodes.

    Raises:
        NotCovered: the document needs the reference implementation.
    """
    if "@context" not in document:
        raise NotCovered
    context = top_level_context(document["@context"])
    emitter = _Emitter()
    emitter.node(context, document)
    return (
        emitter.ground,
        list(dict.fromkeys(emitter.quads)),
        emitter.replays,
        emitter.hashes,
        list(dict.fromkeys(emitter.graph_quads)),
    )


class _Emitter:
    """The quads of one document, collected as its node objects are walked."""

    __slots__ = (
        "ground",
        "quads",
        "graph_quads",
        "graph",
        "add_quad",
        "replays",
        "count",
        "hashes",
        "memoising",
    )

    def __init__(self):
        self.ground = []
        self.quads = []
        self.graph_quads = []
        # The blank node naming the graph being emitted, None for the default graph; add_quad
        # files a (subject, predicate, object) tuple into it.
        self.graph = None
        self.add_quad = self.quads.append
        # (memoised subtree, number of its first blank node here) for each replay.
        self.replays = []
        self.count = 0
        # First-degree hash of each blank node when already known (memoised subtrees), or None.
        self.hashes = []
        self.memoising = False

    def blank_node(self) -> int:
        node = self.count
        self.count += 1
        self.hashes.append(None)
        return node

    def node(self, context, element: dict):
        """Emit one node object's quads under ``context``; return its subject.

        ``context`` already includes the node's own ``@context`` (see :meth:`nested_node`).
        """
        plan = node_plan(context, element)
        quads = self.add_quad
        subject = self.typed_subject(plan, element)
        ground = self.ground.append
        # Only default-graph quads without blank nodes are finished lines.
        is_iri = self.graph is None and subject.__class__ is str
        for prop in plan.properties:
            value = element[prop.key]
            if value.__class__ is str:
                obj = prop.string_object(value)
            elif value.__class__ is list:
                self.add_array(subject, prop, value)
                continue
            elif value is None:
                continue
            else:
                obj = self.value(prop, value)
            if is_iri and obj.__class__ is str:
                ground(f"{subject} {prop.predicate} {obj} .\n")
            else:
                quads((subject, prop.predicate, obj))
        for prop in plan.graphs:
            self.add_graphs(subject, prop, element[prop.key])
        return subject

    def typed_subject(self, plan, element: dict):
        """The node's subject (its IRI, or a fresh blank node), with its type quads emitted."""
        if plan.id_key is None:
            subject = self.blank_node()
        else:
            subject = expand_id(plan.context, element[plan.id_key])
            if self.graph is None:
                add = self.ground.append
                for type_iri in plan.types:
                    add(f"{subject} {RDF_TYPE} {type_iri} .\n")
                return subject
        quads = self.add_quad
        for type_iri in plan.types:
            quads((subject, RDF_TYPE, type_iri))
        return subject

    def add_array(self, subject, prop, values: list) -> None:
        """Array values; nulls are dropped and nested arrays flattened, as pyld does."""
        if not prop.term.plain:
            raise NotCovered
        is_iri = self.graph is None and subject.__class__ is str
        for item in values:
            if item.__class__ is str:
                obj = prop.string_object(item)
            elif item.__class__ is list:
                self.add_array(subject, prop, item)
                continue
            elif item is None:
                continue
            else:
                obj = self.value(prop, item)
            if is_iri and obj.__class__ is str:
                self.ground.append(f"{subject} {prop.predicate} {obj} .\n")
            else:
                self.add_quad((subject, prop.predicate, obj))

    def add_graphs(self, subject, prop, value) -> None:
        """Values of a graph container: each node object is the one node of a new named graph.

        pyld wraps each expanded value in ``{"@graph": [value]}``; its node map names that
        graph with a fresh blank node, which the property points to, and files the value's
        quads under it. Anything but node objects (and nulls) is left to the reference.
        """
        for item in value if value.__class__ is list else (value,):
            if item is None:
                continue
            if item.__class__ is not dict or not item:
                raise NotCovered
            graph = self.blank_node()
            self.add_quad((subject, prop.predicate, graph))
            outer = self.graph, self.add_quad
            self.graph = graph
            self.add_quad = self._graph_sink(graph)
            try:
                self.nested_node(prop, item)
            finally:
                self.graph, self.add_quad = outer

    def _graph_sink(self, graph: int):
        add = self.graph_quads.append

        def add_quad(quad):
            add((*quad, graph))

        return add_quad

    def value(self, prop, value):
        """The object of one property value (pyld's ``_expand_value`` and ``_object_to_rdf``)."""
        if isinstance(value, dict):
            return self.nested_node(prop, value)
        if isinstance(value, str):
            return prop.string_object(value)
        datatype = prop.term.value_type
        if datatype in ("@id", "@vocab", "@none"):
            datatype = None
        elif datatype == "@json":
            raise NotCovered
        if isinstance(value, bool):
            return f'"{"true" if value else "false"}"^^{valid_iri(datatype or XSD_BOOLEAN)}'
        if isinstance(value, int | float):
            return number_literal(value, datatype)
        raise NotCovered

    def nested_node(self, prop, element: dict):
        """pyld's ``_expand`` of an object value: revert type scope, apply property scope, then
        the value's own ``@context`` (an embedded credential's list of shipped contexts)."""
        if not element:
            return self.blank_node()
        context = prop.context
        if context.previous is not None:
            must_revert = True
            if len(element) <= 2 and "@context" not in element:
                for name in sorted(element):
                    expanded = context.expand_key(name)
                    if expanded == "@value":
                        raise NotCovered
                    if expanded == "@id" and len(element) == 1:
                        must_revert = False
                        break
            if must_revert:
                context = context.previous
        scoped = prop.term.scoped
        if scoped is not None:
            context = derive(
                context, ("property", prop.key, id(scoped)), scoped, override_protected=True
            )
        if "@context" in element:
            context = embedded_context(context, element["@context"])
            return self.node(context, element)
        if (
            self.memoising
            or self.graph is not None
            or not ("id" in element or "@id" in element)
            or _flat(element)
        ):
            return self.node(context, element)
        return self.memoised_node(context, element)

    def memoised_node(self, context, element: dict):
        """A node object with an IRI (an achievement, an issuer) emitted once per content.

        The badge-class parts of a credential are the same for every learner; their quads and
        the first-degree hashes of their blank nodes are computed once and replayed. A blank
        node inside such a node has all its quads inside it, so those hashes hold wherever the
        node appears. The key is the context and the ``marshal`` bytes of the JSON value, which
        tell lists from tuples and ``True`` from ``1`` (JSON text does not) and refuse objects
        that are not plain data.
        """
        try:
            content = marshalled.dumps(element)
        except ValueError:
            return self.node(context, element)
        if len(content) < MEMO_MINIMUM_SIZE:
            return self.node(context, element)
        memo_key = (context, content)
        subtree = _subtrees.pop(memo_key, None)
        if subtree is None:
            subtree = self.record(context, element)
            if subtree is None:
                return self.node(context, element)
        if len(_subtrees) >= MEMO_LIMIT:
            del _subtrees[next(iter(_subtrees))]
        _subtrees[memo_key] = subtree
        self.replays.append((subtree, self.count))
        self.count += subtree.count
        self.hashes += subtree.hashes
        return subtree.subject

    def record(self, context, element: dict) -> "Subtree | None":
        """Emit ``element`` on its own; None unless its subject is an IRI (then not memoised)."""
        outer = (self.ground, self.quads, self.graph_quads, self.add_quad, self.count, self.hashes)
        self.ground, self.quads, self.graph_quads, self.count, self.hashes = [], [], [], 0, []
        self.add_quad = self.quads.append
        self.memoising = True
        try:
            subject = self.node(context, element)
            if subject.__class__ is not str or self.graph_quads:
                return None
            quads = list(dict.fromkeys(self.quads))
            hashes = first_degree_hashes(quads, [None] * self.count)
            return Subtree(list(dict.fromkeys(self.ground)), quads, hashes, subject)
        finally:
            self.ground, self.quads, self.graph_quads, self.add_quad, self.count, self.hashes = (
                outer
            )
            self.memoising = False


def _flat(element: dict) -> bool:
    """No nested objects or arrays: quicker to emit than to fingerprint and look up."""
    return not any(value.__class__ in (dict, list) for value in element.values())
