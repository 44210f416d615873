"""The two backends of the versioned store as fixtures: SQLite in a temporary folder, and PostgreSQL in a schema
of its own (dropped afterwards) when ``TEST_DATABASE_URL`` names a server. Import ``database_url`` (a fresh
database per test) or ``shared_database_url`` (one per module) into a test module."""

import contextlib
import os
import uuid

import pytest
import sqlalchemy as sa

from dashboard import database

BACKENDS = ["sqlite", "postgresql"]


@contextlib.contextmanager
def empty_database(backend: str, folder):
    """A URL to an empty database on ``backend``; skipped for PostgreSQL without ``TEST_DATABASE_URL``."""
    if backend == "sqlite":
        url = f"sqlite:///{folder / 'observatoire.db'}"
        try:
            yield url
        finally:
            database.engine_for(url).dispose()
        return
    if not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("TEST_DATABASE_URL is not set: the PostgreSQL variant of this test does not run")
    server = database.normalise_url(os.environ["TEST_DATABASE_URL"])
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server)
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = f"{server}{'&' if '?' in server else '?'}options=-csearch_path%3D{schema}"
    try:
        yield url
    finally:
        database.engine_for(url).dispose()
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path):
    """A URL to an empty database, on each backend, for one test."""
    with empty_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture(scope="module", params=BACKENDS)
def shared_database_url(request, tmp_path_factory):
    """A URL to an empty database, on each backend, shared by a module's tests."""
    with empty_database(request.param, tmp_path_factory.mktemp(request.param)) as url:
        yield url
