"""The one way measurements are written: the form, the CSV import and the API all call it.

`record_measurements` upserts (a period written again is updated, so every import is
idempotent), bumps each touched metric's `data_version` once, and tells the listeners
(learning.hooks) after the transaction commits.

How the rows reach the table: `bulk_create(update_conflicts=True)` in batches, which is
portable (SQLite in development). On PostgreSQL a large write (COPY_THRESHOLD rows or more)
instead COPYs the rows into a temporary table and upserts them with one
INSERT ... SELECT ... ON CONFLICT: measured 4.5 s -> 1.2 s for 100,000 rows
(bench/IMPORT_RESULTS.md), because the ORM's per-object SQL building dominates otherwise.
Both paths have the same effect; tests run both on PostgreSQL.
"""

import datetime as dt
import io
from collections.abc import Callable, Iterable

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from learning.hooks import notify_measurements_changed
from learning.models import Cadence, Measurement, Metric, Source

BATCH_SIZE = 5000
COPY_THRESHOLD = 2000


def normalise_period(day: dt.date, cadence: str) -> dt.date:
    """The first day of the period that contains `day`: the one place periods are made."""
    if cadence == Cadence.WEEKLY:
        return day - dt.timedelta(days=day.weekday())
    if cadence == Cadence.MONTHLY:
        return day.replace(day=1)
    return day


def record_measurements(
    rows: Iterable[tuple[int, dt.date, float]],
    *,
    source: str = Source.FORM,
    user=None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Upsert (metric_id, date, value) rows; return how many distinct periods were written.

    Dates are normalised to the metric's cadence; when two rows land on the same period the
    last one wins (callers that must reject duplicates validate before calling).
    `progress(n)` is called after each batch with the number of rows written so far.
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
        cadence = cadences[metric_id]
        if cadence != Cadence.DAILY:
            day = normalise_period(day, cadence)
        latest[(metric_id, day)] = float(value)
    with transaction.atomic():
        if connection.vendor == "postgresql" and len(latest) >= COPY_THRESHOLD:
            _copy_upsert(latest, source, user_id, progress)
        else:
            _bulk_upsert(latest, source, user_id, progress)
        Metric.objects.filter(pk__in=metric_ids).update(data_version=F("data_version") + 1)
        transaction.on_commit(lambda: notify_measurements_changed(metric_ids))
    return len(latest)


def _bulk_upsert(latest, source, user_id, progress) -> None:
    objs = [
        Measurement(metric_id=m, period=p, value=v, source=source, entered_by_id=user_id)
        for (m, p), v in latest.items()
    ]
    for start in range(0, len(objs), BATCH_SIZE):
        Measurement.objects.bulk_create(
            objs[start : start + BATCH_SIZE],
            update_conflicts=True,
            unique_fields=["metric", "period"],
            update_fields=["value", "source", "entered_by", "recorded_at"],
        )
        if progress is not None:
            progress(min(start + BATCH_SIZE, len(objs)))


_STAGE = "learning_measurement_in"
UPSERT_SQL = (
    "INSERT INTO learning_measurement "
    "(metric_id, period, value, source, entered_by_id, recorded_at) "
    "SELECT metric_id, period, value, %s, %s, %s FROM learning_measurement_in "
    "ON CONFLICT (metric_id, period) DO UPDATE SET value = EXCLUDED.value, "
    "source = EXCLUDED.source, entered_by_id = EXCLUDED.entered_by_id, "
    "recorded_at = EXCLUDED.recorded_at"
)


def _copy_upsert(latest, source, user_id, progress) -> None:
    """PostgreSQL: COPY into a session temp table, then one upsert (inside the caller's atomic)."""
    items = list(latest.items())
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {_STAGE} "
            "(metric_id bigint, period date, value double precision) ON COMMIT DELETE ROWS"
        )
        cursor.execute(f"TRUNCATE {_STAGE}")
        for start in range(0, len(items), BATCH_SIZE * 4):
            chunk = items[start : start + BATCH_SIZE * 4]
            data = "".join(f"{m}\t{p.isoformat()}\t{v!r}\n" for (m, p), v in chunk)
            _copy(cursor, f"COPY {_STAGE} (metric_id, period, value) FROM STDIN", data)
        cursor.execute(UPSERT_SQL, [source, user_id, timezone.now()])
        cursor.execute(f"TRUNCATE {_STAGE}")
    if progress is not None:
        progress(len(items))


def _copy(cursor, sql: str, data: str) -> None:
    raw = cursor.cursor
    if hasattr(raw, "copy_expert"):  # psycopg2
        raw.copy_expert(sql, io.StringIO(data))
    else:  # psycopg 3
        with raw.copy(sql) as copy:
            copy.write(data)


def delete_measurement(measurement: Measurement) -> None:
    """Remove one value; the series changed, so its metric's data_version moves too."""
    metric_id = measurement.metric_id
    with transaction.atomic():
        measurement.delete()
        Metric.objects.filter(pk=metric_id).update(data_version=F("data_version") + 1)
        transaction.on_commit(lambda: notify_measurements_changed([metric_id]))
