"""Cache headers for the plugin's pages, read from settings on every response.

Public documents (badge pages, credentials, DID document, status lists) may sit in shared caches
only briefly: a revoked badge must stop looking valid within ``CREDPLUGIN_PUBLIC_CACHE_SECONDS``.
A verification report answers one upload and is never cached; a learner's own pages are
private and never stored.
"""

from functools import wraps

from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers

from credplugin.conf import credplugin_settings


def public_cache(view):
    """Let shared caches keep the response for ``CREDPLUGIN_PUBLIC_CACHE_SECONDS``."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.has_header("Cache-Control"):
            return response  # the view chose already (e.g. a hidden badge shown to its owner)
        if response.status_code == 200:
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
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        patch_vary_headers(response, ("Cookie",))
        return response

    return wrapped
