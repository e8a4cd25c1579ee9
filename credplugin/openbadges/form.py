"""The one JSON form in which the verifier reads a credential: the form OB 3.0 issuers write.

A signature covers the RDF meaning of a credential, while the verifier and every page read its
JSON keys by their short names. JSON-LD lets one meaning be written in many JSON forms (a key
as its full IRI, a value as a value object, text tucked into ``@index``, an inline context), so a
credential whose JSON says one thing while its signed graph says another must never be read.
Rather than read the expanded graph, the verifier accepts only the plain form: under the
shipped contexts, whose only keyword aliases are ``id`` and ``type`` (a test keeps it so), a
document whose keys are all plain terms can hold no IRI key, value object, ``@index``,
``@graph`` or inline context, so each key has exactly the meaning its short name has in the
OB 3.0 context. The objects the verifier and pages read must also carry the type the OB 3.0
schema requires of them, and the text they show must be plain strings. ADR 0009 gives the rule.
"""

import re

from credplugin.openbadges import marshalled
from credplugin.openbadges.loader import (
    CLR_V2_CONTEXT,
    CREDENTIALS_V2_CONTEXT,
    OPEN_BADGES_EXTENSIONS_CONTEXT,
    context_manifest,
)
from credplugin.openbadges.status_list import (
    BitstringStatusListEntry,
    StatusListError,
    as_entry_list,
)

OPEN_BADGES_CONTEXT = re.compile(
    r"^https://purl\.imsglobal\.org/spec/ob/v3p0/context(-3\.\d\.\d)?\.json$"
)
PLAIN_TERM = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
# Halves of a UTF-16 pair on their own: JSON can escape them, UTF-8 cannot carry them.
LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
MAX_DEPTH = 24
CREDENTIAL_TYPES = frozenset({"OpenBadgeCredential", "AchievementCredential"})
# Keys whose values pages and the verifier show or judge as text, wherever they appear.
TEXT_KEYS = frozenset(
    {
        "id",
        "name",
        "description",
        "narrative",
        "achievementType",
        "validFrom",
        "validUntil",
        "awardedDate",
        "activityEndDate",
        "targetName",
        "targetFramework",
        "targetCode",
        "targetUrl",
        "genre",
        "achievedLevel",
        "requiredLevel",
        "resultType",
        "points",
        "value",
        "statusPurpose",
        "statusListIndex",
        "statusListCredential",
        "encodedList",
        "identityHash",
        "identityType",
        "url",
    }
)
# Keys whose one value (a number, an image) the pages show: never a list of them.
SINGLE_VALUE_KEYS = frozenset({"creditsEarned", "creditsAvailable", "image"})
# Keys that hold text at one place only: a result names its result description by IRI (the
# page finds the description by it), while the achievement lists the descriptions themselves.
PLACE_TEXT_KEYS = {("credentialSubject", "result"): frozenset({"resultDescription"})}
# Where the schema requires a type, and which: key path (list items included) → type name.
BADGE_TYPES = {
    ("issuer",): "Profile",
    ("credentialSubject",): "AchievementSubject",
    ("credentialSubject", "achievement"): "Achievement",
    ("credentialSubject", "achievement", "alignment"): "Alignment",
    ("credentialSubject", "achievement", "related"): "Related",
    ("credentialSubject", "achievement", "resultDescription"): "ResultDescription",
    ("credentialSubject", "achievement", "resultDescription", "alignment"): "Alignment",
    (
        "credentialSubject",
        "achievement",
        "resultDescription",
        "rubricCriterionLevel",
    ): "RubricCriterionLevel",
    ("credentialSubject", "result"): "Result",
    ("credentialSubject", "result", "alignment"): "Alignment",
    ("credentialSubject", "identifier"): "IdentityObject",
    ("credentialStatus",): "BitstringStatusListEntry",
    ("evidence",): "Evidence",
}
STATUS_LIST_TYPES = {("issuer",): "Profile", ("credentialSubject",): "BitstringStatusList"}
RECORD_TYPES = {("issuer",): "Profile", ("credentialSubject",): "ClrSubject"}
# Where a CLR 2.0 record holds its badges; each is checked as a credential of its own.
RECORD_BADGES = "verifiableCredential"
# Objects that must be single JSON objects, not lists: the verifier reads exactly one of each.
SINGLE_OBJECTS = {("issuer",), ("credentialSubject",), ("credentialSubject", "achievement")}


class FormError(ValueError):
    """The credential is not in the plain OB 3.0 form, so its JSON may not say what is signed."""


class _Place:
    """A key path the verifier reads: the type its objects need, whether it holds only one,
    which of their keys hold text."""

    __slots__ = ("path", "required_type", "single", "children", "text_keys")

    def __init__(self, path):
        self.path = path
        self.text_keys = TEXT_KEYS | PLACE_TEXT_KEYS.get(path, frozenset())
        self.required_type = None
        self.single = False
        self.children = {}


def _places(required_types: dict, single_objects=SINGLE_OBJECTS) -> _Place:
    root = _Place(())
    for path in {*required_types, *single_objects}:
        place = root
        for depth, key in enumerate(path, 1):
            place = place.children.setdefault(key, _Place(path[:depth]))
        place.required_type = required_types.get(path)
        place.single = path in single_objects
    return root


BADGE_PLACES = _places(BADGE_TYPES)
STATUS_LIST_PLACES = _places(STATUS_LIST_TYPES)
# A record's subject lists the achievements of its badges: only issuer and subject are single.
RECORD_PLACES = _places(RECORD_TYPES, {("issuer",), ("credentialSubject",)})
# The badge-class parts of a credential (its achievement, with the rubric) are the same for
# every learner: an object with an id whose content passed is not walked again. Sizes are
# ``marshal`` bytes, as in the fast canonicalizer's memo; smaller objects, and (in the fast
# walk) objects with fewer keys (an achievement has a dozen; a result, an evidence or an issuer
# four), are quicker to walk than to serialize and look up.
MEMO_MINIMUM_KEYS = 8
MEMO_MINIMUM_SIZE = 1024
MEMO_MAXIMUM_SIZE = 64 * 1024
MEMO_LIMIT = 64
_passed = {}
# Keys and type names already found to be plain terms: a set lookup instead of a match.
_plain_keys = set()
# The same, and ``@context``: what a credential's top level may hold.
_top_level_keys = {"@context"}
PLAIN_KEYS_LIMIT = 4096
# @context lists that passed, for a credential (True) and a status list (False).
_contexts_passed = {True: set(), False: set()}


def check_credential_form(document: dict) -> tuple:
    """Refuse an OB 3.0 credential that is not in the plain form the verifier reads; return its
    status entries (``BitstringStatusListEntry``), read on the way.

    Raises:
        FormError: naming the first thing out of form.
    """
    _check_context(document.get("@context"), credential=True)
    try:
        _walk(document, BADGE_PLACES, 0)
    except _Unusual:
        _check_node(document, BADGE_PLACES, (), 0)
    types = document.get("type")
    if not (
        types.__class__ is list
        and _plain_names(types)
        and "VerifiableCredential" in types
        and not CREDENTIAL_TYPES.isdisjoint(types)
    ):
        types = _types(document, ())
        if "VerifiableCredential" not in types or not CREDENTIAL_TYPES & set(types):
            raise FormError(
                "type must list VerifiableCredential and OpenBadgeCredential or "
                "AchievementCredential"
            )
    try:
        return tuple(
            BitstringStatusListEntry.from_json(entry)
            for entry in as_entry_list(document.get("credentialStatus"))
        )
    except StatusListError as error:
        raise FormError(f"credentialStatus: {error}") from error


def check_status_list_form(document: dict) -> None:
    """Refuse a status list credential that is not in the plain form (VC 2.0 context only).

    Every verification of a badge checks its issuer's list, the same one each time: a list
    whose content passed is not walked again.
    """
    _check_context(document.get("@context"), credential=False)
    try:
        _remembered_walk(document, STATUS_LIST_PLACES, 0, minimum_size=0)
    except _Unusual:
        _check_node(document, STATUS_LIST_PLACES, (), 0)


def check_record_form(document: dict) -> tuple:
    """Refuse a CLR 2.0 ``ClrCredential`` whose own JSON is not in the plain form: the VC 2.0
    and CLR 2.0 contexts, then the OB 3.0 ones; plain keys. The badges it holds
    (``credentialSubject.verifiableCredential``) are not walked here: the record's verifier
    checks each as a credential. A record has no status entries, so none are returned.

    Raises:
        FormError: naming the first thing out of form.
    """
    context = document.get("@context")
    if not isinstance(context, list) or context[:2] != [CREDENTIALS_V2_CONTEXT, CLR_V2_CONTEXT]:
        raise FormError(f"@context must start with {CREDENTIALS_V2_CONTEXT}, {CLR_V2_CONTEXT}")
    _check_context([CREDENTIALS_V2_CONTEXT, *context[2:]], credential=True)
    subject = document.get("credentialSubject")
    envelope = document
    if isinstance(subject, dict) and RECORD_BADGES in subject:
        badges = {key: value for key, value in subject.items() if key != RECORD_BADGES}
        envelope = {**document, "credentialSubject": badges}
    _check_node(envelope, RECORD_PLACES, (), 0)
    types = _types(document, ())
    if "VerifiableCredential" not in types or "ClrCredential" not in types:
        raise FormError("type must list VerifiableCredential and ClrCredential")
    return ()


def _check_context(context, *, credential: bool) -> None:
    """The VC 2.0 context first; for a badge, then one shipped OB 3.0 context and, optionally,
    the OB extensions context. Nothing else: no inline contexts, no other URLs. The few lists
    that pass (the shipped contexts are fixed) are remembered."""
    try:
        if context.__class__ is list and tuple(context) in _contexts_passed[credential]:
            return
    except TypeError:  # an inline context: refused below
        pass
    if not isinstance(context, list) or not all(isinstance(url, str) for url in context):
        raise FormError("@context must be a list of context URLs")
    if not context or context[0] != CREDENTIALS_V2_CONTEXT:
        raise FormError(f"@context must start with {CREDENTIALS_V2_CONTEXT}")
    rest = context[1:]
    if not credential:
        if rest:
            raise FormError(f"a status list credential's @context is {CREDENTIALS_V2_CONTEXT}")
        _contexts_passed[credential].add(tuple(context))
        return
    if not rest or not OPEN_BADGES_CONTEXT.match(rest[0]) or rest[0] not in context_manifest():
        raise FormError("the second @context must be an Open Badges 3.0 context")
    if rest[1:] not in ([], [OPEN_BADGES_EXTENSIONS_CONTEXT]):
        raise FormError(
            "@context may list only the VC 2.0, an Open Badges 3.0 and the Open Badges "
            "extensions contexts, in that order"
        )
    _contexts_passed[credential].add(tuple(context))


class _Unusual(Exception):
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
                children.get(key) or (_SINGLE_VALUE if key in SINGLE_VALUE_KEYS else None),
                key in text_keys,
            )
            for key in keys
        )
        self.read = tuple(key for key in children if key in keys)
        self.has_id = "id" in keys
        self.required_type = place.required_type if place is not None else None


# The place of a value that may not be a list (``SINGLE_VALUE_KEYS``), read nowhere else.
_SINGLE_VALUE = _Place(("a single value",))
_SINGLE_VALUE.single = True
# Shapes whose keys are all plain terms, by (place, *keys in order).
_shapes = {}
SHAPES_LIMIT = 4096
# Shapes with longer keys in all (no badge has them) are decided afresh each time rather than
# kept: the cache holds at most SHAPES_LIMIT × this many characters of keys.
SHAPE_MAXIMUM_KEY_CHARACTERS = 1024


def _walk(node: dict, place, depth: int) -> None:
    """Pass a credential in the plain form at the cost of a few operations per value.

    Checks what :func:`_check_node` checks, with each shape's decisions taken once. Whatever it
    does not pass at a glance raises :class:`_Unusual`, and :func:`_check_node` walks the
    credential again to find, and name, what is out of form.
    """
    shape = _shapes.get((place, *node))
    if shape is None:
        shape = _learn_shape(node, place, depth)
    if depth > MAX_DEPTH:
        raise _Unusual
    for (child, text), value in zip(shape.actions, node.values(), strict=True):
        kind = value.__class__
        if kind is str:
            if not value.isascii() and LONE_SURROGATE.search(value):
                raise _Unusual
        elif text:
            raise _Unusual
        elif kind is dict:
            if len(value) < MEMO_MINIMUM_KEYS or "id" not in value:
                _walk(value, child, depth + 1)
            else:
                _remembered_walk(value, child, depth + 1)
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
        raise _Unusual
    for item in items:
        kind = item.__class__
        if kind is dict:
            _walk(item, child, depth + 1)
        elif (
            child is not None
            or kind is list
            or (kind is str and not item.isascii() and LONE_SURROGATE.search(item))
        ):
            raise _Unusual


def _check_fields(node: dict, shape: _Shape) -> None:
    """The objects read are objects; ``id`` and ``type`` are neither keywords nor blank nodes,
    and ``type`` names the type required here (as :func:`_check_type` wants it)."""
    for key in shape.read:
        value = node[key]
        if (
            value is not None
            and value.__class__ not in (dict, list)
            and not (key == "issuer" and value.__class__ is str)
        ):
            raise _Unusual
    if shape.has_id:
        identifier = node["id"]
        if identifier.__class__ is str and identifier.startswith(_KEYWORD_OR_BLANK):
            raise _Unusual
    types = node.get("type")
    required = shape.required_type
    if types.__class__ is str:
        if types != required and (required is not None or types.startswith(_KEYWORD_OR_BLANK)):
            raise _Unusual
    elif types.__class__ is list:
        if required is None:
            if any(name.__class__ is str and name.startswith(_KEYWORD_OR_BLANK) for name in types):
                raise _Unusual
        elif required not in types or not _plain_names(types):
            raise _Unusual
    elif required is not None:
        raise _Unusual


def _plain_names(names: list) -> bool:
    try:
        return _plain_keys.issuperset(names)
    except TypeError:  # an unhashable name
        return False


def _learn_shape(node: dict, place, depth: int) -> _Shape:
    top_level = depth == 0 and place is not None and not place.path
    for key in node:
        if not (key.__class__ is str and PLAIN_TERM.match(key)) and not (
            top_level and key == "@context"
        ):
            raise _Unusual
    shape = _Shape(place, tuple(node))
    if sum(map(len, node)) <= SHAPE_MAXIMUM_KEY_CHARACTERS:
        if len(_shapes) >= SHAPES_LIMIT:
            _shapes.clear()
        _shapes[(place, *node)] = shape
    return shape


def _remembered_walk(node: dict, place, depth: int, minimum_size: int = MEMO_MINIMUM_SIZE) -> None:
    """:func:`_walk`, remembered as :func:`_check_object` does."""
    try:
        content = marshalled.dumps(node)
    except ValueError:  # not plain data: no memo
        content = b""
    if not minimum_size <= len(content) <= MEMO_MAXIMUM_SIZE or not content:
        _walk(node, place, depth)
        return
    memo_key = (place, depth, content)
    if _passed.pop(memo_key, None) is None:
        _walk(node, place, depth)
    if len(_passed) >= MEMO_LIMIT:
        del _passed[next(iter(_passed))]
    _passed[memo_key] = True


def _check_node(node: dict, place, path: tuple, depth: int) -> None:
    """Check one JSON object; ``place`` is its entry in the places the verifier reads, if any.

    The full check, run where the fast walk (:func:`_walk`) met something unusual: it finds,
    and names, the first thing out of form.
    """
    if depth > MAX_DEPTH:
        raise FormError(f"nested more than {MAX_DEPTH} levels deep")
    if not (_top_level_keys if depth == 0 else _plain_keys).issuperset(node):
        _learn_keys(node, path, depth)
    children = place.children if place is not None else None
    text_keys = place.text_keys if place is not None else TEXT_KEYS
    for key, value in node.items():
        kind = value.__class__
        if kind is str:
            if not value.isascii() and LONE_SURROGATE.search(value):
                raise FormError(
                    f"{_where((*path, key))} holds a lone UTF-16 surrogate, which is not text"
                )
        elif kind is dict:
            if key in text_keys:
                raise FormError(f"{_where((*path, key))} must be text, not an object")
            _check_object(value, children.get(key) if children else None, (*path, key), depth + 1)
        elif kind is list:
            child = children.get(key) if children else None
            _check_list(key, value, child, path, depth, text=key in text_keys)
        elif key in text_keys:
            raise FormError(f"{_where((*path, key))} must be text")
    if children:
        _check_objects_where_read(node, children)
    _check_identifiers(node, path)
    if place is not None and place.required_type is not None:
        _check_type(node, place.required_type, path)


def _check_object(node: dict, place, path: tuple, depth: int) -> None:
    """:func:`_check_node`, remembered for large objects with an id (see ``MEMO_*``)."""
    if "id" not in node or not any(value.__class__ in (dict, list) for value in node.values()):
        _check_node(node, place, path, depth)
        return
    try:
        content = marshalled.dumps(node)
    except ValueError:  # not plain data: no memo
        content = b""
    if not MEMO_MINIMUM_SIZE <= len(content) <= MEMO_MAXIMUM_SIZE or not content:
        _check_node(node, place, path, depth)
        return
    memo_key = (place, depth, content)
    if _passed.pop(memo_key, None) is None:
        _check_node(node, place, path, depth)
    if len(_passed) >= MEMO_LIMIT:
        del _passed[next(iter(_passed))]
    _passed[memo_key] = True


def _learn_keys(node: dict, path: tuple, depth: int) -> None:
    for key in node:
        if key not in _plain_keys and not (key == "@context" and depth == 0):
            _learn_plain_term(key, f"{_where(path)}: key {str(key)[:60]!r} is not a plain term")


def _check_list(key: str, items: list, child, path: tuple, depth: int, *, text: bool) -> None:
    if text:
        raise FormError(f"{_where((*path, key))} must be a single text, not a list")
    if key in SINGLE_VALUE_KEYS:
        raise FormError(f"{_where((*path, key))} must be a single value, not a list")
    if child is not None and child.single:
        raise FormError(f"{_where(child.path)} must be one object, not a list")
    for item in items:
        kind = item.__class__
        if kind is dict:
            _check_object(item, child, (*path, key), depth + 1)
        elif kind is list:
            raise FormError(f"{_where((*path, key))}: lists inside lists have no place in a badge")
        elif child is not None:
            raise FormError(f"{_where((*path, key))} must be an object")
        elif kind is str and not item.isascii() and LONE_SURROGATE.search(item):
            raise FormError(
                f"{_where((*path, key))} holds a lone UTF-16 surrogate, which is not text"
            )


def _check_objects_where_read(node: dict, children: dict) -> None:
    """Where the verifier reads an object, an object it is (or an issuer's DID)."""
    for key, child in children.items():
        value = node.get(key)
        if value is None or value.__class__ in (dict, list):
            continue
        if not (key == "issuer" and isinstance(value, str)):
            raise FormError(f"{_where(child.path)} must be an object")


def _check_identifiers(node: dict, path: tuple) -> None:
    """No ``id`` or ``type`` value may be a JSON-LD keyword or a blank node identifier."""
    identifier = node.get("id")
    if identifier.__class__ is str and identifier.startswith(_KEYWORD_OR_BLANK):
        raise FormError(f"{_where((*path, 'id'))}: {identifier[:60]!r} is a keyword or blank node")
    types = node.get("type")
    for name in types if types.__class__ is list else (types,):
        if name.__class__ is str and name.startswith(_KEYWORD_OR_BLANK):
            raise FormError(f"{_where((*path, 'type'))}: {name[:60]!r} is a JSON-LD keyword")


def _check_type(node: dict, required: str, path: tuple) -> None:
    types = node.get("type")
    if types == required or (
        types.__class__ is list
        and required in types
        and all(name.__class__ is str for name in types)
        and _plain_keys.issuperset(types)
    ):
        return
    if required not in _types(node, path):
        raise FormError(f"{_where(path)}: type must include {required}")


def _learn_plain_term(term, refusal: str) -> None:
    """Remember ``term`` as a plain term (a key or a type name), or refuse with ``refusal``."""
    if not isinstance(term, str) or not PLAIN_TERM.match(term):
        raise FormError(refusal)
    if len(_plain_keys) >= PLAIN_KEYS_LIMIT:
        _plain_keys.clear()
        _top_level_keys.intersection_update({"@context"})
    _plain_keys.add(term)
    _top_level_keys.add(term)


_KEYWORD_OR_BLANK = ("@", "_:")


def _types(node: dict, path: tuple) -> list:
    """The node's type names, each a plain term (found ones are remembered like keys)."""
    types = node.get("type")
    types = types if types.__class__ is list else [types]
    if not all(name.__class__ is str for name in types) or not _plain_keys.issuperset(types):
        for name in types:
            if name.__class__ is not str or name not in _plain_keys:
                _learn_plain_term(name, f"{_where(path)}: type must be one or more plain names")
    return types


def _where(path: tuple) -> str:
    return ".".join(path) or "the credential"
