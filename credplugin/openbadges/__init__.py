"""Open Badges 3.0 credentials signed with eddsa-rdfc-2022, in pure Python (no Django).

Compose a credential from the data classes, sign it, verify it offline, publish revocations in a
Bitstring Status List, and bake it into PNG or SVG badge images.
"""

from credplugin.openbadges.achievement import (
    Achievement,
    Alignment,
    Criteria,
    Image,
    Profile,
    ResultDescription,
    RubricCriterionLevel,
)
from credplugin.openbadges.baking import (
    BakingError,
    CredentialTooLarge,
    bake_png,
    bake_svg,
    unbake_png,
    unbake_svg,
)
from credplugin.openbadges.canonical import CanonicalizationError, canonicalize
from credplugin.openbadges.credential import (
    AchievementCredential,
    AchievementSubject,
    Evidence,
    IdentityObject,
    Result,
    compose_credential,
)
from credplugin.openbadges.did import (
    DidError,
    did_document,
    did_key_document,
    did_web_document,
    did_web_document_url,
    did_web_from_url,
)
from credplugin.openbadges.keys import KeyFormatError, SigningKey, generate_key
from credplugin.openbadges.loader import UnknownContextError, document_loader
from credplugin.openbadges.proof import ProofError, sign_credential
from credplugin.openbadges.status_list import (
    BitstringStatusListEntry,
    StatusList,
    StatusListError,
    status_list_credential,
)
from credplugin.openbadges.verify import Check, VerificationReport, verify_credential

__all__ = [
    "Achievement",
    "AchievementCredential",
    "AchievementSubject",
    "Alignment",
    "BakingError",
    "CredentialTooLarge",
    "BitstringStatusListEntry",
    "CanonicalizationError",
    "Check",
    "Criteria",
    "DidError",
    "Evidence",
    "IdentityObject",
    "Image",
    "KeyFormatError",
    "Profile",
    "ProofError",
    "Result",
    "ResultDescription",
    "RubricCriterionLevel",
    "SigningKey",
    "StatusList",
    "StatusListError",
    "UnknownContextError",
    "VerificationReport",
    "bake_png",
    "bake_svg",
    "canonicalize",
    "compose_credential",
    "did_document",
    "did_key_document",
    "did_web_document",
    "did_web_document_url",
    "did_web_from_url",
    "document_loader",
    "generate_key",
    "sign_credential",
    "status_list_credential",
    "unbake_png",
    "unbake_svg",
    "verify_credential",
]
