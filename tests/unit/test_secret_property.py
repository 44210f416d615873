"""Property: over many random cities, no output shows a count from 1 to 10 or lets one be recovered by subtraction.

The attacker below knows only what the public sees (the open data API's JSON and CSV at both levels, the map's
figure data, the table, the side panel and the summary) and tries every subtraction the area hierarchy allows,
and any linear combination of them.
"""

import json
import re

import geopandas as gpd
import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings, strategies as st
from scipy.linalg import null_space
from shapely.geometry import box

from dashboard import figures, indicators, opendata, summary
from dashboard.config import DEMO_DATA_DIR
from dashboard.store import Dataset
from layouts import map_page

THRESHOLD = 11
SECRET_INDICATORS = ("icm", "icm_premature", "mortality_dsr", "gp_60plus", "child_caries", "child_overweight")
PERIODS = {"gp_60plus": "2011"}
HIDDEN_WORDS = re.compile(r"^(< 11|secret statistique|effectif insuffisant|non publiée?|–|)$")


@st.composite
def cities(draw):
    """A commune of 1 to 4 quartiers of 1 to 4 IRIS each, with small random counts everywhere."""
    sizes = draw(st.lists(st.integers(1, 4), min_size=1, max_size=4))
    rows = [("99999", "Ville", "commune", "")]
    iris = []
    for q, size in enumerate(sizes):
        quartier = f"99999{q:02d}"
        rows.append((quartier, f"Q{q}", "quartier", "99999"))
        for i in range(size):
            iris.append((f"{quartier}{i:02d}", f"I{q}{i}", quartier))
            rows.append((iris[-1][0], iris[-1][1], "iris", quartier))
    areas = pd.DataFrame(rows, columns=["code", "name", "level", "parent_code"])
    codes = [code for code, _, _ in iris]
    small = st.integers(0, 14)
    population = pd.DataFrame(
        [(code, year, "F", band, draw(st.integers(0, 900)) if year == 2010 else 0)
         for code in codes for year in (2010, 2011) for band in ("00-04", "65-69")],
        columns=["iris_code", "year", "sex", "age_band", "population"],
    )
    # The same population both years.
    population.loc[population["year"] == 2011, "population"] = population.loc[
        population["year"] == 2010, "population"].to_numpy()
    deaths = pd.DataFrame(
        [(code, "2010-2011", "F", band, draw(small)) for code in codes for band in ("00-04", "65-69")],
        columns=["iris_code", "period", "sex", "age_band", "deaths"],
    )
    gps = [draw(st.integers(1, 14)) for _ in codes]
    gp_practices = pd.DataFrame(
        [(f"p{i}", 2011, "Cabinet (fictif)", "cabinet", code, 0.0, 0.0, n, draw(st.integers(0, n)))
         for i, (code, n) in enumerate(zip(codes, gps))],
        columns=["practice_id", "year", "name", "kind", "iris_code", "lon", "lat", "gps", "gps_60plus"],
    )
    screened = [draw(st.integers(0, 40)) for _ in codes]
    screenings = pd.DataFrame(
        [(code, "2010-2011", n, draw(st.integers(0, n)), draw(st.integers(0, n))) for code, n in zip(codes, screened)],
        columns=["iris_code", "school_year", "screened", "caries_untreated", "overweight"],
    )
    empty_cls = {
        "contracts": pd.DataFrame([("c1", "CLS 1", "Ville", "", "2010", "2012")],
                                  columns=["contract_id", "name", "territory", "signed_on", "start_year", "end_year"]),
        "axes": pd.DataFrame(columns=["contract_id", "axis_id", "number", "name", "objective"]),
        "axis_indicators": pd.DataFrame(columns=["contract_id", "axis_id", "indicator_id"]),
        "actions": pd.DataFrame(columns=["action_id", "contract_id", "axis_id", "title", "lead", "start_year",
                                         "end_year", "status"]),
        "action_areas": pd.DataFrame(columns=["action_id", "area_code"]),
        "action_indicators": pd.DataFrame(),
    }
    shapes = gpd.GeoDataFrame(
        {"code": codes, "name": [name for _, name, _ in iris]},
        geometry=[box(i, 0, i + 1, 1) for i in range(len(codes))],
        crs=4326,
    )
    tables = {
        "areas": areas, "population": population, "deaths": deaths,
        "reference_rates": pd.DataFrame([("france", "2010-2011", "F", "00-04", 0.001),
                                         ("france", "2010-2011", "F", "65-69", 0.02)],
                                        columns=["reference", "period", "sex", "age_band", "rate"]),
        "gp_practices": gp_practices, "screenings": screenings,
        "catalogue": pd.read_csv(DEMO_DATA_DIR / "indicators.csv", dtype=str), **empty_cls,
    }
    return Dataset(tables=tables, iris_shapes=shapes, is_demo=True, schematic_geometry=True, version="random",
                   source_label="Données aléatoires de test", updated="2026-01-01")


def published(dataset, indicator_id):
    """What the API publishes at both levels: {code: row}, the commune once."""
    rows = {}
    for level in ("quartier", "iris"):
        request = {"indicator": indicator_id, "period": PERIODS.get(indicator_id, "2010-2011"), "level": level,
                   "reference": "commune", "format": "json", "conf": 0.95, "smoothing": "none"}
        for row in opendata.value_rows(dataset, request):
            rows[row["area_code"]] = row
    return rows


def counts_seen(row, indicator_id):
    """The counts of persons a published row gives, or None for a hidden row."""
    if row["suppressed"]:
        assert row["numerator"] is None and row["value"] is None and row["lower"] is None
        assert row["denominator"] is None and row["expected"] is None and row["comparison"] is None
        return None
    seen = {"numerator": row["numerator"]}
    if indicator_id in ("gp_60plus", "child_caries", "child_overweight"):
        seen["complement"] = row["denominator"] - row["numerator"]
    if indicator_id in ("child_caries", "child_overweight"):
        seen["denominator"] = row["denominator"]
    return seen


def assert_no_recovery(dataset, seen, indicator_id, secret=None):
    """No published count is small, and no subtraction or linear combination pins a hidden one down.

    ``seen`` holds, for every area code, the counts the public sees ({name: count}), or None when hidden.
    ``secret`` (code → bool), when given, limits the check to the hidden cells holding a small count: learning
    a large one is harmless.
    """
    areas = dataset.areas.set_index("code")
    codes = list(areas.index)
    for code, counts in seen.items():
        for name, value in (counts or {}).items():
            assert not 1 <= value < THRESHOLD, f"{indicator_id}: {name} {value} of {code} is published"
    relations = []
    commune = areas.index[areas["level"] == "commune"][0]
    quartiers = list(areas.index[areas["level"] == "quartier"])
    iris_of = {q: list(areas.index[areas["parent_code"] == q]) for q in quartiers}
    relations.append((commune, quartiers))
    relations.append((commune, [i for q in quartiers for i in iris_of[q]]))
    relations += [(q, iris_of[q]) for q in quartiers]
    hidden = [code for code in codes if seen[code] is None]
    if not hidden:
        return
    # Any linear combination of the sums: a hidden cell is recovered when the sums determine it.
    position = {code: i for i, code in enumerate(hidden)}
    equations = []
    for total, members in [(commune, quartiers)] + [(q, iris_of[q]) for q in quartiers]:
        row = np.zeros(len(hidden))
        for code, sign in [(total, 1.0)] + [(m, -1.0) for m in members]:
            if code in position:
                row[position[code]] += sign
        equations.append(row)
    basis = null_space(np.array(equations))
    free = np.any(np.abs(basis) > 1e-9, axis=1) if basis.size else np.zeros(len(hidden), dtype=bool)
    if secret is not None:
        free |= ~np.array([secret[code] for code in hidden])
    assert free.all(), f"{indicator_id}: {[c for c, f in zip(hidden, free) if not f]} recovered by subtraction"
    # Each subtraction from a published total gives the sum of the hidden members: never a small count.
    names = seen[commune].keys() if seen[commune] else []
    for total, members in relations:
        if seen[total] is None:
            continue
        for name in names:
            rest = seen[total][name] - sum(seen[m][name] for m in members if seen[m] is not None)
            assert not 1 <= rest < THRESHOLD, f"{indicator_id}: {total} minus its shown members gives {rest}"


def assert_pages_show_no_hidden_number(dataset, indicator_id):
    """Map hover, map colours, table, side panel and summary of each hidden area show words, not numbers."""
    period = PERIODS.get(indicator_id, "2010-2011")
    for level in ("quartier", "iris"):
        result = indicators.compute(dataset, indicator_id, period, level)
        classes = figures.classes_for(dataset, indicator_id, level)
        updates = figures.map_updates(dataset, result, classes)
        hidden = result.table["suppressed"].notna().to_numpy()
        for z, hover, is_hidden in zip(updates[("data", 0, "z")], updates[("data", 0, "customdata")], hidden):
            if is_hidden:
                assert z == figures.hidden_z(classes)
                assert not re.search(r"\d", json.dumps(hover, ensure_ascii=False).replace("11", ""))
        table = map_page.data_table(result).to_plotly_json()["props"]["children"][2].to_plotly_json()
        for tr, is_hidden in zip(table["props"]["children"], hidden[np.argsort(-result.table["value"].fillna(
                -np.inf).to_numpy(), kind="stable")]):
            cells = [c.to_plotly_json()["props"]["children"] for c in tr.to_plotly_json()["props"]["children"][1:]]
            if is_hidden:
                assert all(HIDDEN_WORDS.match(str(cell)) for cell in cells), cells
        text = " ".join(summary.map_summary(result))
        for name in result.table.loc[hidden, "name"]:
            assert f"({name})" not in text
        method = result.indicator.method
        counts_line = re.compile(rf"{method.numerator_label} : (< 11|secret statistique) ; "
                                 rf"{method.denominator_label} : (< 11|secret statistique)$")
        for code in result.table.loc[hidden, "code"]:
            panel = texts(map_page.panel(dataset, result, {"area": code, "axis": None}))
            assert any(counts_line.match(text) for text in panel), panel
            assert "effectif insuffisant" in panel or "secret statistique" in panel


def texts(component) -> list[str]:
    """Every string shown by a component tree."""
    if isinstance(component, str):
        return [component]
    if isinstance(component, (list, tuple)):
        return [text for child in component for text in texts(child)]
    children = getattr(component, "children", None)
    return texts(children) if children is not None else []


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cities())
def test_no_output_shows_or_gives_back_a_count_from_1_to_10(dataset):
    for indicator_id in SECRET_INDICATORS:
        rows = published(dataset, indicator_id)
        assert_no_recovery(dataset, {code: counts_seen(row, indicator_id) for code, row in rows.items()},
                           indicator_id)
        request = {"indicator": indicator_id, "period": PERIODS.get(indicator_id, "2010-2011"), "level": "iris",
                   "reference": "commune", "format": "csv", "conf": 0.95, "smoothing": "none"}
        csv_text = opendata.values_csv(dataset, request, opendata.value_rows(dataset, request))
        for line in csv_text.splitlines()[1:]:
            if "< 11" in line:
                assert ",,," in line  # a hidden row's numbers are empty cells
    # Children screened, published by both shares: the attacker takes them from whichever shows them.
    caries, overweight = published(dataset, "child_caries"), published(dataset, "child_overweight")
    screened = {}
    for code in caries:
        shown = [rows[code]["denominator"] for rows in (caries, overweight) if rows[code]["denominator"] is not None]
        screened[code] = {"denominator": shown[0]} if shown else None
    truth = {}
    for level in ("quartier", "iris"):
        result = indicators.compute(dataset, "child_caries", "2010-2011", level, public=False)
        truth.update({code: 1 <= n < THRESHOLD for code, n in zip(result.table["code"], result.table["denominator"])})
        truth[result.commune["code"]] = 1 <= result.commune["denominator"] < THRESHOLD
    assert_no_recovery(dataset, screened, "children screened", secret=truth)
    # Deaths at 65 or more, as all-age minus premature deaths, where an area is shown for both.
    all_ages, premature = published(dataset, "icm"), published(dataset, "icm_premature")
    for code, row in premature.items():
        if row["numerator"] is not None and all_ages[code]["numerator"] is not None:
            assert not 1 <= all_ages[code]["numerator"] - row["numerator"] < THRESHOLD
    for indicator_id in ("icm", "child_caries"):
        assert_pages_show_no_hidden_number(dataset, indicator_id)
