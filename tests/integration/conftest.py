"""Real services: a Celery worker process on Redis, against the test database."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from config.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/integration/" in str(item.fspath):
            item.add_marker(pytest.mark.integration)


@pytest.fixture
def services():
    """Redis and PostgreSQL are needed; with REQUIRE_SERVICES=1 their absence fails."""
    missing = []
    if not settings.REDIS_URL:
        missing.append("REDIS_URL")
    if connection.vendor != "postgresql":
        missing.append("DATABASE_URL (PostgreSQL)")
    if missing:
        if settings.REQUIRE_SERVICES:
            pytest.fail(f"REQUIRE_SERVICES=1 but {', '.join(missing)} not configured")
        pytest.skip(f"needs {', '.join(missing)}; `.ci/run` provides them")


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def celery_worker(services, transactional_db):
    """A real `celery worker` process on its own queue, reading the test database."""
    queue = f"holdfast-test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    log = ROOT / "test-artifacts"
    log.mkdir(exist_ok=True)
    logfile = open(log / f"{queue}.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "-Q",
            queue,
            "--loglevel=INFO",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=logfile,
        stderr=subprocess.STDOUT,
    )
    previous = (celery_app.conf.task_always_eager, celery_app.conf.task_default_queue)
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    try:
        _wait_until_ready(queue)
        yield process
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        logfile.close()


def _wait_until_ready(queue: str, timeout: float = 60) -> None:
    from initiatives.tasks import ping

    deadline = time.monotonic() + timeout
    result = ping.apply_async(queue=queue)
    while time.monotonic() < deadline:
        if result.ready():
            assert result.get() == "pong"
            return
        time.sleep(0.2)
    raise AssertionError(f"the Celery worker did not answer within {timeout}s")
