"""The two backends of the versioned store as a fixture: SQLite in a temporary folder, and PostgreSQL in a schema
of its own (dropped afterwards) when ``TEST_DATABASE_URL`` names a server. Import ``database_url`` into a test module."""

import os
import uuid

import pytest
import sqlalchemy as sa

from dashboard import database


def _postgres_url(schema: str) -> str:
    base = database.normalise_url(os.environ["TEST_DATABASE_URL"])
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}options=-csearch_path%3D{schema}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """A URL to an empty database, on each backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'observatoire.db'}"
        yield url
        database.engine_for(url).dispose()
        return
    if not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("TEST_DATABASE_URL is not set: the PostgreSQL variant of this test does not run")
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(database.normalise_url(os.environ["TEST_DATABASE_URL"]))
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = _postgres_url(schema)
    try:
        yield url
    finally:
        database.engine_for(url).dispose()
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
