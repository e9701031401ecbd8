"""Getting measurements in: CSV upload, the bulk API and the Celery task share this module.

Every row is validated and every bad row reported (line number or row index, and the
reason) before anything is written; a file with one bad row writes nothing. Valid rows
go through `learning.measurements.record_measurements`, the one write path.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from learning.measurements import BATCH_SIZE, normalise_period, record_measurements
from learning.models import ImportStatus, MeasurementImport, Metric, Source

MAX_BYTES = 10 * 1024 * 1024
COLUMNS = ["metric", "period", "value"]
ASYNC_THRESHOLD = 5000  # more rows than this are written by a Celery task
PREVIEW_ROWS = 10
MAX_STORED_ERRORS = 10_000  # all are counted; this many are kept with their line numbers

# The reasons, named once so the page, the API and the tests agree.
NOT_CSV = "not a CSV file"
EMPTY = "empty file"
WRONG_COLUMNS = "wrong columns"
UNKNOWN_METRIC = "unknown metric"
BAD_DATE = "bad date"
NOT_NUMBER = "non-numeric value"
DUPLICATE = "duplicate period in the file"


def header_summary(header: list[str], shown: int = 8) -> str:
    """A header as an error message can show it: a file with 100,000 columns is not
    repeated back in full (issue 7: a clear error, not a 700 KB one)."""
    cells = [c if len(c) <= 40 else c[:40] + "…" for c in header[:shown]]
    text = ",".join(cells)
    if len(header) > shown:
        text += f",… ({len(header)} columns in all)"
    return text


class ImportFileError(Exception):
    """The file as a whole can't be read: too large, binary, not UTF-8 text, empty."""

    def __init__(self, reason: str, detail: str = ""):
        self.reason, self.detail = reason, detail
        super().__init__(f"{reason}: {detail}" if detail else reason)


@dataclass
class RowError:
    line: int  # the CSV line (1 is the header) or the API row index
    reason: str
    detail: str = ""

    def as_dict(self) -> dict:
        return {"line": self.line, "reason": self.reason, "detail": self.detail}

    def __str__(self) -> str:
        return f"{self.reason}: {self.detail}" if self.detail else self.reason


@dataclass
class Checked:
    """The outcome of validating every row."""

    rows: list[tuple[int, dt.date, float]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    total: int = 0
    preview: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def decode_upload(data: bytes) -> str:
    """UTF-8 text (a BOM is dropped) or ImportFileError: never a 500 for a strange file."""
    if len(data) > MAX_BYTES:
        raise ImportFileError(
            "file too large", f"the limit is {MAX_BYTES // (1024 * 1024)} MB; split the file"
        )
    if not data.strip():
        raise ImportFileError(EMPTY, "the file has no rows")
    if b"\x00" in data:
        raise ImportFileError(NOT_CSV, "the file is binary (a spreadsheet?); save it as CSV")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            NOT_CSV, "the file is not UTF-8 text; save it as 'CSV UTF-8'"
        ) from None


class MetricLookup:
    """The initiative's metrics by name (case-insensitive) or id: one query."""

    def __init__(self, initiative_id: int):
        self.by_id: dict[int, tuple[int, str, str]] = {}
        self.by_name: dict[str, tuple[int, str, str]] = {}
        for pk, name, cadence in Metric.objects.filter(initiative_id=initiative_id).values_list(
            "pk", "name", "cadence"
        ):
            self.by_id[pk] = (pk, name, cadence)
            self.by_name[name.strip().casefold()] = (pk, name, cadence)

    def find(self, raw) -> tuple[int, str, str] | None:
        if isinstance(raw, int) and not isinstance(raw, bool):
            return self.by_id.get(raw)
        text = str(raw).strip()
        found = self.by_name.get(text.casefold())
        if found is None and text.isdigit():
            found = self.by_id.get(int(text))
        return found


def parse_date(raw) -> dt.date | None:
    text = str(raw).strip()
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def parse_value(raw) -> float | None:
    if type(raw) is str:  # the CSV case first: float() ignores surrounding spaces
        try:
            value = float(raw)
        except ValueError:
            return None
    elif isinstance(raw, bool) or not isinstance(raw, int | float):
        return None
    else:
        value = float(raw)
    return value if math.isfinite(value) else None


_MISSING = object()


def check_rows(
    rows: Iterable[tuple[int, object, object, object]], lookup: MetricLookup, *, unit: str = "line"
) -> Checked:
    """Validate (label, metric, period, value) rows, collecting every error.

    The hot loop of every import: KPIs and dates repeat across rows, so each distinct raw
    text is resolved once (a dict lookup afterwards), and the period is normalised once
    per (KPI, date).
    """
    out = Checked()
    seen: dict[tuple[int, dt.date], int] = {}
    metrics: dict[str, object] = {}
    dates: dict[str, object] = {}
    periods: dict[tuple[int, dt.date], dt.date] = {}
    append, errors, preview = out.rows.append, out.errors, out.preview
    total = 0
    for label, raw_metric, raw_period, raw_value in rows:
        total += 1
        if type(raw_metric) is str:
            metric = metrics.get(raw_metric, _MISSING)
            if metric is _MISSING:
                metric = metrics[raw_metric] = lookup.find(raw_metric)
        else:
            metric = lookup.find(raw_metric) if type(raw_metric) is int else None
        if type(raw_period) is str:
            day = dates.get(raw_period, _MISSING)
            if day is _MISSING:
                day = dates[raw_period] = parse_date(raw_period)
        else:
            day = None
        value = parse_value(raw_value)
        if metric is None or day is None or value is None:
            if metric is None:
                errors.append(RowError(label, UNKNOWN_METRIC, f"no KPI {str(raw_metric)!r} here"))
            if day is None:
                errors.append(RowError(label, BAD_DATE, f"{str(raw_period)!r}: use YYYY-MM-DD"))
            if value is None:
                errors.append(RowError(label, NOT_NUMBER, f"{str(raw_value)!r} is not a number"))
            continue
        if metric[2] == "daily":
            period = day
        else:
            key = (metric[0], day)
            period = periods.get(key)
            if period is None:
                period = periods[key] = normalise_period(day, metric[2])
        first = seen.setdefault((metric[0], period), label)
        if first != label:
            errors.append(
                RowError(
                    label,
                    DUPLICATE,
                    f"{metric[1]} for the period of {period} is already on {unit} {first}",
                )
            )
            continue
        append((metric[0], period, value))
        if len(preview) < PREVIEW_ROWS:
            preview.append({"line": label, "metric": metric[1], "period": period, "value": value})
    out.total = total
    return out


def check_csv(text: str, initiative_id: int) -> Checked:
    """Validate a CSV text with the header metric,period,value (every row, every error)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        while header is not None and not any(c.strip() for c in header):
            header = next(reader, None)  # leading blank lines
        if header is None:
            return Checked(errors=[RowError(1, EMPTY, "the file has no rows")])
        names = [c.strip().lower() for c in header]
        if names != COLUMNS:
            return Checked(
                errors=[
                    RowError(
                        reader.line_num,
                        WRONG_COLUMNS,
                        f"expected the header {','.join(COLUMNS)}, found {header_summary(header)}",
                    )
                ]
            )
        width_errors: list[RowError] = []

        def rows():
            for record in reader:
                if len(record) == 3:
                    if record[0] or record[1] or record[2]:
                        yield reader.line_num, record[0], record[1], record[2]
                    continue  # ",," is a blank line
                if not any(c.strip() for c in record):
                    continue  # blank line
                if len(record) != len(COLUMNS):
                    width_errors.append(
                        RowError(
                            reader.line_num,
                            WRONG_COLUMNS,
                            f"expected {len(COLUMNS)} values, found {len(record)}",
                        )
                    )
                    continue
                yield reader.line_num, record[0], record[1], record[2]

        checked = check_rows(rows(), MetricLookup(initiative_id))
    except csv.Error as exc:
        return Checked(errors=[RowError(reader.line_num or 1, NOT_CSV, str(exc))])
    if width_errors:
        checked.errors = sorted(checked.errors + width_errors, key=lambda e: e.line)
        checked.total += len(width_errors)
    if not checked.total:
        checked.errors.append(RowError(reader.line_num, EMPTY, "the file has a header but no rows"))
    return checked


def create_import(initiative, user, filename: str, data: bytes) -> MeasurementImport:
    """Check an uploaded file and keep it, valid or not, for the preview page."""
    imp = MeasurementImport(initiative=initiative, created_by=user, filename=filename[:255])
    try:
        imp.raw_text = decode_upload(data)
    except ImportFileError as exc:
        imp.raw_text = ""
        checked = Checked(errors=[RowError(1, exc.reason, exc.detail)])
    else:
        checked = check_csv(imp.raw_text, initiative.pk)
    _apply_check(imp, checked)
    imp.save()
    return imp


def _apply_check(imp: MeasurementImport, checked: Checked) -> None:
    imp.rows_total = checked.total
    imp.error_count = len(checked.errors)
    imp.errors = [e.as_dict() for e in checked.errors[:MAX_STORED_ERRORS]]
    imp.status = ImportStatus.INVALID if checked.errors else ImportStatus.READY


def preview(imp: MeasurementImport) -> list[dict]:
    """The first rows of a checked import, as they will be written."""
    if imp.status != ImportStatus.READY:
        return []
    head = "\n".join(imp.raw_text.splitlines()[: PREVIEW_ROWS * 2 + 5])
    return check_csv(head, imp.initiative_id).preview


def confirm(imp: MeasurementImport) -> MeasurementImport:
    """Write a checked import: now if it is small, else in a Celery task after commit."""
    claimed = MeasurementImport.objects.filter(pk=imp.pk, status=ImportStatus.READY).update(
        status=ImportStatus.QUEUED
    )
    if not claimed:
        imp.refresh_from_db()
        return imp  # a second click, or a file with errors: nothing to do
    imp.status = ImportStatus.QUEUED
    if imp.rows_total > ASYNC_THRESHOLD:
        from learning.tasks import import_measurements

        transaction.on_commit(lambda: import_measurements.delay(imp.pk))
        return imp
    run_import(imp.pk)
    imp.refresh_from_db()
    return imp


def progress_key(import_id: int) -> str:
    return f"learning:import:{import_id}:done"


def rows_done(imp: MeasurementImport) -> int:
    """Rows written so far: the cache while the task runs (its transaction is not visible)."""
    if imp.status == ImportStatus.QUEUED:
        return cache.get(progress_key(imp.pk), 0)
    return imp.rows_done


def run_import(import_id: int) -> None:
    """Write a queued import atomically: every row or none. Safe to run twice."""
    with transaction.atomic():
        imp = (
            MeasurementImport.objects.select_for_update(of=("self",))
            .select_related("created_by")
            .get(pk=import_id)
        )
        if imp.status != ImportStatus.QUEUED:
            return  # done already (a redelivered task), or never confirmed
        # Check again: a KPI may have been renamed or deleted since the preview.
        checked = check_csv(imp.raw_text, imp.initiative_id)
        if not checked.ok:
            _apply_check(imp, checked)
            imp.status = ImportStatus.FAILED
            imp.message = "The file no longer checks out (a KPI changed?): nothing was written."
            imp.finished_at = timezone.now()
            imp.save()
            return
        key = progress_key(imp.pk)
        written = record_measurements(
            checked.rows,
            source=Source.CSV,
            user=imp.created_by,
            progress=lambda n: cache.set(key, n, 3600),
        )
        imp.status = ImportStatus.DONE
        imp.rows_done = imp.rows_total
        imp.message = f"{written} measurement{'s' if written != 1 else ''} written."
        imp.finished_at = timezone.now()
        imp.save()
    cache.delete(progress_key(import_id))


def mark_failed(import_id: int, message: str) -> None:
    MeasurementImport.objects.filter(pk=import_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.FAILED, message=message[:300], finished_at=timezone.now()
    )


ProgressFn = Callable[[int], None]
__all__ = ["BATCH_SIZE", "check_csv", "check_rows", "confirm", "create_import", "run_import"]
