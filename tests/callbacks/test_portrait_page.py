"""Portrait page callbacks called directly, as plain functions."""

import json
from contextvars import copy_context

import plotly
import pytest
from dash._callback_context import context_value
from dash._utils import AttributeDict
from dash.exceptions import PreventUpdate

from callbacks import portrait_page as cb


@pytest.fixture(autouse=True)
def app_ready(dash_app):
    """Callbacks read the dataset through the store, which the app fixture points at the demo data."""


def text_of(component) -> str:
    return json.dumps(component, cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False)


def test_choosing_an_area_shows_its_portrait_and_puts_it_in_the_url():
    body, search = cb.update_portrait("6822407", 0.95, "quartier", "?quartier=6822409&niveau=quartier")
    text = text_of(body)
    assert '"Rebberg"' in text and '"portrait-spine"' in text
    assert search == "?quartier=6822407&niveau=quartier"


def test_the_area_already_shown_is_not_rebuilt():
    with pytest.raises(PreventUpdate):
        cb.update_portrait("6822409", 0.95, "quartier", "?quartier=6822409&niveau=quartier")


def test_a_stricter_confidence_level_goes_into_the_intervals_and_the_url():
    body, search = cb.update_portrait("6822409", 0.998, "quartier", "?quartier=6822409&niveau=quartier")
    assert "IC à 99,8" in text_of(body)
    assert search == "?quartier=6822409&niveau=quartier&confiance=99.8"


def test_choosing_an_iris_gives_its_iris_portrait():
    body, search = cb.update_portrait("682240901", 0.95, "iris", "?quartier=6822409&niveau=quartier")
    assert '"Coteaux Nord-Ouest"' in text_of(body)
    assert search == "?quartier=682240901&niveau=iris"


def test_switching_to_iris_lists_the_iris_and_keeps_the_place():
    def call():
        context_value.set(AttributeDict(triggered_inputs=[{"prop_id": "portrait-level.value", "value": "iris"}]))
        return cb.update_area_options("iris", "6822409")

    options, value = copy_context().run(call)
    assert len(options) == 43
    assert value == "682240901"  # Coteaux's first IRIS
