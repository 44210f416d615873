"""A French text summary of a map: the accessible alternative for screen readers and quick reading."""

from __future__ import annotations

from dashboard.formatting import LEVEL_LABELS_PLURAL, SMOOTHING_LABELS, confidence, number, suppression_rule
from dashboard.indicators import Result
from dashboard.legend import direction


def _names(table) -> str:
    names = list(table["name"])
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " et " + names[-1]


def map_summary(result: Result) -> list[str]:
    """Sentences describing the range of values and which areas differ significantly from the commune.

    Returns a list of paragraphs (plain text, no markup).
    """
    indicator = result.indicator
    decimals = indicator.method.decimals
    table = result.table.dropna(subset=["value"])
    plural = LEVEL_LABELS_PLURAL[result.level]
    hidden = int(result.table["suppressed"].notna().sum()) if "suppressed" in result.table else 0
    hidden_text = f"{hidden} zone(s) masquée(s) par le secret statistique : {suppression_rule(result.threshold)}"
    if table.empty:
        sentences = [f"{indicator.label}, {result.period} : aucune valeur publiable à l'échelle des {plural}."]
        return sentences + ([hidden_text] if hidden else [])
    shown = "smoothed" if result.smoothing else "value"
    low = table.loc[table[shown].idxmin()]
    high = table.loc[table[shown].idxmax()]
    unit = indicator.unit
    what = "la valeur lissée" if result.smoothing else "la valeur"
    sentences = [
        f"{indicator.label}, {result.period}, par {plural} : {what} va de {number(low[shown], decimals)} "
        f"({low['name']}) à {number(high[shown], decimals)} ({high['name']}) ({unit}). "
        f"Valeur de la commune : {number(result.commune['value'], decimals)}."
    ]
    if result.smoothing:
        sentences.append(
            f"Carte en {SMOOTHING_LABELS[result.smoothing]} : les petites zones sont rapprochées de la référence. "
            "Les comparaisons ci-dessous portent sur les valeurs brutes et leurs intervalles de confiance."
        )
    directions = table["comparison"].map(lambda c: direction(c, indicator.polarity))
    above = table[directions == "higher"].sort_values("value", ascending=False)
    below = table[directions == "lower"].sort_values("value")
    level_conf = confidence(result.conf)
    if above.empty and below.empty:
        sentences.append(
            f"Aucune zone ne se distingue significativement de la commune (intervalle de confiance à {level_conf})."
        )
    else:
        if not above.empty:
            verdict = {"lower_is_better": " (situation moins favorable)", "higher_is_better": " (situation plus favorable)"}
            sentences.append(
                f"{len(above)} zone(s) significativement au-dessus de la commune{verdict.get(indicator.polarity, '')} : "
                f"{_names(above)}."
            )
        if not below.empty:
            verdict = {"lower_is_better": " (situation plus favorable)", "higher_is_better": " (situation moins favorable)"}
            sentences.append(
                f"{len(below)} zone(s) significativement en dessous de la commune{verdict.get(indicator.polarity, '')} : "
                f"{_names(below)}."
            )
        rest = len(table) - len(above) - len(below)
        sentences.append(f"{rest} zone(s) sans différence significative (intervalle de confiance à {level_conf}).")
    missing = len(result.table) - len(table) - hidden
    if missing:
        sentences.append(f"{missing} zone(s) sans valeur calculable.")
    if hidden:
        sentences.append(hidden_text)
    return sentences
