"""French number display."""

from dashboard import formatting


def test_numbers_use_a_decimal_comma_and_a_narrow_space_for_thousands():
    assert formatting.number(108234) == "108\u202f234"
    assert formatting.number(12.345, 1) == "12,3"
    assert formatting.number(-0.5, 1) == "-0,5"


def test_missing_values_show_as_a_dash():
    assert formatting.number(None) == "–"
    assert formatting.interval(float("nan"), 3) == "–"


def test_intervals_use_brackets_and_a_semicolon():
    assert formatting.interval(91.24, 118.0, 1) == "[91,2 ; 118,0]"


def test_ranks_read_as_french_ordinals():
    assert formatting.rank(1, 18) == "1er sur 18"
    assert formatting.rank(3.0, 18) == "3e sur 18"


def test_confidence_levels():
    assert formatting.confidence(0.95) == "95\u00a0%"
    assert formatting.confidence(0.998) == "99,8\u00a0%"
