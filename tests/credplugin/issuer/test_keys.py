"""Signing keys: encrypted at rest, PEM file and environment backends, rotation."""

import pytest
from django.test import override_settings

from credplugin.exceptions import CredPluginError
from credplugin.issuer import keys
from credplugin.models import IssuerKey
from credplugin.openbadges.keys import generate_key

pytestmark = pytest.mark.django_db
DID = "did:web:127.0.0.1%3A8000"


def test_generated_key_is_encrypted_at_rest_and_signs_for_the_issuer():
    row = keys.generate()
    stored = bytes(row.encrypted_private_key)
    assert b"PRIVATE KEY" not in stored
    key_row, signing_key = keys.active_signing_key(DID)
    assert key_row == row
    assert signing_key.public_key_multibase == row.public_key_multibase
    assert signing_key.verification_method == f"{DID}#{row.public_key_multibase}"
    assert row.public_key_multibase in str(row) and "PRIVATE" not in repr(signing_key)


def test_generate_refuses_a_second_active_key_and_rotate_retires_the_first():
    first = keys.generate()
    with pytest.raises(CredPluginError, match="rotate"):
        keys.generate()
    second = keys.generate(rotate=True)
    first.refresh_from_db()
    assert not first.active and first.retired_at is not None
    assert keys.published_keys() == [second.public_key_multibase, first.public_key_multibase]
    assert IssuerKey.objects.filter(active=True).get() == second


def test_a_changed_key_encryption_key_gives_a_readable_reason():
    keys.generate()
    with (
        override_settings(CREDPLUGIN_KEY_ENCRYPTION_KEY="another-secret"),
        pytest.raises(keys.KeyUnavailable, match="cannot be decrypted"),
    ):
        keys.active_signing_key(DID)


def test_without_any_key_the_reason_says_what_to_run():
    with pytest.raises(keys.KeyUnavailable, match="credplugin_keys generate"):
        keys.active_signing_key(DID)


def test_secret_key_is_the_fallback_key_encryption_key():
    with override_settings(CREDPLUGIN_KEY_ENCRYPTION_KEY=""):
        keys.generate()
        assert keys.active_signing_key(DID)[0].active


def test_a_pem_file_key_is_used_recorded_and_retires_the_database_key(tmp_path):
    database_key = keys.generate()
    pem = tmp_path / "issuer.pem"
    external = generate_key()
    pem.write_bytes(external.to_pem())
    with override_settings(CREDPLUGIN_SIGNING_KEY_PEM_FILE=str(pem)):
        row, signing_key = keys.active_signing_key(DID)
        assert signing_key.public_key_multibase == external.public_key_multibase
        assert row.source == IssuerKey.Source.PEM_FILE and row.encrypted_private_key is None
        with pytest.raises(CredPluginError, match="PEM file or environment"):
            keys.generate(rotate=True)
    database_key.refresh_from_db()
    assert not database_key.active
    assert set(keys.published_keys()) == {
        database_key.public_key_multibase,
        external.public_key_multibase,
    }


def test_an_unreadable_pem_file_is_reported_without_key_material(tmp_path):
    pem = tmp_path / "broken.pem"
    pem.write_text("-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n")
    with override_settings(CREDPLUGIN_SIGNING_KEY_PEM_FILE=str(pem)):
        with pytest.raises(keys.KeyUnavailable, match="unusable") as error:
            keys.active_signing_key(DID)
        assert "not a key" not in str(error.value)
    with (
        override_settings(CREDPLUGIN_SIGNING_KEY_PEM_FILE=str(tmp_path / "missing.pem")),
        pytest.raises(keys.KeyUnavailable, match="cannot be read"),
    ):
        keys.active_signing_key(DID)


def test_an_environment_variable_key(monkeypatch):
    external = generate_key()
    monkeypatch.setenv("ISSUER_KEY_PEM", external.to_pem().decode())
    with override_settings(CREDPLUGIN_SIGNING_KEY_ENV_VAR="ISSUER_KEY_PEM"):
        row, signing_key = keys.active_signing_key(DID)
        assert row.source == IssuerKey.Source.ENVIRONMENT
        assert signing_key.public_key_multibase == external.public_key_multibase
        monkeypatch.setenv("ISSUER_KEY_PEM", "")
        with pytest.raises(keys.KeyUnavailable, match="holds no signing key"):
            keys.active_signing_key(DID)


def test_key_backends_share_the_documented_base_class():
    assert all(isinstance(backend, keys.KeyBackend) for backend in keys.BACKENDS.values())
    assert set(keys.BACKENDS) == set(IssuerKey.Source.values)
