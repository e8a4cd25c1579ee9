"""The fast walk of :mod:`credplugin.openbadges.form`: it passes a credential in the plain form
at the cost of a few operations per value, each object shape's decisions taken once and large
repeated objects (a badge class's achievement) remembered. Whatever it does not pass at a glance
raises :class:`Unusual`, and the full check in ``form`` walks the document again to find, and
name, what is out of form; a property test keeps both giving the same verdicts.
"""

from credplugin.openbadges import marshalled
from credplugin.openbadges.form_rules import (
    KEYWORD_OR_BLANK,
    LONE_SURROGATE,
    MAX_DEPTH,
    PLAIN_TERM,
    SINGLE_VALUE,
    SINGLE_VALUE_KEYS,
    TEXT_KEYS,
)

# The badge-class parts of a credential (its achievement, with the rubric) are the same for
# every learner: an object with an id whose content passed is not walked again. Sizes are
# ``marshal`` bytes, as in the fast canonicalizer's memo; smaller objects, and (in the fast
# walk) objects with fewer keys (an achievement has a dozen; a result, an evidence or an issuer
# four), are quicker to walk than to serialize and look up.
MEMO_MINIMUM_KEYS = 8
MEMO_MINIMUM_SIZE = 1024
MEMO_MAXIMUM_SIZE = 64 * 1024
MEMO_LIMIT = 64
passed_objects = {}
# Keys and type names already found to be plain terms: a set lookup instead of a match.
plain_keys = set()
# The same, and ``@context``: what a credential's top level may hold.
top_level_keys = {"@context"}
PLAIN_KEYS_LIMIT = 4096


class Unusual(Exception):
    """The fast walk met something it does not pass at a glance: the full check decides."""


class _Shape:
    """What the checks decide from an object's place and keys alone, decided once per shape:
    per key in order, the place of its objects and whether it holds text; the places read
    that it has; the type it needs."""

    __slots__ = ("actions", "read", "has_id", "required_type")

    def __init__(self, place, keys: tuple):
        children = place.children if place is not None else {}
        text_keys = place.text_keys if place is not None else TEXT_KEYS
        self.actions = tuple(
            (
                children.get(key) or (SINGLE_VALUE if key in SINGLE_VALUE_KEYS else None),
                key in text_keys,
            )
            for key in keys
        )
        self.read = tuple(key for key in children if key in keys)
        self.has_id = "id" in keys
        self.required_type = place.required_type if place is not None else None


# Shapes whose keys are all plain terms, by (place, *keys in order).
_shapes = {}
SHAPES_LIMIT = 4096
# Shapes with longer keys in all (no badge has them) are decided afresh each time rather than
# kept: the cache holds at most SHAPES_LIMIT × this many characters of keys.
SHAPE_MAXIMUM_KEY_CHARACTERS = 1024


def walk(node: dict, place, depth: int) -> None:
    """Pass a credential in the plain form at the cost of a few operations per value.

    Checks what the full check (``form._check_node``) checks, with each shape's decisions
    taken once. Whatever it does not pass at a glance raises :class:`Unusual`, and the full
    check walks the credential again to find, and name, what is out of form.
    """
    shape = _shapes.get((place, *node))
    if shape is None:
        shape = _learn_shape(node, place, depth)
    if depth > MAX_DEPTH:
        raise Unusual
    for (child, text), value in zip(shape.actions, node.values(), strict=True):
        kind = value.__class__
        if kind is str:
            if not value.isascii() and LONE_SURROGATE.search(value):
                raise Unusual
        elif text:
            raise Unusual
        elif kind is dict:
            if len(value) < MEMO_MINIMUM_KEYS or "id" not in value:
                walk(value, child, depth + 1)
            else:
                remembered_walk(value, child, depth + 1)
        elif kind is list and not (child is None and _texts(value)):
            _walk_list(value, child, depth)
    _check_fields(node, shape)


def _texts(items: list) -> bool:
    """Whether ``items`` are all ASCII texts (as most types are), checked at C speed."""
    try:
        return "".join(items).isascii()
    except TypeError:  # not only texts
        return False


def _walk_list(items: list, child, depth: int) -> None:
    if child is not None and child.single:
        raise Unusual
    for item in items:
        kind = item.__class__
        if kind is dict:
            walk(item, child, depth + 1)
        elif (
            child is not None
            or kind is list
            or (kind is str and not item.isascii() and LONE_SURROGATE.search(item))
        ):
            raise Unusual


def _check_fields(node: dict, shape: _Shape) -> None:
    """The objects read are objects; ``id`` and ``type`` are neither keywords nor blank nodes,
    and ``type`` names the type required here (as ``form._check_type`` wants it)."""
    for key in shape.read:
        value = node[key]
        if (
            value is not None
            and value.__class__ not in (dict, list)
            and not (key == "issuer" and value.__class__ is str)
        ):
            raise Unusual
    if shape.has_id:
        identifier = node["id"]
        if identifier.__class__ is str and identifier.startswith(KEYWORD_OR_BLANK):
            raise Unusual
    types = node.get("type")
    required = shape.required_type
    if types.__class__ is str:
        if types != required and (required is not None or types.startswith(KEYWORD_OR_BLANK)):
            raise Unusual
    elif types.__class__ is list:
        if required is None:
            if any(name.__class__ is str and name.startswith(KEYWORD_OR_BLANK) for name in types):
                raise Unusual
        elif required not in types or not plain_names(types):
            raise Unusual
    elif required is not None:
        raise Unusual


def plain_names(names: list) -> bool:
    try:
        return plain_keys.issuperset(names)
    except TypeError:  # an unhashable name
        return False


def _learn_shape(node: dict, place, depth: int) -> _Shape:
    top_level = depth == 0 and place is not None and not place.path
    for key in node:
        if not (key.__class__ is str and PLAIN_TERM.match(key)) and not (
            top_level and key == "@context"
        ):
            raise Unusual
    shape = _Shape(place, tuple(node))
    if sum(map(len, node)) <= SHAPE_MAXIMUM_KEY_CHARACTERS:
        if len(_shapes) >= SHAPES_LIMIT:
            _shapes.clear()
        _shapes[(place, *node)] = shape
    return shape


def remembered_walk(node: dict, place, depth: int, minimum_size: int = MEMO_MINIMUM_SIZE) -> None:
    """:func:`walk`, remembered as the full check's ``form._check_object`` is."""
    try:
        content = marshalled.dumps(node)
    except ValueError:  # not plain data: no memo
        content = b""
    if not minimum_size <= len(content) <= MEMO_MAXIMUM_SIZE or not content:
        walk(node, place, depth)
        return
    memo_key = (place, depth, content)
    if passed_objects.pop(memo_key, None) is None:
        walk(node, place, depth)
    if len(passed_objects) >= MEMO_LIMIT:
        del passed_objects[next(iter(passed_objects))]
    passed_objects[memo_key] = True
