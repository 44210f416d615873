"""Map classes: breaks, colour-blind-safe palettes and the labels of the legend."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dashboard.formatting import number

# ColorBrewer palettes (Brewer & Harrower), all marked colour-blind safe.
DIVERGING = ["#2166ac", "#67a9cf", "#d1e5f0", "#fddbc7", "#ef8a62", "#b2182b"]  # RdBu 6, blue = lower
SEQUENTIAL = {
    "lower_is_better": ["#fef0d9", "#fdcc8a", "#fc8d59", "#e34a33", "#b30000"],  # OrRd 5
    "higher_is_better": ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"],  # Blues 5
    "neutral": ["#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f"],  # Purples 5
}
NO_DATA_COLOUR = "#d9d9d9"
ICM_BREAKS = [70.0, 80.0, 90.0, 100.0, 110.0, 120.0, 130.0]


@dataclass(frozen=True)
class Classes:
    """``breaks`` has one more item than ``colours``; class i covers [breaks[i], breaks[i+1])."""

    breaks: list
    colours: list
    labels: list
    open_ended: bool  # True when the first and last classes also hold values beyond the breaks


def icm_classes() -> Classes:
    """Fixed classes centred on 100 (the reference), so colours mean the same for every period."""
    labels = ["moins de 80"] + [f"{int(a)} à {int(b)}" for a, b in zip(ICM_BREAKS[1:-2], ICM_BREAKS[2:-1])] + [
        "120 ou plus"
    ]
    return Classes(ICM_BREAKS, DIVERGING, labels, open_ended=True)


def _nice(value: float, decimals: int) -> float:
    return float(np.round(value, decimals))


def quantile_classes(values, polarity: str, decimals: int, n_classes: int = 5) -> Classes:
    """Classes of equal counts over ``values`` (all periods of an indicator, so colours stay comparable).

    Breaks are rounded to ``decimals``; duplicate breaks collapse, so few distinct values give fewer classes.

    >>> quantile_classes([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], "neutral", 0).breaks
    [1.0, 3.0, 5.0, 6.0, 8.0, 10.0]
    """
    values = np.asarray([v for v in values if v is not None and np.isfinite(v)], dtype=float)
    palette = SEQUENTIAL[polarity]
    if values.size == 0:
        return Classes([0.0, 1.0], [NO_DATA_COLOUR], ["aucune valeur"], open_ended=False)
    quantiles = np.quantile(values, np.linspace(0, 1, n_classes + 1))
    breaks = sorted({_nice(q, decimals) for q in quantiles})
    if len(breaks) == 1:
        breaks = [breaks[0], breaks[0] + 10.0 ** -decimals]
    n = len(breaks) - 1
    colours = [palette[round(i * (len(palette) - 1) / max(n - 1, 1))] for i in range(n)]
    labels = [f"{number(a, decimals)} à {number(b, decimals)}" for a, b in zip(breaks[:-1], breaks[1:])]
    return Classes(breaks, colours, labels, open_ended=False)


def class_of(value, classes: Classes) -> int | None:
    """Index of the class holding ``value`` (the last class includes its upper break)."""
    if value is None or not np.isfinite(value):
        return None
    index = int(np.searchsorted(classes.breaks, value, side="right")) - 1
    return min(max(index, 0), len(classes.colours) - 1)


def colourscale(classes: Classes) -> list:
    """A stepped plotly colourscale: flat colour inside each class, a jump at each break."""
    low, high = classes.breaks[0], classes.breaks[-1]
    span = high - low
    scale = []
    for i, colour in enumerate(classes.colours):
        start = (classes.breaks[i] - low) / span
        end = (classes.breaks[i + 1] - low) / span
        scale.append([round(start, 6), colour])
        scale.append([round(end, 6), colour])
    return scale


def symbol(comparison) -> str:
    """▲ significantly above the commune, ▼ significantly below, nothing otherwise."""
    return {"higher": "▲", "lower": "▼"}.get(comparison, "")


def direction(comparison, polarity: str):
    """Turn better/worse into higher/lower for the symbol, given which way is better."""
    if comparison in (None, "similar", "higher", "lower"):
        return comparison
    lower_is_better = polarity == "lower_is_better"
    if comparison == "worse":
        return "higher" if lower_is_better else "lower"
    return "lower" if lower_is_better else "higher"
