"""The real services: PostgreSQL, Redis, and a Celery round trip through /health/."""

import pytest
from django.db import connection


def test_the_database_is_postgresql_with_connection_health_checks(services):
    assert connection.vendor == "postgresql"
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True


def test_cache_round_trips_through_redis(services):
    from django.core.cache import caches

    cache = caches["default"]
    cache.set("holdfast:probe", {"ok": 1}, 30)
    assert cache.get("holdfast:probe") == {"ok": 1}
    assert type(cache).__name__ == "RedisCache"


@pytest.mark.django_db(transaction=True)
def test_health_reports_database_redis_and_a_celery_round_trip(client, celery_worker, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    response = client.get("/health/")
    body = response.json()
    assert response.status_code == 200, body
    assert {name: check["status"] for name, check in body["checks"].items()} == {
        "database": "ok",
        "redis": "ok",
        "celery": "ok",
    }


@pytest.mark.django_db(transaction=True)
def test_health_fails_when_no_worker_answers(client, services, settings, monkeypatch):
    from config.celery import app as celery_app
    from initiatives import health

    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(health, "CELERY_ROUND_TRIP_TIMEOUT", 1)
    previous = celery_app.conf.task_always_eager, celery_app.conf.task_default_queue
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = "holdfast-nobody-listens"
    try:
        response = client.get("/health/")
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous
    assert response.status_code == 503
    assert response.json()["checks"]["celery"]["status"].startswith("error")
