"""Errors a handler turns into an HTTP status and a message the person can act on.

Messages are written in English with ``{name}`` placeholders and marked with ``_`` for
extraction; the handler translates them with the block's i18n service at the moment it answers,
so the pure modules (rubric maths, ethics scoring) need no runtime.
"""


def _(text):
    """Mark ``text`` for translation; it is translated when the error is shown."""
    return text


class AssessmentError(Exception):
    """Base: a message template, its parameters and the HTTP status to answer with."""

    status = 400

    def __init__(self, message, **params):
        super().__init__(message)
        self.message = message
        self.params = params

    def render(self, gettext):
        """The message in the reader's language, parameters filled in.

        Text parameters go through ``gettext`` too: field labels are marked for extraction
        where they are written; names and values without a catalog entry pass unchanged.
        """
        params = {
            name: gettext(value) if isinstance(value, str) and value else value
            for name, value in self.params.items()
        }
        return gettext(self.message).format(**params)


class InvalidInput(AssessmentError):
    """The request is malformed, too large or breaks a rule; nothing was changed."""


class NotAllowed(AssessmentError):
    """The user may not do this (not staff, or not the owner of the work)."""

    status = 403


class NotFound(AssessmentError):
    """The submission or file asked for does not exist in this block."""

    status = 404
