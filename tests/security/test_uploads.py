"""Uploads (issue 7): too large, not UTF-8, a spreadsheet renamed to .csv, 100,000
columns. Each of the four import pages answers with a clear error and writes nothing."""

import io
import zipfile
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from learning.models import Measurement, MeasurementImport, NpsResponse
from mobilizing.models import IpaResponse, IpaScore, PulseAnswer, PulseResponse
from tests.security.world import build_world


def _xlsx() -> bytes:
    """A real (minimal) spreadsheet: a ZIP of XML parts, as Excel writes it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        book.writestr("xl/workbook.xml", "<workbook><sheets><sheet name='KPIs'/></sheets>")
        book.writestr("xl/worksheets/sheet1.xml", "<worksheet>" + "<row/>" * 200 + "</worksheet>")
    return buffer.getvalue()


WIDE = ",".join(f"c{i}" for i in range(100_000)).encode() + b"\n" + b"1," * 99_999 + b"1\n"


@dataclass
class Importer:
    name: str
    url: callable
    header: bytes
    limit_mb: int

    def counts(self):
        return (
            Measurement.objects.count(),
            NpsResponse.objects.count(),
            PulseResponse.objects.count(),
            PulseAnswer.objects.count(),
            IpaResponse.objects.count(),
            IpaScore.objects.count(),
        )


IMPORTERS = [
    Importer(
        "measurements",
        lambda w: reverse("learning:import", args=[w["initiative"].pk]),
        b"metric,period,value\n",
        10,
    ),
    Importer(
        "nps",
        lambda w: reverse("learning:nps-import", args=[w["initiative"].pk]),
        b"date,score,segment,why\n",
        10,
    ),
    Importer(
        "pulse",
        lambda w: reverse(
            "mobilizing:pulse-import", args=[w["initiative"].pk, w["pulse_draft"].pk]
        ),
        b"department,q1\n",
        5,
    ),
    Importer(
        "ipa",
        lambda w: reverse("mobilizing:ipa-import", args=[w["ipa_open"].pk]),
        b"respondent,statement,importance,performance\n",
        5,
    ),
]

BAD_FILES = {
    "too large": (
        lambda imp: imp.header + b"x,2025-01-01,1\n" * ((imp.limit_mb * 1024 * 1024) // 14 + 10),
        ["larger than", "too large", "the limit is"],
    ),
    "latin-1": (lambda imp: imp.header + "Café,2025-01-01,3\n".encode("latin-1"), ["UTF-8"]),
    "utf-16": (lambda imp: (imp.header + b"a,b\n").decode().encode("utf-16"), ["UTF-8", "binary"]),
    "spreadsheet renamed .csv": (lambda imp: _xlsx(), ["UTF-8", "binary", "spreadsheet"]),
    "100,000 columns": (
        lambda imp: WIDE,
        ["100000 columns", "wrong columns", "100000 columns in all"],
    ),
    "empty": (lambda imp: b"", ["empty", "required", "no rows"]),
}


@pytest.fixture
def world(db):
    return build_world()


def _page_text(client, response) -> str:
    if response.status_code == 302:  # learning keeps the checked file and shows its report
        response = client.get(response["Location"])
    return response.content.decode()


@pytest.mark.parametrize("importer", IMPORTERS, ids=lambda i: i.name)
@pytest.mark.parametrize("bad", list(BAD_FILES))
def test_a_bad_upload_gets_a_clear_error_and_writes_nothing(client, world, importer, bad):
    client.force_login(world["users"]["admin"])
    make, messages = BAD_FILES[bad]
    data = make(importer)
    before = importer.counts()
    imports_before = set(MeasurementImport.objects.values_list("pk", flat=True))
    response = client.post(
        importer.url(world), {"file": SimpleUploadedFile("kpis.csv", data, "text/csv")}
    )
    assert response.status_code in (200, 302, 400), response.status_code
    text = _page_text(client, response)
    assert any(m in text for m in messages), (bad, importer.name, text[-2000:])
    assert len(text) < 200_000  # the error is a sentence, not the file played back
    assert importer.counts() == before
    for imp in MeasurementImport.objects.exclude(pk__in=imports_before):
        assert imp.status == "invalid"  # kept to show its errors; never confirmable


def test_a_request_over_the_hard_cap_is_refused_before_it_is_read(client, world, settings):
    settings.MAX_REQUEST_BYTES = 1024 * 1024
    client.force_login(world["users"]["admin"])
    data = b"metric,period,value\n" + b"x" * (2 * 1024 * 1024)
    before = MeasurementImport.objects.count()
    response = client.post(
        reverse("learning:import", args=[world["initiative"].pk]),
        {"file": SimpleUploadedFile("big.csv", data, "text/csv")},
    )
    assert response.status_code == 413
    assert "larger than 1 MB" in response.content.decode()
    assert MeasurementImport.objects.count() == before
