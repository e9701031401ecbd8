"""Backup and restore (docs/BACKUP.md): dump, wipe, restore, and everything is back.

On a scratch database of its own (never the test database others use): migrate, seed the
demo (initiatives, KPIs with measurements, relapse flags...), take a fingerprint of every
initiative, measurement and flag, run scripts/backup, wipe the database, run
scripts/restore, and compare the fingerprint.
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

FINGERPRINT = """
import json, django
django.setup()
from initiatives.models import Initiative
from learning.models import Measurement, Metric
from realigning.models import RelapseFlag
print(json.dumps({
    "initiatives": sorted(Initiative.objects.values_list("pk", "title", "stage", "lock_version")),
    "metrics": sorted(Metric.objects.values_list("pk", "initiative_id", "name", "baseline")),
    "measurements": sorted(
        (m, str(p), v)
        for m, p, v in Measurement.objects.values_list("metric_id", "period", "value")
    ),
    "flags": sorted(
        (pk, m, str(f), s) for pk, m, f, s in
        RelapseFlag.objects.values_list("pk", "metric_id", "fired_on", "status")
    ),
}, default=str))
"""


def _url(name: str) -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{db['USER']}{password}@{host}:{port}/{name}"


def _run(args, url, **kwargs):
    env = {**os.environ, "DATABASE_URL": url, "CELERY_TASK_ALWAYS_EAGER": "true"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, **kwargs
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


def _psql(sql: str) -> None:
    _run(["psql", _url("postgres"), "-v", "ON_ERROR_STOP=1", "-q", "-c", sql], _url("postgres"))


@pytest.fixture
def scratch(services):
    name = f"holdfast_backup_{uuid.uuid4().hex[:8]}"
    _psql(f"CREATE DATABASE {name}")
    try:
        yield _url(name)
    finally:
        _psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _fingerprint(url) -> dict:
    return json.loads(_run([sys.executable, "-c", FINGERPRINT], url))


def test_dump_wipe_restore_brings_every_initiative_measurement_and_flag_back(scratch, tmp_path):
    _run([sys.executable, "manage.py", "migrate", "--noinput"], scratch)
    _run([sys.executable, "manage.py", "seed_demo"], scratch)
    before = _fingerprint(scratch)
    assert len(before["initiatives"]) >= 3
    assert len(before["measurements"]) > 100
    assert before["flags"], "the demo has relapse flags"

    dump = tmp_path / "holdfast.dump"
    out = _run([str(ROOT / "scripts" / "backup"), str(dump)], scratch)
    assert "backup: wrote" in out and dump.stat().st_size > 1000

    # Wipe: every table gone, as after losing the disk.
    _run(
        [
            "psql",
            scratch,
            "-v",
            "ON_ERROR_STOP=1",
            "-q",
            "-c",
            "DROP SCHEMA public CASCADE; CREATE SCHEMA public;",
        ],
        scratch,
    )
    with pytest.raises(AssertionError, match="does not exist"):
        _fingerprint(scratch)

    out = _run([str(ROOT / "scripts" / "restore"), str(dump), "--yes"], scratch)
    assert "restored" in out
    assert _fingerprint(scratch) == before
    # The restored database is a working Holdfast: no migration is missing.
    plan = _run([sys.executable, "manage.py", "migrate", "--plan"], scratch)
    assert "No planned migration operations." in plan


def test_restore_refuses_without_confirmation_and_a_broken_file(scratch, tmp_path):
    not_a_dump = tmp_path / "x.dump"
    not_a_dump.write_bytes(b"PK\x03\x04 a spreadsheet")
    env = {**os.environ, "DATABASE_URL": scratch}
    broken = subprocess.run(
        [str(ROOT / "scripts" / "restore"), str(not_a_dump), "--yes"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert broken.returncode != 0 and "not a pg_dump archive" in broken.stderr
    _run([sys.executable, "manage.py", "migrate", "--noinput", "initiatives"], scratch)
    dump = tmp_path / "ok.dump"
    _run([str(ROOT / "scripts" / "backup"), str(dump)], scratch)
    unconfirmed = subprocess.run(
        [str(ROOT / "scripts" / "restore"), str(dump)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert unconfirmed.returncode != 0
