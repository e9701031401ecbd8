"""learning.effects: the t quantile, Welch intervals, plain-words readings, retention."""

import math
import random

import pytest

from learning.effects import (
    MIN_POINTS,
    experiment_effect,
    retention,
    t_quantile,
    welch,
)

# Student's t table (two-sided 95%, 99%; one-sided 95%, 90%, 99.9%).
TABLE = [
    (0.975, 1, 12.706),
    (0.975, 2, 4.303),
    (0.975, 3, 3.182),
    (0.975, 4, 2.776),
    (0.975, 5, 2.571),
    (0.975, 10, 2.228),
    (0.975, 20, 2.086),
    (0.975, 30, 2.042),
    (0.975, 60, 2.000),
    (0.975, 120, 1.980),
    (0.995, 5, 4.032),
    (0.995, 10, 3.169),
    (0.995, 30, 2.750),
    (0.95, 3, 2.353),
    (0.95, 10, 1.812),
    (0.95, 30, 1.697),
    (0.9, 7, 1.415),
    (0.999, 3, 10.215),
    (0.999, 10, 4.144),
]


@pytest.mark.parametrize(("p", "df", "expected"), TABLE)
def test_t_quantile_matches_the_table(p, df, expected):
    assert t_quantile(p, df) == pytest.approx(expected, abs=1.5e-3)


def test_t_quantile_is_symmetric_and_tends_to_the_normal():
    assert t_quantile(0.025, 7) == pytest.approx(-t_quantile(0.975, 7))
    assert t_quantile(0.5, 4) == 0
    assert t_quantile(0.975, 1e9) == pytest.approx(1.95996, abs=1e-4)


def test_t_quantile_is_monotone_in_fractional_df():
    values = [t_quantile(0.975, df / 4) for df in range(4, 200)]
    assert all(a > b for a, b in zip(values, values[1:], strict=False))


def test_t_quantile_rejects_nonsense():
    with pytest.raises(ValueError):
        t_quantile(1.0, 5)
    with pytest.raises(ValueError):
        t_quantile(0.9, 0)


def test_welch_against_a_worked_example():
    # Welch's t-test, example 1 of the Wikipedia article: t = 2.46, df = 24.99.
    a = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4]
    b = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4]
    iv = welch(a, b)
    assert iv.diff == pytest.approx(2.1667, abs=1e-3)  # mean b - mean a
    assert iv.df == pytest.approx(24.99, abs=1e-2)
    se = (iv.high - iv.low) / 2 / 2.05955  # R: qt(0.975, 24.9885) = 2.05955
    assert iv.diff / se == pytest.approx(2.46, abs=5e-3)
    # R: t.test(b, a)$conf.int = 0.3492 3.9841
    assert iv.low == pytest.approx(0.3492, abs=2e-3)
    assert iv.high == pytest.approx(3.9841, abs=2e-3)
    assert iv.excludes_zero


def test_welch_covers_the_true_difference_about_95_percent_of_the_time():
    rng = random.Random(7)
    hits = 0
    for _ in range(2000):
        a = [rng.gauss(10, 1) for _ in range(8)]
        b = [rng.gauss(12, 3) for _ in range(5)]
        iv = welch(a, b)
        hits += iv.low <= 2 <= iv.high
    assert 0.93 <= hits / 2000 <= 0.97


def test_welch_with_no_spread_is_a_point():
    iv = welch([5, 5, 5], [7, 7, 7])
    assert (iv.low, iv.diff, iv.high) == (2, 2, 2)
    assert math.isinf(iv.df)


def test_a_rise_in_a_higher_is_better_kpi_reads_as_an_improvement():
    baseline = [62.0, 63.1, 61.2, 62.8, 61.9, 62.4, 63.0, 61.5]
    pilot = [68.4, 67.9, 69.1, 68.0, 68.6, 67.7, 68.9, 68.3]
    effect = experiment_effect(pilot, baseline, metric_name="first-contact resolution", unit="%")
    assert effect.improved is True and effect.clear
    assert effect.verdict == "improvement"
    assert effect.reading.startswith("The pilot raised first-contact resolution by 6.1 points")
    assert "95% CI" in effect.reading and "an improvement" in effect.reading


def test_a_fall_in_a_lower_is_better_kpi_is_an_improvement_and_reads_positive():
    baseline = [12.0, 12.5, 11.8, 12.2, 12.1]
    pilot = [10.1, 9.8, 10.3, 10.0, 9.9]
    effect = experiment_effect(
        pilot, baseline, metric_name="handling time", unit="minutes", higher_is_better=False
    )
    assert effect.improved is True
    iv = effect.interval
    # "lowered ... by 2.1 minutes, 95% CI <low> to <high>" with both bounds positive.
    assert "lowered handling time by 2.1 minutes" in effect.reading
    low, high = -iv.high, -iv.low
    assert 0 < low < 2.1 < high
    assert f"CI {low:.1f} to {high:.1f}" in effect.reading


def test_a_rise_in_a_lower_is_better_kpi_is_a_change_for_the_worse():
    effect = experiment_effect(
        [15.0, 15.2, 14.9, 15.1],
        [12.0, 12.1, 11.9, 12.2],
        metric_name="waits",
        higher_is_better=False,
    )
    assert effect.improved is False and effect.verdict == "worse"
    assert "for the worse" in effect.reading


def test_noise_says_so():
    effect = experiment_effect([10, 12, 9, 11], [10, 11, 10, 12], metric_name="x")
    assert not effect.clear and effect.verdict == "no clear effect"
    assert "includes no change" in effect.reading


def test_too_little_data_says_so():
    effect = experiment_effect([1.0, 2.0], [1.0, 2.0, 3.0, 4.0], metric_name="FCR")
    assert not effect.enough_data and effect.interval is None
    assert effect.reading.startswith("Too little data")
    assert f"at least {MIN_POINTS}" in effect.reading


def test_against_a_control_group_says_so():
    effect = experiment_effect([5, 6, 5, 6], [3, 4, 3, 4], metric_name="sales", against="control")
    assert "compared with the control group" in effect.reading


def test_retention_of_an_improvement_that_slides_back():
    series = [(d, 48.0) for d in range(0, 30)]  # baseline level
    series += [(d, 36.0) for d in range(30, 90)]  # improved (lower is better)
    series += [(d, 44.0) for d in range(90, 118)]  # sliding back
    kept = retention(
        series, baseline=48.0, target=35.0, higher_is_better=False, hold_from=30, window=28
    )
    assert kept.gained == pytest.approx(12.0)
    assert kept.kept == pytest.approx(4.0)
    assert kept.retained_share == pytest.approx(1 / 3)
    assert kept.target_share == pytest.approx(4 / 13)


def test_retention_without_baseline_or_data():
    assert retention([], baseline=1.0).current is None
    kept = retention([(1, 5.0), (2, 7.0)], baseline=None)
    assert kept.current == 6.0 and kept.gained is None
