"""Generate the fictitious demo dataset of the observatory (Mulhouse) into this folder, or into the folder given.

Usage::

    .venv/bin/python data/generate.py [output_dir]

Area codes and names are real (INSEE IRIS of Mulhouse, 68224) and so are the names and structure of the
three Contrats Locaux de Santé; every value (population, deaths, GPs, screenings, budgets, indicator targets)
and the IRIS geometry are made up. The script is seeded: two runs write byte-identical files.
See README.md in this folder for the meaning of every file and column.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import numpy as np
import pyproj
import shapely
from scipy import ndimage

SEED = 20120712  # signature date of the first CLS
OUTPUT_DIR = Path(__file__).resolve().parent
CURRENT_YEAR = 2026  # indicator values of this year and later are not achieved yet

COMMUNE_CODE, COMMUNE_NAME = "68224", "Mulhouse"

# CODE_IRIS | NOM_IRIS | representative point (lon, lat, WGS84) | real area in hectares (IGN CONTOURS-IRIS 2020).
IRIS_TABLE = """\
682240101|Centre Historique Ouest|7.3367|47.7468|25
682240102|Centre Historique Est|7.3419|47.7446|49
682240201|Fonderie Nord|7.3319|47.7446|17
682240202|Fonderie Sud|7.329|47.7384|77
682240301|Briand Franklin Nord|7.3338|47.7509|27
682240302|Briand Franklin Sud|7.3278|47.7471|26
682240401|Europe Nouveau Bassin Nord|7.3491|47.7587|35
682240402|Europe Nouveau Bassin Centre|7.3473|47.7551|31
682240403|Europe Nouveau Bassin Sud|7.3409|47.7514|17
682240501|Drouot Barbanègre Nord|7.3605|47.759|45
682240502|Drouot Barbanègre Sud|7.3549|47.7577|38
682240601|Nordfeld Nord|7.3536|47.752|20
682240602|Nordfeld Ouest|7.3464|47.7502|23
682240603|Nordfeld Est|7.3465|47.7464|19
682240701|Rebberg Nord|7.3493|47.7411|169
682240703|Rebberg Sud-Est|7.3423|47.7296|137
682240704|Rebberg Sud-Ouest|7.3335|47.7346|70
682240801|Haut Poirier Est|7.3159|47.7346|127
682240802|Haut Poirier Ouest|7.3059|47.7349|17
682240901|Coteaux Nord-Ouest|7.2958|47.7368|19
682240902|Coteaux Nord-Est|7.2998|47.7367|11
682240903|Coteaux Sud-Ouest|7.2892|47.7335|104
682240904|Coteaux Sud-Est|7.2957|47.7334|7
682241001|Dornach Ouest|7.2955|47.7435|233
682241002|Dornach Est|7.3138|47.7424|51
682241101|Daguerre Sud|7.3215|47.7435|35
682241102|Daguerre Nord|7.3207|47.7465|13
682241201|Cité Nord|7.3221|47.7525|30
682241203|Cité Sud|7.3249|47.75|16
682241301|Fridolin Nord|7.3319|47.7568|22
682241302|Fridolin Sud|7.332|47.754|21
682241401|Wolf Wagner Nord|7.3308|47.7618|99
682241402|Wolf Wagner Centre|7.3371|47.7605|16
682241403|Wolf Wagner Sud|7.339|47.7564|26
682241501|Bourtzwiller Nord-Est|7.3342|47.7744|116
682241502|Bourtzwiller Sud-Est|7.3369|47.7683|56
682241601|Doller Nord|7.3206|47.7596|71
682241602|Doller Sud|7.3205|47.7566|43
682241701|Bourtzwiller Nord-Ouest|7.3178|47.7752|53
682241702|Bourtzwiller Centre-Ouest|7.3238|47.7714|39
682241703|Bourtzwiller Sud-Ouest|7.3191|47.7688|43
682241801|Brustlein Ouest|7.3009|47.7513|83
682241802|Brustlein Est|7.3134|47.7509|66
"""

# Grand quartier = first 7 characters of the IRIS code; name = IRIS name without its orientation word.
QUARTIER_NAMES = {
    "6822401": "Centre Historique",
    "6822402": "Fonderie",
    "6822403": "Briand Franklin",
    "6822404": "Europe Nouveau Bassin",
    "6822405": "Drouot Barbanègre",
    "6822406": "Nordfeld",
    "6822407": "Rebberg",
    "6822408": "Haut Poirier",
    "6822409": "Coteaux",
    "6822410": "Dornach",
    "6822411": "Daguerre",
    "6822412": "Cité",
    "6822413": "Fridolin",
    "6822414": "Wolf Wagner",
    "6822415": "Bourtzwiller Est",
    "6822416": "Doller",
    "6822417": "Bourtzwiller Ouest",
    "6822418": "Brustlein",
}

# Demo assumption for the social gradient: quartiers holding the 2024 QPV (quartiers prioritaires).
QPV_QUARTIERS = {"6822402", "6822405", "6822409", "6822415", "6822417", "6822418"}
PERICENTRE_QUARTIERS = {"6822403", "6822406", "6822412", "6822414"}  # QPV « Péricentre »
AFFLUENT_QUARTIERS = {"6822407", "6822410"}  # Rebberg, Dornach
CENTRAL_QUARTIERS = {"6822401", "6822404"}  # more students and young workers

YEARS = list(range(2006, 2025))
PERIODS = {"2006-2011": range(2006, 2012), "2012-2017": range(2012, 2018), "2018-2023": range(2018, 2024)}
SEXES = ("F", "M")
AGE_BANDS = [f"{a:02d}-{a + 4:02d}" for a in range(0, 90, 5)] + ["90+"]
BAND_START = np.arange(0, 95, 5)
PREMATURE = BAND_START < 65
GP_YEARS = [2012, 2016, 2020, 2024]
SCHOOL_YEARS = [f"{y}-{y + 1}" for y in range(2018, 2024)]
COVID_SCHOOL_YEAR = "2019-2020"

CITY_AREA_M2 = 22.4e6
# The schematic outline must fit in the real commune's bounding box (WGS84).
CITY_BOUNDS = (7.2826, 47.7219, 7.3687, 47.7835)
PIXEL_M = 10.0  # raster step used to share the outline between IRIS
SIMPLIFY_M = 12.0

# Share of each age band in the population (%), for a young (QPV) and an old (Rebberg) IRIS; mixed per IRIS.
YOUNG_PROFILE = np.array([8.6, 8.4, 7.9, 7.3, 7.7, 7.8, 7.4, 6.9, 6.3, 5.9, 5.4, 4.8, 4.1, 3.4, 2.5, 2.0, 1.6, 1.1, 0.5])
OLD_PROFILE = np.array([4.4, 4.9, 5.6, 6.0, 4.9, 4.4, 4.6, 5.2, 5.8, 6.4, 6.7, 6.9, 7.1, 7.2, 6.5, 5.3, 4.3, 3.1, 1.8])
STUDENT_BUMP = np.array([0, 0, 0, 1.0, 3.5, 2.5, 0.8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
MALE_SHARE = np.array([0.512, 0.512, 0.511, 0.51, 0.5, 0.49, 0.49, 0.495, 0.495, 0.49, 0.49, 0.485, 0.48, 0.47,
                       0.45, 0.43, 0.39, 0.33, 0.25])

# Annual deaths per person, France around 2015 (orders of magnitude of INSEE life tables), by age band.
FRANCE_RATES_2015 = {
    "F": [0.00068, 0.00006, 0.00007, 0.00016, 0.00021, 0.00026, 0.00035, 0.0005, 0.0009, 0.0015, 0.0024,
          0.0034, 0.005, 0.0069, 0.0105, 0.018, 0.036, 0.09, 0.22],
    "M": [0.00085, 0.00008, 0.0001, 0.0003, 0.0005, 0.0007, 0.0008, 0.0011, 0.0017, 0.0028, 0.0046, 0.0072,
          0.011, 0.0152, 0.0225, 0.036, 0.064, 0.13, 0.27],
}


def rng_for(stream: int) -> np.random.Generator:
    """An independent random generator per table, so that changing one table leaves the others as they are."""
    return np.random.default_rng([SEED, stream])


def read_iris_table() -> list[dict]:
    """The 43 IRIS with their quartier, representative point and real area (hectares)."""
    rows = []
    for line in IRIS_TABLE.splitlines():
        code, name, lon, lat, hectares = line.split("|")
        rows.append({"code": code, "name": name, "quartier": code[:7], "lon": float(lon), "lat": float(lat),
                     "hectares": float(hectares)})
    return rows


def social_group(quartier: str) -> str:
    """Demo social group of a quartier: qpv, pericentre, affluent or other."""
    if quartier in QPV_QUARTIERS:
        return "qpv"
    if quartier in PERICENTRE_QUARTIERS:
        return "pericentre"
    if quartier in AFFLUENT_QUARTIERS:
        return "affluent"
    return "other"


# --------------------------------------------------------------------------------------------- areas


def build_areas(iris: list[dict]) -> list[list]:
    """Rows of areas.csv: the commune, its 18 quartiers and 43 IRIS, sorted by code."""
    rows = [[COMMUNE_CODE, COMMUNE_NAME, "commune", ""]]
    rows += [[code, name, "quartier", COMMUNE_CODE] for code, name in QUARTIER_NAMES.items()]
    rows += [[i["code"], i["name"], "iris", i["quartier"]] for i in iris]
    return sorted(rows)


# ------------------------------------------------------------------------------------------ geometry

TO_METRIC = pyproj.Transformer.from_crs(4326, 2154, always_xy=True)
TO_WGS84 = pyproj.Transformer.from_crs(2154, 4326, always_xy=True)


def bounds_polygon_metric() -> shapely.Polygon:
    """The allowed bounding box (lon/lat) as a polygon in Lambert-93, edges densified."""
    west, south, east, north = CITY_BOUNDS
    lons, lats = np.linspace(west, east, 40), np.linspace(south, north, 40)
    ring = ([(x, south) for x in lons] + [(east, y) for y in lats] + [(x, north) for x in lons[::-1]]
            + [(west, y) for y in lats[::-1]])
    x, y = TO_METRIC.transform(*zip(*ring))
    return shapely.Polygon(zip(x, y))


def build_outline(points: np.ndarray, hectares: np.ndarray) -> shapely.Polygon:
    """A smooth, irregular city outline of CITY_AREA_M2 (Lambert-93) around the representative points.

    Each point gets a disk whose radius follows its IRIS's real area; the union is closed and opened
    (buffer out, in, in, out) to round it, clipped to the allowed box, and the disk scale is chosen by
    bisection so that the outline has the wanted area.
    """
    frame = bounds_polygon_metric().buffer(-80)
    base_radius = np.sqrt(hectares * 1e4 / np.pi)

    def outline(scale):
        disks = shapely.buffer(shapely.points(points), np.maximum(250.0, scale * base_radius), quad_segs=16)
        shape = shapely.union_all(disks).buffer(1200, quad_segs=16).buffer(-1200, quad_segs=16)
        shape = shape.intersection(frame).buffer(-400, quad_segs=16).buffer(400, quad_segs=16)
        largest = max(getattr(shape, "geoms", [shape]), key=lambda g: g.area)
        return shapely.Polygon(largest.exterior)

    low, high = 0.3, 2.0
    for _ in range(40):
        middle = (low + high) / 2
        if outline(middle).area < CITY_AREA_M2:
            low = middle
        else:
            high = middle
    return outline((low + high) / 2)


def keep_seed_components(labels: np.ndarray, seeds: list[tuple[int, int]]) -> np.ndarray:
    """Give every piece of an IRIS that is cut off from its representative point to its main neighbour."""
    labels = labels.copy()
    for _ in range(10):
        changed = False
        boxes = ndimage.find_objects(labels + 1)  # bounding box of each site's pixels (-1 is ignored)
        for site, (seed, found) in enumerate(zip(seeds, boxes)):
            # Work in the site's bounding box grown by one pixel (the outline never touches the raster edge).
            window = tuple(slice(s.start - 1, s.stop + 1) for s in found)
            local = labels[window]
            pieces, count = ndimage.label(local == site)
            if count <= 1:
                continue
            seed_piece = pieces[seed[0] - window[0].start, seed[1] - window[1].start]
            for piece in range(1, count + 1):
                if piece == seed_piece:
                    continue
                mask = pieces == piece
                ring = ndimage.binary_dilation(mask) & ~mask & (local >= 0) & (local != site)
                local[mask] = np.bincount(local[ring]).argmax()
                changed = True
        if not changed:
            return labels
    raise RuntimeError("IRIS pieces still cut off from their representative point after 10 passes")


def partition_raster(outline: shapely.Polygon, points: np.ndarray, targets_m2: np.ndarray):
    """Share the outline between the points on a PIXEL_M grid so that each share has its target area.

    A pixel goes to the point that minimises distance / speed (a multiplicatively weighted Voronoi
    diagram, in which every point lies in its own cell); the speeds are iterated until every cell is
    within 1 % of its target. Returns (labels, x0, y0) with labels -1 outside the outline, row 0 south.
    """
    west, south, east, north = outline.bounds
    x0, y0 = np.floor(west / PIXEL_M) * PIXEL_M - PIXEL_M, np.floor(south / PIXEL_M) * PIXEL_M - PIXEL_M
    width = int(np.ceil((east - x0) / PIXEL_M)) + 2
    height = int(np.ceil((north - y0) / PIXEL_M)) + 2
    xs, ys = np.meshgrid(x0 + (np.arange(width) + 0.5) * PIXEL_M, y0 + (np.arange(height) + 0.5) * PIXEL_M)
    inside = shapely.contains_xy(outline, xs, ys)
    px, py = xs[inside], ys[inside]
    log_distance = 0.5 * np.log((px[None, :] - points[:, :1]) ** 2 + (py[None, :] - points[:, 1:]) ** 2 + 1.0)
    seeds = [(int((y - y0) // PIXEL_M), int((x - x0) // PIXEL_M)) for x, y in points]
    target_pixels = targets_m2 / targets_m2.sum() * inside.sum()

    log_speed = 0.5 * np.log(targets_m2)
    labels = np.full(inside.shape, -1)
    for _ in range(300):
        labels[inside] = np.argmin(log_distance - log_speed[:, None], axis=0)
        labels = keep_seed_components(labels, seeds)
        counts = np.bincount(labels[inside], minlength=len(points))
        if np.all(np.abs(counts / target_pixels - 1) < 0.01):
            break
        log_speed += 0.3 * np.log(target_pixels / np.maximum(counts, 1))
    return labels, x0, y0


def raster_to_polygons(labels: np.ndarray, x0: float, y0: float, count: int) -> list:
    """One polygon per label, union of its pixels (runs of pixels per row), on exact grid coordinates."""
    boxes = [[] for _ in range(count)]
    for row in range(labels.shape[0]):
        line = labels[row]
        edges = np.flatnonzero(np.diff(line)) + 1
        starts = np.concatenate([[0], edges])
        ends = np.concatenate([edges, [len(line)]])
        for start, end in zip(starts, ends):
            if line[start] >= 0:
                boxes[line[start]].append(shapely.box(x0 + start * PIXEL_M, y0 + row * PIXEL_M,
                                                      x0 + end * PIXEL_M, y0 + (row + 1) * PIXEL_M))
    # Every grid step becomes a vertex, so that neighbours share exactly the same vertices (a valid coverage).
    return list(shapely.segmentize([shapely.union_all(b) for b in boxes], PIXEL_M))


def build_iris_cells(iris: list[dict]) -> list:
    """Schematic IRIS polygons (WGS84, 6 decimals), one per IRIS in table order, areas ≈ real areas."""
    lon = np.array([i["lon"] for i in iris])
    lat = np.array([i["lat"] for i in iris])
    hectares = np.array([i["hectares"] for i in iris])
    points = np.column_stack(TO_METRIC.transform(lon, lat))
    outline = build_outline(points, hectares)
    targets = hectares / hectares.sum() * outline.area
    labels, x0, y0 = partition_raster(outline, points, targets)
    cells = shapely.coverage_simplify(raster_to_polygons(labels, x0, y0, len(iris)), SIMPLIFY_M)

    def to_wgs84(coords):
        return np.column_stack(TO_WGS84.transform(coords[:, 0], coords[:, 1]))

    cells = shapely.set_precision(shapely.transform(cells, to_wgs84), 1e-6)
    cells = shapely.orient_polygons(cells)  # RFC 7946: exterior rings counter-clockwise
    check_cells(iris, cells, targets)
    return list(cells)


def check_cells(iris: list[dict], cells, targets_m2: np.ndarray) -> None:
    """Fail loudly if a cell is invalid, not a polygon, far from its target area or misses its point."""
    metric = shapely.transform(cells, lambda c: np.column_stack(TO_METRIC.transform(c[:, 0], c[:, 1])))
    problems = []
    for row, cell, area, target in zip(iris, cells, shapely.area(metric), targets_m2):
        if cell.geom_type != "Polygon" or not cell.is_valid:
            problems.append(f"{row['code']}: {cell.geom_type}, valid={cell.is_valid}")
        elif not cell.contains(shapely.Point(row["lon"], row["lat"])):
            problems.append(f"{row['code']}: representative point outside its cell")
        elif abs(area / target - 1) > 0.10:
            problems.append(f"{row['code']}: area {area / 1e4:.1f} ha for a target of {target / 1e4:.1f} ha")
    if not shapely.coverage_is_valid(cells):
        problems.append("cells overlap")
    if problems:
        raise RuntimeError("schematic geometry: " + "; ".join(problems))


def geojson_text(iris: list[dict], cells: list) -> str:
    """The IRIS FeatureCollection, one feature per line, coordinates rounded to 6 decimals."""
    lines = []
    for row, cell in zip(iris, cells):
        rings = [cell.exterior] + list(cell.interiors)
        coordinates = [[[round(x, 6), round(y, 6)] for x, y in ring.coords] for ring in rings]
        feature = {"type": "Feature", "properties": {"code": row["code"], "name": row["name"]},
                   "geometry": {"type": "Polygon", "coordinates": coordinates}}
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


def random_point_in(cell, rng: np.random.Generator, margin_m: float = 25.0) -> tuple[float, float]:
    """A random point (lon, lat rounded to 6 decimals) at least ``margin_m`` inside a WGS84 cell."""
    metric = shapely.transform(cell, lambda c: np.column_stack(TO_METRIC.transform(c[:, 0], c[:, 1])))
    core = metric.buffer(-margin_m)
    west, south, east, north = core.bounds
    for _ in range(1000):
        x, y = rng.uniform(west, east), rng.uniform(south, north)
        if core.contains(shapely.Point(x, y)):
            lon, lat = TO_WGS84.transform(x, y)
            lon, lat = round(lon, 6), round(lat, 6)
            if cell.contains(shapely.Point(lon, lat)):
                return lon, lat
    raise RuntimeError(f"no point found inside a cell of bounds {cell.bounds}")


# ---------------------------------------------------------------------------------------- population


def iris_profiles(iris: list[dict], rng: np.random.Generator) -> dict:
    """Per IRIS: 2015 size, yearly trend, age profile (share per band) and demo social group."""
    size_range = {"qpv": (2700, 3900), "pericentre": (2400, 3500), "other": (1800, 3000), "affluent": (1800, 2500)}
    youth_range = {"qpv": (0.8, 1.0), "pericentre": (0.65, 0.9), "other": (0.45, 0.7), "affluent": (0.0, 0.2)}
    profiles = {}
    for row in iris:
        group = social_group(row["quartier"])
        youth = rng.uniform(*youth_range[group])
        shares = youth * YOUNG_PROFILE + (1 - youth) * OLD_PROFILE
        if row["quartier"] in CENTRAL_QUARTIERS:
            shares = shares + STUDENT_BUMP
        trend = rng.normal(-0.0015, 0.004) + (0.008 if row["quartier"] == "6822404" else 0.0)
        profiles[row["code"]] = {"size": rng.uniform(*size_range[group]), "trend": trend,
                                 "shares": shares / shares.sum(), "group": group}
    return profiles


def city_total(year: int) -> float:
    """Demo total population of the city: about 110,000 in 2006 down to about 107,000 in 2024."""
    return 110_000 - 3_000 * (year - 2006) / 18 + 250 * np.sin((year - 2006) / 3.0)


def build_population(iris: list[dict], profiles: dict) -> tuple[list[list], dict]:
    """Rows of population.csv and the same counts as arrays {(iris_code, year): array[sex, band]}."""
    ageing = np.clip((BAND_START + 2.5 - 45) / 30, -1.0, 1.5)
    counts = {}
    for year in YEARS:
        sizes = np.array([profiles[r["code"]]["size"] * np.exp(profiles[r["code"]]["trend"] * (year - 2015))
                          for r in iris])
        sizes *= city_total(year) / sizes.sum()
        for row, size in zip(iris, sizes):
            shares = profiles[row["code"]]["shares"] * (1 + 0.008 * (year - 2015) * ageing)
            shares /= shares.sum()
            counts[row["code"], year] = np.rint(size * shares * np.array([1 - MALE_SHARE, MALE_SHARE])).astype(int)
    rows = [[code, year, sex, band, int(counts[code, year][s, b])]
            for code, year in sorted(counts) for s, sex in enumerate(SEXES) for b, band in enumerate(AGE_BANDS)]
    return rows, counts


# -------------------------------------------------------------------------------------------- deaths


def france_rates() -> dict:
    """Demo French annual death rates {(period, sex): array[band]}: slow decline, covid bump after 2018."""
    rates = {}
    for period, years in PERIODS.items():
        middle = (years[0] + years[-1]) / 2
        decline = np.exp(np.where(PREMATURE, -0.018, -0.014) * (middle - 2014.5))
        covid = np.where(BAND_START >= 60, 1.03, 1.0) if period == "2018-2023" else 1.0
        for sex in SEXES:
            rates[period, sex] = np.array(FRANCE_RATES_2015[sex]) * decline * covid
    return rates


def build_reference_rates(rates: dict) -> list[list]:
    """Rows of reference_rates.csv (8 significant digits)."""
    return [["france", period, sex, band, significant(rates[period, sex][b], 8)]
            for period, sex in sorted(rates) for b, band in enumerate(AGE_BANDS)]


def relative_risks(iris: list[dict], profiles: dict, rng: np.random.Generator) -> dict:
    """Demo social gradient of mortality per IRIS: array[band] of relative risks against France."""
    risks = {}
    for row in iris:
        group = profiles[row["code"]]["group"]
        overall = {"qpv": rng.uniform(1.3, 1.42), "pericentre": rng.uniform(1.22, 1.32),
                   "affluent": rng.uniform(0.77, 0.84), "other": rng.uniform(0.92, 1.06)}[group]
        premature = 1 + (overall - 1) * (1.8 if overall > 1 else 1.4)
        risks[row["code"]] = np.where(PREMATURE, premature, overall)
    return risks


def build_deaths(iris: list[dict], population: dict, rates: dict, risks: dict,
                 rng: np.random.Generator) -> list[list]:
    """Rows of deaths.csv: Poisson draws of rate x relative risk x person-years per period."""
    rows = []
    for row in iris:
        code = row["code"]
        for period, years in PERIODS.items():
            person_years = sum(population[code, year] for year in years)
            for s, sex in enumerate(SEXES):
                expected = rates[period, sex] * risks[code] * person_years[s]
                for b, band in enumerate(AGE_BANDS):
                    rows.append([code, period, sex, band, int(rng.poisson(expected[b]))])
    return rows


# ----------------------------------------------------------------------------------------------- GPs

GP_TOTALS = {2012: 101, 2016: 96, 2020: 89, 2024: 81}
# Demo assumption: the city helped create MSP in high-need quartiers (none in Brustlein).
NEW_MSP = {
    2016: [("MSP des Coteaux (fictive)", "682240901"), ("MSP de Bourtzwiller (fictive)", "682241502")],
    2020: [("MSP de la Fonderie (fictive)", "682240202"), ("MSP du Drouot (fictive)", "682240502")],
    2024: [("MSP de Wolf Wagner (fictive)", "682241401")],
}
CENTRE_SANTE = ("Centre de santé du centre-ville (fictif)", "682240102")
PRACTICE_ATTRACTION = {"qpv": 0.5, "pericentre": 0.75, "other": 1.0, "affluent": 1.15}


def build_gp_practices(iris: list[dict], cells: dict, profiles: dict, population: dict,
                       rng: np.random.Generator) -> list[list]:
    """Rows of gp_practices.csv from a small simulation of GPs ageing, retiring and regrouping in MSP.

    Every GP has a birth year and a retirement age; the number of newcomers is set so that the city
    total follows GP_TOTALS; newcomers join the MSP first.
    """
    codes = [r["code"] for r in iris]
    weights = np.array([population[c, 2012].sum() * PRACTICE_ATTRACTION[profiles[c]["group"]]
                        * (1.4 if c[:7] in CENTRAL_QUARTIERS else 1.0) for c in codes])
    weights /= weights.sum()
    practices, gps = [], []  # practice: dict; gp: [practice index, birth year, retirement age]
    cabinet_numbers = {}

    def open_practice(name, kind, code):
        practices.append({"id": f"P{len(practices) + 1:03d}", "name": name, "kind": kind, "iris": code,
                          "point": random_point_in(cells[code], rng)})
        return len(practices) - 1

    def open_cabinet(code):
        letter = chr(ord("A") + sorted(QUARTIER_NAMES).index(code[:7]))
        cabinet_numbers[letter] = cabinet_numbers.get(letter, 0) + 1
        return open_practice(f"Cabinet médical {letter}{cabinet_numbers[letter]:02d} (fictif)", "cabinet", code)

    def add_gp(practice, year, newcomer):
        age = rng.integers(29, 41) if newcomer else int(np.clip(rng.normal(55, 8), 30, 69))
        gps.append([practice, year - age, int(rng.integers(62, 72))])

    centre = open_practice(CENTRE_SANTE[0], "centre_sante", CENTRE_SANTE[1])
    for _ in range(4):
        add_gp(centre, 2012, newcomer=False)
    # GPs of 2012 shared between IRIS in proportion to the (noisy) weights, largest remainders first.
    expected = weights * rng.lognormal(0, 0.35, len(codes))
    expected *= (GP_TOTALS[2012] - len(gps)) / expected.sum()
    per_iris = np.floor(expected).astype(int)
    per_iris[np.argsort(per_iris - expected)[: GP_TOTALS[2012] - len(gps) - per_iris.sum()]] += 1
    for code, count in zip(codes, per_iris):
        while count > 0:
            practice = open_cabinet(code)
            size = min(int(rng.choice([1, 2, 3, 4], p=[0.6, 0.2, 0.12, 0.08])), count)
            for _ in range(size):
                add_gp(practice, 2012, newcomer=False)
            count -= size

    rows = []
    for year in GP_YEARS:
        if year > GP_YEARS[0]:
            gps = [gp for gp in gps if year - gp[1] < gp[2]]
            msps = [open_practice(name, "msp", code) for name, code in NEW_MSP.get(year, [])]
            for msp in msps:  # two GPs of the quartier's cabinets move into the new MSP
                movers = [gp for gp in gps if practices[gp[0]]["kind"] == "cabinet"
                          and practices[gp[0]]["iris"][:7] == practices[msp]["iris"][:7]]
                for gp in movers[:2]:
                    gp[0] = msp
            newcomers = GP_TOTALS[year] - len(gps)
            while newcomers < 0:  # departures (moves, changes of activity)
                cabinet_gps = [k for k, gp in enumerate(gps) if practices[gp[0]]["kind"] == "cabinet"]
                gps.pop(cabinet_gps[rng.integers(len(cabinet_gps))])
                newcomers += 1
            all_msps = [k for k, p in enumerate(practices) if p["kind"] == "msp"]
            for n in range(newcomers):
                if n < len(msps):
                    practice = msps[n]
                elif all_msps and rng.random() < 0.3:
                    practice = all_msps[rng.integers(len(all_msps))]
                else:
                    practice = open_cabinet(codes[rng.choice(len(codes), p=weights)])
                add_gp(practice, year, newcomer=True)
        for index, practice in enumerate(practices):
            ages = [year - gp[1] for gp in gps if gp[0] == index]
            if ages:
                lon, lat = practice["point"]
                rows.append([practice["id"], year, practice["name"], practice["kind"], practice["iris"],
                             f"{lon:.6f}", f"{lat:.6f}", len(ages), sum(age >= 60 for age in ages)])
    return sorted(rows, key=lambda r: (r[1], r[0]))


# ---------------------------------------------------------------------------------- school screenings


def build_school_screenings(iris: list[dict], profiles: dict, population: dict,
                            rng: np.random.Generator) -> list[list]:
    """Rows of school_screenings.csv: bilan de grande section, binomial draws per IRIS and school year."""
    caries_range = {"qpv": (0.26, 0.34), "pericentre": (0.2, 0.27), "other": (0.12, 0.19), "affluent": (0.09, 0.12)}
    overweight_range = {"qpv": (0.15, 0.19), "pericentre": (0.12, 0.16), "other": (0.09, 0.13),
                        "affluent": (0.07, 0.09)}
    rows = []
    for row in iris:
        group = profiles[row["code"]]["group"]
        coverage = rng.uniform(0.8, 0.92)
        caries, overweight = rng.uniform(*caries_range[group]), rng.uniform(*overweight_range[group])
        for k, school_year in enumerate(SCHOOL_YEARS):
            counts = population[row["code"], int(school_year[:4])]
            cohort = int(round(counts[:, 0:2].sum() / 10))  # one year of age, around 5
            rate = np.clip(coverage + rng.normal(0, 0.03), 0.6, 0.97)
            if school_year == COVID_SCHOOL_YEAR:
                rate *= 0.62  # screenings stopped when schools closed in March 2020
            screened = int(rng.binomial(cohort, rate))
            trend = 1 - 0.025 * k
            rows.append([row["code"], school_year, screened, int(rng.binomial(screened, caries * trend)),
                         int(rng.binomial(screened, overweight))])
    return rows


# ----------------------------------------------------------------------------------------------- CLS

CONTRACTS = [
    ["cls1", "CLS 1", "Ville de Mulhouse", "2012-07-12", 2012, 2014],
    ["cls2", "CLS 2", "Ville de Mulhouse", "", 2015, 2020],
    ["cls3", "CLS 3", "Ville de Mulhouse", "", 2023, 2028],
]

CLS1_PRIORITIES = [
    "Prévention du surpoids et des maladies cardiovasculaires",
    "Prévention, dépistage et accompagnement des cancers",
    "Accès aux soins, aux droits et à la prévention des publics vulnérables",
    "Démarches participatives et communautaires en santé",
    "Santé de l'enfant",
    "Accès aux soins dans les quartiers prioritaires",
    "Santé mentale et souffrance psychique",
    "Conduites à risques",
    "Observation de la santé",
    "Santé environnementale",
    "Consolider l'Atelier Santé Ville",
]
CLS2_AXES = ["Des habitants acteurs de leur santé", "Axe 2", "Axe 3", "Axe 4", "Axe 5", "Axe 6"]
CLS3_AXES = [
    ("Prévenir", "Promouvoir les comportements et cadres de vie favorables à la santé"),
    ("Guérir", "Permettre l'accès aux soins de tous et renforcer l'attractivité du territoire"),
    ("Informer / former", "Former les habitants et les professionnels à la prévention et à l'accès aux soins"),
    ("Coordonner", "Communiquer, renforcer la connaissance des ressources, animer et évaluer le CLS"),
]

ALL_INDICATORS = ["icm", "icm_premature", "gp_density", "gp_60plus", "child_caries", "child_overweight"]
CHILD = ["child_caries", "child_overweight"]
GP = ["gp_density", "gp_60plus"]
AXIS_INDICATORS = {
    "cls1": {1: ["child_overweight", "icm", "icm_premature"], 2: ["icm", "icm_premature"],
             3: ["gp_density", "icm_premature"], 4: [], 5: CHILD, 6: GP, 7: ["icm_premature"],
             8: ["icm_premature"], 9: ALL_INDICATORS, 10: [], 11: []},
    "cls2": {1: CHILD + ["icm_premature"], 2: CHILD, 3: GP + ["icm"], 4: [], 5: [], 6: []},
    "cls3": {1: CHILD + ["icm_premature"], 2: GP + ["icm"], 3: CHILD, 4: ALL_INDICATORS},
}

QPV_CORE = ["6822409", "6822415", "6822417"]  # Coteaux, Bourtzwiller Est and Ouest
CITY = [COMMUNE_CODE]
ARS_2012 = "Agence Régionale de Santé d'Alsace"
ARS = "Agence Régionale de Santé Grand Est"
CPAM = "Caisse Primaire d'Assurance Maladie du Haut-Rhin"
RLAM = "Régime Local d'Assurance Maladie d'Alsace Moselle"

# One action: ids, text, schedule, demo budget, linked indicators, areas, and its follow-up indicators
# (label, kind, unit, target in the first year, target in the last year, per area?).
ACTIONS = [
    # ---- CLS 1 (2012-2014): titles are demo examples, one or two per priority.
    dict(id="cls1-a01", axis=1, title="Ateliers nutrition et activité physique en quartier (exemple fictif)",
         description="Cycles d'ateliers cuisine et de marche proposés aux familles avec les centres sociaux.",
         lead="Ville de Mulhouse", partners=["Centres sociaux", RLAM], public="Familles des quartiers prioritaires",
         years=(2012, 2014), status="realisee", budget=18000, indicators=["child_overweight", "icm_premature"],
         areas=QPV_CORE, follow=[("Ateliers organisés", "moyens", "ateliers", 20, 30, False),
                                 ("Familles participantes", "processus", "familles", 60, 90, False)]),
    dict(id="cls1-a02", axis=2, title="Relais de proximité pour les dépistages des cancers (exemple fictif)",
         description="Des médiateurs informent les habitants et les accompagnent vers les dépistages organisés.",
         lead="Ville de Mulhouse", partners=[ARS_2012, CPAM], public="Habitants de 50 à 74 ans",
         years=(2012, 2014), status="realisee", budget=24000, indicators=["icm_premature"],
         areas=["6822405", "6822402"], follow=[("Personnes accompagnées", "processus", "personnes", 150, 250, False)]),
    dict(id="cls1-a03", axis=3, title="Permanences d'accès aux droits et aux soins (exemple fictif)",
         description="Permanences hebdomadaires pour ouvrir des droits à l'assurance maladie et trouver un médecin.",
         lead=CPAM, partners=["Ville de Mulhouse", "Centres sociaux"], public="Personnes sans couverture ou sans médecin",
         years=(2012, 2014), status="realisee", budget=None, indicators=["gp_density"],
         areas=["6822402", "6822412"], follow=[("Permanences tenues", "moyens", "permanences", 40, 45, False),
                                               ("Droits ouverts", "resultat", "dossiers", 120, 160, False)]),
    dict(id="cls1-a04", axis=4, title="Groupes d'habitants sur la santé (exemple fictif)",
         description="Des habitants se réunissent pour choisir des thèmes de santé et monter de petites actions.",
         lead="Ville de Mulhouse", partners=["Centres sociaux"], public="Habitants",
         years=(2012, 2014), status="realisee", budget=6000, indicators=[],
         areas=["6822415", "6822417"], follow=[("Réunions de groupe", "moyens", "réunions", 8, 12, False)]),
    dict(id="cls1-a05", axis=5, title="Dépistage bucco-dentaire en grande section (exemple fictif)",
         description="Examen des dents au bilan de grande section et lettre aux parents si des soins sont nécessaires.",
         lead="Ville de Mulhouse", partners=[CPAM, "Éducation nationale"], public="Enfants de 5 à 6 ans",
         years=(2012, 2014), status="realisee", budget=15000, indicators=["child_caries"],
         areas=CITY, follow=[("Enfants examinés", "processus", "enfants", 1100, 1250, False),
                             ("Enfants orientés ayant consulté un dentiste", "resultat", "%", 40, 50, False)]),
    dict(id="cls1-a06", axis=5, title="Prévention du surpoids à l'école maternelle (exemple fictif)",
         description="Goûters équilibrés et jeux de mouvement travaillés avec les enseignants et les parents.",
         lead="Ville de Mulhouse", partners=["Éducation nationale", RLAM], public="Enfants de maternelle et parents",
         years=(2013, 2014), status="realisee", budget=9000, indicators=["child_overweight"],
         areas=QPV_CORE + ["6822405"], follow=[("Classes participantes", "processus", "classes", 12, 18, False)]),
    dict(id="cls1-a07", axis=6, title="Étude d'implantation de maisons de santé en quartier prioritaire (exemple fictif)",
         description="Repérage des besoins, des locaux possibles et des professionnels intéressés par un exercice regroupé.",
         lead="Ville de Mulhouse", partners=[ARS_2012, "Professionnels de santé libéraux"],
         public="Professionnels de santé", years=(2013, 2014), status="realisee", budget=12000, indicators=GP,
         areas=QPV_CORE, follow=[("Projets de regroupement identifiés", "resultat", "projets", 1, 2, False)]),
    dict(id="cls1-a08", axis=7, title="Réseau d'écoute et d'orientation en santé mentale (exemple fictif)",
         description="Un lieu d'écoute et un annuaire partagé pour orienter les personnes en souffrance psychique.",
         lead="Centre Hospitalier de Rouffach", partners=["Ville de Mulhouse", "Associations"],
         public="Adultes en souffrance psychique", years=(2012, 2014), status="realisee", budget=20000,
         indicators=["icm_premature"], areas=CITY,
         follow=[("Personnes reçues", "processus", "personnes", 80, 140, False)]),
    dict(id="cls1-a09", axis=8, title="Prévention des addictions auprès des jeunes (exemple fictif)",
         description="Interventions dans les collèges et les lieux de loisirs ; arrêtée faute d'intervenant.",
         lead="Associations", partners=["Ville de Mulhouse", "Éducation nationale"], public="Jeunes de 12 à 18 ans",
         years=(2012, 2013), status="abandonnee", budget=8000, indicators=["icm_premature"],
         areas=["6822414", "6822412"], follow=[("Séances en collège", "moyens", "séances", 20, 20, False)]),
    dict(id="cls1-a10", axis=9, title="Tableaux de bord de santé par quartier (exemple fictif)",
         description="Mise à jour des indicateurs de mortalité, d'offre de soins et de santé des enfants par quartier.",
         lead="Ville de Mulhouse", partners=["ORS Alsace", "AURM"], public="Élus et partenaires du CLS",
         years=(2012, 2014), status="realisee", budget=10000, indicators=ALL_INDICATORS, areas=CITY,
         follow=[("Indicateurs mis à jour", "moyens", "indicateurs", 6, 10, False)]),
    dict(id="cls1-a11", axis=10, title="Qualité de l'air intérieur dans les écoles (exemple fictif)",
         description="Mesures dans des classes et conseils d'aération donnés aux équipes des écoles.",
         lead="Ville de Mulhouse", partners=[ARS_2012], public="Écoles", years=(2013, 2014), status="realisee",
         budget=None, indicators=[], areas=CITY, follow=[("Écoles mesurées", "processus", "écoles", 5, 10, False)]),
    dict(id="cls1-a12", axis=11, title="Animation de l'Atelier Santé Ville (exemple fictif)",
         description="Coordination des acteurs de santé des quartiers prioritaires et suivi des actions de proximité.",
         lead="Ville de Mulhouse", partners=["Préfecture", ARS_2012], public="Acteurs des quartiers prioritaires",
         years=(2012, 2014), status="realisee", budget=30000, indicators=[],
         areas=QPV_CORE + ["6822402", "6822405"], follow=[("Réunions de réseau", "moyens", "réunions", 6, 8, False)]),
    # ---- CLS 2 (2015-2020): real titles; their attribution to axes 1-3 is a demo assumption.
    dict(id="cls2-a01", axis=1, title="« Fini les caries ! »",
         description="Brossage des dents accompagné en classe, dépistage et suivi des enfants jusqu'au dentiste.",
         lead="Ville de Mulhouse", partners=[CPAM, RLAM, "Éducation nationale"],
         public="Enfants des écoles maternelles et élémentaires", years=(2015, 2020), status="realisee",
         budget=35000, indicators=["child_caries"], areas=QPV_CORE + ["6822402", "6822405", "6822412"],
         follow=[("Enfants dépistés", "processus", "enfants", 60, 90, True),
                 ("Enfants orientés ayant consulté un dentiste", "resultat", "%", 45, 65, False)]),
    dict(id="cls2-a02", axis=1, title="« Les Colles du Poids »",
         description="Accompagnement des enfants en surpoids et de leur famille : repas, activité, rendez-vous de suivi.",
         lead="Ville de Mulhouse", partners=[RLAM, "Réseau de santé de l'enfant"], public="Enfants de 6 à 11 ans en surpoids",
         years=(2015, 2020), status="realisee", budget=22000, indicators=["child_overweight"],
         areas=QPV_CORE + ["6822405"], follow=[("Enfants suivis", "processus", "enfants", 40, 70, False),
                                               ("Enfants ayant terminé le parcours", "resultat", "%", 60, 75, False)]),
    dict(id="cls2-a03", axis=1, title="« Jump Ta Forme ! »",
         description="Séances d'activité physique ludiques pour les enfants, en dehors du temps scolaire.",
         lead="Ville de Mulhouse", partners=["Clubs sportifs", "Centres sociaux"], public="Enfants de 6 à 12 ans",
         years=(2016, 2020), status="realisee", budget=15000, indicators=["child_overweight"],
         areas=["6822415", "6822417", "6822402", "6822414"],
         follow=[("Séances proposées", "moyens", "séances", 60, 90, False),
                 ("Enfants inscrits", "processus", "enfants", 80, 130, False)]),
    dict(id="cls2-a04", axis=2, title="Commission Santé de l'Enfant",
         description="Instance où les acteurs de la santé de l'enfant mettent en commun leurs constats et leurs projets.",
         lead="Ville de Mulhouse", partners=["Éducation nationale", "Conseil Départemental du Haut-Rhin", CPAM],
         public="Professionnels de l'enfance", years=(2015, 2020), status="realisee", budget=None,
         indicators=CHILD, areas=CITY, follow=[("Réunions de la commission", "moyens", "réunions", 3, 4, False)]),
    dict(id="cls2-a05", axis=2, title="Poste de coordination et de lien avec les parents",
         description="Une coordinatrice relie l'école, les familles et les soignants pour que les enfants dépistés soient soignés.",
         lead="Ville de Mulhouse", partners=["Éducation nationale", ARS], public="Parents d'enfants dépistés",
         years=(2016, 2020), status="realisee", budget=45000, indicators=CHILD, areas=QPV_CORE + ["6822402"],
         follow=[("Familles contactées", "processus", "familles", 150, 260, False),
                 ("Enfants dépistés ayant reçu les soins", "resultat", "%", 50, 70, False)]),
    dict(id="cls2-a06", axis=3, title="Soutien à la création de maisons de santé pluriprofessionnelles et pôles médicaux",
         description="Aide de la Ville aux soignants qui se regroupent : locaux, montage du projet de santé, démarches.",
         lead="Ville de Mulhouse", partners=[ARS, CPAM, "Professionnels de santé libéraux"],
         public="Professionnels de santé", years=(2015, 2020), status="realisee", budget=120000, indicators=GP,
         areas=QPV_CORE + ["6822402", "6822405"],
         follow=[("Projets accompagnés", "processus", "projets", 1, 3, False),
                 ("Maisons de santé ouvertes", "resultat", "maisons", 0, 2, False)]),
    # ---- CLS 3 (2023-2028): real titles, demo schedule and values.
    dict(id="cls3-a01", axis=1, title="Maison des 1000 premiers jours",
         description="Un lieu unique pour les futurs et jeunes parents : consultations, ateliers et information.",
         lead="Ville de Mulhouse", partners=["Caisse d'Allocations Familiales du Haut-Rhin", "Collectivité européenne d'Alsace", ARS],
         public="Futurs parents et parents d'enfants de moins de 2 ans", years=(2024, 2028), status="en_cours",
         budget=150000, indicators=CHILD, areas=["6822402", "6822405"],
         follow=[("Familles accueillies", "processus", "familles", 150, 400, False),
                 ("Ateliers parents", "moyens", "ateliers", 20, 40, False)]),
    dict(id="cls3-a02", axis=1, title="Unité mobile de prévention et de dépistage « M'Ta Santé »",
         description="Un véhicule de prévention s'arrête dans les quartiers pour des dépistages et des conseils sans rendez-vous.",
         lead="Ville de Mulhouse", partners=[ARS, CPAM, "Mutualité Française Grand Est"], public="Habitants éloignés du soin",
         years=(2023, 2028), status="en_cours", budget=90000, indicators=["icm_premature"],
         areas=QPV_CORE + ["6822405", "6822402", "6822412", "6822414"],
         follow=[("Demi-journées de présence", "moyens", "demi-journées", 60, 120, True),
                 ("Personnes dépistées", "processus", "personnes", 400, 900, False),
                 ("Personnes orientées vers un médecin", "resultat", "personnes", 80, 180, False)]),
    dict(id="cls3-a03", axis=1, title="Sensibiliser à la santé environnementale",
         description="Animations sur l'air intérieur, le bruit et les produits du quotidien pour les habitants et les crèches.",
         lead="Ville de Mulhouse", partners=[ARS, "Associations"], public="Habitants et professionnels de la petite enfance",
         years=(2024, 2027), status="en_cours", budget=25000, indicators=[], areas=CITY,
         follow=[("Animations réalisées", "moyens", "animations", 10, 25, False)]),
    dict(id="cls3-a04", axis=1, title="Prévenir et accompagner la perte d'autonomie",
         description="Ateliers d'équilibre et repérage des fragilités des personnes âgées vivant à domicile.",
         lead="Ville de Mulhouse", partners=["Collectivité européenne d'Alsace", "Caisses de retraite"],
         public="Personnes de 60 ans ou plus", years=(2027, 2028), status="prevue", budget=40000, indicators=["icm"],
         areas=["6822407", "6822410", "6822401"], follow=[("Personnes repérées", "processus", "personnes", 100, 200, False)]),
    dict(id="cls3-a05", axis=2, title="Consultation innovante d'accès aux soins",
         description="Consultations sans médecin traitant pour les habitants sans suivi, puis aide à en trouver un.",
         lead="Groupe Hospitalier de la Région de Mulhouse et Sud Alsace", partners=["Ville de Mulhouse", CPAM, ARS],
         public="Habitants sans médecin traitant", years=(2025, 2028), status="en_cours", budget=80000,
         indicators=["gp_density", "icm"], areas=["6822402", "6822405"],
         follow=[("Consultations réalisées", "processus", "consultations", 300, 1200, False),
                 ("Patients ayant trouvé un médecin traitant", "resultat", "%", 30, 60, False)]),
    dict(id="cls3-a06", axis=2, title="Plateforme « Handiconsult »",
         description="Consultations adaptées pour les personnes en situation de handicap qui ont du mal à être soignées.",
         lead="Groupe Hospitalier de la Région de Mulhouse et Sud Alsace", partners=[ARS, "Associations"],
         public="Personnes en situation de handicap", years=(2023, 2025), status="realisee", budget=60000,
         indicators=[], areas=CITY, follow=[("Consultations adaptées", "processus", "consultations", 100, 300, False)]),
    dict(id="cls3-a07", axis=2, title="Favoriser l'installation des professionnels de santé",
         description="Accueil des jeunes médecins, aide au logement et mise en relation avec les maisons de santé.",
         lead="Ville de Mulhouse", partners=[ARS, CPAM, "Faculté de médecine de Strasbourg"], public="Médecins et internes",
         years=(2023, 2028), status="en_cours", budget=100000, indicators=GP,
         areas=QPV_CORE + ["6822405", "6822414"],
         follow=[("Internes accueillis", "moyens", "internes", 5, 12, False),
                 ("Médecins installés", "resultat", "médecins", 2, 4, False)]),
    dict(id="cls3-a08", axis=3, title="Former des habitants relais en santé",
         description="Formation d'habitants volontaires qui informent leurs voisins et les orientent vers les bons services.",
         lead="Ville de Mulhouse", partners=["Centres sociaux", "Instance Régionale d'Éducation et de Promotion de la Santé"],
         public="Habitants volontaires", years=(2024, 2028), status="en_cours", budget=30000, indicators=CHILD,
         areas=QPV_CORE + ["6822412", "6822403"],
         follow=[("Habitants formés", "processus", "personnes", 12, 30, False),
                 ("Actions menées par les relais", "resultat", "actions", 10, 40, False)]),
    dict(id="cls3-a09", axis=4, title="Coordination et gouvernance partagée du CLS",
         description="Réunions du comité de pilotage et du groupe opérationnel, lettre d'information aux partenaires.",
         lead="Ville de Mulhouse", partners=[ARS, "Préfecture", CPAM, RLAM], public="Partenaires du CLS",
         years=(2023, 2028), status="en_cours", budget=None, indicators=[], areas=CITY,
         follow=[("Comités de pilotage", "moyens", "réunions", 1, 2, False)]),
    dict(id="cls3-a10", axis=4, title="Outils de pilotage et de suivi",
         description="Observatoire par quartier et tableau de suivi des actions pour évaluer le contrat en continu.",
         lead="Ville de Mulhouse", partners=["ORS Grand Est", "AURM"], public="Élus et partenaires du CLS",
         years=(2023, 2028), status="en_cours", budget=20000, indicators=ALL_INDICATORS, areas=CITY,
         follow=[("Indicateurs suivis", "moyens", "indicateurs", 6, 12, False),
                 ("Actions renseignées dans le suivi", "processus", "%", 50, 90, False)]),
]


# Real facts from the sources (see README.md, "CLS sources"): who signed, how the first contract was governed
# and built, and the city's health milestones. ``source`` names the document each fact comes from.
COLLOQUE = "Ville de Mulhouse, colloque du 21 juin 2012"
LEAFLET = "Ville de Mulhouse, dépliant « Un Contrat Local de Santé, c'est quoi ? »"
METZGER = "H. Metzger, « L'Observatoire Local Dynamique de Santé »"
SIGNATORIES = {
    "cls1": ["Agence Régionale de Santé", "Préfecture", "Rectorat", "Conseil Général du Haut-Rhin", RLAM, CPAM,
             "Mutualité Française d'Alsace", "Centre Hospitalier de Mulhouse", "Centre Hospitalier de Rouffach",
             "Ville de Mulhouse"],
    "cls2": ["Ville de Mulhouse", "Agence Régionale de Santé", "Caisse Primaire d'Assurance Maladie",
             "Préfecture", "Régime Local d'Assurance Maladie", "Hôpitaux", "Conseil Départemental",
             "Mutualité Française d'Alsace"],
}
SIGNATORY_SOURCES = {"cls1": COLLOQUE, "cls2": METZGER}
GOVERNANCE = [
    ["cls1", 1, "Comité de pilotage",
     "Instance politique : fixe le périmètre du contrat, ses orientations et sa stratégie de mise en œuvre ; "
     "valide les propositions du groupe opérationnel ; engagement stratégique et financier de ses membres.",
     COLLOQUE],
    ["cls1", 2, "Groupe opérationnel",
     "Met en œuvre les orientations du comité de pilotage, prépare ses réunions, fait le lien avec les groupes "
     "de travail ; définit ces groupes, valide et formalise leurs propositions.", COLLOQUE],
    ["cls1", 3, "Groupes de travail thématiques",
     "9 groupes réunis de septembre à novembre 2011 (plus de 20 rencontres, plus d'une centaine d'acteurs) : "
     "approfondissent le diagnostic, repèrent l'existant, proposent des pistes d'action et des indicateurs "
     "d'évaluation.", COLLOQUE],
]
TIMELINE = [
    ["", "1991", "", "Mulhouse rejoint le Réseau Français des Villes-Santé de l'OMS", LEAFLET],
    ["", "2008", "", "Naissance de l'observatoire local de santé dans l'Atelier Santé Ville "
                     "(2009 selon le dépliant de la Ville)", METZGER],
    ["cls1", "2011-05-13", "", "Première rencontre du comité opérationnel", COLLOQUE],
    ["cls1", "2011-06-16", "", "Première rencontre du comité de pilotage", COLLOQUE],
    ["cls1", "2011-09", "2011-11", "Groupes de travail thématiques", COLLOQUE],
    ["cls1", "2011-09-16", "", "Présentation des orientations au Comité Mulhousien de Santé", COLLOQUE],
    ["cls1", "2011-10-21", "", "Groupe opérationnel : reprise des propositions des groupes de travail", COLLOQUE],
    ["cls1", "2011-12-21", "", "Comité de pilotage : validation des propositions, engagement des parties", COLLOQUE],
    ["cls1", "2012-01", "", "Signature de l'accord cadre du contrat", COLLOQUE],
    ["cls1", "2012-07-12", "", "Signature du Contrat Local de Santé", COLLOQUE],
    ["", "2012", "", "Rattachement de l'observatoire au CLS", METZGER],
    ["cls2", "2015", "", "Signature du 2e Contrat Local de Santé (2015-2020, 6 axes)", LEAFLET],
    ["cls3", "2023", "", "Signature du 3e Contrat Local de Santé (4 axes)", LEAFLET],
]


def build_cls_governance() -> dict[str, list[list]]:
    """Rows of cls_signatories.csv, cls_governance.csv and cls_timeline.csv (real facts, no random draw)."""
    signatories = [[contract, rank, name, SIGNATORY_SOURCES[contract]]
                   for contract, names in SIGNATORIES.items() for rank, name in enumerate(names, start=1)]
    return {
        "cls_signatories.csv": signatories,
        "cls_governance.csv": GOVERNANCE,
        "cls_timeline.csv": sorted(TIMELINE, key=lambda r: (r[1], r[2])),
    }


def build_cls_tables(rng: np.random.Generator) -> dict[str, list[list]]:
    """Rows of the six cls_*.csv tables."""
    axes, axis_links = [], []
    names = {"cls1": [(name, "") for name in CLS1_PRIORITIES], "cls2": [(name, "") for name in CLS2_AXES],
             "cls3": CLS3_AXES}
    for contract, axis_list in names.items():
        for number, (name, objective) in enumerate(axis_list, start=1):
            axes.append([contract, f"{contract}-{number}", number, name, objective])
            axis_links += [[contract, f"{contract}-{number}", ind] for ind in AXIS_INDICATORS[contract][number]]

    actions, action_areas, follow_up = [], [], []
    for action in ACTIONS:
        contract = action["id"].split("-")[0]
        start, end = action["years"]
        actions.append([action["id"], contract, f"{contract}-{action['axis']}", action["title"],
                        action["description"], action["lead"], ";".join(action["partners"]), action["public"],
                        start, end, action["status"], action["budget"], ";".join(action["indicators"])])
        action_areas += [[action["id"], code] for code in action["areas"]]
        for label, kind, unit, first, last, per_area in action["follow"]:
            for area in (action["areas"] if per_area else [""]):
                size = rng.uniform(0.6, 1.4) if per_area else 1.0  # per-area targets differ between areas
                for year in range(start, end + 1):
                    target = size * (first + (last - first) * (year - start) / max(end - start, 1))
                    target = round(target, 1) if unit == "%" else int(round(target))
                    achieved = None
                    if year < CURRENT_YEAR:
                        low, high = (0.35, 0.7) if action["status"] == "abandonnee" else (0.75, 1.1)
                        achieved = target * rng.uniform(low, high)
                        achieved = round(min(achieved, 100.0), 1) if unit == "%" else int(round(achieved))
                    follow_up.append([action["id"], label, kind, unit, year, target, achieved, area])
    return {
        "cls_contracts.csv": CONTRACTS,
        "cls_axes.csv": axes,
        "cls_axis_indicators.csv": sorted(axis_links, key=lambda r: (r[0], int(r[1].split("-")[1]), r[2])),
        "cls_actions.csv": actions,
        "cls_action_areas.csv": sorted(action_areas),
        "cls_action_indicators.csv": sorted(follow_up, key=lambda r: (r[0], r[1], r[7], r[4])),
    }


# ----------------------------------------------------------------------------------------------- I/O

COLUMNS = {
    "areas.csv": ["code", "name", "level", "parent_code"],
    "population.csv": ["iris_code", "year", "sex", "age_band", "population"],
    "deaths.csv": ["iris_code", "period", "sex", "age_band", "deaths"],
    "reference_rates.csv": ["reference", "period", "sex", "age_band", "rate"],
    "gp_practices.csv": ["practice_id", "year", "name", "kind", "iris_code", "lon", "lat", "gps", "gps_60plus"],
    "school_screenings.csv": ["iris_code", "school_year", "screened", "caries_untreated", "overweight"],
    "cls_contracts.csv": ["contract_id", "name", "territory", "signed_on", "start_year", "end_year"],
    "cls_axes.csv": ["contract_id", "axis_id", "number", "name", "objective"],
    "cls_axis_indicators.csv": ["contract_id", "axis_id", "indicator_id"],
    "cls_actions.csv": ["action_id", "contract_id", "axis_id", "title", "description", "lead", "partners",
                        "target_public", "start_year", "end_year", "status", "budget_eur", "indicator_ids"],
    "cls_action_areas.csv": ["action_id", "area_code"],
    "cls_action_indicators.csv": ["action_id", "indicator_label", "kind", "unit", "year", "target", "achieved",
                                  "area_code"],
    "cls_signatories.csv": ["contract_id", "rank", "signatory", "source"],
    "cls_governance.csv": ["contract_id", "rank", "instance", "role", "source"],
    "cls_timeline.csv": ["contract_id", "date", "end_date", "event", "source"],
}


def significant(value: float, digits: int) -> str:
    """``value`` written with ``digits`` significant digits, never in scientific notation."""
    return np.format_float_positional(value, precision=digits, unique=True, fractional=False, trim="-")


def write_csv(path: Path, rows: list[list]) -> None:
    """Write rows under the documented header: UTF-8, comma, LF, empty cell for None."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS[path.name])
        writer.writerows([["" if v is None else v for v in row] for row in rows])


def generate(output_dir: Path) -> str:
    """Write every demo file into ``output_dir``; return a one-line summary."""
    output_dir.mkdir(parents=True, exist_ok=True)
    iris = read_iris_table()
    cells = build_iris_cells(iris)
    (output_dir / "iris.geojson").write_text(geojson_text(iris, cells), encoding="utf-8", newline="\n")

    profiles = iris_profiles(iris, rng_for(1))
    population_rows, population = build_population(iris, profiles)
    rates = france_rates()
    deaths_rows = build_deaths(iris, population, rates, relative_risks(iris, profiles, rng_for(2)), rng_for(3))
    cells_by_code = {row["code"]: cell for row, cell in zip(iris, cells)}
    tables = {
        "areas.csv": build_areas(iris),
        "population.csv": population_rows,
        "deaths.csv": deaths_rows,
        "reference_rates.csv": build_reference_rates(rates),
        "gp_practices.csv": build_gp_practices(iris, cells_by_code, profiles, population, rng_for(4)),
        "school_screenings.csv": build_school_screenings(iris, profiles, population, rng_for(5)),
        **build_cls_tables(rng_for(6)),
        **build_cls_governance(),
    }
    for name, rows in tables.items():
        write_csv(output_dir / name, rows)

    people = sum(r[4] for r in population_rows if r[1] == 2024)
    deaths_per_year = sum(r[4] for r in deaths_rows) / 18
    gps = {year: sum(r[7] for r in tables["gp_practices.csv"] if r[1] == year) for year in GP_YEARS}
    return (f"demo data written to {output_dir}: {people} inhabitants in 2024, {deaths_per_year:.0f} deaths a year, "
            f"GPs {gps}, {len(tables['cls_actions.csv'])} CLS actions")


if __name__ == "__main__":
    print(generate(Path(sys.argv[1]) if len(sys.argv) > 1 else OUTPUT_DIR))
