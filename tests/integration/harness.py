"""Real processes for the pipeline and fault tests: throwaway Redis, workers, beat, web.

Everything here is started by a test and stopped by it (or by the fixture that owns it):
each process is a child of the test run, killed by its own pid, never by name. The shared
Redis (6379) and PostgreSQL are never stopped; a fault is a throwaway `redis-server` on a
free port that the test stops, a silent socket stub, or `pg_terminate_backend` of the
app's own connections (by application_name).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "integration"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate: Callable[[], object], timeout: float, what: str, step: float = 0.1):
    """Poll until `predicate()` is truthy (and return it); fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(step)


def database_url(application_name: str | None = None) -> str:
    """The test database as a URL for a subprocess, optionally tagged for pg_stat_activity."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return f"{url}?application_name={application_name}" if application_name else url


def terminate_backends(application_name: str) -> int:
    """What a PostgreSQL restart does to the app: its connections die under it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE application_name = %s AND pid <> pg_backend_pid()",
            [application_name],
        )
        return cursor.fetchone()[0]


class Proc:
    """A child process with its output in test-artifacts/integration/<name>.log."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str]):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.name = name
        self.log_path = ARTIFACTS / f"{name}.log"
        self._log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            argv, cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill9(self) -> None:
        """SIGKILL: no warm shutdown, no acks, no cleanup (a lost machine, an OOM kill)."""
        if self.alive():
            os.kill(self.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self, timeout: float = 15) -> None:
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if not self._log.closed:
            self._log.close()


class ProcessGroup:
    """Every process a test started; stopped in reverse order however the test ends."""

    def __init__(self):
        self.procs: list = []

    def add(self, proc):
        self.procs.append(proc)
        return proc

    def stop_all(self) -> None:
        for proc in reversed(self.procs):
            with contextlib.suppress(Exception):
                proc.stop()


class RedisServer:
    """A throwaway redis-server (not daemonised: a child we can stop and start again)."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.dir = tempfile.mkdtemp(prefix="holdfast-redis-")
        self.proc: Proc | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self):
        import redis

        return redis.Redis(port=self.port, socket_timeout=2, socket_connect_timeout=2)

    def start(self) -> RedisServer:
        argv = ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port)]
        argv += ["--save", "", "--appendonly", "no", "--dir", self.dir, "--daemonize", "no"]
        self.proc = Proc(f"redis-{self.port}", argv, dict(os.environ))
        wait_for(self._pings, 10, f"redis-server on port {self.port}", step=0.05)
        return self

    def _pings(self) -> bool:
        try:
            return bool(self.client().ping())
        except Exception:  # noqa: BLE001 - not up yet
            return False

    def stop(self) -> None:
        """Stop it like an outage: nothing is saved, so it comes back empty."""
        if self.proc is not None:
            self.proc.stop(timeout=10)
            self.proc = None


class SilentServer:
    """A TCP port that accepts connections and never answers (a hung Redis)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(128)
        self.port = self.sock.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _serve(self) -> None:
        self.sock.settimeout(0.2)
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.accepted.append(conn)  # held open, never read, never answered

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        for conn in self.accepted:
            conn.close()
        self.sock.close()


class SmtpStub:
    """A minimal SMTP server: refuses (421) the first `failures` sessions, then accepts."""

    def __init__(self, failures: int):
        self.failures = failures
        self.attempts = 0
        self.messages: list[str] = []
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        self.sock.settimeout(0.2)
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            with contextlib.suppress(OSError), conn:
                conn.settimeout(10)
                self.attempts += 1
                if self.attempts <= self.failures:
                    conn.sendall(b"421 holdfast-test: service not available\r\n")
                    continue
                self._session(conn.makefile("rb"), conn)

    def _session(self, reader, conn) -> None:
        conn.sendall(b"220 holdfast-test ESMTP\r\n")
        data: list[bytes] | None = None
        for line in reader:
            if data is not None:
                if line in (b".\r\n", b".\n"):
                    self.messages.append(b"".join(data).decode(errors="replace"))
                    data = None
                    conn.sendall(b"250 queued\r\n")
                else:
                    data.append(line)
                continue
            verb = line[:4].upper()
            if verb == b"DATA":
                data = []
                conn.sendall(b"354 go ahead\r\n")
            elif verb == b"QUIT":
                conn.sendall(b"221 bye\r\n")
                return
            else:  # EHLO/HELO, MAIL, RCPT, RSET, NOOP
                conn.sendall(b"250 ok\r\n")

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.sock.close()


def app_env(*, redis_url: str, database: str, queue: str, **extra: str) -> dict[str, str]:
    """Environment for a Holdfast subprocess (web, worker or beat) against the test DB."""
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "REDIS_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "PYTHONUNBUFFERED": "1",
        **extra,
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


def celery_overrides(**overrides) -> dict[str, str]:
    """Environment for tests/integration/celery_app.py (test-only Celery tweaks)."""
    return {"HOLDFAST_TEST_CELERY": json.dumps(overrides)}


def start_worker(
    group: ProcessGroup, *, redis_url: str, queue: str, name: str | None = None, **env_extra
) -> Proc:
    """`celery worker` (solo pool, like the fixture in conftest) on `queue`; waits for ready."""
    name = name or f"worker-{queue}-{uuid.uuid4().hex[:4]}"
    env = app_env(
        redis_url=redis_url,
        database=env_extra.pop("database", database_url()),
        queue=queue,
        **env_extra,
    )
    argv = [sys.executable, "-m", "celery", "-A", "tests.integration.celery_app", "worker"]
    argv += ["--pool=solo", "--concurrency=1", "-Q", queue, "--loglevel=INFO", "-n", f"{name}@%h"]
    argv += ["--without-heartbeat", "--without-gossip", "--without-mingle"]
    proc = group.add(Proc(name, argv, env))
    wait_for(lambda: " ready." in proc.log() or not proc.alive(), 60, f"{name} to be ready")
    assert proc.alive(), proc.log()[-3000:]
    return proc


def start_beat(group: ProcessGroup, *, redis_url: str, queue: str, name: str, **env_extra) -> Proc:
    env = app_env(redis_url=redis_url, database=database_url(), queue=queue, **env_extra)
    argv = [sys.executable, "-m", "celery", "-A", "tests.integration.celery_app", "beat"]
    argv += ["--loglevel=DEBUG", "--pidfile="]
    return group.add(Proc(name, argv, env))


def start_web(group: ProcessGroup, *, redis_url: str, queue: str, database: str, name: str):
    """The web tier as in production (gunicorn, one sync worker); returns (proc, base_url)."""
    port = free_port()
    env = app_env(redis_url=redis_url, database=database, queue=queue)
    argv = [sys.executable, "-m", "gunicorn", "config.wsgi:application", "-b", f"127.0.0.1:{port}"]
    argv += ["-w", "1", "--timeout", "60", "--access-logfile", "-", "--error-logfile", "-"]
    proc = group.add(Proc(name, argv, env))
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        if not proc.alive():
            raise AssertionError(proc.log()[-3000:])
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            return False

    wait_for(up, 60, f"{name} to listen", step=0.1)
    return proc, base


@contextlib.contextmanager
def in_process_broker(url: str, queue: str):
    """Point this process's Celery app (the web side: on_commit enqueues) at `url`/`queue`."""
    from config.celery import app

    conf = app.conf
    previous = (conf.broker_url, conf.task_default_queue, conf.task_always_eager)

    def reset_pools():
        # Only drop the references: kombu keeps pools in a global registry keyed by the
        # connection's URL, so closing one would leave a closed pool there for later.
        app._pool = None
        app.amqp._producer_pool = None

    reset_pools()
    conf.broker_url, conf.task_default_queue, conf.task_always_eager = url, queue, False
    try:
        yield app
    finally:
        reset_pools()
        conf.broker_url, conf.task_default_queue, conf.task_always_eager = previous


def queued_messages(redis_client, queue: str) -> list[dict]:
    """The Celery messages waiting in a Redis-backed queue (oldest first)."""
    return [json.loads(raw) for raw in reversed(redis_client.lrange(queue, 0, -1))]
