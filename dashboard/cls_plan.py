"""The CLS action plan: contracts, their years, the actions a view selects, governance and the view's URL."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode

import pandas as pd

from dashboard import cls, indicators
from dashboard.store import MAP_LEVELS, Dataset

STATUS_LABELS = {"prevue": "Prévue", "en_cours": "En cours", "realisee": "Réalisée", "abandonnee": "Abandonnée"}
KIND_LABELS = {"moyens": "Moyens", "processus": "Processus", "resultat": "Résultat"}
# URL parameter (French, shared with the map page where the meaning is the same) → state key.
PARAMETERS = {"contrat": "contract", "axe": "axis", "periode": "period", "quartier": "area", "indicateur": "need"}


class PlanError(ValueError):
    """A contract, axis, period or area that does not exist; the message is in French."""


def contracts(dataset: Dataset) -> pd.DataFrame:
    """Contracts in the order they were signed, with integer ``start_year`` and ``end_year``."""
    frame = dataset.contracts.copy()
    frame["start_year"] = pd.to_numeric(frame["start_year"]).astype(int)
    frame["end_year"] = pd.to_numeric(frame["end_year"]).astype(int)
    return frame.sort_values("start_year").reset_index(drop=True)


def contract(dataset: Dataset, contract_id: str) -> pd.Series:
    frame = contracts(dataset)
    match = frame[frame["contract_id"] == contract_id]
    if match.empty:
        known = ", ".join(frame["contract_id"])
        raise PlanError(f"Contrat inconnu : « {contract_id} ». Contrats disponibles : {known}.")
    return match.iloc[0]


def contract_years(dataset: Dataset, contract_id: str) -> tuple[int, int]:
    """First and last year of the contract, both included."""
    row = contract(dataset, contract_id)
    return int(row["start_year"]), int(row["end_year"])


def parse_period(dataset: Dataset, contract_id: str, period: str | None) -> tuple[int, int]:
    """``"2024-2026"`` or ``"2025"`` → (first, last) year, checked against the contract's years.

    None or "" means the whole contract.

    >>> from dashboard import store
    >>> parse_period(store.current(), "cls3", "2024-2026")
    (2024, 2026)
    """
    first, last = contract_years(dataset, contract_id)
    if not period:
        return first, last
    match = re.fullmatch(r"(\d{4})(?:-(\d{4}))?", str(period))
    if not match:
        raise PlanError(f"Période mal formée : « {period} » (attendu par exemple 2023-2028 ou 2025).")
    start, end = int(match.group(1)), int(match.group(2) or match.group(1))
    if end < start:
        raise PlanError(f"Période mal formée : « {period} » (l'année de fin précède l'année de début).")
    if start < first or end > last:
        raise PlanError(f"Période « {period} » hors du contrat, qui couvre {first}-{last}.")
    return start, end


def period_text(years: tuple[int, int]) -> str:
    """(2023, 2028) → ``"2023-2028"``; (2025, 2025) → ``"2025"``."""
    return str(years[0]) if years[0] == years[1] else f"{years[0]}-{years[1]}"


def check_axis(dataset: Dataset, contract_id: str, axis_id: str | None) -> None:
    if axis_id and axis_id not in set(cls.axes(dataset, contract_id)["axis_id"]):
        raise PlanError(f"Axe « {axis_id} » inconnu pour ce contrat.")


def check_area(dataset: Dataset, area: str | None) -> None:
    if area and area not in set(dataset.areas["code"]):
        raise PlanError(f"Zone « {area} » inconnue : donner un code de quartier, d'IRIS ou de la commune.")


def select_actions(
    dataset: Dataset,
    contract_id: str,
    axis_id: str | None = None,
    years: tuple[int, int] | None = None,
    area: str | None = None,
) -> pd.DataFrame:
    """Actions of a contract, of one axis, running at some time within ``years`` and running in ``area``.

    An action runs in an area when it targets the area, a part of it, an area containing it, or the whole
    city (``citywide`` column). Years are integers; ``axis_number`` and ``axis_label`` are added.
    """
    check_axis(dataset, contract_id, axis_id)
    check_area(dataset, area)
    actions = dataset.actions[dataset.actions["contract_id"] == contract_id].copy()
    actions["start_year"] = pd.to_numeric(actions["start_year"]).astype(int)
    actions["end_year"] = pd.to_numeric(actions["end_year"]).astype(int)
    if axis_id:
        actions = actions[actions["axis_id"] == axis_id]
    if years is not None:
        actions = actions[(actions["start_year"] <= years[1]) & (actions["end_year"] >= years[0])]
    commune = dataset.commune["code"]
    links = dataset.action_areas
    targeted = set(links.loc[links["area_code"] != commune, "action_id"])
    actions["citywide"] = ~actions["action_id"].isin(targeted)
    if area:
        running = set(cls.actions_in_area(dataset, area, contract_id, axis_id)["action_id"])
        actions = actions[actions["action_id"].isin(running)]
    axes = cls.axes(dataset, contract_id).set_index("axis_id")
    actions["axis_number"] = actions["axis_id"].map(axes["number"]).astype(int)
    actions["axis_label"] = [cls.axis_label(axes.loc[a]) for a in actions["axis_id"]]
    return actions.sort_values(["axis_number", "action_id"]).reset_index(drop=True)


def action_areas(dataset: Dataset, action_ids) -> dict[str, list[str]]:
    """Names of the areas where each action runs (``Toute la ville`` for the commune), in code order."""
    names = dataset.areas.set_index("code")["name"]
    commune = dataset.commune["code"]
    links = dataset.action_areas[dataset.action_areas["action_id"].isin(list(action_ids))]
    result = {action_id: [] for action_id in action_ids}
    for row in links.sort_values("area_code").itertuples(index=False):
        result[row.action_id].append("Toute la ville" if row.area_code == commune else names.get(row.area_code, row.area_code))
    return result


def split_list(text) -> list[str]:
    """``"ARS;CPAM"`` → ``["ARS", "CPAM"]`` (the CSV tables separate list items with ``;``)."""
    return [part.strip() for part in str(text or "").split(";") if part.strip()]


def area_effort(dataset: Dataset, actions: pd.DataFrame, level: str = "quartier") -> pd.DataFrame:
    """Per area of ``level``: the actions of ``actions`` targeted at it (the area, a part of it or an area
    containing it below the commune) and, apart, the number running city-wide.

    Columns: code, name, targeted (number of targeted actions), citywide (same for every area).
    """
    if level not in MAP_LEVELS:
        raise ValueError(f"level must be one of {MAP_LEVELS}, got {level!r}")
    areas = dataset.areas_of(level)[["code", "name"]].copy()
    commune = dataset.commune["code"]
    links = dataset.action_areas[
        dataset.action_areas["action_id"].isin(actions["action_id"]) & (dataset.action_areas["area_code"] != commune)
    ]
    counts = []
    for code in areas["code"]:
        related = cls.related_codes(dataset, code) - {commune}
        counts.append(links.loc[links["area_code"].isin(related), "action_id"].nunique())
    areas["targeted"] = counts
    areas["citywide"] = int(actions["citywide"].sum()) if len(actions) else 0
    return areas.reset_index(drop=True)


def signatories(dataset: Dataset, contract_id: str) -> pd.DataFrame:
    """Signatories of the contract in the order the source lists them (empty when not known)."""
    table = dataset.tables.get("signatories", pd.DataFrame())
    if table.empty:
        return pd.DataFrame(columns=["contract_id", "rank", "signatory", "source"])
    return table[table["contract_id"] == contract_id].sort_values("rank").reset_index(drop=True)


def governance(dataset: Dataset, contract_id: str) -> pd.DataFrame:
    """Governance instances of the contract and their roles (empty when not known)."""
    table = dataset.tables.get("governance", pd.DataFrame())
    if table.empty:
        return pd.DataFrame(columns=["contract_id", "rank", "instance", "role", "source"])
    return table[table["contract_id"] == contract_id].sort_values("rank").reset_index(drop=True)


def timeline(dataset: Dataset, contract_id: str | None = None) -> pd.DataFrame:
    """Dated steps: those of the contract, or every step (the city's history too) when ``contract_id`` is None."""
    table = dataset.tables.get("timeline", pd.DataFrame())
    if table.empty:
        return pd.DataFrame(columns=["contract_id", "date", "end_date", "event", "source"])
    if contract_id is not None:
        table = table[table["contract_id"] == contract_id]
    return table.sort_values(["date", "end_date"]).reset_index(drop=True)


MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre"]


def date_text(date: str) -> str:
    """``2012-07-12`` → ``12 juillet 2012``; ``2011-09`` → ``septembre 2011``; ``1991`` → ``1991``."""
    parts = str(date).split("-")
    if len(parts) == 1:
        return parts[0]
    month = MONTHS[int(parts[1]) - 1]
    if len(parts) == 2:
        return f"{month} {parts[0]}"
    day = int(parts[2])
    return f"{'1er' if day == 1 else day} {month} {parts[0]}"


def need_indicators(dataset: Dataset, axis_id: str | None) -> list[indicators.Indicator]:
    """Indicators a need can be measured with: those of the axis, or all of them."""
    return indicators.for_axis(dataset, axis_id) or indicators.catalogue(dataset)


def default_state(dataset: Dataset) -> dict:
    current = cls.current_contract(dataset)["contract_id"]
    return {"contract": current, "axis": None, "period": period_text(contract_years(dataset, current)),
            "area": None, "need": need_indicators(dataset, None)[0].id}


def parse_state(dataset: Dataset, search: str | None) -> dict:
    """The page's state from a query string; a bad value falls back to its default (a link must always open)."""
    state = default_state(dataset)
    query = parse_qs((search or "").lstrip("?"))
    raw = {key: query[param][0] for param, key in PARAMETERS.items() if query.get(param)}
    if raw.get("contract") in set(dataset.contracts["contract_id"]):
        state["contract"] = raw["contract"]
    state["period"] = period_text(contract_years(dataset, state["contract"]))
    if raw.get("axis") in set(cls.axes(dataset, state["contract"])["axis_id"]):
        state["axis"] = raw["axis"]
    try:
        state["period"] = period_text(parse_period(dataset, state["contract"], raw.get("period")))
    except PlanError:
        pass
    map_codes = set(dataset.areas.loc[dataset.areas["level"].isin(MAP_LEVELS), "code"])
    state["area"] = raw.get("area") if raw.get("area") in map_codes else None
    needs = [i.id for i in need_indicators(dataset, state["axis"])]
    state["need"] = raw["need"] if raw.get("need") in needs else needs[0]
    return state


def build_query(state: dict) -> str:
    """Query string (with its ``?``) for a state; empty values are left out."""
    pairs = [(param, state.get(key)) for param, key in PARAMETERS.items() if state.get(key)]
    return "?" + urlencode(pairs) if pairs else ""
