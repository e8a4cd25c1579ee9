"""Small-cohort suppression: which figures may be shown, given at least ``k`` people per cell.

Pure functions over the figure shapes of ``figures.py``:

- a count ``{n, value}`` and a spread ``{n, median, p90}`` are shown only when ``n >= k``;
- a rate ``{n, count, value}`` only when ``n >= k`` and both the people counted and the rest
  are none or at least ``k`` (so "1 of 12 was revoked" never appears), and without ``count``;
- a distribution ``{n, counts}`` only when ``n >= k``; a cell of 1 … k-1 people is blanked, and
  when exactly one cell is blanked the next smallest is blanked too, so no cell can be worked
  out from ``n`` and the others.

For survey answers (``unanimous=False``) a distribution or rate in which everyone gave the same
answer is withheld as well: anyone who knew a person answered would learn their answer.
Differencing between figures is prevented upstream: published figures cover fixed,
non-overlapping periods and are frozen once their data is final (``statements.py``).
"""

SUPPRESSED = {"suppressed": True}


def _small(count, k):
    return 0 < count < k


def suppress(figures, k, *, unanimous=True):
    """A copy of ``figures`` (a dict of figures, possibly nested) safe to show."""
    return {name: _suppress_one(figure, k, unanimous) for name, figure in figures.items()}


def _suppress_one(figure, k, unanimous):
    if not isinstance(figure, dict):
        return figure
    if "n" not in figure:
        return suppress(figure, k, unanimous=unanimous)
    if figure["n"] < k:
        return {**SUPPRESSED, "n": None}
    if "counts" in figure:
        return _distribution(figure, k, unanimous)
    if "count" in figure:
        return _rate(figure, k, unanimous)
    return dict(figure)


def _rate(figure, k, unanimous):
    n, count = figure["n"], figure["count"]
    withheld = _small(count, k) or _small(n - count, k)
    if withheld or (not unanimous and count in (0, n)):
        return {**SUPPRESSED, "n": n}
    return {"n": n, "value": figure["value"]}


def _distribution(figure, k, unanimous):
    counts = figure["counts"]
    n = figure["n"]
    if not unanimous and any(count == n for count in counts.values()):
        return {**SUPPRESSED, "n": n}
    blanked = {key for key, count in counts.items() if _small(count, k)}
    if len(blanked) == 1:
        others = sorted(
            (count, key) for key, count in counts.items() if key not in blanked and count
        )
        if not others:
            return {**SUPPRESSED, "n": n}
        blanked.add(others[0][1])
    return {
        "n": n,
        "counts": {key: (None if key in blanked else count) for key, count in counts.items()},
    }
