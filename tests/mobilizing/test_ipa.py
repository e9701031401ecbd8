"""Importance-performance analysis: quadrants at the grand means, gaps, and one click to act."""

import pytest
from django.urls import reverse

from initiatives.models import Initiative
from mobilizing import ipa
from mobilizing.models import IpaResponse, IpaScore
from tests.factories import UserFactory
from tests.mobilizing.factories import IpaStatementFactory, IpaSurveyFactory


@pytest.mark.parametrize(
    ("importance", "performance", "expected"),
    [
        (6, 2, ipa.CONCENTRATE),
        (6, 6, ipa.KEEP_UP),
        (2, 2, ipa.LOW_PRIORITY),
        (2, 6, ipa.OVERKILL),
        (4, 4, ipa.KEEP_UP),  # on both splits: counts as high
        (4, 3.9, ipa.CONCENTRATE),
    ],
)
def test_quadrants(importance, performance, expected):
    assert ipa.quadrant(importance, performance, 4, 4) == expected


def score(survey, rows):
    """rows: {statement: [(importance, performance), ...]} one tuple per respondent."""
    n = max(len(v) for v in rows.values())
    responses = [IpaResponse.objects.create(survey=survey) for _ in range(n)]
    for statement, pairs in rows.items():
        for response, (i, p) in zip(responses, pairs, strict=False):
            IpaScore.objects.create(
                response=response, statement=statement, importance=i, performance=p
            )


@pytest.fixture
def survey(db):
    survey = IpaSurveyFactory(status="closed", title="Where we stand")
    a = IpaStatementFactory(survey=survey, text="We know our best customers", order=1)
    b = IpaStatementFactory(survey=survey, text="Our website is easy", order=2)
    c = IpaStatementFactory(survey=survey, text="We send newsletters", order=3)
    d = IpaStatementFactory(survey=survey, text="We ask why they leave", order=4)
    IpaStatementFactory(survey=survey, text="Not scored", order=5)
    score(
        survey, {a: [(7, 2), (6, 3)], b: [(6, 6), (6, 6)], c: [(2, 6), (2, 7)], d: [(5, 3), (6, 2)]}
    )
    return survey


def test_results_means_gap_and_quadrants(survey, django_assert_num_queries):
    with django_assert_num_queries(4):  # statements, means, responses count, invitations count
        res = ipa.results(survey)
    by_text = {r.statement.text: r for r in res.statements}
    assert res.grand_importance == pytest.approx((6.5 + 6 + 2 + 5.5) / 4)
    assert res.grand_performance == pytest.approx((2.5 + 6 + 6.5 + 2.5) / 4)
    best = by_text["We know our best customers"]
    assert (best.importance, best.performance, best.gap, best.n) == (6.5, 2.5, 4.0, 2)
    assert best.quadrant == ipa.CONCENTRATE
    assert by_text["Our website is easy"].quadrant == ipa.KEEP_UP
    assert by_text["We send newsletters"].quadrant == ipa.OVERKILL
    assert [s.text for s in res.unscored] == ["Not scored"]
    assert [r.statement.text for r in res.concentrate_here] == [
        "We know our best customers",  # gap 4.0
        "We ask why they leave",  # gap 3.0
    ]


def test_concentrate_here_for_the_dashboard(survey):
    IpaSurveyFactory(status="draft")  # newer, but a draft with no scores
    items = ipa.concentrate_here()
    assert [(i.statement.text, i.gap) for i in items] == [
        ("We know our best customers", 4.0),
        ("We ask why they leave", 3.0),
    ]
    assert ipa.concentrate_here(survey)[0].importance == 6.5


@pytest.mark.django_db
def test_concentrate_here_without_any_survey_is_empty():
    assert ipa.concentrate_here() == []


def test_the_results_page_shows_the_matrix_and_a_table(survey, client_for, leader):
    page = client_for(leader).get(reverse("mobilizing:ipa-detail", args=[survey.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "The quadrants split at the grand means" in text
    assert 'id="ipa-data"' in text and 'id="ipa-chart"' in text  # chart data via json_script
    assert 'data-testid="ipa-table"' in text  # every chart has a table
    assert "Create a draft initiative" in text


def test_team_members_read_results_but_cannot_create_initiatives(survey, client_for, member):
    page = client_for(member).get(reverse("mobilizing:ipa-detail", args=[survey.pk]))
    assert page.status_code == 200
    assert b"Create a draft initiative" not in page.content


def test_one_click_creates_a_draft_initiative_from_a_statement(
    survey, client_for, leader, executive
):
    statement = survey.statements.get(order=1)
    response = client_for(leader).post(
        reverse("mobilizing:ipa-initiative", args=[survey.pk, statement.pk]),
        {"sponsor": executive.pk},
    )
    initiative = Initiative.objects.get(title="We know our best customers")
    assert response.status_code == 302
    assert response["Location"] == reverse("initiatives:edit", args=[initiative.pk])
    assert initiative.stage == "chartering"
    assert initiative.leader == leader and initiative.sponsor == executive
    assert "gap 4.0" in initiative.problem
    statement.refresh_from_db()
    assert statement.initiative == initiative


def test_the_sponsor_must_be_an_executive(survey, client_for, leader):
    statement = survey.statements.get(order=1)
    not_exec = UserFactory(username="plain")
    for data in ({}, {"sponsor": not_exec.pk}):
        page = client_for(leader).post(
            reverse("mobilizing:ipa-initiative", args=[survey.pk, statement.pk]), data
        )
        assert page.status_code == 400
        assert b"This field is required." in page.content or b"valid choice" in page.content
    assert not Initiative.objects.filter(title="We know our best customers").exists()


def test_statements_are_added_one_per_line_skipping_duplicates(client_for, leader):
    survey = IpaSurveyFactory(status="draft")
    IpaStatementFactory(survey=survey, text="We know our best customers", order=1)
    client_for(leader).post(
        reverse("mobilizing:ipa-statements", args=[survey.pk]),
        {"lines": "- We know our best customers\n\nWe ask why they leave\n* Data in one system"},
    )
    assert list(survey.statements.values_list("order", "text")) == [
        (1, "We know our best customers"),
        (2, "We ask why they leave"),
        (3, "Data in one system"),
    ]


def test_statements_are_frozen_once_the_survey_opens(survey, client_for, leader):
    client = client_for(leader)
    client.post(reverse("mobilizing:ipa-statements", args=[survey.pk]), {"lines": "New one"})
    assert not survey.statements.filter(text="New one").exists()
