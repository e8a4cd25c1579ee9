"""The handler boundary: size limits, JSON parsing, and errors answered as JSON with a status.

Every learner and staff action goes through :func:`json_endpoint`, so malformed, oversized,
too deeply nested or non-object bodies, ``NaN``/``Infinity`` and text that is not valid Unicode
(a lone surrogate such as ``"\\ud800"``, which no database column can store) get a 400 with a
translated message before the block reads or writes a field.
"""

import functools
import json

from webob import Response
from xblock.core import XBlock

from .errors import AssessmentError, FieldErrors, _

DEFAULT_MAX_BYTES = 256 * 1024
# The deepest request the editors send (a rubric level inside a criterion) nests 6 levels.
MAX_DEPTH = 32


def _refuse_constant(name):
    """``NaN``, ``Infinity`` or ``-Infinity``: Python reads them, JSON has no such values."""
    raise ValueError(name)


def _check_shape(data):
    """Refuse nesting beyond ``MAX_DEPTH`` and strings (keys too) with lone surrogates."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as error:
                raise AssessmentError(
                    _("The request contains text that is not valid Unicode.")
                ) from error
        elif isinstance(value, (dict, list)):
            if depth > MAX_DEPTH:
                raise AssessmentError(_("The request is nested too deeply."))
            items = [*value.keys(), *value.values()] if isinstance(value, dict) else value
            stack.extend((item, depth + 1) for item in items)


def _read_json_object(request, max_bytes):
    """The POSTed JSON object, or ``AssessmentError`` saying what is wrong with the request."""
    if request.method != "POST":
        raise AssessmentError(_("Send this request with POST."))
    if (request.content_length or 0) > max_bytes or len(request.body) > max_bytes:
        raise AssessmentError(
            _("The request is too large: at most {limit} KB."), limit=max_bytes // 1024
        )
    try:
        data = json.loads(request.body.decode("utf-8"), parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError) as error:
        raise AssessmentError(_("The request is not valid JSON.")) from error
    except RecursionError as error:
        raise AssessmentError(_("The request is nested too deeply.")) from error
    if not isinstance(data, dict):
        raise AssessmentError(_("The request must be a JSON object."))
    _check_shape(data)
    return data


def json_response(payload, status=200):
    return Response(
        body=json.dumps(payload).encode("utf-8"),
        status=status,
        content_type="application/json",
        charset="utf-8",
    )


def error_response(block, error):
    """``{"error": message}``, plus ``"errors": [{"field", "message"}]`` for field errors."""
    payload = {"error": error.render(block.gettext)}
    if isinstance(error, FieldErrors):
        payload["errors"] = error.render_fields(block.gettext)
    return json_response(payload, status=error.status)


def json_endpoint(max_bytes=DEFAULT_MAX_BYTES):
    """Wrap ``func(self, data) -> dict`` as an XBlock handler taking a JSON object by POST."""

    def decorator(func):
        @XBlock.handler
        @functools.wraps(func)
        def wrapper(self, request, suffix=""):
            try:
                return json_response(func(self, _read_json_object(request, max_bytes)))
            except AssessmentError as error:
                return error_response(self, error)

        return wrapper

    return decorator
