"""The app through Flask's test client: pages, Dash endpoints, the open data API and its errors."""

import csv
import io
import json

import pytest


def test_home_page_is_french_and_served_locally(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="fr">' in html
    assert "00-bootstrap.min.css" in html
    assert "cdn" not in html.lower()


def test_every_response_forbids_third_party_origins(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "connect-src 'self';" in policy


def test_dash_layout_holds_the_shell_with_the_demo_notice(client):
    layout = client.get("/_dash-layout").get_json()
    text = json.dumps(layout, ensure_ascii=False)
    assert "Données fictives de démonstration" in text
    assert '"id": "page-content"' in text


def test_router_builds_the_map_page_in_the_state_of_the_permalink(client):
    body = {
        "output": "page-content.children",
        "outputs": {"id": "page-content", "property": "children"},
        "inputs": [{"id": "url", "property": "pathname", "value": "/"}],
        "state": [{"id": "url", "property": "search", "value": "?indicateur=child_caries&niveau=iris"}],
        "changedPropIds": ["url.pathname"],
    }
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200
    text = json.dumps(response.get_json(), ensure_ascii=False)
    assert '"id": "map-graph"' in text
    assert "Enfants ayant des caries non soignées" in text


def test_indicator_catalogue(client):
    payload = client.get("/api/v1/indicators").get_json()
    ids = [i["id"] for i in payload["indicators"]]
    assert ids == ["icm", "icm_premature", "mortality_dsr", "gp_density", "gp_60plus", "child_caries",
                   "child_overweight"]
    for entry in payload["indicators"]:
        assert {"id", "label", "unit", "polarity", "periods", "levels"} <= set(entry)
        assert all(p.isascii() for p in entry["periods"])
    assert payload["demo"] is True


def test_values_as_json_have_one_row_per_area_and_the_commune(client, demo):
    payload = client.get("/api/v1/values?indicator=icm&period=2006-2011&level=quartier").get_json()
    rows = payload["rows"]
    assert len(rows) == 18 + 1
    assert rows[-1]["level"] == "commune" and rows[-1]["value"] == pytest.approx(100.0)
    first = rows[0]
    assert {"area_code", "area_name", "value", "lower", "upper", "comparison", "numerator", "expected"} <= set(first)
    assert first["lower"] <= first["value"] <= first["upper"]
    assert payload["licence"].startswith("Licence Ouverte")


def test_values_default_to_the_latest_period(client, demo):
    payload = client.get("/api/v1/values?indicator=gp_density&level=iris").get_json()
    assert payload["period"] == "2024"
    assert len(payload["rows"]) == 43 + 1


def test_values_as_csv_carry_source_licence_and_date(client):
    response = client.get("/api/v1/values?indicator=child_caries&period=2023-2024&level=quartier&format=csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data().decode("utf-8-sig")
    assert "# Licence : Licence Ouverte / Open Licence 2.0" in text
    assert "# Source :" in text and "# Mise à jour :" in text
    assert "données fictives" in text
    data = [line for line in text.splitlines() if not line.startswith("#")]
    rows = list(csv.DictReader(io.StringIO("\n".join(data))))
    assert len(rows) == 19 and rows[0]["area_code"].startswith("68224")


@pytest.mark.parametrize(
    "query, message",
    [
        ("", "« indicator » obligatoire"),
        ("indicator=nope", "Indicateur inconnu"),
        ("indicator=icm&period=1999", "Période « 1999 » indisponible"),
        ("indicator=icm&level=region", "Niveau « region » inconnu"),
        ("indicator=icm&format=xml", "Format inconnu"),
        ("indicator=icm&reference=europe", "Référence inconnue"),
        ("indicator=icm&colour=red", "Paramètre(s) inconnu(s) : colour"),
        ("indicator=%3Cscript%3E", "Valeur mal formée"),
        ("indicator=icm&period=" + "9" * 300, "Valeur mal formée"),
    ],
)
def test_bad_parameters_get_a_french_400_never_a_500(client, query, message):
    response = client.get(f"/api/v1/values?{query}")
    assert response.status_code == 400
    assert message in response.get_json()["erreur"]


def test_unknown_api_address_is_a_french_404(client):
    response = client.get("/api/v1/nothing")
    assert response.status_code == 404
    assert "Adresse inconnue" in response.get_json()["erreur"]


def test_an_unknown_page_says_so_in_french(client):
    body = {
        "output": "page-content.children",
        "outputs": {"id": "page-content", "property": "children"},
        "inputs": [{"id": "url", "property": "pathname", "value": "/nulle-part"}],
        "state": [{"id": "url", "property": "search", "value": ""}],
        "changedPropIds": ["url.pathname"],
    }
    text = json.dumps(client.post("/_dash-update-component", json=body).get_json(), ensure_ascii=False)
    assert "Page introuvable" in text


def test_values_hide_small_counts_and_say_why(client):
    rows = client.get("/api/v1/values?indicator=child_caries&period=2023-2024&level=iris").get_json()["rows"]
    hidden = [r for r in rows if r["suppressed"]]
    assert hidden and all(r["numerator"] is None and r["value"] is None and r["lower"] is None for r in hidden)
    assert {r["suppressed"] for r in hidden} <= {"effectif insuffisant", "secret statistique"}
    assert {r["numerator_note"] for r in hidden} <= {"< 11", "secret statistique"}
    shown = [r["numerator"] for r in rows if r["numerator"] is not None]
    assert all(n == 0 or n >= 11 for n in shown)


def test_values_take_the_confidence_level_and_smoothing(client):
    base = "/api/v1/values?indicator=icm&period=2018-2023&level=quartier"
    narrow = client.get(base).get_json()["rows"][0]
    wide = client.get(base + "&conf=0.998&smoothing=local").get_json()["rows"][0]
    assert wide["lower"] < narrow["lower"] and wide["upper"] > narrow["upper"]
    assert narrow["smoothed"] is None and wide["smoothed"] is not None
    text = client.get(base + "&conf=0.998&format=csv").get_data().decode("utf-8-sig")
    assert "# Intervalles de confiance à 99,8" in text and "# Secret statistique : aucun effectif de 1 à 10" in text


@pytest.mark.parametrize(
    "query, message",
    [("indicator=icm&conf=0.9", "Niveau de confiance inconnu"), ("indicator=icm&smoothing=fort", "Lissage inconnu")],
)
def test_bad_confidence_level_or_smoothing_gets_a_french_400(client, query, message):
    response = client.get(f"/api/v1/values?{query}")
    assert response.status_code == 400 and message in response.get_json()["erreur"]
