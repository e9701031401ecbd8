"""KPI series for the pipeline tests, and the flags an undisturbed run must raise.

The expectation comes from the pure detector on the very same rows: whatever a scan does
(through a worker, redelivered, caught up late), its flags must equal these.
"""

import datetime as dt

import numpy as np

from realigning import relapse
from realigning.models import RelapseFlag
from tests.learning.factories import MetricFactory

START = dt.date(2026, 1, 1)


def watched_metric(initiative, **kwargs):
    """A KPI improved from 60 to 80 (higher is better), to hold from START."""
    defaults = {
        "initiative": initiative,
        "baseline": 60.0,
        "target": 80.0,
        "hold_from": START,
        "direction": "higher",
        "cadence": "daily",
    }
    return MetricFactory(**{**defaults, **kwargs})


def series(*, held: int = 90, after: int = 40, after_level: float | None = 68, seed: int = 1):
    """[(day, value)]: 80 +- 2 for `held` days, then `after_level` (None: the gain holds)."""
    rng = np.random.default_rng(seed)
    values = list(80 + 2 * rng.standard_normal(held))
    if after_level is not None:
        values += list(after_level + 2 * rng.standard_normal(after))
    return [(START + dt.timedelta(days=i), round(float(v), 3)) for i, v in enumerate(values)]


def rows(metric, points) -> list[tuple[int, dt.date, float]]:
    return [(metric.pk, day, value) for day, value in points]


def expected_flags(metric, points) -> set[tuple[int, dt.date, str]]:
    result = relapse.detect(
        points,
        baseline=metric.baseline,
        target=metric.target,
        direction=metric.direction,
        hold_from=metric.hold_from,
        cadence=metric.cadence,
    )
    return {(metric.pk, s.slide_began, s.rule) for s in result.signals}


def flag_set(metric_ids=None) -> set[tuple[int, dt.date, str]]:
    flags = RelapseFlag.objects.all()
    if metric_ids is not None:
        flags = flags.filter(metric_id__in=list(metric_ids))
    return set(flags.values_list("metric_id", "slide_began", "rule"))
