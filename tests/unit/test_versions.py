"""The versioned store on SQLite and PostgreSQL: first start, exact round trip, copy-forward, publish, rollback,
and the app process switching versions whole."""

import pytest
import sqlalchemy as sa
from pandas.testing import assert_frame_equal

from dashboard import database, store, versions
from dashboard.config import Settings
from dashboard.store import DataError
from tests.databases import database_url  # noqa: F401  (fixture)


@pytest.fixture
def engine(database_url):  # noqa: F811
    engine = database.engine_for(database_url)
    store.ensure_database(engine, Settings(database_url=database_url))
    return engine


@pytest.fixture
def serving(database_url, demo):  # noqa: F811
    """The store serving the database with no refresh delay; the demo pinned back afterwards."""
    store.serve(Settings(database_url=database_url, refresh_seconds=0))
    yield
    store.end_request()
    store.use(demo)


def assert_same_dataset(expected, actual):
    assert set(expected.tables) == set(actual.tables)
    for name in expected.tables:
        assert_frame_equal(expected.tables[name].reset_index(drop=True), actual.tables[name].reset_index(drop=True),
                           obj=name)
    left = expected.iris_shapes.sort_values("code").reset_index(drop=True)
    right = actual.iris_shapes.sort_values("code").reset_index(drop=True)
    assert list(left["code"]) == list(right["code"]) and list(left["name"]) == list(right["name"])
    assert left.geometry.geom_equals_exact(right.geometry, 0).all()
    assert right.crs.to_epsg() == 4326


def published(engine):
    with engine.connect() as connection:
        return versions.published_version_id(connection)


def with_fewer_screened(engine, by="test"):
    """A new version where only the screenings table changes; returns its id."""
    with engine.connect() as connection:
        base = versions.published_version_id(connection)
        screenings = versions.load_version(connection, base).screenings.copy()
    screenings["screened"] = screenings["screened"] + 1
    with database.writing(engine) as connection:
        return versions.save_version(
            connection, tables={"screenings": screenings},
            sources={"screenings": versions.TableSource("school_screenings.csv", "0" * 64)},
            created_by=by, note="plus un enfant partout", base_version_id=base)


def test_first_start_writes_and_publishes_the_demo_as_version_one(engine, demo):
    assert published(engine) == 1
    with engine.connect() as connection:
        dataset = versions.load_version(connection, 1)
        listed = versions.list_versions(connection)
    assert_same_dataset(demo, dataset)
    assert (dataset.is_demo, dataset.schematic_geometry, dataset.version) == (True, True, "v1")
    assert dataset.source_label == "Données fictives de démonstration"
    assert [v["id"] for v in listed] == [1] and listed[0]["is_current"]
    assert listed[0]["row_counts"]["population"] == len(demo.population)
    assert listed[0]["row_counts"]["areas"] == 62


def test_starting_again_migrates_nothing_and_adds_no_version(engine, database_url):  # noqa: F811
    store.ensure_database(engine, Settings(database_url=database_url))
    with engine.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(database.dataset_versions)).scalar() == 1
        assert connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == "0001"


def test_a_new_version_copies_the_tables_it_does_not_replace_and_is_not_served_before_publication(engine, demo):
    version_id = with_fewer_screened(engine)
    assert published(engine) == 1
    with engine.connect() as connection:
        dataset = versions.load_version(connection, version_id)
        listed = versions.list_versions(connection)
    assert (dataset.screenings["screened"] == demo.screenings["screened"] + 1).all()
    assert_frame_equal(dataset.population, demo.population)
    assert_frame_equal(dataset.areas, demo.areas)
    assert dataset.is_demo  # the other tables are still the demo's
    assert listed[0]["id"] == version_id and listed[0]["created_by"] == "test" and not listed[0]["is_current"]
    assert listed[0]["base_version_id"] == 1


def test_publish_then_rollback_switch_the_version_and_keep_every_version(engine):
    version_id = with_fewer_screened(engine)
    with database.writing(engine) as connection:
        versions.publish(connection, version_id, by="admin")
    assert published(engine) == version_id
    with database.writing(engine) as connection:
        assert versions.rollback(connection, by="admin") == 1
    assert published(engine) == 1
    with database.writing(engine) as connection:
        assert versions.rollback(connection, by="admin") == version_id  # rolling back a rollback
    with engine.connect() as connection:
        actions = [a for a, in connection.execute(sa.select(database.publications.c.action)
                                                   .order_by(database.publications.c.id))]
        assert len(versions.list_versions(connection)) == 2
    assert actions == ["publish", "publish", "rollback", "rollback"]


def test_rollback_with_no_earlier_version_says_so_in_french(engine):
    with pytest.raises(DataError, match="Aucune version publiée avant celle-ci"):
        with database.writing(engine) as connection:
            versions.rollback(connection, by="admin")
    assert published(engine) == 1


def test_publishing_an_unknown_version_is_refused(engine):
    with pytest.raises(DataError, match="La version 99 n'existe pas"):
        with database.writing(engine) as connection:
            versions.publish(connection, 99, by="admin")


def test_the_store_serves_the_published_version_and_switches_whole(database_url, serving, demo):  # noqa: F811
    first = store.current()
    assert first.version == "v1"
    assert_same_dataset(demo, first)
    engine = database.engine_for(database_url)
    version_id = with_fewer_screened(engine)
    assert store.current() is first  # written, not published
    store.begin_request()  # a request that started before the publication...
    with database.writing(engine) as connection:
        versions.publish(connection, version_id, by="admin")
    assert store.current() is first  # ...sees the old version until its end
    store.end_request()
    second = store.current()
    assert second.version == f"v{version_id}"
    assert (second.screenings["screened"] == first.screenings["screened"] + 1).all()


def test_the_published_version_is_checked_at_most_every_refresh_interval(database_url, demo):  # noqa: F811
    store.serve(Settings(database_url=database_url, refresh_seconds=3600))
    try:
        first = store.current()
        engine = database.engine_for(database_url)
        version_id = with_fewer_screened(engine)
        with database.writing(engine) as connection:
            versions.publish(connection, version_id, by="admin")
        assert store.current() is first
    finally:
        store.use(demo)


def test_postgresql_urls_use_the_psycopg_driver():
    assert database.normalise_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database.normalise_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database.normalise_url("sqlite:///x.db") == "sqlite:///x.db"


def test_a_database_that_fails_for_a_moment_leaves_the_held_version_served(tmp_path, demo):
    url = f"sqlite:///{tmp_path / 'observatoire.db'}"
    store.serve(Settings(database_url=url, refresh_seconds=0))
    try:
        first = store.current()
        database.engine_for(url).dispose()
        (tmp_path / "observatoire.db").rename(tmp_path / "moved.db")  # the next check meets an empty database
        assert store.current() is first
    finally:
        store.use(demo)
        database.engine_for(url).dispose()
