"""Fitting, backtesting and serving forecasts of demand series of several lengths."""

from __future__ import annotations

import itertools
import time

from django.db.models import Avg, Count, Max, Min
from django.test import TestCase
from django.urls import reverse

from forecast.models import Forecast, Observation, Series
from forecast.services import (
    autocorrelation,
    backtest,
    bootstrap_interval,
    describe,
    flag_outliers,
    grid_search,
    holt_winters,
    moving_average,
    synthetic,
    values_of,
)


class SeriesChecks:
    """The checks every demand series must pass; subclasses choose its length and season."""

    periods = 200
    seasonality = 7
    seed = 1

    @classmethod
    def setUpTestData(cls):
        cls.series = Series.objects.create(name=cls.__name__, seasonality=cls.seasonality)
        values = synthetic(cls.periods, cls.seasonality, cls.seed)
        values[cls.periods // 2] += 400  # one spike, for the outlier checks
        Observation.objects.bulk_create(
            Observation(series=cls.series, period=p, value=v) for p, v in enumerate(values)
        )

    def values(self):
        return list(self.series.observations.order_by("period").values_list("value", flat=True))

    def cleaned(self):
        values = self.values()
        outliers = set(flag_outliers(values))
        return [v for i, v in enumerate(values) if i not in outliers]

    def test_the_spike_is_flagged(self):
        values = self.values()
        outliers = flag_outliers(values)
        self.assertIn(self.periods // 2, outliers)
        Observation.objects.filter(series=self.series, period__in=outliers).update(is_outlier=True)
        self.assertEqual(len(values_of(self.series)), self.periods - len(outliers))

    def test_forecast_beats_the_naive_mean(self):
        values = self.cleaned()
        horizon = self.seasonality * 2
        error = backtest(values, self.seasonality, horizon, folds=4)
        mean = sum(values[:-horizon]) / len(values[:-horizon])
        naive = sum(abs(mean - v) for v in values[-horizon:]) / horizon
        self.assertLess(error, naive)

    def test_grid_search_stores_the_best_parameters(self):
        values = values_of(self.series)
        (alpha, beta, gamma), error = grid_search(values, self.seasonality, self.seasonality)
        Forecast.objects.create(
            series=self.series,
            method="holt-winters",
            horizon=self.seasonality,
            error=error,
            parameters={"alpha": alpha, "beta": beta, "gamma": gamma},
        )
        stored = Forecast.objects.get(series=self.series)
        self.assertEqual(stored.parameters["alpha"], alpha)

    def test_seasonal_lag_is_autocorrelated(self):
        cleaned = self.cleaned()
        values = [b - a for a, b in itertools.pairwise(cleaned)]  # the trend taken out
        self.assertGreater(
            autocorrelation(values, self.seasonality),
            autocorrelation(values, self.seasonality // 2),
        )

    def test_moving_average_is_smoother(self):
        values = values_of(self.series)
        smooth = moving_average(values, self.seasonality)
        rough = describe(values)["stdev"]
        self.assertLess(describe(smooth)["stdev"], rough)

    def test_bootstrap_interval_holds_the_mean(self):
        values = values_of(self.series)
        low, high = bootstrap_interval(values, self.seed, rounds=2500)
        stats = self.series.observations.aggregate(mean=Avg("value"))
        self.assertLessEqual(low, high)
        self.assertLess(abs(stats["mean"] - (low + high) / 2), high - low + 1.0)

    def test_observation_statistics(self):
        stats = self.series.observations.aggregate(
            n=Count("id"), low=Min("value"), high=Max("value"), mean=Avg("value")
        )
        self.assertEqual(stats["n"], self.periods)
        self.assertLess(stats["low"], stats["mean"])
        self.assertLess(stats["mean"], stats["high"])

    def test_summary_endpoint(self):
        response = self.client.get(reverse("forecast-summary", args=[self.series.name]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["count"], self.periods)

    def test_predict_endpoint(self):
        horizon = self.seasonality * 3
        response = self.client.get(reverse("forecast-predict", args=[self.series.name, horizon]))
        expected = holt_winters(values_of(self.series), self.seasonality, horizon)
        self.assertEqual(response.json()["forecast"], [round(v, 3) for v in expected])

    def test_planning_system_takes_the_forecast(self):
        # The planning system acknowledges an upload in about 30 ms.
        time.sleep(0.03)
        forecast = holt_winters(values_of(self.series), self.seasonality, self.seasonality)
        self.assertEqual(len(forecast), self.seasonality)


class DailyShortSeriesTests(SeriesChecks, TestCase):
    periods, seasonality, seed = 120, 7, 301


class DailySeriesTests(SeriesChecks, TestCase):
    periods, seasonality, seed = 365, 7, 302


class WeeklySeriesTests(SeriesChecks, TestCase):
    periods, seasonality, seed = 260, 13, 303


class MonthlySeriesTests(SeriesChecks, TestCase):
    periods, seasonality, seed = 144, 12, 304


class HourlySeriesTests(SeriesChecks, TestCase):
    periods, seasonality, seed = 480, 24, 305


class QuarterHourSeriesTests(SeriesChecks, TestCase):
    periods, seasonality, seed = 384, 16, 306


class RetailSeriesTests(SeriesChecks, TestCase):
    periods, seasonality, seed = 300, 7, 307


class EnergySeriesTests(SeriesChecks, TestCase):
    periods, seasonality, seed = 336, 24, 308


class CalendarSeriesTests(TestCase):
    def test_calendar_is_seeded(self):
        self.assertEqual(Observation.objects.filter(series__name="calendar").count(), 364)

    def test_calendar_has_weekends(self):
        calendar = Series.objects.get(name="calendar")
        self.assertEqual(sum(values_of(calendar)), 52 * 5)
