"""Callbacks of the "Actions du CLS" page called directly, as plain functions."""

import base64
import io
from contextvars import copy_context

import openpyxl
import pytest
from dash import Patch, no_update
from dash.exceptions import PreventUpdate
from dash._callback_context import context_value
from dash._utils import AttributeDict

from callbacks import actions_page as cb
from dashboard import indicators, store


@pytest.fixture(autouse=True)
def app_ready(dash_app):
    """Callbacks read the dataset through the store, which the app fixture points at the demo data."""


def run_with_trigger(prop_id, function, *args):
    def call():
        triggered = [{"prop_id": prop_id, "value": None}] if prop_id else []
        context_value.set(AttributeDict(triggered_inputs=triggered))
        return function(*args)

    return copy_context().run(call)


def test_a_new_contract_offers_its_axes_and_its_years():
    axes, axis, years_from, first, years_to, last = cb.update_contract_filters("cls2")
    assert [o["value"] for o in axes][1:] == [f"cls2-{n}" for n in range(1, 7)]
    assert axis == "tous" and (first, last) == ("2015", "2020")
    assert [o["value"] for o in years_from] == [str(y) for y in range(2015, 2021)] == [o["value"] for o in years_to]


def test_the_need_indicators_follow_the_axis():
    options, value = cb.update_need_options("cls3-2", "child_caries")
    assert [o["value"] for o in options] == ["icm", "gp_density", "gp_60plus"] and value == "icm"
    options, value = cb.update_need_options("tous", "child_caries")
    assert value == "child_caries" and len(options) == len(indicators.catalogue(store.current()))


def test_a_click_on_a_quartier_selects_it():
    assert cb.select_clicked_area({"points": [{"location": "6822418"}]}) == "6822418"
    assert cb.select_clicked_area({"points": [{"curveNumber": 1, "customdata": "6822409"}]}) == "6822409"
    assert cb.select_clicked_area({"points": []}) is no_update


def test_the_view_patches_the_map_values_and_writes_the_url():
    outputs = run_with_trigger("actions-axis.value", cb.update_view, "cls3", "cls3-2", "2023", "2028", None, "icm")
    summary, _axes, timeline, patch, needs, cards, governance, href, _text, search = outputs
    assert summary.startswith("3 action(s) — CLS 3 · 2023-2028 · Axe 2 — Guérir")
    assert isinstance(patch, Patch)
    paths = [tuple(op["location"]) for op in patch.to_plotly_json()["operations"]]
    assert ("data", 0, "z") in paths and not any("geojson" in path for path in paths)
    assert len(cards) == 3 and "Handiconsult" in str(cards)
    assert sum(len(t["y"]) for t in timeline["data"]) == 3
    assert "Brustlein" in str(needs)
    assert search == "?contrat=cls3&axe=cls3-2&periode=2023-2028&indicateur=icm"
    assert href == "/api/v1/actions?contract=cls3&axis=cls3-2&period=2023-2028"
    assert "Pas d'information" in str(governance)


def test_a_quartier_and_years_narrow_the_list():
    outputs = run_with_trigger("actions-area.value", cb.update_view, "cls3", "tous", "2026", "2024", "6822418", "icm")
    summary, cards, search = outputs[0], outputs[5], outputs[-1]
    # No action targets Brustlein: only the four city-wide ones running in 2024-2026 are there.
    assert summary.startswith("4 action(s) — CLS 3 · 2024-2026 · Brustlein")
    assert str(cards).count("Toute la ville") == 4
    assert search == "?contrat=cls3&periode=2024-2026&quartier=6822418&indicateur=icm"


def test_a_transient_mix_of_contract_and_axis_changes_nothing():
    outputs = run_with_trigger("actions-contract.value", cb.update_view, "cls2", "cls3-2", "2023", "2028", None, "icm")
    assert outputs == (no_update,) * 10


def test_the_view_does_nothing_when_the_page_is_inserted():
    with pytest.raises(PreventUpdate):
        run_with_trigger(None, cb.update_view, "cls3", "tous", "2023", "2028", None, "icm")


def test_csv_export_holds_the_filtered_actions_with_their_provenance():
    data = run_with_trigger("actions-export-actions.n_clicks", cb.export_actions, 1, None, None,
                            "cls3", "cls3-2", "2023", "2028", None)
    assert data["filename"] == "cls_cls3_cls3-2_2023-2028_actions.csv"
    assert "# Licence : Licence Ouverte" in data["content"]
    assert data["content"].count("\ncls3-a0") == 3


def test_indicator_export_and_xlsx_export():
    data = run_with_trigger("actions-export-indicators.n_clicks", cb.export_actions, None, 1, None,
                            "cls3", "cls3-2", "2024", "2025", "6822409")
    assert "share_reached_pct" in data["content"] and ",2023," not in data["content"]
    data = run_with_trigger("actions-export-xlsx.n_clicks", cb.export_actions, None, None, 1,
                            "cls3", "tous", "2023", "2028", None)
    workbook = openpyxl.load_workbook(io.BytesIO(base64.b64decode(data["content"])))
    assert workbook.sheetnames == ["Actions", "Indicateurs"] and data["filename"].endswith(".xlsx")


def test_an_indicator_followed_per_area_says_its_bar_is_their_total():
    outputs = run_with_trigger("actions-axis.value", cb.update_view, "cls3", "cls3-1", "2023", "2025", None, "icm")
    assert "(total des 7 zones suivies de l'action)" in str(outputs[5])  # « M'Ta Santé »: 7 quartiers followed
