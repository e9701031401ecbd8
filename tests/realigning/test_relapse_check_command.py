"""`manage.py relapse_check` as the issue specifies it."""

import datetime as dt
import json

import numpy as np
import pytest
from django.core.management import CommandError, call_command


def _csv(tmp_path, values, name="series.csv"):
    path = tmp_path / name
    start = dt.date(2026, 1, 1)
    lines = [f"{start + dt.timedelta(days=i)},{v:.3f}" for i, v in enumerate(values)]
    path.write_text("date,value\n" + "\n".join(lines) + "\n")
    return str(path)


def _run(*args):
    from io import StringIO

    out = StringIO()
    call_command("relapse_check", *args, stdout=out)
    return json.loads(out.getvalue())


def test_a_slide_back_prints_a_signal_with_its_dates(tmp_path):
    rng = np.random.default_rng(3)
    values = list(80 + 2 * rng.standard_normal(90)) + list(68 + 2 * rng.standard_normal(40))
    result = _run(
        "--csv", _csv(tmp_path, values), "--baseline", "60", "--target", "80", "--direction", "up"
    )
    assert result["status"] == "ok"
    first = result["signals"][0]
    assert set(first) >= {"date", "rule", "slide_began"}
    assert "2026-03-20" <= first["slide_began"] <= first["date"] <= "2026-04-15"
    dates = [s["date"] for s in result["signals"]]
    assert dates == sorted(dates)


def test_down_means_lower_is_better(tmp_path):
    rng = np.random.default_rng(4)
    values = list(20 + rng.standard_normal(90)) + list(26 + rng.standard_normal(40))
    result = _run(
        "--csv",
        _csv(tmp_path, values),
        "--baseline",
        "30",
        "--direction",
        "down",
        "--hold-from",
        "2026-01-01",
    )
    assert result["signals"]


def test_too_little_data_is_insufficient_data(tmp_path):
    result = _run("--csv", _csv(tmp_path, [80, 81, 79]), "--baseline", "60", "--direction", "up")
    assert result == {**result, "status": "insufficient_data", "signals": []}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("when,amount\n2026-01-01,1\n", "header"),
        ("date,value\n2026-13-01,1\n", "date"),
        ("date,value\n2026-01-01,abc\n", "not a number"),
    ],
)
def test_a_bad_file_exits_non_zero_with_a_clear_message(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    with pytest.raises(CommandError, match=message):
        _run("--csv", str(path), "--baseline", "60", "--direction", "up")


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError):
        _run("--csv", str(tmp_path / "nope.csv"), "--baseline", "60", "--direction", "up")
