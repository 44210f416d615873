"""Bytes on the wire and server time of a map filter change: our Patch of values vs a naive full figure.

Run: ``.venv/bin/python benchmarks/map_update.py`` (or ``make benchmark``). Prints one table.

The naive callback is what a first Dash app does: rebuild ``px.choropleth_map`` with the GeoJSON on every change
and return the ``go.Figure``. Ours returns a ``dash.Patch`` that carries only values, classes and labels. Both are
timed here, in the same process, as the callback plus Dash's own JSON encoding of its response.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.express as px
from dash import Patch
from dash._utils import to_json
from shapely.geometry import box

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dashboard import figures, geometry, indicators, store  # noqa: E402
from dashboard.config import Settings  # noqa: E402
from dashboard.store import AGE_BANDS, Dataset  # noqa: E402

REPEAT = 7


def synthetic_dataset(n_iris: int = 5000, per_quartier: int = 20, seed: int = 7) -> Dataset:
    """A grid of ``n_iris`` square IRIS in 250 quartiers with random population and deaths (ICM only)."""
    rng = np.random.default_rng(seed)
    demo = store.load_dataset(Settings())
    columns = int(np.ceil(np.sqrt(n_iris * 2)))
    iris_codes = [f"99{i:07d}" for i in range(n_iris)]
    quartier_codes = [f"99Q{i // per_quartier:04d}" for i in range(n_iris)]
    size = 0.002
    shapes = gpd.GeoDataFrame(
        {"code": iris_codes, "name": [f"IRIS {i}" for i in range(n_iris)]},
        geometry=[box(7.2 + (i % columns) * size, 47.7 + (i // columns) * size,
                      7.2 + (i % columns + 1) * size, 47.7 + (i // columns + 1) * size) for i in range(n_iris)],
        crs=4326,
    )
    areas = pd.concat([
        pd.DataFrame([{"code": "99999", "name": "Ville synthétique", "level": "commune", "parent_code": ""}]),
        pd.DataFrame({"code": sorted(set(quartier_codes)), "name": sorted(set(quartier_codes)),
                      "level": "quartier", "parent_code": "99999"}),
        pd.DataFrame({"code": iris_codes, "name": shapes["name"], "level": "iris", "parent_code": quartier_codes}),
    ], ignore_index=True)
    keys = pd.MultiIndex.from_product([iris_codes, ["F", "M"], AGE_BANDS], names=["iris_code", "sex", "age_band"])
    base = keys.to_frame(index=False)
    pop = rng.integers(20, 120, len(base))
    population = pd.concat([base.assign(year=year, population=pop) for year in (2018, 2019)], ignore_index=True)
    age_rate = np.tile(np.geomspace(0.0005, 0.2, len(AGE_BANDS)), 2 * n_iris)
    deaths = base.assign(period="2018-2019", deaths=rng.poisson(pop * 2 * age_rate))
    empty = {name: demo.tables[name].iloc[0:0] for name in ("gp_practices", "screenings", "reference_rates")}
    tables = {**demo.tables, **empty, "areas": areas, "population": population, "deaths": deaths}
    return Dataset(tables=tables, iris_shapes=shapes, is_demo=True, schematic_geometry=True, version="synthetic",
                   source_label="Données synthétiques", updated="2026-01-01")


def naive_update(dataset: Dataset, indicator_id: str, period: str, level: str):
    """Rebuild the whole figure, geometry included, as px.choropleth_map does."""
    result = indicators.compute(dataset, indicator_id, period, level)
    frame = result.table
    return px.choropleth_map(
        frame, geojson=geometry.feature_collection(dataset, (level,)), locations="code", color="value",
        hover_name="name", map_style="white-bg", color_continuous_scale="RdBu_r", zoom=11,
        center={"lat": 47.75, "lon": 7.33},
    )


def patch_update(dataset: Dataset, indicator_id: str, period: str, level: str):
    """Our callback's work for an indicator or period change: compute, then a Patch of values only."""
    result = indicators.compute(dataset, indicator_id, period, level)
    classes = figures.classes_for(dataset, indicator_id, level)
    patch = Patch()
    for path, value in figures.map_updates(dataset, result, classes, parts=["values"]).items():
        node = patch
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return patch


def measure(function, dataset, *args) -> tuple[int, float]:
    """Median milliseconds of function + JSON encoding, and the response's bytes."""
    function(dataset, *args)  # warm the caches shared by both (indicator values, GeoJSON)
    times, size = [], 0
    for _ in range(REPEAT):
        start = time.perf_counter()
        body = to_json({"response": {"map-graph": {"figure": function(dataset, *args)}}})
        times.append((time.perf_counter() - start) * 1000)
        size = len(body.encode())
    return size, statistics.median(times)


def main() -> None:
    cases = [
        ("démo, 18 quartiers", store.load_dataset(Settings()), ("icm", "2018-2023", "quartier")),
        ("démo, 43 IRIS", store.load_dataset(Settings()), ("child_caries", "2023-2024", "iris")),
        ("synthétique, 5 000 IRIS", synthetic_dataset(), ("icm", "2018-2019", "iris")),
    ]
    header = f"{'cas':<26}{'naïf (octets)':>15}{'Patch (octets)':>16}{'ratio':>8}{'naïf (ms)':>11}{'Patch (ms)':>12}{'ratio':>8}"
    print(header)
    print("-" * len(header))
    for label, dataset, args in cases:
        naive_bytes, naive_ms = measure(naive_update, dataset, *args)
        patch_bytes, patch_ms = measure(patch_update, dataset, *args)
        print(f"{label:<26}{naive_bytes:>15,}{patch_bytes:>16,}{naive_bytes / patch_bytes:>8.1f}"
              f"{naive_ms:>11.1f}{patch_ms:>12.1f}{naive_ms / patch_ms:>8.1f}")
    print(f"\nMédiane de {REPEAT} répétitions, callback + encodage JSON de Dash, mêmes caches chauds des deux côtés.")


if __name__ == "__main__":
    main()
