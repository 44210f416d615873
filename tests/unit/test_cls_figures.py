"""Figure data of the CLS page: the actions' timeline and the map of where they run."""

from dashboard import cls_figures, cls_plan
from tests.unit.tiny import tiny_dataset


def test_the_timeline_draws_one_bar_per_action_from_start_to_end_coloured_by_status():
    ds = tiny_dataset()
    actions = cls_plan.select_actions(ds, "c1")
    figure = cls_figures.timeline_figure(actions, (2010, 2012), (2011, 2012))
    by_status = {t["name"]: t for t in figure["data"]}
    assert by_status["En cours"]["base"] == [2010, 2010] and by_status["En cours"]["x"] == [3, 3]
    assert len(by_status["Réalisée"]["y"]) == 1 and by_status["Prévue"]["y"] == []
    assert figure["layout"]["shapes"][0]["x0"] == 2011 and figure["layout"]["shapes"][0]["x1"] == 2013


def test_the_map_counts_targeted_actions_and_updates_without_geometry():
    ds = tiny_dataset()
    effort = cls_plan.area_effort(ds, cls_plan.select_actions(ds, "c1", "c1-2"), "quartier")
    updates = cls_figures.effort_updates(ds, effort, "9999902", "Titre")
    assert updates[("data", 0, "locations")] == ["9999901", "9999902"]
    assert updates[("data", 0, "z")] == [0, 1]
    assert updates[("data", 0, "marker", "line", "width")] == [cls_figures.DEFAULT_LINE, cls_figures.SELECTED_LINE]
    assert not any("geojson" in path for path in updates)
    figure = cls_figures.effort_map(ds, effort, None, "Titre", glyphs_url="/assets/glyphs/{fontstack}/{range}.pbf")
    assert {f["id"] for f in figure["data"][0]["geojson"]["features"]} == {"9999901", "9999902"}
