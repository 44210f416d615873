"""Indicators computed from raw counts (never stored precomputed), with CI and comparison to the commune."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard import stats
from dashboard.store import AGE_BANDS, MAP_LEVELS, Dataset, cached

PREMATURE_BANDS = tuple(band for band in AGE_BANDS if band != "90+" and int(band[:2]) < 65)
REFERENCES = {"commune": "la commune", "france": "la France"}
CONFIDENCE_LEVELS = (0.95, 0.998)


@dataclass(frozen=True)
class Method:
    """How an indicator is computed: which counts, which multiplier, how many decimals to show."""

    kind: str  # "icm", "rate" or "proportion"
    multiplier: float
    decimals: int
    numerator_label: str
    denominator_label: str


METHODS = {
    "icm": Method("icm", 100, 0, "décès observés", "décès attendus"),
    "icm_premature": Method("icm", 100, 0, "décès avant 65 ans observés", "décès avant 65 ans attendus"),
    "gp_density": Method("rate", 10_000, 1, "médecins généralistes", "habitants"),
    "gp_60plus": Method("proportion", 100, 1, "médecins de 60 ans ou plus", "médecins généralistes"),
    "child_caries": Method("proportion", 100, 1, "enfants avec caries non soignées", "enfants dépistés"),
    "child_overweight": Method("proportion", 100, 1, "enfants en surpoids ou obèses", "enfants dépistés"),
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
    table: pd.DataFrame  # code, name, value, lower, upper, numerator, denominator, comparison, rank
    commune: dict  # code, name, value, lower, upper, numerator, denominator


def _periods(dataset: Dataset, kind_id: str) -> tuple:
    if kind_id in ("icm", "icm_premature"):
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


def compute(
    dataset: Dataset,
    indicator_id: str,
    period: str,
    level: str,
    reference: str = "commune",
    conf: float = 0.95,
) -> Result:
    """Value, CI, counts, comparison with the commune and rank of every area of ``level``.

    >>> from dashboard import store
    >>> result = compute(store.current(), "icm", "2006-2011", "quartier")
    >>> round(result.commune["value"])  # the commune against itself
    100
    """
    indicator = check_request(dataset, indicator_id, period, level)
    if reference not in REFERENCES:
        raise IndicatorError(f"Référence inconnue : « {reference} » (commune ou france).")

    def build():
        counts = raw_counts(dataset, indicator_id, period, reference)
        by_area = counts.groupby(dataset.iris_parent(level)).sum()
        areas = dataset.areas_of(level).set_index("code")
        by_area = by_area.reindex(areas.index).fillna(0.0)
        value, lower, upper = _estimate(indicator.method, by_area["numerator"], by_area["denominator"], conf)
        total = counts.sum()
        c_value, c_lower, c_upper = _estimate(
            indicator.method, [total["numerator"]], [total["denominator"]], conf
        )
        commune = dataset.commune
        commune_row = {
            "code": commune["code"],
            "name": commune["name"],
            "value": float(c_value[0]),
            "lower": float(c_lower[0]),
            "upper": float(c_upper[0]),
            "numerator": float(total["numerator"]),
            "denominator": float(total["denominator"]),
        }
        table = pd.DataFrame(
            {
                "code": areas.index,
                "name": areas["name"].to_numpy(),
                "value": value,
                "lower": lower,
                "upper": upper,
                "numerator": by_area["numerator"].to_numpy(),
                "denominator": by_area["denominator"].to_numpy(),
            }
        )
        comparison = stats.compare(
            table["lower"].to_numpy(), table["upper"].to_numpy(), commune_row["value"], indicator.polarity
        )
        # Object dtype keeps None as None (pandas would turn a string column's None into NaN).
        table["comparison"] = pd.Series(list(comparison), dtype=object)
        table["rank"] = table["value"].rank(ascending=False, method="min")
        return Result(indicator, period, level, reference, conf, table, commune_row)

    return cached(dataset, ("compute", indicator_id, period, level, reference, conf), build)


def series(dataset: Dataset, indicator_id: str, level: str, code: str, reference="commune", conf=0.95) -> list[dict]:
    """The area's value and the commune's for every period of the indicator, oldest first."""
    indicator = get(dataset, indicator_id)
    rows = []
    for period in indicator.periods:
        result = compute(dataset, indicator_id, period, level, reference, conf)
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
            }
        )
    return rows
