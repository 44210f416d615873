"""The "Actions du CLS" page: filters, progress against targets, timeline, map, needs versus actions, governance."""

from __future__ import annotations

import math

from dash import dcc, html
import dash_bootstrap_components as dbc

from dashboard import cls, cls_figures, cls_needs, cls_plan, cls_progress
from dashboard.formatting import COMPARISON_SHORT, interval, number

ALL_AXES = "tous"  # the axis selector's value for "every axis" (dbc.Select reserves "" for its placeholder)
STATUS_BADGES = {"prevue": "info", "en_cours": "warning", "realisee": "success", "abandonnee": "secondary"}
FLAG_CLASSES = {"gap": "table-danger fw-semibold", "covered": "table-success", "other": "", "unknown": "text-body-secondary"}
GRAPH_CONFIG = {"displaylogo": False, "responsive": True, "locale": "fr",
                "modeBarButtonsToRemove": ["select2d", "lasso2d"]}
LOADING = {"type": "circle", "delay_show": 300}


# ---------------------------------------------------------------------------------------------- controls

def contract_options(dataset) -> list[dict]:
    return [{"label": f"{row.name} ({row.start_year}-{row.end_year})", "value": row.contract_id}
            for row in cls_plan.contracts(dataset).itertuples(index=False)]


def axis_options(dataset, contract_id) -> list[dict]:
    name = cls_plan.contract(dataset, contract_id)["name"]
    rows = cls.axes(dataset, contract_id)
    return [{"label": f"Tous les axes du {name}", "value": ALL_AXES}] + [
        {"label": cls.axis_label(row), "value": row["axis_id"]} for _, row in rows.iterrows()
    ]


def year_options(dataset, contract_id) -> list[dict]:
    first, last = cls_plan.contract_years(dataset, contract_id)
    return [{"label": str(year), "value": str(year)} for year in range(first, last + 1)]


def area_options(dataset) -> list[dict]:
    quartiers = dataset.areas_of("quartier").sort_values("name")
    iris = dataset.areas_of("iris").sort_values("name")
    return ([{"label": row.name, "value": row.code} for row in quartiers.itertuples(index=False)]
            + [{"label": f"IRIS {row.name}", "value": row.code} for row in iris.itertuples(index=False)])


def need_options(dataset, axis_id) -> list[dict]:
    return [{"label": i.label, "value": i.id} for i in cls_plan.need_indicators(dataset, axis_id)]


def _field(label: str, control, control_id: str, help_text: str | None = None) -> html.Div:
    parts = [dbc.Label(label, html_for=control_id, class_name="fw-semibold small mb-1"), control]
    if help_text:
        parts.append(dbc.FormText(help_text))
    return html.Div(parts, className="mb-2")


def controls(dataset, state) -> dbc.Card:
    years = cls_plan.parse_period(dataset, state["contract"], state["period"])
    return dbc.Card(
        dbc.CardBody([
            _field("Contrat", dbc.Select(id="actions-contract", options=contract_options(dataset),
                                         value=state["contract"]), "actions-contract"),
            _field("Axe", dbc.Select(id="actions-axis", options=axis_options(dataset, state["contract"]),
                                     value=state["axis"] or ALL_AXES), "actions-axis"),
            dbc.Row([
                dbc.Col(_field("De", dbc.Select(id="actions-from", options=year_options(dataset, state["contract"]),
                                                value=str(years[0])), "actions-from")),
                dbc.Col(_field("À", dbc.Select(id="actions-to", options=year_options(dataset, state["contract"]),
                                               value=str(years[1])), "actions-to")),
            ], class_name="g-2"),
            _field("Quartier", dcc.Dropdown(id="actions-area", options=area_options(dataset), value=state["area"],
                                            placeholder="Toute la ville (ou cliquer sur la carte)…",
                                            clearable=True, searchable=True), "actions-area",
                   "Les actions menées dans toute la ville comptent pour chaque quartier."),
            _field("Besoin mesuré par", dbc.Select(id="actions-need", options=need_options(dataset, state["axis"]),
                                                   value=state["need"]), "actions-need"),
        ]),
        class_name="controls",
    )


# ------------------------------------------------------------------------------------- progress & cards

def progress_bar(row) -> html.Div:
    """One indicator: a bar with the target marked, the latest known year in words, and each year's %."""
    decimals = 1 if row["unit"] == "%" else 0
    unit = row["unit"]
    known = not math.isnan(row["achieved"])
    geometry = cls_progress.bar(row["target"], row["achieved"])
    share = row["share"]
    scope = f" (total des {row['areas']} zones suivies de l'action)" if row["areas"] > 1 else ""
    if known:
        words = (f"{row['year']} : {number(row['achieved'], decimals)} sur un objectif de "
                 f"{number(row['target'], decimals)} {unit}{scope} — {number(100 * share, 0)} % de l'objectif")
    else:
        words = (f"{row['year']} : objectif {number(row['target'], decimals)} {unit}{scope}, "
                 "pas encore de résultat connu")
    return html.Div(
        [
            html.Div([html.Span(row["indicator_label"], className="fw-semibold"),
                      html.Span(f" · {cls_plan.KIND_LABELS.get(row['kind'], row['kind'])}",
                                className="text-body-secondary")], className="small"),
            html.Div(
                [html.Div(className="cls-bar-fill" + ("" if known and share >= 1 else " below"),
                          style={"width": f"{geometry['fill']}%"}),
                 html.Div(className="cls-bar-target", style={"left": f"{geometry['mark']}%"}, title="objectif")],
                className="cls-bar", role="img", **{"aria-label": words},
            ),
            html.Div(words, className="small"),
            html.Div(row["years_text"], className="cls-years"),
        ],
        className="cls-progress mb-2",
    )


def _years_text(yearly, action_id, label) -> str:
    rows = yearly[(yearly["action_id"] == action_id) & (yearly["indicator_label"] == label)]
    parts = []
    for r in rows.itertuples(index=False):
        parts.append(f"{r.year} : {number(100 * r.share, 0)} %" if not math.isnan(r.share) else f"{r.year} : à venir")
    return "Par année (% de l'objectif) — " + " · ".join(parts) if parts else ""


def action_card(row, areas: list[str], indicator_rows) -> dbc.Card:
    budget = number(row["budget_eur"]) + " €" if not _missing(row.get("budget_eur")) else "non renseigné"
    details = [
        ("Porteur", row["lead"]),
        ("Partenaires", ", ".join(cls_plan.split_list(row.get("partners", ""))) or "—"),
        ("Public", row.get("target_public") or "—"),
        ("Où", ", ".join(areas) or "—"),
        ("Années", f"{row['start_year']}–{row['end_year']}"),
        ("Budget", budget),
    ]
    body = [
        html.H3(row["title"], className="h6 mb-1"),
        html.P(row.get("description", ""), className="small mb-2"),
        html.Dl([part for term, value in details for part in (html.Dt(term), html.Dd(value))], className="small"),
    ]
    if indicator_rows:
        body.append(html.Div([progress_bar(r) for r in indicator_rows], className="action-indicators"))
    else:
        body.append(html.P("Pas d'indicateur de suivi pour cette période.", className="small text-body-secondary"))
    return dbc.Card(
        [
            dbc.CardHeader([
                dbc.Badge(cls_plan.STATUS_LABELS.get(row["status"], row["status"]),
                          color=STATUS_BADGES.get(row["status"], "light"), class_name="me-2 action-status",
                          text_color="dark" if row["status"] in ("en_cours", "prevue") else None),
                html.Span(row["axis_label"], className="small text-body-secondary"),
            ]),
            dbc.CardBody(body),
        ],
        class_name="action-card mb-2",
        id={"type": "action-card", "id": row["action_id"]},
    )


def _missing(value) -> bool:
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))


def action_list(dataset, actions, yearly, progress) -> list:
    if actions.empty:
        return [dbc.Alert("Aucune action ne correspond à ces filtres.", color="light", id="actions-empty")]
    areas = cls_plan.action_areas(dataset, actions["action_id"])
    cards = []
    for _, row in actions.iterrows():
        rows = progress[progress["action_id"] == row["action_id"]].to_dict("records")
        for r in rows:
            r["years_text"] = _years_text(yearly, r["action_id"], r["indicator_label"])
        cards.append(action_card(row, areas[row["action_id"]], rows))
    return cards


def axis_table(summary) -> dbc.Table:
    header = html.Thead(html.Tr(
        [html.Th("Axe", scope="col")]
        + [html.Th(label, scope="col") for label in cls_plan.STATUS_LABELS.values()]
        + [html.Th("Total", scope="col"), html.Th("Part moyenne des objectifs atteinte", scope="col")]
    ))
    body = []
    for row in summary.itertuples(index=False):
        share = "–" if math.isnan(row.mean_share) else f"{number(100 * row.mean_share, 0)} % ({row.indicators} ind.)"
        body.append(html.Tr(
            [html.Th(row.axis_label, scope="row")]
            + [html.Td(getattr(row, status)) for status in cls_plan.STATUS_LABELS]
            + [html.Td(row.total), html.Td(share)]
        ))
    return dbc.Table([header, html.Tbody(body)], size="sm", striped=True, responsive=True, id="actions-axes-table")


# ------------------------------------------------------------------------------------- needs vs actions

def needs_block(view: cls_needs.NeedsView, contract_name: str) -> html.Div:
    indicator = view.result.indicator
    decimals = indicator.method.decimals
    explanation = html.P(
        [
            html.Strong("Besoin : "),
            f"{indicator.label} ({indicator.unit}), période {view.result.period}, par quartier, avec son "
            "intervalle de confiance à 95 %. Un quartier a un besoin élevé quand sa valeur est significativement "
            "moins favorable que celle de la commune (l'intervalle ne contient pas la valeur de la commune). ",
            html.Strong("Effort : "),
            f"nombre d'actions sélectionnées du {contract_name} ciblées sur le quartier ou une partie de celui-ci. "
            f"Les {view.citywide} action(s) menée(s) dans toute la ville s'ajoutent partout et ne sont pas comptées ici.",
        ],
        className="small",
    )
    header = html.Thead(html.Tr([html.Th("Quartier", scope="col"),
                                 html.Th(["Besoin ", html.Span(f"({indicator.unit}, IC à 95 %)",
                                                               className="fw-normal")], scope="col"),
                                 html.Th("Face à la commune", scope="col"), html.Th("Actions ciblées", scope="col"),
                                 html.Th("Lecture", scope="col")]))
    body = [
        html.Tr([
            html.Th(row.name, scope="row"),
            html.Td([number(row.value, decimals), html.Br(),
                     html.Span(interval(row.lower, row.upper, decimals), className="text-body-secondary")]),
            html.Td(COMPARISON_SHORT[row.comparison]),
            html.Td(row.targeted),
            html.Td(cls_needs.FLAGS[row.flag], className=FLAG_CLASSES[row.flag]),
        ])
        for row in view.table.itertuples(index=False)
    ]
    gaps = view.table.loc[view.table["flag"] == "gap", "name"].tolist()
    headline = (f"{len(gaps)} quartier(s) à besoin élevé sans action ciblée : {', '.join(gaps)}."
                if gaps else "Aucun quartier à besoin élevé n'est sans action ciblée.")
    return html.Div([
        html.P(headline, className="fw-semibold", id="actions-needs-headline"),
        explanation,
        dbc.Table([header, html.Tbody(body)], size="sm", responsive=True, class_name="needs-table",
                  id="actions-needs-table"),
    ])


# ------------------------------------------------------------------------------------------ governance

def governance_block(dataset, contract_id) -> html.Div:
    name = cls_plan.contract(dataset, contract_id)["name"]
    signatories = cls_plan.signatories(dataset, contract_id)
    instances = cls_plan.governance(dataset, contract_id)
    steps = cls_plan.timeline(dataset, contract_id)
    history = cls_plan.timeline(dataset, "")
    unknown = html.P("Pas d'information dans nos sources pour ce contrat.", className="small text-body-secondary")

    def step_items(frame):
        return [html.Li([html.Strong(cls_plan.date_text(r.date) + (f" – {cls_plan.date_text(r.end_date)}"
                                                                   if r.end_date else "")), f" : {r.event}"])
                for r in frame.itertuples(index=False)]

    sources = sorted(set(signatories["source"]) | set(instances["source"]) | set(steps["source"]))
    return html.Div([
        dbc.Row([
            dbc.Col([html.H3(f"Signataires du {name}", className="h6"),
                     html.Ul([html.Li(s) for s in signatories["signatory"]], className="small")
                     if len(signatories) else unknown], md=4),
            dbc.Col([html.H3("Instances et rôles", className="h6"),
                     html.Dl([part for r in instances.itertuples(index=False)
                              for part in (html.Dt(r.instance), html.Dd(r.role))], className="small")
                     if len(instances) else unknown], md=4),
            dbc.Col([html.H3("Construction du contrat", className="h6"),
                     html.Ul(step_items(steps), className="small") if len(steps) else unknown], md=4),
        ]),
        html.H3("La santé à Mulhouse : repères", className="h6 mt-2"),
        html.Ul(step_items(history), className="small"),
        html.P("Sources (faits réels) : " + " ; ".join(sources) + "." if sources else "",
               className="small text-body-secondary"),
    ], id="actions-governance-body")


# ------------------------------------------------------------------------------------------- the view

def view(dataset, state) -> dict:
    """Everything that depends on the filters, as components, figures and map updates."""
    years = cls_plan.parse_period(dataset, state["contract"], state["period"])
    contract = cls_plan.contract(dataset, state["contract"])
    actions = cls_plan.select_actions(dataset, state["contract"], state["axis"], years, state["area"])
    all_axes = cls_plan.select_actions(dataset, state["contract"], None, years, state["area"])
    yearly = cls_progress.follow_up(dataset, all_axes["action_id"], years)
    progress = cls_progress.indicator_progress(yearly)
    shown = actions if state["area"] is None else cls_plan.select_actions(
        dataset, state["contract"], state["axis"], years)  # the map shows every quartier, not just the chosen one
    effort = cls_plan.area_effort(dataset, shown, "quartier")
    needs = cls_needs.needs_versus_actions(dataset, state["need"], shown)
    scope = [contract["name"], cls_plan.period_text(years)]
    if state["axis"]:
        scope.append(cls.axis_label(cls.axes(dataset, state["contract"]).set_index("axis_id").loc[state["axis"]]))
    map_title = "Actions ciblées par quartier — " + " · ".join(scope)  # every quartier, whichever is chosen
    if state["area"]:
        scope.append(dataset.areas.set_index("code")["name"].get(state["area"]))
    summary = f"{len(actions)} action(s) — {' · '.join(scope)}"
    return {
        "summary": summary,
        "list": action_list(dataset, actions, yearly, progress),
        "axes": axis_table(cls_progress.axis_summary(all_axes, progress)),
        "timeline": cls_figures.timeline_figure(actions, cls_plan.contract_years(dataset, state["contract"]), years),
        "effort": effort,
        "map_title": map_title,
        "needs": needs_block(needs, contract["name"]),
        "api": "/api/v1/actions" + _api_query(state, years),
    }


def _api_query(state, years) -> str:
    pairs = {"contract": state["contract"], "axis": state["axis"], "period": cls_plan.period_text(years),
             "area": state["area"]}
    return "?" + "&".join(f"{key}={value}" for key, value in pairs.items() if value)


def export_buttons() -> html.Div:
    return html.Div([
        dbc.Button("Actions (CSV)", id="actions-export-actions", color="primary", outline=True, size="sm",
                   class_name="me-2 mb-1"),
        dbc.Button("Indicateurs de suivi (CSV)", id="actions-export-indicators", color="primary", outline=True,
                   size="sm", class_name="me-2 mb-1"),
        dbc.Button("Actions et indicateurs (Excel)", id="actions-export-xlsx", color="primary", outline=True,
                   size="sm", class_name="me-2 mb-1"),
        dcc.Download(id="actions-download"),
    ])


def layout(dataset, state, settings) -> html.Div:
    parts = view(dataset, state)
    figure = cls_figures.effort_map(dataset, parts["effort"], state["area"], parts["map_title"],
                                    glyphs_url=settings.glyphs_url, tiles_url=settings.tiles_url,
                                    tiles_attribution=settings.tiles_attribution)
    demo = " Suivi, calendriers, porteurs et budgets : données fictives de démonstration." if dataset.is_demo else ""
    return html.Div([
        html.H1("Actions du Contrat local de santé", className="h4 mt-1"),
        html.P("Où en sont les actions du contrat, où elles sont menées, et face à quels besoins." + demo,
               className="small text-body-secondary"),
        dbc.Row([
            dbc.Col([controls(dataset, state),
                     html.Div([html.H2("Exporter ce que vous voyez", className="h6 mt-3"), export_buttons(),
                               html.P(["Les mêmes données en open data : ",
                                       html.A(parts["api"], href=parts["api"], id="actions-api-link")],
                                      className="small mt-1 text-break")])],
                    xs=12, lg=3, class_name="mb-2"),
            dbc.Col([
                html.P(parts["summary"], className="fw-semibold mb-1", id="actions-summary",
                       **{"aria-live": "polite"}),
                html.H2("Par axe : actions par état et part des objectifs atteinte", className="h6"),
                html.Div(parts["axes"], id="actions-axes"),
                html.P("Part atteinte : moyenne, sur les indicateurs des actions de l'axe, du rapport réalisé ÷ "
                       "objectif de la dernière année connue, chaque rapport plafonné à 100 %.",
                       className="small text-body-secondary"),
                html.H2("Calendrier des actions", className="h6 mt-2"),
                dcc.Loading(dcc.Graph(id="actions-timeline", figure=parts["timeline"],
                                      config={**GRAPH_CONFIG, "displayModeBar": False}), **LOADING),
            ], xs=12, lg=9),
        ]),
        dbc.Row([
            dbc.Col([html.H2("Où les actions sont menées", className="h5"),
                     dcc.Loading(dcc.Graph(id="actions-map", figure=figure, config=GRAPH_CONFIG,
                                           className="actions-map"), **LOADING),
                     html.P("Nombre d'actions sélectionnées ciblées sur chaque quartier ; cliquez sur un quartier "
                            "pour ne garder que les actions qui y sont menées.", className="small")],
                    xs=12, lg=6),
            dbc.Col([html.H2("Besoins et actions", className="h5"),
                     dcc.Loading(html.Div(parts["needs"], id="actions-needs"), **LOADING)], xs=12, lg=6),
        ], class_name="mt-3"),
        html.H2("Les actions et leurs indicateurs", className="h5 mt-3"),
        html.P("Chaque barre montre le réalisé de la dernière année connue ; le trait noir marque l'objectif.",
               className="small text-body-secondary"),
        dcc.Loading(html.Div(parts["list"], id="actions-list"), **LOADING),
        html.H2("Gouvernance du contrat", className="h5 mt-3"),
        html.Div(governance_block(dataset, state["contract"]), id="actions-governance"),
    ])


def page(dataset, search, settings) -> html.Div:
    """The page as the router builds it, in the state the URL's query string describes."""
    return layout(dataset, cls_plan.parse_state(dataset, search), settings)
