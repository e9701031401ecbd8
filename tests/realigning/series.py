"""Seeded KPI series for realigning's tests: an improvement that holds, or slides back."""

import datetime as dt

import numpy as np
from django.test import TestCase

from learning.measurements import record_measurements

START = dt.date(2026, 1, 1)


def improved_then(metric, *, days_held=90, days_after=40, after_level=None, seed=1):
    """Baseline 60 -> improved level 80 (sd 2) from START; then `after_level` if given."""
    rng = np.random.default_rng(seed)
    values = list(80 + 2 * rng.standard_normal(days_held))
    if after_level is not None:
        values += list(after_level + 2 * rng.standard_normal(days_after))
    rows = [(metric.pk, START + dt.timedelta(days=i), float(v)) for i, v in enumerate(values)]
    # Run the after-commit listeners (the relapse check) as a real commit would.
    with TestCase.captureOnCommitCallbacks(execute=True):
        record_measurements(rows, source="demo")
    metric.refresh_from_db()
    return rows


def watched(metric_factory, **kwargs):
    defaults = {"baseline": 60.0, "target": 80.0, "hold_from": START, "direction": "higher"}
    return metric_factory(**{**defaults, **kwargs})
