"""Property-based tests (issue 7): arbitrary series and files never raise, and an import
writes every row or none.

- realigning.relapse.detect over arbitrary series (odd dates, NaN, infinities, strings,
  duplicates, any order) and arbitrary settings of the metric;
- the four CSV importers (learning: measurements and NPS; mobilizing: pulse responses
  and IPA scores) over arbitrary bytes and over CSV files mixing valid and broken rows.
Each example runs in a savepoint that is rolled back, so examples don't see each other.
"""

import csv
import datetime as dt
import io
import math

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learning import importing, nps
from learning.models import ImportStatus, Measurement, NpsResponse, Source
from mobilizing import ipa, pulse
from mobilizing.csvimport import ImportRejected
from mobilizing.models import IpaResponse, IpaScore, PulseAnswer, PulseResponse
from realigning.relapse import detect
from tests.factories import InitiativeFactory, UserFactory
from tests.learning.factories import MetricFactory
from tests.mobilizing.factories import (
    IpaStatementFactory,
    IpaSurveyFactory,
    PulseQuestionFactory,
    PulseSurveyFactory,
)

PROPERTY = settings(
    max_examples=150,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)

# --- the relapse detector ---------------------------------------------------------------

DATES = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31))
ODD_VALUES = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.text(max_size=5),
    st.none(),
    st.booleans(),
)
ODD_DATES = st.one_of(
    DATES,
    st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2100, 1, 1)),
    st.text(max_size=10),
    st.none(),
    st.integers(),
)
ROW = st.one_of(
    st.tuples(DATES, st.floats(min_value=-1e6, max_value=1e6)),  # mostly sane rows
    st.tuples(ODD_DATES, ODD_VALUES),
    st.tuples(DATES),
    st.just(()),
    st.none(),
)
# Realistic long series too: a level, noise, and a step, around a hold date.
REALISTIC = st.builds(
    lambda start, n, level, noise, step, at: [
        (start + dt.timedelta(days=i), level + noise * math.sin(i * 1.7) + (step if i > at else 0))
        for i in range(n)
    ],
    DATES,
    st.integers(0, 400),
    st.floats(-1e9, 1e9),
    st.floats(0, 1e6),
    st.floats(-1e6, 1e6),
    st.integers(0, 400),
)


@PROPERTY
@given(
    series=st.one_of(st.lists(ROW, max_size=120), REALISTIC),
    baseline=st.one_of(st.floats(), st.integers(), st.text(max_size=3), st.none()),
    target=st.one_of(st.floats(), st.none(), st.text(max_size=3)),
    direction=st.sampled_from(["higher", "lower", "sideways", ""]),
    cadence=st.sampled_from(["daily", "weekly", "monthly", "hourly"]),
    hold_from=st.one_of(st.none(), DATES),
)
def test_the_relapse_detector_never_raises(series, baseline, target, direction, cadence, hold_from):
    result = detect(
        series,
        baseline=baseline,
        target=target,
        direction=direction,
        cadence=cadence,
        hold_from=hold_from,
    )
    assert result.status in {"insufficient_data", "ok"}
    assert result.status == "ok" or result.reason
    for signal in result.signals:
        assert isinstance(signal.fired_on, dt.date)
    if result.level is not None:
        assert math.isfinite(result.level)


# --- CSV files: cells that are sometimes right and sometimes wrong -----------------------

NASTY_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)


def _csv_bytes(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding, errors="replace")


RAW_BYTES = st.one_of(
    st.binary(max_size=600),
    st.binary(max_size=40).map(lambda b: b"PK\x03\x04" + b),  # a spreadsheet renamed .csv
    st.text(max_size=300).map(lambda t: t.encode("utf-16")),
    st.text(max_size=300).map(lambda t: t.encode("utf-8")),
)


@pytest.fixture
def initiative(db):
    return InitiativeFactory()


@pytest.fixture
def user(db):
    return UserFactory()


def _rolled_back(fn):
    with transaction.atomic():
        try:
            fn()
        finally:
            transaction.set_rollback(True)


# Measurements (learning.importing): the upload page's path, check then confirm.

METRIC_CELL = st.one_of(st.sampled_from(["Calls fixed", "calls FIXED ", "NPS"]), NASTY_TEXT)
PERIOD_CELL = st.one_of(DATES.map(str), NASTY_TEXT, st.just("2025-02-30"))
VALUE_CELL = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(str), st.integers().map(str), NASTY_TEXT
)
MEASUREMENT_ROWS = st.lists(st.lists(st.one_of(METRIC_CELL, PERIOD_CELL, VALUE_CELL), max_size=4))
GOOD_MEASUREMENT_ROWS = st.lists(
    st.tuples(
        st.sampled_from(["Calls fixed", "NPS"]),
        DATES.map(str),
        st.floats(-1e9, 1e9).map(repr),
    ),
    max_size=30,
)


def _import_all_or_nothing(initiative, user, data: bytes) -> None:
    before = set(Measurement.objects.values_list("metric_id", "period", "value"))
    imp = importing.create_import(initiative, user, "upload.csv", data)
    assert imp.status in (ImportStatus.READY, ImportStatus.INVALID)
    if imp.status == ImportStatus.INVALID:
        assert imp.error_count >= 1 and imp.errors
        assert set(Measurement.objects.values_list("metric_id", "period", "value")) == before
        return
    expected = importing.check_csv(imp.raw_text, initiative.pk).rows
    imp = importing.confirm(imp)
    assert imp.status == ImportStatus.DONE
    stored = {
        (m, p): v for m, p, v in Measurement.objects.values_list("metric_id", "period", "value")
    }
    for metric_id, period, value in expected:  # every row, with its value
        assert stored[(metric_id, period)] == pytest.approx(value)


@PROPERTY
@given(data=RAW_BYTES)
def test_measurement_import_of_any_bytes_never_raises_and_writes_all_or_nothing(
    initiative, user, data
):
    def run():
        MetricFactory(initiative=initiative, name="Calls fixed")
        _import_all_or_nothing(initiative, user, data)

    _rolled_back(run)


@PROPERTY
@given(rows=st.one_of(MEASUREMENT_ROWS, GOOD_MEASUREMENT_ROWS.map(lambda r: [list(x) for x in r])))
def test_measurement_import_of_mixed_rows_writes_every_row_or_none(initiative, user, rows):
    def run():
        MetricFactory(initiative=initiative, name="Calls fixed", cadence="daily")
        MetricFactory(initiative=initiative, name="NPS", cadence="monthly")
        _import_all_or_nothing(initiative, user, _csv_bytes([["metric", "period", "value"], *rows]))

    _rolled_back(run)


# NPS responses (learning.nps): the import page's path, check then record.

NPS_ROWS = st.lists(
    st.lists(
        st.one_of(
            DATES.map(str),
            st.integers(-2, 12).map(str),
            st.sampled_from(["", "Retail"]),
            NASTY_TEXT,
        ),
        max_size=5,
    ),
    max_size=20,
)


def _nps_all_or_nothing(initiative, user, data: bytes) -> None:
    before = NpsResponse.objects.count()
    checked = nps.check_csv(data)
    if checked.errors:
        assert NpsResponse.objects.count() == before
        return
    written = nps.record_responses(initiative, checked.rows, source=Source.CSV, user=user)
    assert written == len(checked.rows)
    new_ids = {r.respondent for r in checked.rows if r.respondent}
    blank = sum(1 for r in checked.rows if not r.respondent)
    assert NpsResponse.objects.count() == before + blank + len(new_ids)


@PROPERTY
@given(
    data=st.one_of(
        RAW_BYTES,
        NPS_ROWS.map(lambda r: _csv_bytes([["date", "score", "segment", "why", "respondent"], *r])),
    )
)
def test_nps_import_never_raises_and_writes_all_or_nothing(initiative, user, data):
    _rolled_back(lambda: _nps_all_or_nothing(initiative, user, data))


# Pulse responses and IPA scores (mobilizing): ImportRejected, or every row written.

PULSE_ROWS = st.lists(
    st.lists(st.one_of(st.integers(-1, 8).map(str), st.just(""), NASTY_TEXT), max_size=4),
    max_size=20,
)
PULSE_HEADERS = st.lists(st.sampled_from(["department", "q1", "q2", "Q3", "x", ""]), max_size=4)


def _pulse_all_or_nothing(survey, data: bytes) -> None:
    before = (PulseResponse.objects.count(), PulseAnswer.objects.count())
    try:
        n = pulse.import_csv(survey, SimpleUploadedFile("r.csv", data, "text/csv"))
    except ImportRejected as rejected:
        assert rejected.errors
        assert (PulseResponse.objects.count(), PulseAnswer.objects.count()) == before
        return
    assert n >= 1
    assert PulseResponse.objects.count() == before[0] + n
    assert PulseAnswer.objects.count() >= before[1] + n


@PROPERTY
@given(
    data=st.one_of(
        RAW_BYTES,
        st.tuples(PULSE_HEADERS, PULSE_ROWS).map(lambda hr: _csv_bytes([hr[0], *hr[1]])),
    )
)
def test_pulse_import_never_raises_and_writes_all_or_nothing(initiative, data):
    def run():
        survey = PulseSurveyFactory(initiative=initiative)
        for order in (1, 2, 3):
            PulseQuestionFactory(survey=survey, order=order)
        _pulse_all_or_nothing(survey, data)

    _rolled_back(run)


IPA_ROWS = st.lists(
    st.tuples(
        st.sampled_from(["ann", "bob", ""]),
        st.one_of(st.sampled_from(["1", "2", "statement a", "9"]), NASTY_TEXT),
        st.one_of(st.integers(0, 9).map(str), NASTY_TEXT),
        st.one_of(st.integers(0, 9).map(str), NASTY_TEXT),
    ).map(list),
    max_size=20,
)


def _ipa_all_or_nothing(survey, data: bytes) -> None:
    before = (IpaResponse.objects.count(), IpaScore.objects.count())
    try:
        n = ipa.import_csv(survey, SimpleUploadedFile("s.csv", data, "text/csv"))
    except ImportRejected as rejected:
        assert rejected.errors
        assert (IpaResponse.objects.count(), IpaScore.objects.count()) == before
        return
    assert n >= 1
    assert IpaResponse.objects.count() == before[0] + n
    assert IpaScore.objects.count() >= before[1] + n


@PROPERTY
@given(
    data=st.one_of(
        RAW_BYTES,
        IPA_ROWS.map(
            lambda r: _csv_bytes([["respondent", "statement", "importance", "performance"], *r])
        ),
    )
)
def test_ipa_import_never_raises_and_writes_all_or_nothing(db, data):
    def run():
        survey = IpaSurveyFactory(scale=7)
        IpaStatementFactory(survey=survey, order=1, text="Statement A")
        IpaStatementFactory(survey=survey, order=2, text="Statement B")
        _ipa_all_or_nothing(survey, data)

    _rolled_back(run)
