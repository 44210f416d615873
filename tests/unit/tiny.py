"""A hand-built dataset small enough to compute every indicator by hand in the tests."""

import geopandas as gpd
import pandas as pd
from shapely.geometry import box

from dashboard.store import Dataset


def frame(rows, columns):
    return pd.DataFrame(rows, columns=columns)


def tiny_dataset() -> Dataset:
    """Commune 99999 with quartiers 9999901 (IRIS A, B) and 9999902 (IRIS C); period 2010-2011."""
    areas = frame(
        [
            ("99999", "Ville", "commune", ""),
            ("9999901", "Nord", "quartier", "99999"),
            ("9999902", "Sud", "quartier", "99999"),
            ("999990101", "A", "iris", "9999901"),
            ("999990102", "B", "iris", "9999901"),
            ("999990201", "C", "iris", "9999902"),
        ],
        ["code", "name", "level", "parent_code"],
    )
    # Two age bands, one sex, the same population both years (person-years = 2 × population).
    population = frame(
        [
            (iris, year, "F", band, pop)
            for iris, young, old in (("999990101", 1000, 100), ("999990102", 500, 400), ("999990201", 2000, 500))
            for year in (2010, 2011)
            for band, pop in (("00-04", young), ("65-69", old))
        ],
        ["iris_code", "year", "sex", "age_band", "population"],
    )
    deaths = frame(
        [
            ("999990101", "2010-2011", "F", "00-04", 2), ("999990101", "2010-2011", "F", "65-69", 8),
            ("999990102", "2010-2011", "F", "00-04", 1), ("999990102", "2010-2011", "F", "65-69", 20),
            ("999990201", "2010-2011", "F", "00-04", 3), ("999990201", "2010-2011", "F", "65-69", 22),
        ],
        ["iris_code", "period", "sex", "age_band", "deaths"],
    )
    reference_rates = frame(
        [("france", "2010-2011", "F", "00-04", 0.001), ("france", "2010-2011", "F", "65-69", 0.02)],
        ["reference", "period", "sex", "age_band", "rate"],
    )
    gp_practices = frame(
        [
            ("p1", 2011, "Cabinet (fictif)", "cabinet", "999990101", 0.0, 0.0, 2, 1),
            ("p2", 2011, "MSP (fictive)", "msp", "999990201", 0.0, 0.0, 3, 0),
        ],
        ["practice_id", "year", "name", "kind", "iris_code", "lon", "lat", "gps", "gps_60plus"],
    )
    screenings = frame(
        [
            ("999990101", "2010-2011", 40, 10, 4),
            ("999990102", "2010-2011", 0, 0, 0),
            ("999990201", "2010-2011", 60, 6, 12),
        ],
        ["iris_code", "school_year", "screened", "caries_untreated", "overweight"],
    )
    catalogue = pd.read_csv(
        __import__("dashboard.config", fromlist=["DEMO_DATA_DIR"]).DEMO_DATA_DIR / "indicators.csv", dtype=str
    )
    contracts = frame([("c1", "CLS 1", "Ville", "", "2010", "2012")],
                      ["contract_id", "name", "territory", "signed_on", "start_year", "end_year"])
    axes = frame([("c1", "c1-1", 1, "Prévenir", ""), ("c1", "c1-2", 2, "Guérir", "")],
                 ["contract_id", "axis_id", "number", "name", "objective"])
    axis_indicators = frame([("c1", "c1-1", "child_caries"), ("c1", "c1-2", "gp_density"), ("c1", "c1-2", "icm")],
                            ["contract_id", "axis_id", "indicator_id"])
    actions = frame(
        [
            ("a1", "c1", "c1-1", "Brossage (fictif)", "Ville", "2010", "2012", "en_cours"),
            ("a2", "c1", "c1-2", "Maison de santé (fictive)", "ARS", "2010", "2012", "realisee"),
            ("a3", "c1", "c1-2", "Coordination (fictive)", "Ville", "2010", "2012", "en_cours"),
        ],
        ["action_id", "contract_id", "axis_id", "title", "lead", "start_year", "end_year", "status"],
    )
    action_areas = frame([("a1", "999990101"), ("a2", "9999902"), ("a3", "99999")], ["action_id", "area_code"])
    signatories = frame([("c1", 1, "Ville", "doc"), ("c1", 2, "ARS", "doc")],
                        ["contract_id", "rank", "signatory", "source"])
    governance = frame([("c1", 1, "Comité de pilotage", "Décide.", "doc")],
                       ["contract_id", "rank", "instance", "role", "source"])
    timeline = frame([("c1", "2010-03-01", "", "Signature", "doc"), ("", "1991", "", "Adhésion au réseau", "doc")],
                     ["contract_id", "date", "end_date", "event", "source"])
    shapes = gpd.GeoDataFrame(
        {"code": ["999990101", "999990102", "999990201"], "name": ["A", "B", "C"]},
        geometry=[box(0, 1, 1, 2), box(1, 1, 2, 2), box(0, 0, 2, 1)],
        crs=4326,
    )
    tables = {
        "areas": areas, "population": population, "deaths": deaths, "reference_rates": reference_rates,
        "gp_practices": gp_practices, "screenings": screenings, "catalogue": catalogue, "contracts": contracts,
        "axes": axes, "axis_indicators": axis_indicators, "actions": actions, "action_areas": action_areas,
        "action_indicators": action_indicators(), "signatories": signatories, "governance": governance,
        "timeline": timeline,
    }
    return Dataset(tables=tables, iris_shapes=shapes, is_demo=True, schematic_geometry=True, version="tiny",
                   source_label="Données fictives de test", updated="2026-01-01")


def action_indicators() -> pd.DataFrame:
    """Follow-up of the tiny actions (read as text, like the CSV), chosen so every share is easy to check.

    a1 "Séances": IRIS A and B each year; 2010 → (8 + 16) / (10 + 20) = 0.8; 2011: B has not reported → unknown.
    a1 "Part soignée" (%): 2010 → 40 / 50 = 0.8; 2011 → 66 / 60 = 1.1; 2012 not known yet.
    a2 "Médecins installés": 2010 → 1 / 2 = 0.5; 2011 → 3 / 2 = 1.5. a3 has no indicator.
    """
    rows = [
        ("a1", "Séances", "moyens", "séances", "2010", "10", "8", "999990101"),
        ("a1", "Séances", "moyens", "séances", "2010", "20", "16", "999990102"),
        ("a1", "Séances", "moyens", "séances", "2011", "10", "5", "999990101"),
        ("a1", "Séances", "moyens", "séances", "2011", "20", "", "999990102"),
        ("a1", "Part soignée", "resultat", "%", "2010", "50", "40", ""),
        ("a1", "Part soignée", "resultat", "%", "2011", "60", "66", ""),
        ("a1", "Part soignée", "resultat", "%", "2012", "70", "", ""),
        ("a2", "Médecins installés", "resultat", "médecins", "2010", "2", "1", ""),
        ("a2", "Médecins installés", "resultat", "médecins", "2011", "2", "3", ""),
    ]
    table = frame(rows, ["action_id", "indicator_label", "kind", "unit", "year", "target", "achieved", "area_code"])
    for column in ("target", "achieved"):
        table[column] = pd.to_numeric(table[column].replace("", None), errors="coerce")
    return table
