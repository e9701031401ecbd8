"""Load test (issue 7): gunicorn on PostgreSQL and Redis, driven from this process.

    python bench/load_test.py                    # 32 clients, 60 s quiet + 60 s during a scan
    python bench/load_test.py --duration 20 --clients 8 --scan-metrics 500   # a quick look

What it does, all on loopback (127.0.0.1) and bounded in time:

1. Creates its own PostgreSQL database (default holdfast_load; LOAD_DATABASE_URL to
   change), migrates it, seeds the demo, adds one team-member login per client (member of
   every demo initiative, with an API token) and a "Load scan" initiative with
   --scan-metrics KPIs x 365 daily measurements (COPY) for the relapse scan to chew on.
2. Starts gunicorn (--workers, sync) and one Celery worker (--pool=solo, its own queue
   and Redis database) against that database, with DEBUG off.
3. Logs every client in through the login page (session cookie + CSRF) and drives the
   app with --clients threads, each on its own keep-alive connection, over a mix of
   the executive dashboard (20 %), an initiative page (30 %), API lists (30 %: KPIs'
   measurements, initiatives) and measurement writes through the API (20 %, upserts).
4. Quiet run: --duration seconds. Busy run: the same while full relapse scans keep the
   worker busy the whole time (re-enqueued as soon as the queue runs low).
5. Prints requests/s, median and 99th-percentile latency, the error count (anything but
   2xx/3xx, or a failed connection) per run and per kind of request, and the busy/quiet
   latency ratios. The figures go in bench/LOAD_RESULTS.md by hand.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import io
import json
import os
import random
import re
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/holdfast_load"
REDIS_URL = os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/13")
QUEUE = "holdfast-load"
HOST = "127.0.0.1"
PASSWORD = "load-test-password-42"  # noqa: S105 - a throwaway login on loopback
MIX = [("dashboard", 20), ("initiative", 30), ("api_list", 30), ("write", 20)]


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    # This process seeds and enqueues the scans: on the same Redis and queue as the worker.
    os.environ["REDIS_URL"] = REDIS_URL
    os.environ["CELERY_TASK_DEFAULT_QUEUE"] = QUEUE
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def ensure_database(url: str, fresh: bool) -> None:
    import psycopg2

    name = url.rsplit("/", 1)[1]
    admin = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cur:
        if fresh:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cur.fetchone():
            cur.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def seed(clients: int, scan_metrics: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection, transaction
    from rest_framework.authtoken.models import Token

    from initiatives import roles
    from initiatives.models import Initiative, Membership
    from learning.models import Metric

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    User = get_user_model()  # noqa: N806
    demo = list(Initiative.objects.exclude(title="Load scan"))
    password = make_password(PASSWORD)
    users = []
    for i in range(clients):
        user, _ = User.objects.update_or_create(
            username=f"load{i:02d}", defaults={"password": password, "is_active": True}
        )
        user.groups.add(roles.ensure_groups()[roles.TEAM_MEMBER])
        for initiative in demo:
            Membership.objects.get_or_create(
                initiative=initiative, user=user, defaults={"role": "analyst"}
            )
        token, _ = Token.objects.get_or_create(user=user)
        users.append({"username": user.username, "token": token.key})
    leader = User.objects.get(username="leader")
    scan_initiative, _ = Initiative.objects.get_or_create(
        title="Load scan",
        defaults={"leader": leader, "sponsor": User.objects.get(username="exec"), "problem": "-"},
    )
    if Metric.objects.filter(initiative=scan_initiative).count() != scan_metrics:
        Metric.objects.filter(initiative=scan_initiative).delete()
        start = dt.date.today() - dt.timedelta(days=365)
        metrics = Metric.objects.bulk_create(
            [
                Metric(
                    initiative=scan_initiative,
                    name=f"Scan KPI {i}",
                    direction="higher",
                    cadence="daily",
                    baseline=60.0,
                    target=80.0,
                    hold_from=start,
                    data_version=1,
                )
                for i in range(scan_metrics)
            ],
            batch_size=2000,
        )
        rng = random.Random(7)
        with transaction.atomic(), connection.cursor() as cur:
            for first in range(0, len(metrics), 200):
                buf = io.StringIO()
                for m in metrics[first : first + 200]:
                    slide = m.pk % 10 == 0
                    for d in range(365):
                        v = 80 + rng.gauss(0, 2) - (10 if slide and d > 320 else 0)
                        day = (start + dt.timedelta(days=d)).isoformat()
                        buf.write(f"{m.pk}\t{day}\t{v:.4f}\tcsv\t\\N\t{day} 00:00:00+00\n")
                buf.seek(0)
                cur.cursor.copy_expert(
                    "COPY learning_measurement (metric_id, period, value, source, "
                    "entered_by_id, recorded_at) FROM STDIN",
                    buf,
                )
            cur.execute("ANALYZE")
    write_metrics = list(
        Metric.objects.filter(initiative__in=demo).values_list("pk", "initiative_id")
    )
    api_metrics = [pk for pk, _ in write_metrics]
    print(
        f"seeded: {len(demo)} demo initiatives, {clients} logins, {scan_metrics} scan KPIs "
        f"x 365 days in {time.perf_counter() - t0:.0f} s"
    )
    return {
        "users": users,
        "initiatives": [i.pk for i in demo],
        "metrics": api_metrics,
    }


def start_services(url: str, port: int, workers: int) -> tuple[subprocess.Popen, subprocess.Popen]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "REDIS_URL": REDIS_URL,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "CELERY_TASK_DEFAULT_QUEUE": QUEUE,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    logs = ROOT / "test-artifacts"
    logs.mkdir(exist_ok=True)
    web = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "config.wsgi:application",
            "--bind", f"{HOST}:{port}", "--workers", str(workers), "--timeout", "60",
            "--log-level", "warning",
        ],
        cwd=ROOT, env=env, stderr=subprocess.STDOUT,
        stdout=open(logs / "load-web.log", "w"),  # noqa: SIM115 - the child keeps it
    )  # fmt: skip
    worker = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo",
            "-Q", QUEUE, "--loglevel=WARNING", "--without-heartbeat", "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT, env=env, stderr=subprocess.STDOUT,
        stdout=open(logs / "load-worker.log", "w"),  # noqa: SIM115 - the child keeps it
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/accounts/login/")
            if conn.getresponse().status == 200:
                return web, worker
        except OSError:
            time.sleep(0.5)
    stop(web, worker)
    raise SystemExit("gunicorn did not start: see test-artifacts/load-web.log")


def stop(*processes) -> None:
    for p in processes:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    for p in processes:
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()


class Client:
    """One simulated person: a session for pages, a token for the API, one connection."""

    def __init__(self, port: int, user: dict, world: dict, seed: int):
        self.port, self.user, self.world = port, user, world
        self.rng = random.Random(seed)
        self.conn = http.client.HTTPConnection(HOST, port, timeout=30)
        self.cookies: dict[str, str] = {}

    def _send(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        # API calls carry only the token, as an API client does (a session cookie would
        # make DRF's session authentication ask for a CSRF token).
        if self.cookies and "Authorization" not in headers:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
            raise
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, data

    def login(self) -> None:
        status, page = self._send("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        form = urllib.parse.urlencode(
            {
                "username": self.user["username"],
                "password": PASSWORD,
                "csrfmiddlewaretoken": token,
            }
        )
        status, _ = self._send(
            "POST",
            "/accounts/login/",
            form,
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://{HOST}:{self.port}/accounts/login/",
            },
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"login of {self.user['username']} failed ({status})")

    def one(self) -> tuple[str, int]:
        kind = self.rng.choices([k for k, _ in MIX], [w for _, w in MIX])[0]
        api = {"Authorization": f"Token {self.user['token']}", "Accept": "application/json"}
        if kind == "dashboard":
            status, _ = self._send("GET", "/initiatives/dashboard/")
        elif kind == "initiative":
            status, _ = self._send(
                "GET", f"/initiatives/{self.rng.choice(self.world['initiatives'])}/"
            )
        elif kind == "api_list":
            if self.rng.random() < 0.5:
                path = f"/api/measurements/?metric_id={self.rng.choice(self.world['metrics'])}"
            else:
                path = "/api/initiatives/"
            status, _ = self._send("GET", path, headers=api)
        else:
            day = dt.date.today() - dt.timedelta(days=self.rng.randrange(0, 60))
            body = json.dumps(
                {
                    "metric": self.rng.choice(self.world["metrics"]),
                    "period": day.isoformat(),
                    "value": round(self.rng.uniform(50, 90), 2),
                }
            )
            status, _ = self._send(
                "POST", "/api/measurements/", body, {**api, "Content-Type": "application/json"}
            )
        return kind, status


def run(port: int, world: dict, clients: int, duration: float, label: str) -> dict:
    samples: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    lock = threading.Lock()
    sessions = [Client(port, world["users"][i], world, seed=i) for i in range(clients)]
    for c in sessions:
        c.login()
    start = time.monotonic()
    stop_at = start + duration

    def loop(client: Client):
        while time.monotonic() < stop_at:
            t0 = time.perf_counter()
            try:
                kind, status = client.one()
                ok = 200 <= status < 400
            except (OSError, http.client.HTTPException):
                kind, ok = "connection", False
            elapsed = time.perf_counter() - t0
            with lock:
                samples[kind].append(elapsed)
                if not ok:
                    errors[kind] += 1

    threads = [threading.Thread(target=loop, args=(c,)) for c in sessions]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - start
    every = sorted(x for xs in samples.values() for x in xs)
    result = {
        "label": label,
        "requests": len(every),
        "rps": len(every) / wall,
        "median_ms": 1000 * statistics.median(every),
        "p99_ms": 1000 * every[int(0.99 * (len(every) - 1))],
        "errors": sum(errors.values()),
        "by_kind": {
            kind: {
                "n": len(xs),
                "median_ms": 1000 * statistics.median(xs),
                "p99_ms": 1000 * sorted(xs)[int(0.99 * (len(xs) - 1))],
                "errors": errors[kind],
            }
            for kind, xs in sorted(samples.items())
        },
    }
    return result


class ScanKeeper(threading.Thread):
    """Keeps full relapse scans queued for the worker for as long as the busy run lasts."""

    def __init__(self):
        super().__init__(daemon=True)
        self.stopped = threading.Event()
        self.scans = 0

    def run(self):
        import redis

        from realigning.tasks import full_scan

        r = redis.Redis.from_url(REDIS_URL)
        while not self.stopped.is_set():
            if r.llen(QUEUE) < 3:
                full_scan.apply_async(queue=QUEUE)
                self.scans += 1
            self.stopped.wait(1.0)


def checked_since(moment) -> int:
    """KPIs the relapse scan checked since `moment` (their watch's checked_at)."""
    from realigning.models import MetricWatch

    return MetricWatch.objects.filter(checked_at__gte=moment).count()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", type=int, default=5, help="gunicorn sync workers")
    parser.add_argument("--scan-metrics", type=int, default=3000)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database")
    args = parser.parse_args()
    if not 1 <= args.duration <= 300 or not 1 <= args.clients <= 256:
        raise SystemExit("--duration is 1..300 s and --clients 1..256 (bounded on purpose)")

    url = os.environ.get("LOAD_DATABASE_URL", DEFAULT_URL)
    ensure_database(url, args.fresh)
    setup_django(url)
    world = seed(args.clients, args.scan_metrics)

    import redis

    redis.Redis.from_url(REDIS_URL).delete(QUEUE)  # what seeding enqueued: not part of the run

    web, worker = start_services(url, args.port, args.workers)
    try:
        # Warm up: every worker process imports and connects before the clock starts.
        run(args.port, world, min(args.clients, 8), 5, "warm-up")
        quiet = run(args.port, world, args.clients, args.duration, "quiet")
        keeper = ScanKeeper()
        keeper.start()
        time.sleep(3)  # the scan is under way before the clock starts
        from django.utils import timezone

        began = timezone.now()
        busy = run(args.port, world, args.clients, args.duration, "during a full scan")
        keeper.stopped.set()
        keeper.join()
        busy["scans_enqueued"] = keeper.scans
        busy["kpis_checked"] = checked_since(began)
    finally:
        redis.Redis.from_url(REDIS_URL).delete(QUEUE)
        stop(web, worker)

    for r in (quiet, busy):
        print(
            f"\n{r['label']}: {r['requests']} requests, {r['rps']:.0f} req/s, "
            f"median {r['median_ms']:.0f} ms, p99 {r['p99_ms']:.0f} ms, errors {r['errors']}"
        )
        for kind, k in r["by_kind"].items():
            print(
                f"  {kind:<11} n={k['n']:<6} median {k['median_ms']:6.0f} ms  "
                f"p99 {k['p99_ms']:6.0f} ms  errors {k['errors']}"
            )
    print(
        f"\nbusy/quiet: median x{busy['median_ms'] / quiet['median_ms']:.2f}, "
        f"p99 x{busy['p99_ms'] / quiet['p99_ms']:.2f}; full scans enqueued during the busy run: "
        f"{busy['scans_enqueued']}, KPIs the worker checked meanwhile: {busy['kpis_checked']}"
    )
    out = ROOT / "test-artifacts" / "load-results.json"
    out.write_text(json.dumps({"quiet": quiet, "busy": busy}, indent=1))


if __name__ == "__main__":
    main()
