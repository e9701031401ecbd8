"""Stalling is computed by a pure function: dates and numbers in, reasons in words out."""

import datetime as dt

import pytest

from mobilizing.stalling import adoption_on, assess, stalling_waves
from tests.mobilizing.factories import ReadingFactory, WaveFactory, WaveUnitFactory

TODAY = dt.date(2025, 6, 30)


def weeks_ago(n):
    return TODAY - dt.timedelta(weeks=n)


def run(**kwargs):
    defaults = {
        "status": "running",
        "planned_end": TODAY + dt.timedelta(days=60),
        "actual_start": weeks_ago(12),
        "units": {},
        "today": TODAY,
    }
    return assess(**(defaults | kwargs))


def test_a_growing_wave_on_time_is_not_stalling():
    units = {"a": [(weeks_ago(8), 20), (weeks_ago(4), 40), (weeks_ago(1), 60)]}
    assert run(units=units) == []


def test_an_overdue_wave_stalls_and_says_by_how_much():
    units = {"a": [(weeks_ago(6), 20), (weeks_ago(1), 60)]}
    reasons = run(planned_end=TODAY - dt.timedelta(days=10), units=units)
    assert len(reasons) == 1
    assert reasons[0].startswith("Overdue: planned to end on 2025-06-20, 10 days ago")


def test_a_planned_wave_past_its_end_is_overdue_too():
    assert run(status="planned", planned_end=TODAY - dt.timedelta(days=1))[0].startswith("Overdue")


def test_a_done_wave_never_stalls():
    assert run(status="done", planned_end=TODAY - dt.timedelta(days=100)) == []


def test_adoption_that_stopped_growing_below_target_stalls():
    units = {
        "a": [(weeks_ago(10), 20), (weeks_ago(6), 50), (weeks_ago(3), 51), (weeks_ago(1), 50)],
        "b": [(weeks_ago(10), 10), (weeks_ago(6), 40), (weeks_ago(1), 40)],
    }
    reasons = run(units=units)
    assert reasons == [
        "Adoption stopped growing: 45% now against 45% 4 weeks ago, below the 90% target."
    ]


def test_a_flat_wave_above_its_target_is_fine():
    units = {"a": [(weeks_ago(10), 95), (weeks_ago(1), 95)]}
    assert run(units=units) == []
    assert run(units={"a": [(weeks_ago(10), 70), (weeks_ago(1), 70)]}, target=70) == []


def test_no_reading_for_the_whole_window_is_a_stall():
    units = {"a": [(weeks_ago(10), 30), (weeks_ago(6), 40)]}
    (reason,) = run(units=units)
    assert reason.startswith("No adoption reading for 42 days")


def test_a_running_wave_nobody_measures_stalls_after_the_window():
    (reason,) = run(units={"a": []}, actual_start=weeks_ago(5))
    assert reason.startswith("No adoption reading since the wave started on 2025-05-26")
    assert run(units={"a": []}, actual_start=weeks_ago(2)) == []


def test_a_young_wave_is_not_judged_on_growth():
    assert run(units={"a": [(weeks_ago(2), 10), (weeks_ago(1), 10)]}) == []


def test_a_unit_not_measured_yet_counts_as_zero_adoption():
    units = {"a": [(weeks_ago(1), 80)], "b": []}
    assert adoption_on(units, TODAY) == 40
    assert adoption_on({"a": []}, TODAY) is None


@pytest.mark.django_db
def test_stalling_waves_for_many_initiatives_in_three_queries(
    initiative, django_assert_num_queries
):
    stuck = WaveFactory(
        initiative=initiative,
        order=1,
        status="running",
        planned_end=TODAY + dt.timedelta(days=30),
        actual_start=weeks_ago(12),
    )
    for i in range(3):
        unit = WaveUnitFactory(wave=stuck)
        ReadingFactory(unit=unit, date=weeks_ago(8), adoption_pct=30 + i)
        ReadingFactory(unit=unit, date=weeks_ago(1), adoption_pct=30 + i)
    WaveFactory(initiative=initiative, order=2, status="planned")
    other = WaveFactory(
        order=1, status="done", actual_start=weeks_ago(20), actual_end=weeks_ago(10)
    )
    # 1 waves, 2 units, 3 readings
    with django_assert_num_queries(3):
        result = stalling_waves([initiative, other.initiative], today=TODAY)
    assert list(result) == [initiative.pk]
    (flag,) = result[initiative.pk]
    assert flag.wave == stuck
    assert "stopped growing" in flag.reasons[0]
