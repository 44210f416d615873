"""Imports of a city's own files: read them as French spreadsheets write them, check everything, then write one
new version in one transaction (or nothing at all).

Tables: CSV (separator ``;`` or ``,``, decimal comma, UTF-8 with or without BOM, or Windows-1252) and XLSX, one
file per template of ``dashboard.templates``. Boundaries: GeoJSON, GeoPackage or zipped Shapefile in any CRS, with
an IRIS → quartier mapping (a CSV or attributes of the boundary file). Every problem names the file, the line, the
column, the value found and what to do, in French.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from dashboard import database, versions
from dashboard.store import AGE_BANDS, INTEGER_COLUMNS, TABLES, Dataset
from dashboard.templates import (BOUNDARY_CODE_COLUMNS, BOUNDARY_NAME_COLUMNS, MAPPING_COLUMNS, TEMPLATES, Column,
                                 Template)

MAX_BYTES = 50 * 1024 * 1024
TABLE_SUFFIXES = (".csv", ".xlsx")
BOUNDARY_SUFFIXES = (".geojson", ".json", ".gpkg", ".zip")
MAX_PROBLEMS_PER_COLUMN = 20
SAVE_AS = "Enregistrez-le depuis le tableur en « CSV UTF-8 » ou « CSV (point-virgule) », ou en XLSX."


@dataclass(frozen=True)
class Upload:
    """A file as received: its name (which says which table it holds) and its bytes."""

    name: str
    content: bytes


@dataclass(frozen=True)
class Problem:
    """One reason an import cannot be written. ``line`` is the line in the file (1 = header), or None."""

    file: str
    message: str
    fix: str
    line: int | None = None
    column: str | None = None
    value: str | None = None

    def text(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"ligne {self.line}")
        if self.column is not None:
            where.append(f"colonne « {self.column} »")
        found = f" : valeur « {self.value} »" if self.value is not None else ""
        return f"{', '.join(where)}{found} — {self.message} {self.fix}".strip()


@dataclass
class Report:
    """What an import found and did."""

    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    tables: dict[str, int] = field(default_factory=dict)  # table → rows read
    dry_run: bool = False
    version_id: int | None = None
    published: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def text(self) -> str:
        lines = []
        if self.problems:
            lines.append(f"{len(self.problems)} erreur(s) : rien n'a été enregistré.")
            lines += [f"- {p.text()}" for p in self.problems]
        else:
            read = ", ".join(f"{name} ({rows} lignes)" for name, rows in self.tables.items())
            lines.append(f"Aucune erreur. Fichiers lus : {read}.")
            if self.dry_run:
                lines.append("Essai à blanc : rien n'a été enregistré.")
            elif self.version_id is not None:
                state = "publiée" if self.published else "enregistrée, pas encore publiée"
                lines.append(f"Version {self.version_id} {state}.")
        lines += [f"Attention : {w}" for w in self.warnings]
        return "\n".join(lines)


def run_import(engine, uploads: list[Upload], *, by: str, note: str = "", dry_run: bool = False,
               publish: bool = False, max_bytes: int = MAX_BYTES) -> Report:
    """Check ``uploads`` against the published version; unless ``dry_run`` or a problem, write a new version.

    Tables not uploaded are copied from the published version. The check and the write share one transaction
    holding the writer lock, so an import is checked against the version it builds on.
    """
    report = Report(dry_run=dry_run)
    with database.writing(engine) as connection:
        base_id = versions.published_version_id(connection)
        base = versions.load_version(connection, base_id)
        prepared = check(uploads, base, report, max_bytes=max_bytes)
        if not report.ok or dry_run:
            return report
        tables, sources, boundaries, files = prepared
        report.version_id = versions.save_version(
            connection, tables=tables, sources=sources, created_by=by, note=note, files=files,
            areas=boundaries[0] if boundaries else None, iris_shapes=boundaries[1] if boundaries else None,
            base_version_id=base_id, source_label=f"Données : {note}" if note else "",
        )
        if publish:
            versions.publish(connection, report.version_id, by=by)
            report.published = True
    return report


def check(uploads: list[Upload], base: Dataset, report: Report, *, max_bytes: int = MAX_BYTES):
    """Read and validate ``uploads`` as a change to ``base``; problems go to ``report``.

    Returns ``(tables, sources, boundaries, files)``: text tables by name, their provenance, ``(areas, iris_shapes)``
    or None, and the source files' metadata.
    """
    problems = report.problems
    tables: dict[str, pd.DataFrame] = {}
    sources: dict[str, versions.TableSource] = {}
    files = []
    boundary_uploads, mapping = [], None
    if not uploads:
        problems.append(Problem("(aucun fichier)", "Aucun fichier reçu.", "Choisissez au moins un fichier à importer."))

    for upload in uploads:
        suffix = Path(upload.name).suffix.lower()
        sha = hashlib.sha256(upload.content).hexdigest()
        if len(upload.content) > max_bytes:
            problems.append(Problem(
                upload.name, f"Fichier trop volumineux ({len(upload.content) / 1e6:.1f} Mo ; maximum "
                f"{max_bytes / 1e6:.1f} Mo).", "Découpez-le ou retirez les colonnes inutiles."))
            continue
        if suffix in BOUNDARY_SUFFIXES:
            boundary_uploads.append(upload)
            files.append({"file": upload.name, "table": "areas", "sha256": sha, "bytes": len(upload.content)})
            continue
        if suffix not in TABLE_SUFFIXES:
            problems.append(Problem(
                upload.name, f"Type de fichier non pris en charge ({suffix or 'sans extension'}).",
                "Tableaux : CSV ou XLSX ; découpage : GeoJSON, GeoPackage ou Shapefile zippé."))
            continue
        frame = read_table(upload, problems)
        if frame is None:
            continue
        name = table_of(upload.name, frame)
        if name is None:
            known = ", ".join(sorted(t.file for t in TEMPLATES.values()))
            problems.append(Problem(
                upload.name, "Nom de fichier qui ne correspond à aucun modèle.",
                f"Nommez le fichier comme son modèle ({known}) ou comme la correspondance IRIS → quartier "
                "(colonnes iris_code, quartier_code, quartier_name)."))
            continue
        if name == "mapping":
            mapping = (upload.name, frame)
            files.append({"file": upload.name, "table": "areas", "sha256": sha, "rows": len(frame)})
            continue
        if name in tables:
            problems.append(Problem(upload.name, f"Deux fichiers pour la table {name}.", "N'en gardez qu'un."))
            continue
        tables[name] = frame
        sources[name] = versions.TableSource(upload.name, sha)
        files.append({"file": upload.name, "table": name, "sha256": sha, "rows": len(frame)})

    boundaries = None
    if len(boundary_uploads) > 1:
        problems.append(Problem(boundary_uploads[1].name, "Un seul fichier de découpage par import.",
                                "Importez un seul fichier de découpage."))
    elif boundary_uploads:
        boundaries = read_boundaries(boundary_uploads[0], mapping, base, problems, report.warnings)
        digest = hashlib.sha256(b"".join(u.content for u in boundary_uploads) +
                                (mapping[1].to_csv().encode() if mapping else b"")).hexdigest()
        sources["areas"] = versions.TableSource(boundary_uploads[0].name, digest)
    elif mapping is not None:
        problems.append(Problem(mapping[0], "Correspondance IRIS → quartier sans fichier de découpage.",
                                "Importez-la avec le fichier des IRIS (GeoJSON, GeoPackage ou Shapefile zippé)."))

    areas = boundaries[0] if boundaries else base.areas
    for name, frame in list(tables.items()):
        tables[name] = validate_table(name, frame, sources[name].source, areas, problems)
    check_across(tables, sources, base, areas, problems)
    report.tables = {name: len(frame) for name, frame in tables.items()}
    if boundaries:
        report.tables["areas"] = len(boundaries[0])
    tables = {name: frame.drop(columns="line_in_file") for name, frame in tables.items()}
    return tables, sources, boundaries, files


def table_of(filename: str, frame: pd.DataFrame) -> str | None:
    """The table a file holds, from its name (``population.csv``, ``population.xlsx``, ``population``…)."""
    stem = Path(filename).stem.lower()
    for name, template in TEMPLATES.items():
        if stem in (Path(template.file).stem.lower(), name):
            return name
    for name, spec in TABLES.items():
        if stem in (Path(spec[0]).stem.lower(), name):
            return name
    headers = {c.lower() for c in frame.columns}
    if all(any(a.lower() in headers for a in aliases) for key, aliases in MAPPING_COLUMNS.items()
           if key != "quartier_name"):
        return "mapping"
    return None


# ---------------------------------------------------------------------------------------------------------- reading

def read_table(upload: Upload, problems: list[Problem]) -> pd.DataFrame | None:
    """The file's cells as text (one column per header, ``line_in_file`` = line in the file), or None with a problem."""
    name = upload.name
    if not upload.content.strip():
        problems.append(Problem(name, "Le fichier est vide.", "Exportez à nouveau le tableau, avec sa ligne d'en-tête."))
        return None
    if name.lower().endswith(".xlsx"):
        try:
            frame = pd.read_excel(io.BytesIO(upload.content), dtype=str, keep_default_na=False, sheet_name=0)
        except Exception as error:  # openpyxl raises many kinds on a damaged file
            problems.append(Problem(name, f"Classeur XLSX illisible ({type(error).__name__}).",
                                    "Ouvrez-le dans le tableur et enregistrez-le à nouveau en XLSX ou en CSV."))
            return None
        frame.columns = [str(c).strip() for c in frame.columns]
        frame = frame.map(lambda v: v.strip() if isinstance(v, str) else v)
        rows = frame.values.tolist()
        header = list(frame.columns)
        lines = list(range(2, len(rows) + 2))
    else:
        text = _decode(upload, problems)
        if text is None:
            return None
        first = text.split("\n", 1)[0]
        separator = max((";", ",", "\t"), key=first.count)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
        header, rows, lines = None, [], []
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            if header is None:
                header = [cell.strip() for cell in record]
                width = len(header)
                continue
            if len(record) != width:
                problems.append(Problem(
                    name, f"{len(record)} valeurs au lieu de {width} (une par colonne de l'en-tête).",
                    f"Vérifiez les séparateurs « {separator} » et les guillemets de cette ligne.",
                    line=reader.line_num))
                continue
            rows.append([cell.strip() for cell in record])
            lines.append(reader.line_num)
        if header is None:
            problems.append(Problem(name, "Le fichier est vide.", "Exportez à nouveau le tableau, avec sa ligne d'en-tête."))
            return None
    duplicated = [c for c, n in Counter(header).items() if n > 1]
    if duplicated:
        problems.append(Problem(name, "Colonne présente deux fois dans l'en-tête.",
                                "Renommez ou supprimez l'une des deux.", line=1, column=duplicated[0]))
        return None
    if not rows:
        problems.append(Problem(name, "Aucune ligne de données sous l'en-tête.",
                                "Ajoutez les données, ou n'importez pas ce fichier."))
        return None
    frame = pd.DataFrame(rows, columns=header, dtype=object).fillna("").astype(str)
    frame["line_in_file"] = lines
    return frame


def _decode(upload: Upload, problems: list[Problem]) -> str | None:
    content = upload.content
    if content[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in content[:4096]:
        problems.append(Problem(upload.name, "Encodage non pris en charge (UTF-16 ?).", SAVE_AS))
        return None
    if content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1252")  # Excel's « CSV (séparateur : point-virgule) » in France
        except UnicodeDecodeError as error:
            line = content[:error.start].count(b"\n") + 1
            problems.append(Problem(
                upload.name, "Caractère illisible : ni UTF-8 ni Windows-1252.", SAVE_AS, line=line,
                value=content[error.start:error.start + 1].hex(" ").upper()))
            return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


# ------------------------------------------------------------------------------------------------------- validation

def _template(name: str) -> Template:
    """The table's template, or one made from ``store.TABLES`` for a table added without a template."""
    if name in TEMPLATES:
        return TEMPLATES[name]
    filename, required = TABLES[name]
    integers = set(INTEGER_COLUMNS.get(name, []))
    columns = tuple(Column(c, "count" if c in integers else "text", c) for c in required)
    return Template(name, filename, name, keys=(), columns=columns, example="")


def validate_table(name: str, frame: pd.DataFrame, file: str, areas: pd.DataFrame,
                   problems: list[Problem]) -> pd.DataFrame:
    """Check every cell and row of one table; return it with canonical cells (``12.5``, ``2020``, ``F``)."""
    template = _template(name)
    lookup = {c.lower(): c for c in frame.columns}
    renamed = {}
    for column in template.columns:
        found = lookup.get(column.name.lower())
        if found is None:
            if column.required:
                problems.append(Problem(
                    file, "Colonne obligatoire absente.",
                    f"Ajoutez la colonne « {column.name} » ({column.meaning}) : voir le modèle {template.file}.",
                    line=1, column=column.name))
            continue
        renamed[found] = column.name
    if any(p.file == file and p.line == 1 for p in problems):
        return frame
    frame = frame.rename(columns=renamed)
    for column in template.columns:
        if column.name not in frame.columns:
            frame[column.name] = ""

    iris_codes = set(areas.loc[areas["level"] == "iris", "code"])
    area_codes = set(areas["code"])
    before = len(problems)
    for column in template.columns:
        shown = 0
        values = frame[column.name].tolist()
        canonical = []
        for value, line in zip(values, frame["line_in_file"]):
            clean, message, fix = _check_cell(column, value, iris_codes, area_codes)
            canonical.append(clean)
            if message is not None:
                if shown < MAX_PROBLEMS_PER_COLUMN:
                    problems.append(Problem(file, message, fix, line=line, column=column.name, value=value))
                shown += 1
        if shown > MAX_PROBLEMS_PER_COLUMN:
            problems.append(Problem(file, f"… et {shown - MAX_PROBLEMS_PER_COLUMN} autre(s) erreur(s) dans cette "
                                    "colonne.", "Corrigez la colonne entière.", column=column.name))
        frame[column.name] = canonical

    if template.keys:
        duplicated = frame[frame.duplicated(list(template.keys), keep=False)]
        first_line, shown = {}, 0
        for row in duplicated.itertuples(index=False):
            key = tuple(getattr(row, k) for k in template.keys)
            if key in first_line:
                shown += 1
                if shown > MAX_PROBLEMS_PER_COLUMN:
                    continue
                problems.append(Problem(
                    file, f"Ligne en double : même {', '.join(template.keys)} que la ligne {first_line[key]}.",
                    "Supprimez l'une des deux lignes ou corrigez la clé.", line=row.line_in_file,
                    column=template.keys[0], value=" ; ".join(key)))
            else:
                first_line[key] = row.line_in_file
        if shown > MAX_PROBLEMS_PER_COLUMN:
            problems.append(Problem(file, f"… et {shown - MAX_PROBLEMS_PER_COLUMN} autre(s) ligne(s) en double.",
                                    "Supprimez les lignes en double.", column=template.keys[0]))
    _check_rows(name, frame, file, problems, cells_ok=len(problems) == before)
    ordered = [c.name for c in template.columns] + [c for c in frame.columns
                                                     if c not in {c.name for c in template.columns} | {"line_in_file"}]
    return frame[ordered + ["line_in_file"]]


_PERIOD = re.compile(r"^(\d{4})-(\d{4})$")
_BAND = re.compile(r"^(\d{1,2})\s*-\s*(\d{1,2})$|^(\d{1,2})\s*\+$")
_SPACES = re.compile(r"[\s\u00a0\u202f]")


def _number_text(value: str) -> str:
    return _SPACES.sub("", value).replace(",", ".")


def _check_cell(column: Column, value: str, iris_codes, area_codes):
    """``(canonical value, problem message or None, what to do)`` for one cell."""
    kind = column.kind
    if value == "":
        if column.required and kind not in ("text",) or (kind == "text" and column.required):
            return value, "Valeur manquante.", f"Renseignez {column.meaning}."
        return value, None, ""
    if kind == "count":
        text = _number_text(value)
        if re.fullmatch(r"\d+(\.0+)?", text):
            return str(int(float(text))), None, ""
        if re.fullmatch(r"-\d+([.]\d+)?", text):
            return value, "Un effectif ne peut pas être négatif.", "Indiquez un nombre entier positif ou nul."
        if re.fullmatch(r"\d+[.]\d+", text):
            return value, "Un effectif est un nombre entier.", "Retirez la partie décimale (pas d'arrondi implicite)."
        return value, "Ce n'est pas un nombre.", "Indiquez un nombre entier positif ou nul, sans texte ni unité."
    if kind == "decimal":
        text = _number_text(value)
        try:
            number = float(text)
        except ValueError:
            return value, "Ce n'est pas un nombre.", "Indiquez un nombre (virgule ou point décimal), sans unité."
        if number != number or number in (float("inf"), float("-inf")):
            return value, "Ce n'est pas un nombre.", "Indiquez un nombre fini."
        if (column.low is not None and number < column.low) or (column.high is not None and number > column.high):
            return value, f"Valeur hors de l'intervalle attendu [{column.low} ; {column.high}].", \
                f"Vérifiez l'unité : {column.unit or column.meaning}."
        return repr(number), None, ""
    if kind == "year":
        text = _number_text(value)
        if re.fullmatch(r"\d{4}(\.0+)?", text) and 1900 <= int(float(text)) <= 2100:
            return str(int(float(text))), None, ""
        return value, "Année invalide.", "Indiquez une année sur 4 chiffres (ex. 2020)."
    if kind in ("period", "school_year"):
        match = _PERIOD.match(value.replace(" ", "").replace("/", "-") if kind == "school_year" else value)
        if match is None:
            example = "2018-2023" if kind == "period" else "2023-2024"
            return value, "Période mal écrite.", f"Écrivez « AAAA-AAAA », par exemple {example}."
        start, end = int(match.group(1)), int(match.group(2))
        if kind == "period" and start > end:
            return value, "Période à l'envers (début après la fin).", "Écrivez l'année de début d'abord."
        if kind == "school_year" and end != start + 1:
            return value, "Année scolaire invalide (deux années consécutives attendues).", "Exemple : 2023-2024."
        return f"{start}-{end}", None, ""
    if kind == "date":
        text = value[:10] if re.fullmatch(r"\d{4}-\d{2}-\d{2}( 00:00:00)?", value) else value
        match = re.fullmatch(r"(\d{2})/(\d{2})/(\d{4})", text)
        if match:
            text = f"{match.group(3)}-{match.group(2)}-{match.group(1)}"
        try:
            return date.fromisoformat(text).isoformat(), None, ""
        except ValueError:
            return value, "Date invalide.", "Écrivez la date JJ/MM/AAAA ou AAAA-MM-JJ, ou laissez vide."
    if kind in ("enum", "sex"):
        allowed = {a.lower(): a for a in column.allowed}
        if value.lower() in allowed:
            return allowed[value.lower()], None, ""
        return value, "Valeur non autorisée.", f"Valeurs possibles : {', '.join(column.allowed)}."
    if kind == "age_band":
        match = _BAND.match(value)
        if match is None:
            return value, "Tranche d'âge mal écrite.", "Écrivez « 00-04 », « 05-09 », …, « 85-89 » ou « 90+ »."
        band = f"{int(match.group(1)):02d}-{int(match.group(2)):02d}" if match.group(1) else f"{int(match.group(3))}+"
        return band, None, ""
    if kind == "iris":
        if len(value) != 9:
            return value, "Un code IRIS a 9 caractères.", "Vérifiez que les zéros en tête n'ont pas été perdus " \
                "(format de cellule « Texte » dans le tableur)."
        if value not in iris_codes:
            return value, "Code IRIS inconnu du découpage.", "Corrigez le code, ou importez le découpage qui le contient."
        return value, None, ""
    if kind == "area":
        if value not in area_codes:
            return value, "Code de territoire inconnu (ni IRIS, ni quartier, ni commune).", \
                "Utilisez un code du découpage importé."
        return value, None, ""
    return value, None, ""


def _band_range(band: str) -> tuple[int, int]:
    if band.endswith("+"):
        return int(band[:-1]), 200
    low, high = band.split("-")
    return int(low), int(high)


def _check_rows(name: str, frame: pd.DataFrame, file: str, problems: list[Problem], cells_ok: bool) -> None:
    """Checks across the cells of one row or one group of rows (groups only when every cell is well formed)."""
    pairs = {"screenings": [("caries_untreated", "screened"), ("overweight", "screened")],
             "gp_practices": [("gps_60plus", "gps")]}
    for part, whole in pairs.get(name, []):
        for row in frame.itertuples(index=False):
            a, b = getattr(row, part), getattr(row, whole)
            if a.isdigit() and b.isdigit() and int(a) > int(b):
                problems.append(Problem(file, f"Plus grand que « {whole} » ({b}) sur la même ligne.",
                                        f"« {part} » compte une partie de « {whole} » : corrigez l'une des deux.",
                                        line=row.line_in_file, column=part, value=a))
    if {"start_year", "end_year"} <= set(frame.columns):
        for row in frame.itertuples(index=False):
            if row.start_year.isdigit() and row.end_year.isdigit() and int(row.start_year) > int(row.end_year):
                problems.append(Problem(file, f"Fin avant le début ({row.start_year}).",
                                        "Corrigez start_year ou end_year.", line=row.line_in_file, column="end_year",
                                        value=row.end_year))
    if name in ("population", "deaths") and cells_ok:
        _check_age_bands(name, frame, file, problems)


def _check_age_bands(name: str, frame: pd.DataFrame, file: str, problems: list[Problem]) -> None:
    group = ["iris_code", "year" if name == "population" else "period", "sex"]
    valid = frame[frame["age_band"].map(lambda b: _BAND.match(b) is not None)]
    reported = 0
    for key, rows in valid.groupby(group, sort=False):
        bands = sorted(((_band_range(b), b, line) for b, line in zip(rows["age_band"], rows["line_in_file"])))
        overlap = next(((b, line, prev) for (r, b, line), (pr, prev, _) in zip(bands[1:], bands[:-1])
                        if r[0] <= pr[1] and b != prev), None)
        if overlap:
            problems.append(Problem(file, f"Tranches d'âge qui se chevauchent : « {overlap[2]} » et « {overlap[0]} » "
                                    f"pour {' / '.join(key)}.",
                                    "Utilisez les 19 tranches quinquennales sans recouvrement (00-04 … 90+).",
                                    line=overlap[1], column="age_band", value=overlap[0]))
            reported += 1
        else:
            present = {b for _, b, _ in bands}
            odd = sorted(present - set(AGE_BANDS))
            missing = [b for b in AGE_BANDS if b not in present]
            if odd:
                line = next(line for _, b, line in bands if b == odd[0])
                problems.append(Problem(file, "Tranche d'âge non standard.",
                                        "Utilisez les 19 tranches quinquennales (00-04, 05-09, …, 85-89, 90+).",
                                        line=line, column="age_band", value=odd[0]))
                reported += 1
            elif missing:
                problems.append(Problem(file, f"Tranche(s) d'âge manquante(s) pour {' / '.join(key)} : "
                                        f"{', '.join(missing[:5])}{' …' if len(missing) > 5 else ''}.",
                                        "Ajoutez une ligne par tranche (0 si personne).",
                                        line=int(rows["line_in_file"].iloc[0]), column="age_band"))
                reported += 1
        if reported >= MAX_PROBLEMS_PER_COLUMN:
            return


def check_across(tables: dict, sources: dict, base: Dataset, areas: pd.DataFrame, problems: list[Problem]) -> None:
    """References between tables and deaths against population, on the version the import would make."""
    if any(p.file in {s.source for s in sources.values()} for p in problems):
        return  # cells are wrong already: cross checks would only repeat them
    def values(table: str, column: str) -> set:
        frame = tables.get(table)
        if frame is None:
            frame = base.tables.get(table)
        return set() if frame is None or column not in frame.columns else set(frame[column].astype(str))

    for name, frame in tables.items():
        for column in _template(name).columns:
            if not column.references:
                continue
            known = values(*column.references)
            for value, line in zip(frame[column.name], frame["line_in_file"]):
                if value and value not in known:
                    target = TEMPLATES[column.references[0]].file
                    problems.append(Problem(sources[name].source, f"Inconnu dans {target} ({column.references[1]}).",
                                            f"Corrigez la valeur ou importez aussi {target}.", line=line,
                                            column=column.name, value=value))
    # Tables kept from the published version must still fit new boundaries.
    iris_codes = set(areas.loc[areas["level"] == "iris", "code"])
    if "areas" in sources:
        for name in ("population", "deaths", "gp_practices", "screenings"):
            if name in tables or name not in base.tables:
                continue
            unknown = sorted(set(base.tables[name]["iris_code"]) - iris_codes)
            if unknown:
                problems.append(Problem(
                    f"{TABLES[name][0]} (version publiée)", "Codes IRIS absents du nouveau découpage.",
                    f"Importez aussi {TABLES[name][0]} avec les codes de ce découpage.", column="iris_code",
                    value=", ".join(unknown[:5]) + (" …" if len(unknown) > 5 else "")))
    _check_deaths_against_population(tables, sources, base, problems)


def _check_deaths_against_population(tables, sources, base, problems) -> None:
    if "deaths" not in tables and "population" not in tables:
        return
    deaths = tables.get("deaths")
    deaths = deaths.assign(deaths=deaths["deaths"].astype(int)) if deaths is not None else \
        base.tables["deaths"].assign(line_in_file=None)
    population = tables.get("population")
    population = population.assign(population=population["population"].astype(int),
                                   year=population["year"].astype(int)) if population is not None else \
        base.tables["population"]
    file = sources["deaths"].source if "deaths" in sources else f"{TABLES['deaths'][0]} (version publiée)"
    for period in deaths["period"].unique():
        start, end = (int(y) for y in period.split("-"))
        years = population[(population["year"] >= start) & (population["year"] <= end)]
        if years.empty:
            continue
        person_years = years.groupby(["iris_code", "sex", "age_band"])["population"].sum()
        rows = deaths[deaths["period"] == period].join(person_years.rename("person_years"),
                                                       on=["iris_code", "sex", "age_band"])
        for row in rows[rows["deaths"] > rows["person_years"].fillna(float("inf"))].head(MAX_PROBLEMS_PER_COLUMN) \
                .itertuples(index=False):
            problems.append(Problem(
                file, f"Plus de décès que la population cumulée de la période ({int(row.person_years)} "
                f"personnes-années pour {row.iris_code} / {row.sex} / {row.age_band}).",
                "Vérifiez les décès et la population de cet IRIS (colonnes inversées ? mauvais IRIS ?).",
                line=row.line_in_file, column="deaths", value=str(row.deaths)))


# ------------------------------------------------------------------------------------------------------- boundaries

def read_boundaries(upload: Upload, mapping, base: Dataset, problems: list[Problem], warnings: list[str]):
    """``(areas, iris_shapes)`` built from a boundary file and its IRIS → quartier mapping, or None."""
    name = upload.name
    shapes = raw = _read_geofile(upload, problems)
    if shapes is None:
        return None
    if shapes.empty:
        problems.append(Problem(name, "Aucun polygone dans le fichier.", "Exportez la couche des IRIS avec ses entités."))
        return None
    minx, miny, maxx, maxy = shapes.total_bounds
    in_degrees = -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90
    # A GeoJSON without "crs" is read as WGS84 (its standard); projected metres in it mean a CRS was lost.
    if shapes.crs is None or (shapes.crs.is_geographic and not in_degrees):
        if in_degrees:
            shapes = shapes.set_crs(4326)
            warnings.append(f"{name} : pas de système de coordonnées déclaré, WGS84 (longitude, latitude) supposé.")
        else:
            problems.append(Problem(name, "Système de coordonnées absent et coordonnées qui ne sont pas en degrés.",
                                    "Joignez le fichier .prj au Shapefile, ou exportez en GeoPackage (Lambert-93 "
                                    "EPSG:2154 convient)."))
            return None
    code_col = next((c for c in BOUNDARY_CODE_COLUMNS if c in shapes.columns), None)
    name_col = next((c for c in BOUNDARY_NAME_COLUMNS if c in shapes.columns), None)
    if code_col is None or name_col is None:
        missing = "CODE_IRIS" if code_col is None else "NOM_IRIS"
        problems.append(Problem(name, "Attribut obligatoire absent.",
                                "Il faut le code (CODE_IRIS) et le nom (NOM_IRIS) de chaque IRIS, comme dans "
                                "CONTOURS-IRIS de l'IGN.", column=missing))
        return None
    codes = shapes[code_col].astype(str).str.strip()
    before = len(problems)
    prefixes = Counter(c[:5] for c in codes)
    commune_code = prefixes.most_common(1)[0][0]
    seen = {}
    for number, code in enumerate(codes, start=1):
        if len(code) != 9 or not code.isalnum():
            problems.append(Problem(name, "Un code IRIS a 9 caractères (code commune + 4).",
                                    "Vérifiez l'attribut CODE_IRIS (zéros en tête perdus ?).", line=number,
                                    column=code_col, value=code))
        elif code[:5] != commune_code:
            problems.append(Problem(name, f"IRIS d'une autre commune que {commune_code}.",
                                    "N'importez que les IRIS de la commune.", line=number, column=code_col, value=code))
        elif code in seen:
            problems.append(Problem(name, f"IRIS en double (déjà entité {seen[code]}).",
                                    "Fusionnez ou supprimez l'une des deux entités.", line=number, column=code_col,
                                    value=code))
        seen.setdefault(code, number)
    geometries = []
    for number, (code, geometry) in enumerate(zip(codes, shapes.geometry), start=1):
        fixed, message = _repaired(geometry)
        if message is not None:
            problems.append(Problem(name, message, "Réparez-la dans QGIS (Vecteur › Outils de géométrie › Réparer "
                                    "les géométries) puis importez à nouveau.", line=number, column="geometry",
                                    value=code))
        elif fixed is not geometry:
            warnings.append(f"{name} : géométrie de l'IRIS {code} invalide, réparée automatiquement.")
        geometries.append(fixed)
    if len(problems) > before:
        return None
    shapes = gpd.GeoDataFrame({"code": codes, "name": shapes[name_col].astype(str).str.strip()},
                              geometry=geometries, crs=shapes.crs).to_crs(4326)

    if mapping is not None:
        links = _mapping_frame(mapping, problems)
    else:
        links = _mapping_from_attributes(name, shapes, raw, problems)
    if links is None:
        return None
    mapping_file = mapping[0] if mapping is not None else name
    known = dict(zip(links["iris_code"], zip(links["quartier_code"], links["quartier_name"], links["line_in_file"])))
    for number, code in enumerate(shapes["code"], start=1):
        if code not in known:
            problems.append(Problem(mapping_file, "IRIS sans quartier dans la correspondance.",
                                    f"Ajoutez une ligne pour l'IRIS {code} (entité {number} de {name}).",
                                    column="iris_code", value=code))
    for code, (_, _, line) in known.items():
        if code not in set(shapes["code"]):
            problems.append(Problem(mapping_file, "IRIS absent du fichier de découpage.",
                                    f"Supprimez cette ligne ou corrigez le code (voir {name}).", line=line,
                                    column="iris_code", value=code))
    if len(problems) > before:
        return None

    quartiers = links.drop_duplicates("quartier_code")[["quartier_code", "quartier_name"]].copy()
    duplicated = quartiers["quartier_name"].duplicated(keep=False)
    quartiers.loc[duplicated, "quartier_name"] += " (" + quartiers.loc[duplicated, "quartier_code"] + ")"
    commune_name = _commune_name(raw, commune_code, base)
    iris = shapes[["code", "name"]].assign(parent_code=[known[c][0] for c in shapes["code"]])
    areas = pd.concat([
        pd.DataFrame([{"code": commune_code, "name": commune_name, "level": "commune", "parent_code": ""}]),
        pd.DataFrame({"code": quartiers["quartier_code"], "name": quartiers["quartier_name"], "level": "quartier",
                      "parent_code": commune_code}),
        pd.DataFrame({"code": iris["code"], "name": iris["name"], "level": "iris", "parent_code": iris["parent_code"]}),
    ], ignore_index=True)
    return areas, shapes[["code", "name", "geometry"]].reset_index(drop=True)


def _read_geofile(upload: Upload, problems: list[Problem]):
    suffix = Path(upload.name).suffix.lower()
    try:
        if suffix in (".geojson", ".json"):
            return gpd.read_file(io.BytesIO(upload.content))
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"upload{suffix}"
            path.write_bytes(upload.content)
            return gpd.read_file(f"zip://{path}" if suffix == ".zip" else path)
    except Exception as error:  # pyogrio raises DataSourceError and others on unreadable files
        problems.append(Problem(upload.name, f"Fichier de découpage illisible ({type(error).__name__}).",
                                "Exportez la couche depuis QGIS en GeoJSON, GeoPackage ou Shapefile zippé "
                                "(avec .shp, .shx, .dbf et .prj)."))
        return None


def _repaired(geometry):
    """``(geometry, None)`` when valid or safely repaired, ``(geometry, French message)`` otherwise."""
    if geometry is None or geometry.is_empty:
        return geometry, "Géométrie vide."
    if geometry.geom_type not in ("Polygon", "MultiPolygon"):
        return geometry, f"Géométrie de type {geometry.geom_type} : un IRIS est un polygone."
    if geometry.is_valid:
        return geometry, None
    fixed = shapely.make_valid(geometry)
    if fixed.geom_type == "GeometryCollection":
        fixed = shapely.union_all([g for g in fixed.geoms if g.geom_type in ("Polygon", "MultiPolygon")])
    if fixed.is_empty or fixed.geom_type not in ("Polygon", "MultiPolygon"):
        return geometry, "Géométrie invalide qu'on ne peut pas réparer sans risque."
    # Safe only when two repair methods agree: a ring crossing itself (a bow tie) has no single right answer.
    other = geometry.buffer(0)
    if fixed.symmetric_difference(other).area > 0.01 * max(fixed.area, 1e-12):
        return geometry, "Géométrie invalide (contour qui se recoupe) qu'on ne peut pas réparer sans risque."
    return fixed, None


def _mapping_frame(mapping, problems: list[Problem]):
    file, frame = mapping
    lookup = {c.lower(): c for c in frame.columns}
    renamed = {}
    for key, aliases in MAPPING_COLUMNS.items():
        found = next((lookup[a.lower()] for a in aliases if a.lower() in lookup), None)
        if found is None and key != "quartier_name":
            problems.append(Problem(file, "Colonne obligatoire absente.",
                                    f"Ajoutez la colonne « {key} » (ou {', '.join(aliases[1:])}).", line=1, column=key))
            return None
        if found is not None:
            renamed[found] = key
    frame = frame.rename(columns=renamed)
    if "quartier_name" not in frame.columns:
        frame["quartier_name"] = "Quartier " + frame["quartier_code"]
    empty = frame[(frame["iris_code"] == "") | (frame["quartier_code"] == "")]
    for row in empty.itertuples(index=False):
        problems.append(Problem(file, "Code IRIS ou code de quartier manquant.", "Renseignez les deux codes.",
                                line=row.line_in_file, column="quartier_code", value=""))
    duplicated = frame[frame.duplicated("iris_code", keep="first")]
    for row in duplicated.itertuples(index=False):
        problems.append(Problem(file, "IRIS rattaché deux fois.", "Un IRIS appartient à un seul quartier : gardez "
                                "une ligne.", line=row.line_in_file, column="iris_code", value=row.iris_code))
    if not empty.empty or not duplicated.empty:
        return None
    return frame[["iris_code", "quartier_code", "quartier_name", "line_in_file"]]


def _mapping_from_attributes(name, shapes, raw, problems: list[Problem]):
    columns = {c.lower(): c for c in raw.columns}
    code = next((columns[a.lower()] for a in MAPPING_COLUMNS["quartier_code"] if a.lower() in columns), None)
    if code is None:
        problems.append(Problem(name, "Pas de correspondance IRIS → quartier.",
                                "Ajoutez un attribut quartier_code (et quartier_name) au découpage, ou importez un CSV "
                                "iris_code ; quartier_code ; quartier_name avec lui."))
        return None
    label = next((columns[a.lower()] for a in MAPPING_COLUMNS["quartier_name"] if a.lower() in columns), None)
    codes = raw[code].astype(str).str.strip()
    return pd.DataFrame({"iris_code": shapes["code"], "quartier_code": codes,
                         "quartier_name": raw[label].astype(str).str.strip() if label else "Quartier " + codes,
                         "line_in_file": range(1, len(shapes) + 1)})


def _commune_name(raw, commune_code: str, base: Dataset) -> str:
    if "NOM_COM" in raw.columns:
        return str(raw["NOM_COM"].iloc[0])
    if base.commune["code"] == commune_code:
        return str(base.commune["name"])
    return f"Commune {commune_code}"
