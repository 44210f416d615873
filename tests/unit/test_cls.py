"""Which CLS actions run in an area."""

from dashboard import cls
from tests.unit.tiny import tiny_dataset


def test_the_current_contract_is_the_latest_one():
    assert cls.current_contract(tiny_dataset())["contract_id"] == "c1"


def test_axis_label_joins_number_and_name():
    assert cls.axis_label({"number": 2, "name": "Guérir"}) == "Axe 2 — Guérir"
    assert cls.axis_label({"number": 3, "name": "Axe 3"}) == "Axe 3"


def test_related_codes_climb_to_the_commune_and_descend_to_the_iris():
    ds = tiny_dataset()
    assert cls.related_codes(ds, "999990101") == {"999990101", "9999901", "99999"}
    assert cls.related_codes(ds, "9999901") == {"9999901", "99999", "999990101", "999990102"}


def test_actions_in_area_count_local_and_citywide_actions():
    ds = tiny_dataset()
    actions = cls.actions_in_area(ds, "999990201", "c1")
    assert sorted(actions["action_id"]) == ["a2", "a3"]
    assert dict(zip(actions["action_id"], actions["citywide"])) == {"a2": False, "a3": True}


def test_actions_in_area_filter_by_axis():
    ds = tiny_dataset()
    assert list(cls.actions_in_area(ds, "999990101", "c1", "c1-1")["action_id"]) == ["a1"]
    assert list(cls.actions_in_area(ds, "9999902", "c1", "c1-1")["action_id"]) == []
