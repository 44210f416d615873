"""``/api/v1``: the indicator catalogue and values as JSON or CSV; bad requests get a French 400."""

from flask import Blueprint, Response, jsonify, request

from dashboard import cls_export, opendata, store
from routes import admin

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")


@blueprint.errorhandler(opendata.ParameterError)
def bad_parameter(error):
    return jsonify({"erreur": str(error)}), 400


@blueprint.get("/indicators")
def list_indicators():
    dataset = store.current()
    return jsonify({"indicators": opendata.indicator_list(dataset), "demo": dataset.is_demo,
                    "licence": opendata.LICENCE})


@blueprint.get("/values")
def list_values():
    dataset = store.current()
    query = opendata.parse_values_request(dataset, request.args.to_dict(flat=True))
    public = not admin.signed_in()
    rows = opendata.value_rows(dataset, query, public=public)
    if query["format"] == "csv":
        filename = f"observatoire_{query['indicator']}_{query['period']}_{query['level']}.csv"
        return Response(
            opendata.values_csv(dataset, query, rows, public=public),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
    return jsonify({"indicator": query["indicator"], "period": query["period"], "level": query["level"],
                    **opendata.provenance(dataset, query["indicator"]), "partner_mode": not public, "rows": rows})


@blueprint.get("/actions")
def list_actions():
    dataset = store.current()
    query = cls_export.parse_request(dataset, request.args.to_dict(flat=True))
    rows = cls_export.rows_for(dataset, query)
    if query["format"] == "csv":
        return Response(
            cls_export.to_csv(dataset, query, rows),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{cls_export.filename(query, "csv")}"'},
        )
    return jsonify({"contract": query["contract"], "axis": query["axis"], "period": query["period"],
                    "area": query["area"], "table": query["table"],
                    **cls_export.provenance(dataset, query["contract"]), "rows": rows})


@blueprint.route("/<path:unknown>")
def unknown_route(unknown):
    return jsonify({"erreur": f"Adresse inconnue : /api/v1/{unknown}. Voir /api/v1/indicators et /api/v1/values."}), 404
