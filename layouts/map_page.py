"""The map page ("Carte"): controls, choropleth, side panel, legend, ranking, table and text summary."""

from __future__ import annotations

from dash import dcc, html
import dash_bootstrap_components as dbc

from dashboard import cls, figures, indicators, legend, summary, urlstate
from dashboard.formatting import (
    COMPARISON_LABELS,
    LEVEL_LABELS,
    LEVEL_LABELS_PLURAL,
    SMOOTHING_LABELS,
    confidence,
    interval,
    number,
    rank,
    shown_count,
    shown_value,
    suppression_help,
)

ALL_AXES = "tous"  # the axis selector's value for "every axis" (dbc.Select reserves "" for its placeholder)
RAW = "brut"  # the smoothing selector's value for raw values
SMOOTHING_OPTIONS = [
    {"label": "Non (valeurs brutes)", "value": RAW},
    {"label": "Vers la commune", "value": "global"},
    {"label": "Vers les zones voisines", "value": "local"},
]
CONF_OPTIONS = [{"label": confidence(conf), "value": conf} for conf in indicators.CONFIDENCE_LEVELS]
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


def _radio(label: str, control_id: str, options: list, value, help_text: str, inline: bool = True) -> html.Div:
    return html.Div(
        [
            dbc.Label(label, class_name="fw-semibold small mb-1", id=f"{control_id}-label"),
            dbc.RadioItems(id=control_id, options=options, value=value, inline=inline),
            dbc.FormText(help_text),
        ],
        className="mb-2",
        role="radiogroup",
        **{"aria-labelledby": f"{control_id}-label"},
    )


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
                _radio("Lisser les valeurs", "map-smoothing", SMOOTHING_OPTIONS, state.get("smoothing") or RAW,
                       "Estimation bayésienne empirique : rapproche les petites zones, peu fiables, de la référence.",
                       inline=False),
                _radio("Niveau de confiance", "map-conf", CONF_OPTIONS, state.get("conf") or 0.95,
                       "99,8 % : seules les différences les plus nettes restent significatives."),
            ]
        ),
        class_name="controls",
    )


def legend_block(classes: legend.Classes, indicator, dataset, result: indicators.Result | None = None) -> html.Div:
    items = [
        html.Li([html.Span(className="swatch", style={"backgroundColor": colour}), label])
        for colour, label in zip(classes.colours, classes.labels)
    ]
    hidden = result is not None and bool(result.table["suppressed"].notna().any())
    items.append(html.Li([html.Span(className="swatch", style={"backgroundColor": legend.NO_DATA_COLOUR}),
                          "pas de valeur, ou secret statistique" if hidden else "pas de valeur"]))
    notes = [
        html.Li([html.Span("▲", className="symbol"), "significativement plus élevé que la commune"]),
        html.Li([html.Span("▼", className="symbol"), "significativement plus bas que la commune"]),
        html.Li([html.Span("", className="symbol"), "sans symbole : pas de différence significative"]),
    ]
    caption = [f"{indicator.unit}. "]
    if result is not None and result.smoothing:
        caption.append(html.Strong(f"Carte en {SMOOTHING_LABELS[result.smoothing]}. ", id="map-legend-smoothing"))
    if hidden:
        caption.append(html.Span(suppression_help(result.threshold) + " ", id="map-legend-secret"))
    if dataset.schematic_geometry:
        caption.append("Géométrie schématique (contours approximatifs des IRIS). ")
    if dataset.is_demo:
        caption.append("Données fictives de démonstration. ")
    caption.append(dcc.Link("Méthode de calcul", href=f"/methodes#{indicator.id}", id="map-methods-link"))
    return html.Div(
        [
            html.Ul(items, className="legend-classes list-unstyled mb-1"),
            html.Ul(notes, className="legend-symbols list-unstyled mb-1"),
            html.P(caption, className="small text-body-secondary mb-0"),
        ],
        className="map-legend",
        **{"aria-label": "Légende de la carte"},
    )


def _denominator_decimals(indicator) -> int:
    """Expected deaths keep a decimal; persons and person-years are whole."""
    return 1 if indicator.method.kind == "icm" else 0


def _trend_text(trend, indicator) -> str:
    """The trend marker of an area, or why there is none."""
    if trend["marker"]:
        return trend["marker"]
    if len(indicator.periods) < indicators.TREND_MIN_PERIODS:
        return f"non calculée (moins de {indicators.TREND_MIN_PERIODS} périodes)"
    if trend["suppressed"]:
        return "non publiée (secret statistique sur une période)"
    return "non calculable (effectif nul)"


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
                html.P([html.Span(shown_value(commune["value"], commune["suppressed"], decimals),
                                  className="panel-value"), f" {indicator.unit}"]),
                html.P(f"Intervalle de confiance à {conf_text} : {interval(commune['lower'], commune['upper'], decimals)}",
                       className="small"),
                html.P("Cliquez sur la carte ou choisissez un quartier pour voir sa situation.",
                       className="text-body-secondary"),
            ],
            id="map-panel-body",
        )
    row = result.table.set_index("code").loc[state["area"]]
    rows = indicators.series(dataset, indicator.id, result.level, state["area"], result.reference, result.conf,
                             public=result.public)
    trend = indicators.trends(dataset, indicator.id, result.level, result.conf, result.reference,
                              public=result.public).set_index("code").loc[state["area"]]
    hidden = row["suppressed"]
    contract = cls.current_contract(dataset)
    actions = cls.actions_in_area(dataset, state["area"], contract["contract_id"], state.get("axis"))
    axis_text = "de l'axe choisi" if state.get("axis") else "tous axes confondus"
    comparison = row["comparison"]
    return html.Div(
        [
            html.H2(row["name"], className="h5 mb-0", id="map-panel-title"),
            html.P(LEVEL_LABELS[result.level], className="small text-body-secondary mb-2"),
            html.P([html.Span(shown_value(row["value"], hidden, decimals), className="panel-value",
                              id="map-panel-value"), "" if hidden else f" {indicator.unit}"], className="mb-1"),
            html.P(suppression_help(result.threshold) if hidden else "", className="small text-body-secondary mb-1",
                   id="map-panel-secret"),
            html.P(f"Valeur lissée ({SMOOTHING_LABELS[result.smoothing]}) : "
                   f"{shown_value(row['smoothed'], hidden, decimals)}" if result.smoothing else "",
                   className="small mb-1", id="map-panel-smoothed"),
            html.P(f"Intervalle de confiance à {conf_text} : "
                   f"{'non publié' if hidden else interval(row['lower'], row['upper'], decimals)}",
                   className="small mb-1"),
            html.P(f"Commune : {shown_value(commune['value'], commune['suppressed'], decimals)}",
                   className="small mb-1"),
            dbc.Badge("Comparaison non publiée (secret statistique)" if hidden else COMPARISON_LABELS[comparison],
                      color="secondary" if hidden else BADGE_COLOURS[comparison], class_name="text-wrap mb-2",
                      id="map-panel-badge"),
            html.P(f"Rang : {rank(row['rank'], int(result.table['value'].notna().sum()))} "
                   "(1 = valeur la plus élevée)", className="small mb-1"),
            html.P(f"{indicator.method.numerator_label} : {shown_count(row['numerator'], row['numerator_note'])} ; "
                   f"{indicator.method.denominator_label} : "
                   f"{shown_count(row['denominator'], row['denominator_note'], _denominator_decimals(indicator))}",
                   className="small text-body-secondary"),
            html.P(["Tendance sur toutes les périodes : ", html.Strong(_trend_text(trend, indicator))],
                   className="small mb-1", id="map-panel-trend"),
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
            dcc.Link("Voir le portrait " + ("de l'IRIS" if result.level == "iris" else "du quartier"),
                     href="/portrait" + urlstate.build_portrait(
                         {"area": state["area"], "level": result.level, "conf": result.conf}),
                     id="map-portrait-link", className="btn btn-outline-primary btn-sm"),
        ],
        id="map-panel-body",
    )


def data_table(result: indicators.Result) -> dbc.Table:
    indicator = result.indicator
    decimals = indicator.method.decimals
    conf_text = confidence(result.conf)
    table = result.table.sort_values("value", ascending=False, na_position="last")
    smoothed = []
    if result.smoothing:
        smoothed = [html.Th(f"Valeur lissée ({SMOOTHING_LABELS[result.smoothing]})", scope="col")]
    header = html.Thead(html.Tr([
        html.Th("Zone", scope="col"),
        html.Th(f"Valeur ({indicator.unit})", scope="col"),
        *smoothed,
        html.Th(f"IC à {conf_text}", scope="col"),
        html.Th("Comparaison à la commune", scope="col"),
        html.Th(indicator.method.numerator_label.capitalize(), scope="col"),
        html.Th(indicator.method.denominator_label.capitalize(), scope="col"),
    ]))
    body = [
        html.Tr([
            html.Th(row.name, scope="row"),
            html.Td(shown_value(row.value, row.suppressed, decimals)),
            *([html.Td(shown_value(row.smoothed, row.suppressed, decimals))] if result.smoothing else []),
            html.Td("non publié" if row.suppressed else interval(row.lower, row.upper, decimals)),
            html.Td("non publiée" if row.suppressed else COMPARISON_LABELS[row.comparison]),
            html.Td(shown_count(row.numerator, row.numerator_note)),
            html.Td(shown_count(row.denominator, row.denominator_note, _denominator_decimals(indicator))),
        ])
        for row in table.itertuples(index=False)
    ]
    commune = result.commune
    commune_note = "secret statistique" if commune["suppressed"] else None
    body.append(html.Tr([
        html.Th(f"{commune['name']} (commune)", scope="row"),
        html.Td(shown_value(commune["value"], commune["suppressed"], decimals)),
        *([html.Td("")] if result.smoothing else []),
        html.Td(interval(commune["lower"], commune["upper"], decimals)),
        html.Td("Référence"),
        html.Td(shown_count(commune["numerator"], commune_note)),
        html.Td(shown_count(commune["denominator"], commune_note, _denominator_decimals(indicator))),
    ], className="table-secondary"))
    caption = f"{indicator.label}, {result.period}, par {LEVEL_LABELS_PLURAL[result.level]}"
    if table["suppressed"].notna().any():
        caption += f". {suppression_help(result.threshold)}"
    return dbc.Table(
        [html.Caption(caption), header, html.Tbody(body)],
        striped=True, hover=True, size="sm", responsive=True, id="map-table-content",
    )


def summary_block(result: indicators.Result) -> list:
    return [html.P(sentence) for sentence in summary.map_summary(result)]


def view(dataset, state, public: bool = True):
    """Everything on the page that depends on the state, as components and figure data.

    ``public=False`` shows the unsuppressed values, for a logged-in partner only.
    """
    result = indicators.compute(dataset, state["indicator"], state["period"], state["level"],
                                conf=state.get("conf") or 0.95, smoothing=state.get("smoothing"), public=public)
    if state.get("area") not in set(result.table["code"]):
        state = {**state, "area": None}
    classes = figures.classes_for(dataset, state["indicator"], state["level"])
    return {
        "result": result,
        "classes": classes,
        "legend": legend_block(classes, result.indicator, dataset, result),
        "panel": panel(dataset, result, state),
        "ranking": figures.ranking_figure(result, state.get("area")),
        "table": data_table(result),
        "summary": summary_block(result),
    }


def layout(dataset, state, settings, public: bool = True) -> html.Div:
    parts = view(dataset, state, public=public)
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


def page(dataset, search, settings, public: bool = True) -> html.Div:
    """The page as the router builds it, in the state the URL's query string describes.

    ``public=False`` (a logged-in partner) shows the values the secret statistique hides from the public.
    """
    return layout(dataset, urlstate.parse(dataset, search), settings, public)
