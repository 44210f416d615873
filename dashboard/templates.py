"""Import templates: for each table a city can load, its columns, their types, units and allowed values.

The validation of imports (``dashboard.imports``) and the documentation (docs/import-templates.md) both read these
definitions. A table of ``store.TABLES`` without a template here is still importable: its required columns come
from ``store.TABLES`` and its integer columns from ``store.INTEGER_COLUMNS`` (non-negative whole numbers).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dashboard.store import AGE_BANDS, SEXES


@dataclass(frozen=True)
class Column:
    """One column of a template.

    kind: ``iris`` (IRIS code of the boundaries), ``area`` (any area code), ``code``, ``text``, ``count``
    (whole number ≥ 0), ``year``, ``decimal``, ``enum``, ``period`` (``AAAA-AAAA``), ``school_year``
    (``AAAA-AAAA``, consecutive years), ``date`` (``AAAA-MM-JJ``), ``age_band``, ``sex``.
    """

    name: str
    kind: str
    meaning: str
    required: bool = True  # False: the column may be absent and its cells empty
    allowed: tuple = ()
    low: float | None = None
    high: float | None = None
    unit: str = ""
    references: tuple = ()  # (table, column) the value must exist in


@dataclass(frozen=True)
class Template:
    table: str
    file: str
    title: str
    keys: tuple  # columns that identify a row (no two rows may share them)
    columns: tuple
    example: str
    notes: str = ""
    aliases: dict = field(default_factory=dict)  # other header spellings accepted → column


def _iris(meaning="code IRIS (9 caractères, INSEE)"):
    return Column("iris_code", "iris", meaning)


_SEX = Column("sex", "sex", "sexe", allowed=SEXES)
_AGE = Column("age_band", "age_band", "tranche d'âge quinquennale", allowed=AGE_BANDS, unit="années")

TEMPLATES = {
    "population": Template(
        "population", "population.csv", "Population par IRIS, année, sexe et âge",
        keys=("iris_code", "year", "sex", "age_band"),
        columns=(_iris(), Column("year", "year", "année du recensement (1er janvier)"), _SEX, _AGE,
                 Column("population", "count", "habitants", unit="personnes")),
        example="iris_code;year;sex;age_band;population\n682240101;2020;F;00-04;52",
        notes="Les 19 tranches d'âge doivent toutes être présentes pour chaque IRIS, année et sexe.",
    ),
    "deaths": Template(
        "deaths", "deaths.csv", "Décès par IRIS, période, sexe et âge",
        keys=("iris_code", "period", "sex", "age_band"),
        columns=(_iris("IRIS de résidence"), Column("period", "period", "période (années incluses)"), _SEX, _AGE,
                 Column("deaths", "count", "décès sur toute la période", unit="personnes")),
        example="iris_code;period;sex;age_band;deaths\n682240101;2018-2023;M;60-64;4",
        notes="Les décès ne peuvent dépasser la population cumulée des années de la période (population.csv).",
    ),
    "reference_rates": Template(
        "reference_rates", "reference_rates.csv", "Taux de mortalité de référence",
        keys=("reference", "period", "sex", "age_band"),
        columns=(Column("reference", "enum", "population de référence", allowed=("france",)),
                 Column("period", "period", "période"), _SEX, _AGE,
                 Column("rate", "decimal", "décès par personne et par an", low=0, high=1, unit="décès/personne-année")),
        example="reference;period;sex;age_band;rate\nfrance;2018-2023;M;60-64;0,0108",
    ),
    "gp_practices": Template(
        "gp_practices", "gp_practices.csv", "Médecins généralistes par cabinet et année",
        keys=("practice_id", "year"),
        columns=(Column("practice_id", "code", "identifiant du cabinet, stable d'une année à l'autre"),
                 Column("year", "year", "année"), Column("name", "text", "nom du cabinet"),
                 Column("kind", "enum", "type", allowed=("cabinet", "msp", "centre_sante")), _iris("IRIS du cabinet"),
                 Column("lon", "decimal", "longitude WGS84", low=-180, high=180, unit="degrés"),
                 Column("lat", "decimal", "latitude WGS84", low=-90, high=90, unit="degrés"),
                 Column("gps", "count", "médecins généralistes", unit="médecins"),
                 Column("gps_60plus", "count", "dont âgés de 60 ans ou plus (≤ gps)", unit="médecins")),
        example="practice_id;year;name;kind;iris_code;lon;lat;gps;gps_60plus\n"
                "P001;2024;Cabinet du Centre;cabinet;682240101;7,3389;47,7475;3;1",
    ),
    "screenings": Template(
        "screenings", "school_screenings.csv", "Bilans de santé des enfants de grande section",
        keys=("iris_code", "school_year"),
        columns=(_iris("IRIS de résidence des enfants"),
                 Column("school_year", "school_year", "année scolaire"),
                 Column("screened", "count", "enfants vus", unit="enfants"),
                 Column("caries_untreated", "count", "dont au moins une carie non soignée (≤ screened)", unit="enfants"),
                 Column("overweight", "count", "dont en surpoids ou obèses (≤ screened)", unit="enfants")),
        example="iris_code;school_year;screened;caries_untreated;overweight\n682240101;2023-2024;31;6;4",
    ),
    "catalogue": Template(
        "catalogue", "indicators.csv", "Catalogue des indicateurs",
        keys=("id",),
        columns=(Column("id", "code", "identifiant"), Column("label", "text", "libellé complet"),
                 Column("short_label", "text", "libellé court"), Column("definition", "text", "définition"),
                 Column("unit", "text", "unité affichée"),
                 Column("polarity", "enum", "sens favorable",
                        allowed=("lower_is_better", "higher_is_better", "neutral")),
                 Column("source", "text", "source des données")),
        example="id;label;short_label;definition;unit;polarity;source\n"
                "icm;Mortalité générale;Mortalité;Indice comparatif de mortalité;indice;lower_is_better;CépiDc",
        notes="Les identifiants sont ceux que l'application sait calculer (icm, icm_premature, gp_density, "
              "gp_60plus, child_caries, child_overweight).",
    ),
    "contracts": Template(
        "contracts", "cls_contracts.csv", "Contrats locaux de santé",
        keys=("contract_id",),
        columns=(Column("contract_id", "code", "identifiant"), Column("name", "text", "nom"),
                 Column("territory", "text", "territoire"),
                 Column("signed_on", "date", "date de signature", required=False),
                 Column("start_year", "year", "première année"), Column("end_year", "year", "dernière année")),
        example="contract_id;name;territory;signed_on;start_year;end_year\ncls3;CLS 3;Ville de Mulhouse;;2023;2028",
    ),
    "axes": Template(
        "axes", "cls_axes.csv", "Axes des contrats",
        keys=("axis_id",),
        columns=(Column("contract_id", "code", "contrat", references=("contracts", "contract_id")),
                 Column("axis_id", "code", "identifiant de l'axe"), Column("number", "count", "numéro dans le contrat"),
                 Column("name", "text", "nom"), Column("objective", "text", "objectif", required=False)),
        example="contract_id;axis_id;number;name;objective\ncls3;cls3-1;1;Prévenir;",
    ),
    "axis_indicators": Template(
        "axis_indicators", "cls_axis_indicators.csv", "Indicateurs suivis par axe",
        keys=("axis_id", "indicator_id"),
        columns=(Column("contract_id", "code", "contrat", references=("contracts", "contract_id")),
                 Column("axis_id", "code", "axe", references=("axes", "axis_id")),
                 Column("indicator_id", "code", "indicateur", references=("catalogue", "id"))),
        example="contract_id;axis_id;indicator_id\ncls3;cls3-1;child_caries",
    ),
    "actions": Template(
        "actions", "cls_actions.csv", "Actions des contrats",
        keys=("action_id",),
        columns=(Column("action_id", "code", "identifiant"),
                 Column("contract_id", "code", "contrat", references=("contracts", "contract_id")),
                 Column("axis_id", "code", "axe", references=("axes", "axis_id")),
                 Column("title", "text", "titre"),
                 Column("description", "text", "description", required=False),
                 Column("lead", "text", "structure pilote"),
                 Column("partners", "text", "partenaires séparés par ;", required=False),
                 Column("target_public", "text", "public visé", required=False),
                 Column("start_year", "year", "première année"), Column("end_year", "year", "dernière année"),
                 Column("status", "enum", "état", allowed=("prevue", "en_cours", "realisee", "abandonnee")),
                 Column("budget_eur", "decimal", "budget total", required=False, low=0, unit="euros"),
                 Column("indicator_ids", "text", "indicateurs visés séparés par ;", required=False)),
        example="action_id;contract_id;axis_id;title;lead;start_year;end_year;status\n"
                "cls3-a01;cls3;cls3-1;Fini les caries !;Ville de Mulhouse;2023;2028;en_cours",
    ),
    "action_areas": Template(
        "action_areas", "cls_action_areas.csv", "Territoires des actions",
        keys=("action_id", "area_code"),
        columns=(Column("action_id", "code", "action", references=("actions", "action_id")),
                 Column("area_code", "area", "IRIS, quartier ou commune")),
        example="action_id;area_code\ncls3-a01;6822409",
    ),
    "action_indicators": Template(
        "action_indicators", "cls_action_indicators.csv", "Suivi des actions",
        keys=("action_id", "indicator_label", "area_code", "year"),
        columns=(Column("action_id", "code", "action", references=("actions", "action_id")),
                 Column("indicator_label", "text", "ce qui est compté"),
                 Column("kind", "enum", "type d'indicateur", allowed=("moyens", "processus", "resultat")),
                 Column("unit", "text", "unité de target et achieved"), Column("year", "year", "année"),
                 Column("target", "decimal", "cible de l'année", required=False),
                 Column("achieved", "decimal", "valeur atteinte", required=False),
                 Column("area_code", "area", "territoire (vide = toute l'action)", required=False)),
        example="action_id;indicator_label;kind;unit;year;target;achieved;area_code\n"
                "cls3-a01;Enfants dépistés;processus;enfants;2024;300;287;",
    ),
}

# The IRIS → quartier mapping that goes with a boundary file (a CSV, or attributes of the boundary file).
MAPPING_COLUMNS = {
    "iris_code": ("iris_code", "CODE_IRIS", "code_iris", "code"),
    "quartier_code": ("quartier_code", "quartier_code_7", "code_quartier"),
    "quartier_name": ("quartier_name", "quartier_label_derived", "nom_quartier", "quartier"),
}
BOUNDARY_CODE_COLUMNS = ("CODE_IRIS", "code_iris", "iris_code", "code")
BOUNDARY_NAME_COLUMNS = ("NOM_IRIS", "nom_iris", "name", "nom")

KIND_LABELS = {
    "iris": "code IRIS (9 caractères) du découpage", "area": "code d'IRIS, de quartier ou de commune",
    "code": "identifiant (texte)", "text": "texte", "count": "nombre entier ≥ 0", "year": "année (AAAA)",
    "decimal": "nombre (virgule ou point décimal)", "enum": "une des valeurs permises",
    "period": "période AAAA-AAAA (années incluses)", "school_year": "année scolaire AAAA-AAAA",
    "date": "date JJ/MM/AAAA ou AAAA-MM-JJ", "age_band": "tranche d'âge", "sex": "sexe",
}


def template_csv(name: str) -> str:
    """The template of ``name`` as a CSV a spreadsheet opens: header and example row, ``;`` separated."""
    return TEMPLATES[name].example + "\n"


def markdown() -> str:
    """docs/import-templates.md (a test checks the file is this text)."""
    out = [
        "# Modèles d'import",
        "",
        "Generated from `dashboard/templates.py` (`python -c \"from dashboard import templates; "
        "print(templates.markdown(), end='')\" > docs/import-templates.md`). One file per table, named as below "
        "(`.csv` or `.xlsx`). CSV: separator `;` or `,`, decimal comma or point, UTF-8 (with or without BOM) or "
        "Windows-1252, one header row. Codes are text: keep their leading zeros (format the column as *Texte* in "
        "the spreadsheet). Extra columns are kept; optional columns may be left out.",
        "",
        "## Découpage (boundaries)",
        "",
        "A GeoJSON, GeoPackage or zipped Shapefile (`.shp`, `.shx`, `.dbf`, `.prj`) of the city's IRIS, in any "
        "coordinate system (Lambert-93 EPSG:2154 is the usual one; reprojected to WGS84), with attributes "
        f"`{BOUNDARY_CODE_COLUMNS[0]}` (9 characters: commune code + 4) and `{BOUNDARY_NAME_COLUMNS[0]}`, as in "
        "IGN CONTOURS-IRIS. The quartier of each IRIS comes from attributes `quartier_code` and `quartier_name` "
        "of the same file, or from a CSV imported with it:",
        "",
        "| column | also accepted | meaning |",
        "|---|---|---|",
    ]
    meanings = {"iris_code": "code IRIS", "quartier_code": "code du quartier", "quartier_name": "nom du quartier (optional)"}
    for key, aliases in MAPPING_COLUMNS.items():
        out.append(f"| `{key}` | {', '.join(f'`{a}`' for a in aliases[1:])} | {meanings[key]} |")
    out += ["", "Example (`iris_quartiers.csv`):", "", "```", "iris_code;quartier_code;quartier_name",
            "682240101;6822401;Centre Historique", "```", "",
            "Quartiers are built by dissolving their IRIS; counts are summed from IRIS to quartier by the app. "
            "Invalid polygons are repaired when two repair methods agree, otherwise reported.", ""]
    for template in TEMPLATES.values():
        out += [f"## `{template.file}` — {template.title}", "",
                f"Key (no two rows alike): {', '.join(f'`{k}`' for k in template.keys)}.", "",
                "| column | type | meaning | unit | allowed values | required |", "|---|---|---|---|---|---|"]
        for c in template.columns:
            bounds = ""
            if c.low is not None or c.high is not None:
                bounds = f"[{'' if c.low is None else c.low} ; {'' if c.high is None else c.high}]"
            allowed = ", ".join(f"`{a}`" for a in c.allowed) if c.kind in ("enum", "sex") else bounds
            if c.kind == "age_band":
                allowed = "`00-04`, `05-09`, …, `85-89`, `90+` (19 bands)"
            if c.references:
                allowed = f"a `{c.references[1]}` of `{TEMPLATES[c.references[0]].file}`"
            out.append(f"| `{c.name}` | {KIND_LABELS[c.kind]} | {c.meaning} | {c.unit} | {allowed} | "
                       f"{'yes' if c.required else 'no'} |")
        out += [""]
        if template.notes:
            out += [template.notes, ""]
        out += ["```", template.example, "```", ""]
    return "\n".join(out)
