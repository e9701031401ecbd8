"""record_measurements: the one write path of the form, the CSV import and the API."""

import datetime as dt

import pytest

from learning import hooks
from learning.measurements import normalise_period, record_measurements
from learning.models import Measurement, Metric
from tests.learning.factories import MetricFactory

D = dt.date


@pytest.fixture
def listener():
    calls = []
    hooks.measurement_listeners.append(calls.append)
    yield calls
    hooks.measurement_listeners.remove(calls.append)


@pytest.mark.django_db
def test_writing_the_same_rows_twice_is_idempotent_and_bumps_data_version(
    leader, django_capture_on_commit_callbacks
):
    metric = MetricFactory()
    rows = [(metric.pk, D(2025, 3, 1), 10.0), (metric.pk, D(2025, 3, 2), 11.0)]
    assert record_measurements(rows, source="csv", user=leader) == 2
    assert record_measurements(rows, source="csv", user=leader) == 2
    assert Measurement.objects.filter(metric=metric).count() == 2
    metric.refresh_from_db()
    assert metric.data_version == 2


@pytest.mark.django_db
def test_writing_a_period_again_updates_its_value_source_and_author(leader, member):
    metric = MetricFactory()
    record_measurements([(metric.pk, D(2025, 3, 1), 10.0)], source="form", user=leader)
    first = Measurement.objects.get()
    record_measurements([(metric.pk, D(2025, 3, 1), 12.5)], source="api", user=member)
    m = Measurement.objects.get()
    assert (m.value, m.source, m.entered_by) == (12.5, "api", member)
    assert m.pk == first.pk and m.recorded_at >= first.recorded_at


@pytest.mark.django_db
def test_data_version_is_bumped_once_per_touched_metric_only(django_assert_num_queries):
    a, b, untouched = MetricFactory(), MetricFactory(), MetricFactory()
    rows = [(a.pk, D(2025, 1, d), float(d)) for d in range(1, 11)] + [(b.pk, D(2025, 1, 1), 1.0)]
    # 1 cadences of the metrics, 2 savepoint, 3 the upsert, 4 the data_version bump, 5 release
    with django_assert_num_queries(5):
        record_measurements(rows, source="csv", user=None)
    versions = dict(Metric.objects.values_list("pk", "data_version"))
    assert versions == {a.pk: 1, b.pk: 1, untouched.pk: 0}


@pytest.mark.django_db
def test_listeners_hear_the_metric_ids_after_commit(django_capture_on_commit_callbacks, listener):
    a, b = MetricFactory(), MetricFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        record_measurements([(b.pk, D(2025, 1, 1), 1.0), (a.pk, D(2025, 1, 1), 2.0)])
    assert listener == []  # nothing before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    assert listener == [sorted([a.pk, b.pk])]


@pytest.mark.django_db
def test_a_broken_listener_never_fails_the_write(django_capture_on_commit_callbacks, caplog):
    def broken(ids):
        raise ConnectionError("broker is down")

    hooks.measurement_listeners.append(broken)
    try:
        metric = MetricFactory()
        with django_capture_on_commit_callbacks(execute=True):
            assert record_measurements([(metric.pk, D(2025, 1, 1), 1.0)]) == 1
    finally:
        hooks.measurement_listeners.remove(broken)
    assert Measurement.objects.count() == 1
    assert "broker is down" in caplog.text


@pytest.mark.django_db
def test_periods_are_normalised_to_the_metric_cadence():
    weekly = MetricFactory(cadence="weekly")
    monthly = MetricFactory(cadence="monthly")
    # Thursday 2025-03-13 -> Monday 2025-03-10; two days of one week: the last wins.
    record_measurements(
        [
            (weekly.pk, D(2025, 3, 13), 1.0),
            (weekly.pk, D(2025, 3, 16), 2.0),
            (monthly.pk, D(2025, 3, 31), 3.0),
        ]
    )
    assert list(weekly.measurements.values_list("period", "value")) == [(D(2025, 3, 10), 2.0)]
    assert list(monthly.measurements.values_list("period", "value")) == [(D(2025, 3, 1), 3.0)]


def test_normalise_period():
    assert normalise_period(D(2025, 3, 9), "weekly") == D(2025, 3, 3)  # a Sunday
    assert normalise_period(D(2025, 3, 10), "weekly") == D(2025, 3, 10)
    assert normalise_period(D(2024, 2, 29), "monthly") == D(2024, 2, 1)
    assert normalise_period(D(2024, 2, 29), "daily") == D(2024, 2, 29)


@pytest.mark.django_db
def test_nothing_to_write_writes_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert record_measurements([]) == 0


@pytest.mark.django_db
def test_an_unknown_metric_is_refused():
    with pytest.raises(Metric.DoesNotExist):
        record_measurements([(999999, D(2025, 1, 1), 1.0)])


@pytest.mark.django_db
def test_a_large_write_upserts_the_same_as_a_small_one(leader):
    """On PostgreSQL this takes the COPY path (COPY_THRESHOLD rows or more)."""
    from learning.measurements import COPY_THRESHOLD

    a, b = MetricFactory(), MetricFactory(cadence="weekly")
    rows = [(a.pk, D(2000, 1, 1) + dt.timedelta(days=i), i * 0.5) for i in range(COPY_THRESHOLD)]
    rows.append((b.pk, D(2025, 3, 13), -1.25))  # a Thursday -> its Monday
    assert record_measurements(rows, source="csv", user=leader) == COPY_THRESHOLD + 1
    changed = [(a.pk, D(2000, 1, 1), 99.0)] + rows[1:]
    assert record_measurements(changed, source="api", user=None) == COPY_THRESHOLD + 1
    assert Measurement.objects.count() == COPY_THRESHOLD + 1
    first = Measurement.objects.get(metric=a, period=D(2000, 1, 1))
    assert (first.value, first.source, first.entered_by) == (99.0, "api", None)
    assert Measurement.objects.get(metric=b).period == D(2025, 3, 10)
    assert Measurement.objects.get(metric=a, period=D(2000, 1, 11)).value == 5.0
    assert dict(Metric.objects.values_list("pk", "data_version")) == {a.pk: 2, b.pk: 2}
