"""``/admin``: the staff's data page behind a login: upload files, read the check, publish, list versions, roll back.

Plain server-rendered forms (no script), each POST carrying the session's CSRF token. Served only when the session
secret ``OBSERVATOIRE_SECRET_KEY`` is set; otherwise every admin address says how to enable it.
"""

from __future__ import annotations

import functools
import hmac
import secrets

from flask import (Blueprint, Response, abort, current_app, flash, has_request_context, redirect, render_template,
                   request, session, url_for)

from dashboard import accounts, database, imports, store, templates, versions

blueprint = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")
DISABLED = ("Administration désactivée : définissez la variable d'environnement OBSERVATOIRE_SECRET_KEY (une longue "
            "chaîne aléatoire, par exemple `python -c \"import secrets; print(secrets.token_hex(32))\"`) puis "
            "redémarrez le serveur.")


def signed_in() -> bool:
    """Whether this request comes from a logged-in account: partner mode, values not suppressed.

    Outside a request (a callback called directly, a script) nobody is logged in.
    """
    return has_request_context() and bool(current_app.secret_key) and bool(session.get("user"))


def _settings():
    return current_app.config["OBSERVATOIRE"]


def _engine():
    settings = _settings()
    engine = database.engine_for(settings.database_url)
    store.ensure_database(engine, settings)
    return engine


def _csrf() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


@blueprint.before_request
def require_secret_and_token():
    if not current_app.secret_key:
        return Response(DISABLED, status=503, mimetype="text/plain; charset=utf-8")
    if request.method == "POST":
        sent = request.form.get("csrf", "")
        if not sent or not hmac.compare_digest(sent, session.get("csrf", "")):
            abort(Response("Jeton de formulaire invalide ou expiré : rechargez la page et recommencez.", status=400,
                           mimetype="text/plain; charset=utf-8"))
    return None


@blueprint.after_request
def never_cache(response):
    response.headers["Cache-Control"] = "no-store"
    return response


def login_required(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if not session.get("user"):
            return redirect(url_for("admin.login"))
        return view(*args, **kwargs)
    return wrapped


def _page(report=None):
    with _engine().connect() as connection:
        listed = versions.list_versions(connection)
    return render_template("admin/page.html", user=session["user"], csrf=_csrf(), versions=listed, report=report,
                           templates=templates.TEMPLATES)


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        return render_template("admin/login.html", csrf=_csrf(), user=None, error=None)
    username = request.form.get("username", "").strip()
    refused = None
    with database.writing(_engine()) as connection:
        try:
            name = accounts.log_in(connection, username, request.form.get("password", ""),
                                   request.remote_addr or "inconnue")
        except accounts.LoginRefused as error:
            refused = error  # caught inside the transaction: the failure it counted is committed
    if refused is not None:
        status = 429 if "Trop de tentatives" in str(refused) else 401
        return render_template("admin/login.html", csrf=_csrf(), user=None, error=str(refused)), status
    session.clear()  # a new session on login: nothing chosen before it carries over
    session["user"] = name
    return redirect(url_for("admin.page"))


@blueprint.post("/logout")
def logout():
    session.clear()
    return redirect(url_for("admin.login"))


@blueprint.get("/")
@login_required
def page():
    return _page()


@blueprint.post("/import")
@login_required
def upload():
    uploads = [imports.Upload(f.filename or "sans_nom", f.read()) for f in request.files.getlist("files") if f]
    report = imports.run_import(_engine(), uploads, by=session["user"], note=request.form.get("note", "").strip(),
                                dry_run=bool(request.form.get("dry_run")))
    return _page(report)  # the report is the page: a 4xx would read as a broken page in the browser


@blueprint.post("/publish/<int:version_id>")
@login_required
def publish(version_id):
    try:
        with database.writing(_engine()) as connection:
            versions.publish(connection, version_id, by=session["user"])
        flash(f"Version {version_id} publiée : le site la montre dans les secondes qui viennent.")
    except store.DataError as error:
        flash(str(error))
    return redirect(url_for("admin.page"))


@blueprint.post("/rollback")
@login_required
def rollback():
    try:
        with database.writing(_engine()) as connection:
            served = versions.rollback(connection, by=session["user"])
        flash(f"Retour à la version {served} : le site la montre dans les secondes qui viennent.")
    except store.DataError as error:
        flash(str(error))
    return redirect(url_for("admin.page"))


@blueprint.get("/modeles/<name>.csv")
@login_required
def template(name):
    if name not in templates.TEMPLATES:
        abort(404)
    return Response(templates.template_csv(name).encode("utf-8-sig"), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{templates.TEMPLATES[name].file}"'})
