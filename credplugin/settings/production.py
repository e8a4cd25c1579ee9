"""Production settings: values from the operator's YAML (``ENV_TOKENS``) win over defaults."""

from credplugin.conf import DEFAULTS


def plugin_settings(settings):
    """Copy any ``CREDPLUGIN_*`` value from ``ENV_TOKENS`` where the platform still has it.

    Newer edx-platform releases merge the YAML into settings directly; then there is nothing
    to copy and the values are already in place.
    """
    env_tokens = getattr(settings, "ENV_TOKENS", None) or {}
    for name in DEFAULTS:
        if name in env_tokens:
            setattr(settings, name, env_tokens[name])
