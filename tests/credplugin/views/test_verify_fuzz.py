"""Fuzz the verify API: 10,000 random and mutated bodies (JSON, PNG, SVG), never a 500, nothing
stored. Seeded, so a failure names a body that can be replayed; ``CREDPLUGIN_FUZZ_SEED`` picks
another seed, ``CREDPLUGIN_FUZZ_BODIES`` another count. The view is called directly (no
middleware, which it does not use), so any exception it lets out fails the test as a 500 would.
"""

import json
import os
import random

import pytest
from django.apps import apps
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from credplugin.views.verify import verify_api

pytestmark = pytest.mark.django_db

BODIES = int(os.environ.get("CREDPLUGIN_FUZZ_BODIES", "10000"))
SEED = int(os.environ.get("CREDPLUGIN_FUZZ_SEED", "13"))
JSON_VALUES = [None, True, 0, -1, 2**60, 1e-300, "", "@value", "_:b0", "\ud800", [], {}, [[]]]
INTERESTING_TEXT = [
    b'"@context"',
    b'"https://www.w3.org/2018/credentials#credentialStatus"',
    b'{"@value": 1}',
    b'"\\ud800"',
    b"[" * 64,
    b"\x00",
    b"\xff",
    b"1e999",
    b'"validFrom": "2025-01-01T00:00:00"',
]


def _random_json(rng, depth=0):
    if depth > 3 or rng.random() < 0.4:
        return rng.choice(JSON_VALUES)
    if rng.random() < 0.5:
        return [_random_json(rng, depth + 1) for _ in range(rng.randrange(4))]
    return {
        rng.choice(["id", "type", "@id", "@index", "name", "proof", "x"]): _random_json(
            rng, depth + 1
        )
        for _ in range(rng.randrange(4))
    }


def _slots(value, found):
    if isinstance(value, dict):
        for key in list(value):
            found.append((value, key))
            _slots(value[key], found)
    elif isinstance(value, list):
        for index in range(len(value)):
            found.append((value, index))
            _slots(value[index], found)
    return found


def mutate_structure(rng, credential):
    """Replace, drop or rename one value somewhere in a genuine credential."""
    document = json.loads(json.dumps(credential))
    container, key = rng.choice(_slots(document, []))
    action = rng.randrange(3)
    if action == 0:
        container[key] = _random_json(rng)
    elif action == 1 and isinstance(container, dict):
        del container[key]
    elif isinstance(container, dict):
        container[rng.choice(["@index", "@graph", "@value", "@context", "x:y"])] = container.pop(
            key
        )
    return json.dumps(document).encode("utf-8", "surrogatepass")


def mutate_bytes(rng, data):
    """Flip, drop, insert or splice a few bytes."""
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        position = rng.randrange(len(data) + 1)
        action = rng.randrange(4)
        if action == 0 and position < len(data):
            data[position] = rng.randrange(256)
        elif action == 1:
            del data[position : position + rng.randint(1, 64)]
        elif action == 2:
            data[position:position] = rng.choice(INTERESTING_TEXT)
        else:
            data[position:position] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
    return bytes(data)


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in apps.get_app_config("credplugin").get_models()
    }


@override_settings(CREDPLUGIN_VERIFY_RATE_LIMIT="")
def test_ten_thousand_hostile_bodies_get_no_500_and_store_nothing(earn):
    client = Client(raise_request_exception=False)
    badge = earn()
    credential = badge.credential
    samples = {
        "json": json.dumps(credential).encode(),
        "png": client.get(reverse("credplugin:badge-png", args=[badge.uuid])).content,
        "svg": client.get(reverse("credplugin:badge-svg", args=[badge.uuid])).content,
    }
    before = _counts()
    rng = random.Random(SEED)
    url = reverse("credplugin:verify-api")
    requests = RequestFactory()
    statuses = {}
    for number in range(BODIES):
        kind = rng.choice(["structure", "json", "png", "svg", "random"])
        if kind == "structure":
            body = mutate_structure(rng, credential)
        elif kind == "random":
            body = bytes(rng.randrange(256) for _ in range(rng.randrange(256)))
        else:
            body = mutate_bytes(rng, samples[kind])
        content_type = rng.choice(["application/json", "image/png", "application/octet-stream"])
        response = verify_api(requests.post(url, body, content_type=content_type))
        assert response.status_code in (200, 400, 413), (number, kind, body[:300])
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
    assert _counts() == before
    # The mutations reach the verifier, not only the readers in front of it.
    assert statuses.get(200, 0) > BODIES // 10, statuses
