"""The open data API's content: validated parameters, JSON rows and CSV files (no web framework here)."""

from __future__ import annotations

import csv
import io
import math
import re

from dashboard import disclosure, indicators
from dashboard.formatting import SMOOTHING_LABELS, SUPPRESSION_LABELS, confidence, suppression_help
from dashboard.store import Dataset

LICENCE = "Licence Ouverte / Open Licence 2.0 (Etalab)"
PARAMETER_PATTERN = re.compile(r"^[A-Za-z0-9_.\-]{1,40}$")
VALUE_PARAMETERS = ("indicator", "period", "level", "reference", "conf", "smoothing", "format")
CONFIDENCE_VALUES = {"0.95": 0.95, "0.998": 0.998}


class ParameterError(ValueError):
    """A bad API request; the message is in French and is sent back with HTTP 400."""


def _plain(value):
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def indicator_list(dataset: Dataset) -> list[dict]:
    return [entry.as_dict() for entry in indicators.catalogue(dataset)]


def check_parameters(args: dict, accepted: tuple) -> None:
    """Refuse unknown parameters and malformed values with a French message (sent back with HTTP 400)."""
    unknown = sorted(set(args) - set(accepted))
    if unknown:
        raise ParameterError(
            f"Paramètre(s) inconnu(s) : {', '.join(unknown)}. Paramètres acceptés : {', '.join(accepted)}."
        )
    for key, value in args.items():
        if not PARAMETER_PATTERN.match(value or ""):
            raise ParameterError(f"Valeur mal formée pour « {key} » : lettres, chiffres, ., - et _ seulement.")


def parse_values_request(dataset: Dataset, args: dict) -> dict:
    """Check the query of ``/api/v1/values``; raise ParameterError with a French message when it is wrong."""
    check_parameters(args, VALUE_PARAMETERS)
    if "indicator" not in args:
        raise ParameterError("Paramètre « indicator » obligatoire (voir /api/v1/indicators).")
    request = {
        "indicator": args["indicator"],
        "period": args.get("period"),
        "level": args.get("level", "quartier"),
        "reference": args.get("reference", "commune"),
        "format": args.get("format", "json"),
        "conf": CONFIDENCE_VALUES.get(args.get("conf", "0.95")),
        "smoothing": args.get("smoothing", "none"),
    }
    if request["conf"] is None:
        raise ParameterError("Niveau de confiance inconnu : choisir conf=0.95 ou conf=0.998.")
    if request["smoothing"] not in ("none", *indicators.SMOOTHINGS):
        raise ParameterError("Lissage inconnu : choisir smoothing=none, global ou local.")
    if request["format"] not in ("json", "csv"):
        raise ParameterError("Format inconnu : choisir json ou csv.")
    if request["reference"] not in indicators.REFERENCES:
        raise ParameterError("Référence inconnue : choisir commune ou france.")
    try:
        entry = indicators.get(dataset, request["indicator"])
        if request["period"] is None:
            request["period"] = entry.periods[-1]
        indicators.check_request(dataset, request["indicator"], request["period"], request["level"])
    except indicators.IndicatorError as error:
        raise ParameterError(str(error)) from error
    return request


def value_rows(dataset: Dataset, request: dict, public: bool = True) -> list[dict]:
    """One row per area, then one for the commune (the benchmark); ``public=False`` for a logged-in partner."""
    smoothing = None if request.get("smoothing", "none") == "none" else request["smoothing"]
    result = indicators.compute(
        dataset, request["indicator"], request["period"], request["level"], reference=request["reference"],
        conf=request.get("conf", 0.95), smoothing=smoothing, public=public,
    )
    ratio = result.indicator.method.kind == "icm"
    rows = []
    for row in result.table.itertuples(index=False):
        rows.append(
            {
                "area_code": row.code,
                "area_name": row.name,
                "level": result.level,
                "period": result.period,
                "value": _plain(row.value),
                "lower": _plain(row.lower),
                "upper": _plain(row.upper),
                "comparison": row.comparison,
                "numerator": _plain(row.numerator),
                "denominator": None if ratio else _plain(row.denominator),
                "expected": _plain(row.denominator) if ratio else None,
                "smoothed": _plain(row.smoothed),
                "suppressed": SUPPRESSION_LABELS.get(row.suppressed),
                "numerator_note": row.numerator_note,
            }
        )
    commune = result.commune
    rows.append(
        {
            "area_code": commune["code"],
            "area_name": commune["name"],
            "level": "commune",
            "period": result.period,
            "value": _plain(commune["value"]),
            "lower": _plain(commune["lower"]),
            "upper": _plain(commune["upper"]),
            "comparison": None,
            "numerator": _plain(commune["numerator"]),
            "denominator": None if ratio else _plain(commune["denominator"]),
            "expected": _plain(commune["denominator"]) if ratio else None,
            "smoothed": None,
            "suppressed": SUPPRESSION_LABELS.get(commune["suppressed"]),
            "numerator_note": "secret statistique" if commune["suppressed"] else None,
        }
    )
    return rows


def provenance(dataset: Dataset, indicator_id: str) -> dict:
    entry = indicators.get(dataset, indicator_id)
    return {
        "source": entry.source,
        "licence": LICENCE,
        "updated": dataset.updated,
        "dataset_version": dataset.version,
        "demo": dataset.is_demo,
    }


PARTNER_NOTICE = ("Mode partenaire : valeurs non masquées par le secret statistique, réservées aux partenaires "
                  "connectés ; ne pas diffuser.")


def values_csv(dataset: Dataset, request: dict, rows: list[dict], public: bool = True) -> str:
    """A CSV (comma, point decimal, UTF-8 with BOM for spreadsheets) opened by lines stating its provenance."""
    meta = provenance(dataset, request["indicator"])
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\n")
    entry = indicators.get(dataset, request["indicator"])
    writer.writerow([f"# {entry.label} ({entry.unit}) — {request['period']} — niveau {request['level']}"])
    writer.writerow([f"# Source : {meta['source']}"])
    writer.writerow([f"# Licence : {meta['licence']}"])
    writer.writerow([f"# Mise à jour : {meta['updated']} (version {meta['dataset_version']})"])
    if dataset.is_demo:
        writer.writerow(["# ATTENTION : données fictives de démonstration"])
    # Written as they are: the csv writer would quote a comment line holding a comma.
    out.write(f"# Intervalles de confiance à {confidence(request.get('conf', 0.95))}\n")
    if request.get("smoothing", "none") != "none":
        out.write(f"# Colonne smoothed : {SMOOTHING_LABELS[request['smoothing']]}\n")
    if public:
        out.write(f"# {suppression_help(disclosure.THRESHOLD)} Colonnes suppressed et numerator_note.\n")
    else:
        out.write(f"# {PARTNER_NOTICE}\n")
    columns = list(rows[0].keys())
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row[c] is None else row[c] for c in columns])
    return out.getvalue()
