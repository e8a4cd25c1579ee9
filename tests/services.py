"""Reachability of the real services the integration tests need.

Integration tests skip with a loud reason only when a service is unreachable and
``CREDPLUGIN_REQUIRE_SERVICES`` is unset; CI sets it, so there an absent service fails the run.
"""

import os
import socket
from urllib.parse import urlparse

import pytest


def services_required():
    return bool(os.environ.get("CREDPLUGIN_REQUIRE_SERVICES"))


def reachable(host, port, timeout=1.0):
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def require_service(name, url, default_port):
    """Skip (loudly) or fail when the service behind ``url`` does not answer."""
    parsed = urlparse(url)
    host, port = parsed.hostname or "127.0.0.1", parsed.port or default_port
    if reachable(host, port):
        return
    message = f"{name} is not reachable at {host}:{port}"
    if services_required():
        pytest.fail(f"{message} and CREDPLUGIN_REQUIRE_SERVICES is set", pytrace=False)
    pytest.skip(f"SKIPPED LOUDLY: {message}; start it or set CREDPLUGIN_REQUIRE_SERVICES=1")


def redis_url():
    return os.environ.get("CREDPLUGIN_REDIS_URL", "redis://127.0.0.1:6379/7")
