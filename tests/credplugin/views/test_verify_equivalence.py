"""Property: a JSON-LD-equivalent rewriting of a badge the pipeline issued is either refused or
judged and shown exactly as the badge itself (ADR 0009).

Rewritings: keys as IRIs, plain values as value objects, ``@index``, inline or reordered
contexts, a value wrapped in an array or a one-element array unwrapped, keys reordered. They
run on revoked, suspended, expired, not-yet-valid and current badges: a rewriting may never turn
any of them into another verdict, nor change a single fact the page or the API shows.
Set ``CREDPLUGIN_HYPOTHESIS_PROFILE=thorough`` for many more examples.
"""

import copy
import os
from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credplugin import api
from credplugin.presentation.describe import describe_credential
from credplugin.presentation.verdicts import INVALID, verify_submitted_credential
from tests.attacks import CREDENTIALS

pytestmark = pytest.mark.django_db

THOROUGH = os.environ.get("CREDPLUGIN_HYPOTHESIS_PROFILE") == "thorough"
OB_VOCAB = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#"
VC_TERMS = {"credentialStatus", "validFrom", "validUntil", "issuer", "credentialSubject", "name"}


@pytest.fixture
def badges(earn):
    """One pipeline-issued credential in each state a verdict can take."""
    now = timezone.now()
    # In time order, as the status lists are signed at each issuance: a list signed later than
    # an issuance's clock is not valid yet there. Revoking and suspending sign them again now.
    expired = earn("expired", issued_at=now.replace(year=now.year - 3))
    current, revoked, suspended = earn("current"), earn("revoked"), earn("suspended")
    early = earn("early", issued_at=now + timedelta(days=30))
    api.revoke_badge(str(revoked.uuid), reason="Misconduct.", actor_id=None)
    api.suspend_badge(str(suspended.uuid), reason="Under review.", actor_id=None)
    badges = {
        "verified": current,
        "revoked": revoked,
        "suspended": suspended,
        "expired": expired,
        "not_yet_valid": early,
    }
    return {state: badge.credential for state, badge in badges.items()}


def _slots(value, found):
    """Every (object, key) of a JSON document, depth first."""
    if isinstance(value, dict):
        for key in list(value):
            found.append((value, key))
            _slots(value[key], found)
    elif isinstance(value, list):
        for item in value:
            _slots(item, found)
    return found


def _pick(slots, choice, condition):
    eligible = [slot for slot in slots if condition(*slot)]
    return eligible[choice % len(eligible)] if eligible else None


def key_as_iri(document, choice):
    slot = _pick(_slots(document, []), choice, lambda node, key: not key.startswith("@"))
    node, key = slot
    iri = (CREDENTIALS if key in VC_TERMS else OB_VOCAB) + key
    node[iri] = node.pop(key)


def value_object(document, choice):
    slot = _pick(_slots(document, []), choice, lambda node, key: isinstance(node[key], str))
    node, key = slot
    if key != "@context":
        node[key] = {"@value": node[key]}


def with_index(document, choice):
    slot = _pick(_slots(document, []), choice, lambda node, key: isinstance(node[key], dict))
    node, key = slot
    node[key]["@index"] = "Doctor of Medicine (FAKE)"


def inline_context(document, choice):
    document["@context"].insert(choice % (len(document["@context"]) + 1), {"v": "@value"})


def reordered_contexts(document, choice):
    contexts = document["@context"]
    shift = 1 + choice % (len(contexts) - 1)
    document["@context"] = contexts[shift:] + contexts[:shift]


def wrapped_in_array(document, choice):
    slot = _pick(
        _slots(document, []),
        choice,
        lambda node, key: key != "@context" and not isinstance(node[key], list),
    )
    node, key = slot
    node[key] = [node[key]]


def unwrapped_array(document, choice):
    slot = _pick(
        _slots(document, []),
        choice,
        lambda node, key: isinstance(node[key], list) and len(node[key]) == 1,
    )
    if slot is not None:
        node, key = slot
        node[key] = node[key][0]


def keys_reordered(document, choice):
    node, _ = _pick(_slots(document, []), choice, lambda node, key: True)
    items = list(node.items())
    node.clear()
    node.update(reversed(items))


REWRITES = [
    key_as_iri,
    value_object,
    with_index,
    inline_context,
    reordered_contexts,
    wrapped_in_array,
    unwrapped_array,
    keys_reordered,
]
rewritings = st.lists(
    st.tuples(st.sampled_from(REWRITES), st.integers(0, 10**6)), min_size=1, max_size=3
)


def _shown(credential, verdict):
    """Everything the API returns and the page shows about a verified or dated badge."""
    shown = verdict.as_dict()
    del shown["checked_at"]
    if verdict.authentic:
        shown["page"] = describe_credential(credential)
    return shown


@settings(
    max_examples=400 if THOROUGH else 40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    state=st.sampled_from(["verified", "revoked", "suspended", "expired", "not_yet_valid"]),
    steps=rewritings,
)
def test_an_equivalent_rewriting_is_refused_or_judged_and_shown_the_same(badges, state, steps):
    now = timezone.now()
    original = badges[state]
    expected = verify_submitted_credential(original, now=now)
    assert expected.state == state
    rewritten = copy.deepcopy(original)
    for rewrite, choice in steps:
        rewrite(rewritten, choice)
    verdict = verify_submitted_credential(rewritten, now=now)
    if verdict.state == INVALID:
        assert verdict.report.facts is None or not verdict.authentic
        assert verdict.issuer() is None
        return
    assert _shown(rewritten, verdict) == _shown(original, expected)
