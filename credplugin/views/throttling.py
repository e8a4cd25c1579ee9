"""A per-client limit on badge verifications (``CREDPLUGIN_VERIFY_RATE_LIMIT``).

Each verification canonicalizes and checks a signature on a document an anonymous stranger
chose, so one client may not submit more than the operator allows. Clients are told apart by
``REMOTE_ADDR`` (which Open edX's ``XForwardedForMiddleware`` sets from the proxy's header), or
as Django REST framework's throttles do when ``REST_FRAMEWORK["NUM_PROXIES"]`` is set; never by
an ``X-Forwarded-For`` header alone, which any client can write. The history lives in Django's
default cache, shared by every process that shares the cache.
"""

import math

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from credplugin.conf import credplugin_settings


class VerifyRateThrottle(SimpleRateThrottle):
    """DRF's sliding-window throttle, at the rate the credplugin setting gives."""

    scope = "credplugin_verify"

    def get_rate(self):
        """The setting, checked by ``credplugin.conf`` (and ``manage.py check``); None: off."""
        return credplugin_settings.VERIFY_RATE_LIMIT or None

    def get_ident(self, request):
        if api_settings.NUM_PROXIES is None:
            return request.META.get("REMOTE_ADDR")
        return super().get_ident(request)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def seconds_until_allowed(request):
    """None when ``request``'s client may verify now; else how many seconds it must wait."""
    throttle = VerifyRateThrottle()
    if throttle.allow_request(request, None):
        return None
    return max(1, math.ceil(throttle.wait() or 1))
