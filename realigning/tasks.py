"""Thin Celery tasks around realigning.scan and realigning.notify.

Every task is safe to run twice, declares its time limits, and retries transient
failures (database or broker hiccups, a mail server down) with backoff and jitter.
Stale database connections (after a PostgreSQL restart) are closed around each task by
Celery's Django fixup in the worker, so the tasks don't do it themselves.
"""

import logging
import smtplib

from celery import shared_task
from django.db import OperationalError
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import RedisError

from realigning import notify, scan

log = logging.getLogger(__name__)

# BrokerError: kombu wraps a failed publish (a fan-out or a notification) in its own
# OperationalError, which is neither Django's nor a builtin ConnectionError.
TRANSIENT = (OperationalError, RedisError, BrokerError, ConnectionError, TimeoutError)
RETRY = {
    # Nobody waits for these results: without ignore_result every `.delay()` also
    # subscribed to the result store first, which with Redis down blocked the request
    # for 19 s (refused) to 129 s (silent Redis) instead of the broker's ~2 s bound.
    "ignore_result": True,
    "autoretry_for": TRANSIENT,
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 8,
    "acks_late": True,
    "reject_on_worker_lost": True,
}


@shared_task(soft_time_limit=600, time_limit=660, **RETRY)
def check_metrics(metric_ids: list[int], force: bool = False) -> dict:
    """Check a chunk of metrics; enqueue an email for each new flag."""
    outcome = scan.check_metrics(metric_ids, force=force)
    # Not only outcome.new_flags: a run killed after creating flags but before this line
    # is redelivered, and then finds those flags already there (not "new"). Every open
    # flag of these metrics nobody was told about is sent; sending is idempotent.
    for flag_id in sorted({*outcome.new_flags, *scan.unnotified_flag_ids(metric_ids)}):
        notify_flag_opened.delay(flag_id)
    return {"checked": outcome.checked, "new_flags": len(outcome.new_flags)}


@shared_task(soft_time_limit=120, time_limit=150, **RETRY)
def incremental_scan() -> int:
    """Fan out checks of the metrics whose data is newer than their watermark."""
    ids = scan.stale_metric_ids()
    for chunk in scan.chunks(ids):
        check_metrics.delay(chunk)
    return len(ids)


@shared_task(soft_time_limit=120, time_limit=150, **RETRY)
def full_scan() -> int:
    """Fan out a forced check of every watchable metric, in chunks across the workers."""
    ids = scan.all_metric_ids()
    for chunk in scan.chunks(ids):
        check_metrics.delay(chunk, force=True)
    return len(ids)


@shared_task(
    soft_time_limit=60,
    time_limit=90,
    **{**RETRY, "autoretry_for": (*TRANSIENT, smtplib.SMTPException, OSError)},
)
def notify_flag_opened(flag_id: int) -> bool:
    """A failing mail server fails this task only: it is retried, the scan is not."""
    return notify.send_flag_opened(flag_id)


@shared_task(
    soft_time_limit=300,
    time_limit=360,
    **{**RETRY, "autoretry_for": (*TRANSIENT, smtplib.SMTPException, OSError)},
)
def daily_digest() -> int:
    return notify.send_daily_digest()


def enqueue_checks(metric_ids: list[int]) -> None:
    """Listener for new measurements (learning.hooks): check them soon, off the request.

    If the broker is unreachable this raises after the broker timeouts (about 2 s); the
    hook logs it and the write stands: the incremental scan finds these metrics anyway.
    """
    for chunk in scan.chunks(sorted(set(metric_ids))):
        check_metrics.delay(chunk)
