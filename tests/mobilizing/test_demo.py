"""The demo tells a story on every page, and seeding twice changes nothing."""

import pytest
from django.urls import reverse

from initiatives.demo import seed
from mobilizing import ipa, pulse
from mobilizing.models import (
    EngagementActivity,
    IpaResponse,
    IpaStatement,
    PulseAnswer,
    RolloutWave,
    Stakeholder,
)
from mobilizing.stalling import stalling_waves

pytestmark = pytest.mark.django_db


def counts():
    return [
        m.objects.count()
        for m in (
            Stakeholder,
            EngagementActivity,
            PulseAnswer,
            RolloutWave,
            IpaStatement,
            IpaResponse,
        )
    ]


def test_demo_is_idempotent_and_tells_the_story(client):
    demo = seed()
    first = counts()
    demo = seed()  # the users' passwords are set again: log in as the second run's leader
    assert counts() == first
    retention, billing = demo.initiatives["retention"], demo.initiatives["billing"]
    trend = pulse.trust_trend([retention, billing])
    assert trend[retention.pk] < 0 < trend[billing.pk]  # trust falls for one initiative
    stalls = stalling_waves(demo.initiatives.values(), today=demo.today)
    assert list(stalls) == [retention.pk]
    assert IpaStatement.objects.count() == 26 and IpaResponse.objects.count() == 150
    assert len(ipa.concentrate_here()) >= 5
    client.force_login(demo.users["leader"])
    for key in ("retention", "billing", "fcr"):
        pk = demo.initiatives[key].pk
        for name in ("overview", "stakeholders", "activities", "pulse", "pulse-trends", "waves"):
            assert client.get(reverse(f"mobilizing:{name}", args=[pk])).status_code == 200
    survey = IpaStatement.objects.first().survey
    page = client.get(reverse("mobilizing:ipa-detail", args=[survey.pk]))
    assert page.status_code == 200 and b"Concentrate here" in page.content
