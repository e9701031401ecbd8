"""The production Celery app (config.celery) with test-only tweaks from the environment.

Workers and beats started by the integration tests run `celery -A tests.integration.celery_app`
so a test can shorten what production must keep long, without a knob in production code.
HOLDFAST_TEST_CELERY is JSON:

* `broker_transport_options`: merged over the production ones (e.g. a short
  `visibility_timeout` so a task lost with a killed worker is redelivered in seconds,
  not the production 2 hours).
* `beat_interval` + `beat_queue`: replace the schedule with the incremental scan every
  `beat_interval` seconds (production: every 5 minutes), routed to `beat_queue`.
* `slow_detect`: seconds added to every detector call, so a kill lands mid-scan.
"""

import json
import os
import time

from config.celery import app

_overrides = json.loads(os.environ.get("HOLDFAST_TEST_CELERY") or "{}")

if "broker_transport_options" in _overrides:
    app.conf.broker_transport_options = {
        **app.conf.broker_transport_options,
        **_overrides["broker_transport_options"],
    }

if "beat_interval" in _overrides:
    app.conf.beat_schedule = {
        "relapse-incremental-scan": {
            "task": "realigning.tasks.incremental_scan",
            "schedule": float(_overrides["beat_interval"]),
            "options": {"expires": 60, "queue": _overrides["beat_queue"]},
        }
    }
    # RedBeat sleeps at most this long between ticks.
    app.conf.beat_max_loop_interval = float(_overrides["beat_interval"]) / 2

if "slow_detect" in _overrides:
    from realigning import relapse

    _real_detect = relapse.detect

    def _slow_detect(*args, **kwargs):
        time.sleep(float(_overrides["slow_detect"]))
        return _real_detect(*args, **kwargs)

    relapse.detect = _slow_detect
