"""Tests for dashboard.stats against published values and independent computations."""

import doctest
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import optimize
from scipy import stats as scipy_stats

import dashboard.stats
from dashboard.stats import (
    ESP2013,
    ESP2013_BANDS,
    compare,
    dsr,
    eb_smooth,
    poisson_ci,
    smr,
    trend,
    wilson_ci,
)

# Any warning (division by zero, invalid value...) escaping the module fails the test.
pytestmark = pytest.mark.filterwarnings("error")

Z95 = 1.959963984540054


def garwood_by_root_finding(k, conf=0.95):
    """Exact Poisson limits found by inverting the Poisson CDF (independent of chi-square)."""
    alpha = 1 - conf
    upper = optimize.brentq(lambda mu: scipy_stats.poisson.cdf(k, mu) - alpha / 2, 1e-9, 10 * k + 50)
    if k == 0:
        return 0.0, upper
    lower = optimize.brentq(lambda mu: scipy_stats.poisson.sf(k - 1, mu) - alpha / 2, 1e-9, 10 * k + 50)
    return lower, upper


def byar(k, z=Z95):
    """Byar's approximation as written in Breslow & Day (1987) and the PHE confidence-interval guide."""
    lower = k * (1 - 1 / (9 * k) - z / (3 * math.sqrt(k))) ** 3
    upper = (k + 1) * (1 - 1 / (9 * (k + 1)) + z / (3 * math.sqrt(k + 1))) ** 3
    return lower, upper


# --- poisson_ci -------------------------------------------------------------------------------


def test_poisson_ci_of_zero_is_zero_to_3_689():
    # Published exact 95 % limits for 0 events (Garwood 1936; PHE technical guide tables).
    lower, upper = poisson_ci(0)
    assert lower == 0.0
    assert upper == pytest.approx(3.689, abs=5e-4)


def test_poisson_ci_of_five_matches_published_exact_limits():
    # Published exact 95 % limits for 5 events: 1.6235 to 11.668.
    lower, upper = poisson_ci(5)
    assert lower == pytest.approx(1.6235, abs=5e-5)
    assert upper == pytest.approx(11.668, abs=5e-4)


@pytest.mark.parametrize("k", [0, 1, 2, 5, 9])
@pytest.mark.parametrize("conf", [0.95, 0.998])
def test_poisson_ci_below_ten_is_exact(k, conf):
    assert poisson_ci(k, conf) == pytest.approx(garwood_by_root_finding(k, conf), rel=1e-7)


@pytest.mark.parametrize("k", [10, 35, 100, 1234])
def test_poisson_ci_from_ten_uses_byar(k):
    assert poisson_ci(k) == pytest.approx(byar(k), rel=1e-12)


def test_poisson_ci_byar_for_100_is_close_to_exact():
    # Exact 95 % limits for 100 events are 81.37 to 121.63; Byar agrees to better than 0.1 %.
    assert poisson_ci(100) == pytest.approx(garwood_by_root_finding(100), rel=1e-3)
    assert poisson_ci(100) == pytest.approx((81.36, 121.63), abs=5e-3)


def test_poisson_ci_switches_method_exactly_at_ten():
    assert poisson_ci(9) == pytest.approx(garwood_by_root_finding(9), rel=1e-7)
    assert poisson_ci(10) == pytest.approx(byar(10), rel=1e-12)


def test_poisson_ci_of_a_million_events_is_finite_and_about_two_sigma_wide():
    lower, upper = poisson_ci(1e6)
    assert np.isfinite([lower, upper]).all()
    assert lower == pytest.approx(1e6 - Z95 * 1000, abs=2)
    assert upper == pytest.approx(1e6 + Z95 * 1000, abs=2)


def test_poisson_ci_returns_floats_for_a_scalar_and_arrays_for_an_array():
    lower, upper = poisson_ci(5)
    assert type(lower) is float and type(upper) is float
    lower, upper = poisson_ci([[0, 5, 100], [1, 2, 3]])
    assert lower.shape == upper.shape == (2, 3)
    assert lower[0, 1] == pytest.approx(1.6235, abs=5e-5)


def test_poisson_ci_of_a_missing_count_is_nan():
    lower, upper = poisson_ci([np.nan, 5])
    assert np.isnan(lower[0]) and np.isnan(upper[0])
    assert lower[1] == pytest.approx(1.6235, abs=5e-5)


def test_poisson_ci_rejects_a_negative_count_naming_it():
    with pytest.raises(ValueError, match=r"count.*-3"):
        poisson_ci([1, -3])


@pytest.mark.parametrize("conf", [0, 1, 95, -0.5, float("nan"), "0.95", None])
def test_every_function_rejects_a_conf_outside_0_1(conf):
    for call in (
        lambda: poisson_ci(5, conf),
        lambda: smr(5, 4, conf),
        lambda: wilson_ci(5, 10, conf),
        lambda: dsr([10, 10], [100, 100], [1, 1], conf),
        lambda: trend([1, 2, 3], [10, 10, 10], conf=conf),
    ):
        with pytest.raises(ValueError, match=r"conf.*got " + repr(conf).replace(".", r"\.")):
            call()


@given(st.floats(min_value=0, max_value=1e7, allow_nan=False))
def test_poisson_ci_always_contains_the_count(k):
    lower, upper = poisson_ci(k)
    assert 0 <= lower <= k <= upper


# --- smr --------------------------------------------------------------------------------------


def test_smr_is_100_times_observed_over_expected_with_scaled_poisson_limits():
    value, lower, upper = smr(30, 20)
    exact_lower, exact_upper = byar(30)
    assert value == pytest.approx(150.0)
    assert lower == pytest.approx(100 * exact_lower / 20)
    assert upper == pytest.approx(100 * exact_upper / 20)


def test_smr_with_multiplier_one_is_a_plain_ratio():
    value, lower, upper = smr(3, 2, multiplier=1)
    exact_lower, exact_upper = garwood_by_root_finding(3)
    assert (value, lower, upper) == pytest.approx((1.5, exact_lower / 2, exact_upper / 2), rel=1e-7)


def test_smr_with_expected_zero_is_nan():
    assert all(math.isnan(x) for x in smr(3, 0))
    value, lower, upper = smr([3, 6], [0, 3])
    assert np.isnan([value[0], lower[0], upper[0]]).all()
    assert value[1] == pytest.approx(200.0)


def test_smr_broadcasts_observed_against_a_scalar_expected():
    value, lower, upper = smr(np.array([10, 20, 40]), 20)
    np.testing.assert_allclose(value, [50, 100, 200])
    assert lower.shape == upper.shape == (3,)


def test_smr_rejects_negative_expected_naming_it():
    with pytest.raises(ValueError, match=r"expected.*-2\.5"):
        smr(3, -2.5)


# --- wilson_ci --------------------------------------------------------------------------------


def wilson_by_quadratic(x, n, z=Z95):
    """Wilson limits as the roots of (p_hat - p)**2 = z**2 p (1 - p) / n."""
    p_hat = x / n
    roots = np.roots([1 + z**2 / n, -(2 * p_hat + z**2 / n), p_hat**2])
    return tuple(sorted(roots.real))


def test_wilson_ci_of_65_out_of_100_matches_the_published_example():
    # 0.5525 to 0.7364 is the project style guide example; also checked by solving the quadratic.
    lower, upper = wilson_ci(65, 100)
    assert (round(lower, 4), round(upper, 4)) == (0.5525, 0.7364)
    assert (lower, upper) == pytest.approx(wilson_by_quadratic(65, 100), rel=1e-10)


def test_wilson_ci_with_no_successes_starts_at_zero():
    lower, upper = wilson_ci(0, 20)
    assert lower == 0.0
    assert upper == pytest.approx(Z95**2 / (20 + Z95**2))


def test_wilson_ci_with_all_successes_ends_at_one():
    lower, upper = wilson_ci(20, 20)
    assert upper == 1.0
    assert lower == pytest.approx(20 / (20 + Z95**2))


def test_wilson_ci_with_total_zero_is_nan():
    assert all(math.isnan(x) for x in wilson_ci(0, 0))


def test_wilson_ci_broadcasts_successes_against_a_scalar_total():
    lower, upper = wilson_ci([0, 65, 100], 100)
    assert lower.shape == (3,)
    assert (lower[1], upper[1]) == pytest.approx(wilson_by_quadratic(65, 100), rel=1e-10)


def test_wilson_ci_rejects_more_successes_than_total_naming_both():
    with pytest.raises(ValueError, match=r"successes=12.*total=10"):
        wilson_ci([5, 12], 10)


def test_wilson_ci_rejects_negative_successes():
    with pytest.raises(ValueError, match=r"successes.*-1"):
        wilson_ci(-1, 10)


@given(st.integers(min_value=1, max_value=10**6).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
))
def test_wilson_ci_lies_in_0_1_and_contains_the_observed_proportion(case):
    x, n = case
    lower, upper = wilson_ci(x, n)
    assert 0 <= lower <= x / n <= upper <= 1


# --- compare ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "polarity, above, below",
    [
        ("lower_is_better", "worse", "better"),
        ("higher_is_better", "better", "worse"),
        ("neutral", "higher", "lower"),
    ],
)
def test_compare_labels_an_interval_above_or_below_the_benchmark_by_polarity(polarity, above, below):
    assert compare(110, 130, 100, polarity) == above
    assert compare(70, 90, 100, polarity) == below
    assert compare(90, 110, 100, polarity) == "similar"


@pytest.mark.parametrize("lower, upper", [(100, 120), (80, 100), (100, 100)])
def test_compare_treats_a_benchmark_on_a_limit_as_similar(lower, upper):
    assert compare(lower, upper, 100, "lower_is_better") == "similar"


@pytest.mark.parametrize("missing", [None, float("nan")])
def test_compare_returns_none_when_any_value_is_missing(missing):
    assert compare(missing, 130, 100, "neutral") is None
    assert compare(110, missing, 100, "neutral") is None
    assert compare(110, 130, missing, "neutral") is None


def test_compare_returns_an_object_array_for_arrays():
    result = compare(
        np.array([110, 70, 90, np.nan]), np.array([130, 90, 110, 95]), 100, "higher_is_better"
    )
    assert result.dtype == object
    assert result.tolist() == ["better", "worse", "similar", None]


def test_compare_broadcasts_benchmarks_and_polarities():
    result = compare(110, 130, [100, 120, 140], ["lower_is_better", "neutral", "higher_is_better"])
    assert result.tolist() == ["worse", "similar", "worse"]


def test_compare_accepts_a_list_holding_none():
    assert compare([None, 110], [None, 130], 100, "neutral").tolist() == [None, "higher"]


def test_compare_rejects_an_unknown_polarity_naming_it():
    with pytest.raises(ValueError, match="polarity.*'bigger_is_better'"):
        compare(1, 2, 1.5, "bigger_is_better")


def test_compare_rejects_a_lower_limit_above_the_upper_one():
    with pytest.raises(ValueError, match=r"lower=3\.0.*upper=2\.0"):
        compare(3, 2, 1, "neutral")


# --- dsr --------------------------------------------------------------------------------------


def test_esp2013_has_19_bands_summing_to_100000_matching_the_project_bands():
    # Eurostat (2013), Revision of the European Standard Population, five-year bands to 90+.
    assert len(ESP2013) == len(ESP2013_BANDS) == 19
    assert ESP2013.sum() == 100_000
    assert (ESP2013_BANDS[0], ESP2013_BANDS[-2], ESP2013_BANDS[-1]) == ("00-04", "85-89", "90+")
    assert ESP2013[0] == 5000 and ESP2013[-2] == 1500 and ESP2013[-1] == 1000
    assert not ESP2013.flags.writeable


def test_dsr_matches_a_hand_computed_example():
    counts, populations, weights = [5, 10, 20], [1000, 2000, 1000], [5000, 3000, 2000]
    # Rates 0.005, 0.005, 0.02 weighted 0.5, 0.3, 0.2.
    rate = 0.5 * 0.005 + 0.3 * 0.005 + 0.2 * 0.02  # 0.008
    # var = sum(w^2 d / n^2) / sum(w)^2 = (5000^2*5/1000^2 + 3000^2*10/2000^2 + 2000^2*20/1000^2) / 10000^2
    variance = (125 + 22.5 + 80) / 1e8
    observed = 35
    o_lower, o_upper = byar(observed)
    scale = math.sqrt(variance / observed)
    expected = (
        1e5 * rate,
        1e5 * (rate + scale * (o_lower - observed)),
        1e5 * (rate + scale * (o_upper - observed)),
    )
    assert dsr(counts, populations, weights) == pytest.approx(expected, rel=1e-12)
    assert dsr(counts, populations, weights)[0] == pytest.approx(800.0)


def test_dsr_with_equal_rates_in_every_band_is_that_rate():
    populations = np.full(19, 10_000)
    value, lower, upper = dsr(populations * 0.01, populations, ESP2013)
    assert value == pytest.approx(1000.0)
    assert lower < value < upper


def test_dsr_below_ten_events_is_nan():
    assert all(math.isnan(x) for x in dsr([1, 2, 6], [1000, 2000, 1000], [5000, 3000, 2000]))


def test_dsr_computes_one_rate_per_area_row():
    counts = np.array([[5, 10, 20], [1, 2, 3], [10, 20, 40]])
    value, lower, upper = dsr(counts, [1000, 2000, 1000], [5000, 3000, 2000])
    assert value.shape == lower.shape == upper.shape == (3,)
    assert value[0] == pytest.approx(800.0)
    assert np.isnan([value[1], lower[1], upper[1]]).all()
    assert value[2] == pytest.approx(1600.0)


def test_dsr_band_without_people_or_events_counts_as_rate_zero():
    value, _, _ = dsr([5, 10, 0], [1000, 2000, 0], [5000, 3000, 2000])
    assert value == pytest.approx(1e5 * (0.5 * 0.005 + 0.3 * 0.005))


def test_dsr_band_with_events_but_no_people_is_nan():
    assert all(math.isnan(x) for x in dsr([5, 10, 20], [1000, 2000, 0], [5000, 3000, 2000]))


def test_dsr_of_a_million_events_does_not_overflow():
    value, lower, upper = dsr([5e5, 5e5], [1e7, 1e7], [1, 1])
    assert value == pytest.approx(5000.0)
    assert np.isfinite([lower, upper]).all() and lower < value < upper


def test_dsr_rejects_a_band_count_different_from_the_weights():
    with pytest.raises(ValueError, match=r"19.*\(3,\)"):
        dsr([5, 10, 20], [1000, 2000, 1000], ESP2013)


def test_dsr_rejects_negative_populations_naming_them():
    with pytest.raises(ValueError, match=r"populations.*-1000"):
        dsr([5, 10, 20], [1000, -1000, 1000], [1, 1, 1])


# --- eb_smooth --------------------------------------------------------------------------------


def test_eb_smooth_leaves_equal_rates_unchanged():
    np.testing.assert_allclose(eb_smooth([1, 10, 100], [100, 1000, 10000]), [0.01, 0.01, 0.01])


def test_eb_smooth_barely_moves_a_huge_area_and_pulls_a_small_one_to_the_mean():
    events, base = np.array([1000, 3000, 1]), np.array([1e6, 1e6, 100])
    raw = events / base
    m = events.sum() / base.sum()
    smoothed = eb_smooth(events, base)
    assert abs(smoothed[0] - raw[0]) < 0.01 * abs(raw[0] - m)
    assert abs(smoothed[2] - m) < 0.1 * abs(raw[2] - m)


def test_eb_smooth_global_matches_the_marshall_formula_by_hand():
    events, base = [10, 60, 5, 200], [1000, 1000, 1000, 2000]
    m = 275 / 5000
    s2 = (
        1000 * (0.01 - m) ** 2 + 1000 * (0.06 - m) ** 2 + 1000 * (0.005 - m) ** 2 + 2000 * (0.1 - m) ** 2
    ) / 5000 - m / 1250
    weight_0 = s2 / (s2 + m / 1000)
    assert eb_smooth(events, base)[0] == pytest.approx(m + weight_0 * (0.01 - m))


def test_eb_smooth_local_uses_each_area_and_its_neighbours():
    # Four areas on a line: 0 - 1 - 2 - 3.
    events, base = [10, 60, 5, 200], [1000, 1000, 1000, 2000]
    neighbours = [[1], [0, 2], [1, 3], [2]]
    # Area 0: moments over areas 0 and 1.
    m0 = 70 / 2000
    s2_0 = (1000 * (0.01 - m0) ** 2 + 1000 * (0.06 - m0) ** 2) / 2000 - m0 / 1000
    expected_0 = m0 + s2_0 / (s2_0 + m0 / 1000) * (0.01 - m0)
    # Area 3: moments over areas 2 and 3.
    m3 = 205 / 3000
    s2_3 = (1000 * (0.005 - m3) ** 2 + 2000 * (0.1 - m3) ** 2) / 3000 - m3 / 1500
    expected_3 = m3 + s2_3 / (s2_3 + m3 / 2000) * (0.1 - m3)
    smoothed = eb_smooth(events, base, neighbours)
    assert smoothed[0] == pytest.approx(expected_0)
    assert smoothed[3] == pytest.approx(expected_3)


def test_eb_smooth_local_with_everyone_as_neighbour_equals_global():
    events, base = [10, 60, 5, 200], [1000, 1000, 1000, 2000]
    everyone = [[j for j in range(4) if j != i] for i in range(4)]
    np.testing.assert_allclose(eb_smooth(events, base, everyone), eb_smooth(events, base))


def test_eb_smooth_gives_nan_for_an_area_with_zero_base_and_ignores_it():
    with_empty = eb_smooth([10, 60, 0, 5], [1000, 1000, 0, 1000])
    without = eb_smooth([10, 60, 5], [1000, 1000, 1000])
    assert np.isnan(with_empty[2])
    np.testing.assert_allclose(with_empty[[0, 1, 3]], without)


def test_eb_smooth_with_no_events_anywhere_is_zero():
    np.testing.assert_array_equal(eb_smooth([0, 0], [100, 200]), [0.0, 0.0])


def test_eb_smooth_of_one_area_returns_its_rate_as_a_float():
    assert eb_smooth(3, 100) == pytest.approx(0.03)
    assert type(eb_smooth(3, 100)) is float


def test_eb_smooth_rejects_neighbours_of_the_wrong_length():
    with pytest.raises(ValueError, match=r"one entry per area \(3\), got 2"):
        eb_smooth([1, 2, 3], [10, 10, 10], [[1], [0]])


def test_eb_smooth_rejects_an_unknown_neighbour_index():
    with pytest.raises(ValueError, match=r"neighbours\[1\].*got 7"):
        eb_smooth([1, 2, 3], [10, 10, 10], [[1], [7], [1]])


# --- trend ------------------------------------------------------------------------------------


def poisson_score_statistic(events, base, times):
    """Score test of the slope in a Poisson log-linear model, from the full information matrix."""
    events, base, times = (np.asarray(a, dtype=float) for a in (events, base, times))
    fitted = base * events.sum() / base.sum()
    design = np.column_stack([np.ones_like(times), times])
    score = design.T @ (events - fitted)
    information = design.T @ (fitted[:, None] * design)
    return float(score @ np.linalg.inv(information) @ score)


def test_trend_matches_a_hand_computed_chi_square():
    # E = 20 each; U = 0*(-10) + 1*0 + 2*10 = 20; V = 60 * (500/300 - 1) = 40; chi2 = 20^2/40 = 10.
    result = trend([10, 20, 30], [100, 100, 100])
    assert result["statistic"] == pytest.approx(10.0)
    assert result["p_value"] == pytest.approx(scipy_stats.chi2.sf(10.0, 1))
    assert result["slope"] == pytest.approx(20 / 40)
    assert result["marker"] == "en hausse"


def test_trend_matches_the_poisson_regression_score_test():
    events, base = [42, 51, 38, 60, 71, 65], [9000, 9500, 9700, 10100, 10400, 10800]
    times = [2015, 2016, 2017, 2018, 2020, 2022]
    result = trend(events, base, times)
    assert result["statistic"] == pytest.approx(poisson_score_statistic(events, base, times), rel=1e-9)


def test_trend_of_a_clearly_rising_series_is_en_hausse():
    assert trend([50, 60, 75, 90, 110], [10000] * 5)["marker"] == "en hausse"


def test_trend_of_a_clearly_falling_series_is_en_baisse():
    result = trend([110, 90, 75, 60, 50], [10000] * 5)
    assert result["marker"] == "en baisse"
    assert result["slope"] < 0


def test_trend_of_a_flat_series_is_not_significant():
    result = trend([30, 31, 29, 30, 30], [10000] * 5)
    assert result["marker"] == "pas d'évolution significative"
    assert result["p_value"] > 0.05


def test_trend_depends_only_on_the_spacing_of_times():
    default = trend([10, 20, 30], [100, 100, 100])
    years = trend([10, 20, 30], [100, 100, 100], times=[2019, 2020, 2021])
    assert years["statistic"] == pytest.approx(default["statistic"], rel=1e-12)


@pytest.mark.parametrize("events, base", [([10, 20], [100, 100]), ([0, 0, 0], [100, 100, 100])])
def test_trend_with_fewer_than_three_periods_or_no_events_has_no_marker(events, base):
    result = trend(events, base)
    assert result["marker"] is None
    assert math.isnan(result["statistic"]) and math.isnan(result["p_value"])


def test_trend_leaves_out_a_missing_period():
    with_gap = trend([10, np.nan, 20, 30], [100, 100, 100, 100])
    without = trend([10, 20, 30], [100, 100, 100], times=[0, 2, 3])
    assert with_gap["statistic"] == pytest.approx(without["statistic"])


def test_trend_tests_each_row_of_a_table_separately():
    result = trend([[10, 20, 30], [30, 30, 30], [30, 20, 10], [1, 2, 0]], [[100, 100, 100]] * 4)
    assert result["marker"].tolist() == [
        "en hausse",
        "pas d'évolution significative",
        "en baisse",
        "pas d'évolution significative",
    ]
    np.testing.assert_allclose(result["statistic"][:3], [10.0, 0.0, 10.0])


def test_trend_of_million_event_counts_does_not_overflow():
    result = trend([1e6, 1.01e6, 1.02e6], [1e8, 1e8, 1e8], times=[2020, 2021, 2022])
    assert result["statistic"] == pytest.approx(
        poisson_score_statistic([1e6, 1.01e6, 1.02e6], [1e8] * 3, [0, 1, 2]), rel=1e-6
    )
    assert result["marker"] == "en hausse"


def test_trend_rejects_times_of_the_wrong_length():
    with pytest.raises(ValueError, match=r"times.*\(3\)"):
        trend([1, 2, 3], [10, 10, 10], times=[2020, 2021])


# --- documentation ----------------------------------------------------------------------------


def test_every_docstring_example_runs():
    result = doctest.testmod(dashboard.stats)
    assert result.attempted > 0
    assert result.failed == 0
