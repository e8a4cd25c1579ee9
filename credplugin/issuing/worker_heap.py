"""The garbage collector of a Celery pool process, set for issuing batches.

A pool process starts with a few hundred thousand objects (Django, the URL patterns, the JSON-LD
contexts, the fast canonicalizer's tables) that live as long as it does. Python's cyclic
garbage collector walks every one of them in each full collection, and an issuing batch keeps
its 200 credentials and rows alive long enough to be promoted to the oldest generation, which
sets off about one full collection per batch: measured with ``bench/issue_steps.py``, a fifth of
the CPU a badge costs went into those walks, invisible in a profile (a collection is charged to
whichever line allocated when it started).

:func:`settle` freezes what the process holds when it starts (``gc.freeze``: kept, never walked
again, as the Python documentation advises for forked workers) and lets the oldest generation
wait for more younger collections before it is walked again. Cycles are still collected; only
the full walks come less often. Reference counting frees a badge's objects as soon as the batch
lets go of them either way.
"""

import gc

from credplugin.conf import credplugin_settings

# Younger collections between two full ones (CPython's default is 10): with the start-up objects
# frozen, a full walk costs the objects the process made since, and one per batch was the
# commonest collection of all.
FULL_COLLECTION_THRESHOLD = 100


def settle(**_signal):
    """Freeze the objects this process holds now and space out full collections.

    Connected to Celery's ``worker_process_init`` (each pool process, once it has started);
    ``bench/issue_steps.py`` calls it where a worker would. ``CREDPLUGIN_WORKER_GC_TUNING =
    False`` leaves the collector as it is, for hosts that tune it themselves.
    """
    if not credplugin_settings.WORKER_GC_TUNING:
        return
    gc.collect()
    gc.freeze()
    youngest, middle, _oldest = gc.get_threshold()
    gc.set_threshold(youngest, middle, FULL_COLLECTION_THRESHOLD)
