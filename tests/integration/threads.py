"""Threads released at once, each on its own database connection (as separate workers are)."""

import threading

from django.db import connection


def run_at_once(count, work, *, timeout=120):
    """Run ``work()`` in ``count`` threads started together; returns ``(results, errors)``."""
    start = threading.Barrier(count)
    results, errors = [], []

    def worker():
        try:
            start.wait(timeout=30)
            results.append(work())
        except Exception as error:  # noqa: BLE001  (returned to the test, which asserts on it)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results, errors
