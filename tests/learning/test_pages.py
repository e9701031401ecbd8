"""Learning's pages: query counts that do not grow, forms, decisions, lessons, NPS."""

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from initiatives import registry
from initiatives.models import Stage
from learning.checklist import learning_checklist
from learning.models import Experiment, Measurement, Metric, NpsResponse
from tests.factories import DepartmentFactory, InitiativeFactory, SegmentFactory
from tests.learning.factories import (
    ExperimentFactory,
    InsightFactory,
    LessonFactory,
    MeasurementFactory,
    MetricFactory,
    NpsFactory,
)

D = dt.date


JAN_1 = D(2025, 1, 1)


def days(metric, n, start=JAN_1, value=60.0):
    Measurement.objects.bulk_create(
        Measurement(metric=metric, period=start + dt.timedelta(days=i), value=value + i % 5)
        for i in range(n)
    )


@pytest.fixture
def fcr(initiative):
    return MetricFactory(
        initiative=initiative,
        name="First-contact resolution",
        baseline=61.0,
        baseline_from=D(2025, 1, 1),
        baseline_to=D(2025, 1, 31),
        target=70.0,
        hold_from=D(2025, 3, 1),
    )


def url(name, initiative, **kw):
    return reverse(f"learning:{name}", kwargs={"pk": initiative.pk, **kw})


# --- query counts ---------------------------------------------------------------------


def test_metric_page_queries_do_not_grow_with_measurements_or_experiments(
    client_for, member, fcr, django_assert_num_queries
):
    client = client_for(member)
    page = url("metric", fcr.initiative, metric_pk=fcr.pk)
    days(fcr, 5)
    ExperimentFactory(initiative=fcr.initiative, metric=fcr)
    client.get(page)  # warm the session
    # 1 session, 2 user, 3 initiative, 4 groups, 5 membership (may view), 6 metric (+owner,
    # department, segment), 7 the whole series, 8 the latest 20 values, 9 membership
    # (can_contribute), 10 experiments on this KPI, 11-13 session saved (savepoint, update,
    # release)
    with django_assert_num_queries(13) as small:
        assert client.get(page).status_code == 200
    days(fcr, 300, start=D(2025, 2, 1))
    ExperimentFactory.create_batch(6, initiative=fcr.initiative, metric=fcr)
    with django_assert_num_queries(len(small)):
        response = client.get(page)
    assert response.context["series_count"] == 305


def test_experiment_page_queries_do_not_grow_with_measurements_or_iterations(
    client_for, member, fcr, django_assert_num_queries
):
    client = client_for(member)
    experiment = ExperimentFactory(
        initiative=fcr.initiative,
        metric=fcr,
        start=D(2025, 3, 1),
        end=D(2025, 3, 31),
        control_metric=MetricFactory(initiative=fcr.initiative),
    )
    page = url("experiment", fcr.initiative, experiment_pk=experiment.pk)
    days(fcr, 5, start=D(2025, 3, 1))
    client.get(page)
    # 1 session, 2 user, 3 initiative, 4 groups, 5 membership (may view), 6 experiment
    # (+metric, control, refines, people), 7 segments, 8 departments, 9 membership
    # (can_contribute), 10 pilot values, 11 control values, 12 iterations, 13-15 session
    with django_assert_num_queries(15) as small:
        client.get(page)
    days(fcr, 200, start=D(2024, 1, 1))
    ExperimentFactory.create_batch(5, initiative=fcr.initiative, metric=fcr, refines=experiment)
    with django_assert_num_queries(len(small)):
        response = client.get(page)
    assert len(response.context["iterations"]) == 5


def test_overview_queries_do_not_grow(client_for, member, fcr, django_assert_num_queries):
    client = client_for(member)
    page = url("overview", fcr.initiative)
    days(fcr, 3)
    ExperimentFactory(initiative=fcr.initiative, metric=fcr)
    InsightFactory(initiative=fcr.initiative)
    NpsFactory(initiative=fcr.initiative)
    client.get(page)
    # 1 session, 2 user, 3 initiative, 4 groups, 5-6 membership (view, contribute),
    # 7 KPIs with their latest value, 8 experiments, 9 insights, 10 insight count,
    # 11-12 NPS counts and why texts, 13 lessons offered (none overlap), 14 own lessons,
    # 15-16 checklist, 17 recent imports, 18-20 session
    with django_assert_num_queries(20) as small:
        client.get(page)
    for _ in range(4):
        days(MetricFactory(initiative=fcr.initiative), 30)
    ExperimentFactory.create_batch(4, initiative=fcr.initiative, metric=fcr)
    InsightFactory.create_batch(4, initiative=fcr.initiative)
    other = InitiativeFactory()
    other.segments.set(fcr.initiative.segments.all())
    with django_assert_num_queries(len(small)):
        response = client.get(page)
    assert len(response.context["metrics"]) == 5


# --- the one-value form -----------------------------------------------------------------


def test_a_team_member_logs_a_value_from_the_overview_in_few_taps(client_for, member, fcr):
    client = client_for(member)
    overview = client.get(url("overview", fcr.initiative)).content.decode()
    log_link = f"{url('log', fcr.initiative)}?metric={fcr.pk}"
    assert log_link in overview  # tap 1: "Log" beside the KPI
    form = client.get(log_link)
    assert form.context["form"]["metric"].value() == fcr.pk  # KPI preselected
    html = form.content.decode()
    assert '<label for="id_value">' in html and 'inputmode="decimal"' in html
    response = client.post(  # tap 2: type the value, tap 3: save
        log_link, {"metric": fcr.pk, "period": "2025-04-01", "value": "71.5"}
    )
    assert response.status_code == 302
    m = Measurement.objects.get()
    assert (m.value, m.source, m.entered_by) == (71.5, "form", member)


def test_the_log_form_shows_field_errors(client_for, member, fcr):
    response = client_for(member).post(
        url("log", fcr.initiative), {"metric": fcr.pk, "period": "tomorrow", "value": "lots"}
    )
    assert response.status_code == 200
    assert "Enter a valid date." in response.content.decode()
    assert "Enter a number." in response.content.decode()
    assert not Measurement.objects.exists()


def test_the_log_form_refuses_another_initiatives_kpi(client_for, member, fcr, outsider):
    foreign = MetricFactory(initiative=outsider.led_initiatives.get())
    response = client_for(member).post(
        url("log", fcr.initiative), {"metric": foreign.pk, "period": "2025-04-01", "value": "1"}
    )
    assert response.status_code == 200 and not Measurement.objects.exists()


# --- KPIs -------------------------------------------------------------------------------


def test_the_baseline_is_computed_from_a_period_with_mean_and_spread(client_for, leader, fcr):
    for i, v in enumerate([60.0, 62.0, 64.0]):
        MeasurementFactory(metric=fcr, period=D(2025, 1, 10 + i), value=v)
    MeasurementFactory(metric=fcr, period=D(2025, 3, 1), value=90.0)  # outside the period
    response = client_for(leader).post(
        url("metric-edit", fcr.initiative, metric_pk=fcr.pk),
        {
            "name": fcr.name,
            "direction": "higher",
            "cadence": "daily",
            "baseline_from": "2025-01-01",
            "baseline_to": "2025-01-31",
            "compute_baseline": "on",
            "baseline": "",
            "lock_version": fcr.lock_version,
        },
    )
    assert response.status_code == 302
    fcr.refresh_from_db()
    assert fcr.baseline == pytest.approx(62.0)
    assert fcr.baseline_spread == pytest.approx(2.0)
    page = client_for(leader).get(url("metric", fcr.initiative, metric_pk=fcr.pk)).content
    assert b"62 \xc2\xb1 2" in page  # mean ± spread


def test_computing_a_baseline_from_too_few_values_is_a_field_error(client_for, leader, fcr):
    response = client_for(leader).post(
        url("metric-edit", fcr.initiative, metric_pk=fcr.pk),
        {
            "name": fcr.name,
            "direction": "higher",
            "cadence": "daily",
            "baseline_from": "2025-01-01",
            "baseline_to": "2025-01-31",
            "compute_baseline": "on",
            "lock_version": fcr.lock_version,
        },
    )
    assert response.status_code == 200
    assert "The period has 0 measurements; at least 2 are needed." in response.content.decode()


def test_a_kpi_name_is_unique_within_the_initiative(client_for, leader, fcr):
    response = client_for(leader).post(
        url("metric-add", fcr.initiative),
        {"name": "first-contact RESOLUTION", "direction": "higher", "cadence": "daily"},
    )
    assert "already" in response.content.decode()
    assert Metric.objects.count() == 1


def test_a_stale_kpi_edit_is_refused_not_lost(client_for, leader, fcr):
    form = {
        "name": fcr.name,
        "direction": "higher",
        "cadence": "daily",
        "target": "75",
        "lock_version": fcr.lock_version,
    }
    Metric.objects.filter(pk=fcr.pk).update(lock_version=fcr.lock_version + 1, target=80)
    response = client_for(leader).post(url("metric-edit", fcr.initiative, metric_pk=fcr.pk), form)
    assert response.status_code == 200
    assert "Someone else saved this" in response.content.decode()
    assert Metric.objects.get(pk=fcr.pk).target == 80


def test_metric_page_shows_gain_and_share_retained(client_for, member, fcr):
    Measurement.objects.bulk_create(
        [
            Measurement(metric=fcr, period=D(2025, 3, 1) + dt.timedelta(days=i), value=71.0)
            for i in range(40)
        ]
        + [
            Measurement(metric=fcr, period=D(2025, 4, 10) + dt.timedelta(days=i), value=66.0)
            for i in range(28)
        ]
    )
    response = client_for(member).get(url("metric", fcr.initiative, metric_pk=fcr.pk))
    kept = response.context["kept"]
    assert kept.gained == pytest.approx(10.0) and kept.retained_share == pytest.approx(0.5)
    html = response.content.decode()
    assert "10 points" in html and "50%" in html and "sliding back" in html
    assert 'id="metric-chart-data"' in html and "chart-4.5.1.umd.min.js" in html
    assert "<script>" not in html.replace('<script id="metric-chart-data"', "")


def test_export_escapes_formulas_and_keeps_negative_numbers_numeric(client_for, member, initiative):
    metric = MetricFactory(initiative=initiative, name='=HYPERLINK("http://x")')
    MeasurementFactory(metric=metric, period=D(2025, 1, 1), value=-3.5)
    response = client_for(member).get(url("metric-export", initiative, metric_pk=metric.pk))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["metric", "period", "value", "source", "entered_by"]
    assert rows[1][0] == '\'=HYPERLINK("http://x")'
    assert rows[1][2] == "-3.5"


# --- experiments ------------------------------------------------------------------------


def test_the_experiment_page_reads_the_computed_result(client_for, member, fcr):
    days(fcr, 20, start=D(2025, 1, 1), value=60)
    days(fcr, 20, start=D(2025, 3, 1), value=66)
    experiment = ExperimentFactory(
        initiative=fcr.initiative, metric=fcr, start=D(2025, 3, 1), end=D(2025, 3, 20)
    )
    html = (
        client_for(member)
        .get(url("experiment", fcr.initiative, experiment_pk=experiment.pk))
        .content.decode()
    )
    assert "The pilot raised First-contact resolution by 6 points, 95% CI" in html
    assert "an improvement" in html


def test_an_experiment_without_enough_data_says_so(client_for, member, fcr):
    experiment = ExperimentFactory(initiative=fcr.initiative, metric=fcr)
    html = (
        client_for(member)
        .get(url("experiment", fcr.initiative, experiment_pk=experiment.pk))
        .content.decode()
    )
    assert "Too little data to tell" in html


def test_members_log_experiments_and_iterations_leaders_decide(client_for, member, leader, fcr):
    client = client_for(member)
    response = client.post(
        url("experiment-add", fcr.initiative),
        {
            "title": "Knowledge prompts",
            "hypothesis": "Prompts help",
            "metric": fcr.pk,
            "start": "2025-03-01",
            "end": "2025-03-31",
            "status": "running",
            "segments": [SegmentFactory().pk],
            "departments": [DepartmentFactory().pk],
        },
    )
    assert response.status_code == 302
    first = Experiment.objects.get()
    assert first.created_by == member and first.segments.count() == 1
    iteration_form = client.get(url("experiment-add", fcr.initiative) + f"?refines={first.pk}")
    assert iteration_form.context["form"].initial["refines"] == first
    client.post(
        url("experiment-add", fcr.initiative),
        {
            "title": "Prompts v2",
            "hypothesis": "Photos help",
            "metric": fcr.pk,
            "start": "2025-04-01",
            "end": "2025-04-30",
            "status": "planned",
            "refines": first.pk,
        },
    )
    assert list(first.iterations.values_list("title", flat=True)) == ["Prompts v2"]

    decide = url("experiment-decide", fcr.initiative, experiment_pk=first.pk)
    assert client.post(decide, {"decision": "adopt", "learned": "x"}).status_code == 403
    client_for(leader).post(decide, {"decision": "adopt", "learned": ""})
    first.refresh_from_db()
    assert first.decision == ""  # what was learned is required
    client_for(leader).post(decide, {"decision": "adopt", "learned": "Works at both sites."})
    first.refresh_from_db()
    assert (first.status, first.decision, first.decided_by) == ("concluded", "adopt", leader)


def test_experiment_form_errors(client_for, member, fcr):
    response = client_for(member).post(
        url("experiment-add", fcr.initiative),
        {
            "title": "X",
            "hypothesis": "h",
            "metric": fcr.pk,
            "control_metric": fcr.pk,
            "start": "2025-03-31",
            "end": "2025-03-01",
            "status": "concluded",
        },
    )
    html = response.content.decode()
    assert "The pilot ends before it starts." in html
    assert "The control must be another KPI." in html
    assert "Select a valid choice." in html  # concluded only with a decision
    assert not Experiment.objects.exists()


# --- checklist --------------------------------------------------------------------------


def test_learning_checklist(initiative, leader, django_assert_num_queries):
    other = InitiativeFactory()
    with django_assert_num_queries(2):
        result = learning_checklist([initiative, other])
    assert [i.done for i in result[initiative.pk]] == [False, False]
    assert result[initiative.pk][0].hint == "Add at least one KPI."
    metric = MetricFactory(initiative=initiative)
    assert "1 KPI without a baseline." == learning_checklist([initiative])[initiative.pk][0].hint
    Metric.objects.filter(pk=metric.pk).update(baseline=3)
    ExperimentFactory(initiative=initiative, metric=metric, status="concluded", decision="adopt")
    assert [i.done for i in learning_checklist([initiative])[initiative.pk]] == [True, True]
    assert registry.get(Stage.LEARNING).url_name == "learning:overview"


# --- insights, lessons, NPS -------------------------------------------------------------


def test_insights_are_searchable(client_for, member, initiative):
    InsightFactory(initiative=initiative, text="The bill is confusing", tags="bill")
    InsightFactory(initiative=initiative, text="Long wait on hold", tags="wait")
    response = client_for(member).get(url("insights", initiative), {"q": "bill"})
    texts = [i.text for i in response.context["page"]]
    assert texts == ["The bill is confusing"]


def test_lessons_are_offered_when_segments_or_departments_overlap(client_for, member, initiative):
    households, premium = SegmentFactory(name="Households"), SegmentFactory(name="Premium")
    initiative.segments.set([households])
    earlier = InitiativeFactory(title="Billing")
    overlapping = LessonFactory(initiative=earlier, title="Brief the call centre first")
    overlapping.segments.set([households])
    elsewhere = LessonFactory(initiative=earlier, title="Discounts do not buy loyalty")
    elsewhere.segments.set([premium])
    response = client_for(member).get(url("overview", initiative))
    assert [lesson.title for lesson in response.context["lessons"]] == [
        "Brief the call centre first"
    ]
    # The global list finds both, searchable, and hides the initiative it can't see.
    listing = client_for(member).get(reverse("learning:lessons"), {"q": "discounts"})
    assert [lesson.title for lesson in listing.context["page"]] == ["Discounts do not buy loyalty"]
    assert "From another initiative" in listing.content.decode()


def test_nps_page_puts_the_number_next_to_its_reasons(client_for, member, initiative):
    seg = SegmentFactory(name="Households")
    for score, why in [
        (2, "long wait on hold"),
        (3, "long wait again"),
        (10, "friendly agent"),
        (9, "friendly agent fixed it"),
        (8, "fine"),
    ]:
        NpsFactory(
            initiative=initiative, segment=seg, score=score, why=why, responded_on=D(2025, 3, 5)
        )
    response = client_for(member).get(url("nps", initiative))
    [households] = response.context["segments"]
    assert households.nps == 0 and households.n == 5  # 2 promoters - 2 detractors of 5
    assert households.detractor_themes[0].phrase == "long wait"
    assert households.promoter_themes[0].phrase == "friendly agent"
    html = response.content.decode()
    assert "long wait" in html and "friendly agent" in html


def test_nps_import_reports_bad_rows_and_writes_nothing(client_for, member, initiative):
    SegmentFactory(name="Households")
    content = (
        b"date,score,segment,why,respondent\n"
        b"2025-03-01,9,Households,great,r1\n"
        b"2025-03-02,11,Households,too high,r2\n"
        b"2025-13-01,5,Mars,bad date and segment,r3\n"
        b"2025-03-04,5,,duplicate,r1\n"
    )
    response = client_for(member).post(
        url("nps-import", initiative), {"file": SimpleUploadedFile("n.csv", content)}
    )
    assert response.status_code == 400
    errors = [(e.line, e.reason) for e in response.context["errors"]]
    assert errors == [
        (3, "bad score"),
        (4, "bad date"),
        (4, "unknown segment"),
        (5, "duplicate respondent in the file"),
    ]
    assert not NpsResponse.objects.exists()
    ok = client_for(member).post(
        url("nps-import", initiative),
        {"file": SimpleUploadedFile("n.csv", content.split(b"\n2025-03-02")[0] + b"\n")},
    )
    assert ok.status_code == 302 and NpsResponse.objects.count() == 1


def test_nps_import_of_a_binary_file_is_a_clear_error(client_for, member, initiative):
    response = client_for(member).post(
        url("nps-import", initiative), {"file": SimpleUploadedFile("n.xlsx", b"PK\x03\x00\x00")}
    )
    assert response.status_code == 400
    assert "not a CSV file" in response.content.decode()
