"""Indicators on a hand-built dataset whose values are computed by hand below."""

import math

import pandas as pd
import pytest

from dashboard import indicators, stats
from tests.unit.tiny import tiny_dataset

# Person-years over 2010-2011 (two years): A young 2000 old 200; B 1000/800; C 4000/1000.
# Commune rates: young 6 deaths / 7000, old 50 / 2000.
EXPECTED_A = 2000 * 6 / 7000 + 200 * 50 / 2000
EXPECTED_NORD = EXPECTED_A + 1000 * 6 / 7000 + 800 * 50 / 2000


@pytest.fixture
def tiny():
    return tiny_dataset()


def row(result, code):
    return result.table.set_index("code").loc[code]


def test_icm_of_an_iris_is_observed_over_expected_with_commune_rates(tiny):
    result = indicators.compute(tiny, "icm", "2010-2011", "iris", public=False)
    a = row(result, "999990101")
    assert a["numerator"] == 10
    assert a["denominator"] == pytest.approx(EXPECTED_A)
    assert a["value"] == pytest.approx(100 * 10 / EXPECTED_A)
    lower, upper = stats.poisson_ci(10)
    assert (a["lower"], a["upper"]) == pytest.approx((100 * lower / EXPECTED_A, 100 * upper / EXPECTED_A))


def test_icm_of_a_quartier_sums_observed_and_expected_of_its_iris(tiny):
    result = indicators.compute(tiny, "icm", "2010-2011", "quartier", public=False)
    nord = row(result, "9999901")
    assert nord["numerator"] == 31
    assert nord["value"] == pytest.approx(100 * 31 / EXPECTED_NORD)


def test_the_commune_against_itself_is_exactly_100(tiny):
    result = indicators.compute(tiny, "icm", "2010-2011", "quartier", public=False)
    assert result.commune["value"] == pytest.approx(100.0)
    assert result.commune["numerator"] == 56


def test_icm_against_france_uses_the_french_rates(tiny):
    result = indicators.compute(tiny, "icm", "2010-2011", "iris", reference="france", public=False)
    assert row(result, "999990101")["value"] == pytest.approx(100 * 10 / (2000 * 0.001 + 200 * 0.02))
    assert result.commune["value"] == pytest.approx(100 * 56 / 47)


def test_premature_icm_keeps_only_deaths_before_65(tiny):
    result = indicators.compute(tiny, "icm_premature", "2010-2011", "iris", public=False)
    a = row(result, "999990101")
    assert a["numerator"] == 2
    assert a["value"] == pytest.approx(100 * 2 / (2000 * 6 / 7000))


def test_gp_density_is_per_10000_inhabitants_of_that_year(tiny):
    result = indicators.compute(tiny, "gp_density", "2011", "iris", public=False)
    assert row(result, "999990101")["value"] == pytest.approx(2 / 1100 * 10_000)
    assert row(result, "999990102")["value"] == 0
    assert result.commune["value"] == pytest.approx(5 / 4500 * 10_000)


def test_share_of_gps_aged_60_is_missing_where_there_is_no_gp(tiny):
    result = indicators.compute(tiny, "gp_60plus", "2011", "iris", public=False)
    assert row(result, "999990101")["value"] == pytest.approx(50.0)
    assert math.isnan(row(result, "999990102")["value"])
    assert row(result, "999990102")["comparison"] is None


def test_child_caries_is_a_share_of_children_screened_with_wilson_interval(tiny):
    result = indicators.compute(tiny, "child_caries", "2010-2011", "iris", public=False)
    c = row(result, "999990201")
    assert c["value"] == pytest.approx(10.0)
    lower, upper = stats.wilson_ci(6, 60)
    assert (c["lower"], c["upper"]) == pytest.approx((100 * lower, 100 * upper))
    assert result.commune["value"] == pytest.approx(16.0)


def test_comparison_uses_the_commune_value_and_polarity(tiny):
    result = indicators.compute(tiny, "icm", "2010-2011", "iris", public=False)
    for code in ("999990101", "999990102", "999990201"):
        r = row(result, code)
        assert r["comparison"] == stats.compare(r["lower"], r["upper"], 100.0, "lower_is_better")


def test_rank_one_is_the_highest_value(tiny):
    result = indicators.compute(tiny, "icm", "2010-2011", "iris", public=False)
    assert row(result, "999990101")["rank"] == 1
    assert row(result, "999990201")["rank"] == 3


def test_unknown_indicator_period_or_level_gives_a_french_error(tiny):
    with pytest.raises(indicators.IndicatorError, match="Indicateur inconnu"):
        indicators.compute(tiny, "nope", "2010-2011", "iris", public=False)
    with pytest.raises(indicators.IndicatorError, match="Période « 1999 » indisponible"):
        indicators.compute(tiny, "icm", "1999", "iris", public=False)
    with pytest.raises(indicators.IndicatorError, match="Niveau"):
        indicators.compute(tiny, "icm", "2010-2011", "commune", public=False)


def test_catalogue_lists_periods_and_linked_axes_from_the_data(tiny):
    entry = indicators.get(tiny, "gp_density")
    assert entry.periods == ("2011",)
    assert entry.axes == ("c1-2",)
    assert [i.id for i in indicators.for_axis(tiny, "c1-1")] == ["child_caries"]
    assert len(indicators.for_axis(tiny, None)) == 7


def test_period_years_reads_plain_ascii_period_ids():
    assert indicators.period_years("2006-2011") == [2006, 2007, 2008, 2009, 2010, 2011]
    assert indicators.period_years("2024") == [2024]
    with pytest.raises(indicators.IndicatorError):
        indicators.period_years("2011-2006")
    with pytest.raises(indicators.IndicatorError):
        indicators.period_years("2006–2011")  # an en dash is not an ASCII period id


def test_series_gives_one_row_per_period_with_the_commune(tiny):
    rows = indicators.series(tiny, "icm", "iris", "999990101", public=False)
    assert [r["period"] for r in rows] == ["2010-2011"]
    assert rows[0]["commune"] == pytest.approx(100.0)


def test_standardised_mortality_weights_each_age_band_by_the_european_standard(tiny):
    result = indicators.compute(tiny, "mortality_dsr", "2010-2011", "iris", public=False)
    a = row(result, "999990101")
    # A: 2 deaths for 2,000 person-years aged 0-4 (weight 5,000), 8 for 200 aged 65-69 (weight 5,500).
    assert a["value"] == pytest.approx((5000 * 2 / 2000 + 5500 * 8 / 200) / 100_000 * 100_000)
    deaths = [0.0] * 19
    people = [0.0] * 19
    deaths[0], deaths[13], people[0], people[13] = 2, 8, 2000, 200
    assert (a["value"], a["lower"], a["upper"]) == pytest.approx(stats.dsr(deaths, people, stats.ESP2013))
    assert (a["numerator"], a["denominator"]) == (10, 2200)
    assert result.commune["value"] == pytest.approx(5000 * 6 / 7000 + 5500 * 50 / 2000)


def test_a_standardised_rate_below_10_deaths_is_not_computed(tiny):
    tiny.deaths.loc[tiny.deaths["iris_code"] == "999990101", "deaths"] = [1, 2]
    result = indicators.compute(tiny, "mortality_dsr", "2010-2011", "iris", public=False)
    assert math.isnan(row(result, "999990101")["value"]) and row(result, "999990101")["comparison"] is None


def test_global_smoothing_is_marshall_s_estimate_towards_the_commune(tiny):
    result = indicators.compute(tiny, "icm", "2010-2011", "iris", smoothing="global", public=False)
    table = result.table
    expected = stats.eb_smooth(table["numerator"], table["denominator"]) * 100
    assert table["smoothed"].tolist() == pytest.approx(expected.tolist())
    assert result.smoothing == "global"
    assert table["value"].tolist() == indicators.compute(tiny, "icm", "2010-2011", "iris", public=False).table[
        "value"].tolist()  # raw values and their comparisons stay


def test_local_smoothing_shrinks_towards_the_neighbours_from_the_geometry(tiny):
    table = indicators.compute(tiny, "child_caries", "2010-2011", "iris", smoothing="local", public=False).table
    # The three IRIS all touch: each is smoothed over all of them; B, with nobody screened, has no estimate.
    expected = stats.eb_smooth(table["numerator"], table["denominator"], [[1, 2], [0, 2], [0, 1]]) * 100
    assert table["smoothed"].tolist()[0] == pytest.approx(expected[0])
    assert math.isnan(table["smoothed"][1])


def test_smoothing_uses_only_the_areas_shown_so_it_reveals_no_hidden_count(tiny):
    # A (10 deaths) and B are hidden: C alone is left, one area, whose estimate is its own value.
    table = indicators.compute(tiny, "icm", "2010-2011", "iris", smoothing="global").table.set_index("code")
    assert table.loc["999990201", "smoothed"] == pytest.approx(table.loc["999990201", "value"])
    assert table.loc[["999990101", "999990102"], "smoothed"].isna().all()


def test_a_standardised_rate_is_never_smoothed(tiny):
    result = indicators.compute(tiny, "mortality_dsr", "2010-2011", "iris", smoothing="global", public=False)
    assert result.smoothing is None and result.table["smoothed"].isna().all()


def test_bad_smoothing_or_confidence_level_gives_a_french_error(tiny):
    with pytest.raises(indicators.IndicatorError, match="Lissage inconnu"):
        indicators.compute(tiny, "icm", "2010-2011", "iris", smoothing="fort")
    with pytest.raises(indicators.IndicatorError, match="Niveau de confiance inconnu"):
        indicators.compute(tiny, "icm", "2010-2011", "iris", conf=0.9)


def test_the_99_8_level_widens_intervals_and_comparisons_follow(demo):
    narrow = indicators.compute(demo, "icm", "2018-2023", "iris").table
    wide = indicators.compute(demo, "icm", "2018-2023", "iris", conf=0.998).table
    assert (wide["lower"] < narrow["lower"]).all() and (wide["upper"] > narrow["upper"]).all()
    assert wide["comparison"].isin(["better", "worse"]).sum() < narrow["comparison"].isin(["better", "worse"]).sum()


def three_school_years(tiny, caries_c):
    """Tiny's screenings over three school years, C's untreated caries as given, A's steady."""
    years = ("2010-2011", "2011-2012", "2012-2013")
    rows = [("999990101", year, 40, 15, 4) for year in years]
    rows += [("999990201", year, 60, caries, 12) for year, caries in zip(years, caries_c)]
    tiny.tables["screenings"] = pd.DataFrame(
        rows, columns=["iris_code", "school_year", "screened", "caries_untreated", "overweight"])
    tiny.cache.clear()
    return tiny


def test_a_rising_share_is_marked_en_hausse_and_a_steady_one_not(tiny):
    trends = indicators.trends(three_school_years(tiny, (12, 25, 40)), "child_caries", "iris",
                               public=False).set_index("code")
    assert trends.loc["999990201", "marker"] == "en hausse"
    assert trends.loc["999990101", "marker"] == "pas d'évolution significative"
    assert trends.loc["999990102", "marker"] is None  # nobody screened
    result = stats.trend([12, 25, 40], [60, 60, 60], times=[2010.5, 2011.5, 2012.5])
    assert trends.loc["999990201", "statistic"] == pytest.approx(result["statistic"])


def test_a_trend_is_withheld_where_a_period_is_hidden(tiny):
    trends = indicators.trends(three_school_years(tiny, (6, 25, 40)), "child_caries", "iris").set_index("code")
    assert trends.loc["999990201", "marker"] is None and trends.loc["999990201", "suppressed"]
    assert math.isnan(trends.loc["999990201", "statistic"])


def test_no_trend_below_three_periods(tiny):
    assert indicators.trends(tiny, "icm", "iris", public=False)["marker"].isna().all()
