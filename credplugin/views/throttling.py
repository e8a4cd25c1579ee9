"""A per-client limit on badge verifications (``CREDPLUGIN_VERIFY_RATE_LIMIT``).

Each verification canonicalizes and checks a signature on a document an anonymous stranger
chose, so one client may not submit more than the operator allows. Clients are told apart as
Django REST framework's throttles tell them apart (``REST_FRAMEWORK["NUM_PROXIES"]``), and the
history lives in Django's default cache, shared by every process that shares the cache.
"""

import math

from rest_framework.throttling import SimpleRateThrottle

from credplugin.conf import credplugin_settings


class VerifyRateThrottle(SimpleRateThrottle):
    """DRF's sliding-window throttle, at the rate the credplugin setting gives."""

    scope = "credplugin_verify"

    def get_rate(self):
        """The setting, checked by ``credplugin.conf`` (and ``manage.py check``); None: off."""
        return credplugin_settings.VERIFY_RATE_LIMIT or None

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def seconds_until_allowed(request):
    """None when ``request``'s client may verify now; else how many seconds it must wait."""
    throttle = VerifyRateThrottle()
    if throttle.allow_request(request, None):
        return None
    return max(1, math.ceil(throttle.wait() or 1))
