"""Devstack settings: a local issuer identity so badges can be issued without configuration."""


def plugin_settings(settings):
    """Name the local issuer after the platform unless the developer set one."""
    if not getattr(settings, "CREDPLUGIN_ISSUER_NAME", ""):
        settings.CREDPLUGIN_ISSUER_NAME = f"{getattr(settings, 'PLATFORM_NAME', 'Open edX')} (dev)"
