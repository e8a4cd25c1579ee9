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


class FieldErrors(InvalidInput):
    """Every problem of a form at once, each tied to the field it is about.

    ``problems`` is a list of ``(field, Text)``; the handler answers with all of them so the
    page can mark each field and list them together, instead of one message per attempt.
    """

    def __init__(self, problems):
        super().__init__(_("Fix the problems listed ({count})."), count=len(problems))
        self.problems = list(problems)

    def render(self, gettext):
        """The one problem's own words, or how many there are."""
        if len(self.problems) == 1:
            return self.problems[0][1].render(gettext)
        return super().render(gettext)

    def as_text(self):
        """Every problem in one Text (``first; second; …``), for a place with no field to mark,
        such as an OLX import."""
        joined, *rest = [text for _field, text in self.problems]
        for text in rest:
            joined = Text(_("{problems}; {problem}"), problems=joined, problem=text)
        return joined

    def render_fields(self, gettext):
        return [{"field": field, "message": text.render(gettext)} for field, text in self.problems]


class Problems:
    """Collects the problems of a form instead of stopping at the first one."""

    def __init__(self):
        self.found = []

    def add(self, field, message, **params):
        self.found.append((field, Text(message, **params)))

    def check(self, field, func, /, *args, default=None, **kwargs):
        """``func(*args, **kwargs)``, or ``default`` after recording its error under ``field``."""
        try:
            return func(*args, **kwargs)
        except FieldErrors as error:
            self.found.extend(error.problems)
        except InvalidInput as error:
            self.found.append((field, Text(error.message, **error.params)))
        return default

    def raise_any(self):
        if self.found:
            raise FieldErrors(self.found)
