"""The store across processes: an import killed (SIGKILL) in the middle of its write leaves the published version
intact and served, and every gunicorn worker serves a publication or a rollback within seconds."""

import concurrent.futures
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request

import pandas as pd
import pytest
import sqlalchemy as sa

from dashboard import database, imports, store, versions
from dashboard.config import DEMO_DATA_DIR, PROJECT_ROOT, Settings
from tests.databases import database_url  # noqa: F401  (fixture)

DEADLINE = 90  # seconds: every wait below gives up (and fails) after this


def wait_until(condition, what: str, timeout: float = DEADLINE, every: float = 0.01):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"gave up after {timeout} s waiting for {what}")


def big_population(path) -> None:
    """The demo population and copies of it for 1930–2005: a valid file long enough to write for a while."""
    frame = pd.read_csv(DEMO_DATA_DIR / "population.csv", dtype=str, keep_default_na=False)
    extra = frame.assign(year=(frame["year"].astype(int) - 76).astype(str)).query("year >= '1930'")
    pd.concat([extra, frame]).to_csv(path, index=False, sep=";")


def writing_now(url: str):
    """A callable telling whether the import subprocess is inside its write (rows not yet committed)."""
    if url.startswith("sqlite"):
        wal = sa.make_url(url).database + "-wal"
        return lambda: os.path.exists(wal) and os.path.getsize(wal) > 1_000_000
    engine = sa.create_engine(database.normalise_url(url))

    def inserting():
        with engine.connect() as connection:
            return connection.execute(sa.text(
                "SELECT 1 FROM pg_stat_activity WHERE application_name = 'observatoire-crash-test' "
                "AND query LIKE 'INSERT INTO table_rows%'")).first() is not None
    return inserting


def test_an_import_killed_while_writing_leaves_the_published_version_intact_and_served(database_url, tmp_path, demo):  # noqa: F811
    settings = Settings(database_url=database_url)
    engine = database.engine_for(database_url)
    store.ensure_database(engine, settings)
    if database_url.startswith("sqlite"):
        engine.dispose()
        with sqlite3.connect(sa.make_url(database_url).database) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with engine.connect() as connection:
        before = (versions.published_version_id(connection),
                  connection.execute(sa.select(sa.func.count()).select_from(database.dataset_versions)).scalar(),
                  connection.execute(sa.select(sa.func.count()).select_from(database.table_rows)).scalar())
    engine.dispose()
    big_population(tmp_path / "population.csv")

    process = subprocess.Popen(
        [sys.executable, "-m", "dashboard.data", "import", str(tmp_path / "population.csv"), "--publish"],
        cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        env={**os.environ, "DATABASE_URL": database_url, "PGAPPNAME": "observatoire-crash-test"},
    )
    try:
        wait_until(lambda: writing_now(database_url)() or process.poll() is not None, "the import to write")
        assert process.poll() is None, "the import ended before it could be killed: " + process.stdout.read().decode()
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=DEADLINE)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL

    engine = database.engine_for(database_url)
    with engine.connect() as connection:
        after = (versions.published_version_id(connection),
                 connection.execute(sa.select(sa.func.count()).select_from(database.dataset_versions)).scalar(),
                 connection.execute(sa.select(sa.func.count()).select_from(database.table_rows)).scalar())
    assert after == before
    if database_url.startswith("sqlite"):
        with sqlite3.connect(sa.make_url(database_url).database) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    store.serve(Settings(database_url=database_url, refresh_seconds=0))
    try:
        served = store.current()
        assert served.version == f"v{before[0]}"
        pd.testing.assert_frame_equal(served.population, demo.population)
    finally:
        store.use(demo)
    # The writer lock was released with the killed process: the next import goes through.
    report = imports.run_import(engine, [imports.Upload("school_screenings.csv",
                                                        (DEMO_DATA_DIR / "school_screenings.csv").read_bytes())],
                                by="test")
    assert report.ok and report.version_id > before[0]  # PostgreSQL may skip the id the killed import took
    with engine.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(database.dataset_versions)).scalar() == \
            before[1] + 1


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def served_versions(port: int, requests: int = 8) -> set:
    """The dataset versions of ``requests`` simultaneous requests (one thread per worker: both workers answer)."""
    url = f"http://127.0.0.1:{port}/api/v1/values?indicator=icm&period=2018-2023&level=quartier"

    def fetch(_):
        try:
            with urllib.request.urlopen(url, timeout=DEADLINE) as response:
                return json.load(response)["dataset_version"]
        except OSError:  # not listening yet
            return None

    with concurrent.futures.ThreadPoolExecutor(requests) as pool:
        return set(pool.map(fetch, range(requests)))


def test_every_gunicorn_worker_serves_a_publication_and_a_rollback_within_seconds(database_url):  # noqa: F811
    port = free_port()
    refresh = 1.0
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--threads", "1", "--timeout", "120",
         "--bind", f"127.0.0.1:{port}", "app:server"],
        cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "DATABASE_URL": database_url, "OBSERVATOIRE_REFRESH_SECONDS": str(refresh)},
    )
    try:
        # Both workers start on an empty database: one of them writes version 1, both serve it.
        wait_until(lambda: served_versions(port) == {"v1"}, "both workers to serve v1", every=0.5)
        engine = database.engine_for(database_url)
        report = imports.run_import(engine, [imports.Upload(
            "school_screenings.csv", (DEMO_DATA_DIR / "school_screenings.csv").read_bytes())], by="test", publish=True)
        assert report.ok and report.version_id == 2
        published_at = time.monotonic()
        wait_until(lambda: served_versions(port) == {"v2"}, "both workers to serve v2", every=0.2)
        assert time.monotonic() - published_at < refresh + 10
        with database.writing(engine) as connection:
            versions.rollback(connection, by="test")
        rolled_back_at = time.monotonic()
        wait_until(lambda: served_versions(port) == {"v1"}, "both workers to serve v1 again", every=0.2)
        assert time.monotonic() - rolled_back_at < refresh + 10
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
