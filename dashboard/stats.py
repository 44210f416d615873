"""Epidemiological statistics: confidence intervals, SMR, standardised rates, smoothing, trends."""

import numbers

import numpy as np
from scipy import stats

__all__ = [
    "ESP2013",
    "ESP2013_5Y",
    "ESP2013_BANDS",
    "compare",
    "dsr",
    "eb_smooth",
    "poisson_ci",
    "smr",
    "trend",
    "wilson_ci",
]

#: Age bands of the project, in the order of :data:`ESP2013`.
ESP2013_BANDS = (
    "00-04", "05-09", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44",
    "45-49", "50-54", "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85-89", "90+",
)

#: 2013 European Standard Population in 19 five-year bands (0-4 ... 85-89, 90+), summing to 100,000
#: (Eurostat, "Revision of the European Standard Population", report of the task force, 2013).
ESP2013 = np.array(
    [5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000,
     7000, 6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000]
)
ESP2013.setflags(write=False)

#: Same 19 bands as :data:`ESP2013` (kept as an explicit name for the five-year version).
ESP2013_5Y = ESP2013

# Below this many events PHE computes no directly standardised rate and Byar's
# approximation replaces the exact Poisson limits from this count upwards.
_SMALL_COUNT = 10

# Labels when the interval lies entirely above / entirely below the benchmark.
_COMPARE_LABELS = {
    "lower_is_better": ("worse", "better"),
    "higher_is_better": ("better", "worse"),
    "neutral": ("higher", "lower"),
}

_TREND_UP = "en hausse"
_TREND_DOWN = "en baisse"
_TREND_FLAT = "pas d'évolution significative"


def _describe(values):
    """Short text for offending values in an error message."""
    flat = np.asarray(values).ravel()
    if flat.size == 1:
        return repr(flat[0].item())
    shown = ", ".join(repr(v.item()) for v in flat[:5])
    more = ", ..." if flat.size > 5 else ""
    return f"[{shown}{more}]"


def _float_array(values, name):
    """Convert ``values`` to a float array (None becomes NaN) or raise naming ``name``."""
    try:
        return np.asarray(values, dtype=float)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be numeric, got {values!r}") from error


def _check_non_negative(values, name):
    """Raise if any value is negative; NaN is accepted (missing)."""
    negative = values < 0
    if np.any(negative):
        raise ValueError(f"{name} must be non-negative, got {_describe(values[negative])}")


def _check_conf(conf):
    """Raise unless ``conf`` is a real number strictly between 0 and 1."""
    if isinstance(conf, bool) or not isinstance(conf, numbers.Real) or not 0 < conf < 1:
        raise ValueError(f"conf must be a number strictly between 0 and 1, got {conf!r}")


def _z(conf):
    """Two-sided standard normal quantile for the confidence level ``conf``."""
    return stats.norm.ppf(1 - (1 - conf) / 2)


def _finish(scalar, *arrays):
    """Return floats for scalar input, arrays otherwise."""
    if scalar:
        return tuple(float(a) for a in arrays)
    return tuple(np.asarray(a, dtype=float) for a in arrays)


def poisson_ci(count, conf=0.95):
    """Confidence interval for a Poisson count.

    Exact (Garwood, 1936) limits below 10 events, Byar's approximation from 10 events
    upwards, the rule of the PHE/Fingertips technical guide on confidence intervals.

    Parameters
    ----------
    count : float or array_like
        Observed number of events, >= 0 (need not be an integer). NaN gives NaN limits.
    conf : float, default 0.95
        Two-sided confidence level, strictly between 0 and 1.

    Returns
    -------
    lower, upper : float or ndarray
        Limits on the count scale (events), floats for scalar input.

    Raises
    ------
    ValueError
        If a count is negative or ``conf`` is not in (0, 1).

    Examples
    --------
    >>> [round(x, 3) for x in poisson_ci(0)]
    [0.0, 3.689]
    >>> [round(x, 2) for x in poisson_ci(100)]
    [81.36, 121.63]
    """
    _check_conf(conf)
    k = _float_array(count, "count")
    _check_non_negative(k, "count")
    alpha = 1 - conf
    z = _z(conf)
    small = k < _SMALL_COUNT
    # scipy returns NaN for subnormal degrees of freedom: such counts are 0 in practice.
    positive = k >= np.finfo(float).tiny
    # Each branch is evaluated on every element, so feed it a harmless stand-in
    # where it does not apply to keep scipy and numpy quiet.
    k_exact = np.where(small & positive, k, 1.0)
    k_byar = np.where(small | np.isnan(k), _SMALL_COUNT, k)
    exact_lower = np.where(positive, stats.chi2.ppf(alpha / 2, 2 * k_exact) / 2, 0.0)
    exact_upper = stats.chi2.ppf(1 - alpha / 2, 2 * np.where(small, k, 0.0) + 2) / 2
    byar_lower = k_byar * (1 - 1 / (9 * k_byar) - z / (3 * np.sqrt(k_byar))) ** 3
    byar_upper = (k_byar + 1) * (1 - 1 / (9 * (k_byar + 1)) + z / (3 * np.sqrt(k_byar + 1))) ** 3
    missing = np.isnan(k)
    lower = np.where(missing, np.nan, np.where(small, exact_lower, byar_lower))
    upper = np.where(missing, np.nan, np.where(small, exact_upper, byar_upper))
    return _finish(k.ndim == 0, lower, upper)


def smr(observed, expected, conf=0.95, multiplier=100):
    """Standardised mortality (or morbidity) ratio with its confidence interval.

    The interval is :func:`poisson_ci` of the observed count divided by the expected count.

    Parameters
    ----------
    observed : float or array_like
        Observed number of events, >= 0.
    expected : float or array_like
        Expected number of events (indirect standardisation), >= 0; broadcast with ``observed``.
    conf : float, default 0.95
        Two-sided confidence level, strictly between 0 and 1.
    multiplier : float, default 100
        Scale of the ratio: 100 gives the usual "100 = reference" SMR, 1 a plain ratio.

    Returns
    -------
    value, lower, upper : float or ndarray
        ``multiplier * observed / expected`` and its limits; all NaN where ``expected`` is 0
        or an input is NaN.

    Raises
    ------
    ValueError
        If a count is negative or ``conf`` is not in (0, 1).

    Examples
    --------
    >>> [round(x, 1) for x in smr(30, 20)]
    [150.0, 101.2, 214.1]
    >>> smr(3, 0)
    (nan, nan, nan)
    """
    _check_conf(conf)
    o = _float_array(observed, "observed")
    e = _float_array(expected, "expected")
    _check_non_negative(o, "observed")
    _check_non_negative(e, "expected")
    o, e = np.broadcast_arrays(o, e)
    lower, upper = poisson_ci(o, conf)
    usable = e > 0
    safe_e = np.where(usable, e, 1.0)
    results = (
        np.where(usable, multiplier * part / safe_e, np.nan) for part in (o, lower, upper)
    )
    return _finish(o.ndim == 0, *results)


def wilson_ci(successes, total, conf=0.95):
    """Wilson score interval for a proportion.

    Wilson (1927), the interval recommended by the PHE technical guide for proportions.

    Parameters
    ----------
    successes : float or array_like
        Number of cases with the attribute, between 0 and ``total``.
    total : float or array_like
        Number of cases (denominator), >= 0; broadcast with ``successes``.
    conf : float, default 0.95
        Two-sided confidence level, strictly between 0 and 1.

    Returns
    -------
    lower, upper : float or ndarray
        Limits as proportions in [0, 1] (multiply by 100 for percentages); NaN where
        ``total`` is 0 or an input is NaN.

    Raises
    ------
    ValueError
        If a count is negative, ``successes`` exceeds ``total`` or ``conf`` is not in (0, 1).

    Examples
    --------
    >>> [round(x, 4) for x in wilson_ci(65, 100)]
    [0.5525, 0.7364]
    >>> wilson_ci(0, 0)
    (nan, nan)
    """
    _check_conf(conf)
    x = _float_array(successes, "successes")
    n = _float_array(total, "total")
    _check_non_negative(x, "successes")
    _check_non_negative(n, "total")
    x, n = np.broadcast_arrays(x, n)
    too_many = x > n
    if np.any(too_many):
        raise ValueError(
            f"successes must not exceed total, got successes={_describe(x[too_many])} "
            f"with total={_describe(n[too_many])}"
        )
    z2 = _z(conf) ** 2
    with np.errstate(divide="ignore", invalid="ignore"):
        p = x / n
        denominator = 1 + z2 / n
        centre = (p + z2 / (2 * n)) / denominator
        half_width = np.sqrt(z2) / denominator * np.sqrt(p * (1 - p) / n + z2 / (4 * n**2))
    usable = n > 0
    # The limits are exactly 0 with no successes and 1 with all successes; rounding
    # would otherwise leave them a hair away (and can push them outside [0, 1]).
    lower = np.where(x == 0, 0.0, np.clip(centre - half_width, 0.0, 1.0))
    upper = np.where(x == n, 1.0, np.clip(centre + half_width, 0.0, 1.0))
    lower = np.where(usable, lower, np.nan)
    upper = np.where(usable, upper, np.nan)
    return _finish(x.ndim == 0, lower, upper)


def compare(lower, upper, benchmark, polarity):
    """Compare a confidence interval with a benchmark, taking the indicator's polarity into account.

    Parameters
    ----------
    lower, upper : float, None or array_like
        Confidence limits of the area's value, in the unit of ``benchmark``. None means missing.
    benchmark : float, None or array_like
        Reference value (e.g. the national rate, or 100 for an SMR).
    polarity : {"lower_is_better", "higher_is_better", "neutral"} or array_like of those
        Whether a low value is good, a high value is good, or neither.

    Returns
    -------
    str, None or ndarray of object
        ``"better"``/``"worse"`` (or ``"higher"``/``"lower"`` when neutral) when the interval
        lies entirely on one side of the benchmark, ``"similar"`` when the benchmark lies
        within ``[lower, upper]`` (limits included), None when an input is NaN or None.
        A str or None for scalar input, an object array of the broadcast shape otherwise.

    Raises
    ------
    ValueError
        If ``polarity`` is unknown or ``lower`` exceeds ``upper``.

    Examples
    --------
    >>> compare(110, 130, 100, "lower_is_better")
    'worse'
    >>> compare(110, 130, 100, "higher_is_better")
    'better'
    >>> compare(90, 110, 100, "neutral")
    'similar'
    >>> compare(None, 130, 100, "neutral") is None
    True
    >>> compare([70, 95], [90, 105], 100, "lower_is_better").tolist()
    ['better', 'similar']
    """
    lo = _float_array(lower, "lower")
    hi = _float_array(upper, "upper")
    ref = _float_array(benchmark, "benchmark")
    pol = np.asarray(polarity, dtype=object)
    unknown = [p for p in pol.ravel() if not isinstance(p, str) or p not in _COMPARE_LABELS]
    if unknown:
        raise ValueError(
            f"polarity must be one of {sorted(_COMPARE_LABELS)}, got {unknown[0]!r}"
        )
    lo, hi, ref, pol = np.broadcast_arrays(lo, hi, ref, pol)
    inverted = lo > hi
    if np.any(inverted):
        raise ValueError(
            f"lower must not exceed upper, got lower={_describe(lo[inverted])} "
            f"with upper={_describe(hi[inverted])}"
        )
    above = lo > ref
    below = hi < ref
    result = np.full(lo.shape, "similar", dtype=object)
    for name, (above_label, below_label) in _COMPARE_LABELS.items():
        result[(pol == name) & above] = above_label
        result[(pol == name) & below] = below_label
    result[np.isnan(lo) | np.isnan(hi) | np.isnan(ref)] = None
    if result.ndim == 0:
        return result.item()
    return result


def dsr(counts, populations, standard_weights, conf=0.95, multiplier=100000):
    """Directly standardised rate with the Dobson et al. (1991) confidence interval.

    ``DSR = sum(w_i * d_i / n_i) / sum(w_i)``; its limits are
    ``DSR + sqrt(var(DSR) / O) * (O_lim - O)`` where ``O = sum(d_i)``, ``O_lim`` are the
    :func:`poisson_ci` limits of ``O`` and ``var(DSR) = sum(w_i**2 * d_i / n_i**2) / sum(w_i)**2``.

    Parameters
    ----------
    counts : array_like
        Events per age band, shape ``(bands,)`` for one area or ``(areas, bands)``; >= 0.
    populations : array_like
        Population per age band, same shape as ``counts`` (or broadcastable); >= 0.
    standard_weights : array_like
        Standard population per age band, shape ``(bands,)``, e.g. :data:`ESP2013`; any
        total (weights are normalised).
    conf : float, default 0.95
        Two-sided confidence level, strictly between 0 and 1.
    multiplier : float, default 100000
        Rate per ``multiplier`` person-years (or persons).

    Returns
    -------
    value, lower, upper : float or ndarray
        Floats for one area, arrays of shape ``(areas,)`` otherwise. All NaN when the total
        count is below 10 (PHE does not publish a DSR below 10 events), when a count is NaN,
        or when a band has events but no population. A band with neither events nor
        population contributes a rate of 0.

    Raises
    ------
    ValueError
        If a count, population or weight is negative, the weights sum to 0, the number of
        bands differs from the number of weights, or ``conf`` is not in (0, 1).

    Examples
    --------
    >>> value, lower, upper = dsr([5, 10, 20], [1000, 2000, 1000], [5000, 3000, 2000])
    >>> round(value, 1), round(lower, 1), round(upper, 1)
    (800.0, 529.1, 1148.7)
    >>> dsr([1, 2, 3], [1000, 2000, 1000], [5000, 3000, 2000])
    (nan, nan, nan)
    """
    _check_conf(conf)
    d = _float_array(counts, "counts")
    n = _float_array(populations, "populations")
    w = _float_array(standard_weights, "standard_weights")
    _check_non_negative(d, "counts")
    _check_non_negative(n, "populations")
    _check_non_negative(w, "standard_weights")
    if w.ndim != 1:
        raise ValueError(f"standard_weights must be one-dimensional, got shape {w.shape}")
    if not w.sum() > 0:
        raise ValueError(f"standard_weights must have a positive sum, got {w.sum()!r}")
    d, n = np.broadcast_arrays(d, n)
    if d.ndim == 0 or d.shape[-1] != w.size:
        raise ValueError(
            f"counts and populations must end with one value per age band ({w.size}), "
            f"got shape {d.shape}"
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        has_people = n > 0
        rates = np.where(has_people, d / n, np.where(d == 0, 0.0, np.nan))
        variances = np.where(has_people, d / n**2, np.where(d == 0, 0.0, np.nan))
        value = (rates * w).sum(axis=-1) / w.sum()
        variance = (variances * w**2).sum(axis=-1) / w.sum() ** 2
        total = d.sum(axis=-1)
        total_lower, total_upper = poisson_ci(total, conf)
        scale = np.sqrt(variance / total)
        lower = value + scale * (total_lower - total)
        upper = value + scale * (total_upper - total)
    enough = total >= _SMALL_COUNT
    results = (np.where(enough, multiplier * part, np.nan) for part in (value, lower, upper))
    return _finish(d.ndim == 1, *results)


def _eb_moments(events, base, usable):
    """Overall rate and prior variance (Marshall's method of moments) over the last axis."""
    e = np.where(usable, events, 0.0)
    b = np.where(usable, base, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        total_base = b.sum(axis=-1, keepdims=True)
        m = e.sum(axis=-1, keepdims=True) / total_base
        mean_base = total_base / usable.sum(axis=-1, keepdims=True)
        r = np.where(usable, e / np.where(usable, b, 1.0), m)
        s2 = (b * (r - m) ** 2).sum(axis=-1, keepdims=True) / total_base - m / mean_base
    return m[..., 0], np.maximum(s2, 0.0)[..., 0]


def _check_neighbours(neighbours, n_areas):
    """Raise unless ``neighbours`` holds one list of valid area indices per area."""
    if len(neighbours) != n_areas:
        raise ValueError(
            f"neighbours must have one entry per area ({n_areas}), got {len(neighbours)}"
        )
    for i, entry in enumerate(neighbours):
        for j in entry:
            if not isinstance(j, numbers.Integral) or not 0 <= j < n_areas:
                raise ValueError(
                    f"neighbours[{i}] must hold area indices from 0 to {n_areas - 1}, got {j!r}"
                )


def eb_smooth(events, base, neighbours=None):
    """Empirical Bayes smoothing of rates or ratios (Marshall, 1991, method of moments).

    Each raw value ``r_i = events_i / base_i`` is shrunk towards a reference rate ``m``:
    ``m + C_i * (r_i - m)`` with ``C_i = s2 / (s2 + m / base_i)``, where
    ``m = sum(e) / sum(b)`` and ``s2 = sum(b * (r - m)**2) / sum(b) - m / mean(b)``
    (floored at 0). Small areas move most, large ones barely.

    Parameters
    ----------
    events : float or array_like
        Events per area (last axis = areas), >= 0.
    base : float or array_like
        Population (for rates) or expected count (for SMRs) per area, >= 0; broadcast with
        ``events``.
    neighbours : sequence of sequences of int, optional
        None for global smoothing (moments over all areas). Otherwise ``neighbours[i]``
        lists the indices of the areas next to area ``i``; the moments for area ``i`` are
        then computed over ``i`` and its neighbours (local smoothing).

    Returns
    -------
    float or ndarray
        Smoothed values on the ``events / base`` scale (multiply by 100 for an SMR, by
        100,000 for a rate per 100,000). NaN where ``base`` is 0 or an input is NaN; such
        areas are left out of the moments.

    Raises
    ------
    ValueError
        If a value is negative or ``neighbours`` does not hold one list of valid area
        indices per area.

    Examples
    --------
    >>> eb_smooth([1, 20, 300], [100, 1000, 10000]).round(4).tolist()
    [0.0287, 0.0279, 0.0295]
    >>> eb_smooth([2, 4], [100, 200]).tolist()
    [0.02, 0.02]
    """
    e = _float_array(events, "events")
    b = _float_array(base, "base")
    _check_non_negative(e, "events")
    _check_non_negative(b, "base")
    e, b = np.broadcast_arrays(e, b)
    scalar = e.ndim == 0
    e, b = np.atleast_1d(e, b)
    usable = np.isfinite(e) & np.isfinite(b) & (b > 0)
    if neighbours is None:
        m, s2 = _eb_moments(e, b, usable)
        m, s2 = m[..., np.newaxis], s2[..., np.newaxis]
    else:
        _check_neighbours(neighbours, e.shape[-1])
        groups = [sorted({i, *entry}) for i, entry in enumerate(neighbours)]
        moments = [_eb_moments(e[..., g], b[..., g], usable[..., g]) for g in groups]
        m = np.stack([pair[0] for pair in moments], axis=-1)
        s2 = np.stack([pair[1] for pair in moments], axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = e / b
        denominator = s2 + m / b
        # With no spread and a zero rate there is nothing to shrink: keep m.
        weight = np.where(denominator > 0, s2 / denominator, 0.0)
        smoothed = m + weight * (r - m)
    smoothed = np.where(usable, smoothed, np.nan)
    return float(smoothed[0]) if scalar else smoothed


def trend(events, base, times=None, conf=0.95):
    """Chi-square test for a linear trend in rates over time.

    Score test of ``beta = 0`` in the Poisson model ``log(rate_t) = alpha + beta * x_t``
    (Breslow & Day, 1987, *Statistical Methods in Cancer Research* vol. II, ch. 3; the
    Poisson analogue of Armitage's test for trend in proportions). With
    ``E_t = b_t * sum(e) / sum(b)``::

        U = sum(x_t * (e_t - E_t))
        V = sum(e) * (sum(b_t * x_t**2) / sum(b) - (sum(b_t * x_t) / sum(b))**2)
        chi2 = U**2 / V    (1 degree of freedom)

    Parameters
    ----------
    events : array_like
        Events per period, shape ``(periods,)`` or ``(areas, periods)``; >= 0.
    base : array_like
        Population or expected count per period, broadcast with ``events``; >= 0.
        Periods with NaN or zero base (and no events) are left out.
    times : array_like, optional
        Score of each period (e.g. the years); defaults to 0, 1, ..., periods - 1.
    conf : float, default 0.95
        The trend is significant when the p-value is below ``1 - conf``.

    Returns
    -------
    dict
        ``"marker"``: "en hausse", "en baisse", "pas d'évolution significative", or None
        when the test cannot be computed (fewer than 3 periods, no events, events without
        base); ``"statistic"``: chi-square value; ``"p_value"``; ``"slope"``: ``U / V``,
        the one-step estimate of ``beta``, the change in log-rate per unit of ``times``
        (its sign is the direction). Values are floats (and a str or None) for one series,
        arrays for several.

    Raises
    ------
    ValueError
        If a value is negative, ``times`` does not match the number of periods, or
        ``conf`` is not in (0, 1).

    Examples
    --------
    >>> result = trend([10, 20, 30], [100, 100, 100])
    >>> result["marker"], round(result["statistic"], 2), round(result["p_value"], 4)
    ('en hausse', 10.0, 0.0016)
    >>> trend([10, 20], [100, 100])["marker"] is None
    True
    """
    _check_conf(conf)
    e = _float_array(events, "events")
    b = _float_array(base, "base")
    _check_non_negative(e, "events")
    _check_non_negative(b, "base")
    e, b = np.broadcast_arrays(e, b)
    scalar = e.ndim <= 1
    e, b = np.atleast_1d(e, b)
    n_periods = e.shape[-1]
    if times is None:
        x = np.arange(n_periods, dtype=float)
    else:
        x = _float_array(times, "times")
        if x.shape != (n_periods,) or not np.all(np.isfinite(x)):
            raise ValueError(
                f"times must hold one finite value per period ({n_periods}), got {times!r}"
            )
    usable = np.isfinite(e) & np.isfinite(b) & (b > 0)
    events_without_base = np.any((b == 0) & (e > 0), axis=-1)
    e0 = np.where(usable, e, 0.0)
    b0 = np.where(usable, b, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        total_events = e0.sum(axis=-1, keepdims=True)
        total_base = b0.sum(axis=-1, keepdims=True)
        # Centring the scores first avoids cancelling large squares (years ~ 2000).
        centred = x - (b0 * x).sum(axis=-1, keepdims=True) / total_base
        expected = b0 * total_events / total_base
        u = (centred * (e0 - expected)).sum(axis=-1)
        v = total_events[..., 0] * (b0 * centred**2).sum(axis=-1) / total_base[..., 0]
        statistic = u**2 / v
        slope = u / v
    computable = (
        (usable.sum(axis=-1) >= 3) & (total_events[..., 0] > 0) & (v > 0) & ~events_without_base
    )
    statistic = np.where(computable, statistic, np.nan)
    slope = np.where(computable, slope, np.nan)
    p_value = stats.chi2.sf(statistic, 1)
    marker = np.full(statistic.shape, None, dtype=object)
    significant = computable & (p_value < 1 - conf)
    marker[computable] = _TREND_FLAT
    marker[significant & (u > 0)] = _TREND_UP
    marker[significant & (u < 0)] = _TREND_DOWN
    if scalar:
        return {
            "marker": marker.item(),
            "statistic": float(statistic),
            "p_value": float(p_value),
            "slope": float(slope),
        }
    return {"marker": marker, "statistic": statistic, "p_value": p_value, "slope": slope}
