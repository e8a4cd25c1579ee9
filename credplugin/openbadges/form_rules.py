"""The rules of the plain OB 3.0 form (see :mod:`credplugin.openbadges.form`), as tables: the
contexts, which keys hold text or one value, and, per place the verifier reads, the type its
objects need and whether it holds one object or a list. The walks in ``form`` and
``form_walk`` apply them; changing a rule means changing a table here.
"""

import re

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
# JSON-LD keywords and blank node identifiers, which no id or type may be.
KEYWORD_OR_BLANK = ("@", "_:")


class Place:
    """A key path the verifier reads: the type its objects need, whether it holds only one,
    which of their keys hold text."""

    __slots__ = ("path", "required_type", "single", "children", "text_keys")

    def __init__(self, path):
        self.path = path
        self.text_keys = TEXT_KEYS | PLACE_TEXT_KEYS.get(path, frozenset())
        self.required_type = None
        self.single = False
        self.children = {}


def places(required_types: dict, single_objects=SINGLE_OBJECTS) -> Place:
    """The tree of places the tables name, from the root: each key path's type and count."""
    root = Place(())
    for path in {*required_types, *single_objects}:
        place = root
        for depth, key in enumerate(path, 1):
            place = place.children.setdefault(key, Place(path[:depth]))
        place.required_type = required_types.get(path)
        place.single = path in single_objects
    return root


BADGE_PLACES = places(BADGE_TYPES)
STATUS_LIST_PLACES = places(STATUS_LIST_TYPES)
# A record's subject lists the achievements of its badges: only issuer and subject are single.
RECORD_PLACES = places(RECORD_TYPES, {("issuer",), ("credentialSubject",)})
# The place of a value that may not be a list (``SINGLE_VALUE_KEYS``), read nowhere else.
SINGLE_VALUE = Place(("a single value",))
SINGLE_VALUE.single = True
