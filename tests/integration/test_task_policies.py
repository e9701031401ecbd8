"""Every task of our apps declares its limits and its retry policy; the broker agrees.

Issue 7: "Every task declares its time limits, retries with backoff and jitter on
transient errors, and is safe to run twice; the broker's visibility timeout exceeds the
longest task." (Safe to run twice is shown by behaviour: tests/realigning/test_scan.py
and the redelivery test in test_faults.py.) No services needed.
"""

import smtplib

import pytest
from django.conf import settings
from django.db import OperationalError
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import RedisError

from config.celery import app
from initiatives import health

OUR_APPS = ("initiatives", "chartering", "learning", "mobilizing", "realigning")

# Tasks that must not retry, each with the reason.
NO_RETRY = {
    # A health probe retried or redelivered would hide the very failure it measures.
    "initiatives.tasks.ping",
    # Owned by learning: on any error it marks the import failed ("try again") instead of
    # retrying; a rerun is safe (it only runs a QUEUED import). Reported to its owner.
    "learning.tasks.import_measurements",
}


def our_tasks():
    app.loader.import_default_modules()
    return sorted(
        (name, task) for name, task in app.tasks.items() if name.split(".")[0] in OUR_APPS
    )


def test_the_walk_finds_the_pipeline_tasks():
    names = {name for name, _ in our_tasks()}
    assert {
        "realigning.tasks.check_metrics",
        "realigning.tasks.incremental_scan",
        "realigning.tasks.full_scan",
        "realigning.tasks.notify_flag_opened",
        "realigning.tasks.daily_digest",
    } <= names
    assert NO_RETRY <= names  # an exemption for a task that is gone must go too


@pytest.mark.parametrize("name,task", our_tasks(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_task_declares_time_limits(name, task):
    assert task.time_limit and task.soft_time_limit, name
    assert task.soft_time_limit < task.time_limit, name  # the soft one lets it clean up
    assert task.acks_late, f"{name}: a task lost with its worker must be redelivered"


@pytest.mark.parametrize(
    "name,task",
    [(n, t) for n, t in our_tasks() if n not in NO_RETRY],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_every_task_retries_transient_errors_with_backoff_and_jitter(name, task):
    transient = tuple(task.autoretry_for)
    for error in (OperationalError, RedisError, BrokerError, ConnectionError, TimeoutError):
        assert issubclass(error, transient), f"{name} does not retry {error.__name__}"
    assert task.retry_backoff and task.retry_jitter, name
    assert task.retry_backoff_max and task.max_retries, name  # bounded, not for ever
    assert task.reject_on_worker_lost, name


def test_notifications_retry_a_failing_mail_server():
    for name in ("realigning.tasks.notify_flag_opened", "realigning.tasks.daily_digest"):
        transient = tuple(app.tasks[name].autoretry_for)
        assert issubclass(smtplib.SMTPServerDisconnected, transient)
        assert issubclass(ConnectionRefusedError, transient)


def test_fire_and_forget_tasks_never_touch_the_result_store():
    # With results on, every .delay() subscribes to the result store before publishing,
    # which is what blocked a write for 19-129 s with Redis down.
    for name, task in our_tasks():
        if name.startswith("realigning."):
            assert task.ignore_result, name


def test_the_visibility_timeout_exceeds_the_longest_task():
    """Longer than any task can run (plus its longest retry wait, which a Redis worker
    holds unacked too), or acks_late would hand a running task to a second worker."""
    visibility = app.conf.broker_transport_options["visibility_timeout"]
    longest = max(
        (task.time_limit or 0) + (getattr(task, "retry_backoff_max", 0) or 0)
        for _, task in our_tasks()
    )
    assert visibility > longest
    assert visibility > settings.CELERY_TASK_TIME_LIMIT  # the default for any other task


def test_enqueues_are_bounded_and_health_waits_30_seconds_for_a_round_trip():
    options = app.conf.broker_transport_options
    assert options["socket_timeout"] <= 2 and options["socket_connect_timeout"] <= 2
    assert options["max_retries"] <= 1 and not app.conf.task_publish_retry
    assert app.conf.result_backend_transport_options["retry_policy"]["max_retries"] <= 1
    assert health.CELERY_ROUND_TRIP_TIMEOUT == 30
