"""The relational store: engines (SQLite embedded, PostgreSQL when shared), the schema and its migrations.

The schema does not depend on which tables the dataset holds: every table of ``store.TABLES`` is kept row by
row in ``table_rows`` (one JSON list of text cells per row, the columns listed once in ``dataset_tables``), so a
new CSV table needs no migration. Areas have their own typed table because they carry the geometry.
Versions are immutable once committed; ``publications`` is an append-only log whose last row names the version
the app serves.
"""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path

import sqlalchemy as sa

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

metadata = sa.MetaData()

dataset_versions = sa.Table(
    "dataset_versions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("created_at", sa.String(32), nullable=False),  # ISO 8601, UTC
    sa.Column("created_by", sa.String(200), nullable=False),
    sa.Column("note", sa.Text, nullable=False, default=""),
    sa.Column("sources", sa.Text, nullable=False),  # JSON list of {file, table, sha256, rows}
    sa.Column("is_demo", sa.Boolean, nullable=False),
    sa.Column("schematic_geometry", sa.Boolean, nullable=False),
    sa.Column("source_label", sa.Text, nullable=False),
    sa.Column("updated", sa.String(10), nullable=False),  # ISO date shown to the public
    sa.Column("base_version_id", sa.Integer, nullable=True),  # the version unchanged tables were copied from
)

dataset_tables = sa.Table(
    "dataset_tables",
    metadata,
    sa.Column("version_id", sa.Integer, sa.ForeignKey("dataset_versions.id"), primary_key=True),
    sa.Column("table_name", sa.String(64), primary_key=True),
    sa.Column("columns", sa.Text, nullable=False),  # JSON list of column names, in file order
    sa.Column("row_count", sa.Integer, nullable=False),
    sa.Column("source", sa.Text, nullable=False),  # file name, or the version it was copied from
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("is_demo", sa.Boolean, nullable=False),
)

table_rows = sa.Table(
    "table_rows",
    metadata,
    sa.Column("version_id", sa.Integer, sa.ForeignKey("dataset_versions.id"), primary_key=True),
    sa.Column("table_name", sa.String(64), primary_key=True),
    sa.Column("row_number", sa.Integer, primary_key=True),
    sa.Column("cells", sa.Text, nullable=False),  # JSON list of text cells, in the order of dataset_tables.columns
)

areas = sa.Table(
    "areas",
    metadata,
    sa.Column("version_id", sa.Integer, sa.ForeignKey("dataset_versions.id"), primary_key=True),
    sa.Column("code", sa.String(20), primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("level", sa.String(10), nullable=False),
    sa.Column("parent_code", sa.String(20), nullable=False),
    sa.Column("geometry", sa.LargeBinary, nullable=True),  # WKB in WGS84, IRIS only
)

publications = sa.Table(
    "publications",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("version_id", sa.Integer, sa.ForeignKey("dataset_versions.id"), nullable=False),
    sa.Column("action", sa.String(10), nullable=False),  # publish | rollback
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("by", sa.String(200), nullable=False),
)

accounts = sa.Table(
    "accounts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("username", sa.String(100), nullable=False, unique=True),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
)

login_failures = sa.Table(
    "login_failures",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("username", sa.String(100), nullable=False),
    sa.Column("remote_addr", sa.String(64), nullable=False),
    sa.Column("at", sa.Float, nullable=False),  # epoch seconds
)

_ADVISORY_LOCK = 7_250_224  # PostgreSQL advisory lock serialising writers (any number, the same for every process)
_engines: dict = {}
_engines_lock = threading.Lock()


def normalise_url(url: str) -> str:
    """SQLAlchemy URL for ``url``: ``postgres://`` and ``postgresql://`` use the psycopg (3) driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def engine_for(url: str) -> sa.Engine:
    """One engine per URL and per process (gunicorn forks after import: connections are never shared)."""
    key = (normalise_url(url), os.getpid())
    with _engines_lock:
        if key not in _engines:
            _engines[key] = _create_engine(key[0])
        return _engines[key]


def _create_engine(url: str) -> sa.Engine:
    if not url.startswith("sqlite"):
        return sa.create_engine(url, pool_pre_ping=True)
    path = sa.make_url(url).database
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, connect_args={"timeout": 60})

    @sa.event.listens_for(engine, "connect")
    def _configure(dbapi_connection, _record):
        # SQLAlchemy emits BEGIN itself (below) so that writers can take the lock up front.
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA journal_mode=WAL")
        dbapi_connection.execute("PRAGMA synchronous=FULL")
        dbapi_connection.execute("PRAGMA foreign_keys=ON")
        dbapi_connection.execute("PRAGMA busy_timeout=60000")

    @sa.event.listens_for(engine, "begin")
    def _begin(connection):
        immediate = connection.get_execution_options().get("observatoire_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


@contextlib.contextmanager
def writing(engine: sa.Engine):
    """A write transaction that holds the database's writer lock: all of it commits, or nothing does."""
    with engine.execution_options(observatoire_write=True).begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK})
        yield connection


def migrate(engine: sa.Engine) -> None:
    """Bring the schema to the newest Alembic revision (idempotent, safe with several processes)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with writing(engine) as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
