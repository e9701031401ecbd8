"""CSV import: every bad row reported with its line and reason; all or nothing."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from learning import importing
from learning.models import ImportStatus, Measurement, MeasurementImport, Metric
from tests.learning.factories import MeasurementFactory, MetricFactory

D = dt.date


@pytest.fixture
def fcr(initiative):
    return MetricFactory(initiative=initiative, name="FCR", cadence="daily")


@pytest.fixture
def weekly(initiative):
    return MetricFactory(initiative=initiative, name="Repeat contacts", cadence="weekly")


def upload(client, initiative, content: bytes, name="values.csv"):
    url = reverse("learning:import", kwargs={"pk": initiative.pk})
    response = client.post(url, {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 302, response.content[:300]
    return MeasurementImport.objects.latest("id")


def errors_of(imp):
    return [(e["line"], e["reason"]) for e in imp.errors]


# --- each reason, with its line number -------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"metric,period,value\nFCR,2025-01-01,1\nNPS,2025-01-02,2\n", [(3, "unknown metric")]),
        (b"metric,period,value\nFCR,2025-01-01,1\nFCR,01/02/2025,2\n", [(3, "bad date")]),
        (b"metric,period,value\nFCR,2025-02-30,2\n", [(2, "bad date")]),
        (
            b"metric,period,value\nFCR,2025-01-01,1\nFCR,2025-01-02,lots\n",
            [(3, "non-numeric value")],
        ),
        (b"metric,period,value\nFCR,2025-01-01,nan\n", [(2, "non-numeric value")]),
        (
            b"metric,period,value\nFCR,2025-01-01,1\nFCR,2025-01-02,2\nFCR,2025-01-01,3\n",
            [(4, "duplicate period in the file")],
        ),
        (b"kpi,date,value\nFCR,2025-01-01,1\n", [(1, "wrong columns")]),
        (b"metric,period,value\nFCR,2025-01-01,1\nFCR,2025-01-02\n", [(3, "wrong columns")]),
        (b"metric,period,value\nFCR,2025-01-01,1,extra\n", [(2, "wrong columns")]),
        (b"", [(1, "empty file")]),
        (b"metric,period,value\n", [(1, "empty file")]),
        (b"PK\x03\x04\x00\x00binary spreadsheet", [(1, "not a CSV file")]),
        ("metric,period,value\nFCR,2025-01-01,1\n".encode("utf-16"), [(1, "not a CSV file")]),
        (b"metric,period,value\nFCR,2025-01-01,\xff\xfe1\n", [(1, "not a CSV file")]),
    ],
    ids=[
        "unknown-metric",
        "bad-date-format",
        "bad-date-day",
        "non-numeric",
        "nan",
        "duplicate-period",
        "wrong-header",
        "too-few-values",
        "too-many-values",
        "empty-file",
        "header-only",
        "binary",
        "utf16",
        "not-utf8",
    ],
)
def test_each_bad_row_is_reported_with_its_line_and_reason_and_nothing_is_written(
    client_for, leader, fcr, content, expected
):
    imp = upload(client_for(leader), fcr.initiative, content)
    assert imp.status == ImportStatus.INVALID
    assert errors_of(imp) == expected
    page = client_for(leader).get(
        reverse("learning:import-detail", kwargs={"pk": fcr.initiative.pk, "import_pk": imp.pk})
    )
    assert page.status_code == 200
    assert expected[0][1] in page.content.decode()
    # No confirm button: and a confirm anyway writes nothing.
    assert b"import-confirm" not in page.content
    client_for(leader).post(
        reverse("learning:import-confirm", kwargs={"pk": fcr.initiative.pk, "import_pk": imp.pk})
    )
    assert not Measurement.objects.exists()


def test_every_error_of_a_file_is_collected_not_just_the_first(leader, fcr, weekly):
    text = (
        "metric,period,value\n"
        "FCR,2025-01-01,1\n"
        "Nope,2025-01-02,2\n"  # 3
        "FCR,2025-13-01,x\n"  # 4: date and value
        "\n"
        "Repeat contacts,2025-03-10,5\n"  # 6: Monday
        "Repeat contacts,2025-03-13,6\n"  # 7: same week
    )
    checked = importing.check_csv(text, fcr.initiative_id)
    assert [(e.line, e.reason) for e in checked.errors] == [
        (3, "unknown metric"),
        (4, "bad date"),
        (4, "non-numeric value"),
        (7, "duplicate period in the file"),
    ]
    assert "already on line 6" in checked.errors[-1].detail


def test_a_file_with_one_bad_row_writes_nothing(client_for, leader, fcr):
    good = "".join(f"FCR,2025-01-{d:02d},{d}\n" for d in range(1, 29))
    imp = upload(
        client_for(leader), fcr.initiative, f"metric,period,value\n{good}FCR,x,1\n".encode()
    )
    assert imp.error_count == 1 and imp.rows_total == 29
    assert Measurement.objects.count() == 0


def test_quoted_fields_and_multiline_records_keep_true_line_numbers(leader, fcr):
    text = 'metric,period,value\n"FCR",2025-01-01,1\n"F\nCR",2025-01-02,2\nFCR,bad,3\n'
    checked = importing.check_csv(text, fcr.initiative_id)
    assert [(e.line, e.reason) for e in checked.errors] == [(4, "unknown metric"), (5, "bad date")]


# --- the happy path: preview, confirm, idempotent ------------------------------------


def test_preview_then_confirm_writes_every_row_and_importing_again_changes_nothing(
    client_for, leader, fcr, weekly
):
    content = (
        "\ufeffMetric, Period ,Value\r\n"  # a BOM, odd spacing and case, CRLF
        "fcr,2025-01-01,61.5\r\n"
        f"{fcr.pk},2025-01-02,-2\r\n"  # by id; a real negative number
        "Repeat contacts,2025-03-13,5\r\n"  # a Thursday -> Monday 2025-03-10
    ).encode()
    client = client_for(leader)
    imp = upload(client, fcr.initiative, content)
    assert imp.status == ImportStatus.READY and imp.rows_total == 3
    url = reverse("learning:import-detail", kwargs={"pk": fcr.initiative.pk, "import_pk": imp.pk})
    page = client.get(url).content.decode()
    assert "Preview" in page and "2025-03-10" in page and "Import 3 rows" in page
    assert not Measurement.objects.exists()  # nothing before the confirmation

    confirm = reverse(
        "learning:import-confirm", kwargs={"pk": fcr.initiative.pk, "import_pk": imp.pk}
    )
    assert client.post(confirm).status_code == 302
    imp.refresh_from_db()
    assert imp.status == ImportStatus.DONE and imp.rows_done == 3
    assert set(Measurement.objects.values_list("metric__name", "period", "value", "source")) == {
        ("FCR", D(2025, 1, 1), 61.5, "csv"),
        ("FCR", D(2025, 1, 2), -2.0, "csv"),
        ("Repeat contacts", D(2025, 3, 10), 5.0, "csv"),
    }
    client.post(confirm)  # a second click: nothing happens
    imp2 = upload(client, fcr.initiative, content)
    client.post(
        reverse("learning:import-confirm", kwargs={"pk": fcr.initiative.pk, "import_pk": imp2.pk})
    )
    assert Measurement.objects.count() == 3
    assert Metric.objects.get(pk=fcr.pk).data_version == 2


def test_re_importing_updates_a_period_in_place(leader, fcr):
    MeasurementFactory(metric=fcr, period=D(2025, 1, 1), value=50)
    imp = importing.create_import(
        fcr.initiative, leader, "a.csv", b"metric,period,value\nFCR,2025-01-01,70\n"
    )
    importing.confirm(imp)
    assert list(fcr.measurements.values_list("value", "entered_by")) == [(70.0, leader.pk)]


def test_a_file_larger_than_the_limit_is_refused_with_a_clear_message(
    client_for, leader, fcr, settings, monkeypatch
):
    monkeypatch.setattr(importing, "MAX_BYTES", 100)
    monkeypatch.setattr("learning.forms.MAX_BYTES", 100)
    url = reverse("learning:import", kwargs={"pk": fcr.initiative.pk})
    response = client_for(leader).post(url, {"file": SimpleUploadedFile("big.csv", b"x" * 500)})
    assert response.status_code == 200
    assert "the limit is" in response.content.decode()
    assert not MeasurementImport.objects.exists()
    with pytest.raises(importing.ImportFileError, match="too large"):
        importing.decode_upload(b"x" * 101)


def test_a_kpi_renamed_between_preview_and_confirm_fails_the_import_and_writes_nothing(leader, fcr):
    imp = importing.create_import(
        fcr.initiative, leader, "a.csv", b"metric,period,value\nFCR,2025-01-01,70\n"
    )
    Metric.objects.filter(pk=fcr.pk).update(name="First-contact resolution")
    imp = importing.confirm(imp)
    assert imp.status == ImportStatus.FAILED
    assert errors_of(imp) == [(2, "unknown metric")]
    assert not Measurement.objects.exists()


# --- large files: a Celery task and a progress bar -------------------------------------


def test_a_large_file_is_written_by_the_task_with_progress(
    client_for, leader, fcr, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(importing, "ASYNC_THRESHOLD", 10)
    monkeypatch.setattr("learning.measurements.BATCH_SIZE", 7)
    rows = "".join(
        f"FCR,{(D(2024, 1, 1) + dt.timedelta(days=i)).isoformat()},{i}\n" for i in range(40)
    )
    client = client_for(leader)
    imp = upload(client, fcr.initiative, f"metric,period,value\n{rows}".encode())
    confirm = reverse(
        "learning:import-confirm", kwargs={"pk": fcr.initiative.pk, "import_pk": imp.pk}
    )
    progress = reverse(
        "learning:import-progress", kwargs={"pk": fcr.initiative.pk, "import_pk": imp.pk}
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(confirm)
    imp.refresh_from_db()
    assert imp.status == ImportStatus.QUEUED and not Measurement.objects.exists()
    queued = client.get(progress).json()
    assert queued == {"status": "queued", "rows_total": 40, "rows_done": 0, "message": ""}
    # The queued page shows the progress bar, polling the progress endpoint with htmx.
    detail = client.get(
        reverse("learning:import-detail", kwargs={"pk": fcr.initiative.pk, "import_pk": imp.pk})
    ).content.decode()
    assert "<progress" in detail and 'hx-trigger="every 1s"' in detail and progress in detail

    seen = []
    monkeypatch.setattr("learning.importing.cache.set", lambda key, n, timeout: seen.append(n))
    for callback in callbacks:
        callback()  # the task runs (eagerly in tests)
    assert seen == [7, 14, 21, 28, 35, 40]
    imp.refresh_from_db()
    assert imp.status == ImportStatus.DONE and imp.rows_done == 40
    assert Measurement.objects.count() == 40
    done = client.get(progress, HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true" and b"40 of 40" in done.content


def test_the_task_runs_an_import_once_even_if_delivered_twice(leader, fcr):
    imp = importing.create_import(
        fcr.initiative, leader, "a.csv", b"metric,period,value\nFCR,2025-01-01,70\n"
    )
    MeasurementImport.objects.filter(pk=imp.pk).update(status=ImportStatus.QUEUED)
    from learning.tasks import import_measurements

    import_measurements.delay(imp.pk)
    import_measurements.delay(imp.pk)
    assert Metric.objects.get(pk=fcr.pk).data_version == 1


def test_a_task_that_crashes_marks_the_import_failed_and_writes_nothing(leader, fcr, monkeypatch):
    imp = importing.create_import(
        fcr.initiative, leader, "a.csv", b"metric,period,value\nFCR,2025-01-01,70\n"
    )
    MeasurementImport.objects.filter(pk=imp.pk).update(status=ImportStatus.QUEUED)

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("learning.importing.record_measurements", boom)
    from learning.tasks import import_measurements

    import_measurements.delay(imp.pk)
    imp.refresh_from_db()
    assert imp.status == ImportStatus.FAILED and "nothing was written" in imp.message
    assert not Measurement.objects.exists()


def test_another_initiatives_import_is_not_found(client_for, leader, outsider, fcr):
    imp = importing.create_import(fcr.initiative, leader, "a.csv", b"metric,period,value\n")
    other = outsider.led_initiatives.get()
    url = reverse("learning:import-detail", kwargs={"pk": other.pk, "import_pk": imp.pk})
    assert client_for(outsider).get(url).status_code == 404
