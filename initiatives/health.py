"""/health/: the database, Redis and a Celery round trip, for load balancers and humans."""

import time

from celery.exceptions import TimeoutError as CeleryTimeout
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from initiatives.tasks import ping

CELERY_ROUND_TRIP_TIMEOUT = 30


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def _redis() -> str:
    if not settings.REDIS_URL:
        return "not configured (embedded mode)"
    import redis

    redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2).ping()
    return "ok"


def _celery() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager (in-process)"
    result = ping.delay()
    try:
        answer = result.get(timeout=CELERY_ROUND_TRIP_TIMEOUT)
    finally:
        result.forget()
    if answer != "pong":
        raise RuntimeError(f"unexpected answer {answer!r}")
    return "ok"


@require_GET
def health(request):
    checks, healthy = {}, True
    for name, check in (("database", _database), ("redis", _redis), ("celery", _celery)):
        started = time.monotonic()
        try:
            status = check()
        except (Exception, CeleryTimeout) as exc:  # noqa: BLE001 - report, don't crash
            status, healthy = f"error: {type(exc).__name__}: {exc}", False
        checks[name] = {"status": status, "ms": round(1000 * (time.monotonic() - started), 1)}
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )
