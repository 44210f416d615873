"""Open data of the CLS actions: request checks (French messages), rows, CSV with provenance, XLSX."""

import io

import openpyxl
import pytest

from dashboard import cls_export
from dashboard.opendata import ParameterError
from tests.unit.tiny import tiny_dataset


@pytest.fixture(scope="module")
def ds():
    return tiny_dataset()


def test_defaults_are_the_current_contract_and_its_years(ds):
    request = cls_export.parse_request(ds, {})
    assert (request["contract"], request["axis"], request["period"], request["area"]) == ("c1", None, "2010-2012", None)
    assert (request["format"], request["table"]) == ("json", "actions")


@pytest.mark.parametrize("args, words", [
    ({"colour": "red"}, r"Paramètre\(s\) inconnu\(s\) : colour"),
    ({"contract": "c1;drop"}, "Valeur mal formée"),
    ({"contract": "c9"}, "Contrat inconnu"),
    ({"axis": "c9-1"}, "Axe « c9-1 » inconnu"),
    ({"period": "2001-2003"}, "hors du contrat"),
    ({"area": "42"}, "Zone « 42 » inconnue"),
    ({"format": "pdf"}, "Format inconnu"),
    ({"table": "budgets"}, "Table inconnue"),
])
def test_bad_requests_are_refused_in_french(ds, args, words):
    with pytest.raises(ParameterError, match=words):
        cls_export.parse_request(ds, args)


def test_action_rows_carry_areas_status_and_years(ds):
    rows = cls_export.action_rows(ds, cls_export.parse_request(ds, {"axis": "c1-2"}))
    assert [r["action_id"] for r in rows] == ["a2", "a3"]
    assert rows[1]["areas"] == "Toute la ville"
    assert (rows[0]["status_label"], rows[0]["start_year"], rows[0]["end_year"]) == ("Réalisée", 2010, 2012)


def test_indicator_rows_give_the_share_reached_in_percent(ds):
    rows = cls_export.indicator_rows(ds, cls_export.parse_request(ds, {"axis": "c1-2", "table": "indicators"}))
    assert [(r["year"], r["target"], r["achieved"], r["share_reached_pct"]) for r in rows] == [
        (2010, 2, 1, 50.0), (2011, 2, 3, 150.0)]


def test_csv_opens_with_source_licence_and_demo_warning(ds):
    request = cls_export.parse_request(ds, {"axis": "c1-1", "format": "csv"})
    text = cls_export.to_csv(ds, request, cls_export.rows_for(ds, request))
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("# Actions — CLS 1 — 2010-2012 — axe c1-1")
    assert lines[2] == "# Licence : Licence Ouverte / Open Licence 2.0 (Etalab)"
    assert "# ATTENTION : données fictives de démonstration" in lines
    assert lines[-2].startswith("action_id,") and lines[-1].startswith("a1,")


def test_xlsx_holds_actions_and_indicators_sheets(ds):
    request = cls_export.parse_request(ds, {"area": "9999902"})
    workbook = openpyxl.load_workbook(io.BytesIO(cls_export.to_xlsx(ds, request)))
    assert workbook.sheetnames == ["Actions", "Indicateurs"]
    actions = [row for row in workbook["Actions"].iter_rows(values_only=True)]
    assert actions[2][0] == "Licence : Licence Ouverte / Open Licence 2.0 (Etalab)"
    assert [row[0] for row in actions[-2:]] == ["a2", "a3"]
    indicators = [row for row in workbook["Indicateurs"].iter_rows(values_only=True)]
    assert [row[5] for row in indicators if row[0] == "a2"] == [2010, 2011]


def test_file_names_say_what_they_hold(ds):
    request = cls_export.parse_request(ds, {"axis": "c1-2", "area": "9999902", "table": "indicators"})
    assert cls_export.filename(request, "csv") == "cls_c1_c1-2_2010-2012_9999902_indicators.csv"
    assert cls_export.filename(request, "xlsx") == "cls_c1_c1-2_2010-2012_9999902.xlsx"
