"""A wallet's side of DID Authentication, in Python, for tests of the exchange's checks.

The JavaScript wallet (``tests/js/wallet.mjs``) signs the same way; the tests that drive it
show the two agree.
"""

from credplugin.openbadges.loader import CREDENTIALS_V2_CONTEXT
from credplugin.openbadges.multibase import encode_base58btc
from credplugin.openbadges.presentation import ED25519_2020_PROOF, LCW_CONTEXTS
from credplugin.openbadges.proof import format_created, hash_data


def did_auth(key, *, challenge, domain, created=None, document=None, lcw=False, **extra):
    """A presentation signed as a wallet signs one (the JS wallet test checks we agree);
    ``lcw`` signs as the Learner Credential Wallet does (VC 1.1, Ed25519Signature2020)."""
    unsecured = document or {
        "@context": LCW_CONTEXTS if lcw else [CREDENTIALS_V2_CONTEXT],
        "type": ["VerifiablePresentation"],
        "holder": key.controller,
    }
    suite = {"type": ED25519_2020_PROOF} if lcw else {"type": "DataIntegrityProof"}
    if not lcw:
        suite["cryptosuite"] = "eddsa-rdfc-2022"
    options = {
        **suite,
        "created": format_created(created),
        "verificationMethod": key.verification_method,
        "proofPurpose": "authentication",
        "challenge": challenge,
        "domain": domain,
        **extra,
    }
    signature = key.sign(hash_data(unsecured, options))
    return {**unsecured, "proof": {**options, "proofValue": encode_base58btc(signature)}}
