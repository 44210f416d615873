"""Shared fixtures: one Dash app per test session (Dash's global callbacks bind to the first app)."""

import os
from pathlib import Path

import pytest

from dashboard import store
from dashboard.config import Settings

SHARED_MULHOUSE = Path(__file__).resolve().parents[2] / "shared" / "data" / "mulhouse"


@pytest.fixture(scope="session", autouse=True)
def throwaway_database(tmp_path_factory):
    """Tests never touch instance/ nor the developer's DATABASE_URL: what the environment serves is a temporary
    SQLite database (created and filled with the demo on first use)."""
    previous = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp_path_factory.mktemp('database') / 'observatoire.db'}"
    yield os.environ["DATABASE_URL"]
    if previous is None:
        os.environ.pop("DATABASE_URL", None)
    else:
        os.environ["DATABASE_URL"] = previous


@pytest.fixture(scope="session")
def demo():
    """The embedded demo dataset."""
    return store.load_dataset(Settings())


@pytest.fixture(scope="session")
def dash_app(demo):
    import app as app_module

    store.use(demo)
    return app_module.app


@pytest.fixture
def client(dash_app, demo):
    store.use(demo)
    return dash_app.server.test_client()


@pytest.fixture(scope="session")
def real_geometry_settings():
    """Settings pointing at the real IGN IRIS 2020 of Mulhouse in ../shared (skipped when absent)."""
    iris = SHARED_MULHOUSE / "iris_mulhouse_2020_wgs84.geojson"
    mapping = SHARED_MULHOUSE / "mulhouse_iris_to_quartier_derived.csv"
    if not iris.exists() or not mapping.exists():
        pytest.skip("../shared/data/mulhouse is not here: the real-geometry tests need it")
    return Settings(iris_geojson=iris, iris_quartier_csv=mapping)
