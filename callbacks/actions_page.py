"""Callbacks of the "Actions du CLS" page: dependent filters, map clicks, the view update, exports."""

from dash import Input, Output, Patch, State, callback, ctx, dcc, no_update
from dash.exceptions import PreventUpdate

from dashboard import cls_export, cls_figures, cls_plan, indicators, store
from layouts import actions_page


def _state(contract_id, axis_id, first, last, area, need) -> dict:
    """Filter values → the page's state (years in either order; "tous" → every axis)."""
    years = sorted(int(y) for y in (first, last))
    return {"contract": contract_id, "axis": None if axis_id in (None, "", actions_page.ALL_AXES) else axis_id,
            "period": cls_plan.period_text((years[0], years[1])), "area": area or None, "need": need}


@callback(
    Output("actions-axis", "options"),
    Output("actions-axis", "value"),
    Output("actions-from", "options"),
    Output("actions-from", "value"),
    Output("actions-to", "options"),
    Output("actions-to", "value"),
    Input("actions-contract", "value"),
    prevent_initial_call=True,
)
def update_contract_filters(contract_id):
    """A new contract offers its own axes and years (all of them)."""
    dataset = store.current()
    years = actions_page.year_options(dataset, contract_id)
    return (actions_page.axis_options(dataset, contract_id), actions_page.ALL_AXES,
            years, years[0]["value"], years, years[-1]["value"])


@callback(
    Output("actions-need", "options"),
    Output("actions-need", "value"),
    Input("actions-axis", "value"),
    State("actions-need", "value"),
    prevent_initial_call=True,
)
def update_need_options(axis_id, need):
    """Offer the indicators linked to the axis as measures of need; keep the current one if it belongs."""
    options = actions_page.need_options(store.current(), None if axis_id == actions_page.ALL_AXES else axis_id)
    values = [o["value"] for o in options]
    return options, need if need in values else values[0]


@callback(Output("actions-area", "value"), Input("actions-map", "clickData"), prevent_initial_call=True)
def select_clicked_area(click):
    """A click on a quartier of the map (or on its label) keeps only the actions run there."""
    if not click or not click.get("points"):
        return no_update
    point = click["points"][0]
    return point.get("location") or point.get("customdata") or no_update


@callback(
    Output("actions-summary", "children"),
    Output("actions-axes", "children"),
    Output("actions-timeline", "figure"),
    Output("actions-map", "figure"),
    Output("actions-needs", "children"),
    Output("actions-list", "children"),
    Output("actions-governance", "children"),
    Output("actions-api-link", "href"),
    Output("actions-api-link", "children"),
    Output("url", "search", allow_duplicate=True),
    Input("actions-contract", "value"),
    Input("actions-axis", "value"),
    Input("actions-from", "value"),
    Input("actions-to", "value"),
    Input("actions-area", "value"),
    Input("actions-need", "value"),
    prevent_initial_call=True,
)
def update_view(contract_id, axis_id, first, last, area, need):
    """Refresh the lists, charts and needs; recolour the map through a Patch (its geometry stays in the browser)."""
    if ctx.triggered_id is None:
        raise PreventUpdate  # the router inserted the page, already built in this state
    dataset = store.current()
    state = _state(contract_id, axis_id, first, last, area, need)
    try:
        parts = actions_page.view(dataset, state)
    except (cls_plan.PlanError, indicators.IndicatorError):
        # Transient mix while dependent filters catch up with a new contract or axis: the next call is valid.
        return (no_update,) * 10
    patch = Patch()
    for path, value in cls_figures.effort_updates(dataset, parts["effort"], state["area"], parts["map_title"]).items():
        node = patch
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return (parts["summary"], parts["axes"], parts["timeline"], patch, parts["needs"], parts["list"],
            actions_page.governance_block(dataset, state["contract"]), parts["api"], parts["api"],
            cls_plan.build_query(state))


@callback(
    Output("actions-download", "data"),
    Input("actions-export-actions", "n_clicks"),
    Input("actions-export-indicators", "n_clicks"),
    Input("actions-export-xlsx", "n_clicks"),
    State("actions-contract", "value"),
    State("actions-axis", "value"),
    State("actions-from", "value"),
    State("actions-to", "value"),
    State("actions-area", "value"),
    prevent_initial_call=True,
)
def export_actions(_actions, _indicators, _xlsx, contract_id, axis_id, first, last, area):
    """The filtered actions or their indicators as CSV, or both as an Excel workbook, with their provenance."""
    if ctx.triggered_id is None:
        raise PreventUpdate
    dataset = store.current()
    state = _state(contract_id, axis_id, first, last, area, None)
    args = {"contract": state["contract"], "axis": state["axis"], "period": state["period"], "area": state["area"]}
    if ctx.triggered_id == "actions-export-xlsx":
        request = cls_export.parse_request(dataset, {k: v for k, v in args.items() if v})
        return dcc.send_bytes(cls_export.to_xlsx(dataset, request), cls_export.filename(request, "xlsx"))
    table = "actions" if ctx.triggered_id == "actions-export-actions" else "indicators"
    request = cls_export.parse_request(dataset, {**{k: v for k, v in args.items() if v}, "table": table})
    content = cls_export.to_csv(dataset, request, cls_export.rows_for(dataset, request))
    return dcc.send_string(content, cls_export.filename(request, "csv"), type="text/csv")
