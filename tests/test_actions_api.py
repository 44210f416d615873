"""``/api/v1/actions`` and the CLS pages through Flask's test client."""

import csv
import io
import json

import pytest


def test_actions_as_json_follow_the_filters(client):
    payload = client.get("/api/v1/actions?contract=cls3&axis=cls3-2&period=2023-2028").get_json()
    assert [r["action_id"] for r in payload["rows"]] == ["cls3-a05", "cls3-a06", "cls3-a07"]
    assert (payload["contract"], payload["axis"], payload["period"], payload["table"]) == (
        "cls3", "cls3-2", "2023-2028", "actions")
    assert payload["licence"].startswith("Licence Ouverte") and payload["demo"] is True
    assert {"lead", "partners", "areas", "start_year", "end_year", "status"} <= set(payload["rows"][0])


def test_an_area_keeps_the_actions_running_there(client):
    rows = client.get("/api/v1/actions?contract=cls3&area=6822418").get_json()["rows"]
    assert rows and all(r["areas"] == "Toute la ville" for r in rows)


def test_indicators_as_csv_open_with_their_provenance(client):
    response = client.get("/api/v1/actions?contract=cls3&axis=cls3-2&period=2024-2025&table=indicators&format=csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert 'filename="cls_cls3_cls3-2_2024-2025_indicators.csv"' in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True).lstrip("\ufeff")
    comments = [line for line in text.splitlines() if line.startswith("#")]
    assert any(line.startswith("# Licence : Licence Ouverte") for line in comments)
    rows = list(csv.DictReader(io.StringIO("\n".join(l for l in text.splitlines() if not l.startswith("#")))))
    assert {r["year"] for r in rows} == {"2024", "2025"}
    assert all(r["share_reached_pct"] for r in rows)  # 2024 and 2025 are over: every share is known


@pytest.mark.parametrize("query, words", [
    ("contract=cls9", "Contrat inconnu"),
    ("contract=cls3&axis=cls2-1", "Axe « cls2-1 » inconnu"),
    ("contract=cls3&period=2019-2024", "hors du contrat"),
    ("contract=cls3&period=24", "mal formée"),
    ("area=Coteaux%20Sud", "Valeur mal formée"),
    ("area=6800000", "Zone « 6800000 » inconnue"),
    ("format=xml", "Format inconnu"),
    ("quartier=6822409", "Paramètre(s) inconnu(s) : quartier"),
])
def test_bad_parameters_get_a_400_with_a_french_message(client, query, words):
    response = client.get(f"/api/v1/actions?{query}")
    assert response.status_code == 400
    assert words in response.get_json()["erreur"]


@pytest.mark.parametrize("path, marker", [
    ("/actions", "actions-map"),
    ("/reseau", "network-cities"),
])
def test_the_router_builds_the_cls_pages(client, path, marker):
    body = {
        "output": "page-content.children",
        "outputs": {"id": "page-content", "property": "children"},
        "inputs": [{"id": "url", "property": "pathname", "value": path}],
        "state": [{"id": "url", "property": "search", "value": "?contrat=cls3&axe=cls3-2"}],
        "changedPropIds": ["url.pathname"],
    }
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200
    text = json.dumps(response.get_json(), ensure_ascii=False)
    assert f'"id": "{marker}"' in text
