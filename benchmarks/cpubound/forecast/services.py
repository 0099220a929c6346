"""Fitting and scoring forecasts: pure Python, as a small analytics team would write it."""

from __future__ import annotations

import math
import random
import statistics


def values_of(series) -> list[float]:
    """The series' observations in period order, outliers left out."""
    return list(
        series.observations.filter(is_outlier=False)
        .order_by("period")
        .values_list("value", flat=True)
    )


def synthetic(periods: int, seasonality: int, seed: int, trend: float = 0.4) -> list[float]:
    """A seasonal series with trend and noise, reproducible from ``seed``."""
    rng = random.Random(seed)
    return [
        100 + trend * t + 12 * math.sin(2 * math.pi * t / seasonality) + rng.gauss(0, 3)
        for t in range(periods)
    ]


def describe(values: list[float]) -> dict:
    """Mean, deviation and quartiles."""
    q1, q2, q3 = statistics.quantiles(values, n=4)
    return {
        "count": len(values),
        "mean": round(statistics.fmean(values), 4),
        "stdev": round(statistics.pstdev(values), 4),
        "quartiles": [round(q1, 4), round(q2, 4), round(q3, 4)],
    }


def moving_average(values: list[float], window: int) -> list[float]:
    return [statistics.fmean(values[i - window : i]) for i in range(window, len(values) + 1)]


def holt_winters(
    values: list[float],
    season: int,
    horizon: int,
    alpha: float = 0.3,
    beta: float = 0.05,
    gamma: float = 0.2,
) -> list[float]:
    """Additive Holt-Winters: the next ``horizon`` values."""
    level = statistics.fmean(values[:season])
    trend = (statistics.fmean(values[season : 2 * season]) - level) / season
    seasonal = [v - level for v in values[:season]]
    for t, value in enumerate(values):
        s = seasonal[t % season]
        last_level = level
        level = alpha * (value - s) + (1 - alpha) * (level + trend)
        trend = beta * (level - last_level) + (1 - beta) * trend
        seasonal[t % season] = gamma * (value - level) + (1 - gamma) * s
    n = len(values)
    return [level + (h + 1) * trend + seasonal[(n + h) % season] for h in range(horizon)]


def backtest(values: list[float], season: int, horizon: int, folds: int, **params) -> float:
    """Mean absolute error of ``folds`` rolling-origin forecasts."""
    errors = []
    for fold in range(folds):
        cut = len(values) - horizon * (folds - fold)
        predicted = holt_winters(values[:cut], season, horizon, **params)
        actual = values[cut : cut + horizon]
        errors.extend(abs(p - a) for p, a in zip(predicted, actual, strict=True))
    return statistics.fmean(errors)


def grid_search(values: list[float], season: int, horizon: int, folds: int = 3) -> tuple:
    """The (alpha, beta, gamma) with the least backtest error, and that error."""
    best = None
    for alpha in (0.1, 0.2, 0.3, 0.4, 0.5, 0.7):
        for beta in (0.01, 0.05, 0.1):
            for gamma in (0.1, 0.2, 0.4):
                error = backtest(
                    values, season, horizon, folds, alpha=alpha, beta=beta, gamma=gamma
                )
                if best is None or error < best[1]:
                    best = ((alpha, beta, gamma), error)
    return best


def flag_outliers(values: list[float], threshold: float = 3.0) -> list[int]:
    """Indexes whose robust z-score (median absolute deviation) exceeds ``threshold``."""
    median = statistics.median(values)
    mad = statistics.median(abs(v - median) for v in values) or 1e-9
    return [i for i, v in enumerate(values) if abs(0.6745 * (v - median) / mad) > threshold]


def bootstrap_interval(values: list[float], seed: int, rounds: int = 400) -> tuple[float, float]:
    """A 90 % bootstrap interval of the mean."""
    rng = random.Random(seed)
    means = sorted(statistics.fmean(rng.choices(values, k=len(values))) for _ in range(rounds))
    return means[int(rounds * 0.05)], means[int(rounds * 0.95)]


def autocorrelation(values: list[float], lag: int) -> float:
    mean = statistics.fmean(values)
    numerator = sum((values[t] - mean) * (values[t - lag] - mean) for t in range(lag, len(values)))
    denominator = sum((v - mean) ** 2 for v in values)
    return numerator / denominator
