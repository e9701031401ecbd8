"""Import benchmark for learning's measurements (run: .venv/bin/python bench/import_bench.py).

Imports N measurements on PostgreSQL through the two real paths and compares them with
PostgreSQL's own COPY of the same rows (the floor):

* CSV upload: `learning.importing.create_import` (decode + check every row, the preview)
  then `confirm` (check again + write atomically with `record_measurements`): exactly
  what the upload page and its confirm button run (small files synchronously; a large
  file runs the same `run_import` in a Celery task).
* bulk API: POST /api/measurements/bulk/ through DRF's APIClient (JSON parsing, the
  serializer, row checks, `record_measurements`), in requests of at most 50,000 rows.

Floors: COPY of the same (metric_id, period, value) text into a scratch table with no
index (the bare floor), and into a scratch table with the same unique index
(metric_id, period) as learning_measurement (what any upsert has to maintain).

Each repetition starts from an empty learning_measurement (a first import); the
"again" lines re-import the same rows (every row an update: the idempotent path).
The after-commit listeners (realigning's relapse-check enqueue) are replaced by a
counter: in production they put one message per chunk of metrics on the broker.

The script creates its database if needed and migrates it. Timings are medians.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/holdfast_bench"
METRICS = 10


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    return parser.parse_args()


def ensure_database(url: str) -> None:
    from urllib.parse import urlparse

    import psycopg2
    from psycopg2 import sql

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    conn = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname="postgres",
    )
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cur.fetchone():
            cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    conn.close()


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def median_time(fn, repeat: int, before=None) -> float:
    times = []
    for _ in range(repeat):
        if before:
            before()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    args = parse_args()
    ensure_database(args.database_url)
    setup_django(args.database_url)

    from django.contrib.auth import get_user_model
    from django.db import connection
    from rest_framework.test import APIClient

    from initiatives.models import Initiative
    from learning import hooks, importing
    from learning.api import MAX_BULK_ROWS
    from learning.models import Measurement, MeasurementImport, Metric

    notified = []
    hooks.measurement_listeners[:] = [notified.append]

    user, _ = get_user_model().objects.get_or_create(
        username="bench", defaults={"is_superuser": True, "is_staff": True}
    )
    initiative, _ = Initiative.objects.get_or_create(
        title="Import benchmark", defaults={"problem": "Speed", "sponsor": user, "leader": user}
    )
    metrics = [
        Metric.objects.get_or_create(
            initiative=initiative, name=f"KPI {i}", defaults={"direction": "higher"}
        )[0]
        for i in range(METRICS)
    ]
    start = dt.date(2000, 1, 1)
    rows = [
        (metrics[i % METRICS], start + dt.timedelta(days=i // METRICS), round((i % 997) / 7, 3))
        for i in range(args.rows)
    ]
    csv_bytes = (
        "metric,period,value\n" + "".join(f"{m.name},{d.isoformat()},{v}\n" for m, d, v in rows)
    ).encode()
    api_rows = [{"metric": m.pk, "period": d.isoformat(), "value": v} for m, d, v in rows]
    copy_text = "".join(f"{m.pk}\t{d.isoformat()}\t{v!r}\n" for m, d, v in rows)

    def empty():
        with connection.cursor() as cur:
            cur.execute("TRUNCATE learning_measurement")
        MeasurementImport.objects.all().delete()

    def csv_path():
        imp = importing.create_import(initiative, user, "bench.csv", csv_bytes)
        assert imp.status == "ready", imp.errors[:3]
        importing.confirm(imp)  # > 5,000 rows: the Celery task (eager here, no broker)
        imp.refresh_from_db()
        assert imp.status == "done", imp.message

    def csv_check_only():
        importing.check_csv(csv_bytes.decode(), initiative.pk)

    client = APIClient()
    client.force_authenticate(user)

    def api_path():
        for i in range(0, len(api_rows), MAX_BULK_ROWS):
            response = client.post(
                "/api/measurements/bulk/",
                {"initiative": initiative.pk, "rows": api_rows[i : i + MAX_BULK_ROWS]},
                format="json",
            )
            assert response.status_code == 200, response.content[:300]

    def copy_into(table: str):
        def run():
            with connection.cursor() as cur:
                cur.execute(f"TRUNCATE {table}")
                cur.cursor.copy_expert(
                    f"COPY {table} (metric_id, period, value) FROM STDIN", io.StringIO(copy_text)
                )

        return run

    with connection.cursor() as cur:
        cur.execute(
            "CREATE TABLE IF NOT EXISTS bench_copy_bare "
            "(metric_id bigint, period date, value double precision)"
        )
        cur.execute(
            "CREATE TABLE IF NOT EXISTS bench_copy_indexed "
            "(metric_id bigint, period date, value double precision, "
            "UNIQUE (metric_id, period))"
        )

    n, rep = args.rows, args.repeat
    results = {}
    results["COPY floor: bare scratch table"] = median_time(copy_into("bench_copy_bare"), rep)
    results["COPY into a scratch table with the unique index"] = median_time(
        copy_into("bench_copy_indexed"), rep
    )
    results["CSV check only (parse + validate every row)"] = median_time(csv_check_only, rep)
    results["CSV upload: preview + confirm, first import"] = median_time(
        csv_path, rep, before=empty
    )
    results["CSV upload: preview + confirm, again (all updates)"] = median_time(csv_path, rep)
    results["bulk API (DRF), first import"] = median_time(api_path, rep, before=empty)
    results["bulk API (DRF), again (all updates)"] = median_time(api_path, rep)
    assert Measurement.objects.count() == n

    floor = results["COPY floor: bare scratch table"]
    indexed = results["COPY into a scratch table with the unique index"]
    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        version = cur.fetchone()[0]
    print(f"rows: {n:,} ({METRICS} KPIs), median of {rep}, PostgreSQL {version}")
    print(f"{'path':52} {'seconds':>8} {'rows/s':>10} {'x COPY':>7} {'x COPY+idx':>10}")
    for label, seconds in results.items():
        print(
            f"{label:52} {seconds:8.3f} {n / seconds:10,.0f} {seconds / floor:7.1f}"
            f" {seconds / indexed:10.1f}"
        )
    print(f"after-commit notifications: {len(notified)} (one per write)")


if __name__ == "__main__":
    main()
