"""Needs versus actions: each quartier's need (an observatory indicator) beside the CLS effort made there."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard import cls_plan, indicators
from dashboard.store import Dataset

# Comparisons with the commune that mean "more need here" for each polarity of indicator.
HIGH_NEED = {"lower_is_better": {"worse"}, "higher_is_better": {"worse"}, "neutral": {"higher"}}
FLAGS = {
    "gap": "Besoin élevé, aucune action ciblée",
    "covered": "Besoin élevé, action(s) ciblée(s)",
    "other": "Pas de besoin élevé",
    "unknown": "Besoin non calculable",
}


@dataclass(frozen=True)
class NeedsView:
    """The need indicator's result (from indicators.compute) and one row per area with its need and effort."""

    result: indicators.Result
    table: pd.DataFrame  # code, name, value, lower, upper, comparison, targeted, citywide, high_need, flag
    citywide: int


def needs_versus_actions(dataset: Dataset, indicator_id: str, actions: pd.DataFrame, level: str = "quartier",
                         period: str | None = None) -> NeedsView:
    """Need = the indicator in each area over ``period`` (default: its latest), with its comparison to the
    commune; effort = the number of ``actions`` targeted at the area (city-wide actions apart).

    An area is flagged ``gap`` when its need is significantly worse than the commune's and no action of
    ``actions`` targets it. Values, intervals and comparisons come from ``indicators.compute`` (so any
    disclosure control applied there holds here too); a value it leaves out gives the flag ``unknown``.
    """
    indicator = indicators.get(dataset, indicator_id)
    result = indicators.compute(dataset, indicator_id, period or indicator.periods[-1], level)
    effort = cls_plan.area_effort(dataset, actions, level)
    table = result.table[["code", "name", "value", "lower", "upper", "comparison"]].merge(
        effort[["code", "targeted"]], on="code", how="left"
    )
    table["targeted"] = table["targeted"].fillna(0).astype(int)
    high = HIGH_NEED[indicator.polarity]
    table["high_need"] = table["comparison"].isin(high)
    flags = []
    for row in table.itertuples(index=False):
        if row.comparison is None or pd.isna(row.value):
            flags.append("unknown")
        elif row.high_need:
            flags.append("covered" if row.targeted > 0 else "gap")
        else:
            flags.append("other")
    table["flag"] = flags
    order = {"gap": 0, "covered": 1, "other": 2, "unknown": 3}
    ascending = indicator.polarity == "higher_is_better"  # the neediest first
    table = table.assign(_order=table["flag"].map(order)).sort_values(
        ["_order", "value"], ascending=[True, ascending], na_position="last"
    )
    citywide = int(actions["citywide"].sum()) if len(actions) else 0
    return NeedsView(result, table.drop(columns="_order").reset_index(drop=True), citywide)
