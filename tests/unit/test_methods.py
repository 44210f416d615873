"""The methods page's text: one section per indicator, each kind with its own formula, interval and references."""

import dataclasses

import pytest

from dashboard import indicators, methods
from tests.unit.tiny import tiny_dataset


@pytest.fixture(scope="module")
def tiny():
    return tiny_dataset()


def part(section, title):
    return dict(section["parts"])[title]


def test_a_section_per_indicator_anchored_by_its_id(tiny):
    sections = methods.sections(tiny)
    assert [s["id"] for s in sections] == [i.id for i in indicators.catalogue(tiny)]
    titles = ["Définition", "Unité", "Source", "Périodes", "Calcul", "Intervalle de confiance",
              "Comparaison à la commune", "Évolution", "Lissage", "Secret statistique"]
    for section in sections:
        assert [t for t, _ in section["parts"]] == titles
        assert all(text.strip() for _, text in section["parts"])
        assert section["references"]


def test_the_formula_carries_the_indicator_s_own_counts_and_multiplier(tiny):
    gp = methods.section(indicators.get(tiny, "gp_density"))
    assert part(gp, "Calcul") == "Valeur = médecins généralistes ÷ habitants × 10\u202f000."
    assert part(gp, "Périodes") == "2011"


def test_each_kind_names_its_interval_and_cites_it(tiny):
    icm = methods.section(indicators.get(tiny, "icm"))
    caries = methods.section(indicators.get(tiny, "child_caries"))
    assert "Byar" in part(icm, "Intervalle de confiance") and "Garwood" in part(icm, "Intervalle de confiance")
    assert any(r.startswith("Breslow N. E., Day N. E. (1987)") for r in icm["references"])
    assert "Wilson" in part(caries, "Intervalle de confiance")
    assert any(r.startswith("Wilson E. B. (1927)") for r in caries["references"])
    assert "une valeur basse est favorable" in part(caries, "Comparaison à la commune")


def test_a_directly_standardised_rate_cites_dobson_and_the_european_standard_and_is_not_smoothed(tiny):
    icm = indicators.get(tiny, "icm")
    dsr = dataclasses.replace(icm, id="dsr_test", method=dataclasses.replace(icm.method, kind="dsr"))
    section = methods.section(dsr)
    assert "Dobson" in part(section, "Intervalle de confiance")
    assert "population standard européenne 2013" in part(section, "Calcul")
    assert part(section, "Lissage") == methods.NOT_SMOOTHED_TEXT
    assert not any(r.startswith("Marshall") for r in section["references"])
    assert any(r.startswith("Eurostat (2013)") for r in section["references"])


def test_smoothable_indicators_explain_marshall_s_estimator(tiny):
    section = methods.section(indicators.get(tiny, "icm"))
    assert "Marshall, 1991" in part(section, "Lissage") and "décès attendus" in part(section, "Lissage")
    assert any(r.startswith("Marshall R. J. (1991)") for r in section["references"])


def test_the_disclosure_rule_follows_the_threshold(tiny):
    section = methods.section(indicators.get(tiny, "icm"), threshold=5)
    assert "s'il vaut de 1 à 4" in part(section, "Secret statistique")
    assert "« < 5 »" in part(section, "Secret statistique")


def test_the_disclosure_rule_names_the_protected_counts_of_each_indicator(tiny):
    caries = part(methods.section(indicators.get(tiny, "child_caries")), "Secret statistique")
    assert caries.startswith("Effectifs protégés pour cet indicateur : enfants avec caries non soignées, "
                             "le reste des enfants dépistés, enfants dépistés.")
    premature = part(methods.section(indicators.get(tiny, "icm_premature")), "Secret statistique")
    assert "décès à 65 ans ou plus" in premature


def test_counts_outside_the_secret_are_said_to_be_published(tiny):
    gp = part(methods.section(indicators.get(tiny, "gp_density")), "Secret statistique")
    assert gp == methods.NOT_SECRET_TEXT.format(numerator="médecins généralistes")


def test_a_kind_without_text_is_refused_by_name(tiny):
    icm = indicators.get(tiny, "icm")
    odd = dataclasses.replace(icm, method=dataclasses.replace(icm.method, kind="odds"))
    with pytest.raises(ValueError, match="'odds'"):
        methods.section(odd)


def test_every_kind_of_the_catalogue_has_its_texts():
    assert {m.kind for m in indicators.METHODS.values()} <= set(methods.KIND_TEXTS)
