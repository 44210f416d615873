"""Callbacks of the methods page: land on the indicator the link asked for (``/methodes#icm``)."""

from dash import Input, Output, clientside_callback

# The router inserts the page after the browser has looked for the anchor, so scroll to it once it exists.
clientside_callback(
    """
    function scrollToAnchor(sections, hash) {
        const id = hash ? decodeURIComponent(hash.slice(1)) : "";
        const target = id && document.getElementById(id);
        if (target) {
            window.requestAnimationFrame(() => {
                target.scrollIntoView({block: "start"});
                target.focus({preventScroll: true});
            });
        }
        return id;
    }
    """,
    Output("methods-scrolled", "data"),
    Input("methods-sections", "children"),
    Input("url", "hash"),
)
