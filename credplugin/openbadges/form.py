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
schema requires of them, and the text they show must be plain strings. ADR 0013 gives the rule.
"""

import re

from credplugin.openbadges.loader import (
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
CREDENTIAL_TYPES = {"OpenBadgeCredential", "AchievementCredential"}
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
# Where the schema requires a type, and which: key path (list items included) → type name.
BADGE_TYPES = {
    ("issuer",): "Profile",
    ("credentialSubject",): "AchievementSubject",
    ("credentialSubject", "achievement"): "Achievement",
    ("credentialSubject", "achievement", "alignment"): "Alignment",
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
# Objects that must be single JSON objects, not lists: the verifier reads exactly one of each.
SINGLE_OBJECTS = {("issuer",), ("credentialSubject",), ("credentialSubject", "achievement")}


class FormError(ValueError):
    """The credential is not in the plain OB 3.0 form, so its JSON may not say what is signed."""


def check_credential_form(document: dict) -> None:
    """Refuse an OB 3.0 credential that is not in the plain form the verifier reads.

    Raises:
        FormError: naming the first thing out of form.
    """
    _check_context(document.get("@context"), credential=True)
    _check_node(document, (), 0, BADGE_TYPES)
    types = _types(document, ())
    if "VerifiableCredential" not in types or not CREDENTIAL_TYPES & set(types):
        raise FormError(
            "type must list VerifiableCredential and OpenBadgeCredential or AchievementCredential"
        )
    for entry in as_entry_list(document.get("credentialStatus")):
        try:
            BitstringStatusListEntry.from_json(entry)
        except StatusListError as error:
            raise FormError(f"credentialStatus: {error}") from error


def check_status_list_form(document: dict) -> None:
    """Refuse a status list credential that is not in the plain form (VC 2.0 context only)."""
    _check_context(document.get("@context"), credential=False)
    _check_node(document, (), 0, STATUS_LIST_TYPES)


def _check_context(context, *, credential: bool) -> None:
    """The VC 2.0 context first; for a badge, then one shipped OB 3.0 context and, optionally,
    the OB extensions context. Nothing else: no inline contexts, no other URLs."""
    if not isinstance(context, list) or not all(isinstance(url, str) for url in context):
        raise FormError("@context must be a list of context URLs")
    if not context or context[0] != CREDENTIALS_V2_CONTEXT:
        raise FormError(f"@context must start with {CREDENTIALS_V2_CONTEXT}")
    rest = context[1:]
    if not credential:
        if rest:
            raise FormError(f"a status list credential's @context is {CREDENTIALS_V2_CONTEXT}")
        return
    if not rest or not OPEN_BADGES_CONTEXT.match(rest[0]) or rest[0] not in context_manifest():
        raise FormError("the second @context must be an Open Badges 3.0 context")
    if rest[1:] not in ([], [OPEN_BADGES_EXTENSIONS_CONTEXT]):
        raise FormError(
            "@context may list only the VC 2.0, an Open Badges 3.0 and the Open Badges "
            "extensions contexts, in that order"
        )


def _check_node(node: dict, path: tuple, depth: int, required_types: dict) -> None:
    if depth > MAX_DEPTH:
        raise FormError(f"nested more than {MAX_DEPTH} levels deep")
    for key, value in node.items():
        if key == "@context" and depth == 0:
            continue
        if not isinstance(key, str) or not PLAIN_TERM.match(key):
            raise FormError(f"{_where(path)}: key {str(key)[:60]!r} is not a plain term")
        _check_value(key, value, (*path, key), depth, required_types)
    required = required_types.get(path)
    if required is not None and required not in _types(node, path):
        raise FormError(f"{_where(path)}: type must include {required}")


def _check_value(key: str, value, path: tuple, depth: int, required_types: dict) -> None:
    items = value if isinstance(value, list) else [value]
    if isinstance(value, list) and path in SINGLE_OBJECTS:
        raise FormError(f"{_where(path)} must be one object, not a list")
    for item in items:
        if isinstance(item, dict):
            if key in TEXT_KEYS:
                raise FormError(f"{_where(path)} must be text, not an object")
            _check_node(item, path, depth + 1, required_types)
        elif isinstance(item, list):
            raise FormError(f"{_where(path)}: lists inside lists have no place in a badge")
        elif key in TEXT_KEYS and not isinstance(item, str):
            raise FormError(f"{_where(path)} must be text")
        elif isinstance(item, str) and LONE_SURROGATE.search(item):
            raise FormError(f"{_where(path)} holds a lone UTF-16 surrogate, which is not text")
        elif key in ("id", "type") and str(item).startswith(("@", "_:")):
            raise FormError(f"{_where(path)}: {item[:60]!r} is a JSON-LD keyword or blank node")
        elif (path in required_types or path in SINGLE_OBJECTS) and (
            key != "issuer" or not isinstance(item, str)
        ):
            raise FormError(f"{_where(path)} must be an object")
    if key in TEXT_KEYS and isinstance(value, list):
        raise FormError(f"{_where(path)} must be a single text, not a list")


def _types(node: dict, path: tuple) -> list:
    types = node.get("type")
    types = types if isinstance(types, list) else [types]
    if not all(isinstance(name, str) and PLAIN_TERM.match(name) for name in types):
        raise FormError(f"{_where(path)}: type must be one or more plain type names")
    return types


def _where(path: tuple) -> str:
    return ".".join(path) or "the credential"
