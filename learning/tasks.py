"""Celery tasks of learning: thin; the work is in learning.importing."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from learning import importing

log = logging.getLogger(__name__)


@shared_task(acks_late=True, soft_time_limit=20 * 60, time_limit=25 * 60)
def import_measurements(import_id: int) -> None:
    """Write a confirmed, large CSV import (every row or none)."""
    try:
        importing.run_import(import_id)
    except SoftTimeLimitExceeded:
        importing.mark_failed(import_id, "The import took too long: nothing was written.")
        raise
    except Exception:
        # A poison file must not crash-loop the worker: record it and move on.
        log.exception("measurement import %s failed", import_id)
        importing.mark_failed(import_id, "The import failed: nothing was written. Try again.")
