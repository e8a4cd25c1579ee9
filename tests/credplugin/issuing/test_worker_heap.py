"""A pool process's garbage collector, set once it starts (``issuing.worker_heap``)."""

import gc

import pytest

from credplugin.issuing import worker_heap


@pytest.fixture
def restored_collector():
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


@pytest.mark.usefixtures("restored_collector")
def test_settle_freezes_what_the_process_holds_and_spaces_out_full_collections():
    held = [{"a start-up object": index} for index in range(100)]
    youngest, middle, _oldest = gc.get_threshold()

    worker_heap.settle(sender=None)

    assert gc.get_freeze_count() >= len(held)
    assert gc.get_threshold() == (youngest, middle, worker_heap.FULL_COLLECTION_THRESHOLD)


@pytest.mark.usefixtures("restored_collector")
def test_cycles_made_after_settling_are_still_collected():
    worker_heap.settle()
    collected = []

    class Cyclic:
        def __init__(self):
            self.itself = self

        def __del__(self):
            collected.append(True)

    Cyclic()
    gc.collect()

    assert collected == [True]


@pytest.mark.usefixtures("restored_collector")
def test_a_host_that_tunes_its_collector_itself_can_keep_it(settings):
    settings.CREDPLUGIN_WORKER_GC_TUNING = False
    threshold = gc.get_threshold()
    frozen = gc.get_freeze_count()

    worker_heap.settle()

    assert (gc.get_threshold(), gc.get_freeze_count()) == (threshold, frozen)
