"""Map page callbacks called directly, as plain functions."""

from contextvars import copy_context

import pytest
from dash import Patch, no_update
from dash.exceptions import PreventUpdate
from dash._callback_context import context_value
from dash._utils import AttributeDict

from callbacks import map_page as cb


@pytest.fixture(autouse=True)
def app_ready(dash_app):
    """Callbacks read the dataset through the store, which the app fixture points at the demo data."""


def run_with_trigger(prop_id, function, *args):
    def call():
        triggered = [{"prop_id": prop_id, "value": None}] if prop_id else []  # Dash's initial call has none
        context_value.set(AttributeDict(triggered_inputs=triggered))
        return function(*args)

    return copy_context().run(call)


def test_choosing_an_axis_keeps_only_its_indicators():
    options, value = cb.update_indicator_options("cls3-3", "icm")
    ids = [o["value"] for o in options]
    assert "icm" not in ids and value == ids[0]


def test_an_indicator_of_the_axis_is_kept():
    options, value = cb.update_indicator_options("cls3-2", "gp_density")
    assert value == "gp_density"


def test_all_axes_offer_every_indicator():
    options, _ = cb.update_indicator_options("tous", "icm")
    assert len(options) == 7


def test_periods_follow_the_indicator_latest_first():
    options, value = cb.update_period_options("gp_density", "2006-2011")
    assert [o["value"] for o in options] == ["2024", "2020", "2016", "2012"]
    assert value == "2024"


def test_an_iris_selection_becomes_its_quartier_when_switching_to_quartiers():
    options, value = cb.update_area_options("quartier", "682240901")
    assert value == "6822409"
    assert len(options) == 18


def test_a_quartier_selection_is_cleared_when_switching_to_iris():
    options, value = cb.update_area_options("iris", "6822409")
    assert value is None and len(options) == 43


def test_a_click_on_the_map_selects_the_area():
    click = {"points": [{"location": "682241501", "curveNumber": 0}]}
    assert run_with_trigger("map-graph.clickData", cb.select_clicked_area, click, None) == "682241501"


def test_a_click_on_a_label_selects_nothing():
    click = {"points": [{"curveNumber": 1, "text": "▲"}]}
    assert run_with_trigger("map-graph.clickData", cb.select_clicked_area, click, None) is no_update


def test_a_click_on_the_ranking_selects_the_area():
    click = {"points": [{"customdata": ["6822409"], "y": "Coteaux"}]}
    assert run_with_trigger("map-ranking.clickData", cb.select_clicked_area, None, click) == "6822409"


DRAWN = {"indicator": "icm", "period": "2018-2023", "level": "quartier", "area": None, "axis": None,
         "smoothing": None, "conf": 0.95}
RAW = ("brut", 0.95)  # the smoothing and confidence controls as the page opens


def test_switching_level_resends_areas_values_and_outlines():
    outputs = run_with_trigger("map-level.value", cb.update_view, "icm", "2018-2023", "iris", None, "", *RAW, DRAWN)
    paths = set(patched_paths(outputs[0]))
    assert {("data", 0, "locations"), ("data", 0, "z"), ("data", 0, "marker", "line", "width")} <= paths
    assert len(outputs[0].to_plotly_json()["operations"][0]["params"]["value"]) == 43
    assert outputs[-1]["level"] == "iris"


def patched_paths(patch):
    return [tuple(op["location"]) for op in patch.to_plotly_json()["operations"]]


def test_selecting_an_area_patches_only_its_outline_and_labels():
    outputs = run_with_trigger("map-area.value", cb.update_view, "icm", "2006-2011", "quartier", "6822409", "cls3-2",
                               *RAW, {**DRAWN, "period": "2006-2011"})
    assert set(patched_paths(outputs[0])) == {("data", 0, "marker", "line", "width"), ("data", 1, "text")}


def test_view_update_patches_values_only_and_writes_the_url():
    outputs = run_with_trigger("map-period.value", cb.update_view, "icm", "2006-2011", "quartier", "6822409", "cls3-2",
                               *RAW, {**DRAWN, "area": "6822409"})
    patch, _legend, panel, ranking, _table, summary, search, drawn = outputs
    assert isinstance(patch, Patch)
    operations = patch.to_plotly_json()["operations"]
    paths = [tuple(op["location"]) for op in operations]
    assert ("data", 0, "z") in paths
    assert not any("geojson" in path for path in paths)
    assert search == "?indicateur=icm&periode=2006-2011&niveau=quartier&quartier=6822409&axe=cls3-2"
    assert "Coteaux" in str(panel)
    assert len(ranking["data"][0]["y"]) == 18
    assert summary


def test_view_update_ignores_a_transient_inconsistent_combination():
    outputs = run_with_trigger("map-indicator.value", cb.update_view, "gp_density", "2006-2011", "quartier", None, "",
                               *RAW, DRAWN)
    assert outputs == (no_update,) * 8


def test_view_update_does_nothing_when_the_page_is_inserted():
    with pytest.raises(PreventUpdate):
        run_with_trigger(None, cb.update_view, "icm", "2018-2023", "quartier", None, "", *RAW, DRAWN)


def test_smoothing_recolours_the_map_and_says_so_in_legend_summary_and_url():
    outputs = run_with_trigger("map-smoothing.value", cb.update_view, "icm_premature", "2018-2023", "iris", None, "",
                               "local", 0.95, {**DRAWN, "indicator": "icm_premature", "level": "iris"})
    patch, legend, _panel, _ranking, table, summary, search, drawn = outputs
    operations = {tuple(op["location"]): op["params"]["value"] for op in patch.to_plotly_json()["operations"]}
    raw = run_with_trigger("map-smoothing.value", cb.update_view, "icm_premature", "2018-2023", "iris", None, "",
                           *RAW, {**DRAWN, "indicator": "icm_premature", "level": "iris", "smoothing": "local"})
    raw_z = {tuple(op["location"]): op["params"]["value"] for op in raw[0].to_plotly_json()["operations"]}[
        ("data", 0, "z")]
    assert operations[("data", 0, "z")] != raw_z
    assert "valeurs lissées vers les zones voisines" in operations[("layout", "annotations", 0, "text")]
    assert "valeurs lissées vers les zones voisines" in str(legend)
    assert "Valeur lissée" in str(table)
    assert any("valeur lissée va de" in str(p) for p in summary)
    assert search.endswith("&lissage=local") and drawn["smoothing"] == "local"


def test_the_confidence_level_changes_intervals_hover_and_url():
    outputs = run_with_trigger("map-conf.value", cb.update_view, "icm", "2018-2023", "quartier", "6822409", "",
                               "brut", 0.998, {**DRAWN, "area": "6822409"})
    patch, _legend, panel, _ranking, table, _summary, search, _drawn = outputs
    operations = {tuple(op["location"]): op["params"]["value"] for op in patch.to_plotly_json()["operations"]}
    assert "IC à 99,8" in operations[("data", 0, "hovertemplate")]
    assert "Intervalle de confiance à 99,8" in str(panel) and "IC à 99,8" in str(table)
    assert search.endswith("&confiance=99.8")


def test_a_logged_in_partner_gets_the_hidden_values_on_the_map_and_in_the_table(monkeypatch):
    args = ("child_caries", "2023-2024", "iris", None, "tous", "brut", 0.95,
            {**DRAWN, "indicator": "icm", "level": "iris"})
    public = run_with_trigger("map-indicator.value", cb.update_view, *args)
    monkeypatch.setattr(cb.admin, "signed_in", lambda: True)
    partner = run_with_trigger("map-indicator.value", cb.update_view, *args)

    def z(outputs):
        return next(op["params"]["value"] for op in outputs[0].to_plotly_json()["operations"]
                    if op["location"] == ["data", 0, "z"])

    assert "secret statistique" in str(public[4]) and "secret statistique" not in str(partner[4])
    # Hidden areas are drawn in the grey "secret" band of the colour bar; the partner sees their own colours.
    assert z(partner) != z(public)
