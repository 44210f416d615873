"""The methods page's text ("Méthodes"): how each indicator of the catalogue is computed, in plain French.

The texts are written once per kind of computation (indirect standardisation, rate, proportion, directly
standardised rate) and filled in with each indicator's own counts and multiplier, so a new indicator of a known kind
gets its section without new text.
"""

from __future__ import annotations

from dashboard import disclosure, indicators
from dashboard.formatting import confidence, number
from dashboard.store import Dataset

REFERENCES = {
    "breslow_day": "Breslow N. E., Day N. E. (1987). Statistical Methods in Cancer Research, vol. II : The Design "
                   "and Analysis of Cohort Studies. Lyon : CIRC (IARC Scientific Publications n° 82).",
    "garwood": "Garwood F. (1936). Fiducial limits for the Poisson distribution. Biometrika, 28, 437-442.",
    "byar": "Approximation de Byar de la loi de Poisson, présentée dans Breslow et Day (1987), vol. II, p. 69.",
    "wilson": "Wilson E. B. (1927). Probable inference, the law of succession, and statistical inference. "
              "Journal of the American Statistical Association, 22, 209-212.",
    "dobson": "Dobson A. J., Kuulasmaa K., Eberle E., Scherer J. (1991). Confidence intervals for weighted sums "
              "of Poisson parameters. Statistics in Medicine, 10, 457-462.",
    "marshall": "Marshall R. J. (1991). Mapping disease and mortality rates using empirical Bayes estimators. "
                "Applied Statistics (Journal of the Royal Statistical Society, série C), 40, 283-294.",
    "phe": "Public Health England / Association of Public Health Observatories (2008). Technical Briefing 3 : "
           "Commonly used public health statistics and their confidence intervals ; et le guide technique des "
           "profils Fingertips (intervalles de confiance, comparaison à une référence, graphiques en épine).",
    "esp2013": "Eurostat (2013). Revision of the European Standard Population. Report of Eurostat's task force. "
               "Luxembourg : Office des publications de l'Union européenne.",
}

POISSON_CI = (
    "Le nombre d'événements observés suit une loi de Poisson. Ses limites sont exactes (Garwood) en dessous de "
    "10 événements et calculées par l'approximation de Byar à partir de 10, puis divisées par le dénominateur : "
    "c'est la règle du guide technique de Public Health England."
)

KIND_TEXTS = {
    "icm": {
        "formula": (
            "ICM = {multiplier} × {numerator} ÷ {denominator}. Les {denominator} sont ceux qu'aurait la zone si "
            "elle avait, à chaque âge (tranches de 5 ans) et pour chaque sexe, les taux de mortalité de la "
            "référence (la commune sur la même période, ou la France) : c'est la standardisation indirecte. On "
            "les obtient en multipliant les personnes-années de la zone (population moyenne des années de la "
            "période × nombre d'années) par ces taux. 100 = même mortalité que la référence, à âge égal."
        ),
        "ci": POISSON_CI + " Les décès attendus sont traités comme connus sans erreur (Breslow et Day).",
        "trend": "Pour un ICM, c'est l'évolution de l'écart à la référence de chaque période, pas celle de la "
                 "mortalité elle-même.",
        "references": ("breslow_day", "garwood", "byar", "phe"),
    },
    "rate": {
        "formula": "Valeur = {numerator} ÷ {denominator} × {multiplier}.",
        "ci": POISSON_CI,
        "references": ("garwood", "byar", "phe"),
    },
    "proportion": {
        "formula": "Valeur = {numerator} ÷ {denominator} × {multiplier} (un pourcentage).",
        "ci": (
            "Intervalle de Wilson (1927), recommandé par Public Health England pour les proportions : il reste "
            "entre 0 et 100 % et reste fiable pour les petits effectifs et les parts proches de 0 ou de 100 %."
        ),
        "references": ("wilson", "phe"),
    },
    "dsr": {
        "formula": (
            "Taux standardisé = somme, sur les 19 tranches d'âge, du taux de la zone dans la tranche ({numerator} "
            "÷ {denominator}) pondéré par le poids de la tranche dans la population standard européenne 2013 "
            "(Eurostat), × {multiplier}. C'est la standardisation directe : le taux qu'aurait la zone avec la "
            "structure par âge de cette population de référence, comparable d'une zone et d'une période à "
            "l'autre. Il n'est pas calculé en dessous de 10 événements."
        ),
        "ci": (
            "Méthode de Dobson et al. (1991) : les limites de Poisson du nombre total d'événements (exactes en "
            "dessous de 10, Byar au-delà) sont reportées sur le taux standardisé en tenant compte de la variance "
            "de la somme pondérée."
        ),
        "trend": "Pour le taux standardisé, le test porte sur les décès observés rapportés aux décès attendus avec "
                 "les mêmes taux par âge et sexe à toutes les périodes : c'est l'évolution de la mortalité à âge "
                 "égal.",
        "references": ("dobson", "esp2013", "garwood", "byar", "phe"),
    },
}

COMPARISON_TEXT = (
    "La valeur de la zone est comparée à celle de la commune, calculée de la même façon sur les mêmes données. "
    "Si tout l'intervalle de confiance de la zone est au-dessus (ou au-dessous) de la valeur de la commune, la "
    "différence est dite significative ; sinon, « pas de différence significative ». Une différence significative "
    "est dite « meilleure » ou « moins bonne » selon le sens favorable de l'indicateur ({polarity}). Le niveau de "
    "confiance est de {default} par défaut ; on peut choisir {strict} sur la carte et le portrait : plus exigeant, "
    "il limite les différences signalées par hasard quand on compare de nombreuses zones."
)
TREND_TEXT = (
    "Quand l'indicateur existe sur {min_periods} périodes ou plus, l'évolution de chaque zone est testée par un "
    "test du khi-deux de tendance linéaire (1 degré de liberté) sur ses effectifs de chaque période : « en hausse » "
    "ou « en baisse » quand la tendance est significative au niveau de confiance choisi, « pas d'évolution "
    "significative » sinon."
)
SMOOTHING_TEXT = (
    "Dans une petite zone, quelques cas de plus ou de moins font beaucoup varier la valeur. L'option « Lisser les "
    "valeurs » de la carte montre l'estimation bayésienne empirique de chaque valeur (Marshall, 1991) : la valeur "
    "brute est rapprochée d'une valeur moyenne, d'autant plus que la zone est petite. « Vers la commune » (lissage "
    "global) : vers la valeur de l'ensemble des zones ; « vers les zones voisines » (lissage local) : vers celle "
    "de la zone et des zones qui la touchent sur la carte. Valeur lissée = m + C × (valeur brute − m), où m est "
    "la valeur moyenne et C = s² ÷ (s² + m ÷ {base}), s² étant la variance entre zones estimée par la méthode des "
    "moments. Seules les zones publiées entrent dans le calcul. L'intervalle de confiance et la comparaison à la "
    "commune restent ceux de la valeur brute, qui revient en choisissant « Non (valeurs brutes) »."
)
NOT_SMOOTHED_TEXT = (
    "Cet indicateur n'est pas lissé : le lissage bayésien empirique s'applique aux rapports, taux et parts, pas à "
    "un taux standardisé direct, qui n'est de toute façon pas calculé en dessous de 10 événements."
)
DISCLOSURE_TEXT = (
    "Effectifs protégés pour cet indicateur : {protected}. Aucun de ces effectifs n'est publié s'il vaut de 1 à "
    "{last_hidden} ; il apparaît sous la forme « < {threshold} ». Une valeur calculée sur moins de {threshold} "
    "événements (zéro compris) n'est pas publiée (« effectif insuffisant ») : elle serait trop imprécise, et son "
    "intervalle de confiance trahirait l'effectif. Pour qu'un effectif caché ne puisse pas être retrouvé par "
    "soustraction (à partir du total de la commune, des autres zones d'un quartier ou de l'autre niveau), d'autres "
    "zones sont cachées quand il le faut (« secret statistique », secret secondaire). La même règle s'applique à la "
    "carte, aux tableaux, aux graphiques, au portrait, aux téléchargements et à l'API."
)
NOT_SECRET_TEXT = (
    "Les effectifs de cet indicateur ({numerator}) ne relèvent pas du secret statistique : l'exercice des "
    "médecins est public (annuaire santé de l'Assurance Maladie ; l'INSEE publie les médecins par IRIS). Ils sont "
    "donc tous publiés, même petits ; une valeur calculée sur peu de cas reste imprécise, comme le montre son "
    "intervalle de confiance."
)
POLARITY_WORDS = {
    "lower_is_better": "ici, une valeur basse est favorable",
    "higher_is_better": "ici, une valeur élevée est favorable",
    "neutral": "ici, aucun sens n'est favorable en soi : on dit « plus élevé » ou « plus bas »",
}
BASE_WORDS = {"icm": "décès attendus", "rate": "effectif de population", "proportion": "effectif de la zone"}


def _fill(text: str, indicator: indicators.Indicator) -> str:
    method = indicator.method
    return text.format(
        multiplier=number(method.multiplier),
        numerator=method.numerator_label,
        denominator=method.denominator_label,
    )


def _protected(indicator: indicators.Indicator, name: str) -> str:
    """What a name of ``Method.secret`` counts, in words."""
    method = indicator.method
    if name == "numerator":
        return method.numerator_label
    if name == "denominator":
        return method.denominator_label
    if method.kind == "icm":
        return "décès à 65 ans ou plus (la mortalité générale, publiée, les donnerait par soustraction)"
    return f"le reste des {method.denominator_label}"


def disclosure_text(indicator: indicators.Indicator, threshold: int = disclosure.THRESHOLD) -> str:
    """The secret statistique as it applies to this indicator (its ``Method.secret`` counts)."""
    secret = indicator.method.secret
    if not secret:
        return NOT_SECRET_TEXT.format(numerator=indicator.method.numerator_label)
    protected = ", ".join(_protected(indicator, name) for name in secret)
    return DISCLOSURE_TEXT.format(protected=protected, threshold=threshold, last_hidden=threshold - 1)


def section(indicator: indicators.Indicator, threshold: int = disclosure.THRESHOLD) -> dict:
    """The method of one indicator: ``id`` (the page anchor), ``label`` and ``parts``, a list of (title, text).

    Raises ``ValueError`` naming the kind when the method texts do not cover the indicator's kind of computation.
    """
    kind = indicator.method.kind
    if kind not in KIND_TEXTS:
        raise ValueError(f"no method text for the kind {kind!r} of indicator {indicator.id!r}")
    texts = KIND_TEXTS[kind]
    default, strict = (confidence(c) for c in indicators.CONFIDENCE_LEVELS)
    parts = [
        ("Définition", indicator.definition),
        ("Unité", indicator.unit),
        ("Source", indicator.source),
        ("Périodes", ", ".join(indicator.periods)),
        ("Calcul", _fill(texts["formula"], indicator)),
        ("Intervalle de confiance", texts["ci"]),
        ("Comparaison à la commune",
         COMPARISON_TEXT.format(polarity=POLARITY_WORDS[indicator.polarity], default=default, strict=strict)),
        ("Évolution", " ".join([TREND_TEXT.format(min_periods=indicators.TREND_MIN_PERIODS)]
                               + ([texts["trend"]] if "trend" in texts else []))),
        ("Lissage", SMOOTHING_TEXT.format(base=BASE_WORDS[kind]) if indicator.method.smoothable
         else NOT_SMOOTHED_TEXT),
        ("Secret statistique", disclosure_text(indicator, threshold)),
    ]
    references = list(texts["references"]) + (["marshall"] if indicator.method.smoothable else [])
    return {
        "id": indicator.id,
        "label": indicator.label,
        "parts": parts,
        "references": [REFERENCES[key] for key in references],
    }


def sections(dataset: Dataset) -> list[dict]:
    """One :func:`section` per indicator of the catalogue, in catalogue order."""
    return [section(indicator) for indicator in indicators.catalogue(dataset)]
