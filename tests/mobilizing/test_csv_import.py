"""CSV imports are atomic: every bad row is reported by line number, nothing half-applied."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mobilizing import ipa, pulse
from mobilizing.csvimport import ImportRejected
from mobilizing.models import IpaResponse, IpaScore, PulseAnswer, PulseResponse
from tests.factories import DepartmentFactory
from tests.mobilizing.factories import (
    IpaStatementFactory,
    IpaSurveyFactory,
    PulseQuestionFactory,
    PulseSurveyFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(initiative):
    survey = PulseSurveyFactory(initiative=initiative, status="closed", opens=dt.date(2025, 1, 1))
    PulseQuestionFactory(survey=survey, text="I trust leadership", order=1)
    PulseQuestionFactory(survey=survey, text="I am ready", order=2)
    DepartmentFactory(name="Sales")
    return survey


def upload(text: str):
    return SimpleUploadedFile("responses.csv", text.encode(), "text/csv")


def test_pulse_import_by_position_or_question_text(survey):
    n = pulse.import_csv(survey, upload("department,q1,I am ready\nSales,4,5\n,2,\n\n"))
    assert n == 2
    assert PulseResponse.objects.filter(source="import").count() == 2
    assert sorted(PulseAnswer.objects.values_list("value", flat=True)) == [2, 4, 5]
    assert PulseResponse.objects.filter(department__name="Sales").count() == 1


def test_pulse_import_reports_every_bad_row_and_writes_nothing(survey):
    csv = (
        "department,q1,q2\n"
        "Sales,4,5\n"  # line 2: fine
        "Legal,3,3\n"  # line 3: unknown department
        "Sales,six,9\n"  # line 4: not a number, out of scale
        "Sales,,\n"  # line 5: no answer
        "Sales,1,2,3\n"  # line 6: extra cell
    )
    with pytest.raises(ImportRejected) as rejected:
        pulse.import_csv(survey, upload(csv))
    assert [str(e) for e in rejected.value.errors] == [
        "Line 3: unknown department “Legal”.",
        "Line 4: q1 “six” is not a whole number; q2 9 is outside the scale 1 to 5.",
        "Line 5: no answer in this row.",
        "Line 6: More cells than columns in the header.",
    ]
    assert PulseResponse.objects.count() == 0 and PulseAnswer.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "Line 1: The file is empty."),
        ("department,q9\n,1\n", "Line 1: Unknown column: q9."),
        ("department\nSales\n", "Line 1: No question column"),
        ("q1,i trust leadership\n1,2\n", "Line 1: The same question appears in two columns."),
        ("department,q1\n", "Line 2: The file has a header but no responses."),
    ],
)
def test_pulse_import_refuses_bad_files(survey, content, message):
    with pytest.raises(ImportRejected) as rejected:
        pulse.import_csv(survey, upload(content))
    assert str(rejected.value.errors[0]).startswith(message)


def test_a_file_that_is_not_utf8_is_refused(survey):
    with pytest.raises(ImportRejected) as rejected:
        pulse.import_csv(survey, SimpleUploadedFile("x.csv", "q1\né\n".encode("latin-1")))
    assert "not UTF-8" in str(rejected.value.errors[0])


def test_the_import_page_lists_the_bad_rows(client_for, leader, survey):
    client = client_for(leader)
    page = client.post(
        reverse("mobilizing:pulse-import", args=[survey.initiative_id, survey.pk]),
        {"file": upload("q1,q2\n4,5\n7,1\n")},
    )
    assert page.status_code == 400
    assert "Line 3: q1 7 is outside the scale 1 to 5." in page.content.decode()
    assert PulseResponse.objects.count() == 0
    ok = client.post(
        reverse("mobilizing:pulse-import", args=[survey.initiative_id, survey.pk]),
        {"file": upload("q1,q2\n4,5\n")},
    )
    assert ok.status_code == 302 and PulseResponse.objects.count() == 1


def test_the_import_page_requires_a_file(client_for, leader, survey):
    page = client_for(leader).post(
        reverse("mobilizing:pulse-import", args=[survey.initiative_id, survey.pk]), {}
    )
    assert page.status_code == 200 and b"This field is required." in page.content


@pytest.fixture
def ipa_survey():
    survey = IpaSurveyFactory(scale=5, status="closed")
    IpaStatementFactory(survey=survey, text="We know our best customers", order=1)
    IpaStatementFactory(survey=survey, text="We ask why customers leave", order=2)
    return survey


def test_ipa_import_groups_rows_by_respondent(ipa_survey):
    csv = (
        "Respondent,Statement,Importance,Performance\n"
        "r1,1,5,2\nr1,We ask why customers leave,4,1\nr2,1,3,3\n"
    )
    assert ipa.import_csv(ipa_survey, upload(csv)) == 2
    assert IpaResponse.objects.count() == 2 and IpaScore.objects.count() == 3


def test_ipa_import_is_all_or_nothing(ipa_survey):
    csv = (
        "respondent,statement,importance,performance\n"
        "r1,1,5,2\n"
        "r1,1,4,1\n"  # the same statement twice for r1
        "r2,3,3,3\n"  # no statement 3
        ",2,6,0\n"  # no respondent, 6 and 0 off the 1-5 scale
    )
    with pytest.raises(ImportRejected) as rejected:
        ipa.import_csv(ipa_survey, upload(csv))
    assert [e.line for e in rejected.value.errors] == [3, 4, 5]
    assert "scored statement 1 twice" in rejected.value.errors[0].reason
    assert "unknown statement “3”" in rejected.value.errors[1].reason
    assert "importance 6 is outside the scale 1 to 5" in rejected.value.errors[2].reason
    assert "performance 0 is outside the scale 1 to 5" in rejected.value.errors[2].reason
    assert IpaResponse.objects.count() == 0


def test_ipa_import_needs_its_columns(ipa_survey):
    with pytest.raises(ImportRejected) as rejected:
        ipa.import_csv(ipa_survey, upload("respondent,statement\nr1,1\n"))
    assert str(rejected.value.errors[0]) == "Line 1: Missing columns: importance, performance."
