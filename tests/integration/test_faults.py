"""Issue 7: the relapse pipeline under faults, with real processes.

Each test starts what it needs (a throwaway redis-server on a free port, Celery workers
and beats, the web tier under gunicorn) against the test PostgreSQL database, breaks one
thing, and checks what users and the data see. The shared Redis and PostgreSQL are never
stopped: Redis outages are the throwaway server's, a PostgreSQL restart is
pg_terminate_backend of the app's own connections.
"""

import datetime as dt
import time
import uuid

import pytest
import requests
from django.db.models import F
from django.test import Client
from rest_framework.authtoken.models import Token

from learning import hooks
from learning.measurements import record_measurements
from learning.models import Measurement
from realigning.models import MetricWatch, RelapseFlag
from realigning.tasks import full_scan, incremental_scan
from tests.factories import InitiativeFactory
from tests.integration.harness import (
    ProcessGroup,
    RedisServer,
    SilentServer,
    SmtpStub,
    celery_overrides,
    database_url,
    free_port,
    in_process_broker,
    queued_messages,
    start_beat,
    start_web,
    start_worker,
    terminate_backends,
    wait_for,
)
from tests.integration.pipeline_data import (
    expected_flags,
    flag_set,
    rows,
    series,
    watched_metric,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def procs(services):
    group = ProcessGroup()
    yield group
    group.stop_all()


@pytest.fixture
def redis_server(services):
    server = RedisServer().start()
    yield server
    server.stop()


@pytest.fixture
def queue():
    return f"holdfast-fault-{uuid.uuid4().hex[:8]}"


def _session(user) -> dict[str, str]:
    client = Client()
    client.force_login(user)  # a session row in the (committed) test database
    return {"sessionid": client.cookies["sessionid"].value}


def _token(user) -> dict[str, str]:
    return {"Authorization": f"Token {Token.objects.create(user=user).key}"}


def _watch_caught_up(metric_ids) -> bool:
    return MetricWatch.objects.filter(
        metric_id__in=metric_ids, checked_version=F("metric__data_version")
    ).count() == len(metric_ids)


# ------------------------------------------------------------------ broker down during a write


@pytest.mark.parametrize("outage", ["refused", "silent"])
def test_an_http_write_returns_within_3s_and_is_saved_when_redis_is_down(procs, queue, outage):
    """Redis down (connection refused) or hung (accepts, never answers): the API write
    answers within 3 s, its data is saved, and the failed enqueue is logged."""
    silent = SilentServer() if outage == "silent" else None
    try:
        url = silent.url if silent else f"redis://127.0.0.1:{free_port()}/0"
        initiative = InitiativeFactory()
        metric = watched_metric(initiative)
        web, base = start_web(
            procs, redis_url=url, queue=queue, database=database_url(), name=f"web-{outage}-{queue}"
        )
        headers = _token(initiative.leader)
        # Warm the worker up (URLconf, views, templates load on the first request) with a
        # page that touches neither Redis nor the cache: the write below is then timed alone.
        assert requests.get(f"{base}/accounts/login/", timeout=30).status_code == 200

        started = time.monotonic()
        response = requests.post(
            f"{base}/api/measurements/",
            json={"metric": metric.pk, "period": "2026-03-02", "value": 81.5},
            headers=headers,
            timeout=30,
        )
        elapsed = time.monotonic() - started

        print(f"API write with Redis {outage}: {elapsed:.2f}s")
        assert response.status_code == 201, response.text
        assert elapsed < 3, f"the write took {elapsed:.1f}s with Redis {outage}"
        saved = Measurement.objects.get(metric=metric, period=dt.date(2026, 3, 2))
        assert saved.value == 81.5 and saved.source == "api"
        wait_for(lambda: "measurement listener" in web.log(), 5, "the enqueue failure in the log")
        assert f"failed for metrics [{metric.pk}]" in web.log()
        # The check was not lost: the data says the metric still needs one.
        assert not MetricWatch.objects.filter(metric=metric).exists()
        if silent:
            assert silent.accepted  # it really did talk to the hung "Redis"
    finally:
        if silent:
            silent.stop()


def test_redis_stopped_pages_and_api_serve_writes_succeed_and_the_scheduled_scan_catches_up(
    procs, redis_server, queue
):
    initiative = InitiativeFactory()
    metrics = [watched_metric(initiative) for _ in range(3)]
    points = [
        series(after_level=66, seed=11),
        series(after_level=None, seed=12),
        series(after_level=70, after=50, seed=13),
    ]
    expected = set().union(*(expected_flags(m, p) for m, p in zip(metrics, points, strict=True)))
    assert len(expected) >= 2

    start_worker(procs, redis_url=redis_server.url, queue=queue)
    web, base = start_web(
        procs, redis_url=redis_server.url, queue=queue, database=database_url(), name=f"web-{queue}"
    )
    cookies, headers = _session(initiative.leader), _token(initiative.leader)
    health = requests.get(f"{base}/health/", timeout=40)
    assert health.status_code == 200, health.text  # all up: a real round trip

    redis_server.stop()  # the outage: nothing in Redis survives it

    for page in (
        f"/initiatives/{initiative.pk}/",
        f"/initiatives/{initiative.pk}/learning/",
        f"/initiatives/{initiative.pk}/realigning/",
    ):
        response = requests.get(base + page, cookies=cookies, timeout=10)
        assert response.status_code == 200, (page, response.status_code)
    response = requests.get(f"{base}/api/metrics/", headers=headers, timeout=10)
    assert response.status_code == 200 and response.json()["count"] == 3

    payload = {
        "initiative": initiative.pk,
        "rows": [
            {"metric": m.pk, "period": day.isoformat(), "value": value}
            for m, p in zip(metrics, points, strict=True)
            for day, value in p
        ],
    }
    started = time.monotonic()
    response = requests.post(
        f"{base}/api/measurements/bulk/", json=payload, headers=headers, timeout=30
    )
    elapsed = time.monotonic() - started
    assert response.status_code == 200, response.text
    assert elapsed < 3, f"the bulk write took {elapsed:.1f}s with Redis stopped"
    assert Measurement.objects.filter(metric__in=metrics).count() == len(payload["rows"])
    wait_for(lambda: "measurement listener" in web.log(), 5, "the enqueue failure in the log")
    assert requests.get(f"{base}/health/", timeout=40).status_code == 503  # and says so
    assert not RelapseFlag.objects.exists()

    # Redis returns (empty). The scheduled incremental scan catches up: a real beat, with
    # the production schedule's entry ticking every 2 s instead of 5 minutes.
    redis_server.start()
    beat = start_beat(
        procs,
        redis_url=redis_server.url,
        queue=queue,
        name=f"beat-{queue}",
        **celery_overrides(beat_interval=2, beat_queue=queue),
    )
    ids = [m.pk for m in metrics]
    wait_for(lambda: flag_set(ids) == expected, 90, "the scheduled scan to raise the flags")
    wait_for(lambda: _watch_caught_up(ids), 30, "every watermark to catch up")
    assert flag_set(ids) == expected  # the same flags as if nothing had happened
    beat.stop()

    # The web process recovered without a restart: its round trip and its enqueues work.
    wait_for(
        lambda: requests.get(f"{base}/health/", timeout=40).status_code == 200,
        60,
        "/health/ to pass again",
    )
    response = requests.post(
        f"{base}/api/measurements/",
        json={"metric": metrics[1].pk, "period": "2026-06-01", "value": 80.2},
        headers=headers,
        timeout=30,
    )
    assert response.status_code == 201
    wait_for(lambda: _watch_caught_up(ids), 30, "the on-commit check of the new value")


# ------------------------------------------------------------------ a worker killed mid-scan


def test_a_worker_killed_mid_full_scan_is_redelivered_and_the_flags_match_an_undisturbed_run(
    procs, redis_server, queue, monkeypatch
):
    monkeypatch.setattr(hooks, "measurement_listeners", [])  # only the full scan checks
    initiative = InitiativeFactory()
    metrics, expected = [], set()
    for i in range(30):
        metric = watched_metric(initiative)
        points = series(after_level=(66 if i % 2 else None), seed=100 + i)
        record_measurements(rows(metric, points), source="api")
        metrics.append(metric)
        expected |= expected_flags(metric, points)
    ids = [m.pk for m in metrics]
    assert len(expected) >= 10

    # A slow detector (50 ms a metric) so the kill lands in the middle of the chunk.
    first = start_worker(
        procs,
        redis_url=redis_server.url,
        queue=queue,
        name=f"w1-{queue}",
        **celery_overrides(slow_detect=0.05),
    )
    with in_process_broker(redis_server.url, queue):
        full_scan.delay()
    # Flags are written as the scan goes (watermarks in batches after them).
    wait_for(lambda: RelapseFlag.objects.count() >= 3, 60, "the full scan to be under way")
    first.kill9()
    assert 3 <= RelapseFlag.objects.count() < len(expected), "the kill must land mid-scan"
    assert not _watch_caught_up(ids)
    assert redis_server.client().hlen("unacked") == 1  # the chunk is held, not lost

    # A new worker redelivers it once the visibility timeout (2 h in production, 2 s in
    # this worker) has passed since the lost delivery.
    time.sleep(2.5)
    start_worker(
        procs,
        redis_url=redis_server.url,
        queue=queue,
        name=f"w2-{queue}",
        **celery_overrides(
            broker_transport_options={
                "visibility_timeout": 2,
                "unacked_restore_interval": 1,
                "unacked_restore_throttle": 1,
            }
        ),
    )
    wait_for(lambda: _watch_caught_up(ids), 60, "the redelivered scan to finish")
    assert flag_set(ids) == expected  # identical to an undisturbed run, no duplicate
    # Flags the killed run created before it died are notified by the redelivered one.
    wait_for(
        lambda: not RelapseFlag.objects.filter(notified_at__isnull=True).exists(),
        30,
        "every flag's notification",
    )


# ------------------------------------------------------------------ PostgreSQL restart


def test_after_a_postgresql_restart_the_next_requests_and_tasks_succeed_without_a_restart(
    procs, redis_server, queue, monkeypatch
):
    tag = f"holdfast-test-{uuid.uuid4().hex[:8]}"
    initiative = InitiativeFactory()
    metric = watched_metric(initiative)
    start_worker(
        procs, redis_url=redis_server.url, queue=queue, database=database_url(f"{tag}-worker")
    )
    web, base = start_web(
        procs,
        redis_url=redis_server.url,
        queue=queue,
        database=database_url(f"{tag}-web"),
        name=f"web-{queue}",
    )
    cookies, headers = _session(initiative.leader), _token(initiative.leader)
    page = f"{base}/initiatives/{initiative.pk}/realigning/"

    assert requests.get(f"{base}/api/metrics/", headers=headers, timeout=10).status_code == 200
    assert requests.get(page, cookies=cookies, timeout=10).status_code == 200
    assert _connected(f"{tag}-web")  # CONN_MAX_AGE: the web process keeps its connection

    # The "restart": every connection the web process and the worker hold dies.
    assert terminate_backends(f"{tag}-web") >= 1
    terminate_backends(f"{tag}-worker")  # Celery's Django fixup holds none between tasks

    for _ in range(2):
        assert requests.get(page, cookies=cookies, timeout=10).status_code == 200
        response = requests.get(f"{base}/api/metrics/", headers=headers, timeout=10)
        assert response.status_code == 200 and response.json()["count"] == 1
    assert "server closed the connection" not in web.log()  # no request saw the dead one

    # The worker too: its next task runs on a working connection.
    monkeypatch.setattr(hooks, "measurement_listeners", [])
    points = series(after_level=66, seed=21)
    record_measurements(rows(metric, points), source="api")
    with in_process_broker(redis_server.url, queue):
        incremental_scan.delay()
    wait_for(
        lambda: flag_set([metric.pk]) == expected_flags(metric, points),
        60,
        "the worker to scan after the restart",
    )


def _connected(application_name: str) -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s",
            [application_name],
        )
        return cursor.fetchone()[0] > 0


# ------------------------------------------------------------------ mail server down


def test_a_failing_mail_server_does_not_fail_the_scan_and_the_notification_is_retried(
    procs, redis_server, queue
):
    smtp = SmtpStub(failures=2)  # the first two sessions get "421 service not available"
    try:
        initiative = InitiativeFactory()
        metric = watched_metric(initiative)
        points = series(after_level=66, seed=31)
        expected = expected_flags(metric, points)
        worker = start_worker(
            procs,
            redis_url=redis_server.url,
            queue=queue,
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(smtp.port),
            EMAIL_USE_TLS="false",
        )
        with in_process_broker(redis_server.url, queue):
            record_measurements(rows(metric, points), source="api")  # on_commit: the check

        # The scan itself succeeds: flag raised, watermark advanced, whatever the mail does.
        wait_for(lambda: flag_set([metric.pk]) == expected, 60, "the flag")
        wait_for(lambda: _watch_caught_up([metric.pk]), 30, "the watermark")
        wait_for(lambda: smtp.messages, 60, "the retried notification to be delivered")
        assert smtp.attempts == 3  # refused, refused, delivered
        assert "[Holdfast] Relapse" in smtp.messages[0]
        flag = RelapseFlag.objects.get(metric=metric)
        assert flag.notified_at is not None
        log = worker.log()
        assert "realigning.tasks.notify_flag_opened" in log and "Retry in" in log
        assert "realigning.tasks.check_metrics[" in log and "succeeded" in log
        assert len(smtp.messages) == 1  # sent once, not once per attempt
    finally:
        smtp.stop()


# ------------------------------------------------------------------ two beats


def test_two_beats_at_once_enqueue_each_tick_exactly_once(procs, redis_server, queue):
    """Two real `celery beat` processes with the production scheduler (RedBeat and its
    lock) and the incremental-scan entry ticking every 2 s: nothing consumes the queue,
    so every message either beat sent is there to count."""
    overrides = celery_overrides(beat_interval=2, beat_queue=queue)
    beats = [
        start_beat(
            procs, redis_url=redis_server.url, queue=queue, name=f"beat{i}-{queue}", **overrides
        )
        for i in (1, 2)
    ]
    client = redis_server.client()
    wait_for(lambda: client.llen(queue) >= 1, 60, "the first tick")
    time.sleep(11)
    # Count before stopping: a stopped beat releases the lock and the other takes over.
    messages, logs = queued_messages(client, queue), [beat.log() for beat in beats]
    for beat in beats:
        beat.stop()
    assert not any("Traceback" in log for log in logs), logs

    sent = sorted(
        dt.datetime.fromisoformat(m["headers"]["expires"]) - dt.timedelta(seconds=60)
        for m in messages
    )
    assert {m["headers"]["task"] for m in messages} == {"realigning.tasks.incremental_scan"}
    gaps = [(b - a).total_seconds() for a, b in zip(sent, sent[1:], strict=False)]
    assert len(sent) >= 5, sent  # ~6 ticks in 11-12 s
    assert min(gaps) > 1.0, f"a tick was enqueued twice: gaps {gaps}"
    assert len(sent) <= 8, f"more messages than ticks: {len(sent)} in ~12 s"
    # One beat ran the schedule; the other waited for RedBeat's lock the whole time.
    ticking = [log for log in logs if "Scheduler: Sending due task" in log]
    assert len(ticking) == 1, [log[-1500:] for log in logs]
