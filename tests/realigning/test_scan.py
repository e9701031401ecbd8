"""The relapse scan: flags from the detector, idempotent, caught up from the watermark."""

import datetime as dt

import pytest

from realigning import scan
from realigning.models import MetricWatch, RelapseFlag
from tests.learning.factories import MetricFactory
from tests.realigning.series import improved_then, watched

pytestmark = pytest.mark.django_db


def test_a_slide_back_toward_the_baseline_raises_one_flag():
    metric = watched(MetricFactory)
    improved_then(metric, after_level=68)
    flag = RelapseFlag.objects.get(metric=metric)  # the write's listener ran the check
    assert flag.status == "open"
    assert dt.date(2026, 3, 25) <= flag.slide_began <= flag.fired_on <= dt.date(2026, 5, 10)
    assert flag.evidence  # the level and spread it compared against
    watch = MetricWatch.objects.get(metric=metric)
    assert watch.checked_version == metric.data_version and watch.status == "ok"


def test_a_gain_that_holds_raises_nothing():
    metric = watched(MetricFactory)
    improved_then(metric, days_held=150)
    assert not RelapseFlag.objects.filter(metric=metric).exists()


def test_rescanning_never_duplicates_a_flag():
    metric = watched(MetricFactory)
    improved_then(metric, after_level=68)
    for _ in range(3):
        scan.check_metrics([metric.pk], force=True)
    assert RelapseFlag.objects.filter(metric=metric).count() == 1


def test_metrics_without_new_data_are_skipped_unless_forced(django_assert_num_queries):
    metric = watched(MetricFactory)
    improved_then(metric)
    with django_assert_num_queries(1):  # the candidate query finds nothing to do
        assert scan.check_metrics([metric.pk]).checked == 0
    assert scan.check_metrics([metric.pk], force=True).checked == 1


def test_stale_metrics_are_found_from_the_data_not_from_a_queue(monkeypatch):
    from learning import hooks

    monkeypatch.setattr(hooks, "measurement_listeners", [])  # the enqueue was lost
    metric = watched(MetricFactory)
    improved_then(metric, after_level=68)
    assert scan.stale_metric_ids() == [metric.pk]
    scan.check_metrics(scan.stale_metric_ids())
    assert RelapseFlag.objects.filter(metric=metric).count() == 1
    assert scan.stale_metric_ids() == []


def test_too_little_data_is_recorded_as_such_without_a_flag():
    metric = watched(MetricFactory)
    improved_then(metric, days_held=5)
    watch = MetricWatch.objects.get(metric=metric)
    assert watch.status == "insufficient_data" and watch.reason
    assert not RelapseFlag.objects.exists()


def test_a_metric_without_baseline_is_not_watched():
    metric = MetricFactory(baseline=None, hold_from=dt.date(2026, 1, 1))
    improved_then(metric, after_level=68)
    assert scan.stale_metric_ids() == [] and not RelapseFlag.objects.exists()


def test_a_detector_crash_on_one_metric_does_not_stop_the_others(monkeypatch):
    from realigning import relapse

    good, bad = watched(MetricFactory), watched(MetricFactory)
    real_detect = relapse.detect

    def flaky(series, **kwargs):
        if kwargs["baseline"] == 61.0:
            raise ValueError("poison")
        return real_detect(series, **kwargs)

    bad.baseline = 61.0
    bad.save()
    monkeypatch.setattr(relapse, "detect", flaky)
    from learning import hooks

    monkeypatch.setattr(hooks, "measurement_listeners", [])
    improved_then(good, after_level=68)
    improved_then(bad, after_level=68)
    outcome = scan.check_metrics([good.pk, bad.pk])
    assert outcome.checked == 2
    assert RelapseFlag.objects.filter(metric=good).count() == 1
    assert not RelapseFlag.objects.filter(metric=bad).exists()
    assert scan.stale_metric_ids() == [bad.pk]  # retried by the next scan
