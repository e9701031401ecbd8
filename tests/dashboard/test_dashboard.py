"""The portfolio dashboard: what it shows, for whom, filtered, as CSV, and its health rules."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from chartering.models import Charter
from initiatives import registry, roles
from initiatives.dashboard import portfolio_for
from learning.models import Metric, NpsResponse
from realigning import finance
from realigning.models import FinancialEntry, RealignmentAction, RelapseFlag
from tests.dashboard.builders import build_ipa, build_portfolio
from tests.factories import InitiativeFactory, SegmentFactory, UserFactory

URL = reverse("initiatives:dashboard")


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def portfolio(executive, leader, today):
    ids = build_portfolio(12, sponsor=executive, leader=leader, today=today)
    build_ipa()
    return ids


def _csv(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_executives_land_on_the_dashboard_others_on_their_initiatives(
    client_for, executive, leader
):
    assert client_for(executive).get("/")["Location"] == URL
    assert client_for(leader).get("/")["Location"] == reverse("initiatives:list")


def test_the_dashboard_shows_every_part_of_the_portfolio(client_for, executive, portfolio):
    response = client_for(executive).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for heading in (
        "The stage funnel",
        "Health per initiative",
        "Open relapse flags",
        "Financial return",
        "NPS per segment, with the top reasons",
        "where to concentrate",
    ):
        assert heading in html
    p = response.context["p"]
    assert p.count == 12
    assert [f["count"] for f in p.funnel] == [3, 3, 2, 2, 2]
    # Every 3rd has an unacknowledged flag (red); reasons are there to hover over.
    assert p.health_counts["red"] >= 4
    assert "relapse flag nobody has acknowledged" in html
    assert 'id="dashboard-data"' in html and "chart-4.5.1.umd.min.js" in html
    # No inline script or style: a CSP will forbid them.
    assert "<script>" not in html and "style=" not in html and "onclick" not in html
    # The flags link to their control charts.
    flag = RelapseFlag.objects.order_by("-fired_on", "-severity_rank", "-id").first()
    assert (
        reverse("realigning:control-chart", args=[flag.metric.initiative_id, flag.metric_id])
        in html
    )
    # NPS with the reasons, and the concentrate-here statements.
    assert "long wait" in html and "Statement 0" in html


def test_health_rules_explain_themselves(executive, leader, today):
    scope_ids = build_portfolio(12, sponsor=executive, leader=leader, today=today)
    scope = registry.DashboardScope(initiative_ids=scope_ids, user=executive, today=today)
    health = registry.health_for(scope)
    texts = lambda k: " ".join(r.text for r in health[scope_ids[k]])  # noqa: E731
    assert "nobody has acknowledged" in texts(3)  # every 3rd: an open flag
    assert "realignment action overdue" in texts(4)  # every 4th: an overdue action
    assert "is stalling" in texts(5) and "Overdue" in texts(5)  # every 5th: a stalling wave
    assert "Trust in leadership fell by 2.0" in texts(6)  # every 6th: trust fell
    assert "waits for the sponsor's approval" in texts(7)  # every 7th: a draft charter
    assert registry.health_level(health[scope_ids[1]]) == registry.GREEN
    assert health[scope_ids[1]] == []
    # The 7th is in learning (past chartering) without an approved charter: red.
    assert registry.health_level(health[scope_ids[7]]) == registry.RED
    # Acknowledging a flag turns it amber: someone is on it.
    RelapseFlag.objects.filter(metric__initiative_id=scope_ids[3]).update(status="acknowledged")
    reasons = registry.health_for(scope)[scope_ids[3]]
    assert [r.level for r in reasons if "relapse" in r.text] == [registry.AMBER]


def test_an_action_long_overdue_is_red(initiative, today):
    RealignmentAction.objects.create(
        initiative=initiative, kind="process", title="x", due_date=today - dt.timedelta(days=90)
    )
    scope = registry.DashboardScope(initiative_ids=[initiative.pk], user=None, today=today)
    reasons = registry.health_for(scope)[initiative.pk]
    [reason] = [r for r in reasons if "realignment" in r.text]
    assert reasons[0] == reason  # red first
    assert reason.level == registry.RED and "90 days ago" in reason.text


def test_aggregates_never_include_what_the_user_cannot_see(
    client_for, executive, leader, portfolio, today
):
    outsider = UserFactory(username="outsider", role=roles.CHANGE_LEADER)
    own = InitiativeFactory(leader=outsider, sponsor=executive, title="Outsider's own")
    FinancialEntry.objects.create(
        initiative=own, kind="investment", date=today, amount=Decimal("777")
    )
    response = client_for(outsider).get(URL)
    p = response.context["p"]
    assert p.count == 1 and [r["title"] for r in p.rows] == ["Outsider's own"]
    assert p.panels["relapse_flags"]["total"] == 0
    assert p.panels["finance"]["total"]["investment"] == Decimal("777")
    assert p.panels["nps"]["segments"] == []
    html = response.content.decode()
    assert "Initiative 0001" not in html
    # The CSVs too.
    rows = _csv(client_for(outsider).get(reverse("initiatives:dashboard-csv", args=["health"])))
    assert [r[1] for r in rows[1:]] == ["Outsider's own"]
    rows = _csv(client_for(outsider).get(reverse("initiatives:dashboard-csv", args=["flags"])))
    assert rows[1:] == []
    # The executive sees everything, the outsider's initiative included.
    assert client_for(executive).get(URL).context["p"].count == 13


def test_a_team_member_sees_only_their_initiatives(
    client_for, initiative, member, executive, leader, today
):
    build_portfolio(5, sponsor=executive, leader=leader, today=today)
    p = client_for(member).get(URL).context["p"]
    assert [r["id"] for r in p.rows] == [initiative.pk]


def test_filters_are_kept_in_the_url(client_for, executive, leader, portfolio, today):
    premium = SegmentFactory(name="Premium")
    tagged = InitiativeFactory(leader=leader, sponsor=executive, title="Premium one")
    tagged.segments.add(premium)
    response = client_for(executive).get(URL, {"segment_id": premium.pk})
    p = response.context["p"]
    assert [r["title"] for r in p.rows] == ["Premium one"]
    assert f"segment_id={premium.pk}" in response.context["query"]
    # The CSV and report links carry the filters, so a shared link shows the same view.
    html = response.content.decode()
    assert f"/initiatives/dashboard/report/?segment_id={premium.pk}" in html
    assert f"health.csv?segment_id={premium.pk}" in html
    assert client_for(executive).get(URL, {"stage": "mobilizing"}).context["p"].count == 2
    other = UserFactory(username="sponsor2", role=roles.EXECUTIVE)
    InitiativeFactory(leader=leader, sponsor=other, title="Other sponsor")
    p = client_for(executive).get(URL, {"sponsor_id": other.pk}).context["p"]
    assert [r["title"] for r in p.rows] == ["Other sponsor"]


def test_bad_filters_are_ignored_with_a_message(client_for, executive, portfolio):
    response = client_for(executive).get(URL, {"stage": "nowhere", "segment_id": "abc"})
    assert response.status_code == 200
    assert response.context["p"].count == 12
    assert "Select a valid choice" in response.content.decode()


def test_empty_portfolio_says_what_to_do(client_for, leader):
    html = client_for(leader).get(URL).content.decode()
    assert "No initiative in your portfolio yet" in html and "Start one" in html


def test_every_chart_downloads_as_csv(client_for, executive, portfolio):
    client = client_for(executive)
    for panel, first in (
        ("funnel", "stage"),
        ("health", "initiative id"),
        ("flags", "fired on"),
        ("finance", "initiative"),
        ("nps", "segment"),
        ("ipa", "statement"),
    ):
        response = client.get(reverse("initiatives:dashboard-csv", args=[panel]))
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
        rows = _csv(response)
        assert rows[0][0] == first and len(rows) > 1, panel
    health = _csv(client.get(reverse("initiatives:dashboard-csv", args=["health"])))
    assert len(health) == 13  # every initiative, not only the first page


def test_csv_cells_cannot_smuggle_formulas(client_for, executive, leader):
    InitiativeFactory(leader=leader, sponsor=executive, title='=HYPERLINK("http://x")')
    rows = _csv(client_for(executive).get(reverse("initiatives:dashboard-csv", args=["health"])))
    assert rows[1][1].startswith("'=")


def test_return_counts_benefit_only_where_the_gain_held(executive, leader, today):
    ids = build_portfolio(9, sponsor=executive, leader=leader, today=today)
    fin = portfolio_for(executive, {}).panels["finance"]
    expected = finance.portfolio_return(ids)
    assert fin["total"]["investment"] == expected.investment
    assert fin["total"]["claimed"] == expected.benefit_claimed
    assert fin["total"]["counted"] == expected.benefit_counted
    # 3 of 9 have a relapsed KPI: their benefit is withheld.
    assert fin["total"]["withheld"] == Decimal("4500")
    assert fin["total"]["roi_percent"] == pytest.approx(0.0)
    by_id = {r["initiative_id"]: r for r in fin["rows"]}
    details = finance.returns_for(ids)
    for pk in ids:
        assert by_id[pk]["counted"] == details[pk].benefit_counted
        assert by_id[pk]["payback"] == details[pk].payback_date


def test_stuck_initiatives_stand_out(client_for, executive, leader):
    InitiativeFactory(
        leader=leader,
        sponsor=executive,
        title="Stuck in chartering",
        stage_changed_at=timezone.now() - dt.timedelta(days=200),
    )
    InitiativeFactory(leader=leader, sponsor=executive, title="Fresh")
    response = client_for(executive).get(URL)
    p = response.context["p"]
    assert p.funnel[0]["count"] == 2 and p.funnel[0]["stuck"] == 1
    assert p.funnel[0]["longest_days"] == 200
    assert [r["title"] for r in p.stuck] == ["Stuck in chartering"]
    assert "Stuck the longest" in response.content.decode()


def test_the_dashboard_follows_changes_at_once(client_for, executive, leader, initiative, today):
    """The figures are cached, and a write anywhere invalidates them."""
    client = client_for(executive)
    assert client.get(URL).context["p"].health_counts["red"] == 0
    metric = Metric.objects.create(initiative=initiative, name="FCR", direction="higher")
    RelapseFlag.objects.create(
        metric=metric,
        rule="cusum",
        severity="high",
        severity_rank=3,
        fired_on=today,
        slide_began=today,
    )
    assert client.get(URL).context["p"].health_counts["red"] == 1
    initiative.stage = "learning"
    initiative.save()
    assert client.get(URL).context["p"].funnel[1]["count"] == 1
    NpsResponse.objects.create(initiative=initiative, responded_on=today, score=10, why="great")
    assert client.get(URL).context["p"].panels["nps"]["segments"][0]["nps"] == 100


def test_a_charter_approval_turns_the_initiative_green(client_for, executive, initiative):
    charter = Charter.objects.create(initiative=initiative, problem_area="Repeat contacts")
    client = client_for(executive)
    assert client.get(URL).context["p"].health_counts["amber"] == 1
    charter.status = "approved"
    charter.approved_by, charter.approved_at = executive, timezone.now()
    charter.save()
    assert client.get(URL).context["p"].health_counts["green"] == 1


def test_a_process_without_a_provider_leaves_an_honest_empty_state(
    client_for, executive, portfolio, monkeypatch
):
    monkeypatch.setattr(
        registry,
        "_dashboards",
        {k: v for k, v in registry._dashboards.items() if k not in ("realigning", "learning")},
    )
    html = client_for(executive).get(URL).content.decode()
    assert "Relapse detection is not installed" in html
    assert "Financial return is not tracked" in html
    assert "NPS is not tracked" in html
