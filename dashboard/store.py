"""The one door to the data: every page, callback and route reads the dataset through this module."""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from datetime import date
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import sqlalchemy.exc

from dashboard.config import DEMO_DATA_DIR, Settings

LEVELS = ("commune", "quartier", "iris")
MAP_LEVELS = ("quartier", "iris")
AGE_BANDS = tuple(f"{a:02d}-{a + 4:02d}" for a in range(0, 90, 5)) + ("90+",)
SEXES = ("F", "M")

# Tables of the dataset: file name → columns that must be present, read as text (codes keep their zeros).
TABLES = {
    "areas": ("areas.csv", ["code", "name", "level", "parent_code"]),
    "population": ("population.csv", ["iris_code", "year", "sex", "age_band", "population"]),
    "deaths": ("deaths.csv", ["iris_code", "period", "sex", "age_band", "deaths"]),
    "reference_rates": ("reference_rates.csv", ["reference", "period", "sex", "age_band", "rate"]),
    "gp_practices": (
        "gp_practices.csv",
        ["practice_id", "year", "name", "kind", "iris_code", "lon", "lat", "gps", "gps_60plus"],
    ),
    "screenings": (
        "school_screenings.csv",
        ["iris_code", "school_year", "screened", "caries_untreated", "overweight"],
    ),
    "catalogue": ("indicators.csv", ["id", "label", "short_label", "definition", "unit", "polarity", "source"]),
    "contracts": ("cls_contracts.csv", ["contract_id", "name", "territory", "signed_on", "start_year", "end_year"]),
    "axes": ("cls_axes.csv", ["contract_id", "axis_id", "number", "name", "objective"]),
    "axis_indicators": ("cls_axis_indicators.csv", ["contract_id", "axis_id", "indicator_id"]),
    "actions": (
        "cls_actions.csv",
        ["action_id", "contract_id", "axis_id", "title", "lead", "start_year", "end_year", "status"],
    ),
    "action_areas": ("cls_action_areas.csv", ["action_id", "area_code"]),
}
# Tables a dataset may lack (an empty table then): CLS follow-up and governance, and the network's surveys.
OPTIONAL_TABLES = {
    "action_indicators": "cls_action_indicators.csv",
    "signatories": "cls_signatories.csv",
    "governance": "cls_governance.csv",
    "timeline": "cls_timeline.csv",
    "network_cities": "network_2011_cities.csv",
    "network_breakdown": "network_2011_breakdown.csv",
    "network_reasons": "network_2012_reasons.csv",
    "network_answers": "network_2012_answers.csv",
}
TEXT_COLUMNS = {
    "code", "parent_code", "iris_code", "area_code", "period", "school_year", "sex", "age_band",
    "contract_id", "axis_id", "action_id", "indicator_id", "practice_id", "signed_on", "id",
}
INTEGER_COLUMNS = {
    "population": ["year", "population"],
    "deaths": ["deaths"],
    "gp_practices": ["year", "gps", "gps_60plus"],
    "screenings": ["screened", "caries_untreated", "overweight"],
    "axes": ["number"],
    "signatories": ["rank"],
    "governance": ["rank"],
    "network_breakdown": ["signed", "in_progress", "no"],
    "network_reasons": ["cities"],
}


class DataError(ValueError):
    """A dataset that cannot be served; the message is in French and says what to fix."""


@dataclass(frozen=True, eq=False)
class Dataset:
    """Every table the app shows, as loaded from one source.

    ``areas`` holds all levels (commune, quartier, iris) with their parent; ``iris_shapes`` the IRIS
    polygons in WGS84. Other tables are keyed by IRIS code and aggregated upwards by the core.
    """

    tables: dict
    iris_shapes: gpd.GeoDataFrame
    is_demo: bool
    schematic_geometry: bool
    version: str
    source_label: str
    updated: str  # ISO date of the newest source file
    cache: dict = field(default_factory=dict, repr=False)

    def __getattr__(self, name):
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    @property
    def commune(self) -> pd.Series:
        return self.areas[self.areas["level"] == "commune"].iloc[0]

    def areas_of(self, level: str) -> pd.DataFrame:
        if level not in LEVELS:
            raise ValueError(f"level must be one of {LEVELS}, got {level!r}")
        return self.areas[self.areas["level"] == level].reset_index(drop=True)

    def iris_parent(self, level: str) -> pd.Series:
        """Map each IRIS code to the code of the area that contains it at ``level``."""
        iris = self.areas_of("iris").set_index("code")
        if level == "iris":
            return pd.Series(iris.index, index=iris.index)
        if level == "quartier":
            return iris["parent_code"]
        if level == "commune":
            return pd.Series(self.commune["code"], index=iris.index)
        raise ValueError(f"level must be one of {LEVELS}, got {level!r}")


def _read_table(path: Path, name: str, columns: list[str]) -> pd.DataFrame:
    if not path.exists():
        raise DataError(f"Fichier manquant : {path.name} (attendu dans {path.parent}).")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError(f"{path.name} : colonne(s) manquante(s) {', '.join(missing)}.")
    return typed_table(frame, name)


def typed_table(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Give a table read as text its column types (the same for a CSV folder and a stored version)."""
    for column in INTEGER_COLUMNS.get(name, []):
        frame[column] = pd.to_numeric(frame[column], errors="raise").astype("int64")
    for column in ("rate", "lon", "lat", "budget_eur", "target", "achieved"):
        if column in frame.columns:
            frame[column] = pd.to_numeric(frame[column].replace("", None), errors="coerce")
    return frame


def _file_digest(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _real_geometry(iris_geojson: Path, mapping_csv: Path) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """IRIS shapes and the areas table built from a real IRIS file and its IRIS → quartier mapping."""
    shapes = gpd.read_file(iris_geojson)
    if shapes.crs is None:
        shapes = shapes.set_crs(4326)
    shapes = shapes.to_crs(4326)
    code_col = "CODE_IRIS" if "CODE_IRIS" in shapes.columns else "code"
    name_col = "NOM_IRIS" if "NOM_IRIS" in shapes.columns else "name"
    if code_col not in shapes.columns or name_col not in shapes.columns:
        raise DataError(f"{iris_geojson.name} : il faut les attributs CODE_IRIS et NOM_IRIS (ou code et name).")
    shapes = shapes.rename(columns={code_col: "code", name_col: "name"})[["code", "name", "geometry"]]
    shapes["code"] = shapes["code"].astype(str)
    shapes["geometry"] = shapes.geometry.make_valid()

    mapping = pd.read_csv(mapping_csv, dtype=str, keep_default_na=False)
    columns = {
        "CODE_IRIS": "code",
        "quartier_code_7": "quartier_code",
        "quartier_label_derived": "quartier_name",
    }
    mapping = mapping.rename(columns=columns)
    needed = ["code", "quartier_code", "quartier_name"]
    if any(c not in mapping.columns for c in needed):
        raise DataError(
            f"{mapping_csv.name} : il faut les colonnes CODE_IRIS, quartier_code_7 et quartier_label_derived "
            "(ou code, quartier_code et quartier_name)."
        )
    unknown = sorted(set(shapes["code"]) - set(mapping["code"]))
    if unknown:
        raise DataError(f"{mapping_csv.name} : IRIS sans quartier : {', '.join(unknown)}.")

    quartiers = mapping.drop_duplicates("quartier_code")[["quartier_code", "quartier_name"]].copy()
    # Two groups may carry the same derived label (Bourtzwiller in Mulhouse): keep names unique.
    duplicated = quartiers["quartier_name"].duplicated(keep=False)
    quartiers.loc[duplicated, "quartier_name"] = (
        quartiers.loc[duplicated, "quartier_name"] + " (" + quartiers.loc[duplicated, "quartier_code"] + ")"
    )
    commune_code = shapes["code"].str[:5].iloc[0]
    commune_name = "Commune"
    if "NOM_COM" in gpd.read_file(iris_geojson, rows=1).columns:
        commune_name = str(gpd.read_file(iris_geojson, rows=1)["NOM_COM"].iloc[0])
    iris_rows = shapes[["code", "name"]].merge(mapping[["code", "quartier_code"]], on="code")
    areas = pd.concat(
        [
            pd.DataFrame([{"code": commune_code, "name": commune_name, "level": "commune", "parent_code": ""}]),
            pd.DataFrame(
                {
                    "code": quartiers["quartier_code"],
                    "name": quartiers["quartier_name"],
                    "level": "quartier",
                    "parent_code": commune_code,
                }
            ),
            pd.DataFrame(
                {
                    "code": iris_rows["code"],
                    "name": iris_rows["name"],
                    "level": "iris",
                    "parent_code": iris_rows["quartier_code"],
                }
            ),
        ],
        ignore_index=True,
    )
    return shapes.reset_index(drop=True), areas


def _check_codes(tables: dict) -> None:
    iris_codes = set(tables["areas"].loc[tables["areas"]["level"] == "iris", "code"])
    for name, column in (("population", "iris_code"), ("deaths", "iris_code"), ("gp_practices", "iris_code"),
                         ("screenings", "iris_code")):
        unknown = sorted(set(tables[name][column]) - iris_codes)
        if unknown:
            shown = ", ".join(unknown[:5]) + (" …" if len(unknown) > 5 else "")
            raise DataError(f"{TABLES[name][0]} : code(s) IRIS inconnu(s) du découpage : {shown}.")


def load_dataset(settings: Settings | None = None) -> Dataset:
    """Read a dataset from the folder and (optionally) the real boundaries named by ``settings``."""
    settings = settings or Settings()
    data_dir = Path(settings.data_dir)
    tables = {}
    for name, (filename, columns) in TABLES.items():
        tables[name] = _read_table(data_dir / filename, name, columns)
    for optional, filename in OPTIONAL_TABLES.items():
        path = data_dir / filename
        if not path.exists() and optional.startswith("network_"):
            path = DEMO_DATA_DIR / filename  # real published figures, the same for every city
        tables[optional] = _read_table(path, optional, []) if path.exists() else pd.DataFrame()

    paths = [data_dir / filename for filename, _ in TABLES.values()]
    if settings.iris_geojson is not None:
        shapes, areas = _real_geometry(Path(settings.iris_geojson), Path(settings.iris_quartier_csv))
        tables["areas"] = areas
        paths += [Path(settings.iris_geojson), Path(settings.iris_quartier_csv)]
        schematic = False
    else:
        geojson = data_dir / "iris.geojson"
        if not geojson.exists():
            raise DataError(f"Fichier manquant : iris.geojson (attendu dans {data_dir}).")
        shapes = gpd.read_file(geojson).to_crs(4326)[["code", "name", "geometry"]]
        shapes["code"] = shapes["code"].astype(str)
        paths.append(geojson)
        schematic = _is_demo_dir(data_dir)
    _check_codes(tables)
    is_demo = _is_demo_dir(data_dir)
    return Dataset(
        tables=tables,
        iris_shapes=shapes,
        is_demo=is_demo,
        schematic_geometry=schematic,
        version=_file_digest([p for p in paths if p.exists()]),
        updated=date.fromtimestamp(max(p.stat().st_mtime for p in paths if p.exists())).isoformat(),
        source_label="Données fictives de démonstration" if is_demo else f"Données : {data_dir.name}",
    )


def _is_demo_dir(path: Path) -> bool:
    return Path(path).resolve() == DEMO_DATA_DIR.resolve()


_lock = threading.Lock()
_current: Dataset | None = None
# Serving from the database: the settings naming it, the published version held in memory and when it was checked.
_served: Settings | None = None
_published: tuple[int | None, Dataset | None] = (None, None)
_checked_at = 0.0
_request = threading.local()


def current() -> Dataset:
    """The dataset the app serves: the one pinned to the running request, else the newest one known.

    With a database (``serve``), the published version is loaded once per process and the published version id
    is checked at most every ``settings.refresh_seconds``; a new version replaces the whole ``Dataset`` at once.
    """
    pinned = getattr(_request, "dataset", None)
    if pinned is not None:
        return pinned
    if _current is not None:
        return _current
    if _served is None:
        serve(Settings.from_env())
    return _published_dataset()


def use(dataset: Dataset) -> None:
    """Serve ``dataset`` from now on, not the database (app start-up with an explicit dataset, tests)."""
    global _current, _served
    with _lock:
        _current = dataset
        _served = None


def serve(settings: Settings) -> None:
    """Serve the published version of the database ``settings`` name (loaded on first use)."""
    global _current, _served, _published, _checked_at
    with _lock:
        _current, _served, _published, _checked_at = None, settings, (None, None), 0.0


def begin_request() -> None:
    """Pin the current dataset to this request: it sees one version from its start to its end."""
    _request.dataset = None
    _request.dataset = current()


def end_request(_error=None) -> None:
    _request.dataset = None


def _published_dataset() -> Dataset:
    global _published, _checked_at
    settings = _served
    version_id, dataset = _published
    if dataset is not None and time.monotonic() - _checked_at < settings.refresh_seconds:
        return dataset
    # One thread checks and loads; the others keep serving the version they have meanwhile.
    if not _refresh_lock.acquire(blocking=dataset is None):
        return dataset
    try:
        from dashboard import database, versions

        engine = database.engine_for(settings.database_url)
        if dataset is None:
            ensure_database(engine, settings)
        try:
            with engine.connect() as connection:
                published = versions.published_version_id(connection)
                if dataset is None or published != version_id:
                    _published = (published, versions.load_version(connection, published))
        except sqlalchemy.exc.SQLAlchemyError:
            if dataset is None:
                raise
            # The database is unreachable for a moment (a PostgreSQL restart): keep serving what we hold.
            logging.getLogger(__name__).warning("published version check failed", exc_info=True)
        _checked_at = time.monotonic()
        return _published[1]
    finally:
        _refresh_lock.release()


_refresh_lock = threading.Lock()


def ensure_database(engine, settings: Settings) -> None:
    """Migrate the schema; on an empty database, write and publish the folder dataset as version 1."""
    from dashboard import database, versions

    database.migrate(engine)
    with engine.connect() as connection:
        if versions.published_version_id(connection) is not None:
            return
    with database.writing(engine) as connection:
        if versions.published_version_id(connection) is None:  # another process may have won the race
            dataset = load_dataset(settings)
            version_id = versions.save_dataset(
                connection, dataset, created_by="démarrage",
                note="Jeu de données chargé au premier démarrage depuis " + str(settings.data_dir),
            )
            versions.publish(connection, version_id, by="démarrage")


def cached(dataset: Dataset, key: tuple, compute):
    """Memoise ``compute()`` on the dataset: results live and die with the dataset version."""
    try:
        return dataset.cache[key]
    except KeyError:
        value = compute()
        dataset.cache[key] = value
        return value
