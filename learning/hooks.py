"""Who hears about new measurements, without learning importing them.

Other apps (realigning's relapse check) append a callable to `measurement_listeners`
in their `AppConfig.ready()`. `record_measurements` calls `notify_measurements_changed`
after the write commits. A listener that fails (a broker that is down) is logged and
skipped: the measurements are already safe, and the scheduled scan catches up.
"""

import logging
from collections.abc import Callable

log = logging.getLogger(__name__)

measurement_listeners: list[Callable[[list[int]], None]] = []


def notify_measurements_changed(metric_ids: list[int]) -> None:
    for listener in list(measurement_listeners):
        try:
            listener(list(metric_ids))
        except Exception:
            log.exception("measurement listener %r failed for metrics %s", listener, metric_ids)
