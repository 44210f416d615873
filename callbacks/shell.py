"""Routing: the page for the URL's path, built in the state its query string describes."""

from dash import Input, Output, State, callback, get_app

from dashboard import store
from routes import admin
from layouts import actions_page, map_page, methods_page, network_page, portrait_page, shell

# Path → function(dataset, search, settings) returning the page's component tree.
PAGES = {
    "/": map_page.page,
    "/actions": actions_page.page,
    "/reseau": network_page.page,
    "/portrait": portrait_page.page,
    "/methodes": methods_page.page,
}
# Pages that show unsuppressed values to a logged-in partner (the others always show public values).
PARTNER_PAGES = {map_page.page}


@callback(Output("page-content", "children"), Input("url", "pathname"), State("url", "search"))
def render_page(pathname, search):
    """Build the page for the path; the query string restores a shared view (permalink)."""
    builder = PAGES.get((pathname or "/").rstrip("/") or "/")
    if builder is None:
        return shell.not_found(pathname)
    options = {"public": not admin.signed_in()} if builder in PARTNER_PAGES else {}
    return builder(store.current(), search, get_app().server.config["OBSERVATOIRE"], **options)
