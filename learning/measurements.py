"""The one way measurements are written: the form, the CSV import and the API all call it.

`record_measurements` upserts (a period written again is updated, so every import is
idempotent), bumps each touched metric's `data_version` once, and tells the listeners
(learning.hooks) after the transaction commits.
"""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F

from learning.hooks import notify_measurements_changed
from learning.models import Cadence, Measurement, Metric, Source

BATCH_SIZE = 5000


def normalise_period(day: dt.date, cadence: str) -> dt.date:
    """The first day of the period that contains `day`: the one place periods are made."""
    if cadence == Cadence.WEEKLY:
        return day - dt.timedelta(days=day.weekday())
    if cadence == Cadence.MONTHLY:
        return day.replace(day=1)
    return day


def record_measurements(
    rows: Iterable[tuple[int, dt.date, float]], *, source: str = Source.FORM, user=None
) -> int:
    """Upsert (metric_id, date, value) rows; return how many distinct periods were written.

    Dates are normalised to the metric's cadence; when two rows land on the same period the
    last one wins (callers that must reject duplicates validate before calling).
    """
    rows = list(rows)
    if not rows:
        return 0
    metric_ids = sorted({int(r[0]) for r in rows})
    cadences = dict(Metric.objects.filter(pk__in=metric_ids).values_list("pk", "cadence"))
    unknown = set(metric_ids) - set(cadences)
    if unknown:
        raise Metric.DoesNotExist(f"Unknown metric ids: {sorted(unknown)}")
    user_id = getattr(user, "pk", None)
    latest: dict[tuple[int, dt.date], float] = {}
    for metric_id, day, value in rows:
        metric_id = int(metric_id)
        latest[(metric_id, normalise_period(day, cadences[metric_id]))] = float(value)
    objs = [
        Measurement(metric_id=m, period=p, value=v, source=source, entered_by_id=user_id)
        for (m, p), v in latest.items()
    ]
    with transaction.atomic():
        Measurement.objects.bulk_create(
            objs,
            batch_size=BATCH_SIZE,
            update_conflicts=True,
            unique_fields=["metric", "period"],
            update_fields=["value", "source", "entered_by", "recorded_at"],
        )
        Metric.objects.filter(pk__in=metric_ids).update(data_version=F("data_version") + 1)
        transaction.on_commit(lambda: notify_measurements_changed(metric_ids))
    return len(objs)
