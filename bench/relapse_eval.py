"""Seeded benchmark for realigning.relapse.detect (run: python3 bench/relapse_eval.py).

Every case generates many synthetic KPI series, runs the real detector on each one and
prints ``case | goal | measured | textbook | pass/fail``.  The textbook column is a plain
one-sided CUSUM (k=0.5, h=4) on the raw values with level = mean and sigma = moving range
/ 1.128 of the first 30 points, restarted after each alarm.

Conventions (all in rows = observed points after the hold date, 0-based index i):
* rows 0..29 are the calibration window (the detector is self-starting and already
  monitors from row 8 with widened limits; the textbook chart starts at row 30);
* in-control run length = rows after the calibration window up to and including the
  first alarm; an alarm inside the calibration window counts as run length 1 (strict);
  series with no alarm are censored at their length (so ARL0 is a lower bound);
* delay = rows from the change up to and including the alarm (alarm on the first changed
  row = 1); "detected" = an alarm within HORIZON rows of the change.  As in the usual
  conditional expected delay, detection share and delay are computed over the series
  with no alarm before the change; that pre-change false-alarm share is printed too.
  Undetected series count as an infinite delay in the median;
* sigma = marginal sd of the generated noise (AR(1) is scaled to unit marginal variance;
  for the seasonal case sigma excludes the day-of-week profile).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from datetime import date, timedelta

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from realigning.relapse import DEFAULT, Settings, detect  # noqa: E402

CAL = 30
HORIZON = 200
LEVEL, SCALE = 100.0, 5.0


# ------------------------------------------------------------------ generators


def ar1(rng: np.random.Generator, n: int, phi: float) -> np.ndarray:
    """Stationary AR(1) with unit marginal variance."""
    e = rng.standard_normal(n) * np.sqrt(1 - phi * phi)
    out = np.empty(n)
    prev = rng.standard_normal()
    for i in range(n):
        prev = phi * prev + e[i] if i else prev
        out[i] = prev
    return out


def weekly_profile(rng: np.random.Generator) -> np.ndarray:
    """Business-like week: busy weekdays, a weekend dip; sd of the profile 1-2 sigma."""
    shape = np.array([0.3, 0.5, 0.5, 0.4, 0.2, -0.9, -1.0]) + rng.normal(0, 0.15, 7)
    shape -= shape.mean()
    return shape / shape.std() * rng.uniform(1.0, 2.0)


def make(case: dict, rng: np.random.Generator) -> dict:
    """One series: oriented noise + bad-direction shift pattern, in metric units."""
    n = case["n"]
    noise = ar1(rng, n, case.get("phi", 0.0))
    start = date(2023, 1, 2) + timedelta(days=int(rng.integers(0, 7)))
    dow = np.array([(start + timedelta(days=i)).weekday() for i in range(n)])
    if case.get("seasonal"):
        noise = noise + weekly_profile(rng)[dow]
    bad = np.zeros(n)  # shift towards the baseline, in sigmas
    change = None
    gain = case.get("gain") or rng.uniform(2.0, 4.0)
    kind = case["kind"]
    if kind == "step":
        change = CAL + int(rng.integers(0, 21))
        bad[change:] = case["delta"]
    elif kind == "drift":
        change = CAL + int(rng.integers(0, 21))
        dur = int(rng.integers(*case["duration"]))
        ramp = np.minimum(1.0, (np.arange(n - change) + 1) / dur) * gain
        bad[change:] = ramp
        case = {**case, "half": change + int(np.ceil(dur / 2)) - 1}  # first row >= half lost
    elif kind == "outlier":
        change = CAL + int(rng.integers(10, 41))
        bad[change] = rng.uniform(5.0, 8.0)
    direction = "higher" if rng.random() < 0.5 else "lower"
    sign = -1.0 if direction == "higher" else 1.0  # bad direction in metric units
    values = LEVEL + SCALE * (noise + sign * bad)
    clean = LEVEL + SCALE * noise
    baseline = LEVEL + sign * gain * SCALE
    dates = [start + timedelta(days=i) for i in range(n)]
    return {
        "values": values,
        "clean": clean,
        "dates": dates,
        "direction": direction,
        "baseline": baseline,
        "change": change,
        "half": case.get("half"),
    }


# ------------------------------------------------------------------ detectors


SETTINGS = DEFAULT


def alarms_detector(s: dict, values: np.ndarray) -> list[int]:
    series = list(zip(s["dates"], values.tolist(), strict=True))
    res = detect(
        series,
        baseline=s["baseline"],
        target=None,
        direction=s["direction"],
        hold_from=s["dates"][0],
        cadence="daily",
        settings=SETTINGS,
    )
    index = {d: i for i, d in enumerate(s["dates"])}
    return sorted(index[sig.fired_on] for sig in res.signals)


def alarms_textbook(s: dict, values: np.ndarray) -> list[int]:
    x = values if s["direction"] == "lower" else -values
    cal = x[:CAL]
    mu = cal.mean()
    sigma = np.abs(np.diff(cal)).mean() / 1.128
    z = (x - mu) / sigma
    out, S = [], 0.0
    for i in range(CAL, len(x)):
        S = max(0.0, S + z[i] - 0.5)
        if S >= 4.0:
            out.append(i)
            S = 0.0
    return out


# ------------------------------------------------------------------ cases

CASES: dict[str, dict] = {
    "in control, iid": {"kind": "ic", "n": CAL + 2500, "series": 500},
    "in control, AR(1) phi 0.3": {"kind": "ic", "n": CAL + 2500, "phi": 0.3, "series": 500},
    "in control, AR(1) phi 0.5": {"kind": "ic", "n": CAL + 2500, "phi": 0.5, "series": 500},
    "in control, weekly seasonal": {
        "kind": "ic",
        "n": CAL + 2500,
        "seasonal": True,
        "series": 500,
    },
    "isolated 5-8 sigma outlier": {"kind": "outlier", "n": CAL + 80, "series": 1000},
    "step 0.5 sigma, iid": {"kind": "step", "delta": 0.5, "n": CAL + 20 + HORIZON},
    "step 1 sigma, iid": {"kind": "step", "delta": 1.0, "n": CAL + 20 + HORIZON},
    "step 2 sigma, iid": {"kind": "step", "delta": 2.0, "n": CAL + 20 + HORIZON},
    "step 3 sigma, iid": {"kind": "step", "delta": 3.0, "n": CAL + 20 + HORIZON},
    "gradual drift to baseline": {
        "kind": "drift",
        "duration": (60, 241),
        "n": CAL + 20 + 240,
    },
    "fast drift, 30-60 rows (no goal)": {
        "kind": "drift",
        "duration": (30, 61),
        "n": CAL + 20 + HORIZON,
    },
    "step 1 sigma, AR(1) phi 0.5": {
        "kind": "step",
        "delta": 1.0,
        "phi": 0.5,
        "n": CAL + 20 + HORIZON,
    },
    "step 2 sigma, AR(1) phi 0.5": {
        "kind": "step",
        "delta": 2.0,
        "phi": 0.5,
        "n": CAL + 20 + HORIZON,
    },
    "step 1 sigma, weekly seasonal": {
        "kind": "step",
        "delta": 1.0,
        "seasonal": True,
        "n": CAL + 20 + HORIZON,
    },
}
DEFAULT_SERIES = 1000


def run_one(args: tuple[str, int, int, dict]) -> dict:
    name, seed, j, overrides = args
    global SETTINGS
    SETTINGS = replace(DEFAULT, **overrides)
    case = CASES[name]
    rng = np.random.default_rng([seed, list(CASES).index(name), j])
    s = make(case, rng)
    out = {"n": len(s["values"]), "change": s["change"], "half": s["half"]}
    out["det"] = alarms_detector(s, s["values"])
    out["tb"] = alarms_textbook(s, s["values"])
    if case["kind"] == "outlier":
        out["det_bg"] = alarms_detector(s, s["clean"])
        out["tb_bg"] = alarms_textbook(s, s["clean"])
    return out


# ------------------------------------------------------------------ scoring


def run_length(alarms: list[int], n: int) -> tuple[int, bool]:
    """Rows after calibration to the first alarm (alarm in calibration = 1)."""
    if not alarms:
        return n - CAL, True
    return max(1, alarms[0] - CAL + 1), False


def first_after(alarms: list[int], start: int, stop: int) -> int | None:
    return next((a for a in alarms if start <= a < stop), None)


def score(name: str, rows: list[dict], key: str) -> dict:
    kind = CASES[name]["kind"]
    if kind == "ic":
        rls = [run_length(r[key], r["n"]) for r in rows]
        lengths = np.array([rl for rl, _ in rls], dtype=float)
        censored = sum(c for _, c in rls)
        early = sum(1 for r in rows if r[key] and r[key][0] < CAL)
        return {
            "value": lengths.mean(),
            "text": f"ARL0 {lengths.mean():.0f} (median {np.median(lengths):.0f}, "
            f"{100 * censored / len(rows):.0f}% censored at {rows[0]['n'] - CAL}"
            + (f", {100 * early / len(rows):.1f}% alarm in cal. window" if early else "")
            + ")",
        }
    if kind == "outlier":
        hit = sum(first_after(r[key], r["change"], r["change"] + 11) is not None for r in rows)
        bg = sum(
            first_after(r[key + "_bg"], r["change"], r["change"] + 11) is not None for r in rows
        )
        return {
            "value": 100 * hit / len(rows),
            "text": f"{100 * hit / len(rows):.1f}% flagged within 10 rows "
            f"(same window without outlier {100 * bg / len(rows):.1f}%)",
        }
    delays, pre = [], 0  # undetected series count as an infinite delay in the median
    early_enough = 0
    for r in rows:
        c = r["change"]
        if any(a < c for a in r[key]):
            pre += 1
            continue
        a = first_after(r[key], c, c + HORIZON)
        if a is not None:
            delays.append(a - c + 1)
            if kind == "drift" and a < r["half"]:
                early_enough += 1
    clean = len(rows) - pre
    det = 100 * len(delays) / clean
    full = np.array(delays + [np.inf] * (clean - len(delays)))
    med = float(np.median(full))
    pre_txt = f"; {100 * pre / len(rows):.1f}% pre-change alarm"
    if kind == "drift":
        pct = 100 * early_enough / clean
        return {"value": pct, "text": f"{pct:.1f}% before half the gain lost{pre_txt}"}
    return {
        "value": (det, med),
        "text": f"{det:.1f}% detected, median delay {med:g}{pre_txt}",
    }


GOALS: dict[str, tuple[str, object]] = {
    "in control, iid": ("ARL0 >= 370", lambda v: v >= 370),
    "in control, AR(1) phi 0.3": ("ARL0 >= 370", lambda v: v >= 370),
    "in control, AR(1) phi 0.5": ("ARL0 >= 370", lambda v: v >= 370),
    "in control, weekly seasonal": ("ARL0 >= 370", lambda v: v >= 370),
    "isolated 5-8 sigma outlier": ("flagged <= 5%", lambda v: v <= 5),
    "step 0.5 sigma, iid": ("detected >= 85%", lambda v: v[0] >= 85),
    "step 1 sigma, iid": ("median <= 10, detected >= 99%", lambda v: v[1] <= 10 and v[0] >= 99),
    "step 2 sigma, iid": ("median delay <= 4", lambda v: v[1] <= 4),
    "step 3 sigma, iid": ("median delay <= 3", lambda v: v[1] <= 3),
    "gradual drift to baseline": ("before half lost >= 95%", lambda v: v >= 95),
    "fast drift, 30-60 rows (no goal)": ("(information)", lambda v: True),
    "step 1 sigma, AR(1) phi 0.5": ("median delay <= 20", lambda v: v[1] <= 20),
    "step 2 sigma, AR(1) phi 0.5": ("median delay <= 8", lambda v: v[1] <= 8),
    "step 1 sigma, weekly seasonal": (
        "detected >= 90%, median <= 14",
        lambda v: v[0] >= 90 and v[1] <= 14,
    ),
}


def degenerate_checks(seed: int) -> tuple[bool, str]:
    """Constant series and < 8 rows after the hold date: insufficient_data, no exception."""
    rng = np.random.default_rng([seed, 99])
    d0 = date(2024, 1, 1)
    bad = 0
    trials = 0
    for t in range(200):
        n = int(rng.integers(0, 8)) if t % 2 else int(rng.integers(8, 120))
        vals = [float(rng.normal(50, 5)) for _ in range(n)] if t % 2 else [42.0] * n
        series = [(d0 + timedelta(days=i), v) for i, v in enumerate(vals)]
        if t % 4 == 1 and series:
            series.append((d0, float("nan")))
        try:
            res = detect(series, baseline=30.0, target=60.0, direction="higher", hold_from=d0)
            ok = res.status == "insufficient_data" and not res.signals and res.reason
        except Exception:  # noqa: BLE001 - the point is to count any exception
            ok = False
        bad += not ok
        trials += 1
    return bad == 0, f"{trials - bad}/{trials} insufficient_data, no exception"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--quick", action="store_true", help="about 1/4 of the series")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--only", default="", help="substring filter on case names")
    ap.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a numeric Settings field (exploration only; results use defaults)",
    )
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    factor = 0.25 if args.quick else 1.0
    names = [n for n in CASES if args.only in n]
    overrides = {}
    for item in args.set:
        key, _, value = item.partition("=")
        if key not in Settings.__dataclass_fields__:
            ap.error(f"unknown setting {key!r}")
        overrides[key] = float(value) if "." in value else int(value)
    jobs = []
    for name in names:
        count = max(20, int(CASES[name].get("series", DEFAULT_SERIES) * factor))
        jobs += [(name, args.seed, j, overrides) for j in range(count)]
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        results = list(pool.map(run_one, jobs, chunksize=8))
    by_case: dict[str, list[dict]] = {n: [] for n in names}
    for (name, *_), r in zip(jobs, results, strict=True):
        by_case[name].append(r)

    lines = [
        "| case | series | goal | measured (detector) | textbook CUSUM | pass |",
        "|---|---|---|---|---|---|",
    ]
    all_ok = True
    for name in names:
        rows = by_case[name]
        goal, check = GOALS[name]
        det = score(name, rows, "det")
        tb = score(name, rows, "tb")
        ok = bool(check(det["value"]))
        all_ok &= ok
        lines.append(
            f"| {name} | {len(rows)} | {goal} | {det['text']} | {tb['text']} | "
            f"{'pass' if ok else 'FAIL'} |"
        )
    if not args.only:
        ok, text = degenerate_checks(args.seed)
        all_ok &= ok
        lines.append(
            f"| constant series / < 8 rows (+NaN) | 200 | insufficient_data, no flag, "
            f"no exception | {text} | - | {'pass' if ok else 'FAIL'} |"
        )
    print("\n".join(lines))
    print(
        f"\nseed {args.seed}, {'quick' if args.quick else 'full'} run"
        + (f", overrides {overrides}" if overrides else "")
        + ", "
        f"{time.perf_counter() - t0:.0f} s on {args.workers} worker(s)"
    )
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
