"""The network's published survey figures (real data files) and their charts."""

import pytest

from dashboard import network


@pytest.fixture(scope="module")
def ds(demo):
    return demo


def test_the_2011_city_table_adds_up_to_the_published_totals(ds):
    assert network.status_counts(ds) == {"oui": 1, "en_cours": 23, "non": 12}


@pytest.mark.parametrize("kind", ["size", "region"])
def test_each_breakdown_adds_up_to_the_36_answers(ds, kind):
    rows = network.breakdown(ds, kind)
    assert rows[["signed", "in_progress", "no"]].sum().tolist() == [1, 23, 12]
    assert rows["total"].sum() == 36


def test_mulhouse_answered_project_in_progress_in_alsace(ds):
    cities = network.table(ds, "cities").set_index("city")
    assert cities.loc["MULHOUSE", "status"] == "en_cours"
    alsace = network.breakdown(ds, "region").set_index("group").loc["Alsace"]
    assert alsace[["signed", "in_progress", "no"]].tolist() == [0, 2, 0]


def test_reasons_are_sorted_most_cited_first(ds):
    rows = network.reasons(ds)
    assert rows.iloc[0].tolist() == ["Prévention", 24]
    assert rows["cities"].is_monotonic_decreasing and len(rows) == 8


def test_answers_keep_their_denominators(ds):
    answers = network.answers(ds).set_index("measure")
    assert (answers.loc["signed_or_signing", "count"], answers.loc["signed_or_signing", "out_of"]) == (29, 36)
    assert answers.loc["satisfied_partnership", ["count", "out_of"]].tolist() == [19, 27]


def test_the_breakdown_chart_stacks_statuses_and_marks_the_highlighted_group(ds):
    figure = network.breakdown_figure(network.breakdown(ds, "region"), "Alsace", "Par région")
    assert [t["name"] for t in figure["data"]] == ["CLS signé", "Projet en cours", "Pas de CLS"]
    assert "<b>◆ Alsace</b>" in figure["data"][0]["y"]
    assert figure["layout"]["barmode"] == "stack"


def test_an_unknown_breakdown_is_a_developer_error(ds):
    with pytest.raises(ValueError, match="'city'"):
        network.breakdown(ds, "city")
