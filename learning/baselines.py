"""A KPI's baseline from the measurements of a period the user picks: mean and spread."""

import datetime as dt
from dataclasses import dataclass
from statistics import fmean, stdev

from learning.models import Measurement


@dataclass(frozen=True)
class BaselineStats:
    n: int
    mean: float | None
    spread: float | None  # sample standard deviation


def stats_of(values: list[float]) -> BaselineStats:
    if not values:
        return BaselineStats(0, None, None)
    return BaselineStats(len(values), fmean(values), stdev(values) if len(values) > 1 else None)


def baseline_of_period(metric_id: int, start: dt.date, end: dt.date) -> BaselineStats:
    values = list(
        Measurement.objects.filter(
            metric_id=metric_id, period__gte=start, period__lte=end
        ).values_list("value", flat=True)
    )
    return stats_of(values)
