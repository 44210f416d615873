"""Disclosure control: primary and secondary suppression on hand-built hierarchies."""

import numpy as np
import pandas as pd
import pytest

from dashboard import disclosure, indicators
from tests.unit.tiny import tiny_dataset

# Commune C; quartiers Q (IRIS a, b, c) and R (IRIS r, s).
PARENT = pd.Series({"Q": "C", "R": "C", "a": "Q", "b": "Q", "c": "Q", "r": "R", "s": "R"})
CODES = ["C", "Q", "a", "b", "c", "R", "r", "s"]


def hierarchy(a, b, c, r, s):
    """Counts of every cell from the IRIS counts, parents being the sums of their children."""
    values = {"a": a, "b": b, "c": c, "r": r, "s": s}
    values["Q"], values["R"] = a + b + c, r + s
    values["C"] = values["Q"] + values["R"]
    return pd.DataFrame({"deaths": [values[code] for code in CODES]}, index=CODES)


def reasons(counts, **kwargs):
    return disclosure.suppress(counts, PARENT, **kwargs).to_dict()


def test_the_threshold_comes_from_the_environment_with_11_by_default():
    assert disclosure.threshold_from_env({}) == 11
    assert disclosure.threshold_from_env({"OBSERVATOIRE_SECRET_THRESHOLD": " 5 "}) == 5
    for bad in ("0", "-3", "onze", "2.5"):
        with pytest.raises(ValueError, match="OBSERVATOIRE_SECRET_THRESHOLD"):
            disclosure.threshold_from_env({"OBSERVATOIRE_SECRET_THRESHOLD": bad})


def test_large_counts_hide_nothing():
    assert set(reasons(hierarchy(40, 50, 60, 70, 80)).values()) == {None}


def test_a_small_iris_takes_a_neighbour_with_it_so_the_quartier_does_not_give_it_back():
    result = reasons(hierarchy(3, 40, 25, 70, 80))
    assert result["a"] == disclosure.SMALL
    assert result["c"] == disclosure.SECONDARY  # 25 is the cheapest cell leaving a free between 0 and 10
    assert result["b"] is None and result["Q"] is None


def test_two_small_iris_that_pin_each_other_down_are_protected_by_a_third_cell():
    # a + b = 18 with both below 11 would tell that each holds 8 to 10: a large cell must join them.
    result = reasons(hierarchy(10, 8, 0, 70, 80))
    hidden = {code for code, reason in result.items() if reason}
    assert {"a", "b"} <= hidden and len(hidden) >= 3


def test_zero_events_are_not_secret_but_give_no_publishable_value():
    counts = hierarchy(0, 40, 25, 70, 80)
    assert set(reasons(counts).values()) == {None}
    unreliable = counts["deaths"].to_numpy() < 11
    assert reasons(counts, unreliable=unreliable)["a"] == disclosure.SMALL


def test_a_quartier_with_one_iris_is_hidden_with_it():
    parent = pd.Series({"Q": "C", "R": "C", "a": "Q", "r": "R", "s": "R"})
    counts = pd.DataFrame({"deaths": [70, 5, 5, 65, 30, 35]}, index=["C", "Q", "a", "R", "r", "s"])
    result = disclosure.suppress(counts, parent).to_dict()
    assert result["Q"] == result["a"] == disclosure.SMALL
    assert result["R"] == disclosure.SECONDARY  # else Q = C − R
    assert result["r"] or result["s"]  # else R = r + s


def test_a_commune_of_one_small_area_is_hidden_entirely():
    parent = pd.Series({"Q": "C", "a": "Q"})
    counts = pd.DataFrame({"deaths": [4, 4, 4]}, index=["C", "Q", "a"])
    assert set(disclosure.suppress(counts, parent).tolist()) == {disclosure.SMALL}


def test_a_lower_threshold_hides_less():
    counts = hierarchy(6, 40, 25, 70, 80)
    assert reasons(counts)["a"] == disclosure.SMALL
    assert reasons(counts, threshold=5)["a"] is None


def test_bad_counts_are_refused_with_the_value_named():
    with pytest.raises(ValueError, match="non-negative"):
        disclosure.suppress(hierarchy(-1, 40, 25, 70, 80), PARENT)


def test_every_count_column_is_protected():
    counts = hierarchy(40, 50, 60, 70, 80).assign(other=hierarchy(40, 50, 3, 70, 80)["deaths"])
    result = reasons(counts)
    assert result["c"] == disclosure.SMALL and sum(r is not None for r in result.values()) >= 2


def test_the_public_table_hides_every_number_of_a_hidden_area():
    tiny = tiny_dataset()
    result = indicators.compute(tiny, "icm", "2010-2011", "iris")
    a = result.table.set_index("code").loc["999990101"]  # 10 deaths
    assert a["suppressed"] == disclosure.SMALL and a["numerator_note"] == "< 11"
    assert a["denominator_note"] == "secret statistique"  # expected deaths would give the count with the ICM
    for column in ("value", "lower", "upper", "numerator", "denominator", "rank"):
        assert np.isnan(a[column])
    assert a["comparison"] is None
    b = result.table.set_index("code").loc["999990102"]  # 21 deaths, hidden with A (else Nord − B = A)
    assert b["suppressed"] == disclosure.SECONDARY and b["numerator_note"] == "secret statistique"
    assert result.table.set_index("code").loc["999990201", "rank"] == 1  # ranked among the areas shown


def test_partners_see_unsuppressed_values():
    result = indicators.compute(tiny_dataset(), "icm", "2010-2011", "iris", public=False)
    assert result.table["suppressed"].isna().all() and result.table["numerator"].tolist() == [10, 21, 25]


def test_every_level_of_one_indicator_and_period_shares_one_pattern():
    tiny = tiny_dataset()
    pattern = indicators.suppression(tiny, "icm", "2010-2011")
    assert pattern["9999901"] is None  # Nord = A + B is 31: shown, both its IRIS hidden
    quartiers = indicators.compute(tiny, "icm", "2010-2011", "quartier").table
    assert quartiers["suppressed"].isna().all()


def test_all_age_mortality_and_its_standardised_rate_hide_the_same_areas(demo):
    for period in indicators.get(demo, "icm").periods:
        assert indicators.suppression(demo, "icm", period).equals(
            indicators.suppression(demo, "mortality_dsr", period))


def test_gp_counts_from_public_registers_are_never_hidden(demo):
    assert indicators.compute(demo, "gp_density", "2024", "iris").table["suppressed"].isna().all()


def test_premature_deaths_are_hidden_where_the_deaths_at_65_or_more_would_be_small():
    counts = indicators.secret_counts(tiny_dataset(), "icm_premature", "2010-2011")
    assert counts.loc["999990101"].tolist() == [2, 8]  # deaths before 65, deaths at 65 or more


def test_areas_hidden_by_a_pattern_sharing_a_count_stay_hidden():
    already = [code == "b" for code in CODES]
    result = reasons(hierarchy(40, 50, 60, 70, 80), already_hidden=already)
    assert result["b"] == disclosure.SECONDARY
    assert sum(r is not None for r in result.values()) >= 2  # b alone would be Q − a − c

