"""Cache headers for the plugin's pages, read from settings on every response.

Public documents (badge pages, credentials, DID document, status lists) may sit in shared caches
only briefly: a revoked badge must stop looking valid within ``CREDPLUGIN_PUBLIC_CACHE_SECONDS``.
A verification report answers one upload and is never cached; a learner's own pages are
private and never stored. No error response is stored anywhere (shared caches may keep a 404 or
a 405 by heuristics): an exception the view raises is turned into its response here, exactly as
Django's handler would, so that it carries the same ``no-store``. These decorators go outermost,
above ``require_safe`` and the like, so their refusals are covered too.
"""

from functools import wraps

from django.core.handlers.exception import response_for_exception
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers

from credplugin.conf import credplugin_settings


def _personalised(request):
    """A signed-in visitor's page may carry their name (the LMS header shows it)."""
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


def _response(view, request, *args, **kwargs):
    try:
        return view(request, *args, **kwargs)
    except Exception as error:  # noqa: BLE001  (answered as Django would, 404 page and all)
        return response_for_exception(request, error)


def public_cache(view):
    """Let shared caches keep the response for ``CREDPLUGIN_PUBLIC_CACHE_SECONDS``.

    Only anonymous successful responses are shared: a signed-in visitor's copy and errors are
    never stored, so no cache hands one person's page to another or pins a transient 404.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = _response(view, request, *args, **kwargs)
        if response.status_code == 200 and not _personalised(request):
            seconds = int(credplugin_settings.PUBLIC_CACHE_SECONDS)
            patch_cache_control(response, public=True, max_age=seconds)
        else:
            add_never_cache_headers(response)
        return response

    return wrapped


def never_cache_private(view):
    """Keep the response out of every cache: it belongs to one person or one request."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = _response(view, request, *args, **kwargs)
        add_never_cache_headers(response)
        patch_vary_headers(response, ("Cookie",))
        return response

    return wrapped
