"""The initiative cockpit, the board report and the server-drawn charts."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from initiatives import charts
from initiatives.models import Initiative
from learning.models import Measurement, Metric
from realigning.models import RelapseFlag
from tests.dashboard.builders import build_ipa, build_portfolio


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def troubled(executive, leader, today):
    """The first initiative built has something in every process, and troubles."""
    build_portfolio(7, sponsor=executive, leader=leader, today=today)
    build_ipa()
    return Initiative.objects.order_by("pk").first()


def test_the_cockpit_tells_a_sponsor_everything_in_one_page(client_for, executive, troubled):
    response = client_for(executive).get(reverse("initiatives:cockpit", args=[troubled.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for part in (
        "The problem and the scope",
        "Progress through the four processes",
        "What blocks the move to the next stage",
        "KPIs",
        "Experiments and their decisions",
        "Rollout waves",
        "Stakeholders still to win",
        "Realignment actions",
        "Return",
        "Recent history",
    ):
        assert part in html, part
    assert response.context["health"]["level"] == "red"
    assert "is stalling" in html and "Trust in leadership fell" in html
    # KPIs as small multiples: an SVG sparkline with its data, baseline, target, relapse mark.
    kpis = response.context["kpis"]
    assert len(kpis) == 2 and kpis[0]["relapsed"]
    svg = str(kpis[0]["svg"])
    assert 'class="series"' in svg and 'data-points="6"' in svg
    assert 'class="baseline"' in svg and 'class="target"' in svg
    assert 'class="relapse"' in svg
    assert "Adopt" in html  # the experiment's decision
    assert "style=" not in html and "<script>" not in html
    flag = RelapseFlag.objects.filter(metric__initiative=troubled).first()
    assert reverse("realigning:control-chart", args=[troubled.pk, flag.metric_id]) in html


def test_the_cockpit_is_an_initiative_page_outsiders_never_see(client_for, troubled, outsider):
    assert (
        client_for(outsider).get(reverse("initiatives:cockpit", args=[troubled.pk])).status_code
        == 404
    )


def test_a_new_initiative_has_an_empty_cockpit_that_says_what_to_do(client_for, initiative, leader):
    html = client_for(leader).get(reverse("initiatives:cockpit", args=[initiative.pk])).content
    html = html.decode()
    assert "No charter yet" in html
    assert "No KPI yet" in html
    assert "No experiment yet" in html
    assert "No rollout planned yet" in html


def test_the_cockpit_follows_new_measurements(
    client_for, executive, initiative, today, django_capture_on_commit_callbacks
):
    """Measurements are written in bulk (no signals): learning's listener invalidates."""
    from initiatives.dashboard_cache import portfolio_changed
    from learning.hooks import measurement_listeners
    from learning.measurements import record_measurements

    assert portfolio_changed in measurement_listeners

    metric = Metric.objects.create(initiative=initiative, name="FCR", direction="higher")
    url = reverse("initiatives:cockpit", args=[initiative.pk])
    client = client_for(executive)
    assert client.get(url).context["kpis"][0]["points"] == []
    with django_capture_on_commit_callbacks(execute=True):
        record_measurements([(metric.pk, today - dt.timedelta(days=d), 70.0) for d in range(3)])
    assert Measurement.objects.count() == 3
    assert client.get(url).context["kpis"][0]["points"]


def test_the_board_report_has_the_dashboards_figures_and_charts(client_for, executive, troubled):
    response = client_for(executive).get(reverse("initiatives:report"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "css/print.css" in html and 'media="print"' in html
    assert html.count("<svg") >= 4  # funnel, finance, NPS, importance-performance
    for part in (
        "The stage funnel",
        "Initiatives at risk",
        "Open relapse flags",
        "Financial return",
    ):
        assert part in html
    assert "Print or save as PDF" in html
    dashboard = client_for(executive).get(reverse("initiatives:dashboard")).context["p"]
    assert response.context["p"].health_counts == dashboard.health_counts


def test_the_report_names_its_filters(client_for, executive, troubled):
    response = client_for(executive).get(reverse("initiatives:report"), {"stage": "learning"})
    assert "Stage: Learning" in response.content.decode()


def test_charts_escape_every_text():
    svg = str(charts.bars(["<script>x</script>"], [("a&b", [3.0])], title='"t"'))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "a&amp;b" in svg
    spark = str(charts.sparkline([], title="<b>"))
    assert "no measurements" in spark and "<b>" not in spark
    line = str(charts.lines(["Jan", "Feb", "Mar"], [("S", [10, None, 20])], title="NPS"))
    assert line.count("<polyline") == 0  # two single points with a gap: no line drawn
    assert line.count("<circle") == 2
