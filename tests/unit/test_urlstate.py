"""Permalinks: the URL's query string restores the view and never fails."""

from dashboard import urlstate
from tests.unit.tiny import tiny_dataset


def test_a_full_query_string_is_restored():
    ds = tiny_dataset()
    state = urlstate.parse(ds, "?indicateur=gp_density&periode=2011&niveau=iris&quartier=999990102&axe=c1-2")
    assert state == {"indicator": "gp_density", "period": "2011", "level": "iris", "area": "999990102",
                     "axis": "c1-2"}


def test_build_then_parse_gives_the_same_state():
    ds = tiny_dataset()
    state = {"indicator": "child_caries", "period": "2010-2011", "level": "quartier", "area": "9999902",
             "axis": "c1-1"}
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
