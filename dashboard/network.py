"""The French Healthy Cities network's published surveys on CLS (2011, 2012): tables and bar charts.

These are real published figures (data/network_*.csv), not demo values.
"""

from __future__ import annotations

import pandas as pd

from dashboard.store import Dataset

SOURCE_2011 = ("Réseau Français des Villes-Santé de l'OMS, « Étude sur la mise en place des Contrats Locaux de "
               "Santé », septembre-octobre 2011 (36 villes et EPCI répondants)")
SOURCE_2012 = ("Réseau Français des Villes-Santé de l'OMS, « Les Contrats Locaux de Santé, le point de vue des "
               "villes » (M. Delaplanque, Nancy VilleSanté) : enquête de mai-juin 2012")
STATUS_LABELS = {"oui": "CLS signé", "en_cours": "Projet en cours", "non": "Pas de CLS"}
STATUS_COLUMNS = {"signed": "oui", "in_progress": "en_cours", "no": "non"}
STATUS_COLOURS = {"oui": "#009E73", "en_cours": "#E69F00", "non": "#999999"}  # Okabe–Ito
HIGHLIGHT = "#0072B2"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"


def table(dataset: Dataset, name: str) -> pd.DataFrame:
    """One of the network tables (``cities``, ``breakdown``, ``reasons``, ``answers``); empty when absent."""
    return dataset.tables.get(f"network_{name}", pd.DataFrame())


def status_counts(dataset: Dataset) -> dict[str, int]:
    """Number of responding cities per status in 2011 (from the city table)."""
    cities = table(dataset, "cities")
    return {status: int((cities["status"] == status).sum()) for status in STATUS_LABELS}


def breakdown(dataset: Dataset, kind: str) -> pd.DataFrame:
    """The 2011 answers by ``size`` band or by ``region``, as published (group, signed, in_progress, no, total)."""
    if kind not in ("size", "region"):
        raise ValueError(f"kind must be 'size' or 'region', got {kind!r}")
    frame = table(dataset, "breakdown")
    rows = frame[frame["breakdown"] == kind][["group", *STATUS_COLUMNS]].copy()
    rows["total"] = rows[list(STATUS_COLUMNS)].sum(axis=1)
    return rows.reset_index(drop=True)


def reasons(dataset: Dataset) -> pd.DataFrame:
    """Why a CLS (2012): reason and number of cities, most cited first."""
    return table(dataset, "reasons").sort_values("cities", ascending=False, kind="stable").reset_index(drop=True)


def answers(dataset: Dataset) -> pd.DataFrame:
    """Key answers of 2012 (measure, label, count, out_of) with ``out_of`` as a number or NaN."""
    frame = table(dataset, "answers").copy()
    frame["count"] = pd.to_numeric(frame["count"]).astype(int)
    frame["out_of"] = pd.to_numeric(frame["out_of"].replace("", None), errors="coerce")
    return frame


def breakdown_figure(rows: pd.DataFrame, highlight: str | None, title: str) -> dict:
    """Stacked horizontal bars of answers per group; the highlighted group's label is bold and marked ◆."""
    labels = [f"<b>◆ {g}</b>" if g == highlight else g for g in rows["group"]]
    traces = [
        {
            "type": "bar", "orientation": "h", "name": STATUS_LABELS[status], "y": labels,
            "x": [int(v) for v in rows[column]], "marker": {"color": STATUS_COLOURS[status]},
            "hovertemplate": f"%{{y}} : %{{x}} ({STATUS_LABELS[status].lower()})<extra></extra>",
        }
        for column, status in STATUS_COLUMNS.items()
    ]
    return {
        "data": traces,
        "layout": {
            "barmode": "stack", "height": max(240, 24 * len(rows) + 130),
            "margin": {"l": 10, "r": 10, "t": 60, "b": 30},
            "title": {"text": f"{title} — nombre de villes et EPCI répondants", "font": {"size": 14}, "x": 0.01},
            "xaxis": {"dtick": 2, "gridcolor": "#e5e5e5"},
            "yaxis": {"automargin": True, "autorange": "reversed"},
            "legend": {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "traceorder": "normal"},
            "plot_bgcolor": "#ffffff", "font": {"family": FONT},
        },
    }


def reasons_figure(rows: pd.DataFrame) -> dict:
    """Why a CLS: one bar per reason (number of cities citing it)."""
    return {
        "data": [{
            "type": "bar", "orientation": "h", "y": rows["reason"].tolist(), "x": [int(v) for v in rows["cities"]],
            "text": [str(int(v)) for v in rows["cities"]], "textposition": "outside",
            "marker": {"color": HIGHLIGHT}, "hovertemplate": "%{y} : %{x} villes<extra></extra>",
        }],
        "layout": {
            "height": 320, "margin": {"l": 10, "r": 30, "t": 10, "b": 40},
            "xaxis": {"title": {"text": "villes citant ce motif"}, "gridcolor": "#e5e5e5"},
            "yaxis": {"automargin": True, "autorange": "reversed"},
            "plot_bgcolor": "#ffffff", "font": {"family": FONT}, "showlegend": False,
        },
    }
