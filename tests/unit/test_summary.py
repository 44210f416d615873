"""The text summary of the map."""

from dashboard import indicators, summary
from tests.unit.tiny import tiny_dataset


def test_summary_names_lowest_and_highest_areas_and_the_commune():
    result = indicators.compute(tiny_dataset(), "child_caries", "2010-2011", "iris", public=False)
    text = summary.map_summary(result)
    assert text[0].startswith("Enfants ayant des caries non soignées, 2010-2011, par IRIS")
    assert "de 10,0 (C) à 25,0 (A)" in text[0]
    assert "Valeur de la commune : 16,0" in text[0]


def test_summary_counts_areas_without_value():
    result = indicators.compute(tiny_dataset(), "child_caries", "2010-2011", "iris", public=False)
    assert summary.map_summary(result)[-1] == "1 zone(s) sans valeur calculable."


def test_summary_says_when_no_area_differs_significantly():
    # Tiny counts give wide intervals: every IRIS overlaps the commune.
    result = indicators.compute(tiny_dataset(), "icm", "2010-2011", "iris", public=False)
    assert set(result.table["comparison"]) == {"similar"}
    assert "Aucune zone ne se distingue significativement de la commune" in " ".join(summary.map_summary(result))


def test_summary_says_how_many_areas_the_secret_hides_and_why():
    result = indicators.compute(tiny_dataset(), "icm", "2010-2011", "iris")  # A: 10 deaths, B hidden with it
    text = summary.map_summary(result)
    assert text[-1].startswith("2 zone(s) masquée(s) par le secret statistique : aucun effectif de 1 à 10")
    assert "va de 88 (C) à 88 (C)" in text[0]


def test_summary_names_smoothing_and_ranges_the_smoothed_values():
    result = indicators.compute(tiny_dataset(), "icm", "2010-2011", "iris", smoothing="global", public=False)
    text = summary.map_summary(result)
    assert "la valeur lissée va de" in text[0]
    assert "valeurs lissées vers la commune" in text[1]
