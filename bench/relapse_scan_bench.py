"""Relapse scan benchmark (issue 4): full and incremental scans against their floor.

    python bench/relapse_scan_bench.py                      # 10,000 metrics x 365 days
    python bench/relapse_scan_bench.py --metrics 2000       # smaller
    python bench/relapse_scan_bench.py --reuse              # skip seeding if sizes match

Seeds its own PostgreSQL database (default holdfast_bench_scan on 127.0.0.1:5432, created
and migrated here; BENCH_DATABASE_URL to change) with COPY, then prints medians of a few
repetitions of:

* floor: one plain `SELECT metric_id, period, value ... ORDER BY metric_id, period` over
  the same rows, streamed through a server-side cursor and consumed in Python;
* full scan: realigning.scan.check_metrics(chunk, force=True) over every chunk, in one
  process, as one worker runs them (and the wall time with --workers processes);
* incremental scan: after 100 metrics receive a new point, stale_metric_ids() plus
  check_metrics over the stale chunks;
* peak RSS of a fresh process running the full scan over 2,000 and over all metrics
  (memory must stay flat: the series are streamed, one metric at a time).

Timings are wall clock on whatever machine runs it; nothing here gates a test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import multiprocessing
import os
import resource
import statistics
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/holdfast_bench_scan"
START = dt.date(2025, 1, 1)


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.pop("REDIS_URL", None)  # tasks in-process; the bench calls scan directly
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from learning import hooks

    hooks.measurement_listeners.clear()  # the bench runs the scans itself


def ensure_database(url: str) -> None:
    import psycopg2

    name = url.rsplit("/", 1)[1]
    admin = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cur.fetchone():
            cur.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def seed(n_metrics: int, days: int, reuse: bool) -> None:
    import numpy as np
    from django.core.management import call_command
    from django.db import connection, transaction

    from initiatives.models import Initiative
    from learning.models import Measurement, Metric

    call_command("migrate", verbosity=0)
    same_size = Metric.objects.count() == n_metrics  # (incremental runs add a few rows)
    if reuse and same_size and Measurement.objects.count() >= n_metrics * days:
        print(f"reusing {n_metrics} metrics x {days} days")
        return
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE learning_measurement, realigning_relapseflag, realigning_metricwatch CASCADE"
        )
    Metric.objects.all().delete()
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(username="bench-leader")
    initiative = Initiative.objects.filter(title="Scan bench").first() or Initiative.objects.create(
        title="Scan bench", leader=user, sponsor=user, problem="bench"
    )
    metrics = Metric.objects.bulk_create(
        [
            Metric(
                initiative=initiative,
                name=f"KPI {i}",
                direction="higher",
                cadence="daily",
                baseline=60.0,
                target=80.0,
                hold_from=START,
                data_version=1,
            )
            for i in range(n_metrics)
        ],
        batch_size=2000,
    )
    rng = np.random.default_rng(7)
    recorded = "2026-01-01 00:00:00+00"
    with transaction.atomic(), connection.cursor() as cur:
        for start in range(0, n_metrics, 500):
            buf = io.StringIO()
            for m in metrics[start : start + 500]:
                values = 80 + 2 * rng.standard_normal(days)
                if m.pk % 10 == 0:  # one KPI in ten slides back for its last 45 days
                    values[-45:] -= 10
                for d, v in enumerate(values):
                    day = START + dt.timedelta(days=d)
                    buf.write(f"{m.pk}\t{day.isoformat()}\t{v:.4f}\tcsv\t\\N\t{recorded}\n")
            buf.seek(0)
            cur.cursor.copy_expert(
                "COPY learning_measurement (metric_id, period, value, source, entered_by_id, "
                "recorded_at) FROM STDIN",
                buf,
            )
        cur.execute("ANALYZE learning_measurement")
    print(f"seeded {n_metrics} metrics x {days} days in {time.perf_counter() - t0:.1f} s")


def chunks_of(ids):
    from realigning import scan

    return list(scan.chunks(ids))


def full_scan(ids) -> float:
    from realigning import scan

    t0 = time.perf_counter()
    for chunk in chunks_of(ids):
        scan.check_metrics(chunk, force=True)
    return time.perf_counter() - t0


def _scan_chunks(args) -> float:
    url, chunk_list = args
    setup_django(url)
    from realigning import scan

    t0 = time.perf_counter()
    for chunk in chunk_list:
        scan.check_metrics(chunk, force=True)
    return time.perf_counter() - t0


def parallel_full_scan(url: str, ids, workers: int) -> float:
    all_chunks = chunks_of(ids)
    parts = [all_chunks[i::workers] for i in range(workers)]
    from django.db import connections

    connections.close_all()  # never share the parent's connection with a child
    t0 = time.perf_counter()
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        list(pool.map(_scan_chunks, [(url, p) for p in parts]))
    return time.perf_counter() - t0


def floor(ids) -> float:
    from django.db import connection, transaction

    t0 = time.perf_counter()
    with transaction.atomic(), connection.connection.cursor(name="bench_floor") as cur:
        cur.itersize = 5000
        cur.execute(
            "SELECT metric_id, period, value FROM learning_measurement "
            "WHERE metric_id = ANY(%s) ORDER BY metric_id, period",
            [list(ids)],
        )
        for _row in cur:  # consumed in Python, as the scan consumes its rows
            pass
    return time.perf_counter() - t0


def incremental(ids, day_offset: int) -> tuple[float, int]:
    from learning.measurements import record_measurements
    from realigning import scan

    touched = ids[:: max(1, len(ids) // 100)][:100]
    day = START + dt.timedelta(days=400 + day_offset)
    record_measurements([(m, day, 79.5) for m in touched], source="api")
    t0 = time.perf_counter()
    stale = scan.stale_metric_ids()
    for chunk in scan.chunks(stale):
        scan.check_metrics(chunk)
    return time.perf_counter() - t0, len(stale)


def rss_child(n: int) -> None:
    """Run in a fresh process: full scan of the first n metrics, print peak RSS (MiB)."""
    from realigning import scan

    ids = scan.all_metric_ids()[:n]
    full_scan(ids)
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--metrics", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--reuse", action="store_true", help="keep data of the same size")
    parser.add_argument(
        "--skip-full", action="store_true", help="no 1-process full scans (reuse a measurement)"
    )
    parser.add_argument("--rss-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    if args.rss_child:
        setup_django(url)
        rss_child(args.rss_child)
        return
    ensure_database(url)
    setup_django(url)
    seed(args.metrics, args.days, args.reuse)

    from realigning import scan
    from realigning.models import RelapseFlag

    ids = scan.all_metric_ids()
    rows = args.metrics * args.days
    print(f"{len(ids)} metrics, {rows:,} measurements, chunks of {scan.CHUNK_SIZE}")

    floors = [floor(ids) for _ in range(args.reps)]
    fulls = []
    for _ in range(0 if args.skip_full else args.reps):
        fulls.append(full_scan(ids))
        print(f"  full scan {fulls[-1]:.2f} s")
    if not fulls:
        fulls = [float(os.environ.get("BENCH_FULL_SECONDS", "nan"))]
    incs, stale = [], 0
    for rep in range(args.reps):
        seconds, stale = incremental(ids, rep)
        incs.append(seconds)
    par = parallel_full_scan(url, ids, args.workers) if args.workers > 1 else None

    f, full, inc = (statistics.median(x) for x in (floors, fulls, incs))
    print()
    print(f"floor (streamed SELECT of {rows:,} rows): {f:.2f} s (median of {args.reps})")
    print(f"full scan, 1 process:                {full:.2f} s  = {full / f:.1f}x the floor")
    if par is not None:
        print(
            f"full scan, {args.workers} processes (wall):       {par:.2f} s  = "
            f"{par / f:.1f}x the floor"
        )
    print(
        f"incremental scan ({stale} stale metrics):  {inc * 1000:.0f} ms = "
        f"{100 * inc / full:.2f}% of the full scan"
    )
    print(f"per metric: {1000 * full / len(ids):.2f} ms; flags: {RelapseFlag.objects.count()}")

    small = min(2000, len(ids))
    peaks = {}
    for n in sorted({small, len(ids)}):
        out = subprocess.run(
            [sys.executable, __file__, "--rss-child", str(n)],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "BENCH_DATABASE_URL": url},
        )
        peaks[n] = float(out.stdout.strip().splitlines()[-1])
    rss = ", ".join(f"{n} metrics {p:.0f} MiB" for n, p in peaks.items())
    print(f"peak RSS of a full scan: {rss}")
    print(
        f"goals: full <= 3x floor: {'met' if full <= 3 * f else 'MISSED'}; "
        f"incremental < 2% of full: {'met' if inc < 0.02 * full else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
