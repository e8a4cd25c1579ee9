"""Property-based: any valid content signs and verifies; any single change breaks the proof."""

import copy
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credplugin.openbadges import (
    StatusList,
    generate_key,
    sign_credential,
    status_list_credential,
    verify_credential,
)
from tests.openbadges import builders
from tests.openbadges.strategies import credentials

KEY = generate_key()
NOW = datetime(2026, 1, 1, tzinfo=UTC)
PROPERTY_SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@PROPERTY_SETTINGS
@given(credentials(issuer=KEY.controller))
def test_any_valid_content_signs_and_verifies(document):
    report = verify_credential(sign_credential(document, KEY), now=NOW)
    assert report.verified, report.to_json()


def leaf_paths(value, path=()):
    """Paths to every scalar and to every object key of a JSON document."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*path, key), "key"
            yield from leaf_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaf_paths(item, (*path, index))
    else:
        yield path, "value"


def mutated(document, path, kind):
    changed = copy.deepcopy(document)
    parent = changed
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if kind == "key":
        del parent[last]
    elif isinstance(parent[last], bool):
        parent[last] = not parent[last]
    elif isinstance(parent[last], int | float):
        parent[last] = parent[last] + 1
    else:
        parent[last] = parent[last] + "x"
    return changed


@PROPERTY_SETTINGS
@given(credentials(issuer=KEY.controller), st.data())
def test_any_single_change_of_random_content_fails_verification(document, data):
    signed = sign_credential(document, KEY)
    path, kind = data.draw(st.sampled_from(sorted(set(leaf_paths(signed)), key=repr)))
    assert not verify_credential(mutated(signed, path, kind), now=NOW).verified


SIGNED = sign_credential(builders.credential(KEY.controller, status_index=3).to_json(), KEY)
STATUS_LIST = sign_credential(
    status_list_credential(builders.STATUS_LIST_URL, KEY.controller, StatusList()), KEY
)


RESOLVE = {STATUS_LIST["id"]: STATUS_LIST}.__getitem__


def test_the_full_credential_verifies_unchanged():
    assert verify_credential(SIGNED, resolve=RESOLVE, now=NOW).verified


@pytest.mark.parametrize(("path", "kind"), sorted(set(leaf_paths(SIGNED)), key=repr))
def test_every_single_change_of_a_full_credential_fails_verification(path, kind):
    assert not verify_credential(mutated(SIGNED, path, kind), resolve=RESOLVE, now=NOW).verified
