"""Imports on SQLite and PostgreSQL: French spreadsheet files, boundaries in any CRS, the real IRIS of Mulhouse,
and a table of malformed inputs that must each give their precise French message and write nothing."""

import hashlib
import io
import json
import zipfile

import geopandas as gpd
import pandas as pd
import pytest
import shapely
import sqlalchemy as sa

from dashboard import database, data, geometry, imports, indicators, store, versions
from dashboard.config import DEMO_DATA_DIR, Settings
from tests.conftest import SHARED_MULHOUSE
from tests.databases import shared_database_url  # noqa: F401  (fixture)


def demo_file(name: str) -> str:
    return (DEMO_DATA_DIR / name).read_text(encoding="utf-8")


SCREENINGS = demo_file("school_screenings.csv")
POPULATION = demo_file("population.csv")
DEATHS = demo_file("deaths.csv")
AREAS = pd.read_csv(DEMO_DATA_DIR / "areas.csv", dtype=str, keep_default_na=False)
IRIS = gpd.read_file(DEMO_DATA_DIR / "iris.geojson")


def lines_of(text: str) -> list[str]:
    return text.strip("\n").split("\n")


def replace_line(text: str, number: int, new: str) -> str:
    """``text`` with line ``number`` (1 = header) replaced."""
    lines = lines_of(text)
    lines[number - 1] = new
    return "\n".join(lines) + "\n"


def mapping_csv(drop: str | None = None) -> bytes:
    iris = AREAS[(AREAS["level"] == "iris") & (AREAS["code"] != drop)]
    names = AREAS.set_index("code")["name"]
    frame = pd.DataFrame({"iris_code": iris["code"], "quartier_code": iris["parent_code"],
                          "quartier_name": iris["parent_code"].map(names)})
    return frame.to_csv(index=False, sep=";").encode("utf-8")


def geojson(shapes: gpd.GeoDataFrame) -> bytes:
    return shapes.to_json().encode("utf-8")


def boundaries_with(code_of_first=None, geometry_of_first=None, drop=None) -> bytes:
    shapes = IRIS.copy()
    if code_of_first is not None:
        shapes.loc[0, "code"] = code_of_first
    if geometry_of_first is not None:
        shapes.loc[0, "geometry"] = geometry_of_first
    if drop is not None:
        shapes = shapes[shapes["code"] != drop]
    return geojson(shapes)


def zipped(files: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def lambert_without_crs() -> bytes:
    projected = json.loads(IRIS.to_crs(2154).to_json())
    projected.pop("crs", None)
    return json.dumps(projected).encode()


BOW_TIE = shapely.Polygon([(7.30, 47.74), (7.31, 47.75), (7.31, 47.74), (7.30, 47.75), (7.30, 47.74)])
FIRST_IRIS = IRIS.loc[0, "code"]

# (case id, files, expected message, expected file, line, column, value); None = not checked.
MALFORMED = [
    ("empty file", {"school_screenings.csv": b""}, "Le fichier est vide.", "school_screenings.csv", None, None, None),
    ("header only", {"school_screenings.csv": lines_of(SCREENINGS)[0].encode()},
     "Aucune ligne de données sous l'en-tête.", "school_screenings.csv", None, None, None),
    ("too large", {"school_screenings.csv": b"x" * 2_000_001}, "Fichier trop volumineux (2.0 Mo ; maximum 1.0 Mo).",
     "school_screenings.csv", None, None, None),
    ("UTF-16", {"school_screenings.csv": SCREENINGS.encode("utf-16")}, "Encodage non pris en charge (UTF-16 ?).",
     "school_screenings.csv", None, None, None),
    ("neither UTF-8 nor Windows-1252", {"school_screenings.csv": replace_line(SCREENINGS, 3, "682240101,2019-2020,1\x81,1,1").encode("latin-1")},
     "Caractère illisible : ni UTF-8 ni Windows-1252.", "school_screenings.csv", 3, None, "81"),
    ("unknown table", {"enquete.csv": SCREENINGS.encode()}, "Nom de fichier qui ne correspond à aucun modèle.",
     "enquete.csv", None, None, None),
    ("unsupported type", {"population.ods": b"PK\x03\x04"}, "Type de fichier non pris en charge (.ods).",
     "population.ods", None, None, None),
    ("damaged XLSX", {"school_screenings.xlsx": b"PK\x03\x04 not a workbook"}, "Classeur XLSX illisible",
     "school_screenings.xlsx", None, None, None),
    ("column twice", {"school_screenings.csv": replace_line(SCREENINGS, 1, "iris_code,school_year,screened,screened,overweight").encode()},
     "Colonne présente deux fois dans l'en-tête.", "school_screenings.csv", 1, "screened", None),
    ("missing column", {"school_screenings.csv": "\n".join(l.rsplit(",", 1)[0] for l in lines_of(SCREENINGS)).encode()},
     "Colonne obligatoire absente.", "school_screenings.csv", 1, "overweight", None),
    ("too many values", {"school_screenings.csv": replace_line(SCREENINGS, 4, "682240101,2020-2021,30,5,4,9").encode()},
     "6 valeurs au lieu de 5", "school_screenings.csv", 4, None, None),
    ("unknown IRIS", {"school_screenings.csv": replace_line(SCREENINGS, 2, "682249999,2018-2019,30,5,4").encode()},
     "Code IRIS inconnu du découpage.", "school_screenings.csv", 2, "iris_code", "682249999"),
    ("IRIS lost its zero", {"school_screenings.csv": replace_line(SCREENINGS, 2, "68224010,2018-2019,30,5,4").encode()},
     "Un code IRIS a 9 caractères.", "school_screenings.csv", 2, "iris_code", "68224010"),
    ("duplicate row", {"school_screenings.csv": replace_line(SCREENINGS, 3, lines_of(SCREENINGS)[1]).encode()},
     "Ligne en double : même iris_code, school_year que la ligne 2.", "school_screenings.csv", 3, "iris_code", None),
    ("negative count", {"school_screenings.csv": replace_line(SCREENINGS, 2, "682240101,2018-2019,-3,0,0").encode()},
     "Un effectif ne peut pas être négatif.", "school_screenings.csv", 2, "screened", "-3"),
    ("count is text", {"school_screenings.csv": replace_line(SCREENINGS, 2, "682240101,2018-2019,trente,0,0").encode()},
     "Ce n'est pas un nombre.", "school_screenings.csv", 2, "screened", "trente"),
    ("count with decimals", {"school_screenings.csv": replace_line(SCREENINGS, 2, '682240101,2018-2019,"30,5",0,0').encode()},
     "Un effectif est un nombre entier.", "school_screenings.csv", 2, "screened", "30,5"),
    ("empty count", {"school_screenings.csv": replace_line(SCREENINGS, 2, "682240101,2018-2019,,0,0").encode()},
     "Valeur manquante.", "school_screenings.csv", 2, "screened", ""),
    ("part above whole", {"school_screenings.csv": replace_line(SCREENINGS, 2, "682240101,2018-2019,10,11,0").encode()},
     "Plus grand que « screened » (10) sur la même ligne.", "school_screenings.csv", 2, "caries_untreated", "11"),
    ("school year as one year", {"school_screenings.csv": replace_line(SCREENINGS, 2, "682240101,2018,30,5,4").encode()},
     "Période mal écrite.", "school_screenings.csv", 2, "school_year", "2018"),
    ("school year not consecutive", {"school_screenings.csv": replace_line(SCREENINGS, 2, "682240101,2018-2020,30,5,4").encode()},
     "Année scolaire invalide (deux années consécutives attendues).", "school_screenings.csv", 2, "school_year", "2018-2020"),
    ("period backwards", {"deaths.csv": replace_line(DEATHS, 2, "682240101,2011-2006,F,00-04,1").encode()},
     "Période à l'envers (début après la fin).", "deaths.csv", 2, "period", "2011-2006"),
    ("deaths above population", {"deaths.csv": replace_line(DEATHS, 2, "682240101,2006-2011,F,00-04,100000").encode()},
     "Plus de décès que la population cumulée de la période", "deaths.csv", 2, "deaths", "100000"),
    ("unknown sex", {"deaths.csv": replace_line(DEATHS, 2, "682240101,2006-2011,X,00-04,1").encode()},
     "Valeur non autorisée.", "deaths.csv", 2, "sex", "X"),
    ("year with a letter", {"population.csv": replace_line(POPULATION, 2, "682240101,20O6,F,00-04,74").encode()},
     "Année invalide.", "population.csv", 2, "year", "20O6"),
    ("age band in words", {"population.csv": replace_line(POPULATION, 3, "682240101,2006,F,5 à 9 ans,74").encode()},
     "Tranche d'âge mal écrite.", "population.csv", 3, "age_band", "5 à 9 ans"),
    ("overlapping age bands", {"population.csv": replace_line(POPULATION, 2, "682240101,2006,F,00-09,74").encode()},
     "Tranches d'âge qui se chevauchent : « 00-09 » et « 05-09 »", "population.csv", None, "age_band", "05-09"),
    ("missing age band", {"population.csv": (lambda l: "\n".join(l[:2] + l[3:]) + "\n")(lines_of(POPULATION)).encode()},
     "Tranche(s) d'âge manquante(s) pour 682240101 / 2006 / F : 05-09.", "population.csv", 2, "age_band", None),
    ("action on an unknown axis", {"cls_actions.csv": replace_line(demo_file("cls_actions.csv"), 2, demo_file("cls_actions.csv").split("\n")[1].replace("cls1,cls1-1,", "cls1,cls1-99,", 1)).encode()},
     "Inconnu dans cls_axes.csv (axis_id).", "cls_actions.csv", 2, "axis_id", "cls1-99"),
    ("action in an unknown area", {"cls_action_areas.csv": replace_line(demo_file("cls_action_areas.csv"), 2, "cls1-a01,6822499").encode()},
     "Code de territoire inconnu (ni IRIS, ni quartier, ni commune).", "cls_action_areas.csv", 2, "area_code", "6822499"),
    ("unknown status", {"cls_actions.csv": demo_file("cls_actions.csv").replace(",realisee,", ",finie,", 1).encode()},
     "Valeur non autorisée.", "cls_actions.csv", 2, "status", "finie"),
    ("contract ends before it starts", {"cls_contracts.csv": replace_line(demo_file("cls_contracts.csv"), 2, "cls1,CLS 1,Ville de Mulhouse,2012-07-12,2014,2012").encode()},
     "Fin avant le début (2014).", "cls_contracts.csv", 2, "end_year", "2012"),
    ("impossible date", {"cls_contracts.csv": replace_line(demo_file("cls_contracts.csv"), 2, "cls1,CLS 1,Ville de Mulhouse,31/02/2012,2012,2014").encode()},
     "Date invalide.", "cls_contracts.csv", 2, "signed_on", "31/02/2012"),
    ("latitude out of range", {"gp_practices.csv": demo_file("gp_practices.csv").replace(",47.747041,", ",477.47041,", 1).encode()},
     "Valeur hors de l'intervalle attendu [-90 ; 90].", "gp_practices.csv", 2, "lat", "477.47041"),
    ("boundary code too short", {"iris.geojson": boundaries_with(code_of_first="6822401"), "iris_quartiers.csv": mapping_csv()},
     "Un code IRIS a 9 caractères (code commune + 4).", "iris.geojson", 1, "code", "6822401"),
    ("IRIS of another commune", {"iris.geojson": boundaries_with(code_of_first="681540101"), "iris_quartiers.csv": mapping_csv()},
     "IRIS d'une autre commune que 68224.", "iris.geojson", 1, "code", "681540101"),
    ("boundaries without mapping", {"iris.geojson": boundaries_with()}, "Pas de correspondance IRIS → quartier.",
     "iris.geojson", None, None, None),
    ("IRIS missing from the mapping", {"iris.geojson": boundaries_with(), "iris_quartiers.csv": mapping_csv(drop=FIRST_IRIS)},
     "IRIS sans quartier dans la correspondance.", "iris_quartiers.csv", None, "iris_code", FIRST_IRIS),
    ("bow-tie polygon", {"iris.geojson": boundaries_with(geometry_of_first=BOW_TIE), "iris_quartiers.csv": mapping_csv()},
     "Géométrie invalide (contour qui se recoupe) qu'on ne peut pas réparer sans risque.", "iris.geojson", 1,
     "geometry", FIRST_IRIS),
    ("unreadable boundaries", {"iris.gpkg": b"SQLite format 3\x00 damaged", "iris_quartiers.csv": mapping_csv()},
     "Fichier de découpage illisible", "iris.gpkg", None, None, None),
    ("Lambert-93 without CRS", {"iris.geojson": lambert_without_crs(), "iris_quartiers.csv": mapping_csv()},
     "Système de coordonnées absent et coordonnées qui ne sont pas en degrés.", "iris.geojson", None, None, None),
    ("shapefile without its .shx", {"iris.zip": zipped({"iris.shp": b"\x00" * 100}), "iris_quartiers.csv": mapping_csv()},
     "Fichier de découpage illisible", "iris.zip", None, None, None),
    ("mapping without boundaries", {"iris_quartiers.csv": mapping_csv()},
     "Correspondance IRIS → quartier sans fichier de découpage.", "iris_quartiers.csv", None, None, None),
    ("boundaries that drop an IRIS in use", {"iris.geojson": boundaries_with(drop=FIRST_IRIS), "iris_quartiers.csv": mapping_csv(drop=FIRST_IRIS)},
     "Codes IRIS absents du nouveau découpage.", "population.csv (version publiée)", None, "iris_code", FIRST_IRIS),
]


@pytest.fixture(scope="module")
def engine(shared_database_url):  # noqa: F811
    engine = database.engine_for(shared_database_url)
    store.ensure_database(engine, Settings(database_url=shared_database_url))
    return engine


def state(engine) -> tuple:
    """What must not change when an import fails: published version, versions, and every stored byte."""
    with engine.connect() as connection:
        digest = hashlib.sha256()
        for table in (database.dataset_versions, database.dataset_tables, database.publications):
            for row in connection.execute(sa.select(table).order_by(*table.primary_key.columns)):
                digest.update(repr(tuple(row)).encode())
        counts = tuple(connection.execute(sa.select(sa.func.count()).select_from(t)).scalar()
                       for t in (database.table_rows, database.areas))
        return versions.published_version_id(connection), counts, digest.hexdigest()


def published_rows_digest(engine) -> str:
    with engine.connect() as connection:
        version_id = versions.published_version_id(connection)
        digest = hashlib.sha256()
        for table, order in ((database.table_rows, ("table_name", "row_number")), (database.areas, ("code",))):
            for row in connection.execute(sa.select(table).where(table.c.version_id == version_id)
                                          .order_by(*(table.c[c] for c in order))):
                digest.update(repr(tuple(row)).encode())
        return digest.hexdigest()


def uploads(files: dict) -> list:
    return [imports.Upload(name, content) for name, content in files.items()]


def test_the_malformed_table_has_at_least_thirty_distinct_cases():
    assert len(MALFORMED) >= 30
    assert len({case[0] for case in MALFORMED}) == len(MALFORMED)
    assert len({case[2] for case in MALFORMED}) >= 30


@pytest.mark.parametrize("case", MALFORMED, ids=[case[0] for case in MALFORMED])
def test_a_malformed_input_gives_its_message_and_writes_nothing(engine, case):
    _, files, message, file, line, column, value = case
    before = state(engine)
    report = imports.run_import(engine, uploads(files), by="test", max_bytes=1_000_000)
    assert state(engine) == before
    assert not report.ok and report.version_id is None
    matching = [p for p in report.problems if message in p.message]
    assert matching, report.text()
    problem = matching[0]
    assert problem.file == file
    for expected, actual in ((line, problem.line), (column, problem.column), (value, problem.value)):
        if expected is not None:
            assert actual == expected, problem.text()
    assert problem.fix  # every message says what to do
    assert problem.text().startswith(file)
    assert "rien n'a été enregistré" in report.text()


def test_the_published_rows_are_byte_for_byte_those_of_the_first_version(engine):
    with engine.connect() as connection:
        assert versions.published_version_id(connection) == 1
    first = published_rows_digest(engine)
    imports.run_import(engine, uploads(MALFORMED[11][1]), by="test")
    assert published_rows_digest(engine) == first


def test_a_dry_run_reports_and_writes_nothing(engine):
    before = state(engine)
    report = imports.run_import(engine, uploads({"school_screenings.csv": SCREENINGS.encode()}), by="test",
                                dry_run=True)
    assert report.ok and report.tables == {"screenings": 258}
    assert "Essai à blanc : rien n'a été enregistré." in report.text()
    assert state(engine) == before


def french_spreadsheet(text: str) -> bytes:
    """What Excel's « CSV (séparateur : point-virgule) » writes in France: ;, decimal comma, CRLF, Windows-1252."""
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    out = frame.to_csv(index=False, sep=";", lineterminator="\r\n")
    return out.replace(".", ",").encode("cp1252")


def test_french_csv_and_xlsx_are_read_like_the_demo_files(engine, demo):
    rates = french_spreadsheet(demo_file("reference_rates.csv"))
    assert b";0,00075755247\r\n" in rates
    workbook = io.BytesIO()
    demo.screenings.to_excel(workbook, index=False)
    with_bom = b"\xef\xbb\xbf" + demo_file("cls_contracts.csv").replace("2012-07-12", "12/07/2012").encode()
    report = imports.run_import(engine, uploads({
        "reference_rates.csv": rates, "school_screenings.xlsx": workbook.getvalue(), "cls_contracts.csv": with_bom,
    }), by="test", note="tableurs")
    assert report.ok, report.text()
    with engine.connect() as connection:
        dataset = versions.load_version(connection, report.version_id)
        assert versions.published_version_id(connection) == 1  # imported, not published
    pd.testing.assert_frame_equal(dataset.reference_rates, demo.reference_rates)
    pd.testing.assert_frame_equal(dataset.screenings, demo.screenings)
    pd.testing.assert_frame_equal(dataset.contracts, demo.contracts)
    assert dataset.is_demo  # the other tables are still the demo's


def test_boundaries_in_lambert_93_geopackage_and_zipped_shapefile_are_reprojected(engine, tmp_path):
    lambert = IRIS.to_crs(2154)
    lambert.to_file(tmp_path / "iris.gpkg", driver="GPKG")
    lambert.to_file(tmp_path / "iris.shp")
    shapefile = zipped({f"iris{s}": (tmp_path / f"iris{s}").read_bytes() for s in (".shp", ".shx", ".dbf", ".prj")})
    for name, content in (("iris.gpkg", (tmp_path / "iris.gpkg").read_bytes()), ("iris.zip", shapefile)):
        report = imports.run_import(engine, uploads({name: content, "iris_quartiers.csv": mapping_csv()}), by="test")
        assert report.ok, report.text()
        with engine.connect() as connection:
            dataset = versions.load_version(connection, report.version_id)
        shapes = dataset.iris_shapes.set_index("code").loc[IRIS["code"]]
        assert shapes.crs.to_epsg() == 4326
        assert shapely.equals_exact(shapely.normalize(shapes.geometry.values), shapely.normalize(IRIS.geometry.values),
                                    tolerance=1e-6).all()
        assert len(dataset.areas_of("quartier")) == 18 and not dataset.schematic_geometry


def test_a_polygon_with_a_spike_is_repaired_with_a_warning(engine):
    first = IRIS.geometry.iloc[0]
    x, y = first.exterior.coords[0]
    ring = list(first.exterior.coords)
    spiked = shapely.Polygon(ring[:1] + [(x + 0.001, y + 0.001), (x, y)] + ring[1:])  # a zero-width spike
    assert not spiked.is_valid
    report = imports.run_import(engine, uploads({"iris.geojson": boundaries_with(geometry_of_first=spiked),
                                                 "iris_quartiers.csv": mapping_csv()}), by="test", dry_run=True)
    assert report.ok, report.text()
    assert f"géométrie de l'IRIS {FIRST_IRIS} invalide, réparée automatiquement" in report.text()


def test_importing_the_real_iris_of_mulhouse_gives_43_iris_and_18_quartiers_with_the_imported_counts(engine, demo):
    if not SHARED_MULHOUSE.exists():
        pytest.skip("../shared/data/mulhouse is not here")
    files = {
        "iris_mulhouse_2020_wgs84.geojson": (SHARED_MULHOUSE / "iris_mulhouse_2020_wgs84.geojson").read_bytes(),
        "mulhouse_iris_to_quartier_derived.csv": (SHARED_MULHOUSE / "mulhouse_iris_to_quartier_derived.csv").read_bytes(),
        "school_screenings.csv": french_spreadsheet(SCREENINGS),
        "population.csv": POPULATION.encode(),
    }
    report = imports.run_import(engine, uploads(files), by="test", note="IRIS IGN 2020", publish=True)
    assert report.ok, report.text()
    with engine.connect() as connection:
        assert versions.published_version_id(connection) == report.version_id
        dataset = versions.load_version(connection, report.version_id)
    assert len(geometry.shapes(dataset, "iris")) == 43
    assert len(geometry.shapes(dataset, "quartier")) == 18
    assert not dataset.schematic_geometry and dataset.commune["name"] == "Mulhouse"
    screenings = demo.screenings[demo.screenings["school_year"] == "2023-2024"]
    imported = dataset.screenings[dataset.screenings["school_year"] == "2023-2024"]
    for level, key in (("quartier", screenings["iris_code"].str[:7]), ("iris", screenings["iris_code"])):
        expected = screenings.groupby(key)["caries_untreated"].sum()
        parents = imported["iris_code"].map(dataset.iris_parent(level))
        assert imported.groupby(parents)["caries_untreated"].sum().to_dict() == expected.to_dict()
        table = indicators.compute(dataset, "child_caries", "2023-2024", level).table.set_index("code")
        shown = table["numerator"].dropna()  # small counts are hidden on public pages
        assert len(table) == len(expected) and len(shown) >= 1
        assert shown.astype(int).to_dict() == expected[shown.index].to_dict()
    with database.writing(engine) as connection:
        versions.rollback(connection, by="test")


def test_the_command_line_imports_lists_publishes_and_rolls_back(shared_database_url, tmp_path):  # noqa: F811
    settings = Settings(database_url=shared_database_url)
    good = tmp_path / "school_screenings.csv"
    good.write_bytes(french_spreadsheet(SCREENINGS))
    bad = tmp_path / "cls_contracts.csv"
    bad.write_text(replace_line(demo_file("cls_contracts.csv"), 2, "cls1,CLS 1,Ville,2012-07-12,2014,2012"))

    def run(*argv):
        out = io.StringIO()
        return data.main(list(argv), settings=settings, out=out), out.getvalue()

    code, text = run("import", str(bad), "--dry-run")
    assert code == 1 and "cls_contracts.csv, ligne 2, colonne « end_year » : valeur « 2012 » — Fin avant le début" in text
    code, text = run("import", str(good), "--dry-run")
    assert code == 0 and "Essai à blanc" in text
    code, text = run("import", str(good), "--note", "santé scolaire 2024", "--by", "marie")
    assert code == 0
    version = int(text.split("Version ")[1].split()[0])
    code, text = run("publish", str(version))
    assert code == 0 and f"Version {version} publiée" in text
    code, text = run("versions")
    assert f"* v{version}" in text and "par marie" in text and "santé scolaire 2024" in text
    code, text = run("rollback")
    assert code == 0 and "Retour à la version" in text
    code, text = run("publish", "999")
    assert code == 2 and "La version 999 n'existe pas" in text
