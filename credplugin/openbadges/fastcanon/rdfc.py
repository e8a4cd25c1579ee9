"""RDFC-1.0 blank-node labelling over quads whose blank nodes are small ints.

The documents we sign are trees: every blank node hangs off exactly one parent, and almost every
one has content no sibling shares, so the Hash First Degree Quads step labels nearly all of them
and the costly Hash N-Degree Quads step runs only for groups with identical content. Both steps
are the RDFC-1.0 algorithms as pyld's ``URDNA2015`` implements them (SHA-256, ``_:a``/``_:z``,
``_:b`` temporary issuers, lexicographically smallest path); only the data layout is ours:
quads are ``(subject, predicate, object)`` tuples already in N-Quads form, blank nodes are ints.
Quads of named graphs (the proof of a credential embedded in a learner record) are
``(subject, predicate, object, graph)`` tuples, kept apart so the default graph's stay small.
"""

import hashlib
from itertools import permutations

from credplugin.openbadges.fastcanon.literals import NotCovered

_sha256 = hashlib.sha256
LABELLINGS_PER_SUBTREE = 64
# As rdf-canonize's ``maxWorkFactor``: with n blank nodes whose first-degree hashes collide, Hash
# N-Degree Quads may run at most n ** MAX_WORK_FACTOR + 1 times for any one of them. Documents
# with many identical blank nodes make it factorial; 1 is rdf-canonize's default and covers
# every credential we issue.
MAX_WORK_FACTOR = 1
# The same label strings every time: their hashes are computed once.
_LABELS = [f"_:c14n{number}" for number in range(256)]


class WorkLimitExceeded(ValueError):
    """Labelling the blank nodes would take more work than :data:`MAX_WORK_FACTOR` allows."""


def deep_iteration_limit(non_unique: int, work_factor: float = MAX_WORK_FACTOR) -> float:
    """How often Hash N-Degree Quads may run for one of ``non_unique`` look-alike blank nodes."""
    return non_unique**work_factor


def work_limit_reason(limit: float) -> str:
    return (
        f"too many indistinguishable blank nodes: canonicalization would take more than "
        f"{limit:g} rounds for one of them (the work limit)"
    )


def _label(number: int) -> str:
    return _LABELS[number] if number < len(_LABELS) else f"_:c14n{number}"


def canonical_nquads(
    ground: list,
    fresh: list,
    replays: list,
    known_hashes: list,
    graph_quads: list = (),
    *,
    work_factor: float = MAX_WORK_FACTOR,
) -> str:
    """The canonical N-Quads document (sorted lines, no duplicates) of a dataset.

    ``ground`` holds the finished lines of default-graph quads without blank nodes, ``fresh``
    the default graph's blank-node quads, ``replays`` the ``(subtree, first blank node)`` of
    memoised subtrees; ``known_hashes`` has one entry per blank node, its first-degree hash if
    already known; ``graph_quads`` the quads of blank-node-named graphs.

    Raises:
        WorkLimitExceeded: the blank nodes need more work than ``work_factor`` allows.
    """
    if fresh or graph_quads:
        hashes = first_degree_hashes(fresh, known_hashes, graph_quads)
    else:
        hashes = known_hashes
    labels = _canonical_labels(hashes, fresh, replays, graph_quads, work_factor) if hashes else []
    lines = list(ground)
    for subtree, offset in replays:
        lines += subtree.lines(tuple(labels[offset : offset + subtree.count]))
    append = lines.append
    for s, p, o in fresh:
        subject = labels[s] if s.__class__ is int else s
        append(f"{subject} {p} {labels[o] if o.__class__ is int else o} .\n")
    for s, p, o, g in graph_quads:
        subject = labels[s] if s.__class__ is int else s
        append(f"{subject} {p} {labels[o] if o.__class__ is int else o} {labels[g]} .\n")
    if len(set(lines)) != len(lines):
        lines = list(dict.fromkeys(lines))
    lines.sort()
    return "".join(lines)


class Subtree:
    """The quads of one memoised node object, blank nodes numbered from zero.

    Its lines depend only on the canonical labels its blank nodes get in a document, and for
    the credentials of one badge class those labels take few distinct values: the sorted
    lines are kept per labelling (bounded) and reused as one presorted run.
    """

    __slots__ = ("ground", "quads", "count", "hashes", "subject", "_lines")

    def __init__(self, ground, quads, hashes, subject):
        self.ground = ground
        self.quads = quads
        self.count = len(hashes)
        self.hashes = hashes
        self.subject = subject
        self._lines = {}

    def lines(self, labels: tuple) -> list:
        cached = self._lines.get(labels)
        if cached is None:
            cached = list(self.ground)
            for s, p, o in self.quads:
                subject = labels[s] if s.__class__ is int else s
                cached.append(f"{subject} {p} {labels[o] if o.__class__ is int else o} .\n")
            cached.sort()
            if len(self._lines) >= LABELLINGS_PER_SUBTREE:
                self._lines.clear()
            self._lines[labels] = cached
        return cached

    def quads_at(self, offset: int) -> list:
        """The blank-node quads with this replay's blank node numbers."""
        return [
            (
                s + offset if s.__class__ is int else s,
                p,
                o + offset if o.__class__ is int else o,
            )
            for s, p, o in self.quads
        ]


def first_degree_hashes(quads: list, known: list, graph_quads=()) -> list:
    """Hash First Degree Quads of every blank node whose hash ``known`` does not hold yet."""
    first_degree_lines = [None if digest else [] for digest in known]
    for s, p, o in quads:
        if s.__class__ is int:
            if o.__class__ is int:
                if s == o:
                    # A quad is listed once per blank-node position it holds, as in pyld.
                    if first_degree_lines[s] is not None:
                        first_degree_lines[s] += [f"_:a {p} _:a .\n"] * 2
                    continue
                if first_degree_lines[o] is not None:
                    first_degree_lines[o].append(f"_:z {p} _:a .\n")
                if first_degree_lines[s] is not None:
                    first_degree_lines[s].append(f"_:a {p} _:z .\n")
            elif first_degree_lines[s] is not None:
                first_degree_lines[s].append(f"_:a {p} {o} .\n")
        elif o.__class__ is int and first_degree_lines[o] is not None:
            first_degree_lines[o].append(f"{s} {p} _:a .\n")
    _add_graph_lines(first_degree_lines, graph_quads)
    hashes = list(known)
    for node, lines in enumerate(first_degree_lines):
        if lines is not None:
            lines.sort()
            hashes[node] = _sha256("".join(lines).encode()).hexdigest()
    return hashes


def _add_graph_lines(first_degree_lines: list, graph_quads) -> None:
    for quad in graph_quads:
        # A quad is listed once per blank-node position it holds, as in pyld.
        for position in (0, 2, 3):
            node = quad[position]
            if node.__class__ is int and first_degree_lines[node] is not None:
                first_degree_lines[node].append(_first_degree_line(quad, node))


def _first_degree_line(quad: tuple, node: int) -> str:
    """One graph quad as Hash First Degree Quads serializes it for ``node``."""
    s, p, o, g = (
        ("_:a" if term == node else "_:z") if term.__class__ is int else term for term in quad
    )
    return f"{s} {p} {o} {g} .\n"


def _canonical_labels(
    hashes: list, fresh: list, replays: list, graph_quads, work_factor: float
) -> list:
    """Canonical ``_:c14nN`` label of each blank node, from their first-degree hashes."""
    count = len(hashes)
    by_hash = {}
    for node, digest in enumerate(hashes):
        by_hash.setdefault(digest, []).append(node)
    canonical = {}
    shared = []
    for digest in sorted(by_hash):
        nodes = by_hash[digest]
        if len(nodes) == 1:
            canonical[nodes[0]] = _label(len(canonical))
        else:
            shared.append(nodes)
    if shared:
        quads = [(*quad, None) for quad in fresh]
        quads += [(*quad, None) for subtree, offset in replays for quad in subtree.quads_at(offset)]
        quads += graph_quads
        limit = deep_iteration_limit(sum(map(len, shared)), work_factor)
        _NDegree(quads, count, hashes, canonical, limit).label(shared)
    return [canonical[node] for node in range(count)]


def _orderings(nodes: list):
    """The permutations pyld's Steinhaus-Johnson-Trotter generator yields for ``nodes``.

    A graph name is related once per quad of its graph, always with the same hash: pyld
    yields such a list of one repeated node once. Other lists with repeats (which our
    documents do not make) are left to the reference.
    """
    distinct = len(set(nodes))
    if distinct == len(nodes):
        return permutations(nodes)
    if distinct == 1:
        return (tuple(nodes),)
    raise NotCovered


class _Issuer:
    """An RDFC-1.0 identifier issuer (``_:b`` prefix), cheap to copy."""

    __slots__ = ("existing", "order")

    def __init__(self, existing=None, order=None):
        self.existing = existing if existing is not None else {}
        self.order = order if order is not None else []

    def issue(self, node) -> str:
        label = self.existing.get(node)
        if label is None:
            label = self.existing[node] = f"_:b{len(self.order)}"
            self.order.append(node)
        return label

    def copy(self) -> "_Issuer":
        return _Issuer(dict(self.existing), list(self.order))


class _NDegree:
    """Hash N-Degree Quads for blank nodes whose first-degree hashes collide."""

    def __init__(self, quads, count, first_degree, canonical, limit):
        self.first_degree = first_degree
        self.canonical = canonical
        self.limit = limit
        self.iterations = [0] * count
        self.quads_of = [[] for _ in range(count)]
        for quad in quads:
            s, _, o, g = quad
            if s.__class__ is int:
                self.quads_of[s].append(quad)
            if o.__class__ is int:
                self.quads_of[o].append(quad)
            if g.__class__ is int:
                self.quads_of[g].append(quad)

    def label(self, shared_groups: list) -> None:
        canonical = self.canonical
        for nodes in shared_groups:
            results = []
            for node in nodes:
                if node in canonical:
                    continue
                issuer = _Issuer()
                issuer.issue(node)
                results.append(self.hash_n_degree(node, issuer))
            for _, issuer in sorted(results, key=lambda result: result[0]):
                for existing in issuer.order:
                    if existing not in canonical:
                        canonical[existing] = _label(len(canonical))

    def hash_related(self, related, predicate: str, issuer: _Issuer, position: str) -> str:
        label = self.canonical.get(related)
        if label is None:
            label = issuer.existing.get(related)
            if label is None:
                label = self.first_degree[related]
        return _sha256(f"{position}{predicate}{label}".encode()).hexdigest()

    def hash_n_degree(self, node, issuer: _Issuer):
        if self.iterations[node] > self.limit:
            raise WorkLimitExceeded(work_limit_reason(self.limit))
        self.iterations[node] += 1
        related_by_hash = {}
        for s, p, o, g in self.quads_of[node]:
            if s.__class__ is int and s != node:
                related_by_hash.setdefault(self.hash_related(s, p, issuer, "s"), []).append(s)
            if o.__class__ is int and o != node:
                related_by_hash.setdefault(self.hash_related(o, p, issuer, "o"), []).append(o)
            if g.__class__ is int and g != node:
                related_by_hash.setdefault(self.hash_related(g, "", issuer, "g"), []).append(g)
        data = _sha256()
        for related_hash in sorted(related_by_hash):
            data.update(related_hash.encode())
            chosen_path = ""
            chosen_issuer = None
            for permutation in _orderings(related_by_hash[related_hash]):
                path, issuer_copy = self.permutation_path(permutation, issuer, chosen_path)
                if path is not None and (not chosen_path or path < chosen_path):
                    chosen_path = path
                    chosen_issuer = issuer_copy
            data.update(chosen_path.encode())
            issuer = chosen_issuer
        return data.hexdigest(), issuer

    def permutation_path(self, permutation, issuer: _Issuer, chosen_path: str):
        """Steps 5.4.1-5.4.5: the path of one permutation, or None once it cannot win."""
        canonical = self.canonical
        issuer_copy = issuer.copy()
        path = ""
        recursion = []
        for related in permutation:
            label = canonical.get(related)
            if label is not None:
                path += label
            else:
                if related not in issuer_copy.existing:
                    recursion.append(related)
                path += issuer_copy.issue(related)
            if chosen_path and len(path) >= len(chosen_path) and path > chosen_path:
                return None, None
        for related in recursion:
            result_hash, issuer_copy = self.hash_n_degree(related, issuer_copy)
            path += issuer_copy.issue(related) + "<" + result_hash + ">"
            if chosen_path and len(path) >= len(chosen_path) and path > chosen_path:
                return None, None
        return path, issuer_copy
