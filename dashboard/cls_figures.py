"""Figure data (plain plotly dicts) of the CLS action plan: timeline of actions, map of where they run."""

from __future__ import annotations

import pandas as pd

from dashboard import geometry
from dashboard.cls_plan import STATUS_LABELS
from dashboard.figures import MAP_FONT, apply_updates, map_style
from dashboard.store import Dataset

# Okabe–Ito colours (colour-blind safe); the status is also written in the hover text and the cards.
STATUS_COLOURS = {"prevue": "#56B4E9", "en_cours": "#E69F00", "realisee": "#009E73", "abandonnee": "#999999"}
EFFORT_COLOURS = [[0.0, "#f7f7f7"], [0.25, "#d9f0d3"], [0.5, "#a6dba0"], [0.75, "#5aae61"], [1.0, "#1b7837"]]
MAP_TRACE, LABEL_TRACE = 0, 1
SELECTED_LINE, DEFAULT_LINE = 4.0, 0.7
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"


def _short(text: str, size: int = 48) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def timeline_figure(actions: pd.DataFrame, contract_years: tuple[int, int], years: tuple[int, int]) -> dict:
    """One horizontal bar per action from its first to its last year, coloured by status.

    The contract's years frame the x axis; the selected period is shaded.
    """
    ordered = actions.iloc[::-1]  # plotly draws the first category at the bottom: keep the list's order top-down
    traces = []
    for status, label in STATUS_LABELS.items():
        rows = ordered[ordered["status"] == status]
        traces.append({
            "type": "bar",
            "orientation": "h",
            "name": label,
            "y": [_short(t) for t in rows["title"]],
            "base": [int(s) for s in rows["start_year"]],
            "x": [int(e) - int(s) + 1 for s, e in zip(rows["start_year"], rows["end_year"])],
            "marker": {"color": STATUS_COLOURS[status], "line": {"color": "#333333", "width": 0.5}},
            "customdata": [[t, f"{s}–{e}", label] for t, s, e in zip(rows["title"], rows["start_year"],
                                                                       rows["end_year"])],
            "hovertemplate": "<b>%{customdata[0]}</b><br>%{customdata[1]} · %{customdata[2]}<extra></extra>",
            "showlegend": len(rows) > 0,
        })
    first, last = contract_years
    return {
        "data": traces,
        "layout": {
            "barmode": "overlay",
            "height": max(220, 30 * len(actions) + 110),
            "margin": {"l": 10, "r": 10, "t": 10, "b": 40},
            "xaxis": {"range": [first - 0.1, last + 1.1], "dtick": 1, "tick0": first, "gridcolor": "#e5e5e5",
                      "title": {"text": "Années (une barre couvre l'année de début à l'année de fin)"}},
            "yaxis": {"automargin": True, "categoryorder": "array",
                      "categoryarray": [_short(t) for t in ordered["title"]]},
            "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
            "plot_bgcolor": "#ffffff",
            "font": {"family": FONT},
            "shapes": [{
                "type": "rect", "xref": "x", "yref": "paper", "x0": years[0], "x1": years[1] + 1, "y0": 0, "y1": 1,
                "fillcolor": "#0d6efd", "opacity": 0.08, "line": {"width": 0}, "layer": "below",
            }],
        },
    }


def effort_updates(dataset: Dataset, effort: pd.DataFrame, selected: str | None, title: str) -> dict:
    """What a filter change alters on the actions map, as {path: value} (never the geometry)."""
    top = max(1, int(effort["targeted"].max()) if len(effort) else 1)
    points = geometry.label_points(dataset, "quartier").set_index("code")
    return {
        ("data", MAP_TRACE, "locations"): effort["code"].tolist(),
        ("data", MAP_TRACE, "z"): [int(v) for v in effort["targeted"]],
        ("data", MAP_TRACE, "zmax"): top,
        ("data", MAP_TRACE, "customdata"): [[n, int(v)] for n, v in zip(effort["name"], effort["targeted"])],
        ("data", MAP_TRACE, "marker", "line", "width"): [
            SELECTED_LINE if code == selected else DEFAULT_LINE for code in effort["code"]
        ],
        ("data", MAP_TRACE, "colorbar", "tickvals"): list(range(0, top + 1)),
        ("data", LABEL_TRACE, "lon"): [float(points.at[c, "lon"]) for c in effort["code"]],
        ("data", LABEL_TRACE, "lat"): [float(points.at[c, "lat"]) for c in effort["code"]],
        ("data", LABEL_TRACE, "text"): [f"{n} ({int(v)})" for n, v in zip(effort["name"], effort["targeted"])],
        ("data", LABEL_TRACE, "customdata"): effort["code"].tolist(),  # a click on a label selects its quartier
        ("layout", "title", "text"): title,
    }


def effort_map(dataset: Dataset, effort: pd.DataFrame, selected: str | None, title: str, glyphs_url: str,
               tiles_url: str = "", tiles_attribution: str = "") -> dict:
    """Quartiers coloured by the number of selected actions targeted at them (geometry sent once)."""
    notes = [dataset.source_label] + (["géométrie schématique"] if dataset.schematic_geometry else [])
    figure = {
        "data": [
            {
                "type": "choroplethmap",
                "geojson": geometry.feature_collection(dataset, ("quartier",)),
                "featureidkey": "id",
                "zmin": 0,
                "colorscale": EFFORT_COLOURS,
                "marker": {"opacity": 0.9, "line": {"color": "#1a1a1a"}},
                "colorbar": {"title": {"text": "actions ciblées", "side": "right"}, "thickness": 14, "len": 0.8,
                             "outlinewidth": 0, "ticks": "outside"},
                "hovertemplate": "<b>%{customdata[0]}</b><br>%{customdata[1]} action(s) ciblée(s)<extra></extra>",
                "name": "",
            },
            {
                "type": "scattermap",
                "mode": "text",
                "textfont": {"family": MAP_FONT, "size": 11, "color": "#111111"},
                "hoverinfo": "skip",
                "showlegend": False,
            },
        ],
        "layout": {
            "map": {"style": map_style(glyphs_url, tiles_url, tiles_attribution), "zoom": 8, **geometry.view(dataset)},
            "margin": {"l": 0, "r": 0, "t": 40, "b": 24},
            "title": {"x": 0.01, "font": {"size": 15}},
            "uirevision": "actions-map",
            "font": {"family": FONT},
            "annotations": [{
                "text": " · ".join(notes), "xref": "paper", "yref": "paper", "x": 0.0, "y": 0.0,
                "xanchor": "left", "yanchor": "top", "yshift": -4, "showarrow": False,
                "font": {"size": 11, "color": "#444444"},
            }],
        },
    }
    return apply_updates(figure, effort_updates(dataset, effort, selected, title))
