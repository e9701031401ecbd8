"""Performance-relapse detection for a KPI after a change initiative improved it.

Pure Python + NumPy (no Django), so it can run in a request, a task or a CLI.

Method (statistical process control, built for real business series):

* The sustained level, spread, day-of-week profile (daily cadence, only when an F-test
  says it is significant) and lag-1 autocorrelation ``phi`` are estimated robustly
  (median/MAD first pass, then 3-sigma winsorised moments) from the points after the
  hold date.  The estimate is *self-starting*: monitoring begins after
  ``Settings.min_points`` points with small-sample (Student-t) widening and a cautious
  phi until the calibration window is complete.  After that, points join the fit only
  with a lag (the fit covers at most the first third of the history), and points inside
  a suspected slide (current CUSUM run) or a confirmed relapse never join, so a relapse
  cannot teach the model that it is normal.
* Each new point is turned into a standardised one-step-ahead prediction residual of an
  AR(1) model around the deseasonalised level.  Charting residuals instead of raw values
  is what keeps autocorrelated / weekly-seasonal KPIs from raising false alarms.
* Rules (only the bad direction - towards the baseline - counts):
  ``cusum``          one-sided CUSUM on Huber-clipped residuals; the reference value k is
                     half the residual-scale size of a ``design_shift`` marginal-sigma step
                     and the threshold h is set for ``target_arl0`` (Siegmund's
                     approximation).  A residual beyond ``clip_z`` counts as neutral until
                     the next one confirms it, so one outlier cannot fire it alone; two
                     consecutive extreme points are passed through unclipped.
  ``two_of_three``   two of the last three residuals beyond ``shewhart_z`` sigma.
  ``gain_retention`` the mean of the last W points keeps less than ``retention_fraction``
                     of the improvement over the baseline, and the loss is significant.
* A signal is raised once per episode.  The episode lasts until the CUSUM has drained
  back to zero and the gain-retention condition has cleared; then a later relapse can
  be reported again.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np

__all__ = ["DEFAULT", "Result", "Settings", "Signal", "detect"]

CADENCES = ("daily", "weekly", "monthly")
DIRECTIONS = ("higher", "lower")


@dataclass(frozen=True)
class Settings:
    """Tuning knobs.  Defaults are the ones measured in bench/RELAPSE_RESULTS.md."""

    min_points: int = 8  # fewer usable points after the hold date -> insufficient_data
    # Calibration window: points after which the sustained level counts as established
    # (reference for gain retention; later points join the fit only with a lag).  Before
    # that the chart is self-starting: it already monitors from point ``min_points + 1``
    # with Student-t widened limits and a cautious (upper-side) phi.  Statistics, not the
    # calendar, set these: ~25-30 points are needed for a usable level and phi.
    calibration: tuple[tuple[str, int], ...] = (("daily", 30), ("weekly", 26), ("monthly", 24))
    design_shift: float = 1.0  # marginal sigmas the CUSUM is tuned to catch fastest
    target_arl0: float = 500.0  # nominal in-control average run length used to choose h
    clip_z: float = 3.0  # Huber clip of CUSUM input
    # A residual beyond clip_z is held back (enters the CUSUM as exactly k, i.e. neutral)
    # until the next residual exceeds confirm_z; an isolated outlier cannot move the CUSUM.
    confirm_z: float = 1.5
    shewhart_z: float = 3.0  # two of three residuals beyond this fire ``two_of_three``
    clean_z: float = 3.0  # residuals beyond this are not trusted as the next prediction base
    outlier_z: float = 4.0  # isolated residuals beyond this are listed as outliers
    retention_fraction: float = 0.5  # fire when less than this share of the gain is kept
    retention_window: tuple[tuple[str, int], ...] = (("daily", 14), ("weekly", 6), ("monthly", 4))
    retention_z: float = 4.0  # the loss must also be this many standard errors
    seasonal_min_weeks: int = 4  # a day-of-week profile from fewer weeks is mostly noise
    seasonal_alpha_f: float = 2.8  # F critical value (~1 % for 6 df) + 20/df2, see _f_crit
    phi_max: float = 0.9
    phi_caution: float = 1.0  # standard errors added to phi before calibration completes
    episode_cap: float = 2.0  # CUSUM is capped at cap*h during an episode so it can drain
    refit_growth: float = 0.1  # refit when the calibration set grew by this fraction

    def for_cadence(self, table: tuple[tuple[str, int], ...], cadence: str) -> int:
        return dict(table).get(cadence, dict(table)["daily"])


DEFAULT = Settings()


@dataclass(frozen=True)
class Signal:
    """One relapse episode: which rule fired first, when, and why."""

    rule: str
    fired_on: date
    slide_began: date
    severity: str
    evidence: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Result:
    """Detector output.  ``level``/``sigma``/``limits`` are in the metric's own units."""

    status: str
    signals: list[Signal]
    outliers: list[date]
    level: float | None
    sigma: float | None
    limits: tuple[float, float] | None
    reason: str = ""
    phi: float | None = None
    seasonal: tuple[float, ...] | None = None  # Monday..Sunday offsets (daily cadence)


# --------------------------------------------------------------------------- helpers


def _insufficient(reason: str) -> Result:
    return Result("insufficient_data", [], [], None, None, None, reason)


def _period(d: date, cadence: str) -> int:
    if cadence == "weekly":
        return (d.toordinal() - 1) // 7  # Monday-anchored weeks
    if cadence == "monthly":
        return d.year * 12 + d.month - 1
    return d.toordinal()


def _clean(series: Sequence[tuple[date, float]], cadence: str) -> list[tuple[int, date, float]]:
    """Drop unusable rows, sort, and merge rows that fall in the same period (mean)."""
    buckets: dict[int, list] = {}
    for row in series or ():
        try:
            d, v = row[0], float(row[1])
        except (TypeError, ValueError, IndexError):
            continue
        if isinstance(d, datetime):
            d = d.date()
        if not isinstance(d, date) or not math.isfinite(v):
            continue
        p = _period(d, cadence)
        b = buckets.setdefault(p, [d, 0.0, 0])
        b[0] = min(b[0], d)
        b[1] += v
        b[2] += 1
    return [(p, b[0], b[1] / b[2]) for p, b in sorted(buckets.items())]


def _f_crit(df2: float, base: float) -> float:
    # ~1 % point of F(6, df2): 3.71 at 23, 3.19 at 50, 2.80 as df2 -> inf.
    return base + 20.0 / max(df2, 1.0)


def _t_to_z(t: float, df: float) -> float:
    """Map a Student-t value to the standard-normal value with the same tail (Wallace)."""
    if df >= 200 or t == 0.0:
        return t
    z = math.sqrt(df * math.log1p(t * t / df)) * (8 * df + 1) / (8 * df + 3)
    return z if t > 0 else -z


def _cusum_h(k: float, arl0: float) -> float:
    """Threshold h giving ``arl0`` for a one-sided CUSUM with reference k (Siegmund)."""

    def arl(h: float) -> float:
        a = 2.0 * k * (h + 1.166)
        return (math.expm1(a) - a) / (2.0 * k * k)

    lo, hi = 0.1, 60.0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if arl(mid) < arl0:
            lo = mid
        else:
            hi = mid
    return hi


@dataclass
class _Model:
    mu: float
    sigma: float  # marginal sd of the deseasonalised series
    sigma_e: float  # one-step prediction (innovation) sd
    phi: float
    seasonal: np.ndarray  # 7 offsets (zeros unless daily and significant)
    n: int
    df: float
    extra: float  # effective number of estimated location parameters (predictive widening)
    k: float
    h: float


def _robust_scale(v: np.ndarray, centre: float) -> float:
    dev = np.abs(v - centre)
    s = 1.4826 * float(np.median(dev))
    if s <= 0.0:
        s = 1.2533 * float(np.mean(dev))
    return s


def _fit(
    x: np.ndarray,
    dow: np.ndarray,
    per: np.ndarray,
    daily: bool,
    st: Settings,
    floor: float,
    cautious: bool,
) -> _Model:
    """Robust level / seasonality / AR(1) fit on the calibration points."""
    n = len(x)
    med = float(np.median(x))
    scale = max(_robust_scale(x, med), floor)
    seasonal = np.zeros(7)
    weight = 0.0
    if daily and n >= 7 * st.seasonal_min_weeks:
        counts = np.bincount(dow, minlength=7)
        if counts.min() >= st.seasonal_min_weeks:
            dev = np.clip(x - med, -3 * scale, 3 * scale)
            means = np.bincount(dow, weights=dev, minlength=7) / counts
            within = float(np.sum((dev - means[dow]) ** 2)) / (n - 7)
            between = float(np.sum(counts * (means - dev.mean()) ** 2)) / 6.0
            if within > 0 and between / within > _f_crit(n - 7, st.seasonal_alpha_f):
                f = between / within
                weight = 1.0 - 1.0 / f  # James-Stein style shrinkage of a noisy profile
                seasonal = weight * (means - means.mean())
    y = x - seasonal[dow]
    med = float(np.median(y))
    scale = max(_robust_scale(y, med), floor)
    lost = 1.0 + 6.0 * weight  # degrees of freedom spent on level and profile
    mu, sigma = med, scale
    for _ in range(2):  # winsorised mean/sd; the second pass undoes an unlucky small MAD
        w = np.clip(y, mu - 3 * sigma, mu + 3 * sigma)
        mu = float(w.mean())
        sigma = max(math.sqrt(float(np.sum((w - mu) ** 2)) / max(n - lost, 1.0)), floor)
    c = w - mu
    consecutive = np.flatnonzero(np.diff(per) == 1)
    phi = 0.0
    if len(consecutive) >= 5 and sigma > floor:
        c0 = float(np.mean(c * c))
        c1 = float(np.mean(c[consecutive] * c[consecutive + 1]))
        raw = c1 / c0 if c0 > 0 else 0.0
        phi = raw + (1.0 + 3.0 * raw) / n  # Kendall small-sample bias correction
        if cautious:
            # While still self-starting, under-estimating phi is what causes false alarms
            # (residuals stay autocorrelated), so lean on the upper side of its error.
            phi += st.phi_caution * math.sqrt(max(1.0 - phi * phi, 0.0) / n)
        phi = min(max(phi, 0.0), st.phi_max)
    if len(consecutive) >= 6:
        r = c[consecutive + 1] - phi * c[consecutive]
        sigma_e = math.sqrt(float(np.sum(r * r)) / (len(r) - 1))
    else:
        sigma_e = sigma * math.sqrt(1.0 - phi * phi)
    sigma_e = max(sigma_e, floor)
    k = 0.5 * st.design_shift * math.sqrt((1.0 - phi) / (1.0 + phi)) * sigma / sigma_e
    k = min(max(k, 0.05), 2.0)
    h = _cusum_h(k, st.target_arl0)
    df = max(n - 2.0 - lost, 1.0)
    return _Model(mu, sigma, sigma_e, phi, seasonal, n, df, lost, k, h)


# --------------------------------------------------------------------------- detect


def detect(
    series: Sequence[tuple[date, float]],
    *,
    baseline: float,
    target: float | None = None,
    direction: str,
    hold_from: date | None = None,
    cadence: str = "daily",
    settings: Settings = DEFAULT,
) -> Result:
    """Look for relapses toward ``baseline`` in ``series`` after ``hold_from``.

    Never raises on odd data: bad rows are dropped, dates sorted, duplicates averaged.
    Returns ``status="insufficient_data"`` (with a reason) when it cannot calibrate.
    """
    st = settings
    if direction not in DIRECTIONS:
        return _insufficient(f"direction must be 'higher' or 'lower', got {direction!r}")
    if cadence not in CADENCES:
        return _insufficient(f"cadence must be daily, weekly or monthly, got {cadence!r}")
    try:
        baseline = float(baseline)
    except (TypeError, ValueError):
        return _insufficient("baseline is not a number")
    if not math.isfinite(baseline):
        return _insufficient("baseline is not a finite number")
    try:
        target = None if target is None else float(target)
    except (TypeError, ValueError):
        target = None
    if target is not None and not math.isfinite(target):
        target = None
    if isinstance(hold_from, datetime):
        hold_from = hold_from.date()

    rows = _clean(series, cadence)
    if hold_from is not None:
        rows = [r for r in rows if r[1] >= hold_from]
    n = len(rows)
    if n < st.min_points:
        return _insufficient(
            f"only {n} usable point(s) after the hold date; at least {st.min_points} needed"
        )
    per = np.array([r[0] for r in rows], dtype=np.int64)
    dates = [r[1] for r in rows]
    x = np.array([r[2] for r in rows], dtype=float)
    if float(np.ptp(x)) == 0.0:
        return _insufficient("the metric is constant after the hold date; no spread to judge")

    # Orient so that "bad" (towards the baseline) is always up.
    o = 1.0 if direction == "lower" else -1.0
    xo = o * x
    base_o = o * baseline
    daily = cadence == "daily"
    dow = np.array([d.weekday() for d in dates], dtype=np.int64)
    floor = 1e-9 * max(1.0, float(np.max(np.abs(x))))
    n_cal = st.for_cadence(st.calibration, cadence)
    window = st.for_cadence(st.retention_window, cadence)

    excluded = np.zeros(n, dtype=bool)
    train: list[int] = []
    q = 0  # next index that may join the calibration set
    model: _Model | None = None
    next_fit = 0
    ref_level: float | None = None  # established sustained level (oriented)
    ref_n = 0

    xt = xo.copy()  # values used as the base of the next prediction (outliers tamed)
    z = np.zeros(n)
    s_hist = np.zeros(n)
    S = 0.0
    run_start = -1
    in_episode = False
    signals: list[Signal] = []
    z1 = z2 = 0.0  # previous two residuals
    pending = 0.0  # CUSUM input withheld from an unconfirmed extreme point

    for i in range(n):
        # Once established, the calibration set stops at the start of a suspected slide;
        # before that it is a plain self-starting chart (every earlier point counts).
        # After that, a point joins only once the calibration set covers at most the first
        # third of the history, so a small shift
        # is seen by the CUSUM long before it can pull the estimated level towards it.
        limit = i
        if ref_level is not None:
            limit = i - max(n_cal, 2 * len(train))
            if S > 0.0:
                limit = min(limit, run_start)
        while q < limit:
            if not excluded[q]:
                train.append(q)
            q += 1
        if i < st.min_points:
            continue
        if model is None or len(train) >= next_fit:
            idx = np.asarray(train)
            cautious = len(idx) < n_cal
            model = _fit(xo[idx], dow[idx], per[idx], daily, st, floor, cautious)
            next_fit = len(train) + max(1, int(st.refit_growth * len(train)))
            if ref_level is None and len(train) >= n_cal:
                ref_level, ref_n = model.mu, model.n
        m = model
        sd = m.seasonal
        gap = int(per[i] - per[i - 1])
        pg = m.phi**gap if m.phi > 0 else 0.0
        var = (1.0 - pg * pg) / (1.0 - m.phi * m.phi) if m.phi > 0 else 1.0
        pred = m.mu + pg * (xt[i - 1] - sd[dow[i - 1]] - m.mu)
        spred = m.sigma_e * math.sqrt(var * (1.0 + m.extra / m.n))
        zi = _t_to_z((xo[i] - sd[dow[i]] - pred) / spred, m.df)
        z[i] = zi
        if abs(zi) > st.clean_z:
            xt[i] = sd[dow[i]] + pred + math.copysign(st.clean_z * spred, zi)

        # Huber clip; an extreme point counts fully only once a neighbour confirms it.
        c = st.clip_z
        if pending and zi > st.confirm_z and S > 0.0:
            S += pending
        pending = 0.0
        if zi > c and z1 > c:
            u = zi
        elif zi > c:
            u = m.k
            pending = c - m.k
        else:
            u = max(zi, -c)
        s_new = max(0.0, S + u - m.k)
        if S == 0.0 and s_new > 0.0:
            run_start = i
        S = s_new

        fired: list[str] = []
        if S >= m.h:
            fired.append("cusum")
        L = st.shewhart_z
        if zi > L and (z1 > L or z2 > L):
            fired.append("two_of_three")
        retained = None
        gain = None
        lvl = ref_level if ref_level is not None else m.mu
        if base_o > lvl and i - st.min_points + 1 >= window:
            gain = base_o - lvl
            recent = xo[i - window + 1 : i + 1] - sd[dow[i - window + 1 : i + 1]]
            mean_recent = float(recent.mean())
            retained = (base_o - mean_recent) / gain
            lr = m.sigma * math.sqrt((1.0 + m.phi) / (1.0 - m.phi))
            se = lr * math.sqrt(1.0 / window + 1.0 / (ref_n or m.n))
            lost_enough = retained < st.retention_fraction
            if lost_enough and mean_recent - lvl > st.retention_z * se:
                fired.append("gain_retention")
        z2, z1 = z1, zi
        s_hist[i] = S

        if in_episode:
            # Early (not yet established) episodes still teach the self-starting fit, so a
            # poor first calibration cannot lock the detector in one endless episode.
            excluded[i] = ref_level is not None
            S = min(S, st.episode_cap * m.h)
            if S == 0.0 and "gain_retention" not in fired:
                in_episode = False
            continue
        if not fired:
            continue

        # New episode: report it once.
        if S > 0.0 and run_start >= 0:
            start = run_start
        else:
            start = i - window + 1 if fired == ["gain_retention"] else i
        start = max(start, 0)
        in_episode = True
        excluded[start : i + 1] = ref_level is not None
        S = min(max(S, m.h), st.episode_cap * m.h)
        run_start = start
        signals.append(
            _make_signal(
                fired, i, start, dates, x, xo, dow, m, o, baseline, target, base_o, lvl, s_hist
            )
        )

    outliers = _isolated(z, dates, st)
    if model is None:  # pragma: no cover - n >= min_points guarantees a fit
        return _insufficient("could not calibrate")
    level = o * model.mu
    sigma = model.sigma
    return Result(
        status="ok",
        signals=signals,
        outliers=outliers,
        level=level,
        sigma=sigma,
        limits=(level - 3 * sigma, level + 3 * sigma),
        reason="",
        phi=model.phi,
        seasonal=tuple(float(o * v) for v in model.seasonal) if daily else None,
    )


def _isolated(z: np.ndarray, dates: list[date], st: Settings) -> list[date]:
    """Points far off in either direction whose neighbours look normal."""
    out = []
    n = len(z)
    for i in np.flatnonzero(np.abs(z) > st.outlier_z):
        prev_ok = i == 0 or abs(z[i - 1]) <= st.clip_z
        next_ok = i == n - 1 or abs(z[i + 1]) <= st.clip_z
        if prev_ok and next_ok:
            out.append(dates[i])
    return out


def _make_signal(
    fired: list[str],
    i: int,
    start: int,
    dates: list[date],
    x: np.ndarray,
    xo: np.ndarray,
    dow: np.ndarray,
    m: _Model,
    o: float,
    baseline: float,
    target: float | None,
    base_o: float,
    lvl: float,
    s_hist: np.ndarray,
) -> Signal:
    seg = xo[start : i + 1] - m.seasonal[dow[start : i + 1]]
    run_mean = float(seg.mean())
    shift = (run_mean - lvl) / m.sigma  # marginal sigmas towards the baseline
    gain = base_o - lvl
    lost = (run_mean - lvl) / gain if gain > m.sigma else None
    if lost is not None:
        severity = "high" if lost >= 2 / 3 else "medium" if lost >= 1 / 3 else "low"
    else:
        severity = "high" if shift >= 2 else "medium" if shift >= 1 else "low"
    tail = range(max(start, i - 59), i + 1)
    evidence = {
        "rules": list(fired),
        "level": o * lvl,
        "sigma": m.sigma,
        "phi": m.phi,
        "baseline": baseline,
        "target": target,
        "run_mean": o * run_mean,
        "shift_sigma": shift,
        "gain_lost": lost,
        "cusum": float(s_hist[i]),
        "threshold": m.h,
        "reference_k": m.k,
        "calibration_points": m.n,
        "points": [[dates[j].isoformat(), float(x[j])] for j in tail],
    }
    if target is not None:
        evidence["target_met"] = bool(run_mean <= o * target)
    return Signal(fired[0], dates[i], dates[start], severity, evidence)
