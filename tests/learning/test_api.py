"""The learning API: the bulk upsert, measurements, experiments' decide and result."""

import datetime as dt

import pytest
from django.urls import reverse

from learning import api as learning_api
from learning.models import Measurement, Metric, NpsResponse
from tests.learning.factories import ExperimentFactory, MeasurementFactory, MetricFactory

D = dt.date
BULK = "/api/measurements/bulk/"


@pytest.fixture
def fcr(initiative):
    return MetricFactory(initiative=initiative, name="FCR")


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_bulk_upserts_many_rows_idempotently(client_for, member, fcr):
    rows = [
        {
            "metric": fcr.pk,
            "period": (D(2025, 1, 1) + dt.timedelta(days=i)).isoformat(),
            "value": i / 2,
        }
        for i in range(300)
    ]
    client = client_for(member)
    body = {"initiative": fcr.initiative_id, "rows": rows}
    first = post(client, BULK, body)
    assert first.status_code == 200, first.content
    assert first.json() == {"written": 300, "metrics": [fcr.pk]}
    rows[0]["value"] = 99
    assert post(client, BULK, body).status_code == 200
    assert Measurement.objects.count() == 300
    assert Measurement.objects.get(period=D(2025, 1, 1)).value == 99
    assert set(Measurement.objects.values_list("source", "entered_by")) == {("api", member.pk)}
    assert Metric.objects.get(pk=fcr.pk).data_version == 2


def test_bulk_reports_every_bad_row_by_index_and_writes_nothing(client_for, member, fcr):
    rows = [
        {"metric": fcr.pk, "period": "2025-01-01", "value": 1},
        {"metric": 999999, "period": "2025-01-02", "value": 2},
        {"metric": fcr.pk, "period": "01.02.2025", "value": "x"},
        {"metric": fcr.pk, "period": "2025-01-01", "value": 3},
        "not an object",
        {"metric": "FCR", "period": "2025-01-05", "value": 5},  # by name is fine
    ]
    response = post(client_for(member), BULK, {"initiative": fcr.initiative_id, "rows": rows})
    assert response.status_code == 400
    errors = [(e["index"], e["reason"]) for e in response.json()["rows"]]
    assert errors == [
        (1, "unknown metric"),
        (2, "bad date"),
        (2, "non-numeric value"),
        (3, "duplicate period in the file"),
        (4, "unknown metric"),
        (4, "bad date"),
        (4, "non-numeric value"),
    ]
    assert "nothing was written" in response.json()["detail"]
    assert not Measurement.objects.exists()


def test_bulk_refuses_another_initiatives_metric(client_for, member, fcr, outsider):
    foreign = MetricFactory(initiative=outsider.led_initiatives.get())
    response = post(
        client_for(member),
        BULK,
        {
            "initiative": fcr.initiative_id,
            "rows": [{"metric": foreign.pk, "period": "2025-01-01", "value": 1}],
        },
    )
    assert response.status_code == 400
    assert response.json()["rows"][0]["reason"] == "unknown metric"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"rows": [{"metric": 1, "period": "2025-01-01", "value": 1}]}, "initiative"),
        ({"initiative": None, "rows": []}, "initiative"),
        ({"rows": "nope"}, "rows"),
    ],
)
def test_bulk_bad_payloads_are_400_with_field_messages(client_for, member, fcr, body, field):
    response = post(client_for(member), BULK, body)
    assert response.status_code == 400
    assert field in response.json()


def test_bulk_has_a_row_limit(client_for, member, fcr):
    assert learning_api.MAX_BULK_ROWS == 50_000
    rows = [{"metric": fcr.pk, "period": "2025-01-01", "value": 1}] * 50_001
    response = post(client_for(member), BULK, {"initiative": fcr.initiative_id, "rows": rows})
    assert response.status_code == 400
    assert "no more than 50000" in str(response.json()["rows"])


def test_posting_a_measurement_twice_updates_it(client_for, member, fcr):
    client = client_for(member)
    body = {"metric": fcr.pk, "period": "2025-01-01", "value": 5}
    assert post(client, "/api/measurements/", body).status_code == 201
    body["value"] = 6
    again = post(client, "/api/measurements/", body)
    assert again.status_code == 201 and again.json()["value"] == 6
    assert Measurement.objects.count() == 1


def test_a_weekly_measurement_is_filed_under_its_monday(client_for, member, initiative):
    weekly = MetricFactory(initiative=initiative, cadence="weekly")
    response = post(
        client_for(member),
        "/api/measurements/",
        {"metric": weekly.pk, "period": "2025-03-13", "value": 1},
    )
    assert response.json()["period"] == "2025-03-10"


def test_measurement_bad_input_is_400(client_for, member, fcr):
    response = post(
        client_for(member),
        "/api/measurements/",
        {"metric": fcr.pk, "period": "soon", "value": "many"},
    )
    assert response.status_code == 400
    assert {"period", "value"} <= set(response.json())


def test_deleting_a_measurement_bumps_data_version(client_for, member, fcr):
    m = MeasurementFactory(metric=fcr)
    assert client_for(member).delete(f"/api/measurements/{m.pk}/").status_code == 204
    assert Metric.objects.get(pk=fcr.pk).data_version == 1


def test_measurements_filter_by_metric_and_period(client_for, member, fcr, initiative):
    other = MetricFactory(initiative=initiative)
    MeasurementFactory(metric=fcr, period=D(2025, 1, 1))
    MeasurementFactory(metric=fcr, period=D(2025, 2, 1))
    MeasurementFactory(metric=other, period=D(2025, 2, 1))
    data = (
        client_for(member)
        .get("/api/measurements/", {"metric_id": fcr.pk, "period_after": "2025-01-15"})
        .json()
    )
    assert [r["period"] for r in data["results"]] == ["2025-02-01"]


def test_experiment_decide_and_result(client_for, leader, member, fcr):
    for i in range(10):
        MeasurementFactory(
            metric=fcr, period=D(2025, 1, 1) + dt.timedelta(days=i), value=60 + i % 3
        )
        MeasurementFactory(
            metric=fcr, period=D(2025, 3, 1) + dt.timedelta(days=i), value=66 + i % 3
        )
    Metric.objects.filter(pk=fcr.pk).update(baseline_from=D(2025, 1, 1), baseline_to=D(2025, 1, 31))
    experiment = ExperimentFactory(initiative=fcr.initiative, metric=fcr)
    result = client_for(member).get(f"/api/experiments/{experiment.pk}/result/").json()
    assert result["verdict"] == "improvement"
    assert result["difference"] == pytest.approx(6.0)
    assert result["ci_low"] < 6 < result["ci_high"]
    assert result["reading"].startswith("The pilot raised")

    url = f"/api/experiments/{experiment.pk}/decide/"
    assert post(client_for(member), url, {"decision": "adopt", "learned": "x"}).status_code == 403
    assert post(client_for(leader), url, {"decision": "maybe", "learned": "x"}).status_code == 400
    done = post(client_for(leader), url, {"decision": "adopt", "learned": "Works."})
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["decision"]) == ("concluded", "adopt")


def test_experiment_cannot_be_concluded_by_patching_status(client_for, member, fcr):
    experiment = ExperimentFactory(initiative=fcr.initiative, metric=fcr)
    response = client_for(member).patch(
        f"/api/experiments/{experiment.pk}/",
        {"status": "concluded", "decision": "adopt"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "status" in response.json()


def test_experiment_metric_must_belong_to_the_initiative(client_for, leader, fcr, initiative):
    from tests.factories import InitiativeFactory

    mine_elsewhere = MetricFactory(initiative=InitiativeFactory(leader=leader))
    response = post(
        client_for(leader),
        "/api/experiments/",
        {
            "initiative": initiative.pk,
            "title": "t",
            "hypothesis": "h",
            "metric": mine_elsewhere.pk,
            "start": "2025-01-01",
            "end": "2024-12-01",
        },
    )
    assert response.status_code == 400
    assert "metric" in response.json()


def test_nps_bulk_imports_and_updates_by_respondent(client_for, member, initiative):
    from tests.factories import SegmentFactory

    seg = SegmentFactory(name="Households")
    rows = [
        {
            "responded_on": "2025-03-01",
            "score": 3,
            "segment": "households",
            "why": "slow",
            "respondent": "r1",
        },
        {"responded_on": "2025-03-02", "score": 10, "segment": seg.pk, "why": "great"},
    ]
    client = client_for(member)
    body = {"initiative": initiative.pk, "rows": rows}
    assert post(client, "/api/nps-responses/bulk/", body).status_code == 200
    rows[0]["score"] = 6
    assert post(client, "/api/nps-responses/bulk/", {**body, "rows": rows[:1]}).status_code == 200
    assert sorted(NpsResponse.objects.values_list("score", flat=True)) == [6, 10]
    bad = post(
        client,
        "/api/nps-responses/bulk/",
        {**body, "rows": [{"responded_on": "x", "score": 11, "segment": "Mars"}]},
    )
    assert bad.status_code == 400
    assert [e["reason"] for e in bad.json()["rows"]] == [
        "bad date",
        "bad score",
        "unknown segment",
    ]


def test_lessons_api_hides_an_unseen_initiative(client_for, outsider, initiative):
    from tests.learning.factories import LessonFactory

    lesson = LessonFactory(initiative=initiative)
    data = client_for(outsider).get(f"/api/lessons/{lesson.pk}/").json()
    assert data["initiative"] is None and data["title"] == lesson.title


def test_metric_list_queries_do_not_grow(client_for, leader, initiative, django_assert_num_queries):
    client = client_for(leader)
    MetricFactory(initiative=initiative)
    # 1 session, 2 user, 3 the user's groups (role), 4 count, 5 the page of metrics,
    # 6-8 the session saved (savepoint, update, release)
    with django_assert_num_queries(8):
        client.get(reverse("metric-list"))
    MetricFactory.create_batch(5, initiative=initiative)
    with django_assert_num_queries(8):
        client.get(reverse("metric-list"))
