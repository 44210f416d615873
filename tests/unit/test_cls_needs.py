"""Needs versus actions on hand-built cases: need from indicators.compute, effort from the actions' areas."""

import pytest

from dashboard import cls_needs, cls_plan, indicators
from tests.unit.tiny import frame, tiny_dataset


@pytest.fixture(scope="module")
def ds():
    """Tiny, with enough children screened for clear differences: Nord 200/400 caries (50 %), Sud 60/600 (10 %)."""
    base = tiny_dataset()
    screenings = frame(
        [("999990101", "2010-2011", 400, 200, 40), ("999990102", "2010-2011", 0, 0, 0),
         ("999990201", "2010-2011", 600, 60, 60)],
        ["iris_code", "school_year", "screened", "caries_untreated", "overweight"],
    )
    return type(base)(tables={**base.tables, "screenings": screenings}, iris_shapes=base.iris_shapes, is_demo=True,
                      schematic_geometry=True, version="needs", source_label="t", updated="2026-01-01")


def test_need_values_come_from_the_indicator_core(ds):
    view = cls_needs.needs_versus_actions(ds, "child_caries", cls_plan.select_actions(ds, "c1"))
    expected = indicators.compute(ds, "child_caries", "2010-2011", "quartier").table.set_index("code")
    table = view.table.set_index("code")
    assert table.loc["9999901", "value"] == pytest.approx(50.0)
    assert table.loc["9999902", "value"] == pytest.approx(10.0)
    assert table["comparison"].to_dict() == expected["comparison"].to_dict()
    assert view.result.period == "2010-2011"


def test_a_high_need_area_targeted_by_an_action_is_covered(ds):
    view = cls_needs.needs_versus_actions(ds, "child_caries", cls_plan.select_actions(ds, "c1"))
    table = view.table.set_index("code")
    assert table.loc["9999901", "comparison"] == "worse"
    assert (table.loc["9999901", "targeted"], table.loc["9999901", "flag"]) == (1, "covered")
    assert table.loc["9999902", "flag"] == "other"  # better than the commune
    assert view.citywide == 1


def test_a_high_need_area_without_targeted_action_is_a_gap_listed_first(ds):
    view = cls_needs.needs_versus_actions(ds, "child_caries", cls_plan.select_actions(ds, "c1", "c1-2"))
    assert view.table.iloc[0]["code"] == "9999901"
    assert (view.table.iloc[0]["targeted"], view.table.iloc[0]["flag"]) == (0, "gap")


def test_citywide_actions_do_not_count_as_targeted(ds):
    only_citywide = cls_plan.select_actions(ds, "c1", "c1-2").query("citywide")
    view = cls_needs.needs_versus_actions(ds, "child_caries", only_citywide)
    assert view.table["targeted"].tolist() == [0, 0]
    assert view.citywide == 1


def test_a_value_the_core_leaves_out_gives_an_unknown_need():
    tiny = tiny_dataset()  # 10 and 6 children with caries: too few, the core leaves the values out
    result = indicators.compute(tiny, "child_caries", "2010-2011", "quartier")
    view = cls_needs.needs_versus_actions(tiny, "child_caries", cls_plan.select_actions(tiny, "c1"))
    missing = set(result.table.loc[result.table["value"].isna(), "code"])
    assert missing
    assert set(view.table.loc[view.table["flag"] == "unknown", "code"]) == missing
