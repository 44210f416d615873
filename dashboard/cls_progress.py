"""Progress of CLS actions against their targets: per indicator and year, per action, per axis."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from dashboard.cls_plan import STATUS_LABELS
from dashboard.store import Dataset

FOLLOW_UP_COLUMNS = ["action_id", "indicator_label", "kind", "unit", "year", "target", "achieved", "area_code"]


def share_reached(achieved, target) -> float:
    """Achieved ÷ target as a proportion (1.0 = target met; may exceed 1); NaN when unknown or target ≤ 0.

    >>> share_reached(45, 60)
    0.75
    >>> share_reached(None, 60)
    nan
    """
    if achieved is None or target is None:
        return math.nan
    achieved, target = float(achieved), float(target)
    if math.isnan(achieved) or math.isnan(target) or target <= 0:
        return math.nan
    return achieved / target


def follow_up(dataset: Dataset, action_ids, years: tuple[int, int] | None = None) -> pd.DataFrame:
    """Yearly targets and achievements of the actions' indicators, the areas of an indicator added together.

    One row per action, indicator and year: ``target`` and ``achieved`` (NaN when not known yet: the year is
    not over, or not every area reported), ``share`` = achieved ÷ target, ``areas`` = how many areas were
    followed separately (0 when the indicator is about the whole action). Counts of areas are summed; a
    percentage (unit ``%``) over areas is their plain mean, the only honest sum of percentages we can make
    without the denominators.
    """
    table = dataset.tables.get("action_indicators", pd.DataFrame())
    if table.empty:
        return pd.DataFrame(columns=FOLLOW_UP_COLUMNS[:-1] + ["areas", "share"])
    rows = table[table["action_id"].isin(list(action_ids))].copy()
    rows["year"] = pd.to_numeric(rows["year"]).astype(int)
    rows["target"] = pd.to_numeric(rows["target"], errors="coerce")
    rows["achieved"] = pd.to_numeric(rows["achieved"], errors="coerce")
    if years is not None:
        rows = rows[(rows["year"] >= years[0]) & (rows["year"] <= years[1])]
    keys = ["action_id", "indicator_label", "kind", "unit", "year"]
    grouped = []
    for key, group in rows.groupby(keys, sort=True):
        percent = key[3] == "%"
        target = group["target"].mean() if percent else group["target"].sum()
        complete = group["achieved"].notna().all()
        achieved = (group["achieved"].mean() if percent else group["achieved"].sum()) if complete else math.nan
        areas = int((group["area_code"].fillna("") != "").sum())
        grouped.append(dict(zip(keys, key), target=float(target), achieved=float(achieved), areas=areas))
    frame = pd.DataFrame(grouped, columns=keys + ["target", "achieved", "areas"])
    frame["share"] = [share_reached(a, t) for a, t in zip(frame["achieved"], frame["target"])]
    return frame.reset_index(drop=True)


def indicator_progress(yearly: pd.DataFrame) -> pd.DataFrame:
    """Per action and indicator: its latest year with a known achievement (``year``, ``target``,
    ``achieved``, ``share``), or the first planned year when nothing is known yet (``achieved`` NaN).

    ``years_known`` counts the years with a known achievement; ``areas`` is carried from ``follow_up``.
    """
    rows = []
    for (action_id, label), group in yearly.groupby(["action_id", "indicator_label"], sort=True):
        known = group[group["achieved"].notna()]
        pick = known.iloc[-1] if len(known) else group.iloc[0]
        rows.append({
            "action_id": action_id, "indicator_label": label, "kind": pick["kind"], "unit": pick["unit"],
            "year": int(pick["year"]), "target": pick["target"], "achieved": pick["achieved"],
            "share": pick["share"], "years_known": len(known), "areas": int(pick["areas"]),
        })
    return pd.DataFrame(rows, columns=["action_id", "indicator_label", "kind", "unit", "year", "target",
                                       "achieved", "share", "years_known", "areas"])


def bar(target, achieved) -> dict:
    """Where to draw a progress bar: the fill and the target mark, in % of the bar's width.

    The bar spans the larger of target and achievement, so a target exceeded shows its mark inside the fill.

    >>> bar(100, 50)
    {'fill': 50.0, 'mark': 100.0}
    >>> bar(100, 125)
    {'fill': 100.0, 'mark': 80.0}
    """
    target = 0.0 if target is None or math.isnan(float(target)) else float(target)
    achieved = 0.0 if achieved is None or math.isnan(float(achieved)) else float(achieved)
    span = max(target, achieved)
    if span <= 0:
        return {"fill": 0.0, "mark": 100.0}
    return {"fill": round(100 * achieved / span, 1), "mark": round(100 * target / span, 1)}


def axis_summary(actions: pd.DataFrame, progress: pd.DataFrame) -> pd.DataFrame:
    """Per axis: number of actions by status and the average share of targets reached.

    The average is taken over the axis's indicators with a known achievement (latest known year of each),
    each share capped at 100 % so that one target far exceeded cannot hide another one missed.
    Columns: axis_id, axis_label, one per status id, total, indicators (how many averaged), mean_share.
    """
    rows = []
    capped = progress.assign(capped=np.minimum(progress["share"].astype(float), 1.0))
    for (axis_id, label, _number), group in actions.groupby(["axis_id", "axis_label", "axis_number"], sort=False):
        counts = group["status"].value_counts()
        shares = capped.loc[capped["action_id"].isin(group["action_id"]), "capped"].dropna()
        row = {"axis_id": axis_id, "axis_label": label}
        row.update({status: int(counts.get(status, 0)) for status in STATUS_LABELS})
        row.update({"total": len(group), "indicators": len(shares),
                    "mean_share": float(shares.mean()) if len(shares) else math.nan})
        rows.append(row)
    columns = ["axis_id", "axis_label", *STATUS_LABELS, "total", "indicators", "mean_share"]
    return pd.DataFrame(rows, columns=columns)
