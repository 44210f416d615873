"""The Contrat Local de Santé: contracts, axes and the actions running in each area."""

from __future__ import annotations

import pandas as pd

from dashboard.store import Dataset


def current_contract(dataset: Dataset) -> pd.Series:
    """The most recent contract (the one in force, or the last one signed)."""
    contracts = dataset.contracts.assign(start=pd.to_numeric(dataset.contracts["start_year"], errors="coerce"))
    return contracts.sort_values("start").iloc[-1]


def axes(dataset: Dataset, contract_id: str) -> pd.DataFrame:
    """Axes of a contract in their numbered order."""
    rows = dataset.axes[dataset.axes["contract_id"] == contract_id]
    return rows.sort_values("number").reset_index(drop=True)


def axis_label(row) -> str:
    """``Axe 2 — Guérir`` (or just ``Axe 2`` when the axis has no name of its own)."""
    prefix = f"Axe {row['number']}"
    name = str(row["name"]).strip()
    return prefix if not name or name == prefix else f"{prefix} — {name}"


def related_codes(dataset: Dataset, code: str) -> set[str]:
    """An area, the areas containing it and the areas it contains: where an action "runs there"."""
    areas = dataset.areas.set_index("code")
    related = {code}
    parent = areas.at[code, "parent_code"] if code in areas.index else ""
    while parent:
        related.add(parent)
        parent = areas.at[parent, "parent_code"] if parent in areas.index else ""
    frontier = {code}
    while frontier:
        children = set(dataset.areas.loc[dataset.areas["parent_code"].isin(frontier), "code"])
        related |= children
        frontier = children
    return related


def actions_in_area(dataset: Dataset, code: str, contract_id: str, axis_id: str | None = None) -> pd.DataFrame:
    """Actions of a contract (optionally of one axis) running in the area, in a part of it, or city-wide.

    Adds a ``citywide`` column: True for actions carried out at the commune level.
    """
    actions = dataset.actions[dataset.actions["contract_id"] == contract_id]
    if axis_id:
        actions = actions[actions["axis_id"] == axis_id]
    links = dataset.action_areas[dataset.action_areas["action_id"].isin(actions["action_id"])]
    hits = links[links["area_code"].isin(related_codes(dataset, code))]
    commune_code = dataset.commune["code"]
    citywide = set(hits.loc[hits["area_code"] == commune_code, "action_id"])
    selected = actions[actions["action_id"].isin(hits["action_id"])].copy()
    selected["citywide"] = selected["action_id"].isin(citywide) & ~selected["action_id"].isin(
        hits.loc[hits["area_code"] != commune_code, "action_id"]
    )
    return selected.reset_index(drop=True)
