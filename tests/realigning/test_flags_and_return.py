"""Acting on flags, notifications, and the financial return that respects relapse."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from realigning import finance, flags
from realigning.models import FinancialEntry, RelapseFlag
from tests.learning.factories import MetricFactory
from tests.realigning.series import improved_then, watched


@pytest.fixture
def relapsed(initiative):
    metric = watched(MetricFactory, initiative=initiative)
    improved_then(metric, after_level=68)
    return RelapseFlag.objects.get(metric=metric)


def test_a_new_flag_emails_the_leader_and_the_sponsor(relapsed, leader, executive):
    sent = [m for m in mail.outbox if "Relapse" in m.subject]
    assert len(sent) == 1
    assert sorted(sent[0].to) == sorted([leader.email, executive.email])
    assert relapsed.metric.name in sent[0].subject
    relapsed.refresh_from_db()
    assert relapsed.notified_at is not None


def test_a_failing_mail_server_fails_only_the_notification(initiative, settings, monkeypatch):
    import smtplib

    from realigning import notify

    def broken(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("mail server down")

    monkeypatch.setattr(notify, "send_mail", broken)
    metric = watched(MetricFactory, initiative=initiative)
    from realigning import scan

    outcome = scan.check_metrics([metric.pk])  # nothing yet
    improved_then(metric, after_level=68)
    flag = RelapseFlag.objects.get(metric=metric)  # the scan recorded it regardless
    assert flag.notified_at is None and outcome.checked == 1


def test_leader_acknowledges_then_resolves_with_a_comment(client_for, relapsed, leader):
    url = reverse("realigning:flag-status", args=[relapsed.metric.initiative_id, relapsed.pk])
    client = client_for(leader)
    client.post(url, {"status": "acknowledged"})
    relapsed.refresh_from_db()
    assert relapsed.status == "acknowledged" and relapsed.status_by == leader
    response = client.post(url, {"status": "resolved", "comment": ""}, follow=True)
    assert b"Say what was done" in response.content
    client.post(url, {"status": "resolved", "comment": "Retrained the night shift"})
    relapsed.refresh_from_db()
    assert relapsed.status == "resolved" and relapsed.comment == "Retrained the night shift"


def test_a_resolved_flag_cannot_be_reopened(relapsed, leader):
    flags.set_status(relapsed, leader, "false_alarm", "Holiday week")
    with pytest.raises(ValidationError):
        flags.set_status(relapsed, leader, "acknowledged")


def test_control_chart_page_shows_limits_and_flag_history(client_for, relapsed, executive):
    metric = relapsed.metric
    response = client_for(executive).get(
        reverse("realigning:control-chart", args=[metric.initiative_id, metric.pk])
    )
    chart = response.context["chart"]
    assert chart["level"] == pytest.approx(80, abs=1.5)
    assert chart["lower_limit"] < chart["level"] < chart["upper_limit"]
    assert relapsed.fired_on.isoformat() in chart["flagged"]
    assert b'id="control-chart-data"' in response.content
    assert b"Update flag" not in response.content  # executives read, leaders act


def test_executives_see_open_flags_across_the_portfolio(client_for, relapsed, other_executive):
    page = client_for(other_executive).get(reverse("realigning:flags")).context["page"]
    assert [f.pk for f in page] == [relapsed.pk]


def test_outsiders_see_no_flag_of_others(client_for, relapsed, outsider):
    assert list(client_for(outsider).get(reverse("realigning:flags")).context["page"]) == []


def _entries(initiative, metric):
    day = dt.date(2026, 1, 1)
    FinancialEntry.objects.create(
        initiative=initiative, kind="investment", date=day, amount=Decimal("1000")
    )
    FinancialEntry.objects.create(
        initiative=initiative,
        kind="benefit",
        date=day.replace(month=3),
        amount=Decimal("800"),
        supporting_metric=metric,
    )
    FinancialEntry.objects.create(
        initiative=initiative,
        kind="benefit",
        date=day.replace(month=5),
        amount=Decimal("700"),
        supporting_metric=metric,
    )
    FinancialEntry.objects.create(
        initiative=initiative, kind="benefit", date=day.replace(month=6), amount=Decimal("300")
    )


@pytest.mark.django_db
def test_roi_and_payback_count_benefit_only_where_the_gain_held(initiative):
    metric = watched(MetricFactory, initiative=initiative)
    improved_then(metric)
    _entries(initiative, metric)
    r = finance.returns_for([initiative.pk])[initiative.pk]
    assert r.investment == Decimal("1000") and r.benefit_counted == Decimal("1500")
    assert r.benefit_claimed == Decimal("1800")  # 300 rests on no KPI: not counted
    assert r.roi_percent == 50.0 and r.payback_date == dt.date(2026, 5, 1)


@pytest.mark.django_db
def test_a_relapsed_kpi_withholds_the_benefit_it_supports(relapsed):
    _entries(relapsed.metric.initiative, relapsed.metric)
    r = finance.returns_for([relapsed.metric.initiative_id])[relapsed.metric.initiative_id]
    assert r.benefit_counted == 0 and r.payback_date is None and r.roi_percent == -100.0
    assert any("has relapsed" in w for w in r.withheld)
