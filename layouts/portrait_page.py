"""The portrait page ("Portrait de quartier"): one area, every indicator against the commune, the CLS actions there."""

from __future__ import annotations

from dash import dcc, html
import dash_bootstrap_components as dbc

from dashboard import cls, indicators, profile, urlstate
from dashboard.formatting import LEVEL_LABELS, LEVEL_LABELS_PLURAL, confidence, interval, number
from layouts.map_page import area_options

SPINE_CONFIG = {"displayModeBar": False, "responsive": True, "locale": "fr"}
CONF_OPTIONS = [{"label": confidence(conf), "value": conf} for conf in indicators.CONFIDENCE_LEVELS]
STATUS_LABELS = {"prevue": "prévue", "en_cours": "en cours", "realisee": "réalisée", "abandonnee": "abandonnée"}


def _radio(label: str, control_id: str, options: list, value) -> html.Div:
    return html.Div(
        [
            dbc.Label(label, class_name="fw-semibold small mb-1", id=f"{control_id}-label"),
            dbc.RadioItems(id=control_id, options=options, value=value, inline=True),
        ],
        className="me-4 mb-2",
        role="radiogroup",
        **{"aria-labelledby": f"{control_id}-label"},
    )


def controls(dataset, state) -> dbc.Card:
    level_control = _radio("Niveau", "portrait-level",
                           [{"label": "Quartiers", "value": "quartier"}, {"label": "IRIS", "value": "iris"}],
                           state["level"])
    conf_control = _radio("Niveau de confiance", "portrait-conf", CONF_OPTIONS, state["conf"])
    area_control = html.Div(
        [
            dbc.Label("Quartier ou IRIS", html_for="portrait-area", class_name="fw-semibold small mb-1"),
            dcc.Dropdown(id="portrait-area", options=area_options(dataset, state["level"]), value=state["area"],
                         placeholder="Choisir une zone…", clearable=False, searchable=True),
        ],
        className="flex-grow-1 mb-2 portrait-area-control",
    )
    return dbc.Card(
        dbc.CardBody(html.Div([level_control, conf_control, area_control],
                              className="d-flex flex-wrap align-items-end")),
        class_name="portrait-controls mb-3 d-print-none",
    )


def spine_key(level: str, conf: float) -> html.Ul:
    """What the chart's marks mean, in words (the chart does not rely on colour)."""
    plural = LEVEL_LABELS_PLURAL[level]
    return html.Ul(
        [
            html.Li("▲ ▼ ● : la zone (▲ significativement plus élevée que la commune, ▼ plus basse, "
                    "● pas de différence significative) ; le mot à droite de chaque ligne dit si c'est meilleur ou "
                    "moins bon."),
            html.Li(f"Trait horizontal autour du symbole : intervalle de confiance à {confidence(conf)}."),
            html.Li("Trait vertical noir : la commune."),
            html.Li(f"Barre grise : de la valeur la moins favorable à la plus favorable des {plural} ; "
                    f"partie foncée : la moitié des {plural} du milieu."),
            html.Li("Le côté favorable est à droite (pour la part des médecins de 60 ans ou plus, qui n'a pas de "
                    "sens favorable, les valeurs élevées sont à droite). Chaque ligne a sa propre échelle : les "
                    "valeurs sont dans le tableau."),
        ],
        className="spine-key small mb-0",
    )


def indicator_table(rows: list[dict], level: str, conf: float, area_code: str) -> dbc.Table:
    plural = LEVEL_LABELS_PLURAL[level]
    header = html.Thead(html.Tr([
        html.Th("Indicateur", scope="col"),
        html.Th("Période", scope="col"),
        html.Th("Valeur", scope="col"),
        html.Th(f"IC à {confidence(conf)}", scope="col"),
        html.Th("Commune", scope="col"),
        html.Th(f"Étendue des {plural}", scope="col"),
        html.Th("Comparaison à la commune", scope="col"),
        html.Th("Évolution", scope="col"),
    ]))
    body = []
    for row in rows:
        d = row["decimals"]
        map_link = "/" + urlstate.build(
            {"indicator": row["id"], "period": row["period"], "level": level, "area": area_code})
        body.append(html.Tr([
            html.Th([html.Div(row["label"]),
                     html.Div(f"({profile.polarity_text(row)})", className="small fw-normal"),
                     html.Div([dcc.Link("Méthode", href=f"/methodes#{row['id']}"), " · ",
                               dcc.Link("Carte", href=map_link)], className="small d-print-none")],
                    scope="row"),
            html.Td(row["period"]),
            html.Td(profile.value_note(row) or [html.Strong(number(row["value"], d)),
                                                html.Span(f" {row['unit']}", className="small")]),
            html.Td(interval(row["lower"], row["upper"], d)),
            html.Td(number(row["commune"], d)),
            html.Td(interval(row["low"], row["high"], d)),
            html.Td(profile.comparison_text(row)),
            html.Td(profile.trend_text(row)),
        ]))
    return dbc.Table(
        [html.Caption("Chaque indicateur à sa période la plus récente"), header, html.Tbody(body)],
        striped=True, size="sm", responsive=True, id="portrait-table-content", class_name="portrait-table",
    )


def actions_block(dataset, code: str) -> html.Div:
    contract = cls.current_contract(dataset)
    actions = cls.actions_in_area(dataset, code, contract["contract_id"])
    axes = cls.axes(dataset, contract["contract_id"]).set_index("axis_id")
    if actions.empty:
        return html.P(f"Aucune action du {contract['name']} n'est menée dans cette zone.", id="portrait-actions")
    items = [
        html.Li([
            html.Span(row.title, className="fw-semibold"),
            f" — {cls.axis_label(axes.loc[row.axis_id])}, {STATUS_LABELS.get(row.status, row.status)}",
            " (toute la ville)" if row.citywide else "",
        ])
        for row in actions.itertuples(index=False)
    ]
    local = int((~actions["citywide"]).sum())
    return html.Div(
        [
            html.P(f"{len(actions)} action(s) du {contract['name']} menée(s) ici : {local} dans la zone ou une "
                   f"partie de la zone, {len(actions) - local} à l'échelle de toute la ville.", className="mb-1"),
            html.Ul(items, className="small ps-3"),
        ],
        id="portrait-actions",
    )


def body(dataset, state) -> list:
    """Everything below the controls for the state's area and confidence level (a prompt without an area)."""
    conf = state["conf"]
    shown = dcc.Store(id="portrait-shown", data=urlstate.build_portrait(state))
    if not state.get("area"):
        return [shown, html.P("Choisissez un quartier ou un IRIS pour voir son portrait.", className="lead",
                              id="portrait-prompt")]
    areas = dataset.areas.set_index("code")
    name = areas.at[state["area"], "name"]
    level = state["level"]
    rows = profile.rows(dataset, state["area"], level, conf)
    figure = profile.spine_figure(rows, name, conf, LEVEL_LABELS_PLURAL[level])
    return [
        shown,
        html.H2(name, className="h4 mb-0", id="portrait-title"),
        html.P(f"{LEVEL_LABELS[level]} de {dataset.commune['name']}, comparé à la commune",
               className="text-body-secondary"),
        html.Section(
            [
                html.H3("Vue d'ensemble", className="h5"),
                dbc.Row([
                    dbc.Col(dcc.Graph(id="portrait-spine", figure=figure, config=SPINE_CONFIG,
                                      className="portrait-spine", style={"height": f"{figure['layout']['height']}px"}),
                            xs=12, xl=8),
                    dbc.Col(spine_key(level, conf), xs=12, xl=4),
                ]),
            ],
            className="portrait-section",
        ),
        html.Section(
            [html.H3("Indicateurs", className="h5"), indicator_table(rows, level, conf, state["area"])],
            className="portrait-section", id="portrait-table",
        ),
        html.Section([html.H3("Actions du Contrat local de santé", className="h5"),
                      actions_block(dataset, state["area"])],
                     className="portrait-section"),
        html.P(["Comment ces valeurs sont calculées : ", dcc.Link("méthodes", href="/methodes"), "."],
               className="small d-print-none"),
        html.P(f"Observatoire local de santé — {dataset.source_label}, mise à jour du {dataset.updated}. "
               "Méthodes de calcul : page « Méthodes » de l'observatoire.",
               className="small d-none d-print-block", id="portrait-print-source"),
    ]


def layout(dataset, state) -> html.Div:
    return html.Div(
        [
            html.H1("Portrait de quartier", className="h4 mt-1"),
            controls(dataset, state),
            html.Div(body(dataset, state), id="portrait-body", **{"aria-live": "polite"}),
        ],
        className="portrait-page",
    )


def page(dataset, search, settings) -> html.Div:
    """The page as the router builds it, for the area its query string names."""
    return layout(dataset, urlstate.parse_portrait(dataset, search))
