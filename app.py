"""The observatory's web app: ``create_app()`` builds it; gunicorn serves ``app:server``."""

from __future__ import annotations

from dash import Dash

from dashboard import store
from dashboard.config import PROJECT_ROOT, Settings


def _security_headers(response, settings: Settings):
    """No third-party origin may be reached from our pages: the browser enforces it."""
    tiles = ""
    if settings.tiles_url:
        from urllib.parse import urlsplit

        parts = urlsplit(settings.tiles_url.replace("{", "").replace("}", ""))
        tiles = f" {parts.scheme}://{parts.netloc}"
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; "
        "script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
        "style-src 'self' 'unsafe-inline'; "
        f"img-src 'self' data: blob:{tiles}; "
        f"connect-src 'self'{tiles}; "
        "worker-src 'self' blob:; child-src blob:; font-src 'self' data:; "
        "frame-ancestors 'self'; base-uri 'self'; form-action 'self'",
    )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


def create_app(settings: Settings | None = None, dataset: store.Dataset | None = None) -> Dash:
    """Build the Dash app on ``dataset`` (or the one the settings describe).

    One app per process: Dash's global ``@callback`` registry binds to the first app created.
    """
    settings = settings or Settings.from_env()
    if dataset is not None:
        store.use(dataset)
    else:
        store.serve(settings)  # the published version of the database, loaded on first use

    import callbacks.map_page  # noqa: F401  (registers the callbacks)
    import callbacks.actions_page  # noqa: F401
    import callbacks.methods_page  # noqa: F401
    import callbacks.portrait_page  # noqa: F401
    import callbacks.shell  # noqa: F401
    from layouts import shell
    from routes import admin
    from routes.api import blueprint

    app = Dash(
        __name__,
        title="Observatoire local de santé",
        update_title=None,
        assets_folder=str(PROJECT_ROOT / "assets"),
        serve_locally=True,
        suppress_callback_exceptions=True,
        meta_tags=[
            {"name": "viewport", "content": "width=device-width, initial-scale=1"},
            {"name": "description", "content": "Carte des inégalités de santé par quartier et actions du CLS"},
        ],
    )
    app.server.config["OBSERVATOIRE"] = settings
    app.layout = lambda: shell.layout(store.current(), partner=admin.signed_in())
    app.server.register_blueprint(blueprint)

    # The admin pages refuse to serve (with the reason) until the session secret is set.
    app.server.secret_key = settings.secret_key or None
    app.server.config.update(SESSION_COOKIE_SAMESITE="Lax",
                             SESSION_COOKIE_SECURE=settings.public_url.startswith("https://"))
    app.server.register_blueprint(admin.blueprint)
    app.server.after_request(lambda response: _security_headers(response, settings))
    app.server.before_request(store.begin_request)
    app.server.teardown_request(store.end_request)
    app.index_string = app.index_string.replace("<html>", '<html lang="fr">')
    return app


app = create_app()
server = app.server

if __name__ == "__main__":
    settings = server.config["OBSERVATOIRE"]
    store.current()  # create, migrate and fill the database before the first visitor, not during their request
    # The public server runs under gunicorn (Procfile); this entry point is for local use, never in debug mode.
    app.run(host=settings.host, port=settings.port, debug=False)
