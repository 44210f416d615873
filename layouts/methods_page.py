"""The methods page ("Méthodes"): how every indicator is computed, one anchored section per indicator."""

from __future__ import annotations

from dash import dcc, html

from dashboard import methods


def indicator_section(section: dict) -> html.Section:
    parts = []
    for title, text in section["parts"]:
        parts += [html.Dt(title), html.Dd(text)]
    return html.Section(
        [
            html.H2(section["label"], className="h5"),
            html.Dl(parts, className="methods-parts"),
            html.H3("Références", className="h6"),
            html.Ol([html.Li(reference) for reference in section["references"]], className="small"),
            html.P(html.A("Retour au sommaire", href="#methodes-sommaire"), className="small d-print-none"),
        ],
        id=section["id"],
        className="methods-section",
        tabIndex="-1",
    )


def layout(dataset) -> html.Div:
    sections = methods.sections(dataset)
    return html.Div(
        [
            html.H1("Méthodes de calcul", className="h4 mt-1"),
            html.P(
                "Chaque valeur publiée par l'observatoire est calculée à partir des effectifs bruts (nombres de "
                "décès, d'habitants, de médecins, d'enfants), avec son intervalle de confiance : la fourchette dans "
                "laquelle la vraie valeur se trouve très probablement. Cette page dit, pour chaque indicateur, "
                "d'où viennent les données et comment la valeur, son intervalle, la comparaison à la commune, "
                "l'évolution et le lissage sont calculés, et comment le secret statistique est respecté."
            ),
            html.Nav(
                [html.H2("Indicateurs", className="h6"),
                 html.Ul([html.Li(html.A(s["label"], href=f"#{s['id']}")) for s in sections])],
                id="methodes-sommaire",
                **{"aria-label": "Sommaire des méthodes"},
            ),
            html.Div([indicator_section(s) for s in sections], id="methods-sections"),
            dcc.Store(id="methods-scrolled"),
        ],
        className="methods-page",
    )


def page(dataset, search, settings) -> html.Div:
    """The page as the router builds it (it has no state)."""
    return layout(dataset)
