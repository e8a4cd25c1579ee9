"""Random status-list slots taken at once by several connections on MariaDB never collide."""

import pytest
from django.db import transaction

from credplugin.issuer import status_lists
from credplugin.models import StatusList
from tests.integration.threads import run_at_once

pytestmark = [pytest.mark.integration]

TAKERS = 4
BATCHES = 5
BATCH = 200  # the issuing batch size


def test_concurrent_batches_get_distinct_random_slots(integration_database_url):
    # The first list exists already (racing to open a new one is settled by
    # count_attempt_and_reserve_slots' retry on IntegrityError, not by take_slots).
    with transaction.atomic():
        taken = status_lists.take_slots(1)

    def take_batches():
        slots = []
        for _batch in range(BATCHES):
            with transaction.atomic():
                slots += status_lists.take_slots(BATCH)
        return slots

    results, errors = run_at_once(TAKERS, take_batches)
    taken += [slot for slots in results for slot in slots]

    assert errors == []
    assert len(taken) == len(set(taken)) == 1 + TAKERS * BATCHES * BATCH
    assert {sequence for sequence, _index in taken} == {1}
    assert set(StatusList.objects.values_list("next_index", flat=True)) == {len(taken)}
    first_batch = [index for _sequence, index in taken[1 : 1 + BATCH]]
    assert max(first_batch) - min(first_batch) > StatusList().size // 2
