"""Factories for learning's tests."""

import datetime as dt

import factory

from learning.models import Measurement, Metric
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
