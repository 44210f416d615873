"""The view's state in the URL (permalinks): French parameter names, validated against the dataset."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode

from dashboard import cls, indicators
from dashboard.store import MAP_LEVELS, Dataset

# URL parameter (French, what users see) → state key (English, what the code uses).
PARAMETERS = {"indicateur": "indicator", "periode": "period", "niveau": "level", "quartier": "area", "axe": "axis",
              "lissage": "smoothing", "confiance": "conf"}
# Confidence level in the URL (a percentage, as users read it) → conf; 95 % is the default and stays implicit.
CONFIDENCE_PARAMETERS = {"95": 0.95, "99.8": 0.998}
DEFAULT_CONF = 0.95


def default_state(dataset: Dataset) -> dict:
    first = indicators.catalogue(dataset)[0]
    return {"indicator": first.id, "period": first.periods[-1], "level": "quartier", "area": None, "axis": None,
            "smoothing": None, "conf": DEFAULT_CONF}


def parse(dataset: Dataset, search: str | None) -> dict:
    """State from a query string; anything unknown or inconsistent falls back to a sensible default.

    A permalink must never fail to open: a bad value is dropped, not turned into an error.
    """
    state = default_state(dataset)
    query = parse_qs((search or "").lstrip("?"))
    raw = {key: query[param][0] for param, key in PARAMETERS.items() if param in query and query[param]}
    axis_ids = set(cls.axes(dataset, cls.current_contract(dataset)["contract_id"])["axis_id"])
    if raw.get("axis") in axis_ids:
        state["axis"] = raw["axis"]
    allowed = {i.id: i for i in indicators.for_axis(dataset, state["axis"])}
    if raw.get("indicator") in allowed:
        state["indicator"] = raw["indicator"]
    elif state["indicator"] not in allowed and allowed:
        state["indicator"] = next(iter(allowed))
    periods = indicators.get(dataset, state["indicator"]).periods
    state["period"] = raw["period"] if raw.get("period") in periods else periods[-1]
    if raw.get("level") in MAP_LEVELS:
        state["level"] = raw["level"]
    codes = set(dataset.areas_of(state["level"])["code"])
    state["area"] = raw.get("area") if raw.get("area") in codes else None
    state["smoothing"] = raw.get("smoothing") if raw.get("smoothing") in indicators.SMOOTHINGS else None
    state["conf"] = CONFIDENCE_PARAMETERS.get(raw.get("conf"), DEFAULT_CONF)
    return state


def _url_value(key: str, value):
    """A state value as the URL writes it (confidence as a percentage; the default level left out)."""
    if key == "conf":
        shown = [text for text, conf in CONFIDENCE_PARAMETERS.items() if conf == value and conf != DEFAULT_CONF]
        return shown[0] if shown else None
    return value


def build(state: dict) -> str:
    """Query string (with its leading ``?``) for a state; empty values are left out."""
    pairs = [(param, _url_value(key, state.get(key))) for param, key in PARAMETERS.items()]
    pairs = [(param, value) for param, value in pairs if value]
    return "?" + urlencode(pairs) if pairs else ""


def parse_portrait(dataset: Dataset, search: str | None) -> dict:
    """State of the portrait page (``area``, ``level``, ``conf``) from ``?quartier=CODE&niveau=iris&confiance=99.8``.

    The code decides the level when it names an area of a map level (an IRIS code opens the IRIS's portrait even
    without ``niveau``); an unknown code gives no area, never an error.
    """
    query = parse_qs((search or "").lstrip("?"))
    code = (query.get("quartier") or [None])[0]
    level = (query.get("niveau") or [None])[0]
    conf = CONFIDENCE_PARAMETERS.get((query.get("confiance") or [None])[0], DEFAULT_CONF)
    levels = dataset.areas.set_index("code")["level"]
    if code in levels.index and levels[code] in MAP_LEVELS:
        return {"area": code, "level": levels[code], "conf": conf}
    return {"area": None, "level": level if level in MAP_LEVELS else "quartier", "conf": conf}


def build_portrait(state: dict) -> str:
    """Query string of a portrait: ``?quartier=CODE&niveau=LEVEL`` (no area: ``?niveau=LEVEL``), then the
    confidence level unless it is the default."""
    pairs = [("quartier", state["area"])] if state.get("area") else []
    pairs.append(("niveau", state.get("level") or "quartier"))
    conf = _url_value("conf", state.get("conf", DEFAULT_CONF))
    return "?" + urlencode(pairs + ([("confiance", conf)] if conf else []))
