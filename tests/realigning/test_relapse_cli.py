"""realigning.relapse_cli.main: JSON out, clear errors on bad files (no Django needed)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import numpy as np
import pytest

from realigning.relapse_cli import main

D0 = date(2024, 1, 1)


def write(tmp_path, text: str, name: str = "kpi.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def series_csv(values, start: date = D0) -> str:
    lines = ["date,value"]
    lines += [f"{(start + timedelta(days=i)).isoformat()},{v:.3f}" for i, v in enumerate(values)]
    return "\n".join(lines) + "\n"


def step_values() -> np.ndarray:
    x = 100 + 5 * np.random.default_rng(7).standard_normal(160)
    x[80:] -= 10  # 2-sigma relapse from day 80
    return x


def test_step_reported_as_json_with_signals_in_date_order(tmp_path, capsys):
    path = write(tmp_path, series_csv(step_values()))
    code = main([path, "--baseline", "85", "--direction", "higher", "--target", "100"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert out["status"] == "ok"
    assert out["signals"], out
    dates = [s["date"] for s in out["signals"]]
    assert dates == sorted(dates)
    first = out["signals"][0]
    assert set(first) == {"date", "rule", "slide_began", "severity", "evidence"}
    assert "2024-03-21" <= first["date"] <= "2024-03-29"  # day 80 is 2024-03-21
    assert first["slide_began"] <= first["date"]
    assert isinstance(out["outliers"], list)


def test_hold_from_and_cadence_options(tmp_path, capsys):
    path = write(tmp_path, series_csv(step_values()))
    code = main(
        [path, "--baseline", "115", "--direction", "lower", "--hold-from", "2024-02-01"]
        + ["--cadence", "daily"]
    )
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert out["status"] == "ok"
    assert all(s["date"] >= "2024-02-01" for s in out["signals"])


def test_too_little_data_is_insufficient_not_an_error(tmp_path, capsys):
    path = write(tmp_path, series_csv([100, 101, 99, 100, 98]))
    assert main([path, "--baseline", "85", "--direction", "higher"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["status"] == "insufficient_data"
    assert out["signals"] == [] and out["reason"]


def test_blank_and_nan_values_are_skipped(tmp_path, capsys):
    lines = series_csv(step_values()).splitlines()
    lines[3] = lines[3].split(",")[0] + ","
    lines[4] = lines[4].split(",")[0] + ",NaN"
    path = write(tmp_path, "\n".join(lines) + "\n")
    assert main([path, "--baseline", "85", "--direction", "higher"]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "ok"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot open"),
        ("", "empty"),
        ("day,amount\n2024-01-01,3\n", "header must be 'date,value'"),
        ("date,value\n2024-13-01,3\n", "bad date"),
        ("date,value\n2024-01-01,3\n2024-01-02,abc\n", "not a number"),
        ("date,value\n2024-01-01,3,4\n", "expected 2 columns"),
    ],
)
def test_bad_files_exit_non_zero_with_a_clear_message(tmp_path, capsys, content, message):
    path = str(tmp_path / "missing.csv") if content is None else write(tmp_path, content)
    code = main([path, "--baseline", "85", "--direction", "higher"])
    captured = capsys.readouterr()
    assert code != 0
    assert message in captured.err
    assert captured.out == ""


def test_bad_arguments_exit_non_zero(tmp_path, capsys):
    path = write(tmp_path, series_csv(step_values()))
    assert main([path, "--baseline", "85", "--direction", "sideways"]) != 0
    assert main([path, "--baseline", "85", "--direction", "higher", "--hold-from", "x"]) != 0
    assert main([path, "--direction", "higher"]) != 0
    assert "usage" in capsys.readouterr().err
