"""Factories for learning's tests."""

import datetime as dt

import factory

from learning.models import (
    Experiment,
    Insight,
    Lesson,
    Measurement,
    MeasurementImport,
    Metric,
    NpsResponse,
)
from tests.factories import InitiativeFactory


class MetricFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Metric

    initiative = factory.SubFactory(InitiativeFactory)
    name = factory.Sequence(lambda n: f"KPI {n}")
    unit = "%"
    direction = "higher"
    cadence = "daily"


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement

    metric = factory.SubFactory(MetricFactory)
    period = factory.Sequence(lambda n: dt.date(2025, 1, 1) + dt.timedelta(days=n))
    value = 50.0
    source = "form"


class ExperimentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Experiment

    initiative = factory.SubFactory(InitiativeFactory)
    title = factory.Sequence(lambda n: f"Pilot {n}")
    hypothesis = "If agents see likely fixes, more calls are resolved at once."
    metric = factory.LazyAttribute(lambda e: MetricFactory(initiative=e.initiative))
    start = dt.date(2025, 3, 1)
    end = dt.date(2025, 3, 31)
    status = "running"


class InsightFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Insight

    initiative = factory.SubFactory(InitiativeFactory)
    source = "complaint"
    text = "I had to call three times about the same fault."
    tags = "repeat, wait"


class NpsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NpsResponse

    initiative = factory.SubFactory(InitiativeFactory)
    responded_on = dt.date(2025, 3, 10)
    score = 9
    why = "fixed on the first call"


class LessonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lesson

    initiative = factory.SubFactory(InitiativeFactory)
    title = factory.Sequence(lambda n: f"Lesson {n}")
    tried = "A new bill layout"
    failed = "Calls rose"
    why = "Agents were not briefed"


class ImportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeasurementImport

    initiative = factory.SubFactory(InitiativeFactory)
    filename = "values.csv"
    raw_text = "metric,period,value\n"
    status = "ready"
