"""The "Réseau Villes-Santé" page: the network's published surveys on CLS (2011, 2012), Mulhouse highlighted."""

from __future__ import annotations

import math

from dash import dcc, html
import dash_bootstrap_components as dbc

from dashboard import network

HIGHLIGHT_CITY = "MULHOUSE"
HIGHLIGHT_REGION = "Alsace"
HIGHLIGHT_SIZE = "> 100 001"  # Mulhouse has about 108,000 inhabitants
GRAPH_CONFIG = {"displaylogo": False, "locale": "fr", "displayModeBar": False}  # each chart keeps its own height


def _share(count: int, out_of) -> str:
    if out_of is None or (isinstance(out_of, float) and math.isnan(out_of)):
        return f"{count}"
    return f"{count} sur {int(out_of)}"


def key_figures(dataset) -> html.Div:
    counts = network.status_counts(dataset)
    total = sum(counts.values())
    cards = [dbc.Col(dbc.Card(dbc.CardBody([html.Div(str(count), className="panel-value"),
                                            html.Div(f"{network.STATUS_LABELS[status]} ({total} répondants)",
                                                     className="small")])), xs=4)
             for status, count in counts.items()]
    return dbc.Row(cards, class_name="g-2 mb-2", id="network-2011-counts")


def city_table(dataset) -> dbc.Table:
    cities = network.table(dataset, "cities")
    body = [
        html.Tr([html.Th(f"◆ {row.city}" if row.city == HIGHLIGHT_CITY else row.city, scope="row"),
                 html.Td(network.STATUS_LABELS[row.status])],
                className="highlight" if row.city == HIGHLIGHT_CITY else None)
        for row in cities.itertuples(index=False)
    ]
    return dbc.Table(
        [html.Caption("Réponse de chaque ville ou EPCI, septembre 2011"),
         html.Thead(html.Tr([html.Th("Ville ou EPCI", scope="col"), html.Th("A signé un CLS ?", scope="col")])),
         html.Tbody(body)],
        size="sm", striped=True, responsive=True, class_name="network-table", id="network-cities",
    )


def answers_list(dataset) -> html.Ul:
    return html.Ul(
        [html.Li([html.Strong(_share(row.count, row.out_of)), f" : {row.label}"])
         for row in network.answers(dataset).itertuples(index=False)],
        id="network-2012-answers",
    )


def layout(dataset) -> html.Div:
    if network.table(dataset, "cities").empty:
        return html.Div([html.H1("Réseau Villes-Santé", className="h4 mt-1"),
                         dbc.Alert("Les enquêtes du réseau ne sont pas dans ce jeu de données.", color="light")])
    return html.Div([
        html.H1("Les contrats locaux de santé dans le Réseau Villes-Santé", className="h4 mt-1"),
        dbc.Alert(["Chiffres réels publiés par le Réseau Français des Villes-Santé de l'OMS (pas des données de "
                   "démonstration). Mulhouse, membre du réseau depuis 1991, est mise en évidence (◆)."],
                  color="info", class_name="small py-2"),
        html.H2("Enquête de septembre 2011 : où en sont les villes ?", className="h5"),
        key_figures(dataset),
        dbc.Row([
            dbc.Col(dcc.Graph(id="network-by-size", config=GRAPH_CONFIG, figure=network.breakdown_figure(
                network.breakdown(dataset, "size"), HIGHLIGHT_SIZE, "Par nombre d'habitants")), md=6),
            dbc.Col(dcc.Graph(id="network-by-region", config=GRAPH_CONFIG, figure=network.breakdown_figure(
                network.breakdown(dataset, "region"), HIGHLIGHT_REGION, "Par région")), md=6),
        ]),
        html.P("En Lorraine, Nancy et Vandœuvre-lès-Nancy précisent que leur projet est porté par la Communauté "
               "urbaine du Grand Nancy : les trois réponses « en cours » de Lorraine concernent un seul CLS.",
               className="small text-body-secondary"),
        dbc.Row([dbc.Col(city_table(dataset), md=6)]),
        html.P(f"Source : {network.SOURCE_2011}.", className="small text-body-secondary"),
        html.H2("Enquête de mai-juin 2012 : pourquoi un CLS, et qu'en attendent les villes ?", className="h5 mt-3"),
        dbc.Row([
            dbc.Col(answers_list(dataset), md=5),
            dbc.Col([html.H3("Pourquoi un CLS ? (nombre de villes citant chaque motif)", className="h6"),
                     dcc.Graph(id="network-reasons", config=GRAPH_CONFIG,
                               figure=network.reasons_figure(network.reasons(dataset)))], md=7),
        ]),
        html.P(f"Source : {network.SOURCE_2012}.", className="small text-body-secondary"),
    ])


def page(dataset, search, settings) -> html.Div:
    """The page as the router builds it (it has no filters: the query string is ignored)."""
    return layout(dataset)
