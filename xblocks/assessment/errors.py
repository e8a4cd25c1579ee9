"""Errors a handler turns into an HTTP status and a message the person can act on.

Messages are written in English with ``{name}`` placeholders and marked with ``_`` for
extraction; the handler translates them with the block's i18n service at the moment it answers,
so the pure modules (rubric maths, ethics scoring) need no runtime.
"""


def _(text):
    """Mark ``text`` for translation; it is translated when the error is shown."""
    return text


class Text:
    """Text translated when shown: a message template and parameters, which may be Text too.

    Labels such as "Project rubric › criterion 2 (Data) › level 3" are built from pieces, each
    translated in the reader's language when the message is rendered.
    """

    def __init__(self, message, **params):
        self.message = message
        self.params = params

    def render(self, gettext):
        params = {name: _render_param(value, gettext) for name, value in self.params.items()}
        return gettext(self.message).format(**params)

    def __str__(self):
        return self.render(str)


def _render_param(value, gettext):
    """Text renders itself; a plain string is offered to gettext (names pass unchanged)."""
    if isinstance(value, Text):
        return value.render(gettext)
    if isinstance(value, str) and value:
        return gettext(value)
    return value


def sub(label, piece):
    """``label › piece``: a field inside a labelled part, e.g. a criterion's name."""
    return Text(_("{label} › {piece}"), label=label, piece=piece)


class AssessmentError(Exception):
    """Base: a message template, its parameters and the HTTP status to answer with."""

    status = 400

    def __init__(self, message, **params):
        super().__init__(message)
        self.message = message
        self.params = params

    def render(self, gettext):
        """The message in the reader's language, parameters (labels included) filled in."""
        return Text(self.message, **self.params).render(gettext)


class InvalidInput(AssessmentError):
    """The request is malformed, too large or breaks a rule; nothing was changed."""


class NotAllowed(AssessmentError):
    """The user may not do this (not staff, or not the owner of the work)."""

    status = 403


class NotFound(AssessmentError):
    """The submission or file asked for does not exist in this block."""

    status = 404
