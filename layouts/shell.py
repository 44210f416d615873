"""The frame around every page: header, navigation, demo notice, page container, footer."""

from dash import dcc, html
import dash_bootstrap_components as dbc

NAV_ITEMS = [("Carte", "/"), ("Portrait de quartier", "/portrait"), ("Actions du CLS", "/actions"),
             ("Réseau Villes-Santé", "/reseau"), ("Méthodes", "/methodes")]


def demo_notice(dataset) -> html.Div | None:
    if not dataset.is_demo:
        return None
    return dbc.Alert(
        [
            html.Strong("Données fictives de démonstration. "),
            "Les valeurs affichées sont inventées pour montrer l'outil ; seuls les noms et codes des quartiers "
            "et IRIS, et la structure du Contrat local de santé, sont réels.",
        ],
        color="warning",
        class_name="demo-notice mb-0 rounded-0 py-2 small",
        id="demo-notice",
    )


def header() -> dbc.Navbar:
    return dbc.Navbar(
        dbc.Container(
            [
                dbc.NavbarBrand("Observatoire local de santé", href="/", class_name="fw-semibold"),
                dbc.Nav(
                    [dbc.NavItem(dbc.NavLink(label, href=href, active="exact")) for label, href in NAV_ITEMS],
                    navbar=True,
                    class_name="ms-auto",
                ),
            ],
            fluid=True,
        ),
        color="dark",
        dark=True,
        class_name="py-1",
    )


def footer(dataset) -> html.Footer:
    return html.Footer(
        dbc.Container(
            [
                html.Span(f"{dataset.source_label}. "),
                html.A("Données ouvertes (API)", href="/api/v1/indicators"),
                html.Span(" · Licence Ouverte 2.0 · Découpage : IGN – INSEE, Contours…IRIS®."),
            ],
            fluid=True,
            class_name="small text-body-secondary py-3",
        )
    )


def partner_notice() -> dbc.Alert:
    return dbc.Alert(
        [
            html.Strong("Mode partenaire. "),
            "Vous êtes connecté : la carte et l'API montrent les valeurs que le secret statistique masque au public. "
            "Ne les diffusez pas. ",
            html.A("Se déconnecter", href="/admin"),
        ],
        color="danger",
        class_name="mb-0 rounded-0 py-2 small",
        id="partner-notice",
    )


def layout(dataset, partner: bool = False) -> html.Div:
    return html.Div(
        [
            dcc.Location(id="url", refresh=False),
            html.A("Aller au contenu", href="#page-content", className="visually-hidden-focusable"),
            header(),
            demo_notice(dataset),
            partner_notice() if partner else None,
            html.Main(id="page-content", className="container-fluid py-2", tabIndex="-1"),
            footer(dataset),
        ]
    )


def not_found(pathname: str) -> html.Div:
    return html.Div(
        [
            html.H1("Page introuvable", className="h3"),
            html.P(f"L'adresse « {pathname} » ne correspond à aucune page de l'observatoire."),
            dcc.Link("Revenir à la carte", href="/"),
        ],
        className="py-4",
    )
