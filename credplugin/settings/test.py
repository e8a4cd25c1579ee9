"""Test settings: no e-mail to real learners and a fixed key-encryption key."""


def plugin_settings(settings):
    """Keep tests deterministic and offline."""
    settings.CREDPLUGIN_KEY_ENCRYPTION_KEY = "credplugin-test-key-encryption-key"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
