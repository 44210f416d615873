"""The map page ("Carte"): controls, choropleth, side panel, legend, ranking, table and text summary."""

from __future__ import annotations

from dash import dcc, html
import dash_bootstrap_components as dbc

from dashboard import cls, figures, indicators, legend, summary, urlstate
from dashboard.formatting import (
    COMPARISON_LABELS,
    LEVEL_LABELS,
    LEVEL_LABELS_PLURAL,
    confidence,
    interval,
    number,
    rank,
)

ALL_AXES = "tous"  # the axis selector's value for "every axis" (dbc.Select reserves "" for its placeholder)
BADGE_COLOURS = {"better": "success", "worse": "danger", "similar": "secondary", "higher": "info",
                 "lower": "info", None: "light"}
GRAPH_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "locale": "fr",
    "modeBarButtonsToRemove": ["select2d", "lasso2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2, "filename": "observatoire-carte"},
}


def axis_options(dataset) -> list[dict]:
    contract = cls.current_contract(dataset)
    rows = cls.axes(dataset, contract["contract_id"])
    return [{"label": f"Tous les axes du {contract['name']}", "value": ALL_AXES}] + [
        {"label": cls.axis_label(row), "value": row["axis_id"]} for _, row in rows.iterrows()
    ]


def indicator_options(dataset, axis_id) -> list[dict]:
    return [{"label": i.label, "value": i.id} for i in indicators.for_axis(dataset, axis_id)]


def period_options(dataset, indicator_id) -> list[dict]:
    return [{"label": p, "value": p} for p in reversed(indicators.get(dataset, indicator_id).periods)]


def area_options(dataset, level) -> list[dict]:
    areas = dataset.areas_of(level).sort_values("name")
    return [{"label": row.name, "value": row.code} for row in areas.itertuples(index=False)]


def _field(label: str, control, control_id: str, help_text: str | None = None) -> html.Div:
    parts = [dbc.Label(label, html_for=control_id, class_name="fw-semibold small mb-1"), control]
    if help_text:
        parts.append(dbc.FormText(help_text))
    return html.Div(parts, className="mb-2")


def controls(dataset, state) -> dbc.Card:
    return dbc.Card(
        dbc.CardBody(
            [
                _field("Axe du Contrat local de santé",
                       dbc.Select(id="map-axis", options=axis_options(dataset), value=state["axis"] or ALL_AXES),
                       "map-axis"),
                _field("Indicateur",
                       dbc.Select(id="map-indicator", options=indicator_options(dataset, state["axis"]),
                                  value=state["indicator"]),
                       "map-indicator"),
                _field("Période",
                       dbc.Select(id="map-period", options=period_options(dataset, state["indicator"]),
                                  value=state["period"]),
                       "map-period"),
                html.Div(
                    [
                        dbc.Label("Niveau", class_name="fw-semibold small mb-1", id="map-level-label"),
                        dbc.RadioItems(
                            id="map-level",
                            options=[{"label": "Quartiers", "value": "quartier"}, {"label": "IRIS", "value": "iris"}],
                            value=state["level"],
                            inline=True,
                        ),
                    ],
                    className="mb-2",
                    role="radiogroup",
                    **{"aria-labelledby": "map-level-label"},
                ),
                _field("Quartier ou IRIS",
                       dcc.Dropdown(id="map-area", options=area_options(dataset, state["level"]),
                                    value=state["area"], placeholder="Choisir, ou cliquer sur la carte…",
                                    clearable=True, searchable=True),
                       "map-area"),
            ]
        ),
        class_name="controls",
    )


def legend_block(classes: legend.Classes, indicator, dataset) -> html.Div:
    items = [
        html.Li([html.Span(className="swatch", style={"backgroundColor": colour}), label])
        for colour, label in zip(classes.colours, classes.labels)
    ]
    items.append(html.Li([html.Span(className="swatch", style={"backgroundColor": legend.NO_DATA_COLOUR}),
                          "pas de valeur"]))
    notes = [
        html.Li([html.Span("▲", className="symbol"), "significativement plus élevé que la commune"]),
        html.Li([html.Span("▼", className="symbol"), "significativement plus bas que la commune"]),
        html.Li([html.Span("", className="symbol"), "sans symbole : pas de différence significative"]),
    ]
    caption = [f"{indicator.unit}. "]
    if dataset.schematic_geometry:
        caption.append("Géométrie schématique (contours approximatifs des IRIS). ")
    if dataset.is_demo:
        caption.append("Données fictives de démonstration.")
    return html.Div(
        [
            html.Ul(items, className="legend-classes list-unstyled mb-1"),
            html.Ul(notes, className="legend-symbols list-unstyled mb-1"),
            html.P(caption, className="small text-body-secondary mb-0"),
        ],
        className="map-legend",
        **{"aria-label": "Légende de la carte"},
    )


def panel(dataset, result: indicators.Result, state) -> html.Div:
    """The side panel: the selected area against the commune, its trend, and the CLS actions there."""
    indicator = result.indicator
    decimals = indicator.method.decimals
    commune = result.commune
    conf_text = confidence(result.conf)
    if not state.get("area"):
        return html.Div(
            [
                html.H2(commune["name"], className="h5"),
                html.P([html.Span(number(commune["value"], decimals), className="panel-value"), f" {indicator.unit}"]),
                html.P(f"Intervalle de confiance à {conf_text} : {interval(commune['lower'], commune['upper'], decimals)}",
                       className="small"),
                html.P("Cliquez sur la carte ou choisissez un quartier pour voir sa situation.",
                       className="text-body-secondary"),
            ],
            id="map-panel-body",
        )
    row = result.table.set_index("code").loc[state["area"]]
    rows = indicators.series(dataset, indicator.id, result.level, state["area"], result.reference, result.conf)
    contract = cls.current_contract(dataset)
    actions = cls.actions_in_area(dataset, state["area"], contract["contract_id"], state.get("axis"))
    axis_text = "de l'axe choisi" if state.get("axis") else "tous axes confondus"
    comparison = row["comparison"]
    return html.Div(
        [
            html.H2(row["name"], className="h5 mb-0", id="map-panel-title"),
            html.P(LEVEL_LABELS[result.level], className="small text-body-secondary mb-2"),
            html.P([html.Span(number(row["value"], decimals), className="panel-value", id="map-panel-value"),
                    f" {indicator.unit}"], className="mb-1"),
            html.P(f"Intervalle de confiance à {conf_text} : {interval(row['lower'], row['upper'], decimals)}",
                   className="small mb-1"),
            html.P(f"Commune : {number(commune['value'], decimals)}", className="small mb-1"),
            dbc.Badge(COMPARISON_LABELS[comparison], color=BADGE_COLOURS[comparison], class_name="text-wrap mb-2",
                      id="map-panel-badge"),
            html.P(f"Rang : {rank(row['rank'], int(result.table['value'].notna().sum()))} "
                   "(1 = valeur la plus élevée)", className="small mb-1"),
            html.P(f"{indicator.method.numerator_label} : {number(row['numerator'])} ; "
                   f"{indicator.method.denominator_label} : {number(row['denominator'], 1 if indicator.method.kind == 'icm' else 0)}",
                   className="small text-body-secondary"),
            html.H3("Évolution", className="h6 mt-2"),
            dcc.Graph(figure=figures.series_figure(rows, indicator), config={"displayModeBar": False},
                      id="map-panel-series", className="panel-series"),
            html.H3("Actions du CLS", className="h6 mt-2"),
            html.P(
                f"{len(actions)} action(s) du {contract['name']} {axis_text} menée(s) ici"
                + (f", dont {int(actions['citywide'].sum())} à l'échelle de toute la ville." if len(actions) else "."),
                className="small mb-1",
                id="map-panel-actions",
            ),
            html.Ul([html.Li(title) for title in actions["title"]], className="small ps-3"),
        ],
        id="map-panel-body",
    )


def data_table(result: indicators.Result) -> dbc.Table:
    indicator = result.indicator
    decimals = indicator.method.decimals
    conf_text = confidence(result.conf)
    table = result.table.sort_values("value", ascending=False, na_position="last")
    header = html.Thead(html.Tr([
        html.Th("Zone", scope="col"),
        html.Th(f"Valeur ({indicator.unit})", scope="col"),
        html.Th(f"IC à {conf_text}", scope="col"),
        html.Th("Comparaison à la commune", scope="col"),
        html.Th(indicator.method.numerator_label.capitalize(), scope="col"),
        html.Th(indicator.method.denominator_label.capitalize(), scope="col"),
    ]))
    body = [
        html.Tr([
            html.Th(row.name, scope="row"),
            html.Td(number(row.value, decimals)),
            html.Td(interval(row.lower, row.upper, decimals)),
            html.Td(COMPARISON_LABELS[row.comparison]),
            html.Td(number(row.numerator)),
            html.Td(number(row.denominator, 1 if indicator.method.kind == "icm" else 0)),
        ])
        for row in table.itertuples(index=False)
    ]
    commune = result.commune
    body.append(html.Tr([
        html.Th(f"{commune['name']} (commune)", scope="row"),
        html.Td(number(commune["value"], decimals)),
        html.Td(interval(commune["lower"], commune["upper"], decimals)),
        html.Td("Référence"),
        html.Td(number(commune["numerator"])),
        html.Td(number(commune["denominator"], 1 if indicator.method.kind == "icm" else 0)),
    ], className="table-secondary"))
    return dbc.Table(
        [html.Caption(f"{indicator.label}, {result.period}, par {LEVEL_LABELS_PLURAL[result.level]}"), header,
         html.Tbody(body)],
        striped=True, hover=True, size="sm", responsive=True, id="map-table-content",
    )


def summary_block(result: indicators.Result) -> list:
    return [html.P(sentence) for sentence in summary.map_summary(result)]


def view(dataset, state, conf=0.95):
    """Everything on the page that depends on the state, as components and figure data."""
    result = indicators.compute(dataset, state["indicator"], state["period"], state["level"], conf=conf)
    if state.get("area") not in set(result.table["code"]):
        state = {**state, "area": None}
    classes = figures.classes_for(dataset, state["indicator"], state["level"])
    return {
        "result": result,
        "classes": classes,
        "legend": legend_block(classes, result.indicator, dataset),
        "panel": panel(dataset, result, state),
        "ranking": figures.ranking_figure(result, state.get("area")),
        "table": data_table(result),
        "summary": summary_block(result),
    }


def layout(dataset, state, settings) -> html.Div:
    parts = view(dataset, state)
    figure = figures.map_figure(
        dataset, parts["result"], parts["classes"], state.get("area"),
        glyphs_url=settings.glyphs_url, tiles_url=settings.tiles_url, tiles_attribution=settings.tiles_attribution,
    )
    loading = {"type": "circle", "delay_show": 300}
    return html.Div(
        [
            html.H1("Carte des inégalités de santé", className="h4 mt-1"),
            dbc.Row(
                [
                    dbc.Col(controls(dataset, state), xs=12, lg=3, class_name="mb-2"),
                    dbc.Col(
                        [
                            dcc.Loading(
                                dcc.Graph(id="map-graph", figure=figure, config=GRAPH_CONFIG, className="map-graph",
                                          style={"height": "62vh", "minHeight": "320px"}),
                                **loading,
                            ),
                            # The state the map was last drawn in: tells the next update what to resend.
                            dcc.Store(id="map-drawn", data=state),
                            html.Div(parts["legend"], id="map-legend"),
                        ],
                        xs=12, lg=6, class_name="mb-2",
                    ),
                    dbc.Col(
                        dbc.Card(dbc.CardBody(dcc.Loading(html.Div(parts["panel"], id="map-panel"), **loading)),
                                 class_name="h-100"),
                        xs=12, lg=3, class_name="mb-2",
                    ),
                ]
            ),
            dbc.Row(
                [
                    dbc.Col(
                        [html.H2("En résumé", className="h5"),
                         html.Div(parts["summary"], id="map-summary", **{"aria-live": "polite"})],
                        xs=12, lg=4,
                    ),
                    dbc.Col(
                        [html.H2("Classement", className="h5"),
                         dcc.Loading(dcc.Graph(id="map-ranking", figure=parts["ranking"],
                                               config={**GRAPH_CONFIG, "toImageButtonOptions": {
                                                   **GRAPH_CONFIG["toImageButtonOptions"],
                                                   "filename": "observatoire-classement"}}), **loading)],
                        xs=12, lg=8,
                    ),
                ],
                class_name="mt-2",
            ),
            html.H2("Tableau des valeurs", className="h5 mt-3"),
            html.Div(parts["table"], id="map-table"),
        ]
    )


def page(dataset, search, settings) -> html.Div:
    """The page as the router builds it, in the state the URL's query string describes."""
    return layout(dataset, urlstate.parse(dataset, search), settings)
