"""Selecting CLS actions by contract, axis, years and area; governance; the page's URL state."""

import pytest

from dashboard import cls_plan
from tests.unit.tiny import tiny_dataset


@pytest.fixture(scope="module")
def ds():
    return tiny_dataset()


def test_a_period_is_read_and_checked_against_the_contract_years(ds):
    assert cls_plan.parse_period(ds, "c1", "2010-2011") == (2010, 2011)
    assert cls_plan.parse_period(ds, "c1", "2012") == (2012, 2012)
    assert cls_plan.parse_period(ds, "c1", None) == (2010, 2012)


@pytest.mark.parametrize("period, words", [
    ("2009-2011", "hors du contrat"),
    ("2012-2010", "l'année de fin précède"),
    ("deux-mille", "mal formée"),
])
def test_a_bad_period_gets_a_french_message(ds, period, words):
    with pytest.raises(cls_plan.PlanError, match=words):
        cls_plan.parse_period(ds, "c1", period)


def test_an_unknown_contract_axis_or_area_is_refused(ds):
    with pytest.raises(cls_plan.PlanError, match="Contrat inconnu"):
        cls_plan.contract(ds, "c9")
    with pytest.raises(cls_plan.PlanError, match="Axe"):
        cls_plan.select_actions(ds, "c1", "c9-1")
    with pytest.raises(cls_plan.PlanError, match="Zone"):
        cls_plan.select_actions(ds, "c1", area="123")


def test_actions_are_filtered_by_axis_and_marked_citywide(ds):
    actions = cls_plan.select_actions(ds, "c1", "c1-2")
    assert actions["action_id"].tolist() == ["a2", "a3"]
    assert dict(zip(actions["action_id"], actions["citywide"])) == {"a2": False, "a3": True}
    assert actions["axis_label"].tolist() == ["Axe 2 — Guérir", "Axe 2 — Guérir"]


def test_actions_are_kept_when_they_run_at_some_time_in_the_years(ds):
    tables = {**ds.tables, "actions": ds.actions.assign(start_year=["2010", "2012", "2011"],
                                                        end_year=["2010", "2012", "2012"])}
    shifted = type(ds)(tables=tables, iris_shapes=ds.iris_shapes, is_demo=True, schematic_geometry=True,
                       version="t", source_label="t", updated="2026-01-01")
    assert cls_plan.select_actions(shifted, "c1", years=(2011, 2011))["action_id"].tolist() == ["a3"]
    assert cls_plan.select_actions(shifted, "c1", years=(2010, 2011))["action_id"].tolist() == ["a1", "a3"]


def test_an_area_keeps_the_actions_running_there_or_citywide(ds):
    assert cls_plan.select_actions(ds, "c1", area="9999902")["action_id"].tolist() == ["a2", "a3"]
    assert cls_plan.select_actions(ds, "c1", area="999990102")["action_id"].tolist() == ["a3"]


def test_effort_counts_targeted_actions_per_quartier_and_citywide_apart(ds):
    effort = cls_plan.area_effort(ds, cls_plan.select_actions(ds, "c1"), "quartier")
    assert dict(zip(effort["code"], effort["targeted"])) == {"9999901": 1, "9999902": 1}
    assert set(effort["citywide"]) == {1}
    iris = cls_plan.area_effort(ds, cls_plan.select_actions(ds, "c1"), "iris")
    assert dict(zip(iris["code"], iris["targeted"])) == {"999990101": 1, "999990102": 0, "999990201": 1}


def test_action_areas_name_the_city_in_words(ds):
    assert cls_plan.action_areas(ds, ["a1", "a3"]) == {"a1": ["A"], "a3": ["Toute la ville"]}


def test_governance_tables_are_read_per_contract(ds):
    assert cls_plan.signatories(ds, "c1")["signatory"].tolist() == ["Ville", "ARS"]
    assert cls_plan.governance(ds, "c1")["instance"].tolist() == ["Comité de pilotage"]
    assert cls_plan.timeline(ds, "c1")["event"].tolist() == ["Signature"]
    assert cls_plan.timeline(ds)["event"].tolist() == ["Adhésion au réseau", "Signature"]
    assert cls_plan.signatories(ds, "c2").empty


@pytest.mark.parametrize("date, text", [
    ("2012-07-12", "12 juillet 2012"), ("2011-09", "septembre 2011"), ("1991", "1991"), ("2012-01-01", "1er janvier 2012"),
])
def test_dates_are_written_in_french(date, text):
    assert cls_plan.date_text(date) == text


def test_the_url_state_round_trips_and_drops_bad_values(ds):
    state = cls_plan.parse_state(ds, "?contrat=c1&axe=c1-2&periode=2011-2012&quartier=9999902&indicateur=gp_density")
    assert state == {"contract": "c1", "axis": "c1-2", "period": "2011-2012", "area": "9999902", "need": "gp_density"}
    assert cls_plan.build_query(state) == (
        "?contrat=c1&axe=c1-2&periode=2011-2012&quartier=9999902&indicateur=gp_density")
    bad = cls_plan.parse_state(ds, "?contrat=zz&axe=c9-1&periode=1990-1991&quartier=x&indicateur=nope")
    assert bad == {"contract": "c1", "axis": None, "period": "2010-2012", "area": None, "need": "icm"}
