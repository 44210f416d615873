"""The CLS actions as open data: validated requests, rows of actions and indicators, CSV and XLSX files."""

from __future__ import annotations

import csv
import io
import math

import openpyxl

from dashboard import cls, cls_plan, cls_progress
from dashboard.opendata import LICENCE, ParameterError, check_parameters
from dashboard.store import Dataset

ACTION_PARAMETERS = ("contract", "axis", "period", "area", "format", "table")
TABLES = ("actions", "indicators")


def parse_request(dataset: Dataset, args: dict) -> dict:
    """Check the query of ``/api/v1/actions``; raise ParameterError (French, HTTP 400) when it is wrong.

    Defaults: the current contract, every axis, the contract's years, every area, JSON, the actions table.
    """
    check_parameters(args, ACTION_PARAMETERS)
    request = {
        "contract": args.get("contract") or cls.current_contract(dataset)["contract_id"],
        "axis": args.get("axis") or None,
        "area": args.get("area") or None,
        "format": args.get("format", "json"),
        "table": args.get("table", "actions"),
    }
    if request["format"] not in ("json", "csv"):
        raise ParameterError("Format inconnu : choisir json ou csv.")
    if request["table"] not in TABLES:
        raise ParameterError("Table inconnue : choisir actions ou indicators.")
    try:
        years = cls_plan.parse_period(dataset, request["contract"], args.get("period"))
        cls_plan.check_axis(dataset, request["contract"], request["axis"])
        cls_plan.check_area(dataset, request["area"])
    except cls_plan.PlanError as error:
        raise ParameterError(str(error)) from error
    request["period"] = cls_plan.period_text(years)
    request["years"] = years
    return request


def _plain(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):  # numpy scalars → Python numbers for JSON
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def action_rows(dataset: Dataset, request: dict) -> list[dict]:
    """One row per selected action: ids, axis, title, lead, partners, public, areas, years, status, budget."""
    actions = cls_plan.select_actions(dataset, request["contract"], request["axis"], request["years"],
                                      request["area"])
    areas = cls_plan.action_areas(dataset, actions["action_id"])
    return [
        {
            "action_id": row.action_id,
            "contract_id": row.contract_id,
            "axis_id": row.axis_id,
            "axis": row.axis_label,
            "title": row.title,
            "description": getattr(row, "description", ""),
            "lead": row.lead,
            "partners": "; ".join(cls_plan.split_list(getattr(row, "partners", ""))),
            "target_public": getattr(row, "target_public", ""),
            "areas": "; ".join(areas[row.action_id]),
            "start_year": int(row.start_year),
            "end_year": int(row.end_year),
            "status": row.status,
            "status_label": cls_plan.STATUS_LABELS.get(row.status, row.status),
            "budget_eur": _plain(getattr(row, "budget_eur", None)),
            "indicator_ids": "; ".join(cls_plan.split_list(getattr(row, "indicator_ids", ""))),
        }
        for row in actions.itertuples(index=False)
    ]


def indicator_rows(dataset: Dataset, request: dict) -> list[dict]:
    """One row per selected action, indicator and year of the period: target, achieved, share reached (%)."""
    actions = cls_plan.select_actions(dataset, request["contract"], request["axis"], request["years"],
                                      request["area"])
    titles = dict(zip(actions["action_id"], actions["title"]))
    yearly = cls_progress.follow_up(dataset, actions["action_id"], request["years"])
    return [
        {
            "action_id": row.action_id,
            "action": titles[row.action_id],
            "indicator": row.indicator_label,
            "kind": row.kind,
            "unit": row.unit,
            "year": int(row.year),
            "target": _plain(row.target),
            "achieved": _plain(row.achieved),
            "share_reached_pct": None if math.isnan(row.share) else round(100 * row.share, 1),
        }
        for row in yearly.itertuples(index=False)
    ]


def provenance(dataset: Dataset, contract_id: str) -> dict:
    row = cls_plan.contract(dataset, contract_id)
    return {
        "source": f"{row['name']} — {row['territory']} : fiches action et suivi annuel de la coordination du CLS",
        "licence": LICENCE,
        "updated": dataset.updated,
        "dataset_version": dataset.version,
        "demo": dataset.is_demo,
    }


def header_lines(dataset: Dataset, request: dict) -> list[str]:
    """The lines opening every file: what it holds, its source, licence, update and the demo warning."""
    meta = provenance(dataset, request["contract"])
    what = "Actions" if request["table"] == "actions" else "Indicateurs de suivi des actions"
    scope = [cls_plan.contract(dataset, request["contract"])["name"], request["period"]]
    if request["axis"]:
        scope.append(f"axe {request['axis']}")
    if request["area"]:
        scope.append(f"zone {request['area']}")
    lines = [
        f"{what} — {' — '.join(scope)}",
        f"Source : {meta['source']}",
        f"Licence : {meta['licence']}",
        f"Mise à jour : {meta['updated']} (version {meta['dataset_version']})",
    ]
    if dataset.is_demo:
        lines.append("ATTENTION : données fictives de démonstration")
    return lines


def rows_for(dataset: Dataset, request: dict) -> list[dict]:
    return action_rows(dataset, request) if request["table"] == "actions" else indicator_rows(dataset, request)


COLUMNS = {
    "actions": ["action_id", "contract_id", "axis_id", "axis", "title", "description", "lead", "partners",
                "target_public", "areas", "start_year", "end_year", "status", "status_label", "budget_eur",
                "indicator_ids"],
    "indicators": ["action_id", "action", "indicator", "kind", "unit", "year", "target", "achieved",
                   "share_reached_pct"],
}


def to_csv(dataset: Dataset, request: dict, rows: list[dict]) -> str:
    """CSV (comma, point decimal, UTF-8 with BOM) opened by ``#`` lines stating its provenance, like /values."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\n")
    for line in header_lines(dataset, request):
        writer.writerow([f"# {line}"])
    columns = COLUMNS[request["table"]]
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row[c] is None else row[c] for c in columns])
    return out.getvalue()


def to_xlsx(dataset: Dataset, request: dict) -> bytes:
    """A workbook with two sheets, « Actions » and « Indicateurs », each opened by its provenance lines."""
    workbook = openpyxl.Workbook()
    for index, (table, title) in enumerate((("actions", "Actions"), ("indicators", "Indicateurs"))):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = title
        part = {**request, "table": table}
        for line in header_lines(dataset, part):
            sheet.append([line])
        sheet.append(COLUMNS[table])
        for row in rows_for(dataset, part):
            sheet.append([row[c] for c in COLUMNS[table]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def filename(request: dict, extension: str) -> str:
    parts = ["cls", request["contract"], request["axis"] or "tous-axes", request["period"]]
    if request["area"]:
        parts.append(request["area"])
    name = "_".join(parts)
    if extension == "csv":
        name += f"_{request['table']}"
    return f"{name}.{extension}"
