"""Command line of the versioned store: import files, list versions, publish, roll back.

    python -m dashboard.data import FILE… [--note TEXTE] [--by NOM] [--dry-run] [--publish]
    python -m dashboard.data versions
    python -m dashboard.data publish VERSION
    python -m dashboard.data rollback [--to VERSION]
    python -m dashboard.data create-account NOM [--password-stdin]

The database is the one ``DATABASE_URL`` names (default: the SQLite file of ``instance/``). Messages are in French,
for the observatory's staff; the exit status is 1 when an import has errors, 2 on a command error.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from dashboard import accounts, database, imports, store, versions
from dashboard.config import Settings


def _engine(settings: Settings):
    engine = database.engine_for(settings.database_url)
    store.ensure_database(engine, settings)
    return engine


def import_files(args, settings: Settings, out) -> int:
    uploads = []
    for name in args.files:
        path = Path(name)
        if not path.is_file():
            print(f"Fichier introuvable : {name}", file=out)
            return 2
        uploads.append(imports.Upload(path.name, path.read_bytes()))
    report = imports.run_import(_engine(settings), uploads, by=args.by, note=args.note, dry_run=args.dry_run,
                                publish=args.publish, max_bytes=int(args.max_mb * 1024 * 1024))
    print(report.text(), file=out)
    return 0 if report.ok else 1


def list_versions(args, settings: Settings, out) -> int:
    with _engine(settings).connect() as connection:
        rows = versions.list_versions(connection)
    for row in rows:
        mark = "*" if row["is_current"] else " "
        counts = ", ".join(f"{name} {n}" for name, n in sorted(row["row_counts"].items()))
        files = ", ".join(sorted({f["file"] for f in row["sources"]})) or "—"
        print(f"{mark} v{row['id']}  {row['created_at']}  par {row['created_by']}  "
              f"{'(démo) ' if row['is_demo'] else ''}{row['note']}", file=out)
        print(f"      fichiers : {files}", file=out)
        print(f"      lignes : {counts}", file=out)
    print("* = version publiée", file=out)
    return 0


def publish(args, settings: Settings, out) -> int:
    with database.writing(_engine(settings)) as connection:
        versions.publish(connection, args.version, by=args.by)
    print(f"Version {args.version} publiée : chaque serveur la sert dans les secondes qui viennent.", file=out)
    return 0


def rollback(args, settings: Settings, out) -> int:
    with database.writing(_engine(settings)) as connection:
        served = versions.rollback(connection, by=args.by, to=args.to)
    print(f"Retour à la version {served} : chaque serveur la sert dans les secondes qui viennent.", file=out)
    return 0


def create_account(args, settings: Settings, out) -> int:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Mot de passe : ")
        if getpass.getpass("Le même, encore : ") != password:
            print("Les deux mots de passe diffèrent : rien n'a été changé.", file=out)
            return 2
    with database.writing(_engine(settings)) as connection:
        accounts.create_account(connection, args.username, password)
    print(f"Compte « {args.username} » prêt : connexion sur /admin/login.", file=out)
    return 0


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m dashboard.data", description="Données de l'observatoire.")
    commands = main.add_subparsers(dest="command", required=True)
    default_by = getpass.getuser()

    load = commands.add_parser("import", help="vérifier et importer des fichiers (une nouvelle version)")
    load.add_argument("files", nargs="+", help="CSV ou XLSX nommés comme leur modèle ; découpage GeoJSON, "
                      "GeoPackage ou Shapefile zippé avec sa correspondance IRIS → quartier")
    load.add_argument("--note", default="", help="ce que contient cette version")
    load.add_argument("--by", default=default_by, help="qui importe")
    load.add_argument("--dry-run", action="store_true", help="vérifier seulement, ne rien écrire")
    load.add_argument("--publish", action="store_true", help="publier la version si l'import réussit")
    load.add_argument("--max-mb", type=float, default=imports.MAX_BYTES / 1024 / 1024, help="taille maximale d'un fichier")
    load.set_defaults(run=import_files)

    commands.add_parser("versions", help="lister les versions").set_defaults(run=list_versions)

    pub = commands.add_parser("publish", help="publier une version")
    pub.add_argument("version", type=int)
    pub.add_argument("--by", default=default_by)
    pub.set_defaults(run=publish)

    back = commands.add_parser("rollback", help="revenir à la version publiée précédente")
    back.add_argument("--to", type=int, default=None, help="ou à cette version")
    back.add_argument("--by", default=default_by)
    back.set_defaults(run=rollback)

    account = commands.add_parser("create-account", help="créer un compte d'administration (ou changer son mot de passe)")
    account.add_argument("username")
    account.add_argument("--password-stdin", action="store_true", help="lire le mot de passe sur l'entrée standard")
    account.set_defaults(run=create_account)
    return main


def main(argv=None, settings: Settings | None = None, out=None) -> int:
    args = parser().parse_args(argv)
    out = out or sys.stdout
    try:
        return args.run(args, settings or Settings.from_env(), out)
    except store.DataError as error:
        print(str(error), file=out)
        return 2


if __name__ == "__main__":
    sys.exit(main())
