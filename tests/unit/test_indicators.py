"""Indicators on a hand-built dataset whose values are computed by hand below."""

import math

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
