"""French display of numbers, intervals and comparisons (decimal comma, narrow no-break space)."""

from __future__ import annotations

import math

THOUSANDS = "\u202f"  # narrow no-break space, as French typography wants

COMPARISON_LABELS = {
    "better": "Significativement meilleur que la commune",
    "worse": "Significativement moins bon que la commune",
    "similar": "Pas de différence significative avec la commune",
    "higher": "Significativement plus élevé que la commune",
    "lower": "Significativement plus bas que la commune",
    None: "Comparaison impossible (effectif nul)",
}
COMPARISON_SHORT = {
    "better": "Meilleur",
    "worse": "Moins bon",
    "similar": "Comparable",
    "higher": "Plus élevé",
    "lower": "Plus bas",
    None: "Non calculable",
}
# What a hidden area shows instead of its value (disclosure control, see dashboard/disclosure.py).
SUPPRESSION_LABELS = {"small": "effectif insuffisant", "secondary": "secret statistique"}
SMOOTHING_LABELS = {
    "global": "valeurs lissées vers la commune (bayésien empirique)",
    "local": "valeurs lissées vers les zones voisines (bayésien empirique)",
}
LEVEL_LABELS = {"iris": "IRIS", "quartier": "Quartier", "commune": "Commune"}
LEVEL_LABELS_PLURAL = {"iris": "IRIS", "quartier": "quartiers", "commune": "communes"}


def is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value, decimals: int = 0) -> str:
    """``1234.5`` → ``"1 234,5"``; missing → ``"–"``.

    >>> number(1234.56, 1)
    '1\u202f234,6'
    >>> number(float("nan"))
    '–'
    """
    if is_missing(value):
        return "–"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", THOUSANDS)


def interval(lower, upper, decimals: int = 0) -> str:
    """``(91.2, 118.0)`` → ``"[91 ; 118]"`` (French list separator inside brackets).

    >>> interval(91.2, 118.04, 1)
    '[91,2 ; 118,0]'
    """
    if is_missing(lower) or is_missing(upper):
        return "–"
    return f"[{number(lower, decimals)} ; {number(upper, decimals)}]"


def rank(value, total: int) -> str:
    """``1`` → ``"1er sur 18"``, ``3`` → ``"3e sur 18"``."""
    if is_missing(value):
        return "–"
    value = int(value)
    suffix = "er" if value == 1 else "e"
    return f"{value}{suffix} sur {total}"


def confidence(conf: float) -> str:
    """``0.95`` → ``"95 %"``, ``0.998`` → ``"99,8 %"``."""
    return f"{number(conf * 100, 1 if round(conf * 100) != conf * 100 else 0)}\u00a0%"


def suppression_rule(threshold: int = 11) -> str:
    """The disclosure rule in one French sentence, for the threshold in force."""
    return (
        f"aucun effectif de 1 à {threshold - 1} n'est publié, ni une valeur calculée sur moins de {threshold} cas ; "
        "d'autres zones peuvent être masquées pour qu'on ne puisse pas les retrouver par soustraction."
    )


def suppression_help(threshold: int = 11) -> str:
    """The short explanation shown beside hidden values."""
    return f"Secret statistique : {suppression_rule(threshold)}"


def shown_value(value, suppressed, decimals: int = 0) -> str:
    """A value, or why it is not published: ``"effectif insuffisant"`` / ``"secret statistique"``.

    >>> shown_value(float("nan"), "small"), shown_value(12.345, None, 1)
    ('effectif insuffisant', '12,3')
    """
    if suppressed in SUPPRESSION_LABELS:
        return SUPPRESSION_LABELS[suppressed]
    return number(value, decimals)


def shown_count(value, note, decimals: int = 0) -> str:
    """A count, or what a hidden count shows instead (``"< 11"``, ``"secret statistique"``).

    >>> shown_count(float("nan"), "< 11"), shown_count(1234, None)
    ('< 11', '1\u202f234')
    """
    return note if note else number(value, decimals)
