"""Dataset versions in the relational store: write one, read one back, publish, roll back, list.

A version is written whole in one transaction and never changed afterwards; tables an import does not replace are
copied from the version it builds on. Publishing and rolling back only append to the ``publications`` log.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from datetime import datetime, timezone

import geopandas as gpd
import pandas as pd
import shapely
import sqlalchemy as sa

from dashboard import database as db
from dashboard import store
from dashboard.store import TABLES, DataError, Dataset, typed_table

AREA_COLUMNS = ["code", "name", "level", "parent_code"]
DEMO_LABEL = "Données fictives de démonstration"


@dataclass(frozen=True)
class TableSource:
    """Where one table of a new version comes from."""

    source: str  # file name as uploaded
    sha256: str
    is_demo: bool = False


def now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def _text(value) -> str:
    """A cell as text: empty for missing, shortest round-trip form for floats."""
    if value is None:
        return ""
    if isinstance(value, float):
        return "" if math.isnan(value) else repr(value)
    return str(value)


def frame_digest(frame: pd.DataFrame) -> str:
    """SHA-256 of a table's columns and text cells (used for tables that come from no single file)."""
    digest = hashlib.sha256(json.dumps(list(map(str, frame.columns))).encode())
    for row in frame.astype(object).itertuples(index=False, name=None):
        digest.update(json.dumps([_text(v) for v in row], ensure_ascii=False).encode())
    return digest.hexdigest()


def save_version(
    connection,
    *,
    tables: dict[str, pd.DataFrame],
    sources: dict[str, TableSource],
    created_by: str,
    note: str = "",
    files: list[dict] | None = None,
    areas: pd.DataFrame | None = None,
    iris_shapes: gpd.GeoDataFrame | None = None,
    base_version_id: int | None = None,
    source_label: str = "",
    updated: str | None = None,
) -> int:
    """Write a new version inside ``connection``'s transaction and return its id.

    ``tables`` are the tables this version replaces (``areas`` and ``iris_shapes`` the boundaries, when they are
    replaced); every other table is copied from ``base_version_id``. Nothing is published.
    """
    if base_version_id is None and (areas is None or iris_shapes is None):
        raise ValueError("a first version needs areas and iris_shapes")
    version_id = connection.execute(
        db.dataset_versions.insert().returning(db.dataset_versions.c.id),
        {
            "created_at": now_iso(), "created_by": created_by, "note": note,
            "sources": json.dumps(files or [], ensure_ascii=False), "is_demo": False,
            "schematic_geometry": False, "source_label": "", "updated": updated or now_iso()[:10],
            "base_version_id": base_version_id,
        },
    ).scalar_one()

    for name, frame in tables.items():
        source = sources[name]
        columns = [str(c) for c in frame.columns]
        connection.execute(db.dataset_tables.insert(), {
            "version_id": version_id, "table_name": name, "columns": json.dumps(columns, ensure_ascii=False),
            "row_count": len(frame), "source": source.source, "sha256": source.sha256, "is_demo": source.is_demo,
        })
        rows = [
            {"version_id": version_id, "table_name": name, "row_number": number,
             "cells": json.dumps([_text(v) for v in row], ensure_ascii=False)}
            for number, row in enumerate(frame.astype(object).itertuples(index=False, name=None), start=1)
        ]
        if rows:
            connection.execute(db.table_rows.insert(), rows)

    if areas is not None:
        source = sources["areas"]
        geometry = dict(zip(iris_shapes["code"].astype(str), shapely.to_wkb(iris_shapes.geometry.values)))
        connection.execute(db.dataset_tables.insert(), {
            "version_id": version_id, "table_name": "areas", "columns": json.dumps(AREA_COLUMNS),
            "row_count": len(areas), "source": source.source, "sha256": source.sha256, "is_demo": source.is_demo,
        })
        connection.execute(db.areas.insert(), [
            {"version_id": version_id, "code": row.code, "position": position, "name": row.name,
             "level": row.level, "parent_code": row.parent_code or "", "geometry": geometry.get(row.code)}
            for position, row in enumerate(areas[AREA_COLUMNS].itertuples(index=False))
        ])

    if base_version_id is not None:
        _copy_unchanged(connection, base_version_id, version_id, replaced=set(tables) | ({"areas"} if areas is not None else set()))

    demo_tables = dict(connection.execute(
        sa.select(db.dataset_tables.c.table_name, db.dataset_tables.c.is_demo)
        .where(db.dataset_tables.c.version_id == version_id)
    ).all())
    is_demo = any(demo_tables.values())
    connection.execute(
        db.dataset_versions.update().where(db.dataset_versions.c.id == version_id).values(
            is_demo=is_demo,
            schematic_geometry=bool(demo_tables.get("areas")),
            source_label=DEMO_LABEL if is_demo else (source_label or f"Données importées le {now_iso()[:10]}"),
        )
    )
    return version_id


def _copy_unchanged(connection, base_id: int, version_id: int, replaced: set[str]) -> None:
    """Copy, inside the database, every table of ``base_id`` that the new version does not replace."""
    exists = connection.execute(sa.select(db.dataset_versions.c.id).where(db.dataset_versions.c.id == base_id)).first()
    if exists is None:
        raise DataError(f"La version {base_id} n'existe pas.")
    kept = [name for name, in connection.execute(
        sa.select(db.dataset_tables.c.table_name).where(db.dataset_tables.c.version_id == base_id)
    ) if name not in replaced]
    if not kept:
        return
    t, r, a = db.dataset_tables, db.table_rows, db.areas
    connection.execute(t.insert().from_select(
        ["version_id", "table_name", "columns", "row_count", "source", "sha256", "is_demo"],
        sa.select(sa.literal(version_id), t.c.table_name, t.c.columns, t.c.row_count, t.c.source, t.c.sha256,
                  t.c.is_demo).where(t.c.version_id == base_id, t.c.table_name.in_(kept)),
    ))
    connection.execute(r.insert().from_select(
        ["version_id", "table_name", "row_number", "cells"],
        sa.select(sa.literal(version_id), r.c.table_name, r.c.row_number, r.c.cells)
        .where(r.c.version_id == base_id, r.c.table_name.in_(kept)),
    ))
    if "areas" in kept:
        connection.execute(a.insert().from_select(
            ["version_id", "code", "position", "name", "level", "parent_code", "geometry"],
            sa.select(sa.literal(version_id), a.c.code, a.c.position, a.c.name, a.c.level, a.c.parent_code,
                      a.c.geometry).where(a.c.version_id == base_id),
        ))


def save_dataset(connection, dataset: Dataset, *, created_by: str, note: str = "") -> int:
    """Write a whole ``Dataset`` (read from a folder) as a new version; tables are marked demo if it is."""
    tables = {name: frame for name, frame in dataset.tables.items() if name != "areas"}
    optional = getattr(store, "OPTIONAL_TABLES", {})
    sources = {
        name: TableSource(TABLES[name][0] if name in TABLES else optional.get(name, f"{name}.csv"),
                          frame_digest(frame), dataset.is_demo)
        for name, frame in tables.items()
    }
    sources["areas"] = TableSource("iris.geojson", frame_digest(dataset.areas), dataset.schematic_geometry)
    files = [{"file": s.source, "table": name, "sha256": s.sha256,
              "rows": len(dataset.tables[name])} for name, s in sources.items()]
    return save_version(
        connection, tables=tables, sources=sources, created_by=created_by, note=note, files=files,
        areas=dataset.areas, iris_shapes=dataset.iris_shapes, source_label=dataset.source_label,
        updated=dataset.updated,
    )


def load_version(connection, version_id: int) -> Dataset:
    """Read version ``version_id`` back into a ``Dataset`` (the same tables and types as from a folder)."""
    version = connection.execute(
        sa.select(db.dataset_versions).where(db.dataset_versions.c.id == version_id)
    ).mappings().first()
    if version is None:
        raise DataError(f"La version {version_id} n'existe pas.")
    columns = {
        name: json.loads(cols) for name, cols in connection.execute(
            sa.select(db.dataset_tables.c.table_name, db.dataset_tables.c.columns)
            .where(db.dataset_tables.c.version_id == version_id)
        )
    }
    cells: dict[str, list] = {name: [] for name in columns}
    for name, text in connection.execute(
        sa.select(db.table_rows.c.table_name, db.table_rows.c.cells)
        .where(db.table_rows.c.version_id == version_id)
        .order_by(db.table_rows.c.table_name, db.table_rows.c.row_number)
    ):
        cells[name].append(json.loads(text))

    tables = {}
    for name, cols in columns.items():
        if name == "areas":
            continue
        frame = pd.DataFrame(cells[name], columns=cols, dtype=object).astype(str) if cols else pd.DataFrame()
        tables[name] = typed_table(frame, name) if cols else frame
    for name, (_, required) in TABLES.items():
        if name not in tables and name != "areas":
            # A table added to the code after this version was written: empty, with its columns.
            tables[name] = typed_table(pd.DataFrame({c: pd.Series(dtype=str) for c in required}), name)

    area_rows = connection.execute(
        sa.select(db.areas.c.code, db.areas.c.name, db.areas.c.level, db.areas.c.parent_code, db.areas.c.geometry)
        .where(db.areas.c.version_id == version_id).order_by(db.areas.c.position)
    ).all()
    areas = pd.DataFrame([tuple(row[:4]) for row in area_rows], columns=AREA_COLUMNS).astype(str)
    tables = {"areas": areas, **tables}
    iris = [row for row in area_rows if row.level == "iris" and row.geometry is not None]
    shapes = gpd.GeoDataFrame(
        {"code": [row.code for row in iris], "name": [row.name for row in iris]},
        geometry=shapely.from_wkb([bytes(row.geometry) for row in iris]),
        crs=4326,
    )
    return Dataset(
        tables=tables,
        iris_shapes=shapes,
        is_demo=bool(version["is_demo"]),
        schematic_geometry=bool(version["schematic_geometry"]),
        version=f"v{version_id}",
        source_label=version["source_label"],
        updated=version["updated"],
    )


def published_version_id(connection) -> int | None:
    """The version the app serves: the one named by the last publication (None before the first)."""
    return connection.execute(
        sa.select(db.publications.c.version_id).order_by(db.publications.c.id.desc()).limit(1)
    ).scalar()


def publish(connection, version_id: int, by: str, action: str = "publish") -> None:
    """Serve ``version_id`` from now on (every app process picks it up within its refresh interval)."""
    exists = connection.execute(
        sa.select(db.dataset_versions.c.id).where(db.dataset_versions.c.id == version_id)
    ).first()
    if exists is None:
        raise DataError(f"La version {version_id} n'existe pas : voir la liste des versions.")
    connection.execute(db.publications.insert(), {"version_id": version_id, "action": action, "at": now_iso(),
                                                   "by": by})


def rollback(connection, by: str, to: int | None = None) -> int:
    """Serve again the version published before the current one (or ``to``); return the version now served."""
    current = published_version_id(connection)
    if to is None:
        history = [v for v, in connection.execute(
            sa.select(db.publications.c.version_id).order_by(db.publications.c.id.desc())
        )]
        earlier = [v for v in history if v != current]
        if not earlier:
            raise DataError("Aucune version publiée avant celle-ci : il n'y a rien à restaurer.")
        to = earlier[0]
    publish(connection, to, by, action="rollback")
    return to


def list_versions(connection) -> list[dict]:
    """Every version, newest first, with its metadata, row counts and whether it is the one served."""
    current = published_version_id(connection)
    counts: dict[int, dict] = {}
    for version_id, name, rows, source in connection.execute(
        sa.select(db.dataset_tables.c.version_id, db.dataset_tables.c.table_name, db.dataset_tables.c.row_count,
                  db.dataset_tables.c.source)
    ):
        counts.setdefault(version_id, {})[name] = rows
    published = {v for v, in connection.execute(sa.select(db.publications.c.version_id).distinct())}
    versions = []
    for row in connection.execute(sa.select(db.dataset_versions).order_by(db.dataset_versions.c.id.desc())).mappings():
        versions.append({
            **dict(row),
            "sources": json.loads(row["sources"]),
            "row_counts": counts.get(row["id"], {}),
            "is_current": row["id"] == current,
            "was_published": row["id"] in published,
        })
    return versions
