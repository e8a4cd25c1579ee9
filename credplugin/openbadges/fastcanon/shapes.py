"""Per-shape plans: what pyld decides for a node object, decided once per shape.

For a node object pyld sorts its keys, applies the type-scoped contexts of its types, expands
every key, picks the context and coercion each value is expanded with. All of that depends only
on the active context, the keys, and the values of the keys that expand to ``@type``; a badge
has a few dozen such shapes, so each is worked out once (exactly as in pyld's
``_prepare_nested_context`` and ``_expand_object``) and reused for every node of that shape.
"""

import functools

from pyld.jsonld import JsonLdError

from credplugin.openbadges.fastcanon.literals import (
    XSD_DOUBLE,
    NotCovered,
    expand_id,
    plain_literal,
    string_literal,
    valid_iri,
)

RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
SHAPES_PER_CONTEXT_LIMIT = 1024
PLANS_PER_SHAPE_LIMIT = 64


class PropertyPlan:
    """How one key's values are expanded: its predicate, context and term definition there.

    ``string_object`` turns a string value into its N-Quads object under the term's coercion
    (pyld's ``_expand_value``), chosen once here rather than for every value.
    """

    __slots__ = ("key", "predicate", "context", "term", "string_object")

    def __init__(self, key, predicate, context, term):
        self.key = key
        self.predicate = predicate
        self.context = context
        self.term = term
        self.string_object = _string_coercion(context, term)


def _string_coercion(context, term):
    value_type = term.value_type
    if value_type is None or value_type == "@none":
        return plain_literal if term.language_free else _not_covered
    if value_type == "@id":
        return functools.partial(expand_id, context)
    if value_type == "@vocab":
        return lambda value: valid_iri(context.expand_vocab_value(value))
    if value_type in (XSD_DOUBLE, RDF_LANGSTRING, "@json"):
        return _not_covered
    return lambda value: string_literal(value, value_type)


def _not_covered(value):
    raise NotCovered


class NodePlan:
    """Everything about a node object except its values: context, id key, types, properties."""

    __slots__ = ("context", "id_key", "types", "properties", "graphs")

    def __init__(self, context, id_key, types, properties, graphs):
        self.context = context
        self.id_key = id_key
        self.types = types
        self.properties = properties
        # Properties whose values are named graphs (graph containers), kept apart so that the
        # plain properties of every node are emitted without asking.
        self.graphs = graphs


def node_plan(context, element: dict) -> NodePlan:
    """The plan for ``element`` under ``context`` (a :class:`~.context.Context`).

    Raises:
        NotCovered: the node uses something the fast path does not reproduce.
    """
    keys = tuple(element)
    shapes = context.shapes
    shape = shapes.get(keys)
    if shape is None:
        if len(shapes) >= SHAPES_PER_CONTEXT_LIMIT:
            shapes.clear()
        shape = shapes[keys] = _Shape(context, keys)
    return shape.plan(element)


class _Shape:
    __slots__ = ("context", "keys", "type_keys", "plans")

    def __init__(self, context, keys):
        self.context = context
        self.keys = sorted(keys)
        self.type_keys = tuple(
            key for key in self.keys if key != "@context" and context.expand_key(key) == "@type"
        )
        self.plans = {}

    def plan(self, element: dict) -> NodePlan:
        try:
            if len(self.type_keys) == 1:
                value = element[self.type_keys[0]]
                types = tuple(value) if value.__class__ is list else (value,)
            else:
                types = tuple(tuple(as_list(element[key])) for key in self.type_keys)
            plan = self.plans.get(types)
        except TypeError:  # unhashable type values: never planned, the build refuses them
            types = plan = None
        if plan is None:
            plan = self._build(element)
            if types is not None:
                if len(self.plans) >= PLANS_PER_SHAPE_LIMIT:
                    self.plans.clear()
                self.plans[types] = plan
        return plan

    def _build(self, element: dict) -> NodePlan:
        type_scoped = self.context
        context = self._apply_type_scopes(element)
        id_key = None
        types = None
        properties = []
        graphs = []
        for key in self.keys:
            if key == "@context":
                continue
            term = context.term(key)
            if term.iri == "@id":
                if id_key is not None:
                    raise NotCovered
                id_key = key
            elif term.iri == "@type":
                if types is not None or key not in self.type_keys:
                    raise NotCovered
                types = _types(context, type_scoped, as_list(element[key]))
            elif term.predicate is not None and term.graph:
                graphs.append(_property(context, key, term))
            elif term.predicate is None or not term.plain:
                raise NotCovered
            else:
                properties.append(_property(context, key, term))
        return NodePlan(context, id_key, types or [], properties, graphs)

    def _apply_type_scopes(self, element: dict):
        """pyld's ``_prepare_nested_context``: each type's scoped context, types sorted.

        Types are looked up in the context as it was before any of them applied; whether a
        later key is a type key is judged in the context as it is by then.
        """
        type_scoped = context = self.context
        found = []
        for key in self.keys:
            if key == "@context" or context.expand_key(key) != "@type":
                continue
            found.append(key)
            for name in sorted(t for t in as_list(element[key]) if isinstance(t, str)):
                scoped = type_scoped.type_scoped(name)
                if scoped is not None:
                    context = derive(context, ("type", name, id(scoped)), scoped, propagate=False)
        if tuple(found) != self.type_keys:
            raise NotCovered
        return context


def _types(context, type_scoped, names: list) -> list:
    """Type IRIs, expanded against the context before type-scoped contexts applied."""
    iris = []
    for name in names:
        if not isinstance(name, str):
            raise NotCovered
        expanded = type_scoped.expand_vocab_value(name)
        if not isinstance(expanded, str) or expanded.startswith("@"):
            raise NotCovered
        iris.append(valid_iri(expanded))
    # pyld treats a node whose first type is @json as a JSON literal.
    if names and context.expand_key(names[0]) == "@json":
        raise NotCovered
    return iris


def _property(context, key: str, term) -> PropertyPlan:
    term_context = context
    if term.scoped is not None:
        term_context = derive(
            context,
            ("property", key, id(term.scoped)),
            term.scoped,
            propagate=True,
            override_protected=True,
        )
    value_term = term_context.term(key)
    if value_term.iri is None or value_term.iri.startswith("@"):
        raise NotCovered
    return PropertyPlan(key, term.predicate, term_context, value_term)


def derive(context, cache_key, local_context, **flags):
    """``context.derive`` with pyld's errors on odd scoped contexts turned into a fallback."""
    try:
        return context.derive(cache_key, local_context, **flags)
    except JsonLdError as error:
        raise NotCovered from error


def as_list(value) -> list:
    return value if isinstance(value, list) else [value]
