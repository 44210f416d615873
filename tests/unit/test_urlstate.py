"""Permalinks: the URL's query string restores the view and never fails."""

from dashboard import urlstate
from tests.unit.tiny import tiny_dataset


def test_a_full_query_string_is_restored():
    ds = tiny_dataset()
    state = urlstate.parse(ds, "?indicateur=gp_density&periode=2011&niveau=iris&quartier=999990102&axe=c1-2")
    assert state == {"indicator": "gp_density", "period": "2011", "level": "iris", "area": "999990102",
                     "axis": "c1-2", "smoothing": None, "conf": 0.95}


def test_build_then_parse_gives_the_same_state():
    ds = tiny_dataset()
    state = {"indicator": "child_caries", "period": "2010-2011", "level": "quartier", "area": "9999902",
             "axis": "c1-1", "smoothing": "local", "conf": 0.998}
    assert urlstate.parse(ds, urlstate.build(state)) == state


def test_bad_values_fall_back_to_defaults_instead_of_failing():
    ds = tiny_dataset()
    state = urlstate.parse(ds, "?indicateur=<script>&periode=1900&niveau=pays&quartier=123&axe=zzz")
    assert state == urlstate.default_state(ds)


def test_an_indicator_outside_the_chosen_axis_is_replaced_by_one_of_the_axis():
    ds = tiny_dataset()
    state = urlstate.parse(ds, "?axe=c1-1&indicateur=icm")
    assert state["indicator"] == "child_caries"


def test_an_area_of_another_level_is_dropped():
    ds = tiny_dataset()
    assert urlstate.parse(ds, "?niveau=quartier&quartier=999990101")["area"] is None


def test_empty_values_are_left_out_of_the_url():
    assert urlstate.build({"indicator": "icm", "period": "2010-2011", "level": "iris", "area": None,
                           "axis": None}) == "?indicateur=icm&periode=2010-2011&niveau=iris"


def test_smoothing_and_confidence_level_travel_in_french_in_the_url():
    ds = tiny_dataset()
    state = urlstate.parse(ds, "?indicateur=icm&lissage=global&confiance=99.8")
    assert (state["smoothing"], state["conf"]) == ("global", 0.998)
    assert urlstate.build(state).endswith("&lissage=global&confiance=99.8")


def test_the_default_view_options_stay_out_of_the_url_and_bad_ones_fall_back():
    ds = tiny_dataset()
    state = urlstate.parse(ds, "?lissage=fort&confiance=50")
    assert (state["smoothing"], state["conf"]) == (None, 0.95)
    assert "lissage" not in urlstate.build(state) and "confiance" not in urlstate.build(state)


def test_a_portrait_permalink_gives_the_area_and_its_level():
    ds = tiny_dataset()
    assert urlstate.parse_portrait(ds, "?quartier=9999901") == {"area": "9999901", "level": "quartier",
                                                                "conf": 0.95}
    # The code decides: an IRIS code opens the IRIS, whatever niveau says.
    assert urlstate.parse_portrait(ds, "?quartier=999990102&niveau=quartier&confiance=99.8") == {
        "area": "999990102", "level": "iris", "conf": 0.998}


def test_a_bad_portrait_permalink_opens_without_an_area():
    ds = tiny_dataset()
    assert urlstate.parse_portrait(ds, "?quartier=99999&niveau=pays&confiance=50") == {
        "area": None, "level": "quartier", "conf": 0.95}
    assert urlstate.parse_portrait(ds, "?niveau=iris") == {"area": None, "level": "iris", "conf": 0.95}


def test_portrait_build_then_parse_gives_the_same_state():
    ds = tiny_dataset()
    for state in ({"area": "999990201", "level": "iris", "conf": 0.998}, {"area": None, "level": "iris", "conf": 0.95}):
        assert urlstate.parse_portrait(ds, urlstate.build_portrait(state)) == state
    assert urlstate.build_portrait({"area": "9999902", "level": "quartier", "conf": 0.95}) == (
        "?quartier=9999902&niveau=quartier")
