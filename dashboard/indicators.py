"""Indicators computed from raw counts (never stored precomputed), with CI and comparison to the commune."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard import disclosure, geometry, stats
from dashboard.store import AGE_BANDS, MAP_LEVELS, Dataset, cached

PREMATURE_BANDS = tuple(band for band in AGE_BANDS if band != "90+" and int(band[:2]) < 65)
REFERENCES = {"commune": "la commune", "france": "la France"}
CONFIDENCE_LEVELS = (0.95, 0.998)
SMOOTHINGS = {"global": "vers la commune", "local": "vers les zones voisines"}
TREND_MIN_PERIODS = 3


@dataclass(frozen=True)
class Method:
    """How an indicator is computed: which counts, which multiplier, how many decimals to show."""

    kind: str  # "icm", "rate", "proportion" or "dsr"
    multiplier: float
    decimals: int
    numerator_label: str
    denominator_label: str
    # Counts of persons under statistical secrecy (see secret_counts): "numerator", "complement" (the other
    # persons of the denominator, or for premature deaths the deaths at 65 or more) and "denominator".
    secret: tuple = ("numerator",)

    @property
    def smoothable(self) -> bool:
        """Empirical Bayes smoothing applies to ratios, rates and shares, not to a directly standardised rate."""
        return self.kind != "dsr"


CHILD_SECRET = ("numerator", "complement", "denominator")
# GP counts are not secret: every practice and its doctors are listed in public registers (annuaire santé, and
# INSEE's Base permanente des équipements publishes GPs by IRIS); their ages are not public, hence gp_60plus.
METHODS = {
    "icm": Method("icm", 100, 0, "décès observés", "décès attendus"),
    "icm_premature": Method("icm", 100, 0, "décès avant 65 ans observés", "décès avant 65 ans attendus",
                            ("numerator", "complement")),
    "mortality_dsr": Method("dsr", 100_000, 1, "décès observés", "personnes-années"),
    "gp_density": Method("rate", 10_000, 1, "médecins généralistes", "habitants", ()),
    "gp_60plus": Method("proportion", 100, 1, "médecins de 60 ans ou plus", "médecins généralistes",
                        ("numerator", "complement")),
    "child_caries": Method("proportion", 100, 1, "enfants avec caries non soignées", "enfants dépistés", CHILD_SECRET),
    "child_overweight": Method("proportion", 100, 1, "enfants en surpoids ou obèses", "enfants dépistés",
                               CHILD_SECRET),
}


class IndicatorError(ValueError):
    """A request for an indicator, period or level that does not exist; the message is in French."""


@dataclass(frozen=True)
class Indicator:
    """One entry of the catalogue."""

    id: str
    label: str
    short_label: str
    definition: str
    unit: str
    polarity: str
    source: str
    periods: tuple
    levels: tuple
    axes: tuple
    method: Method

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "label": self.label,
            "short_label": self.short_label,
            "definition": self.definition,
            "unit": self.unit,
            "polarity": self.polarity,
            "source": self.source,
            "periods": list(self.periods),
            "levels": list(self.levels),
            "axes": list(self.axes),
            "decimals": self.method.decimals,
            "numerator": self.method.numerator_label,
            "denominator": self.method.denominator_label,
        }


@dataclass(frozen=True)
class Result:
    """Values of one indicator for every area of a level, and the commune benchmark."""

    indicator: Indicator
    period: str
    level: str
    reference: str
    conf: float
    # code, name, value, lower, upper, numerator, denominator, comparison, rank, smoothed, and the disclosure
    # columns: suppressed (None, disclosure.SMALL or disclosure.SECONDARY), numerator_note and denominator_note
    # (what a hidden count shows instead: "< 11" or "secret statistique"). Hidden numbers are NaN.
    table: pd.DataFrame
    commune: dict  # code, name, value, lower, upper, numerator, denominator, suppressed
    smoothing: str | None = None  # None, "global" or "local": the "smoothed" column holds the estimates
    public: bool = True  # False: the unsuppressed values a logged-in partner may see
    threshold: int = disclosure.THRESHOLD


def _periods(dataset: Dataset, kind_id: str) -> tuple:
    if kind_id in ("icm", "icm_premature", "mortality_dsr"):
        return tuple(sorted(dataset.deaths["period"].unique()))
    if kind_id in ("gp_density", "gp_60plus"):
        return tuple(str(y) for y in sorted(dataset.gp_practices["year"].unique()))
    return tuple(sorted(dataset.screenings["school_year"].unique()))


def catalogue(dataset: Dataset) -> list[Indicator]:
    """Every indicator the dataset can compute, in catalogue order."""

    def build():
        links = dataset.axis_indicators
        entries = []
        for row in dataset.catalogue.itertuples(index=False):
            if row.id not in METHODS:
                continue
            entries.append(
                Indicator(
                    id=row.id,
                    label=row.label,
                    short_label=row.short_label,
                    definition=row.definition,
                    unit=row.unit,
                    polarity=row.polarity,
                    source=row.source,
                    periods=_periods(dataset, row.id),
                    levels=MAP_LEVELS,
                    axes=tuple(sorted(links.loc[links["indicator_id"] == row.id, "axis_id"])),
                    method=METHODS[row.id],
                )
            )
        return entries

    return cached(dataset, ("catalogue",), build)


def get(dataset: Dataset, indicator_id: str) -> Indicator:
    for entry in catalogue(dataset):
        if entry.id == indicator_id:
            return entry
    known = ", ".join(e.id for e in catalogue(dataset))
    raise IndicatorError(f"Indicateur inconnu : « {indicator_id} ». Indicateurs disponibles : {known}.")


def for_axis(dataset: Dataset, axis_id: str | None) -> list[Indicator]:
    """Indicators linked to a CLS axis (all indicators when ``axis_id`` is None)."""
    entries = catalogue(dataset)
    if not axis_id:
        return entries
    return [e for e in entries if axis_id in e.axes]


def period_years(period: str) -> list[int]:
    """Calendar years covered by a period id: ``2006-2011`` → 2006…2011, ``2024`` → [2024]."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{4}))?", str(period))
    if not match:
        raise IndicatorError(f"Période mal formée : « {period} » (attendu 2024 ou 2006-2011).")
    start = int(match.group(1))
    end = int(match.group(2) or start)
    if end < start:
        raise IndicatorError(f"Période mal formée : « {period} » (l'année de fin précède l'année de début).")
    return list(range(start, end + 1))


def _person_years(dataset: Dataset, period: str) -> pd.DataFrame:
    """Person-years by IRIS, sex and age band over the period.

    The mean yearly population over the period's years found in the data, times the period's length, so a
    city with census counts for only some years still gets an honest denominator.
    """
    years = period_years(period)
    population = dataset.population
    within = population[population["year"].isin(years)]
    if within.empty:
        raise IndicatorError(f"Aucune population disponible pour la période {period}.")
    mean = within.groupby(["iris_code", "sex", "age_band"], as_index=False)["population"].sum()
    n_found = within["year"].nunique()
    mean["person_years"] = mean["population"] / n_found * len(years)
    return mean.drop(columns="population")


def _reference_rates(dataset: Dataset, period: str, reference: str, py: pd.DataFrame, deaths: pd.DataFrame):
    if reference == "commune":
        deaths_by = deaths.groupby(["sex", "age_band"])["deaths"].sum()
        py_by = py.groupby(["sex", "age_band"])["person_years"].sum()
        return (deaths_by / py_by).fillna(0.0).rename("rate")
    if reference == "france":
        rates = dataset.reference_rates
        rates = rates[(rates["reference"] == "france") & (rates["period"] == period)]
        if rates.empty:
            raise IndicatorError(f"Pas de taux de référence France pour la période {period}.")
        return rates.set_index(["sex", "age_band"])["rate"]
    raise IndicatorError(f"Référence inconnue : « {reference} » (commune ou france).")


def _icm_counts(dataset: Dataset, period: str, premature: bool, reference: str) -> pd.DataFrame:
    """Observed and expected deaths by IRIS (indirect standardisation on sex × age band)."""
    deaths = dataset.deaths[dataset.deaths["period"] == period]
    if deaths.empty:
        raise IndicatorError(f"Pas de décès pour la période {period}.")
    py = _person_years(dataset, period)
    if premature:
        deaths = deaths[deaths["age_band"].isin(PREMATURE_BANDS)]
        py = py[py["age_band"].isin(PREMATURE_BANDS)]
    rates = _reference_rates(dataset, period, reference, py, deaths)
    expected = py.join(rates, on=["sex", "age_band"])
    expected["expected"] = expected["person_years"] * expected["rate"].fillna(0.0)
    counts = pd.DataFrame(
        {
            "numerator": deaths.groupby("iris_code")["deaths"].sum(),
            "denominator": expected.groupby("iris_code")["expected"].sum(),
        }
    )
    return counts.fillna(0.0)


def _dsr_bands(dataset: Dataset, period: str, level: str) -> tuple[pd.Index, np.ndarray, np.ndarray]:
    """Deaths and person-years by area of ``level`` and age band (sexes together), bands in ESP2013 order."""
    deaths = dataset.deaths[dataset.deaths["period"] == period]
    if deaths.empty:
        raise IndicatorError(f"Pas de décès pour la période {period}.")
    py = _person_years(dataset, period)
    parent = dataset.iris_parent(level)
    codes = dataset.areas_of(level)["code"]
    shape = pd.MultiIndex.from_product([codes, stats.ESP2013_BANDS])

    def by_area_band(frame, column):
        grouped = frame.assign(area=frame["iris_code"].map(parent)).groupby(["area", "age_band"])[column].sum()
        return grouped.reindex(shape).fillna(0.0).to_numpy().reshape(len(codes), len(stats.ESP2013_BANDS))

    return pd.Index(codes), by_area_band(deaths, "deaths"), by_area_band(py, "person_years")


def _dsr_counts(dataset: Dataset, period: str) -> pd.DataFrame:
    _, deaths, person_years = _dsr_bands(dataset, period, "iris")
    codes = dataset.areas_of("iris")["code"]
    return pd.DataFrame({"numerator": deaths.sum(axis=1), "denominator": person_years.sum(axis=1)}, index=codes)


def _gp_counts(dataset: Dataset, period: str, indicator_id: str) -> pd.DataFrame:
    year = period_years(period)
    practices = dataset.gp_practices[dataset.gp_practices["year"].isin(year)]
    gps = practices.groupby("iris_code")["gps"].sum()
    if indicator_id == "gp_60plus":
        return pd.DataFrame({"numerator": practices.groupby("iris_code")["gps_60plus"].sum(), "denominator": gps})
    population = dataset.population
    years = sorted(population["year"].unique())
    # The year's population, or the closest earlier one when the census is not yet published.
    usable = [y for y in years if y <= year[0]] or years[:1]
    pop = population[population["year"] == usable[-1]].groupby("iris_code")["population"].sum()
    return pd.DataFrame({"numerator": gps, "denominator": pop})


def _screening_counts(dataset: Dataset, period: str, indicator_id: str) -> pd.DataFrame:
    rows = dataset.screenings[dataset.screenings["school_year"] == period]
    column = "caries_untreated" if indicator_id == "child_caries" else "overweight"
    grouped = rows.groupby("iris_code")[[column, "screened"]].sum()
    return grouped.rename(columns={column: "numerator", "screened": "denominator"})


def raw_counts(dataset: Dataset, indicator_id: str, period: str, reference: str = "commune") -> pd.DataFrame:
    """Numerator and denominator by IRIS code (every IRIS of the dataset, zeros where nothing was counted)."""
    if indicator_id in ("icm", "icm_premature"):
        counts = _icm_counts(dataset, period, indicator_id == "icm_premature", reference)
    elif indicator_id == "mortality_dsr":
        counts = _dsr_counts(dataset, period)
    elif indicator_id in ("gp_density", "gp_60plus"):
        counts = _gp_counts(dataset, period, indicator_id)
    else:
        counts = _screening_counts(dataset, period, indicator_id)
    iris_codes = dataset.areas_of("iris")["code"]
    return counts.reindex(iris_codes).fillna(0.0).rename_axis("iris_code")


def _estimate(method: Method, numerator, denominator, conf):
    numerator = np.asarray(numerator, dtype=float)
    denominator = np.asarray(denominator, dtype=float)
    if method.kind == "icm":
        return stats.smr(numerator, denominator, conf=conf, multiplier=method.multiplier)
    if method.kind == "rate":
        with np.errstate(divide="ignore", invalid="ignore"):
            lower, upper = stats.poisson_ci(numerator, conf=conf)
            scale = np.where(denominator > 0, method.multiplier / np.where(denominator > 0, denominator, 1), np.nan)
            return numerator * scale, lower * scale, upper * scale
    lower, upper = stats.wilson_ci(numerator, denominator, conf=conf)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(denominator > 0, numerator / np.where(denominator > 0, denominator, 1), np.nan)
    return value * method.multiplier, np.asarray(lower) * method.multiplier, np.asarray(upper) * method.multiplier


def check_request(dataset: Dataset, indicator_id: str, period: str, level: str) -> Indicator:
    """The catalogue entry, after checking that the period and level exist for it (French errors)."""
    indicator = get(dataset, indicator_id)
    if period not in indicator.periods:
        raise IndicatorError(
            f"Période « {period} » indisponible pour {indicator.short_label}. "
            f"Périodes disponibles : {', '.join(indicator.periods)}."
        )
    if level not in indicator.levels:
        raise IndicatorError(f"Niveau « {level} » inconnu : choisir {' ou '.join(indicator.levels)}.")
    return indicator


def secret_counts(dataset: Dataset, indicator_id: str, period: str) -> pd.DataFrame:
    """Counts of persons under statistical secrecy by IRIS: one column per name of the method's ``secret``.

    ``complement`` is the rest of the denominator (children without the condition, GPs under 60), or for
    premature mortality the deaths at 65 or more: published beside all-age mortality, they would otherwise be
    one subtraction away.
    """
    method = get(dataset, indicator_id).method
    counts = raw_counts(dataset, indicator_id, period)
    columns = {}
    for name in method.secret:
        if name == "numerator":
            columns[name] = counts["numerator"]
        elif name == "denominator":
            columns[name] = counts["denominator"]
        elif method.kind == "icm":
            columns[name] = raw_counts(dataset, "icm", period)["numerator"] - counts["numerator"]
        else:
            columns[name] = counts["denominator"] - counts["numerator"]
    return pd.DataFrame(columns, index=counts.index)


def suppression(dataset: Dataset, indicator_id: str, period: str, threshold: int | None = None) -> pd.Series:
    """The disclosure pattern of one indicator and period, for the commune and every quartier and IRIS at once.

    A Series indexed by area code: None (published), ``disclosure.SMALL`` or ``disclosure.SECONDARY``. It does
    not depend on the level shown, the reference, the confidence level or smoothing, so every view of the same
    counts hides the same areas. Indicators without secret counts hide nothing.
    """
    threshold = disclosure.THRESHOLD if threshold is None else threshold
    indicator = get(dataset, indicator_id)

    def build():
        areas = dataset.areas.set_index("code")
        if not indicator.method.secret:
            return pd.Series([None] * len(areas), index=areas.index, dtype=object)
        by_iris = secret_counts(dataset, indicator_id, period)
        numerator = raw_counts(dataset, indicator_id, period)["numerator"]
        frames, numerators = [], []
        for level in ("commune", "quartier", "iris"):
            parent = dataset.iris_parent(level)
            frames.append(by_iris.groupby(parent).sum())
            numerators.append(numerator.groupby(parent).sum())
        counts = pd.concat(frames).reindex(areas.index).fillna(0.0)
        numerators = pd.concat(numerators).reindex(areas.index).fillna(0.0)
        already_hidden = None
        if "denominator" in indicator.method.secret:
            # Indicators sharing this denominator (the children screened) each publish it: they all start from
            # one pattern protecting it, so that no indicator shows a denominator another one hides.
            already_hidden = disclosure.suppress(counts[["denominator"]], areas["parent_code"],
                                                 threshold=threshold).notna().to_numpy()
        return disclosure.suppress(counts, areas["parent_code"], unreliable=numerators < threshold,
                                   threshold=threshold, already_hidden=already_hidden)

    return cached(dataset, ("suppression", indicator_id, period, threshold), build)


def _smooth(dataset: Dataset, method: Method, table: pd.DataFrame, level: str, smoothing: str, usable) -> np.ndarray:
    """Marshall's empirical Bayes estimates on the indicator's scale; areas not ``usable`` are left out."""
    events = np.where(usable, table["numerator"].to_numpy(dtype=float), np.nan)
    base = np.where(usable, table["denominator"].to_numpy(dtype=float), np.nan)
    neighbours = None
    if smoothing == "local":
        position = {code: i for i, code in enumerate(table["code"])}
        touching = geometry.neighbours(dataset, level)
        neighbours = [[position[c] for c in touching.get(code, []) if c in position] for code in table["code"]]
    return stats.eb_smooth(events, base, neighbours) * method.multiplier


def _raw(dataset: Dataset, indicator: Indicator, period: str, level: str, reference: str, conf: float) -> Result:
    """Every area's numbers before smoothing and disclosure control."""

    def build():
        method = indicator.method
        areas = dataset.areas_of(level).set_index("code")
        if method.kind == "dsr":
            codes, deaths, person_years = _dsr_bands(dataset, period, level)
            value, lower, upper = stats.dsr(deaths, person_years, stats.ESP2013, conf, method.multiplier)
            numerator, denominator = deaths.sum(axis=1), person_years.sum(axis=1)
            c_deaths, c_py = deaths.sum(axis=0), person_years.sum(axis=0)
            c_value, c_lower, c_upper = stats.dsr(c_deaths, c_py, stats.ESP2013, conf, method.multiplier)
            total = {"numerator": c_deaths.sum(), "denominator": c_py.sum()}
            c_value, c_lower, c_upper = [c_value], [c_lower], [c_upper]
        else:
            counts = raw_counts(dataset, indicator.id, period, reference)
            by_area = counts.groupby(dataset.iris_parent(level)).sum().reindex(areas.index).fillna(0.0)
            numerator, denominator = by_area["numerator"].to_numpy(), by_area["denominator"].to_numpy()
            value, lower, upper = _estimate(method, numerator, denominator, conf)
            total = counts.sum()
            c_value, c_lower, c_upper = _estimate(method, [total["numerator"]], [total["denominator"]], conf)
        commune = dataset.commune
        commune_row = {
            "code": commune["code"],
            "name": commune["name"],
            "value": float(c_value[0]),
            "lower": float(c_lower[0]),
            "upper": float(c_upper[0]),
            "numerator": float(total["numerator"]),
            "denominator": float(total["denominator"]),
            "suppressed": None,
        }
        table = pd.DataFrame(
            {
                "code": areas.index,
                "name": areas["name"].to_numpy(),
                "value": value,
                "lower": lower,
                "upper": upper,
                "numerator": numerator,
                "denominator": denominator,
            }
        )
        comparison = stats.compare(
            table["lower"].to_numpy(), table["upper"].to_numpy(), commune_row["value"], indicator.polarity
        )
        # Object dtype keeps None as None (pandas would turn a string column's None into NaN).
        table["comparison"] = pd.Series(list(comparison), dtype=object)
        return Result(indicator, period, level, reference, conf, table, commune_row, public=False)

    return cached(dataset, ("raw", indicator.id, period, level, reference, conf), build)


HIDDEN_NUMBERS = ("value", "lower", "upper", "numerator", "denominator", "smoothed")


def _hide(result: Result, pattern: pd.Series, threshold: int) -> tuple[pd.DataFrame, dict]:
    """The table and commune row with every number of a hidden area replaced by NaN, and the notes shown instead."""
    method = result.indicator.method
    table = result.table.copy()
    reasons = [r if isinstance(r, str) else None for r in pattern.reindex(table["code"])]
    hidden = np.array([r is not None for r in reasons])
    table["suppressed"] = pd.Series(list(reasons), dtype=object)

    def notes(column, secret):
        return pd.Series(
            [
                (disclosure.count_note(count, threshold) if secret else "secret statistique") if hide else None
                for count, hide in zip(table[column], hidden)
            ],
            dtype=object,
        )

    table["numerator_note"] = notes("numerator", True)
    table["denominator_note"] = notes("denominator", "denominator" in method.secret)
    for column in HIDDEN_NUMBERS:
        table.loc[hidden, column] = np.nan
    table["comparison"] = pd.Series([None if h else c for c, h in zip(table["comparison"], hidden)], dtype=object)
    commune = dict(result.commune)
    commune["suppressed"] = pattern.get(commune["code"]) if isinstance(pattern.get(commune["code"]), str) else None
    if commune["suppressed"] is not None:
        for column in ("value", "lower", "upper", "numerator", "denominator"):
            commune[column] = float("nan")
    return table, commune


def compute(
    dataset: Dataset,
    indicator_id: str,
    period: str,
    level: str,
    reference: str = "commune",
    conf: float = 0.95,
    smoothing: str | None = None,
    public: bool = True,
    threshold: int | None = None,
) -> Result:
    """Value, CI, counts, comparison with the commune and rank of every area of ``level``.

    ``public=True`` (the default, for every page and export) applies the disclosure pattern of
    :func:`suppression`: hidden areas have NaN numbers, no comparison and no rank, and their ``suppressed``
    column says why. ``public=False`` gives the unsuppressed values a logged-in partner may see.
    ``smoothing`` ("global" or "local") fills the ``smoothed`` column with Marshall's empirical Bayes
    estimates, computed from the counts of the areas shown only (so a smoothed value reveals nothing hidden);
    value, CI and comparison stay the raw ones. A directly standardised rate is never smoothed
    (``result.smoothing`` is then None).

    >>> from dashboard import store
    >>> result = compute(store.current(), "icm", "2006-2011", "quartier")
    >>> round(result.commune["value"])  # the commune against itself
    100
    """
    indicator = check_request(dataset, indicator_id, period, level)
    if reference not in REFERENCES:
        raise IndicatorError(f"Référence inconnue : « {reference} » (commune ou france).")
    if smoothing is not None and smoothing not in SMOOTHINGS:
        raise IndicatorError(f"Lissage inconnu : « {smoothing} » (global ou local).")
    if conf not in CONFIDENCE_LEVELS:
        raise IndicatorError(f"Niveau de confiance inconnu : « {conf} » (0.95 ou 0.998).")
    threshold = disclosure.THRESHOLD if threshold is None else threshold
    if not indicator.method.smoothable:
        smoothing = None

    def build():
        raw = _raw(dataset, indicator, period, level, reference, conf)
        table = raw.table.copy()
        table["suppressed"] = pd.Series([None] * len(table), dtype=object)
        table["numerator_note"] = pd.Series([None] * len(table), dtype=object)
        table["denominator_note"] = pd.Series([None] * len(table), dtype=object)
        commune = dict(raw.commune)
        pattern = suppression(dataset, indicator.id, period, threshold) if public else None
        shown = np.ones(len(table), dtype=bool)
        if pattern is not None:
            shown = pattern.reindex(table["code"]).isna().to_numpy()
        table["smoothed"] = np.nan
        if smoothing is not None:
            table["smoothed"] = _smooth(dataset, indicator.method, table, level, smoothing, shown)
        if pattern is not None:
            table, commune = _hide(Result(indicator, period, level, reference, conf, table, commune), pattern,
                                   threshold)
        # Ranks among the values shown: a hidden area's place would tell something about its count.
        table["rank"] = table["value"].rank(ascending=False, method="min")
        return Result(indicator, period, level, reference, conf, table, commune, smoothing, public, threshold)

    key = ("compute", indicator_id, period, level, reference, conf, smoothing, public, threshold)
    return cached(dataset, key, build)


def series(dataset: Dataset, indicator_id: str, level: str, code: str, reference="commune", conf=0.95,
           public: bool = True) -> list[dict]:
    """The area's value and the commune's for every period of the indicator, oldest first.

    A period where the area is hidden (disclosure control) has NaN numbers and its ``suppressed`` reason.
    """
    indicator = get(dataset, indicator_id)
    rows = []
    for period in indicator.periods:
        result = compute(dataset, indicator_id, period, level, reference, conf, public=public)
        match = result.table[result.table["code"] == code]
        if match.empty:
            continue
        row = match.iloc[0]
        rows.append(
            {
                "period": period,
                "value": float(row["value"]),
                "lower": float(row["lower"]),
                "upper": float(row["upper"]),
                "commune": result.commune["value"],
                "comparison": row["comparison"],
                "suppressed": row["suppressed"],
            }
        )
    return rows


def period_midpoint(period: str) -> float:
    """The middle of a period in years, the score of the trend test: ``2006-2011`` → 2008.5."""
    return float(np.mean(period_years(period)))


def _trend_counts(dataset: Dataset, indicator: Indicator, level: str, reference: str) -> tuple[np.ndarray, ...]:
    """Events and their base by area (rows, in ``areas_of(level)`` order) and period (columns).

    A directly standardised rate is tested on observed deaths against those expected with one set of age and
    sex rates for every period (the commune's over all periods): a trend of age-adjusted mortality.
    """
    periods = indicator.periods
    if indicator.method.kind != "dsr":
        events, base = [], []
        for period in periods:
            table = _raw(dataset, indicator, period, level, reference, 0.95).table
            events.append(table["numerator"].to_numpy())
            base.append(table["denominator"].to_numpy())
        return np.column_stack(events), np.column_stack(base)
    parent = dataset.iris_parent(level)
    codes = dataset.areas_of(level)["code"]
    deaths = dataset.deaths[dataset.deaths["period"].isin(periods)]
    py = pd.concat([_person_years(dataset, p).assign(period=p) for p in periods], ignore_index=True)
    rates = deaths.groupby(["sex", "age_band"])["deaths"].sum() / py.groupby(["sex", "age_band"])["person_years"].sum()
    py = py.join(rates.rename("rate").fillna(0.0), on=["sex", "age_band"])
    py["expected"] = py["person_years"] * py["rate"]

    def grid(frame, column):
        grouped = frame.assign(area=frame["iris_code"].map(parent)).groupby(["area", "period"])[column].sum()
        shape = pd.MultiIndex.from_product([codes, periods])
        return grouped.reindex(shape).fillna(0.0).to_numpy().reshape(len(codes), len(periods))

    return grid(deaths, "deaths"), grid(py, "expected")


def trends(dataset: Dataset, indicator_id: str, level: str, conf: float = 0.95, reference: str = "commune",
           public: bool = True) -> pd.DataFrame:
    """A trend marker per area over every period of the indicator (chi-square test for linear trend).

    Columns: ``code``, ``marker`` ("en hausse", "en baisse", "pas d'évolution significative", or None when
    the test cannot be made: fewer than 3 periods, no event, or, when ``public``, an area hidden in some period,
    whose counts the test would use), ``statistic``, ``p_value``, ``slope`` (change in log-rate per year),
    ``suppressed`` (True when the marker is withheld by disclosure control). Periods are scored by their
    midpoint year. An ICM's trend is its trend relative to the reference of each period.
    """
    indicator = get(dataset, indicator_id)
    if level not in indicator.levels:
        raise IndicatorError(f"Niveau « {level} » inconnu : choisir {' ou '.join(indicator.levels)}.")

    def build():
        codes = dataset.areas_of(level)["code"]
        frame = pd.DataFrame({"code": codes, "marker": pd.Series([None] * len(codes), dtype=object),
                              "statistic": np.nan, "p_value": np.nan, "slope": np.nan, "suppressed": False})
        if len(indicator.periods) < TREND_MIN_PERIODS:
            return frame
        events, base = _trend_counts(dataset, indicator, level, reference)
        times = [period_midpoint(p) for p in indicator.periods]
        result = stats.trend(events, base, times=times, conf=conf)
        frame["marker"] = pd.Series(list(result["marker"]), dtype=object)
        for column in ("statistic", "p_value", "slope"):
            frame[column] = result[column]
        if public:
            hidden = np.zeros(len(codes), dtype=bool)
            for period in indicator.periods:
                hidden |= suppression(dataset, indicator_id, period).reindex(codes).notna().to_numpy()
            frame["suppressed"] = hidden
            frame.loc[hidden, ["statistic", "p_value", "slope"]] = np.nan
            frame["marker"] = pd.Series([None if h else m for m, h in zip(frame["marker"], hidden)], dtype=object)
        return frame

    return cached(dataset, ("trends", indicator_id, level, conf, reference, public, disclosure.THRESHOLD), build)
