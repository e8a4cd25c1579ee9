"""RDFC-1.0 blank-node labelling (``fastcanon.rdfc``) on its own, against pyld's URDNA2015.

Arbitrary graphs (cycles, symmetric shapes, self-loops), labelled by both on the same quads.
Set ``CREDPLUGIN_HYPOTHESIS_PROFILE=thorough`` for thousands of examples.
"""

import os

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pyld.canon import URDNA2015

from credplugin.openbadges.fastcanon.rdfc import canonical_nquads

THOROUGH = os.environ.get("CREDPLUGIN_HYPOTHESIS_PROFILE") == "thorough"
IRI_TERMS = ["<https://example.com/s>", "<https://example.com/t>"]
PREDICATES = ["<https://example.com/p>", "<https://example.com/q>"]
LITERALS = ['"a"', '"b"']


@st.composite
def blank_node_graphs(draw):
    count = draw(st.integers(1, 7))
    nodes = st.integers(0, count - 1)
    subject = nodes | st.sampled_from(IRI_TERMS)
    obj = nodes | st.sampled_from(IRI_TERMS + LITERALS)
    quads = draw(st.lists(st.tuples(subject, st.sampled_from(PREDICATES), obj), max_size=14))
    quads = [quad for quad in dict.fromkeys(quads) if int in map(type, quad)]
    used = sorted({term for s, _, o in quads for term in (s, o) if isinstance(term, int)})
    assume(used)
    renumber = {node: index for index, node in enumerate(used)}
    quads = [
        tuple(renumber.get(term, term) if isinstance(term, int) else term for term in quad)
        for quad in quads
    ]
    return quads, len(used)


def _pyld_term(term):
    if isinstance(term, int):
        return {"type": "blank node", "value": f"_:n{term}"}
    if term.startswith("<"):
        return {"type": "IRI", "value": term[1:-1]}
    return {
        "type": "literal",
        "value": term[1:-1],
        "datatype": "http://www.w3.org/2001/XMLSchema#string",
    }


@settings(
    max_examples=2000 if THOROUGH else 300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(blank_node_graphs())
def test_blank_node_labelling_matches_pyld(graph):
    quads, count = graph
    dataset = {
        "@default": [
            {"subject": _pyld_term(s), "predicate": _pyld_term(p), "object": _pyld_term(o)}
            for s, p, o in quads
        ]
    }
    expected = URDNA2015().main(dataset, {"format": "application/n-quads"})
    assert canonical_nquads([], quads, [], [None] * count) == expected
