"""Errors ``credplugin.api`` raises to its callers.

Each carries a sentence a course author or an operator can act on; when one is raised nothing
has been changed.
"""


class CredPluginError(Exception):
    """Base class of every error the plugin raises on purpose."""


class InvalidInput(CredPluginError, ValueError):
    """A caller passed data the plugin cannot store (a malformed rubric, an unknown level…)."""


class NotFound(CredPluginError, LookupError):
    """The badge, requirement or rubric a caller named does not exist."""


class InvalidTransition(CredPluginError):
    """The badge cannot move to the requested status (e.g. reinstating a revoked badge)."""


class PermanentIssuanceError(CredPluginError):
    """Issuing cannot succeed by retrying; the request is marked failed with this reason."""
