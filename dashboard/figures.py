"""Figure data as plain dicts (plotly's JSON schema): the map, its value updates, ranking and trend charts."""

from __future__ import annotations

import math

import numpy as np

from dashboard import geometry, indicators, legend
from dashboard.formatting import (
    LEVEL_LABELS_PLURAL,
    SMOOTHING_LABELS,
    SUPPRESSION_LABELS,
    confidence,
    interval,
    number,
    shown_value,
)
from dashboard.store import Dataset

MAP_FONT = "Open Sans Regular"  # glyphs served from assets/glyphs/ (see tools/build_glyphs.py)
MAP_TRACE, LABEL_TRACE = 0, 1
COMPARISON_COLOURS = {  # marker colours of the ranking chart; the symbol carries the same meaning
    "higher": "#b2182b",
    "lower": "#2166ac",
    "similar": "#636363",
    None: "#bdbdbd",
}
COMPARISON_MARKERS = {"higher": "triangle-up", "lower": "triangle-down", "similar": "circle", None: "circle-open"}
SELECTED_LINE, DEFAULT_LINE = 4.0, 0.7


def _clean(values) -> list:
    """Floats for JSON: NaN → None."""
    return [None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v) for v in values]


def map_style(glyphs_url: str, tiles_url: str = "", tiles_attribution: str = "") -> dict:
    """A MapLibre style with a white background, our own glyphs and, if configured, a raster tile layer."""
    style = {
        "version": 8,
        # Plotly drops an empty dict when it re-applies the style on update, and MapLibre then rejects a style
        # without "sources": an empty GeoJSON source keeps the key present.
        "sources": {"empty": {"type": "geojson", "data": {"type": "FeatureCollection", "features": []}}},
        "layers": [{"id": "background", "type": "background", "paint": {"background-color": "#ffffff"}}],
        "glyphs": glyphs_url,
    }
    if tiles_url:
        style["sources"]["tiles"] = {
            "type": "raster",
            "tiles": [tiles_url],
            "tileSize": 256,
            "attribution": tiles_attribution,
        }
        style["layers"].append({"id": "tiles", "type": "raster", "source": "tiles"})
    return style


def classes_for(dataset: Dataset, indicator_id: str, level: str, reference: str = "commune") -> legend.Classes:
    """The map classes of an indicator at a level, the same for every period."""
    indicator = indicators.get(dataset, indicator_id)
    if indicator.method.kind == "icm":
        return legend.icm_classes()
    values = []
    for period in indicator.periods:
        values.extend(indicators.compute(dataset, indicator_id, period, level, reference).table["value"])
    return legend.quantile_classes(values, indicator.polarity, indicator.method.decimals)


COMPARISON_HOVER = {
    "better": "meilleur",
    "worse": "moins bon",
    "similar": "comparable",
    "higher": "plus élevé",
    "lower": "plus bas",
    None: "non calculable",
}
UPDATE_PARTS = ("values", "level", "selection")


def changed_parts(drawn: dict | None, state: dict) -> list[str]:
    """Which parts of the map a state change alters, given the state the map was drawn in.

    >>> changed_parts({"indicator": "icm", "period": "2018-2023", "level": "quartier", "area": None},
    ...               {"indicator": "icm", "period": "2018-2023", "level": "quartier", "area": "6822409"})
    ['selection']
    """
    if not drawn or drawn.get("level") != state.get("level"):
        return list(UPDATE_PARTS)
    parts = []
    if any(drawn.get(key) != state.get(key) for key in ("indicator", "period", "reference", "conf", "smoothing")):
        parts.append("values")
    if drawn.get("area") != state.get("area"):
        parts.append("selection")
    return parts


def _hover_rows(result: indicators.Result) -> list:
    """Per area: value (or why it is hidden), interval, comparison in a word (names travel once, as hovertext)."""
    decimals = result.indicator.method.decimals
    unit = result.indicator.unit
    rows = []
    for row in result.table.itertuples(index=False):
        if row.suppressed in SUPPRESSION_LABELS:
            rows.append([f"{SUPPRESSION_LABELS[row.suppressed]} (secret statistique)", "non publié", "non publiée"])
            continue
        value = f"{number(row.value, decimals)} {unit}"
        if result.smoothing:
            value = f"{number(row.smoothed, decimals)} {unit} lissé (brut : {number(row.value, decimals)})"
        rows.append([value, interval(row.lower, row.upper, decimals), COMPARISON_HOVER[row.comparison]])
    return rows


def _rounded(values, decimals: int) -> list:
    """Values rounded two digits finer than displayed: colours stay exact, the response stays small."""
    return _clean(np.round(np.asarray(values, dtype=float), decimals + 2))


def _labels(dataset: Dataset, result: indicators.Result, selected: str | None) -> list:
    """Map label per area: its name (quartiers, or the selected IRIS) and ▲/▼ when it differs significantly."""
    names = geometry.label_points(dataset, result.level).set_index("code")["name"]
    texts = []
    for row in result.table.itertuples(index=False):
        mark = legend.symbol(legend.direction(row.comparison, result.indicator.polarity))
        name = names.get(row.code, "") if (result.level == "quartier" or row.code == selected) else ""
        texts.append("\n".join(part for part in (name, mark) if part))
    return texts


def _title(result: indicators.Result) -> str:
    return f"{result.indicator.label} — {result.period} — par {LEVEL_LABELS_PLURAL[result.level]}"


def _notes(dataset: Dataset, result: indicators.Result) -> str:
    """The line under the map: where the data come from, the geometry, and smoothing when it is on."""
    notes = [dataset.source_label]
    if dataset.schematic_geometry:
        notes.append("géométrie schématique")
    if result.smoothing:
        notes.append(SMOOTHING_LABELS[result.smoothing])
    return " · ".join(notes)


HIDDEN_BAND = 0.08  # share of the colour bar given to the grey "secret statistique" band, below the classes


def hidden_z(classes: legend.Classes) -> float:
    """The colour bar position drawing an area hidden by the secret statistique: the middle of a grey band
    below the first class. A marker, never a value: it lets such areas keep their outline, hover and click."""
    span = classes.breaks[-1] - classes.breaks[0]
    return classes.breaks[0] - span * HIDDEN_BAND / 2


def map_values(result: indicators.Result, classes: legend.Classes) -> list:
    """What the map colours: the smoothed estimates when smoothing is on, else the values.

    Areas hidden by the secret statistique get :func:`hidden_z`; areas without a value are null (not drawn, the
    commune's grey shows through).
    """
    column = "smoothed" if result.smoothing else "value"
    # Colours only: values beyond the classes take the end colours (their own value is in the hover), and never
    # fall into the grey band of hidden areas.
    values = np.clip(np.asarray(result.table[column], dtype=float), classes.breaks[0], classes.breaks[-1])
    values = _rounded(values, result.indicator.method.decimals)
    marker = hidden_z(classes)
    return [marker if hidden is not None else v for v, hidden in zip(values, result.table["suppressed"])]


def _colour_bar(classes: legend.Classes, decimals: int, any_hidden: bool) -> dict:
    """zmin, colour scale, ticks: the classes, and below them a grey band for hidden areas when there are some."""
    scale = legend.colourscale(classes)
    ticks = list(classes.breaks)
    labels = [number(b, decimals) for b in classes.breaks]
    zmin = classes.breaks[0]
    if any_hidden:
        zmin = classes.breaks[0] - (classes.breaks[-1] - classes.breaks[0]) * HIDDEN_BAND
        share = HIDDEN_BAND / (1 + HIDDEN_BAND)
        scale = [[0.0, legend.NO_DATA_COLOUR], [round(share, 6), legend.NO_DATA_COLOUR]] + [
            [round(share + position * (1 - share), 6), colour] for position, colour in scale
        ]
        ticks = [hidden_z(classes)] + ticks
        labels = ["secret"] + labels
    return {"zmin": zmin, "colorscale": scale, "tickvals": ticks, "ticktext": labels}


def map_updates(
    dataset: Dataset,
    result: indicators.Result,
    classes: legend.Classes,
    selected=None,
    parts=UPDATE_PARTS,
) -> dict:
    """What a filter change alters on the map, as {path: value}; never geometry.

    ``parts`` says what changed: "values" (indicator, period, options), "level" (which areas are drawn, their
    names and label points) and "selection" (the outlined area). Paths are tuples into the figure dict, e.g.
    ``("data", 0, "z")``; the callback applies them to a Patch.
    """
    unknown = set(parts) - set(UPDATE_PARTS)
    if unknown:
        raise ValueError(f"parts must be among {UPDATE_PARTS}, got {sorted(unknown)}")
    indicator = result.indicator
    codes = result.table["code"].tolist()
    updates = {}
    if "level" in parts:
        points = geometry.label_points(dataset, result.level).set_index("code").reindex(codes)
        updates.update({
            ("data", MAP_TRACE, "locations"): codes,
            ("data", MAP_TRACE, "hovertext"): result.table["name"].tolist(),
            ("data", LABEL_TRACE, "lon"): points["lon"].tolist(),
            ("data", LABEL_TRACE, "lat"): points["lat"].tolist(),
        })
    if "selection" in parts or "level" in parts:
        updates[("data", MAP_TRACE, "marker", "line", "width")] = [
            SELECTED_LINE if code == selected else DEFAULT_LINE for code in codes
        ]
    if "values" in parts:
        unit = indicator.unit
        bar = _colour_bar(classes, indicator.method.decimals, bool(result.table["suppressed"].notna().any()))
        updates.update({
            ("data", MAP_TRACE, "z"): map_values(result, classes),
            ("data", MAP_TRACE, "customdata"): _hover_rows(result),
            ("data", MAP_TRACE, "zmin"): bar["zmin"],
            ("data", MAP_TRACE, "zmax"): classes.breaks[-1],
            ("data", MAP_TRACE, "colorscale"): bar["colorscale"],
            ("data", MAP_TRACE, "colorbar", "tickvals"): bar["tickvals"],
            ("data", MAP_TRACE, "colorbar", "ticktext"): bar["ticktext"],
            ("data", MAP_TRACE, "colorbar", "title", "text"): unit + (" (lissé)" if result.smoothing else ""),
            ("data", MAP_TRACE, "hovertemplate"): (
                f"<b>%{{hovertext}}</b><br>%{{customdata[0]}}<br>IC à {confidence(result.conf)} : "
                "%{customdata[1]}<br>Par rapport à la commune : %{customdata[2]}<extra></extra>"
            ),
            ("layout", "title", "text"): _title(result),
            ("layout", "annotations", 0, "text"): _notes(dataset, result),
        })
    if parts:
        updates[("data", LABEL_TRACE, "text")] = _labels(dataset, result, selected)
    return updates


def apply_updates(figure: dict, updates: dict) -> dict:
    """Write ``updates`` into a figure dict in place (the pure twin of applying them to a dash Patch)."""
    for path, value in updates.items():
        node = figure
        for key in path[:-1]:
            node = node[key] if isinstance(node, list) else node.setdefault(key, {})
        node[path[-1]] = value
    return figure


def map_figure(
    dataset: Dataset,
    result: indicators.Result,
    classes: legend.Classes,
    selected: str | None = None,
    glyphs_url: str = "/assets/glyphs/{fontstack}/{range}.pbf",
    tiles_url: str = "",
    tiles_attribution: str = "",
) -> dict:
    """The whole map: geometry of every level (sent once) and the values of ``result``."""
    figure = {
        "data": [
            {
                "type": "choroplethmap",
                "geojson": geometry.feature_collection(dataset),
                "featureidkey": "id",
                "marker": {"opacity": 0.88, "line": {"color": "#1a1a1a"}},
                "colorbar": {
                    "title": {"side": "right"},
                    "thickness": 14,
                    "len": 0.8,
                    "outlinewidth": 0,
                    "ticks": "outside",
                },
                "showscale": True,
                "name": "",
            },
            {
                "type": "scattermap",
                "mode": "text",
                "textfont": {"family": MAP_FONT, "size": 12, "color": "#111111"},
                "hoverinfo": "skip",
                "showlegend": False,
            },
        ],
        "layout": {
            "map": {
                "style": map_style(glyphs_url, tiles_url, tiles_attribution),
                # A zoom below what the panning limits allow: MapLibre raises it until the commune fills the frame.
                "zoom": 8,
                **geometry.view(dataset),
            },
            "margin": {"l": 0, "r": 0, "t": 40, "b": 24},
            "title": {"x": 0.01, "font": {"size": 15}},
            "modebar": {"orientation": "v"},
            "uirevision": "map",
            "font": {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"},
            "annotations": [
                {
                    "text": _notes(dataset, result),
                    "xref": "paper",
                    "yref": "paper",
                    "x": 0.0,
                    "y": 0.0,
                    "xanchor": "left",
                    "yanchor": "top",
                    "yshift": -4,
                    "showarrow": False,
                    "font": {"size": 11, "color": "#444444"},
                }
            ],
        },
    }
    # Areas without a value (none computable) are not drawn: the commune's grey shows through, as the legend says.
    style = figure["layout"]["map"]["style"]
    style["sources"]["commune"] = {"type": "geojson", "data": geometry.feature_collection(dataset, ("commune",))}
    style["layers"].append({
        "id": "no-value",
        "type": "fill",
        "source": "commune",
        "paint": {"fill-color": legend.NO_DATA_COLOUR, "fill-opacity": 0.7 if tiles_url else 1.0},
    })
    return apply_updates(figure, map_updates(dataset, result, classes, selected))


def ranking_figure(result: indicators.Result, selected: str | None = None) -> dict:
    """Areas sorted by value with their CI as error bars and the commune value as a vertical line."""
    indicator = result.indicator
    table = result.table.sort_values("value", na_position="first")
    decimals = indicator.method.decimals
    directions = [legend.direction(c, indicator.polarity) for c in table["comparison"]]
    value = np.asarray(table["value"], dtype=float)
    names = [f"<b>{n}</b>" if c == selected else n for n, c in zip(table["name"], table["code"])]
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "markers",
                "x": _clean(value),
                "y": names,
                "customdata": [[c] for c in table["code"]],
                "error_x": {
                    "type": "data",
                    "symmetric": False,
                    "array": _clean(np.asarray(table["upper"], dtype=float) - value),
                    "arrayminus": _clean(value - np.asarray(table["lower"], dtype=float)),
                    "color": "#555555",
                    "thickness": 1.2,
                    "width": 3,
                },
                "marker": {
                    "size": 10,
                    "color": [COMPARISON_COLOURS[d] for d in directions],
                    "symbol": [COMPARISON_MARKERS[d] for d in directions],
                    "line": {"width": 1, "color": "#222222"},
                },
                "text": [
                    f"{shown_value(v, hidden, decimals)} {interval(lo, up, decimals) if hidden is None else ''}"
                    for v, lo, up, hidden in zip(table["value"], table["lower"], table["upper"], table["suppressed"])
                ],
                "hovertemplate": "%{y} : %{text}<extra></extra>",
            }
        ],
        "layout": {
            "height": max(260, 24 * len(table) + 90),
            "margin": {"l": 10, "r": 20, "t": 30, "b": 40},
            "xaxis": {"title": {"text": indicator.unit}, "zeroline": False, "gridcolor": "#e5e5e5"},
            "yaxis": {"automargin": True, "tickfont": {"size": 12}},
            "plot_bgcolor": "#ffffff",
            "shapes": [
                {
                    "type": "line",
                    "xref": "x",
                    "yref": "paper",
                    "x0": result.commune["value"],
                    "x1": result.commune["value"],
                    "y0": 0,
                    "y1": 1,
                    "line": {"color": "#000000", "width": 1.5, "dash": "dash"},
                }
            ],
            "annotations": [
                {
                    "text": f"Commune : {number(result.commune['value'], decimals)}",
                    "xref": "x",
                    "yref": "paper",
                    "x": result.commune["value"],
                    "y": 1,
                    "yanchor": "bottom",
                    "showarrow": False,
                    "font": {"size": 12},
                }
            ],
            "showlegend": False,
        },
    }


def series_figure(rows: list[dict], indicator: indicators.Indicator) -> dict:
    """The area's value per period with its CI, beside the commune's (small chart of the side panel)."""
    periods = [r["period"] for r in rows]
    values = np.asarray([r["value"] for r in rows], dtype=float)
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": "Zone",
                "x": periods,
                "y": _clean(values),
                "error_y": {
                    "type": "data",
                    "symmetric": False,
                    "array": _clean(np.asarray([r["upper"] for r in rows]) - values),
                    "arrayminus": _clean(values - np.asarray([r["lower"] for r in rows])),
                },
                "line": {"color": "#08519c"},
            },
            {
                "type": "scatter",
                "mode": "lines",
                "name": "Commune",
                "x": periods,
                "y": _clean([r["commune"] for r in rows]),
                "line": {"color": "#000000", "dash": "dash"},
            },
        ],
        "layout": {
            "height": 180,
            "margin": {"l": 40, "r": 10, "t": 10, "b": 30},
            "xaxis": {"type": "category"},
            "yaxis": {"title": {"text": ""}, "gridcolor": "#e5e5e5"},
            "plot_bgcolor": "#ffffff",
            "legend": {"orientation": "h", "y": -0.3},
        },
    }
