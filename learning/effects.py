"""The statistics of learning: experiment effects and how much of an improvement holds.

Pure Python (no Django, no SciPy): numbers in, results out, so it is testable alone.

- `t_quantile(p, df)`: Student's t quantile by Hill's approximation (Algorithm 396, CACM
  1970), exact for 1 and 2 degrees of freedom; accurate to about 1e-4 against the tables.
- `welch(a, b)`: the difference of means b - a with a Welch confidence interval.
- `experiment_effect(...)`: the effect of a pilot on its metric against the baseline
  period or a control group, read out in plain words with the metric's direction.
- `retention(...)`: the improvement gained over the baseline and the share of it kept.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist, fmean

MIN_POINTS = 3  # per group: fewer and the spread is a guess


def t_quantile(p: float, df: float) -> float:
    """The p-quantile of Student's t with `df` degrees of freedom (df may be fractional)."""
    if not 0.0 < p < 1.0:
        raise ValueError("p must be between 0 and 1")
    if df <= 0:
        raise ValueError("df must be positive")
    if p == 0.5:
        return 0.0
    if math.isinf(df) or df > 1e7:
        return NormalDist().inv_cdf(p)
    upper = p > 0.5
    p2 = 2.0 * (1.0 - p if upper else p)  # two-tailed probability
    t = _hill_two_tailed(p2, df)
    return t if upper else -t


def _hill_two_tailed(p2: float, n: float) -> float:
    """Hill (1970): the t with two-tailed probability p2, for n degrees of freedom."""
    if n == 1:
        x = p2 * math.pi / 2
        return math.cos(x) / math.sin(x)
    if n == 2:
        return math.sqrt(2.0 / (p2 * (2.0 - p2)) - 2.0)
    a = 1.0 / (n - 0.5)
    b = 48.0 / (a * a)
    c = ((20700.0 * a / b - 98.0) * a - 16.0) * a + 96.36
    d = ((94.5 / (b + c) - 3.0) / b + 1.0) * math.sqrt(a * math.pi / 2.0) * n
    x = d * p2
    y = x ** (2.0 / n)
    if y > 0.05 + a:
        # Asymptotic inverse expansion about the normal quantile.
        x = NormalDist().inv_cdf(p2 * 0.5)
        y = x * x
        if n < 5:
            c += 0.3 * (n - 4.5) * (x + 0.6)
        c = (((0.05 * d * x - 5.0) * x - 7.0) * x - 2.0) * x + b + c
        y = (((((0.4 * y + 6.3) * y + 36.0) * y + 94.5) / c - y - 3.0) / b + 1.0) * x
        y = a * y * y
        y = math.expm1(y)
    else:
        y = (
            (1.0 / (((n + 6.0) / (n * y) - 0.089 * d - 0.822) * (n + 2.0) * 3.0) + 0.5 / (n + 4.0))
            * y
            - 1.0
        ) * (n + 1.0) / (n + 2.0) + 1.0 / y
    return math.sqrt(n * y)


@dataclass(frozen=True)
class Interval:
    """b - a with its confidence interval (Welch)."""

    diff: float
    low: float
    high: float
    df: float
    mean_a: float
    mean_b: float
    n_a: int
    n_b: int
    confidence: float

    @property
    def excludes_zero(self) -> bool:
        return self.low > 0 or self.high < 0


def _variance(xs: Sequence[float], mean: float) -> float:
    return sum((x - mean) ** 2 for x in xs) / (len(xs) - 1)


def welch(a: Sequence[float], b: Sequence[float], confidence: float = 0.95) -> Interval:
    """Mean of b minus mean of a, with a Welch-Satterthwaite t interval. Needs 2+ each."""
    n_a, n_b = len(a), len(b)
    if n_a < 2 or n_b < 2:
        raise ValueError("each group needs at least two values")
    mean_a, mean_b = fmean(a), fmean(b)
    va, vb = _variance(a, mean_a) / n_a, _variance(b, mean_b) / n_b
    se2 = va + vb
    diff = mean_b - mean_a
    if se2 == 0:
        return Interval(diff, diff, diff, math.inf, mean_a, mean_b, n_a, n_b, confidence)
    denom = (va * va / (n_a - 1) if va else 0.0) + (vb * vb / (n_b - 1) if vb else 0.0)
    df = se2 * se2 / denom
    half = t_quantile(1 - (1 - confidence) / 2, df) * math.sqrt(se2)
    return Interval(diff, diff - half, diff + half, df, mean_a, mean_b, n_a, n_b, confidence)


def fmt(x: float) -> str:
    """A number for people: one decimal, or more for small values; no trailing '.0'."""
    s = f"{x:.1f}" if abs(x) >= 1 or x == 0 else f"{x:.3g}"
    return s[:-2] if s.endswith(".0") else s


def amount(x: float, unit: str) -> str:
    """6.1 points for a percentage; 4.2 minutes; 3 (no unit)."""
    unit = (unit or "").strip()
    if unit == "%":
        return f"{fmt(x)} points"
    if not unit:
        return fmt(x)
    return f"{fmt(x)} {unit}" if unit[0].isalpha() else f"{fmt(x)}{unit}"


@dataclass(frozen=True)
class Effect:
    """The result of a pilot: computed, never typed."""

    enough_data: bool
    reading: str  # the plain-words sentence
    interval: Interval | None = None
    improved: bool | None = None  # None: too little data, or no clear direction
    clear: bool = False  # the interval excludes no change
    against: str = "baseline"  # or "control"

    @property
    def verdict(self) -> str:
        if not self.enough_data:
            return "too little data"
        if not self.clear:
            return "no clear effect"
        return "improvement" if self.improved else "worse"


def experiment_effect(
    pilot: Sequence[float],
    reference: Sequence[float],
    *,
    metric_name: str,
    unit: str = "",
    higher_is_better: bool = True,
    against: str = "baseline",
    confidence: float = 0.95,
) -> Effect:
    """The pilot period's values against the baseline period's (or a control group's)."""
    ref_label = "the baseline period" if against == "baseline" else "the control group"
    if len(pilot) < MIN_POINTS or len(reference) < MIN_POINTS:
        return Effect(
            enough_data=False,
            against=against,
            reading=(
                f"Too little data to tell: {len(pilot)} value{'s' if len(pilot) != 1 else ''} "
                f"of {metric_name} during the pilot and {len(reference)} in {ref_label}; "
                f"at least {MIN_POINTS} of each are needed."
            ),
        )
    iv = welch(reference, pilot, confidence)
    pct = f"{round(confidence * 100)}% CI"
    if iv.diff == 0 and iv.low == iv.high:
        return Effect(True, f"The pilot did not change {metric_name}.", iv, None, False, against)
    rose = iv.diff > 0
    verb = "raised" if rose else "lowered"
    # Report the magnitude in the direction of the verb: "lowered by 2.1, CI 0.8 to 3.4".
    lo, hi = (iv.low, iv.high) if rose else (-iv.high, -iv.low)
    improved = rose == higher_is_better
    clear = iv.excludes_zero
    compared = "" if against == "baseline" else ", compared with the control group"
    sentence = (
        f"The pilot {verb} {metric_name} by {amount(abs(iv.diff), unit)}{compared}, "
        f"{pct} {fmt(lo)} to {fmt(hi)}"
    )
    better = "higher" if higher_is_better else "lower"
    if clear and improved:
        tail = f": an improvement ({better} is better)."
    elif clear:
        tail = f": a change for the worse ({better} is better)."
    else:
        tail = (
            ": the interval includes no change, so this could be noise; "
            "run the pilot longer or on more sites."
        )
        improved = None
    return Effect(True, sentence + tail, iv, improved, clear, against)


@dataclass(frozen=True)
class Retention:
    """How much of the improvement over the baseline was gained, and how much is kept."""

    current: float | None  # mean of the latest window
    best: float | None  # best window mean since the hold date
    gained: float | None  # best improvement over the baseline (positive = better)
    kept: float | None  # current improvement over the baseline (positive = better)
    retained_share: float | None  # kept / gained, 0..1 (may leave that range)
    target_share: float | None  # kept / (target - baseline)


def retention(
    series: Sequence[tuple[object, float]],
    *,
    baseline: float | None,
    target: float | None = None,
    higher_is_better: bool = True,
    hold_from=None,
    window: int = 28,
) -> Retention:
    """Improvement gained (best rolling mean after `hold_from`) and the share still kept.

    `series` is (period, value) in period order; periods compare with `hold_from`.
    """
    values = [v for _, v in series]
    if not values:
        return Retention(None, None, None, None, None, None)
    window = max(1, min(window, len(values)))
    current = fmean(values[-window:])
    if baseline is None:
        return Retention(current, None, None, None, None, None)
    sign = 1.0 if higher_is_better else -1.0
    after = [v for p, v in series if hold_from is None or p >= hold_from]
    best = None
    if len(after) >= window:
        total = sum(after[:window])
        means = [total / window]
        for i in range(window, len(after)):
            total += after[i] - after[i - window]
            means.append(total / window)
        best = max(means) if higher_is_better else min(means)
    elif after:
        best = fmean(after)
    kept = sign * (current - baseline)
    gained = sign * (best - baseline) if best is not None else None
    share = kept / gained if gained and gained > 0 else None
    target_share = None
    if target is not None and target != baseline:
        target_share = (current - baseline) / (target - baseline)
    return Retention(current, best, gained, kept, share, target_share)
