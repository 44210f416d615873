"""Disclosure control (secret statistique): the one rule deciding which counts and values the public may see.

Primary suppression hides every area where a count of persons is between 1 and ``threshold - 1``, and every
value computed on fewer than ``threshold`` events (its numerator), 0 included: such a rate, ratio or share is
too unreliable to publish, and its exact confidence interval would give the count away. Secondary suppression
then hides more areas, for every level of one indicator and period at once, so that no hidden count can be
recovered by subtraction: from the commune total, from the other IRIS of a quartier, or across the IRIS and
quartier levels. A hidden area hides all of its numbers (counts, value, interval, comparison, rank).

What an attacker knows, and what is guaranteed:

- for each additive relation whose total is published (the commune and its quartiers, the commune and its IRIS,
  a quartier and its IRIS), the sum of the hidden members, and for each hidden member whether its count is
  below the threshold (shown "< 11") or not (shown "secret statistique"). The pattern makes that sum 0 or leave
  every hidden small count free to lie anywhere between 0 and ``threshold - 1``, and every other hidden count
  in an interval at least ``threshold - 1`` wide;
- the whole system of sums (every relation at once): no hidden count is determined by it, which is checked by
  linear algebra on the hidden cells.
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
from scipy.linalg import null_space

DEFAULT_THRESHOLD = 11  # the smallest count published: the rule applied to French health data extracts
SMALL = "small"  # primary: a count below the threshold, or a value computed on fewer events
SECONDARY = "secondary"  # hidden so that a small count cannot be recovered by subtraction

__all__ = ["DEFAULT_THRESHOLD", "SECONDARY", "SMALL", "THRESHOLD", "count_note", "suppress", "threshold_from_env"]


def threshold_from_env(environ=None) -> int:
    """The threshold in ``OBSERVATOIRE_SECRET_THRESHOLD`` (an integer >= 1), or :data:`DEFAULT_THRESHOLD`.

    >>> threshold_from_env({"OBSERVATOIRE_SECRET_THRESHOLD": "5"})
    5
    >>> threshold_from_env({})
    11
    """
    env = os.environ if environ is None else environ
    raw = (env.get("OBSERVATOIRE_SECRET_THRESHOLD") or "").strip()
    if not raw:
        return DEFAULT_THRESHOLD
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"OBSERVATOIRE_SECRET_THRESHOLD must be a whole number >= 1, got {raw!r}")
    return int(raw)


THRESHOLD = threshold_from_env()


def count_note(count, threshold: int = THRESHOLD) -> str:
    """What a hidden count shows instead of its value: ``"< 11"`` when it is small, else ``"secret statistique"``.

    >>> count_note(4), count_note(250)
    ('< 11', 'secret statistique')
    """
    return f"< {threshold}" if count < threshold else "secret statistique"


def _tree(codes: list, parent: pd.Series):
    """Children of each cell (indices) and the additive relations: (total, members) for each depth below it."""
    position = {code: i for i, code in enumerate(codes)}
    children = [[] for _ in codes]
    for i, code in enumerate(codes):
        up = parent.get(code)
        if up in position:
            children[position[up]].append(i)
    groups = []
    for total in range(len(codes)):
        layer = children[total]
        while layer:
            groups.append((total, np.asarray(layer)))
            layer = [c for member in layer for c in children[member]]
    return children, groups


def _determined(equations: np.ndarray, hidden: np.ndarray) -> np.ndarray:
    """Which hidden cells the sums determine exactly (a cell is free when its column is outside the row space)."""
    result = np.zeros(hidden.size, dtype=bool)
    columns = np.flatnonzero(hidden)
    if columns.size == 0:
        return result
    basis = null_space(equations[:, columns])
    if basis.shape[1] == 0:
        result[columns] = True
    else:
        result[columns] = np.all(np.abs(basis) < 1e-9, axis=1)
    return result


def _cheapest(candidates, values, need: float = 0.0) -> int:
    """The candidate to hide: the smallest whose count covers ``need``, else the largest."""
    candidates = sorted(candidates, key=lambda i: (values[i], i))
    for i in candidates:
        if values[i] >= need:
            return i
    return candidates[-1]


def _group_gap(values: np.ndarray, hidden_members: np.ndarray, visible_members: np.ndarray, threshold: int):
    """For one count and one relation with a published total: a member to hide, -1 for the total, or None.

    The attacker knows ``S``, the sum of the hidden members, and which of them are small (below the threshold).
    A small count then lies in ``[max(0, S - (t-1)(n_small-1) - large part), min(t-1, S - t n_large)]``: the
    relation is protected when that is all of ``[0, t-1]`` and ``S`` itself is not a small count.
    """
    hidden_values = values[hidden_members]
    small = hidden_values < threshold
    if not np.any(small & (hidden_values >= 1)):
        return None
    total = hidden_values.sum()
    n_large = int((~small).sum())
    slack = total - threshold * n_large
    upper_free = slack >= threshold - 1 and total >= threshold
    lower_free = n_large >= 1 or total <= (threshold - 1) * (int(small.sum()) - 1)
    if upper_free and lower_free:
        return None
    large = [i for i in visible_members if values[i] >= threshold]
    if not large:
        return -1
    # A new large cell c adds c - threshold to the slack and frees the lower bound.
    return _cheapest(large, values, need=threshold + max(threshold - 1 - slack, 0))


def suppress(
    counts: pd.DataFrame, parent: pd.Series, unreliable=None, threshold: int = THRESHOLD, already_hidden=None
) -> pd.Series:
    """Decide which areas the public may not see, jointly for every level of one indicator and period.

    Parameters
    ----------
    counts : DataFrame
        Index: the code of every area of every level (the commune, its quartiers, their IRIS); one column per
        count of persons under statistical secrecy (e.g. deaths; for a share, also the cases without the
        attribute). Counts must be additive: a parent's count is the sum of its children's.
    parent : Series
        Code of each area's parent (the root maps to nothing, or to a code absent from ``counts``).
    unreliable : array_like of bool, optional
        Areas whose value must not be published whatever their counts (numerator below the threshold, 0 included).
    threshold : int, default :data:`THRESHOLD`
        The smallest count published.
    already_hidden : array_like of bool, optional
        Areas already hidden by another pattern that shares a count with this one (two shares of the same
        children screened): starting from it, nothing the other pattern hides is published here.

    Returns
    -------
    Series
        For each code of ``counts``: None (published), :data:`SMALL` or :data:`SECONDARY`.

    Examples
    --------
    Quartier Q holds IRIS a (3 deaths), b (40) and c (25); the commune adds quartier R (300). Hiding ``a`` alone
    would give it back as Q − b − c, so ``c`` is hidden too: the cheapest cell leaving ``a`` free between 0 and 10
    (a + c = 28 and c ≥ 11 only tell that a ≤ 17):

    >>> counts = pd.DataFrame({"deaths": [368, 68, 3, 40, 25, 300, 300]},
    ...                       index=["C", "Q", "a", "b", "c", "R", "r"])
    >>> parent = pd.Series({"Q": "C", "R": "C", "a": "Q", "b": "Q", "c": "Q", "r": "R"})
    >>> suppress(counts, parent).tolist()
    [None, None, 'small', None, 'secondary', None, None]
    """
    codes = list(counts.index)
    values = counts.to_numpy(dtype=float)
    if values.ndim != 2 or np.any(values < 0) or np.any(~np.isfinite(values)):
        raise ValueError(f"counts must be finite and non-negative, got {counts!r}")
    if threshold < 1:
        raise ValueError(f"threshold must be >= 1, got {threshold!r}")
    children, groups = _tree(codes, parent)
    equations = np.zeros((sum(1 for c in children if c), len(codes)))
    row = 0
    for total, members in enumerate(children):
        if members:
            equations[row, total] = 1.0
            equations[row, members] = -1.0
            row += 1
    primary = np.any((values >= 1) & (values < threshold), axis=1)
    if unreliable is not None:
        primary |= np.asarray(unreliable, dtype=bool)
    hidden = primary.copy()
    if already_hidden is not None:
        hidden |= np.asarray(already_hidden, dtype=bool)
    while True:
        target = _next_to_hide(values, hidden, groups, threshold)
        if target is None:
            exposed = np.flatnonzero(_determined(equations, hidden))
            if exposed.size == 0:
                break
            target = _unexpose(int(exposed[0]), values, hidden, children, codes, parent)
        hidden[target] = True
    reasons = np.where(primary, SMALL, np.where(hidden, SECONDARY, None))
    return pd.Series(list(reasons), index=counts.index, dtype=object)


def _next_to_hide(values, hidden, groups, threshold):
    """A cell whose hiding a relation needs, or None when every relation is protected."""
    for total, members in groups:
        hidden_members = members[hidden[members]]
        visible_members = members[~hidden[members]]
        if hidden[total]:
            if hidden_members.size == 0:
                # A hidden total whose members are all shown is their sum.
                return _cheapest(visible_members, values[:, 0])
            continue
        if hidden_members.size == 0:
            continue
        for column in range(values.shape[1]):
            choice = _group_gap(values[:, column], hidden_members, visible_members, threshold)
            if choice is not None:
                return total if choice == -1 else choice
    return None


def _unexpose(cell, values, hidden, children, codes, parent):
    """A visible cell whose hiding frees ``cell``: one of its children, a sibling, else its parent."""
    own = [c for c in children[cell] if not hidden[c]]
    if own and not any(hidden[c] for c in children[cell]):
        return _cheapest(own, values[:, 0])
    up = parent.get(codes[cell])
    position = {code: i for i, code in enumerate(codes)}
    siblings = [c for c in children[position[up]] if not hidden[c]] if up in position else []
    if siblings:
        return _cheapest(siblings, values[:, 0])
    if own:
        return _cheapest(own, values[:, 0])
    if up in position and not hidden[position[up]]:
        return position[up]
    return int(np.flatnonzero(~hidden)[0])
