"""The portrait and methods pages through the router and Flask's test client; the print stylesheet is served."""

import json

import pytest

from dashboard import indicators


def page_text(client, pathname, search=""):
    body = {
        "output": "page-content.children",
        "outputs": {"id": "page-content", "property": "children"},
        "inputs": [{"id": "url", "property": "pathname", "value": pathname}],
        "state": [{"id": "url", "property": "search", "value": search}],
        "changedPropIds": ["url.pathname"],
    }
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200
    return json.dumps(response.get_json(), ensure_ascii=False)


def test_the_router_builds_the_portrait_of_the_permalink_s_area(client):
    text = page_text(client, "/portrait", "?quartier=6822409")
    assert '"Coteaux"' in text and '"id": "portrait-spine"' in text and '"id": "portrait-table-content"' in text
    assert "action(s) du CLS 3 menée(s) ici" in text
    assert '"href": "/methodes#icm"' in text


def test_a_portrait_permalink_keeps_its_confidence_level(client):
    text = page_text(client, "/portrait", "?quartier=6822409&confiance=99.8")
    assert "IC à 99,8" in text and "intervalle de confiance à 99,8" in text


def test_an_iris_portrait_shows_where_values_are_withheld(client):
    text = page_text(client, "/portrait", "?quartier=682240901&niveau=iris")
    assert '"Coteaux Nord-Ouest"' in text
    assert "effectif insuffisant" in text


def test_a_portrait_without_area_asks_for_one(client):
    text = page_text(client, "/portrait", "?quartier=inconnu")
    assert "Choisissez un quartier ou un IRIS" in text and '"id": "portrait-spine"' not in text


def test_the_methods_page_has_an_anchored_section_per_indicator(client, demo):
    text = page_text(client, "/methodes")
    for indicator in indicators.catalogue(demo):
        assert f'"id": "{indicator.id}"' in text
        assert f'"href": "#{indicator.id}"' in text
    assert "Wilson E. B. (1927)" in text and "Dobson A. J." in text and "Marshall R. J. (1991)" in text


def test_the_nav_leads_to_both_pages(client):
    layout = json.dumps(client.get("/_dash-layout").get_json(), ensure_ascii=False)
    assert '"href": "/portrait"' in layout and '"href": "/methodes"' in layout


@pytest.mark.parametrize("name", ["print.css", "portrait.css"])
def test_the_stylesheets_are_served_and_linked(client, name):
    assert f"/assets/{name}" in client.get("/portrait").get_data(as_text=True)
    response = client.get(f"/assets/{name}")
    assert response.status_code == 200 and response.mimetype == "text/css"


def test_the_print_stylesheet_sets_a4_and_hides_navigation(client):
    css = client.get("/assets/print.css").get_data(as_text=True)
    assert "@page { size: A4" in css
    assert ".navbar" in css and ".portrait-controls" in css and "display: none" in css


def test_the_map_links_its_panel_to_the_portrait_and_its_legend_to_the_method(client):
    text = page_text(client, "/", "?indicateur=child_caries&quartier=6822409&confiance=99.8")
    assert '"href": "/portrait?quartier=6822409&niveau=quartier&confiance=99.8"' in text
    assert '"href": "/methodes#child_caries"' in text
