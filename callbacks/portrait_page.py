"""Callbacks of the portrait page: the level switch and the area selector, which also updates the URL."""

from dash import Input, Output, State, callback, ctx
from dash.exceptions import PreventUpdate

from dashboard import profile, store, urlstate
from layouts import map_page, portrait_page


@callback(
    Output("portrait-area", "options"),
    Output("portrait-area", "value"),
    Input("portrait-level", "value"),
    State("portrait-area", "value"),
    prevent_initial_call=True,
)
def update_area_options(level, area):
    """List the areas of the level and keep the same place: an IRIS's quartier, a quartier's first IRIS."""
    if ctx.triggered_id is None:
        raise PreventUpdate  # the page was just built for this level
    dataset = store.current()
    return map_page.area_options(dataset, level), profile.area_at_level(dataset, area, level)


@callback(
    Output("portrait-body", "children"),
    Output("url", "search", allow_duplicate=True),
    Input("portrait-area", "value"),
    Input("portrait-conf", "value"),
    State("portrait-level", "value"),
    State("portrait-shown", "data"),
    prevent_initial_call=True,
)
def update_portrait(area, conf, level, shown):
    """Show the chosen area's portrait at the chosen confidence level and put it in the URL (a permalink)."""
    state = {"area": area, "level": level, "conf": conf}
    search = urlstate.build_portrait(state)
    if search == shown:
        # The dropdown reports its value when the router inserts the page, which was built for it already.
        raise PreventUpdate
    return portrait_page.body(store.current(), state), search
