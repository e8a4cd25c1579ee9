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

The rules themselves are tables in ``form_rules``. A credential is first walked fast
(``form_walk``); only one that walk does not pass at a glance gets this module's full check,
which finds and names the first thing out of form.
"""

from credplugin.openbadges import form_walk, marshalled
from credplugin.openbadges.form_rules import (
    BADGE_PLACES,
    CREDENTIAL_TYPES,
    KEYWORD_OR_BLANK,
    LONE_SURROGATE,
    MAX_DEPTH,
    OPEN_BADGES_CONTEXT,
    PLAIN_TERM,
    RECORD_BADGES,
    RECORD_PLACES,
    SINGLE_VALUE_KEYS,
    STATUS_LIST_PLACES,
    TEXT_KEYS,
)
from credplugin.openbadges.form_walk import (
    MEMO_LIMIT,
    MEMO_MAXIMUM_SIZE,
    MEMO_MINIMUM_SIZE,
    PLAIN_KEYS_LIMIT,
    Unusual,
    passed_objects,
    plain_keys,
    plain_names,
    top_level_keys,
)
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

# @context lists that passed, for a credential (True) and a status list (False).
_contexts_passed = {True: set(), False: set()}


class FormError(ValueError):
    """The credential is not in the plain OB 3.0 form, so its JSON may not say what is signed."""


def check_credential_form(document: dict) -> tuple:
    """Refuse an OB 3.0 credential that is not in the plain form the verifier reads; return its
    status entries (``BitstringStatusListEntry``), read on the way.

    Raises:
        FormError: naming the first thing out of form.
    """
    _check_context(document.get("@context"), credential=True)
    try:
        form_walk.walk(document, BADGE_PLACES, 0)
    except Unusual:
        _check_node(document, BADGE_PLACES, (), 0)
    types = document.get("type")
    if not (
        types.__class__ is list
        and plain_names(types)
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
        form_walk.remembered_walk(document, STATUS_LIST_PLACES, 0, minimum_size=0)
    except Unusual:
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


def _check_node(node: dict, place, path: tuple, depth: int) -> None:
    """Check one JSON object; ``place`` is its entry in the places the verifier reads, if any.

    The full check, run where the fast walk (:func:`_walk`) met something unusual: it finds,
    and names, the first thing out of form.
    """
    if depth > MAX_DEPTH:
        raise FormError(f"nested more than {MAX_DEPTH} levels deep")
    if not (top_level_keys if depth == 0 else plain_keys).issuperset(node):
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
    if passed_objects.pop(memo_key, None) is None:
        _check_node(node, place, path, depth)
    if len(passed_objects) >= MEMO_LIMIT:
        del passed_objects[next(iter(passed_objects))]
    passed_objects[memo_key] = True


def _learn_keys(node: dict, path: tuple, depth: int) -> None:
    for key in node:
        if key not in plain_keys and not (key == "@context" and depth == 0):
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
    if identifier.__class__ is str and identifier.startswith(KEYWORD_OR_BLANK):
        raise FormError(f"{_where((*path, 'id'))}: {identifier[:60]!r} is a keyword or blank node")
    types = node.get("type")
    for name in types if types.__class__ is list else (types,):
        if name.__class__ is str and name.startswith(KEYWORD_OR_BLANK):
            raise FormError(f"{_where((*path, 'type'))}: {name[:60]!r} is a JSON-LD keyword")


def _check_type(node: dict, required: str, path: tuple) -> None:
    types = node.get("type")
    if types == required or (
        types.__class__ is list
        and required in types
        and all(name.__class__ is str for name in types)
        and plain_keys.issuperset(types)
    ):
        return
    if required not in _types(node, path):
        raise FormError(f"{_where(path)}: type must include {required}")


def _learn_plain_term(term, refusal: str) -> None:
    """Remember ``term`` as a plain term (a key or a type name), or refuse with ``refusal``."""
    if not isinstance(term, str) or not PLAIN_TERM.match(term):
        raise FormError(refusal)
    if len(plain_keys) >= PLAIN_KEYS_LIMIT:
        plain_keys.clear()
        top_level_keys.intersection_update({"@context"})
    plain_keys.add(term)
    top_level_keys.add(term)


def _types(node: dict, path: tuple) -> list:
    """The node's type names, each a plain term (found ones are remembered like keys)."""
    types = node.get("type")
    types = types if types.__class__ is list else [types]
    if not all(name.__class__ is str for name in types) or not plain_keys.issuperset(types):
        for name in types:
            if name.__class__ is not str or name not in plain_keys:
                _learn_plain_term(name, f"{_where(path)}: type must be one or more plain names")
    return types


def _where(path: tuple) -> str:
    return ".".join(path) or "the credential"
