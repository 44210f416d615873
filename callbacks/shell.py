"""Routing: the page for the URL's path, built in the state its query string describes."""

from dash import Input, Output, State, callback, get_app

from dashboard import store, urlstate
from layouts import map_page, shell


@callback(Output("page-content", "children"), Input("url", "pathname"), State("url", "search"))
def render_page(pathname, search):
    """Build the page for the path; the query string restores a shared view (permalink)."""
    dataset = store.current()
    if pathname in ("/", "", None):
        return map_page.layout(dataset, urlstate.parse(dataset, search), get_app().server.config["OBSERVATOIRE"])
    return shell.not_found(pathname)
