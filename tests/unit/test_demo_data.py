"""The embedded demo dataset (data/) is complete, coherent and exactly what data/generate.py writes."""

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
GENERATED = [
    "areas.csv", "population.csv", "deaths.csv", "reference_rates.csv", "gp_practices.csv",
    "school_screenings.csv", "cls_contracts.csv", "cls_axes.csv", "cls_axis_indicators.csv", "cls_actions.csv",
    "cls_action_areas.csv", "cls_action_indicators.csv", "cls_signatories.csv", "cls_governance.csv",
    "cls_timeline.csv", "iris.geojson",
]
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
    "indicators.csv": ["id", "label", "short_label", "definition", "unit", "polarity", "source"],
    "cls_signatories.csv": ["contract_id", "rank", "signatory", "source"],
    "cls_governance.csv": ["contract_id", "rank", "instance", "role", "source"],
    "cls_timeline.csv": ["contract_id", "date", "end_date", "event", "source"],
    "network_2011_cities.csv": ["city", "status"],
    "network_2011_breakdown.csv": ["breakdown", "group", "signed", "in_progress", "no"],
    "network_2012_reasons.csv": ["reason", "cities"],
    "network_2012_answers.csv": ["measure", "label", "count", "out_of"],
}
# Sort keys documented in data/README.md (numbers compared as numbers).
SORT_KEYS = {
    "areas.csv": ["code"],
    "population.csv": ["iris_code", "year", "sex", "age_band"],
    "deaths.csv": ["iris_code", "period", "sex", "age_band"],
    "reference_rates.csv": ["reference", "period", "sex", "age_band"],
    "gp_practices.csv": ["year", "practice_id"],
    "school_screenings.csv": ["iris_code", "school_year"],
    "cls_contracts.csv": ["contract_id"],
    "cls_axes.csv": ["contract_id", "number"],
    "cls_action_areas.csv": ["action_id", "area_code"],
    "cls_actions.csv": ["action_id"],
    "cls_action_indicators.csv": ["action_id", "indicator_label", "area_code", "year"],
    "cls_signatories.csv": ["contract_id", "rank"],
    "cls_governance.csv": ["contract_id", "rank"],
    "cls_timeline.csv": ["date", "end_date"],
    "network_2011_cities.csv": ["city"],
}
AGE_BANDS = [f"{a:02d}-{a + 4:02d}" for a in range(0, 90, 5)] + ["90+"]
PERIODS = {"2006-2011": range(2006, 2012), "2012-2017": range(2012, 2018), "2018-2023": range(2018, 2024)}
TO_METRIC = pyproj.Transformer.from_crs(4326, 2154, always_xy=True)


def to_metric(geometry):
    """The same geometry in Lambert-93 (metres)."""
    return shapely.transform(geometry, lambda c: np.column_stack(TO_METRIC.transform(c[:, 0], c[:, 1])))


def read(name):
    return pd.read_csv(DATA_DIR / name, dtype=str, keep_default_na=False, encoding="utf-8")


def integers(frame, column):
    return frame[column].astype("int64")


@pytest.fixture(scope="module")
def generator():
    spec = importlib.util.spec_from_file_location("demo_generate", DATA_DIR / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def areas():
    return read("areas.csv")


@pytest.fixture(scope="module")
def iris_shapes():
    collection = json.loads((DATA_DIR / "iris.geojson").read_text(encoding="utf-8"))
    return {f["properties"]["code"]: shapely.geometry.shape(f["geometry"]) for f in collection["features"]}


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_each_table_exists_with_its_documented_columns(name):
    assert read(name).columns.tolist() == COLUMNS[name]


@pytest.mark.parametrize("name", sorted(COLUMNS) + ["iris.geojson"])
def test_files_are_utf8_with_lf_line_ends(name):
    raw = (DATA_DIR / name).read_bytes()
    raw.decode("utf-8")
    assert b"\r" not in raw
    assert raw.endswith(b"\n")


@pytest.mark.parametrize("name", sorted(SORT_KEYS))
def test_rows_are_sorted_by_their_documented_keys(name):
    frame = read(name)
    keys = frame[SORT_KEYS[name]].copy()
    for column in ("year", "number", "rank"):
        if column in keys:
            keys[column] = keys[column].astype(int)
    assert keys.equals(keys.sort_values(SORT_KEYS[name]).reset_index(drop=True))


def test_areas_hold_one_commune_18_quartiers_and_43_iris(areas):
    assert areas["level"].value_counts().to_dict() == {"iris": 43, "quartier": 18, "commune": 1}
    commune = areas[areas["level"] == "commune"].iloc[0]
    assert (commune["code"], commune["name"], commune["parent_code"]) == ("68224", "Mulhouse", "")
    quartiers = areas[areas["level"] == "quartier"]
    assert (quartiers["parent_code"] == "68224").all()
    iris = areas[areas["level"] == "iris"]
    assert (iris["parent_code"] == iris["code"].str[:7]).all()
    assert set(iris["parent_code"]) == set(quartiers["code"])
    assert areas["code"].is_unique and areas["name"].is_unique


def test_every_code_in_every_table_is_known(areas, iris_shapes):
    iris_codes = set(areas.loc[areas["level"] == "iris", "code"])
    for name in ["population.csv", "deaths.csv", "gp_practices.csv", "school_screenings.csv"]:
        assert set(read(name)["iris_code"]) <= iris_codes, name
    assert set(iris_shapes) == iris_codes
    action_areas = read("cls_action_areas.csv")
    assert set(action_areas["area_code"]) <= set(areas["code"])
    follow_up = read("cls_action_indicators.csv")
    assert set(follow_up["area_code"]) - {""} <= set(areas["code"])
    actions = read("cls_actions.csv")
    assert set(action_areas["action_id"]) == set(actions["action_id"])
    assert set(follow_up["action_id"]) <= set(actions["action_id"])


def test_cls_tables_refer_to_known_contracts_axes_and_indicators():
    indicator_ids = set(read("indicators.csv")["id"])
    contracts = read("cls_contracts.csv")
    axes = read("cls_axes.csv")
    assert axes.groupby("contract_id").size().to_dict() == {"cls1": 11, "cls2": 6, "cls3": 4}
    assert (axes["axis_id"] == axes["contract_id"] + "-" + axes["number"]).all()
    assert set(axes["contract_id"]) == set(contracts["contract_id"])
    links = read("cls_axis_indicators.csv")
    assert set(zip(links["contract_id"], links["axis_id"])) <= set(zip(axes["contract_id"], axes["axis_id"]))
    assert set(links["indicator_id"]) <= indicator_ids
    actions = read("cls_actions.csv")
    assert set(zip(actions["contract_id"], actions["axis_id"])) <= set(zip(axes["contract_id"], axes["axis_id"]))
    linked = {i for ids in actions["indicator_ids"] for i in ids.split(";") if i}
    assert linked <= indicator_ids
    assert set(actions["status"]) <= {"prevue", "en_cours", "realisee", "abandonnee"}
    assert (integers(actions, "start_year") <= integers(actions, "end_year")).all()
    assert pd.to_numeric(actions["budget_eur"].replace("", None)).dropna().ge(0).all()


def test_cls_governance_holds_the_real_facts_of_the_sources():
    signatories = read("cls_signatories.csv")
    assert signatories.groupby("contract_id").size().to_dict() == {"cls1": 10, "cls2": 8}
    assert "Centre Hospitalier de Rouffach" in set(signatories["signatory"])
    governance = read("cls_governance.csv")
    assert governance["instance"].tolist() == ["Comité de pilotage", "Groupe opérationnel",
                                               "Groupes de travail thématiques"]
    timeline = read("cls_timeline.csv")
    assert set(timeline["contract_id"]) <= {"", "cls1", "cls2", "cls3"}
    assert timeline["date"].str.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?").all()
    assert ("cls1", "2012-07-12") in set(zip(timeline["contract_id"], timeline["date"]))
    assert ("", "1991") in set(zip(timeline["contract_id"], timeline["date"]))


def test_network_surveys_add_up_to_their_published_totals():
    cities = read("network_2011_cities.csv")
    assert cities["status"].value_counts().to_dict() == {"en_cours": 23, "non": 12, "oui": 1}
    breakdown = read("network_2011_breakdown.csv")
    for kind in ("size", "region"):
        rows = breakdown[breakdown["breakdown"] == kind]
        assert [integers(rows, c).sum() for c in ("signed", "in_progress", "no")] == [1, 23, 12], kind
    reasons = read("network_2012_reasons.csv")
    assert dict(zip(reasons["reason"], integers(reasons, "cities"))) == {
        "Prévention": 24, "Accès aux soins": 22, "Santé mentale": 19, "Approches populationnelles": 17,
        "Coordination": 15, "Observation": 12, "Santé dans toutes les politiques publiques": 10, "Autre": 5}
    answers = read("network_2012_answers.csv").set_index("measure")
    assert answers.loc["signed_or_signing", ["count", "out_of"]].tolist() == ["29", "36"]
    assert answers.loc["responses", "count"] == "37"


def test_action_follow_up_is_not_achieved_in_the_future():
    follow_up = read("cls_action_indicators.csv")
    assert set(follow_up["kind"]) <= {"moyens", "processus", "resultat"}
    future = integers(follow_up, "year") >= 2026
    assert (follow_up.loc[future, "achieved"] == "").all()
    assert (follow_up.loc[~future, "achieved"] != "").all()
    assert (follow_up["target"] != "").all()


@pytest.mark.parametrize("name, columns", [
    ("population.csv", ["population"]),
    ("deaths.csv", ["deaths"]),
    ("gp_practices.csv", ["gps", "gps_60plus"]),
    ("school_screenings.csv", ["screened", "caries_untreated", "overweight"]),
])
def test_counts_are_non_negative_integers(name, columns):
    frame = read(name)
    for column in columns:
        assert frame[column].str.fullmatch(r"\d+").all(), column


def test_population_covers_every_iris_year_sex_and_age_band():
    population = read("population.csv")
    assert len(population) == 43 * 19 * 2 * 19
    assert sorted(population["age_band"].unique()) == AGE_BANDS
    assert sorted(integers(population, "year").unique()) == list(range(2006, 2025))


def test_total_population_is_about_108000_each_year():
    population = read("population.csv")
    totals = population.assign(population=integers(population, "population")).groupby("year")["population"].sum()
    assert totals.between(104_000, 112_000).all()
    per_iris = population.assign(population=integers(population, "population")).groupby(
        ["iris_code", "year"])["population"].sum()
    assert per_iris.between(1_000, 5_000).all()


def test_deaths_never_exceed_person_years():
    population = read("population.csv")
    population["population"] = integers(population, "population")
    population["period"] = population["year"].astype(int).map(
        {year: period for period, years in PERIODS.items() for year in years})
    person_years = population.dropna(subset="period").groupby(["iris_code", "period", "sex", "age_band"])[
        "population"].sum()
    deaths = read("deaths.csv")
    deaths["deaths"] = integers(deaths, "deaths")
    joined = deaths.join(person_years, on=["iris_code", "period", "sex", "age_band"])
    assert joined["population"].notna().all()
    assert (joined["deaths"] <= joined["population"]).all()


def test_city_has_a_plausible_number_of_deaths_a_year():
    deaths = read("deaths.csv")
    per_year = integers(deaths, "deaths").groupby(deaths["period"]).sum() / 6
    assert per_year.between(850, 1_150).all()


def test_reference_rates_are_probabilities_for_every_period_sex_and_band():
    rates = read("reference_rates.csv")
    assert len(rates) == 3 * 2 * 19
    values = rates["rate"].astype(float)
    assert values.between(0, 1, inclusive="neither").all()


def test_gp_60plus_never_exceeds_gps():
    practices = read("gp_practices.csv")
    assert (integers(practices, "gps_60plus") <= integers(practices, "gps")).all()
    assert (integers(practices, "gps") >= 1).all()
    assert set(practices["kind"]) <= {"cabinet", "msp", "centre_sante"}
    assert not (practices["kind"].eq("msp") & integers(practices, "year").lt(2016)).any()


def test_practices_lie_inside_their_iris(iris_shapes):
    practices = read("gp_practices.csv")
    for row in practices.itertuples():
        assert iris_shapes[row.iris_code].contains(shapely.Point(float(row.lon), float(row.lat))), row.practice_id


def test_screening_outcomes_never_exceed_screened():
    screenings = read("school_screenings.csv")
    screened = integers(screenings, "screened")
    assert (integers(screenings, "caries_untreated") <= screened).all()
    assert (integers(screenings, "overweight") <= screened).all()


def test_geojson_holds_one_valid_polygon_per_iris_with_code_and_name_only(areas):
    collection = json.loads((DATA_DIR / "iris.geojson").read_text(encoding="utf-8"))
    names = areas.set_index("code")["name"]
    assert collection["type"] == "FeatureCollection"
    for feature in collection["features"]:
        assert set(feature["properties"]) == {"code", "name"}
        assert feature["properties"]["name"] == names[feature["properties"]["code"]]
        assert feature["geometry"]["type"] == "Polygon"
        assert shapely.geometry.shape(feature["geometry"]).is_valid
    assert (DATA_DIR / "iris.geojson").stat().st_size < 150_000


def test_iris_polygons_do_not_overlap_and_fit_the_city_box(iris_shapes):
    shapes = list(iris_shapes.values())
    metric = to_metric(shapes)
    union = shapely.union_all(metric)
    assert union.area == pytest.approx(sum(g.area for g in metric), abs=10.0)  # overlaps below 10 m²
    assert union.area == pytest.approx(22.4e6, rel=0.02)
    west, south, east, north = shapely.union_all(shapes).bounds
    assert 7.2826 <= west and east <= 7.3687 and 47.7219 <= south and north <= 47.7835


def test_iris_areas_are_within_15_percent_of_their_real_areas(generator, iris_shapes):
    iris = generator.read_iris_table()
    total = sum(row["hectares"] for row in iris)
    city = sum(to_metric(shape).area for shape in iris_shapes.values())
    for row in iris:
        area = to_metric(iris_shapes[row["code"]]).area
        assert area == pytest.approx(row["hectares"] / total * city, rel=0.15), row["code"]


def test_each_representative_point_lies_in_its_own_cell(generator, iris_shapes):
    for row in generator.read_iris_table():
        assert iris_shapes[row["code"]].contains(shapely.Point(row["lon"], row["lat"])), row["code"]


def test_generator_rewrites_the_committed_files_byte_for_byte(tmp_path):
    subprocess.run([sys.executable, str(DATA_DIR / "generate.py"), str(tmp_path)], check=True,
                   capture_output=True)
    for name in GENERATED:
        assert (tmp_path / name).read_bytes() == (DATA_DIR / name).read_bytes(), name
