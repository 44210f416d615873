"""Map classes and symbols."""

import pytest

from dashboard import legend


def test_icm_classes_are_fixed_and_centred_on_100():
    classes = legend.icm_classes()
    assert classes.breaks == [70, 80, 90, 100, 110, 120, 130]
    assert len(classes.colours) == len(classes.labels) == 6
    assert classes.labels[0] == "moins de 80" and classes.labels[-1] == "120 ou plus"


def test_quantile_classes_collapse_duplicate_breaks():
    classes = legend.quantile_classes([5, 5, 5, 5, 6], "lower_is_better", 0)
    assert classes.breaks == [5.0, 6.0]
    assert len(classes.colours) == 1


def test_quantile_classes_ignore_missing_values():
    classes = legend.quantile_classes([float("nan"), None, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0], "neutral", 1)
    assert classes.breaks[0] == 1.0 and classes.breaks[-1] == 6.0


def test_quantile_classes_without_any_value_say_so():
    assert legend.quantile_classes([], "neutral", 1).labels == ["aucune valeur"]


def test_stepped_colourscale_jumps_at_each_break():
    classes = legend.icm_classes()
    scale = legend.colourscale(classes)
    assert scale[0] == [0.0, classes.colours[0]]
    assert scale[1] == [pytest.approx(1 / 6, abs=1e-6), classes.colours[0]]
    assert scale[2] == [pytest.approx(1 / 6, abs=1e-6), classes.colours[1]]
    assert scale[-1] == [1.0, classes.colours[-1]]


@pytest.mark.parametrize(
    "value, expected", [(65, 0), (70, 0), (79.9, 0), (80, 1), (100, 3), (129, 5), (500, 5), (float("nan"), None)]
)
def test_class_of_puts_values_beyond_the_ends_in_the_end_classes(value, expected):
    assert legend.class_of(value, legend.icm_classes()) == expected


@pytest.mark.parametrize(
    "comparison, polarity, expected",
    [
        ("worse", "lower_is_better", "higher"),
        ("better", "lower_is_better", "lower"),
        ("worse", "higher_is_better", "lower"),
        ("better", "higher_is_better", "higher"),
        ("higher", "neutral", "higher"),
        ("similar", "lower_is_better", "similar"),
        (None, "neutral", None),
    ],
)
def test_direction_turns_better_or_worse_into_a_side_of_the_commune(comparison, polarity, expected):
    assert legend.direction(comparison, polarity) == expected


def test_symbols_show_significance_without_colour():
    assert legend.symbol("higher") == "▲"
    assert legend.symbol("lower") == "▼"
    assert legend.symbol("similar") == ""
