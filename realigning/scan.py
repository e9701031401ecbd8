"""Relapse scans: feed metrics' series to the detector and keep flags in step.

What needs checking is derived from the data, never from a queue: a metric whose
`data_version` is above its watch's `checked_version` has unchecked data. So a check
that could not be enqueued (broker down) is caught by the next incremental scan, and
running a check twice is harmless (flags are unique per metric and episode).
"""

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import groupby

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from learning.models import Measurement, Metric
from realigning import relapse
from realigning.models import SEVERITY_RANK, FlagStatus, MetricWatch, RelapseFlag

log = logging.getLogger(__name__)

CHUNK_SIZE = 200  # metrics per task: big enough to amortise, small enough to spread
WATCH_BATCH = 50  # watermarks per upsert


@dataclass
class CheckOutcome:
    checked: int = 0
    new_flags: list[int] = None

    def __post_init__(self):
        self.new_flags = self.new_flags or []


def watchable_metrics():
    """Metrics the detector can judge: a baseline and a date the gain should hold from."""
    return Metric.objects.filter(baseline__isnull=False, hold_from__isnull=False)


def stale_metric_ids() -> list[int]:
    """Metrics with data newer than their watermark (or never checked)."""
    return list(
        watchable_metrics()
        .filter(Q(watch__isnull=True) | Q(data_version__gt=F("watch__checked_version")))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def all_metric_ids() -> list[int]:
    return list(watchable_metrics().order_by("pk").values_list("pk", flat=True))


def chunks(ids: list[int], size: int = CHUNK_SIZE) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _series(metric_ids: list[int]) -> Iterator[tuple[int, list[tuple]]]:
    """Stream (metric_id, [(period, value), ...]) in one ordered query, chunked by the DB."""
    rows = (
        Measurement.objects.filter(metric_id__in=metric_ids)
        .order_by("metric_id", "period")
        .values_list("metric_id", "period", "value")
        .iterator(chunk_size=5000)
    )
    for metric_id, group in groupby(rows, key=lambda r: r[0]):
        yield metric_id, [(period, value) for _, period, value in group]


def check_metrics(metric_ids: Iterable[int], *, force: bool = False) -> CheckOutcome:
    """Run the detector over these metrics and record what it finds.

    Without `force`, metrics already checked at their current data_version are skipped,
    so a redelivered or duplicated task costs one query.

    Queries per chunk, not per metric: the candidates, the episodes already flagged, the
    streamed series, one insert per new flag, and one upsert of the watermarks for every
    WATCH_BATCH metrics (bench/SCAN_RESULTS.md). A watermark is written only after the
    metric's flags, so a scan that dies in between re-checks the metric later, and the
    unique constraint makes that harmless.
    """
    candidates = watchable_metrics().filter(pk__in=list(metric_ids))
    if not force:
        candidates = candidates.filter(
            Q(watch__isnull=True) | Q(data_version__gt=F("watch__checked_version"))
        )
    metrics = {
        m.pk: m
        for m in candidates.only(
            "pk", "baseline", "target", "direction", "hold_from", "cadence", "data_version"
        )
    }
    outcome = CheckOutcome()
    if not metrics:
        return outcome
    flagged = set(
        RelapseFlag.objects.filter(metric_id__in=list(metrics)).values_list(
            "metric_id", "slide_began"
        )
    )
    watches: list[MetricWatch] = []
    for metric, series in _each_series(metrics):
        outcome.checked += 1
        result = _detect(metric, series)
        if result is None:
            continue
        for signal in result.signals:
            flag_id = _record(metric, signal, flagged)
            if flag_id:
                outcome.new_flags.append(flag_id)
        watches.append(_watch(metric, result))
        if len(watches) >= WATCH_BATCH:
            _save_watches(watches)
            watches = []
    _save_watches(watches)
    return outcome


def _each_series(metrics: dict[int, Metric]) -> Iterator[tuple[Metric, list[tuple]]]:
    seen: set[int] = set()
    for metric_id, series in _series(sorted(metrics)):
        seen.add(metric_id)
        yield metrics[metric_id], series
    for metric_id in sorted(set(metrics) - seen):  # no measurements at all yet
        yield metrics[metric_id], []


def unnotified_flag_ids(metric_ids: Iterable[int]) -> list[int]:
    """Open flags of these metrics whose email has not gone out (one query)."""
    return list(
        RelapseFlag.objects.filter(
            metric_id__in=list(metric_ids), status=FlagStatus.OPEN, notified_at__isnull=True
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _detect(metric: Metric, series: list[tuple]) -> relapse.Result | None:
    try:
        return relapse.detect(
            series,
            baseline=metric.baseline,
            target=metric.target,
            direction=metric.direction,
            hold_from=metric.hold_from,
            cadence=metric.cadence,
        )
    except Exception:  # a poison series must not stop the scan of the others
        log.exception("relapse detector failed on metric %s", metric.pk)
        return None  # its watermark stays behind: the next scan tries again


def _record(metric: Metric, signal: relapse.Signal, flagged: set) -> int | None:
    """Create the flag for this episode unless it exists; return its id when new."""
    if (metric.pk, signal.slide_began) in flagged:
        return None
    try:
        with transaction.atomic():  # a concurrent scan may win the race: that's fine
            flag = RelapseFlag.objects.create(
                metric=metric,
                rule=signal.rule,
                severity=signal.severity,
                severity_rank=SEVERITY_RANK.get(signal.severity, 1),
                fired_on=signal.fired_on,
                slide_began=signal.slide_began,
                evidence=_jsonable(signal.evidence),
            )
    except IntegrityError:
        return None
    flagged.add((metric.pk, signal.slide_began))
    return flag.pk


WATCH_FIELDS = [
    "checked_version",
    "checked_at",
    "status",
    "reason",
    "level",
    "sigma",
    "lower_limit",
    "upper_limit",
]


def _watch(metric: Metric, result: relapse.Result) -> MetricWatch:
    limits = result.limits or (None, None)
    return MetricWatch(
        metric_id=metric.pk,
        checked_version=metric.data_version,
        checked_at=timezone.now(),
        status=result.status,
        reason=result.reason[:200],
        level=result.level,
        sigma=result.sigma,
        lower_limit=limits[0],
        upper_limit=limits[1],
    )


def _save_watches(watches: list[MetricWatch]) -> None:
    """Advance these watermarks in one upsert."""
    if watches:
        MetricWatch.objects.bulk_create(
            watches, update_conflicts=True, unique_fields=["metric"], update_fields=WATCH_FIELDS
        )


def _jsonable(value):
    """Evidence as plain JSON: dates to ISO strings, NumPy numbers to floats."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):  # NumPy scalar
        return value.item()
    return value
