"""factory_boy factories for mobilizing's tests."""

import datetime as dt

import factory

from mobilizing.models import (
    AdoptionReading,
    EngagementActivity,
    IpaInvitation,
    IpaStatement,
    IpaSurvey,
    PulseInvitation,
    PulseQuestion,
    PulseSurvey,
    RolloutWave,
    Stakeholder,
    WaveUnit,
)
from tests.factories import InitiativeFactory


class StakeholderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stakeholder

    initiative = factory.SubFactory(InitiativeFactory)
    name = factory.Sequence(lambda n: f"Stakeholder {n}")
    influence = 2
    support = 3
    target_support = 4


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EngagementActivity

    initiative = factory.SubFactory(InitiativeFactory)
    kind = "workshop"
    title = factory.Sequence(lambda n: f"Workshop {n}")
    audience = "Sales managers"
    date = dt.date(2025, 3, 1)
    reach = 12


class PulseSurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PulseSurvey

    initiative = factory.SubFactory(InitiativeFactory)
    title = factory.Sequence(lambda n: f"Pulse {n}")
    opens = dt.date(2025, 1, 1)
    status = "draft"


class PulseQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PulseQuestion

    survey = factory.SubFactory(PulseSurveyFactory)
    text = factory.Sequence(lambda n: f"Question {n}")
    kind = "trust"
    order = factory.Sequence(lambda n: n + 1)


class PulseInvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PulseInvitation

    survey = factory.SubFactory(PulseSurveyFactory)


class WaveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RolloutWave

    initiative = factory.SubFactory(InitiativeFactory)
    name = factory.Sequence(lambda n: f"Wave {n}")
    order = factory.Sequence(lambda n: n + 1)
    planned_start = dt.date(2025, 1, 1)
    planned_end = dt.date(2099, 1, 1)


class WaveUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WaveUnit

    wave = factory.SubFactory(WaveFactory)
    name = factory.Sequence(lambda n: f"Site {n}")


class ReadingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdoptionReading

    unit = factory.SubFactory(WaveUnitFactory)
    date = dt.date(2025, 2, 1)
    adoption_pct = 40


class IpaSurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IpaSurvey

    title = factory.Sequence(lambda n: f"IPA {n}")
    scale = 7


class IpaStatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IpaStatement

    survey = factory.SubFactory(IpaSurveyFactory)
    text = factory.Sequence(lambda n: f"Statement {n}")
    order = factory.Sequence(lambda n: n + 1)


class IpaInvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IpaInvitation

    survey = factory.SubFactory(IpaSurveyFactory)
