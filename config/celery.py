"""The Celery app; every periodic schedule lives here, each with the reason for its period."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("holdfast")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # New measurements are checked right after they are written; this catches the ones
    # whose enqueue failed (broker down) within minutes, and costs one query when idle.
    "relapse-incremental-scan": {
        "task": "realigning.tasks.incremental_scan",
        "schedule": 5 * 60,
        "options": {"expires": 4 * 60},
    },
    # A full re-check at night, when it competes with no one, in case the detector or a
    # baseline changed without new data.
    "relapse-full-scan": {
        "task": "realigning.tasks.full_scan",
        "schedule": crontab(hour=2, minute=30),
        "options": {"expires": 60 * 60},
    },
    # People read the digest at the start of their day.
    "relapse-daily-digest": {
        "task": "realigning.tasks.daily_digest",
        "schedule": crontab(hour=7, minute=0),
        "options": {"expires": 2 * 60 * 60},
    },
}
