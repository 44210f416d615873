"""The admin page in headless Chromium: log in, upload a file with an error and read the message, upload a good
file, publish and see the map change, roll back and see it come back."""

import pandas as pd
import pytest
from dash.testing.wait import until

from dashboard import accounts, database, store
from dashboard.config import DEMO_DATA_DIR, Settings
from tests.browser.test_map_page import MAP_LOCATIONS, map_values, shot, wait_for_map

PASSWORD = "correct horse battery staple"


@pytest.fixture
def page(dash_duo, dash_app, demo, tmp_path, monkeypatch):
    """The app serving a database of its own (checked on every request), with a session secret and one account."""
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'observatoire.db'}", secret_key="test-secret",
                        refresh_seconds=0)
    engine = database.engine_for(settings.database_url)
    store.ensure_database(engine, settings)
    with database.writing(engine) as connection:
        accounts.create_account(connection, "marie", PASSWORD)
    monkeypatch.setitem(dash_app.server.config, "OBSERVATOIRE", settings)
    monkeypatch.setattr(dash_app.server, "secret_key", settings.secret_key)
    store.serve(settings)
    dash_duo.start_server(dash_app)
    yield dash_duo
    store.use(demo)
    engine.dispose()


def upload(page, path, note):
    page.find_element("#admin-files").send_keys(str(path))
    page.find_element("#admin-note").send_keys(note)
    page.find_element("#admin-upload").click()


def open_map(page):
    page.wait_for_page(page.server_url + "/")
    wait_for_map(page)
    return map_values(page)


def test_log_in_import_publish_see_the_map_change_and_roll_back(page, tmp_path):
    before = open_map(page)

    page.driver.get(page.server_url + "/admin/")
    page.wait_for_element("#admin-username").send_keys("marie")
    page.find_element("#admin-password").send_keys(PASSWORD)
    page.find_element("#admin-login").click()
    page.wait_for_element("#admin-versions")
    assert "v1" in page.find_element("#admin-version-1").text

    deaths = pd.read_csv(DEMO_DATA_DIR / "deaths.csv", dtype=str, keep_default_na=False)
    wrong = deaths.copy()
    wrong.loc[0, "period"] = "2018/23"
    wrong.to_csv(tmp_path / "deaths.csv", index=False, sep=";")
    upload(page, tmp_path / "deaths.csv", "décès corrigés")
    page.wait_for_element("#admin-report.alert-danger")
    report = page.find_element("#admin-report").text
    assert "1 erreur(s) : rien n'a été enregistré." in report
    assert "deaths.csv, ligne 2, colonne « period » : valeur « 2018/23 » — Période mal écrite." in report
    shot(page, "admin-erreur")

    # Twice the deaths in the first quartier's IRIS over 2018-2023: its mortality index rises on the map.
    doubled = deaths.copy()
    rows = doubled["iris_code"].str.startswith("6822401") & (doubled["period"] == "2018-2023")
    doubled.loc[rows, "deaths"] = (doubled.loc[rows, "deaths"].astype(int) * 2).astype(str)
    doubled.to_csv(tmp_path / "deaths.csv", index=False, sep=";")
    upload(page, tmp_path / "deaths.csv", "décès corrigés")
    page.wait_for_element("#admin-report.alert-success")
    assert "Version 2 enregistrée, pas encore publiée." in page.find_element("#admin-report").text
    page.find_element("#admin-publish-2").click()
    page.wait_for_element("#admin-rollback")
    assert "Version 2 publiée" in page.find_element("main").text
    assert "publiée" in page.find_element("#admin-version-2").text
    shot(page, "admin-publiee")

    after = open_map(page)
    centre = page.driver.execute_script(MAP_LOCATIONS).index("6822401")
    assert after[centre] > before[centre]  # Centre Historique (the commune reference moves the others a little)

    page.driver.get(page.server_url + "/admin/")
    page.wait_for_element("#admin-rollback").click()
    until(lambda: "Retour à la version 1" in page.find_element("main").text, timeout=30)
    assert open_map(page) == before
    assert page.get_logs() == []
