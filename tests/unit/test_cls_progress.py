"""Progress of CLS actions against their targets, on the tiny hand-built follow-up (see tiny.action_indicators)."""

import math

import pandas as pd
import pytest

from dashboard import cls_plan, cls_progress
from tests.unit.tiny import tiny_dataset


@pytest.fixture(scope="module")
def ds():
    return tiny_dataset()


@pytest.fixture(scope="module")
def yearly(ds):
    return cls_progress.follow_up(ds, ["a1", "a2", "a3"])


def row(frame, action_id, label, year):
    match = frame[(frame["action_id"] == action_id) & (frame["indicator_label"] == label) & (frame["year"] == year)]
    assert len(match) == 1
    return match.iloc[0]


def test_share_reached_is_achieved_over_target():
    assert cls_progress.share_reached(45, 60) == 0.75
    assert cls_progress.share_reached(90, 60) == 1.5
    assert math.isnan(cls_progress.share_reached(None, 60))
    assert math.isnan(cls_progress.share_reached(5, 0))


def test_areas_of_an_indicator_are_added_together(yearly):
    first = row(yearly, "a1", "Séances", 2010)
    assert (first["target"], first["achieved"], first["share"]) == (30.0, 24.0, pytest.approx(0.8))


def test_the_number_of_areas_followed_separately_is_kept(yearly):
    assert row(yearly, "a1", "Séances", 2010)["areas"] == 2
    assert row(yearly, "a1", "Part soignée", 2010)["areas"] == 0


def test_a_year_is_unknown_until_every_area_reported(yearly):
    assert math.isnan(row(yearly, "a1", "Séances", 2011)["achieved"])
    assert math.isnan(row(yearly, "a1", "Séances", 2011)["share"])


def test_percentages_over_areas_are_averaged_not_added(ds):
    table = pd.DataFrame(
        [("a1", "Part", "resultat", "%", "2010", 40.0, 30.0, "999990101"),
         ("a1", "Part", "resultat", "%", "2010", 60.0, 60.0, "999990102")],
        columns=cls_progress.FOLLOW_UP_COLUMNS,
    )
    variant = type(ds)(tables={**ds.tables, "action_indicators": table}, iris_shapes=ds.iris_shapes,
                       is_demo=True, schematic_geometry=True, version="t", source_label="t", updated="2026-01-01")
    result = cls_progress.follow_up(variant, ["a1"]).iloc[0]
    assert (result["target"], result["achieved"]) == (50.0, 45.0)


def test_years_outside_the_period_are_left_out(ds):
    assert cls_progress.follow_up(ds, ["a1"], (2012, 2012))["year"].tolist() == [2012]


def test_each_indicator_shows_its_latest_known_year(yearly):
    progress = cls_progress.indicator_progress(yearly).set_index(["action_id", "indicator_label"])
    assert progress.loc[("a1", "Part soignée"), "year"] == 2011
    assert progress.loc[("a1", "Part soignée"), "share"] == pytest.approx(1.1)
    assert progress.loc[("a1", "Séances"), "year"] == 2010
    assert progress.loc[("a1", "Séances"), "years_known"] == 1
    assert progress.loc[("a2", "Médecins installés"), "share"] == pytest.approx(1.5)


def test_an_indicator_with_nothing_known_shows_its_first_target(ds):
    progress = cls_progress.indicator_progress(cls_progress.follow_up(ds, ["a1"], (2012, 2012)))
    assert progress.iloc[0]["target"] == 70.0 and math.isnan(progress.iloc[0]["achieved"])
    assert progress.iloc[0]["years_known"] == 0


def test_the_bar_spans_the_larger_of_target_and_achievement():
    assert cls_progress.bar(100, 50) == {"fill": 50.0, "mark": 100.0}
    assert cls_progress.bar(100, 125) == {"fill": 100.0, "mark": 80.0}
    assert cls_progress.bar(100, float("nan")) == {"fill": 0.0, "mark": 100.0}
    assert cls_progress.bar(0, 0) == {"fill": 0.0, "mark": 100.0}


def test_axis_summary_counts_statuses_and_averages_capped_shares(ds, yearly):
    actions = cls_plan.select_actions(ds, "c1")
    summary = cls_progress.axis_summary(actions, cls_progress.indicator_progress(yearly)).set_index("axis_id")
    # Axis 1: Séances 0.8 and Part soignée 1.1 capped at 1.0 → 0.9 (not 0.95).
    assert summary.loc["c1-1", "mean_share"] == pytest.approx(0.9)
    assert summary.loc["c1-1", "indicators"] == 2
    assert summary.loc["c1-1", ["en_cours", "realisee", "total"]].tolist() == [1, 0, 1]
    # Axis 2: a2 1.5 capped → 1.0; a3 has no indicator and is not counted in the average.
    assert summary.loc["c1-2", "mean_share"] == pytest.approx(1.0)
    assert summary.loc["c1-2", ["en_cours", "realisee", "prevue", "abandonnee", "total"]].tolist() == [1, 1, 0, 0, 2]


def test_an_axis_without_known_achievement_has_no_average(ds):
    actions = cls_plan.select_actions(ds, "c1", "c1-2")
    summary = cls_progress.axis_summary(actions, cls_progress.indicator_progress(cls_progress.follow_up(ds, ["a3"])))
    assert math.isnan(summary.iloc[0]["mean_share"]) and summary.iloc[0]["indicators"] == 0
