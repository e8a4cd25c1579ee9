"""sign_credential returns a document independent of its input."""

from credplugin.openbadges import sign_credential, verify_credential
from tests.openbadges.builders import credential


def test_the_signed_copy_shares_nothing_with_the_input(did_key_key):
    document = credential(did_key_key.controller).to_json()
    signed = sign_credential(document, did_key_key)

    document["credentialSubject"]["achievement"]["name"] = "Edited after signing"

    assert "proof" not in document
    assert signed["credentialSubject"]["achievement"]["name"] != "Edited after signing"
    assert verify_credential(signed).verified
