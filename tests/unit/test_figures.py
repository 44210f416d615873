"""Figure data: the map carries geometry once, updates carry values only."""

import json
import math

import pytest

from dashboard import figures, geometry, indicators
from tests.unit.tiny import tiny_dataset


def build(indicator="icm", period="2010-2011", level="quartier", selected=None):
    ds = tiny_dataset()
    result = indicators.compute(ds, indicator, period, level)
    classes = figures.classes_for(ds, indicator, level)
    return ds, result, classes, figures.map_figure(ds, result, classes, selected)


def test_the_map_holds_every_level_in_one_geojson_with_codes_as_ids():
    ds, _, _, figure = build()
    ids = [f["id"] for f in figure["data"][0]["geojson"]["features"]]
    assert ids == ["9999901", "9999902", "999990101", "999990102", "999990201"]


def test_the_map_shows_only_the_areas_of_the_chosen_level():
    _, result, classes, figure = build(level="iris")
    assert figure["data"][0]["locations"] == ["999990101", "999990102", "999990201"]
    # 0 decimals shown, 2 sent; A and B, hidden by the secret statistique, sit in the grey band below the classes.
    hidden = figures.hidden_z(classes)
    assert hidden < classes.breaks[0] and figure["data"][0]["zmin"] < hidden
    assert figure["data"][0]["z"] == [hidden, hidden, round(result.table["value"][2], 2)]
    assert figure["data"][0]["colorbar"]["ticktext"][0] == "secret"
    assert figure["data"][0]["colorscale"][0][1] == figures.legend.NO_DATA_COLOUR


def test_updates_never_carry_geometry():
    ds, result, classes, _ = build()
    updates = figures.map_updates(ds, result, classes)
    assert not any("geojson" in path for path in updates)
    assert "coordinates" not in json.dumps(list(updates.values()))


def test_a_selection_change_sends_only_outlines_and_labels():
    ds, result, classes, _ = build(level="iris")
    updates = figures.map_updates(ds, result, classes, "999990102", parts=["selection"])
    assert set(updates) == {("data", 0, "marker", "line", "width"), ("data", 1, "text")}


def test_a_values_change_does_not_resend_area_codes_names_or_label_points():
    ds, result, classes, _ = build(level="iris")
    paths = set(figures.map_updates(ds, result, classes, parts=["values"]))
    assert ("data", 0, "z") in paths
    assert not paths & {("data", 0, "locations"), ("data", 0, "hovertext"), ("data", 1, "lon"), ("data", 1, "lat")}


def test_label_points_follow_the_order_of_the_areas():
    ds, result, classes, _ = build(level="iris")
    updates = figures.map_updates(ds, result, classes)
    points = figures.geometry.label_points(ds, "iris").set_index("code")
    for code, lon in zip(updates[("data", 0, "locations")], updates[("data", 1, "lon")]):
        assert points.at[code, "lon"] == lon


def test_applying_updates_to_a_base_figure_gives_the_figure_built_directly():
    ds = tiny_dataset()
    icm = indicators.compute(ds, "icm", "2010-2011", "iris")
    caries = indicators.compute(ds, "child_caries", "2010-2011", "iris")
    classes_icm = figures.classes_for(ds, "icm", "iris")
    classes_caries = figures.classes_for(ds, "child_caries", "iris")
    patched = figures.map_figure(ds, icm, classes_icm)
    figures.apply_updates(patched, figures.map_updates(ds, caries, classes_caries, "999990201"))
    direct = figures.map_figure(ds, caries, classes_caries, "999990201")
    assert json.dumps(patched, sort_keys=True) == json.dumps(direct, sort_keys=True)


def test_missing_values_are_json_null_not_nan():
    ds = tiny_dataset()
    result = indicators.compute(ds, "gp_60plus", "2011", "iris", public=False)  # B has no GP: no share
    figure = figures.map_figure(ds, result, figures.classes_for(ds, "gp_60plus", "iris"))
    assert figure["data"][0]["z"][1] is None
    json.dumps(figure, allow_nan=False)


def test_the_selected_area_gets_a_thick_outline_and_its_name():
    _, _, _, figure = build(level="iris", selected="999990102")
    widths = figure["data"][0]["marker"]["line"]["width"]
    assert widths[1] == figures.SELECTED_LINE and widths[0] == figures.DEFAULT_LINE
    assert figure["data"][1]["text"][1].startswith("B")


def test_the_map_style_uses_our_own_glyphs_and_no_third_party():
    _, _, _, figure = build()
    style = figure["layout"]["map"]["style"]
    assert style["glyphs"].startswith("/assets/glyphs/")
    assert "http" not in json.dumps(figure)


def test_tiles_are_added_only_when_configured():
    style = figures.map_style("/g/{fontstack}/{range}.pbf", "https://tiles.example/{z}/{x}/{y}.png", "© Ex")
    assert style["sources"]["tiles"]["tiles"] == ["https://tiles.example/{z}/{x}/{y}.png"]
    assert [layer["id"] for layer in style["layers"]] == ["background", "tiles"]


def test_the_demo_map_says_its_geometry_is_schematic():
    _, _, _, figure = build()
    assert "géométrie schématique" in figure["layout"]["annotations"][0]["text"]


def test_ranking_sorts_areas_and_draws_the_commune_line():
    ds = tiny_dataset()
    result = indicators.compute(ds, "icm", "2010-2011", "iris", public=False)
    ranking = figures.ranking_figure(result)
    assert ranking["data"][0]["y"] == ["C", "B", "A"]
    assert ranking["layout"]["shapes"][0]["x0"] == result.commune["value"]


def test_quartiers_are_dissolved_from_their_iris():
    ds = tiny_dataset()
    nord = geometry.shapes(ds, "quartier").set_index("code").loc["9999901", "geometry"]
    assert nord.area == 2.0


def test_neighbours_come_from_shared_borders():
    ds = tiny_dataset()
    assert geometry.neighbours(ds, "iris")["999990101"] == ["999990102", "999990201"]


def test_the_view_limits_are_square_and_hold_the_commune_with_a_margin():
    ds = tiny_dataset()  # a 2° × 2° commune around (1, 1)
    view = geometry.view(ds, margin=1.6)
    b = view["bounds"]
    assert view["center"] == {"lon": 1.0, "lat": 1.0}
    assert b["west"] < 0 and b["east"] > 2 and b["south"] < 0 and b["north"] > 2
    width_km = (b["east"] - b["west"]) * 111.32 * math.cos(math.radians(1.0))
    height_km = (b["north"] - b["south"]) * 110.57
    assert width_km == pytest.approx(height_km, rel=1e-3)
    commune_width_km = 2 * 111.32 * math.cos(math.radians(1.0))  # the larger side of this commune
    assert height_km == pytest.approx(1.6 * commune_width_km, rel=1e-3)


def test_values_beyond_the_classes_take_the_end_colours_not_the_grey_of_hidden_areas():
    ds = tiny_dataset()
    result = indicators.compute(ds, "icm", "2010-2011", "iris", reference="france", public=False)
    classes = figures.legend.icm_classes()
    z = figures.map_values(result, classes)
    assert result.table["value"].max() > classes.breaks[-1] and max(z) == classes.breaks[-1]
    assert min(z) >= classes.breaks[0]


def test_smoothing_is_said_under_the_map_and_on_the_colour_bar():
    ds = tiny_dataset()
    result = indicators.compute(ds, "icm", "2010-2011", "iris", smoothing="local", public=False)
    figure = figures.map_figure(ds, result, figures.classes_for(ds, "icm", "iris"))
    notes = figure["layout"]["annotations"][0]["text"]
    assert notes.endswith("valeurs lissées vers les zones voisines (bayésien empirique)")
    assert figure["data"][0]["colorbar"]["title"]["text"].endswith("(lissé)")
    assert figure["data"][0]["z"] == figures.map_values(result, figures.classes_for(ds, "icm", "iris"))
    assert figure["data"][0]["z"] != [round(v, 2) for v in result.table["value"]]
