"""Executive dashboard at scale (run: .venv/bin/python bench/dashboard_bench.py).

Seeds its own PostgreSQL database (default `holdfast_bench_dash`, dropped and created,
then migrated): 1,000 initiatives, 10,000 KPIs, 3.65 million daily measurements (COPY),
10,000 experiments and 10,000 engagement activities, plus charters, relapse flags,
realignment actions, money, rollout waves with adoption readings, pulse surveys, NPS
responses and one importance-performance survey. `--initiatives N` scales it all.

Then times, in this process with Django's test Client (server time, no network), many
requests of:
- a trivial view behind the same middleware and login (the framework's floor);
- the portfolio dashboard, warm (figures from the cache) and cold (the cache invalidated
  before each request, so every figure is computed from the database);
- the initiative cockpit, warm and cold, over a spread of initiatives;
and prints median and 95th percentile, the ratio of each to the floor, and the number of
SQL queries per page. The cache is Django's: Redis when REDIS_URL is set, else LocMem.

    .venv/bin/python bench/dashboard_bench.py                  # the full 1,000
    .venv/bin/python bench/dashboard_bench.py --initiatives 50 --requests 100
    .venv/bin/python bench/dashboard_bench.py --reuse          # keep the seeded database
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import statistics
import sys
import time
from decimal import Decimal

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--initiatives", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=300, help="timed requests per page")
    parser.add_argument("--cold-requests", type=int, default=15)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--db", default="holdfast_bench_dash")
    parser.add_argument("--reuse", action="store_true", help="keep an already seeded database")
    return parser.parse_args()


def create_database(server: str, name: str, reuse: bool) -> bool:
    """(Re)create the bench's own database; True when it must be seeded."""
    import psycopg2

    conn = psycopg2.connect(f"{server}/postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cur.fetchone() is not None
        if exists and reuse:
            conn.close()
            return False
        if exists:
            cur.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    return True


# --- Seeding --------------------------------------------------------------------------------------

KPIS_PER_INITIATIVE = 10
DAYS = 365
EXPERIMENTS_PER_INITIATIVE = 10
ACTIVITIES_PER_INITIATIVE = 10
NPS_PER_INITIATIVE = 40
WHY = {
    "bad": [
        "long wait on hold",
        "had to call back twice",
        "bill was confusing",
        "nobody called back",
    ],
    "good": [
        "friendly agent fixed it first time",
        "quick answer",
        "clear bill",
        "fixed it first time",
    ],
}


def seed(n: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from chartering.models import Charter
    from initiatives import roles
    from initiatives.models import CustomerSegment, Department, Initiative, Membership, Stage
    from learning.models import Experiment, Metric, NpsResponse
    from mobilizing.models import (
        AdoptionReading,
        EngagementActivity,
        IpaResponse,
        IpaScore,
        IpaStatement,
        IpaSurvey,
        PulseAnswer,
        PulseQuestion,
        PulseResponse,
        PulseSurvey,
        RolloutWave,
        Stakeholder,
        WaveUnit,
    )
    from realigning.models import FinancialEntry, RealignmentAction, RelapseFlag

    rng = random.Random(6)
    today = timezone.localdate()
    now = timezone.now()
    t0 = time.perf_counter()
    User = get_user_model()
    groups = roles.ensure_groups()
    execs = [User(username=f"exec{k}", first_name="Exec", last_name=str(k)) for k in range(20)]
    leaders = [User(username=f"lead{k}", first_name="Lead", last_name=str(k)) for k in range(100)]
    members = [User(username=f"member{k}") for k in range(300)]
    User.objects.bulk_create(execs + leaders + members)
    execs = list(User.objects.filter(username__startswith="exec"))
    leaders = list(User.objects.filter(username__startswith="lead"))
    members = list(User.objects.filter(username__startswith="member"))
    through = User.groups.through
    through.objects.bulk_create(
        [through(user_id=u.pk, group_id=groups[roles.EXECUTIVE].pk) for u in execs]
        + [through(user_id=u.pk, group_id=groups[roles.CHANGE_LEADER].pk) for u in leaders]
        + [through(user_id=u.pk, group_id=groups[roles.TEAM_MEMBER].pk) for u in members]
    )
    segments = [
        CustomerSegment.objects.create(name=s) for s in ("Households", "Small business", "Premium")
    ]
    departments = [
        Department.objects.create(name=d)
        for d in ("Customer Service", "Sales", "Marketing", "Operations", "Finance", "IT", "HR")
    ]
    stages = [Stage.CHARTERING, Stage.LEARNING, Stage.MOBILIZING, Stage.REALIGNING, Stage.SUSTAINED]
    initiatives = Initiative.objects.bulk_create(
        Initiative(
            title=f"Initiative {k:04d}",
            problem="Customers call two or three times about the same issue.",
            sponsor=execs[k % len(execs)],
            leader=leaders[k % len(leaders)],
            stage=stages[k % len(stages)],
            stage_changed_at=now - dt.timedelta(days=rng.randint(1, 400)),
            investment=Decimal(rng.randint(50, 500) * 1000),
            expected_benefit=Decimal(rng.randint(100, 1500) * 1000),
        )
        for k in range(n)
    )
    ids = [i.pk for i in initiatives]
    Initiative.segments.through.objects.bulk_create(
        Initiative.segments.through(initiative_id=pk, customersegment_id=segments[k % 3].pk)
        for k, pk in enumerate(ids)
    )
    Initiative.departments.through.objects.bulk_create(
        Initiative.departments.through(initiative_id=pk, department_id=departments[(k + j) % 7].pk)
        for k, pk in enumerate(ids)
        for j in range(2)
    )
    Membership.objects.bulk_create(
        Membership(initiative_id=pk, user=members[(k * 3 + j) % len(members)], role="Analyst")
        for k, pk in enumerate(ids)
        for j in range(3)
    )
    Charter.objects.bulk_create(
        Charter(
            initiative_id=pk,
            status="draft" if k % 9 == 0 else "approved",
            approved_by=None if k % 9 == 0 else execs[k % len(execs)],
            approved_at=None if k % 9 == 0 else now,
            problem_area="Repeat contacts",
        )
        for k, pk in enumerate(ids)
    )
    metrics = Metric.objects.bulk_create(
        Metric(
            initiative_id=pk,
            name=f"KPI {j}",
            direction="higher" if j % 2 else "lower",
            cadence="daily",
            baseline=50.0,
            target=60.0 if j % 2 else 40.0,
            hold_from=today - dt.timedelta(days=180),
        )
        for pk in ids
        for j in range(KPIS_PER_INITIATIVE)
    )
    print(f"  people, initiatives, KPIs: {time.perf_counter() - t0:.1f} s", flush=True)
    t1 = time.perf_counter()
    _copy_measurements([m.pk for m in metrics], today)
    print(
        f"  {len(metrics) * DAYS:,} measurements by COPY: {time.perf_counter() - t1:.1f} s",
        flush=True,
    )
    t1 = time.perf_counter()
    first = {m.initiative_id: m for m in reversed(metrics)}
    RelapseFlag.objects.bulk_create(
        RelapseFlag(
            metric=first[pk],
            rule="cusum",
            severity=("low", "medium", "high")[k % 3],
            severity_rank=k % 3 + 1,
            fired_on=today - dt.timedelta(days=k % 60),
            slide_began=today - dt.timedelta(days=30 + k % 60),
            status="open" if k % 2 else "acknowledged",
        )
        for k, pk in enumerate(ids)
        if k % 4 == 0
    )
    RealignmentAction.objects.bulk_create(
        RealignmentAction(
            initiative_id=pk,
            kind="process",
            title=f"Action {j}",
            due_date=today + dt.timedelta(days=rng.randint(-90, 90)),
            status=rng.choice(["planned", "in_progress"]),
        )
        for pk in ids
        for j in range(3)
    )
    FinancialEntry.objects.bulk_create(
        e
        for k, pk in enumerate(ids)
        for e in (
            FinancialEntry(
                initiative_id=pk,
                kind="investment",
                date=today - dt.timedelta(days=300),
                amount=Decimal(100000 + k),
            ),
            FinancialEntry(
                initiative_id=pk,
                kind="investment",
                date=today - dt.timedelta(days=200),
                amount=Decimal(50000),
            ),
            FinancialEntry(
                initiative_id=pk,
                kind="benefit",
                date=today - dt.timedelta(days=90),
                amount=Decimal(80000),
                supporting_metric=first[pk],
            ),
            FinancialEntry(
                initiative_id=pk,
                kind="benefit",
                date=today - dt.timedelta(days=30),
                amount=Decimal(90000),
                supporting_metric=first[pk] if k % 5 else None,
            ),
        )
    )
    Experiment.objects.bulk_create(
        Experiment(
            initiative_id=pk,
            title=f"Pilot {j}",
            hypothesis="If we do X for Y, Z moves.",
            metric=metrics[k * KPIS_PER_INITIATIVE + j % KPIS_PER_INITIATIVE],
            start=today - dt.timedelta(days=200 - 10 * j),
            end=today - dt.timedelta(days=150 - 10 * j),
            status="concluded" if j < 6 else "running",
            decision=("adopt", "adapt", "abandon")[j % 3] if j < 6 else "",
            decided_at=now if j < 6 else None,
        )
        for k, pk in enumerate(ids)
        for j in range(EXPERIMENTS_PER_INITIATIVE)
    )
    EngagementActivity.objects.bulk_create(
        EngagementActivity(
            initiative_id=pk,
            kind="workshop",
            title=f"Workshop {j}",
            audience="Sales managers",
            date=today - dt.timedelta(days=7 * j),
            reach=20,
        )
        for pk in ids
        for j in range(ACTIVITIES_PER_INITIATIVE)
    )
    Stakeholder.objects.bulk_create(
        Stakeholder(
            initiative_id=pk,
            name=f"Stakeholder {j}",
            influence=1 + j % 3,
            support=1 + j % 5,
            target_support=4,
        )
        for pk in ids
        for j in range(6)
    )
    waves = RolloutWave.objects.bulk_create(
        RolloutWave(
            initiative_id=pk,
            name=f"Wave {j + 1}",
            order=j + 1,
            planned_start=today - dt.timedelta(days=200 - 70 * j),
            planned_end=today - dt.timedelta(days=130 - 70 * j),
            actual_start=today - dt.timedelta(days=200 - 70 * j) if j < 2 else None,
            status=("done", "running", "planned")[j],
        )
        for pk in ids
        for j in range(3)
    )
    units = WaveUnit.objects.bulk_create(
        WaveUnit(wave=w, name=f"Site {u}") for w in waves for u in range(2)
    )
    AdoptionReading.objects.bulk_create(
        AdoptionReading(
            unit=u,
            date=today - dt.timedelta(days=14 * r),
            adoption_pct=Decimal(max(0, 80 - 8 * r - rng.randint(0, 5))),
        )
        for u in units
        if u.wave.status != "planned"
        for r in range(6)
    )
    surveys = PulseSurvey.objects.bulk_create(
        PulseSurvey(
            initiative_id=pk,
            title=f"Pulse {s}",
            opens=today - dt.timedelta(days=120 - 60 * s),
            closes=today - dt.timedelta(days=100 - 60 * s),
            status="closed",
        )
        for pk in ids
        for s in range(2)
    )
    questions = PulseQuestion.objects.bulk_create(
        PulseQuestion(survey=s, kind="trust", text="I trust senior leadership.", order=1)
        for s in surveys
    )
    responses = PulseResponse.objects.bulk_create(
        PulseResponse(survey=s) for s in surveys for _ in range(10)
    )
    question_of = {q.survey_id: q.pk for q in questions}
    PulseAnswer.objects.bulk_create(
        PulseAnswer(response=r, question_id=question_of[r.survey_id], value=rng.randint(1, 5))
        for r in responses
    )
    NpsResponse.objects.bulk_create(
        (
            NpsResponse(
                initiative_id=pk,
                segment=segments[k % 3],
                responded_on=today - dt.timedelta(days=rng.randint(0, 360)),
                score=(score := rng.randint(0, 10)),
                why=rng.choice(WHY["good"] if score >= 9 else WHY["bad"]) if score != 7 else "",
            )
            for k, pk in enumerate(ids)
            for _ in range(NPS_PER_INITIATIVE)
        ),
        batch_size=5000,
    )
    ipa = IpaSurvey.objects.create(title="Customer-centricity: where do we stand?", status="closed")
    statements = IpaStatement.objects.bulk_create(
        IpaStatement(survey=ipa, text=f"Statement {k}", order=k + 1) for k in range(26)
    )
    ipa_responses = IpaResponse.objects.bulk_create(IpaResponse(survey=ipa) for _ in range(150))
    IpaScore.objects.bulk_create(
        IpaScore(
            response=r, statement=s, importance=rng.randint(3, 7), performance=rng.randint(1, 6)
        )
        for r in ipa_responses
        for s in statements
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"  everything else: {time.perf_counter() - t1:.1f} s", flush=True)


def _copy_measurements(metric_ids: list[int], today: dt.date) -> None:
    from django.db import connection

    start = today - dt.timedelta(days=DAYS - 1)
    days = [(start + dt.timedelta(days=d)).isoformat() for d in range(DAYS)]
    stamp = dt.datetime.now(dt.UTC).isoformat()
    rng = random.Random(7)
    with connection.cursor() as cursor:
        raw = cursor.cursor
        chunk = 1000  # metrics per COPY buffer: 365,000 rows
        for i in range(0, len(metric_ids), chunk):
            buf = io.StringIO()
            for metric_id in metric_ids[i : i + chunk]:
                level = 50.0 + rng.uniform(-5, 5)
                for day in days:
                    buf.write(f"{metric_id}\t{day}\t{level + rng.gauss(0, 2):.2f}\tapi\t{stamp}\n")
            buf.seek(0)
            raw.copy_expert(
                "COPY learning_measurement (metric_id, period, value, source, recorded_at) "
                "FROM STDIN",
                buf,
            )


# --- Timing ---------------------------------------------------------------------------------------


def trivial(request):
    from django.http import HttpResponse

    return HttpResponse("ok")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]


def timed(client, urls: list[str], requests: int, before=None) -> tuple[list[float], int]:
    """Server times in ms of `requests` GETs cycling over `urls`, and the usual query count."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    times = []
    queries = []
    for k in range(requests):
        url = urls[k % len(urls)]
        if before:
            before()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            times.append(1000 * (time.perf_counter() - started))
        assert response.status_code == 200, (url, response.status_code)
        queries.append(len(captured))
        reset_queries()
    return times, statistics.median_low(queries)


def main() -> None:
    args = parse_args()
    must_seed = create_database(args.server, args.db, args.reuse)
    os.environ["DATABASE_URL"] = f"{args.server}/{args.db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.decorators import login_required
    from django.core.management import call_command
    from django.test import Client
    from django.urls import clear_url_caches, path

    import config.urls
    from initiatives import dashboard_cache
    from initiatives.models import Initiative
    from learning.models import Measurement, Metric

    # The floor: a view behind the same middleware, session and login, that does nothing.
    config.urls.urlpatterns.append(path("bench/trivial/", login_required(trivial)))
    clear_url_caches()

    if must_seed:
        call_command("migrate", verbosity=0)
        print(f"Seeding {args.initiatives:,} initiatives into {args.db} ...", flush=True)
        started = time.perf_counter()
        seed(args.initiatives)
        print(f"Seeded in {time.perf_counter() - started:.0f} s", flush=True)
    counts = {
        "initiatives": Initiative.objects.count(),
        "KPIs": Metric.objects.count(),
        "measurements": Measurement.objects.count(),
    }
    print(", ".join(f"{v:,} {k}" for k, v in counts.items()))
    print(f"cache: {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}")

    client = Client()
    client.force_login(get_user_model().objects.get(username="exec0"))
    pks = list(Initiative.objects.order_by("pk").values_list("pk", flat=True))
    cockpits = [
        f"/initiatives/{pk}/cockpit/" for pk in random.Random(1).sample(pks, min(20, len(pks)))
    ]
    dashboard = ["/initiatives/dashboard/"]
    cold = dashboard_cache.portfolio_changed

    report = ["/initiatives/dashboard/report/"]

    def warm(urls):
        """Fill the cache (a cold run before bumped the version) and the database's buffers."""
        for url in urls * 2:
            client.get(url)

    rows = []
    warm(["/bench/trivial/"])
    floor, floor_q = timed(client, ["/bench/trivial/"], args.requests)
    rows.append(("trivial view (floor)", floor, floor_q))
    warm(dashboard)
    rows.append(("dashboard, warm", *timed(client, dashboard, args.requests)))
    rows.append(("dashboard, cold", *timed(client, dashboard, args.cold_requests, cold)))
    warm(cockpits)
    rows.append(("cockpit, warm", *timed(client, cockpits, args.requests)))
    rows.append(("cockpit, cold", *timed(client, cockpits, args.cold_requests, cold)))
    warm(report)
    rows.append(("board report, warm", *timed(client, report, args.requests // 3)))
    rows.append(("board report, cold", *timed(client, report, args.cold_requests, cold)))

    base = statistics.median(floor)
    base95 = percentile(floor, 0.95)
    print()
    print(
        f"{'page':<22} {'requests':>8} {'median ms':>10} {'p95 ms':>8} {'x floor':>8} "
        f"{'x floor p95':>11} {'queries':>8}"
    )
    for name, times, queries in rows:
        med, p95 = statistics.median(times), percentile(times, 0.95)
        print(
            f"{name:<22} {len(times):>8} {med:>10.1f} {p95:>8.1f} {med / base:>8.1f} "
            f"{p95 / base95:>11.1f} {queries:>8}"
        )


if __name__ == "__main__":
    main()
