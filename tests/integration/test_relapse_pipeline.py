"""Issue 4: the relapse pipeline end to end on a real Celery worker, Redis and PostgreSQL.

A measurement write commits; on_commit enqueues a check; the worker runs the detector and
the flag appears. When the broker is unreachable during the write, the write still
succeeds at once and the incremental scan catches up later.
"""

import logging
import time

import pytest
from django.db.models import F

from learning.measurements import record_measurements
from learning.models import Measurement
from realigning import scan
from realigning.models import MetricWatch, RelapseFlag
from realigning.tasks import incremental_scan
from tests.factories import InitiativeFactory
from tests.integration.harness import free_port, in_process_broker, wait_for
from tests.integration.pipeline_data import (
    expected_flags,
    flag_set,
    rows,
    series,
    watched_metric,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_relapsing_write_raises_a_flag_through_the_real_worker(celery_worker):
    initiative = InitiativeFactory()
    slides, holds = watched_metric(initiative), watched_metric(initiative)
    slide_points, hold_points = series(after_level=68, seed=3), series(after_level=None, seed=4)
    expected = expected_flags(slides, slide_points)
    assert expected and not expected_flags(holds, hold_points)  # the data says what to expect

    # A committed write (no test transaction around it): on_commit enqueues the check.
    record_measurements(rows(slides, slide_points) + rows(holds, hold_points), source="api")

    wait_for(lambda: flag_set() == expected, 60, "the worker to raise the flag")
    wait_for(
        lambda: (
            MetricWatch.objects.filter(
                metric__in=[slides, holds], checked_version=F("metric__data_version"), status="ok"
            ).count()
            == 2
        ),
        30,
        "both watermarks to reach the written data_version",
    )
    # ... and the new flag's email went out (console backend in the worker).
    wait_for(
        lambda: not RelapseFlag.objects.filter(notified_at__isnull=True).exists(),
        30,
        "the flag's notification",
    )
    assert flag_set() == expected  # nothing extra, no duplicate


def test_the_scan_catches_up_after_the_broker_was_unreachable_during_the_write(
    celery_worker, caplog
):
    initiative = InitiativeFactory()
    metric = watched_metric(initiative)
    points = series(after_level=66, seed=5)
    expected = expected_flags(metric, points)
    assert expected

    dead = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens: connection refused
    queue = celery_worker.args[celery_worker.args.index("-Q") + 1]
    with caplog.at_level(logging.ERROR, logger="learning.hooks"), in_process_broker(dead, queue):
        started = time.monotonic()
        written = record_measurements(rows(metric, points), source="api")
        elapsed = time.monotonic() - started

    assert written == len(points)
    assert Measurement.objects.filter(metric=metric).count() == len(points)  # the write stands
    assert elapsed < 3, f"the write waited {elapsed:.1f}s on a dead broker"
    assert "measurement listener" in caplog.text and "failed" in caplog.text  # logged
    assert scan.stale_metric_ids() == [metric.pk]  # the data says it still needs a check
    time.sleep(1)  # had anything been enqueued, the worker would have run it by now
    assert not RelapseFlag.objects.exists()

    # The broker is back: the next scheduled incremental scan catches up.
    incremental_scan.delay()
    wait_for(lambda: flag_set() == expected, 60, "the incremental scan to raise the flag")
    wait_for(lambda: scan.stale_metric_ids() == [], 30, "the watermark to catch up")
    assert flag_set() == expected
