"""Callbacks of the map page: dependent controls, map clicks, and the view update (values only)."""

from dash import Input, Output, Patch, State, callback, ctx, no_update
from dash.exceptions import PreventUpdate

from dashboard import figures, indicators, store, urlstate
from layouts import map_page
from routes import admin


def _axis(value):
    """The axis id, or None for every axis."""
    return None if value in (None, "", map_page.ALL_AXES) else value


@callback(
    Output("map-indicator", "options"),
    Output("map-indicator", "value"),
    Input("map-axis", "value"),
    State("map-indicator", "value"),
    prevent_initial_call=True,
)
def update_indicator_options(axis_id, indicator_id):
    """Offer the indicators linked to the chosen CLS axis; keep the current one if it still belongs."""
    options = map_page.indicator_options(store.current(), _axis(axis_id))
    values = [o["value"] for o in options]
    return options, indicator_id if indicator_id in values else values[0]


@callback(
    Output("map-period", "options"),
    Output("map-period", "value"),
    Input("map-indicator", "value"),
    State("map-period", "value"),
    prevent_initial_call=True,
)
def update_period_options(indicator_id, period):
    """Offer the periods of the chosen indicator; keep the current one if it exists, else the latest."""
    options = map_page.period_options(store.current(), indicator_id)
    values = [o["value"] for o in options]
    return options, period if period in values else values[0]


@callback(
    Output("map-area", "options"),
    Output("map-area", "value", allow_duplicate=True),
    Input("map-level", "value"),
    State("map-area", "value"),
    prevent_initial_call=True,
)
def update_area_options(level, area):
    """List the areas of the level; an IRIS selection becomes its quartier, a quartier one is cleared."""
    dataset = store.current()
    options = map_page.area_options(dataset, level)
    codes = {o["value"] for o in options}
    if area in codes or area is None:
        return options, area
    parent = dataset.areas.set_index("code")["parent_code"].get(area)
    return options, parent if parent in codes else None


@callback(
    Output("map-area", "value"),
    Input("map-graph", "clickData"),
    Input("map-ranking", "clickData"),
    prevent_initial_call=True,
)
def select_clicked_area(map_click, ranking_click):
    """A click on the map or on the ranking selects that area."""
    click = map_click if ctx.triggered_id == "map-graph" else ranking_click
    if not click or not click.get("points"):
        return no_update
    point = click["points"][0]
    return point.get("location") or (point.get("customdata") or [None])[0] or no_update


@callback(
    Output("map-graph", "figure"),
    Output("map-legend", "children"),
    Output("map-panel", "children"),
    Output("map-ranking", "figure"),
    Output("map-table", "children"),
    Output("map-summary", "children"),
    Output("url", "search"),
    Output("map-drawn", "data"),
    Input("map-indicator", "value"),
    Input("map-period", "value"),
    Input("map-level", "value"),
    Input("map-area", "value"),
    Input("map-axis", "value"),
    Input("map-smoothing", "value"),
    Input("map-conf", "value"),
    State("map-drawn", "data"),
    prevent_initial_call=True,
)
def update_view(indicator_id, period, level, area, axis_id, smoothing, conf, drawn):
    """Recolour the map (values only: the geometry is already in the browser) and refresh the other views."""
    if ctx.triggered_id is None:
        # Dash calls this once when the router inserts the page, which it built in this very state already.
        raise PreventUpdate
    dataset = store.current()
    state = {"indicator": indicator_id, "period": period, "level": level, "area": area, "axis": _axis(axis_id),
             "smoothing": None if smoothing == map_page.RAW else smoothing, "conf": conf}
    try:
        parts = map_page.view(dataset, state, public=not admin.signed_in())
    except indicators.IndicatorError:
        # Transient combination while dependent dropdowns catch up: the next call carries a valid one.
        return (no_update,) * 8
    changed = figures.changed_parts(drawn, state)
    patch = Patch()
    for path, value in figures.map_updates(dataset, parts["result"], parts["classes"], area, changed).items():
        node = patch
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    search = urlstate.build(state)
    return patch, parts["legend"], parts["panel"], parts["ranking"], parts["table"], parts["summary"], search, state
