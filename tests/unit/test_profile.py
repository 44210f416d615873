"""The portrait's core: rows straight from indicators.compute, disclosure respected, the spine chart's geometry."""

import math

import pytest

from dashboard import disclosure, indicators, profile
from tests.unit.tiny import tiny_dataset


@pytest.fixture(scope="module")
def tiny():
    return tiny_dataset()


def by_id(rows):
    return {row["id"]: row for row in rows}


def test_a_row_per_indicator_of_the_catalogue_at_its_latest_period(tiny):
    rows = profile.rows(tiny, "9999901", "quartier")
    assert [r["id"] for r in rows] == [i.id for i in indicators.catalogue(tiny)]
    assert all(r["period"] == indicators.get(tiny, r["id"]).periods[-1] for r in rows)


def test_the_icm_row_is_the_hand_computed_ratio_against_the_commune(tiny):
    # Nord (IRIS A + B): 31 deaths; expected with the commune's rates 3000 × 6/7000 + 1000 × 50/2000 = 27.571.
    icm = by_id(profile.rows(tiny, "9999901", "quartier"))["icm"]
    assert icm["value"] == pytest.approx(100 * 31 / (3000 * 6 / 7000 + 1000 * 0.025))
    assert icm["commune"] == pytest.approx(100.0)
    # Sud: 25 deaths against 4000 × 6/7000 + 25 expected; the two quartiers make the range.
    assert icm["low"] == pytest.approx(100 * 25 / (4000 * 6 / 7000 + 25))
    assert icm["high"] == pytest.approx(icm["value"])
    assert icm["n_areas"] == 2
    assert icm["comparison"] == "similar" and icm["direction"] == "similar"
    assert icm["suppressed"] is None


def test_every_number_is_the_one_indicators_compute_publishes(tiny):
    for row in profile.rows(tiny, "999990201", "iris"):
        result = indicators.compute(tiny, row["id"], row["period"], "iris")
        published = result.table.set_index("code").loc["999990201"]
        for key in ("value", "lower", "upper"):
            assert row[key] == pytest.approx(published[key], nan_ok=True)
        values = result.table["value"].dropna()
        assert row["n_areas"] == len(values)
        if len(values):
            assert (row["low"], row["high"]) == pytest.approx((values.min(), values.max()))


def test_a_small_count_shows_effectif_insuffisant_and_its_neighbour_secret_statistique(tiny):
    # IRIS A has 10 deaths (below 11); B is hidden too, or A would be Nord minus B.
    a = by_id(profile.rows(tiny, "999990101", "iris"))["icm"]
    b = by_id(profile.rows(tiny, "999990102", "iris"))["icm"]
    assert math.isnan(a["value"]) and a["suppressed"] == disclosure.SMALL
    assert profile.value_note(a) == "effectif insuffisant"
    assert profile.comparison_text(a) == "Comparaison impossible (effectif insuffisant)"
    assert math.isnan(b["value"]) and b["suppressed"] == disclosure.SECONDARY
    assert profile.value_note(b) == "secret statistique"


def test_hidden_areas_stay_out_of_the_range(tiny):
    icm = by_id(profile.rows(tiny, "999990201", "iris"))["icm"]
    assert icm["n_areas"] == 1 and icm["low"] == icm["high"] == pytest.approx(icm["value"])


def test_an_indicator_with_one_period_is_not_tested_for_a_trend(tiny):
    row = by_id(profile.rows(tiny, "9999902", "quartier"))["gp_density"]
    assert row["trend"] is None and row["n_periods"] == 1
    assert profile.trend_text(row) == "non testée (moins de 3 périodes)"


def test_trend_markers_are_those_of_indicators_trends(demo):
    for row in profile.rows(demo, "6822409", "quartier"):
        trends = indicators.trends(demo, row["id"], "quartier").set_index("code").loc["6822409"]
        assert row["trend"] == trends["marker"]
        assert row["trend_suppressed"] == bool(trends["suppressed"])
        if row["trend_suppressed"]:
            assert profile.trend_text(row) == "non publiée (secret statistique)"


def test_an_unknown_area_is_a_french_error(tiny):
    with pytest.raises(indicators.IndicatorError, match="Zone inconnue"):
        profile.rows(tiny, "9999901", "iris")


@pytest.mark.parametrize(
    "code, level, expected",
    [("999990102", "quartier", "9999901"), ("9999901", "iris", "999990101"), ("9999902", "quartier", "9999902"),
     ("nope", "iris", None), (None, "quartier", None)],
)
def test_switching_level_keeps_the_same_place(tiny, code, level, expected):
    assert profile.area_at_level(tiny, code, level) == expected


def spine_row(**changes):
    row = {"id": "x", "label": "Indicateur X", "short_label": "X", "unit": "%", "polarity": "lower_is_better",
           "decimals": 1, "period": "2024", "value": 30.0, "lower": 25.0, "upper": 35.0, "commune": 20.0,
           "low": 10.0, "q1": 15.0, "q3": 25.0, "high": 30.0, "comparison": "worse", "direction": "higher",
           "suppressed": None, "trend": None, "trend_suppressed": False, "n_periods": 1, "n_areas": 5}
    return {**row, **changes}


def test_the_commune_is_the_centre_and_the_farthest_area_an_edge():
    row = spine_row()
    assert profile.position(20.0, row) == 0.5
    assert profile.position(30.0, row) == 0.0  # worst, on the left: a high value is unfavourable
    assert profile.position(10.0, row) == 1.0
    assert profile.position(30.0, {**row, "polarity": "higher_is_better"}) == 1.0
    assert profile.position(30.0, {**row, "polarity": "neutral"}) == 1.0  # neutral: higher on the right


def test_nothing_to_scale_gives_no_position():
    assert math.isnan(profile.position(30.0, spine_row(commune=math.nan)))
    assert math.isnan(profile.position(math.nan, spine_row()))
    assert profile.position(5.0, spine_row(low=5.0, high=5.0, commune=5.0)) == 0.5


def test_the_spine_chart_draws_range_middle_half_commune_and_the_area_with_its_interval():
    rows = [spine_row(), spine_row(id="y", short_label="Y", polarity="higher_is_better", comparison="similar",
                                   direction="similar", value=20.0, lower=12.0, upper=28.0)]
    figure = profile.spine_figure(rows, "Nord")
    ranges, middles, area = figure["data"]
    assert ranges["base"] == [0.0, 0.0] and ranges["x"] == [1.0, 1.0]
    assert middles["base"] == [0.25, 0.25] and middles["x"] == [0.5, 0.5]
    assert area["x"] == [0.0, 0.5]
    # The first interval reaches beyond the worst area: drawn past the left edge, which the axis cuts.
    assert area["error_x"]["array"] == pytest.approx([0.25, 0.4])
    assert area["error_x"]["arrayminus"] == pytest.approx([0.25, 0.4])
    assert area["marker"]["symbol"] == ["triangle-up", "circle"]
    assert area["marker"]["color"] == [profile.SPINE_COLOURS["worse"], profile.SPINE_COLOURS["similar"]]
    assert figure["layout"]["shapes"][0]["x0"] == 0.5
    words = [a["text"] for a in figure["layout"]["annotations"] if a.get("yref") == "y"]
    assert words == ["Moins bon", "Comparable"]  # the comparison in words, not only in colour
    assert figure["layout"]["yaxis"]["autorange"] == "reversed"  # first indicator on top
    assert figure["layout"]["height"] == profile.spine_height(2)
    assert "IC à 95\u00a0% : [25,0 ; 35,0]" in area["text"][0]


def test_a_hidden_value_has_no_marker_and_says_why():
    row = spine_row(value=math.nan, lower=math.nan, upper=math.nan, comparison=None, direction=None,
                    suppressed=disclosure.SMALL)
    figure = profile.spine_figure([row], "Nord")
    assert figure["data"][2]["x"] == [None]
    words = [a["text"] for a in figure["layout"]["annotations"] if a.get("yref") == "y"]
    assert words == ["Effectif<br>insuffisant"]
