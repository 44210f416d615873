"""Portrait of one area ("Portrait de quartier"): every indicator against the commune, and its spine chart.

The spine chart follows Public Health England's Fingertips profiles: one row per indicator, the commune value as
the centre line, the range of the areas of the same level as a grey bar (the darker part holds the middle half of
the areas), and the area's value as a marker with its confidence interval. Each row is scaled on its own so that
the commune sits in the middle and the farthest area touches an edge; the favourable side is on the right.
"""

from __future__ import annotations

import math
import textwrap

import numpy as np

from dashboard import disclosure, indicators, legend
from dashboard.formatting import COMPARISON_LABELS, COMPARISON_SHORT, confidence, interval, number
from dashboard.store import Dataset

SPINE_ROW_HEIGHT = 46  # px per indicator row
SPINE_MARGINS = {"l": 10, "r": 84, "t": 34, "b": 46}
RANGE_COLOUR, MIDDLE_COLOUR, COMMUNE_COLOUR = "#d9d9d9", "#969696", "#000000"
# Marker fill by comparison (ColorBrewer RdBu / PRGn ends, colour-blind safe); the marker's shape and the word
# written beside each row carry the same meaning, so nothing relies on colour alone.
SPINE_COLOURS = {
    "better": "#2166ac",
    "worse": "#b2182b",
    "similar": "#ffffff",
    "higher": "#762a83",
    "lower": "#c2a5cf",
}
SPINE_SYMBOLS = {"higher": "triangle-up", "lower": "triangle-down", "similar": "circle"}
SUPPRESSED_TEXT = {disclosure.SMALL: "effectif insuffisant", disclosure.SECONDARY: "secret statistique"}
POLARITY_TEXT = {
    "lower_is_better": "une valeur basse est favorable",
    "higher_is_better": "une valeur élevée est favorable",
    "neutral": "ni une valeur haute ni une valeur basse n'est favorable en soi",
}


def _finite(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def area_at_level(dataset: Dataset, code: str | None, level: str) -> str | None:
    """The area to show when switching to ``level``: an IRIS's quartier, a quartier's first IRIS (by code).

    None when ``code`` is None or unknown.
    """
    areas = dataset.areas
    match = areas[areas["code"] == code]
    if match.empty:
        return None
    own_level = match["level"].iloc[0]
    if own_level == level:
        return code
    if own_level == "iris" and level == "quartier":
        return match["parent_code"].iloc[0]
    children = areas[(areas["parent_code"] == code) & (areas["level"] == level)].sort_values("code")
    return children["code"].iloc[0] if not children.empty else None


def rows(dataset: Dataset, code: str, level: str, conf: float = 0.95) -> list[dict]:
    """One row per indicator of the catalogue: the area's latest value against the commune and the other areas.

    Keys: ``id``, ``label``, ``short_label``, ``unit``, ``polarity``, ``decimals``, ``period``, ``value``,
    ``lower``, ``upper`` (the area), ``commune``, ``low``, ``q1``, ``q3``, ``high`` (minimum, quartiles and
    maximum of the areas of ``level``), ``comparison`` (better/worse/similar/higher/lower/None), ``direction``
    (higher/lower/similar/None), ``suppressed`` (None, or why disclosure control hides the area's value),
    ``trend`` (a French marker, or None when not tested or withheld), ``trend_suppressed``, ``n_periods``,
    ``n_areas`` (areas with a published value). Missing and hidden values are NaN: every number comes from
    ``indicators.compute`` with its disclosure control (public values).
    """
    known = set(dataset.areas_of(level)["code"])
    if code not in known:
        raise indicators.IndicatorError(f"Zone inconnue au niveau {level} : « {code} ».")
    result_rows = []
    for indicator in indicators.catalogue(dataset):
        period = indicator.periods[-1]
        result = indicators.compute(dataset, indicator.id, period, level, conf=conf)
        table = result.table.set_index("code")
        values = table["value"].to_numpy(dtype=float)
        finite = values[np.isfinite(values)]
        low, q1, q3, high = (
            np.quantile(finite, [0.0, 0.25, 0.75, 1.0]) if finite.size else (math.nan,) * 4
        )
        comparison = table.at[code, "comparison"]
        trend = indicators.trends(dataset, indicator.id, level, conf).set_index("code").loc[code]
        result_rows.append(
            {
                "id": indicator.id,
                "label": indicator.label,
                "short_label": indicator.short_label,
                "unit": indicator.unit,
                "polarity": indicator.polarity,
                "decimals": indicator.method.decimals,
                "period": period,
                "value": float(table.at[code, "value"]),
                "lower": float(table.at[code, "lower"]),
                "upper": float(table.at[code, "upper"]),
                "commune": float(result.commune["value"]),
                "low": float(low),
                "q1": float(q1),
                "q3": float(q3),
                "high": float(high),
                "comparison": comparison,
                "direction": legend.direction(comparison, indicator.polarity),
                "suppressed": table.at[code, "suppressed"],
                "trend": trend["marker"],
                "trend_suppressed": bool(trend["suppressed"]),
                "n_periods": len(indicator.periods),
                "n_areas": int(finite.size),
            }
        )
    return result_rows


def value_note(row: dict) -> str | None:
    """Why the area has no value: "effectif insuffisant", "secret statistique", "pas de valeur"; None if it has one."""
    if row["suppressed"] is not None:
        return SUPPRESSED_TEXT[row["suppressed"]]
    return None if _finite(row["value"]) else "pas de valeur"


def trend_text(row: dict) -> str:
    """The trend marker, or why there is none."""
    if row["trend"] is not None:
        return row["trend"]
    if row["trend_suppressed"]:
        return "non publiée (secret statistique)"
    if row["n_periods"] < indicators.TREND_MIN_PERIODS:
        return f"non testée (moins de {indicators.TREND_MIN_PERIODS} périodes)"
    return "non calculable"


def comparison_text(row: dict) -> str:
    """The comparison in words, e.g. "Significativement moins bon que la commune" (the polarity says which way)."""
    if row["comparison"] is None:
        note = value_note(row)
        return f"Comparaison impossible ({note})" if note else "Comparaison impossible"
    return COMPARISON_LABELS[row["comparison"]]


def polarity_text(row: dict) -> str:
    """Which way is favourable, in words: "une valeur basse est favorable"."""
    return POLARITY_TEXT[row["polarity"]]


def position(value, row: dict) -> float:
    """Where ``value`` sits on the row's spine, from 0 (left edge) to 1 (right edge); 0.5 is the commune.

    The scale is symmetric around the commune and reaches the edge at the area farthest from it; the favourable
    side is on the right (for a neutral indicator, the higher values). NaN when there is nothing to scale.

    >>> row = {"commune": 100.0, "low": 80.0, "high": 140.0, "polarity": "lower_is_better"}
    >>> position(140.0, row), position(100.0, row), position(80.0, row)
    (0.0, 0.5, 0.75)
    """
    commune, low, high = row["commune"], row["low"], row["high"]
    if not all(_finite(v) for v in (value, commune, low, high)):
        return math.nan
    half = max(commune - low, high - commune)
    if half <= 0:
        return 0.5
    offset = (value - commune) / (2 * half)
    return 0.5 - offset if row["polarity"] == "lower_is_better" else 0.5 + offset


def _clean(values) -> list:
    return [None if not _finite(v) else float(v) for v in values]


def spine_height(n_rows: int) -> int:
    """Height in px of a spine chart of ``n_rows`` indicators (the page sizes the graph's box with it)."""
    return SPINE_ROW_HEIGHT * max(n_rows, 1) + SPINE_MARGINS["t"] + SPINE_MARGINS["b"]


def _row_label(row: dict) -> str:
    """Short label wrapped on narrow screens' behalf (plotly does not wrap tick labels), then the period."""
    name = "<br>".join(textwrap.wrap(row["short_label"], 22))
    return f"{name}<br><span style='font-size:11px;color:#555'>{row['period']}</span>"


def _range_bar(rows_: list[dict], low_key: str, high_key: str, colour: str, name: str, width: float) -> dict:
    left, right = [], []
    for row in rows_:
        a, b = position(row[low_key], row), position(row[high_key], row)
        left.append(min(a, b) if _finite(a) else math.nan)
        right.append(max(a, b) if _finite(b) else math.nan)
    return {
        "type": "bar",
        "orientation": "h",
        "name": name,
        "y": [_row_label(r) for r in rows_],
        "base": _clean(left),
        "x": _clean(np.asarray(right) - np.asarray(left)),
        "width": width,
        "marker": {"color": colour, "line": {"width": 0}},
        "hoverinfo": "skip",
        "showlegend": False,
    }


def spine_figure(rows_: list[dict], area_name: str, conf: float = 0.95, level_plural: str = "quartiers") -> dict:
    """The spine chart of a portrait as plotly figure data (a plain dict).

    Rows keep the order of ``rows_`` from top to bottom. The marker of the area is filled by its comparison,
    shaped by its direction (▲ higher, ▼ lower, ● similar) and the comparison is also written at the right of its
    row; its interval is drawn as an error bar (cut at the chart's edges when it reaches beyond every area).
    """
    labels = [_row_label(r) for r in rows_]
    marker_x, err_plus, err_minus, colours, symbols, hover = [], [], [], [], [], []
    for row in rows_:
        x = position(row["value"], row)
        a, b = position(row["lower"], row), position(row["upper"], row)
        marker_x.append(x)
        err_plus.append(max(a, b) - x if _finite(x) and _finite(a) and _finite(b) else math.nan)
        err_minus.append(x - min(a, b) if _finite(x) and _finite(a) and _finite(b) else math.nan)
        colours.append(SPINE_COLOURS.get(row["comparison"], "#ffffff"))
        symbols.append(SPINE_SYMBOLS.get(row["direction"], "circle"))
        d = row["decimals"]
        hover.append(
            f"<b>{row['label']}</b> ({row['period']})<br>{area_name} : {number(row['value'], d)} {row['unit']}<br>"
            f"IC à {confidence(conf)} : {interval(row['lower'], row['upper'], d)}<br>"
            f"Commune : {number(row['commune'], d)}<br>"
            f"{level_plural.capitalize()} : de {number(row['low'], d)} à {number(row['high'], d)}"
        )
    words = [(value_note(row) or COMPARISON_SHORT[row["comparison"]]).capitalize() for row in rows_]
    annotations = [
        {
            "text": "<br>".join(textwrap.wrap(word, 11)),
            "xref": "paper", "yref": "y", "x": 1.0, "y": label, "xanchor": "left", "xshift": 8,
            "showarrow": False, "font": {"size": 12},
        }
        for word, label in zip(words, labels)
    ]
    annotations += [
        {"text": "Commune", "xref": "x", "yref": "paper", "x": 0.5, "y": 1.0, "yanchor": "bottom",
         "showarrow": False, "font": {"size": 12}},
        # One centred line under the commune: it may reach into the margins on a phone, two lines would overlap.
        {"text": "◀ moins favorable · plus favorable ▶", "xref": "x", "yref": "paper", "x": 0.5, "y": 0.0,
         "yanchor": "top", "yshift": -6, "showarrow": False, "font": {"size": 11, "color": "#444444"}},
    ]
    return {
        "data": [
            _range_bar(rows_, "low", "high", RANGE_COLOUR, f"Étendue des {level_plural}", 0.55),
            _range_bar(rows_, "q1", "q3", MIDDLE_COLOUR, f"Moitié centrale des {level_plural}", 0.55),
            {
                "type": "scatter",
                "mode": "markers",
                "name": area_name,
                "x": _clean(marker_x),
                "y": labels,
                "error_x": {
                    "type": "data", "symmetric": False, "array": _clean(err_plus), "arrayminus": _clean(err_minus),
                    "color": "#222222", "thickness": 1.5, "width": 5,
                },
                "marker": {"size": 15, "color": colours, "symbol": symbols, "line": {"width": 1.5, "color": "#111111"}},
                "text": hover,
                "hovertemplate": "%{text}<extra></extra>",
                "showlegend": False,
            },
        ],
        "layout": {
            "height": spine_height(len(rows_)),
            "margin": SPINE_MARGINS,
            "barmode": "overlay",
            "xaxis": {"range": [-0.02, 1.02], "showticklabels": False, "showgrid": False, "zeroline": False,
                      "fixedrange": True},
            "yaxis": {"type": "category", "autorange": "reversed", "automargin": True, "fixedrange": True,
                      "tickfont": {"size": 12}},
            "shapes": [
                {"type": "line", "xref": "x", "yref": "paper", "x0": 0.5, "x1": 0.5, "y0": 0, "y1": 1,
                 "line": {"color": COMMUNE_COLOUR, "width": 2}}
            ],
            "annotations": annotations,
            "plot_bgcolor": "#ffffff",
            "paper_bgcolor": "#ffffff",
            "showlegend": False,
            "font": {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"},
        },
    }
