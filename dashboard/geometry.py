"""Area shapes for the map: IRIS dissolved into quartiers and commune, GeoJSON and label points."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from dashboard.store import Dataset, cached

COORDINATE_DECIMALS = 5  # about 1 m at Mulhouse's latitude: plenty for a choropleth, small on the wire


def shapes(dataset: Dataset, level: str) -> gpd.GeoDataFrame:
    """Polygons of every area of ``level`` (code, name, geometry in WGS84), IRIS dissolved upwards."""

    def build():
        iris = dataset.iris_shapes[["code", "geometry"]].copy()
        if level == "iris":
            frame = iris
        else:
            parent = dataset.iris_parent(level)
            iris["code"] = iris["code"].map(parent)
            frame = iris.dissolve(by="code", as_index=False)
            # Dissolving slightly overlapping real IRIS leaves slivers: a zero buffer closes them.
            frame["geometry"] = frame.geometry.buffer(0)
        names = dataset.areas_of(level).set_index("code")["name"]
        frame = frame.assign(name=frame["code"].map(names))
        return gpd.GeoDataFrame(frame[["code", "name", "geometry"]], crs=4326).sort_values("code").reset_index(drop=True)

    return cached(dataset, ("shapes", level), build)


def _round_coordinates(geometry, decimals: int):
    return shapely.set_precision(geometry, 10.0 ** -decimals)


def feature_collection(dataset: Dataset, levels=("quartier", "iris")) -> dict:
    """One GeoJSON FeatureCollection holding the areas of ``levels``; each feature's ``id`` is its code.

    Sent to the browser once: the map then chooses which features to draw through its ``locations``.
    """

    def build():
        features = []
        for level in levels:
            frame = shapes(dataset, level)
            for code, geometry in zip(frame["code"], frame.geometry):
                geometry = _round_coordinates(geometry, COORDINATE_DECIMALS)
                features.append(
                    {"type": "Feature", "id": code, "properties": {}, "geometry": shapely.geometry.mapping(geometry)}
                )
        return {"type": "FeatureCollection", "features": _as_lists(features)}

    return cached(dataset, ("feature_collection", tuple(levels)), build)


def _as_lists(value):
    """Turn shapely's nested tuples into lists so the structure is plain JSON."""
    if isinstance(value, dict):
        return {k: _as_lists(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_as_lists(v) for v in value]
    return value


def label_points(dataset: Dataset, level: str) -> gpd.GeoDataFrame:
    """A point inside each area (for its label), with lon/lat columns rounded to 5 decimals."""

    def build():
        frame = shapes(dataset, level).copy()
        points = frame.geometry.representative_point()
        frame["lon"] = np.round(points.x, COORDINATE_DECIMALS)
        frame["lat"] = np.round(points.y, COORDINATE_DECIMALS)
        return frame[["code", "name", "lon", "lat"]]

    return cached(dataset, ("label_points", level), build)


def view(dataset: Dataset, margin: float = 1.6) -> dict:
    """Centre and panning limits that show the whole commune in any map frame, phone or wide screen.

    Plotly's ``map.bounds`` is MapLibre's ``maxBounds``: the view may not leave them, so at its widest the map
    shows them edge to edge in one direction. Square limits ``margin`` times the commune's larger side keep the
    commune whole for frames from 1:1.6 (portrait phone) to 1.6:1 (wide screen).
    """
    west, south, east, north = dataset.iris_shapes.total_bounds
    lat = (south + north) / 2
    km_per_lon = 111.32 * np.cos(np.radians(lat))
    side_km = margin * max((east - west) * km_per_lon, (north - south) * 110.57)
    half_lon = side_km / 2 / km_per_lon
    half_lat = side_km / 2 / 110.57
    lon = (west + east) / 2
    return {
        "center": {"lon": round(float(lon), COORDINATE_DECIMALS), "lat": round(float(lat), COORDINATE_DECIMALS)},
        "bounds": {
            "west": round(float(lon - half_lon), COORDINATE_DECIMALS),
            "east": round(float(lon + half_lon), COORDINATE_DECIMALS),
            "south": round(float(lat - half_lat), COORDINATE_DECIMALS),
            "north": round(float(lat + half_lat), COORDINATE_DECIMALS),
        },
    }


def neighbours(dataset: Dataset, level: str) -> dict[str, list[str]]:
    """Codes of the areas sharing a border (or a corner) with each area of ``level``."""

    def build():
        frame = shapes(dataset, level)
        # Real IRIS overlap by a few metres; a small buffer makes touching areas intersect.
        grown = frame.to_crs(2154).buffer(5)
        index = grown.sindex
        result = {}
        for position, geometry in enumerate(grown):
            hits = index.query(geometry, predicate="intersects")
            result[frame["code"].iloc[position]] = sorted(frame["code"].iloc[h] for h in hits if h != position)
        return result

    return cached(dataset, ("neighbours", level), build)
