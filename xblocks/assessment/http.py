"""The handler boundary: size limits, JSON parsing, and errors answered as JSON with a status.

Every learner and staff action goes through :func:`json_endpoint`, so malformed, oversized or
non-object bodies get a 400 with a translated message before the block reads or writes a field.
"""

import functools
import json

from webob import Response
from xblock.core import XBlock

from .errors import AssessmentError, FieldErrors, _

DEFAULT_MAX_BYTES = 256 * 1024


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
            if request.method != "POST":
                return error_response(self, AssessmentError(_("Send this request with POST.")))
            if (request.content_length or 0) > max_bytes or len(request.body) > max_bytes:
                return error_response(
                    self,
                    AssessmentError(
                        _("The request is too large: at most {limit} KB."), limit=max_bytes // 1024
                    ),
                )
            try:
                data = json.loads(request.body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                return error_response(self, AssessmentError(_("The request is not valid JSON.")))
            if not isinstance(data, dict):
                return error_response(
                    self, AssessmentError(_("The request must be a JSON object."))
                )
            try:
                return json_response(func(self, data))
            except AssessmentError as error:
                return error_response(self, error)

        return wrapper

    return decorator
