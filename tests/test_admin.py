"""The admin pages through Flask's test client: the secret, login and its throttling, CSRF, upload with its French
report, publish, rollback, template downloads; and the public pages never pointing at them."""

import io
import re

import pytest

from dashboard import accounts, data, database, store, versions
from dashboard.config import DEMO_DATA_DIR, Settings

PASSWORD = "correct horse battery staple"


@pytest.fixture
def admin(dash_app, demo, tmp_path, monkeypatch):
    """The app with a session secret and a database of its own holding one account."""
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'observatoire.db'}", secret_key="test-secret")
    monkeypatch.setitem(dash_app.server.config, "OBSERVATOIRE", settings)
    monkeypatch.setattr(dash_app.server, "secret_key", settings.secret_key)
    out = io.StringIO()
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert data.main(["create-account", "marie", "--password-stdin"], settings=settings, out=out) == 0
    store.use(demo)
    yield dash_app.server.test_client(), database.engine_for(settings.database_url)
    database.engine_for(settings.database_url).dispose()


def csrf_of(response) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', response.get_data(as_text=True)).group(1)


def log_in(client, password=PASSWORD):
    token = csrf_of(client.get("/admin/login"))
    return client.post("/admin/login", data={"csrf": token, "username": "marie", "password": password})


def test_without_the_secret_the_admin_says_how_to_enable_it(client):
    response = client.get("/admin/login")
    assert response.status_code == 503
    assert "définissez la variable d'environnement OBSERVATOIRE_SECRET_KEY" in response.get_data(as_text=True)


def test_the_admin_page_needs_a_login(admin):
    client, _ = admin
    response = client.get("/admin/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/login")
    assert client.get("/admin/modeles/population.csv").status_code == 302


def test_a_wrong_password_is_refused_and_repeated_failures_are_throttled(admin):
    client, _ = admin
    for _ in range(accounts.MAX_FAILURES):
        response = log_in(client, "wrong password!")
        assert response.status_code == 401 and "Nom ou mot de passe incorrect." in response.get_data(as_text=True)
    response = log_in(client)  # even the right password waits now
    assert response.status_code == 429
    assert "Trop de tentatives de connexion échouées" in response.get_data(as_text=True)


def test_a_form_without_its_token_is_refused(admin):
    client, _ = admin
    response = client.post("/admin/login", data={"username": "marie", "password": PASSWORD})
    assert response.status_code == 400 and "Jeton de formulaire invalide" in response.get_data(as_text=True)


def test_passwords_are_stored_hashed():
    stored = accounts.hash_password(PASSWORD)
    assert PASSWORD not in stored and stored.startswith("scrypt$")
    assert accounts.check_password(PASSWORD, stored) and not accounts.check_password("other", stored)


def test_upload_an_error_then_a_good_file_publish_and_roll_back(admin):
    client, engine = admin
    assert log_in(client).status_code == 302
    page = client.get("/admin/")
    assert page.status_code == 200 and "v1" in page.get_data(as_text=True)
    token = csrf_of(page)
    good = (DEMO_DATA_DIR / "school_screenings.csv").read_text()
    bad = good.replace("682240101,2018-2019,", "682240101,2018-2020,", 1)
    response = client.post("/admin/import", data={"csrf": token, "note": "essai", "files": [
        (io.BytesIO(bad.encode()), "school_screenings.csv")]}, content_type="multipart/form-data")
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "admin-report" in text
    assert "school_screenings.csv, ligne 2, colonne « school_year » : valeur « 2018-2020 »" in text
    assert "rien n&#39;a été enregistré" in text
    response = client.post("/admin/import", data={"csrf": token, "note": "santé scolaire", "files": [
        (io.BytesIO(good.encode()), "school_screenings.csv")]}, content_type="multipart/form-data")
    assert response.status_code == 200 and "Version 2 enregistrée, pas encore publiée." in response.get_data(as_text=True)
    response = client.post("/admin/publish/2", data={"csrf": token}, follow_redirects=True)
    assert "Version 2 publiée" in response.get_data(as_text=True)
    with engine.connect() as connection:
        assert versions.published_version_id(connection) == 2
        assert versions.list_versions(connection)[0]["created_by"] == "marie"
    response = client.post("/admin/rollback", data={"csrf": token}, follow_redirects=True)
    assert "Retour à la version 1" in response.get_data(as_text=True)
    with engine.connect() as connection:
        assert versions.published_version_id(connection) == 1


def test_templates_download_as_csv_a_spreadsheet_opens(admin):
    client, _ = admin
    log_in(client)
    response = client.get("/admin/modeles/population.csv")
    assert response.status_code == 200
    assert response.data.startswith("\ufeffiris_code;year;sex;age_band;population".encode("utf-8"))
    assert client.get("/admin/modeles/nothing.csv").status_code == 404


def test_public_pages_never_point_at_the_admin(client):
    assert "/admin" not in client.get("/").get_data(as_text=True)
    assert "/admin" not in client.get("/_dash-layout").get_data(as_text=True)


def test_a_logged_in_partner_sees_the_values_the_public_cannot(admin, demo):
    client, _ = admin
    query = "/api/v1/values?indicator=child_caries&period=2023-2024&level=iris"
    public = client.get(query).get_json()
    hidden = [row["area_code"] for row in public["rows"] if row["suppressed"]]
    assert hidden and public["partner_mode"] is False
    assert log_in(client).status_code == 302
    partner = client.get(query).get_json()
    assert partner["partner_mode"] is True
    values = {row["area_code"]: row for row in partner["rows"]}
    assert all(values[code]["value"] is not None and not values[code]["suppressed"] for code in hidden)
    assert "Mode partenaire" in client.get(query + "&format=csv").get_data().decode("utf-8-sig")
    layout = client.get("/_dash-layout").get_data(as_text=True)
    assert "partner-notice" in layout


def test_the_public_never_gets_partner_values_or_notice(admin):
    client, _ = admin
    payload = client.get("/api/v1/values?indicator=child_caries&period=2023-2024&level=iris").get_json()
    assert payload["partner_mode"] is False
    assert all(row["value"] is None for row in payload["rows"] if row["suppressed"])
    assert "partner-notice" not in client.get("/_dash-layout").get_data(as_text=True)
