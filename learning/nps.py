"""NPS with the why: imports, and NPS per segment and month beside the customers' themes.

NPS = % promoters (9-10) - % detractors (0-6). A number never stands without its
reasons: each segment's NPS is shown with the most frequent themes in the why texts of
its detractors and of its promoters (learning.themes).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from initiatives.models import CustomerSegment
from learning.importing import (
    BAD_DATE,
    EMPTY,
    NOT_CSV,
    WRONG_COLUMNS,
    ImportFileError,
    RowError,
    decode_upload,
    header_summary,
    parse_date,
)
from learning.models import NpsResponse
from learning.themes import Theme, themes

REQUIRED = ["date", "score", "segment", "why"]
OPTIONAL = ["respondent"]
BAD_SCORE = "bad score"
UNKNOWN_SEGMENT = "unknown segment"
DUPLICATE_RESPONDENT = "duplicate respondent in the file"
MAX_THEME_TEXTS = 5000  # the latest why texts per segment considered for themes


@dataclass
class NpsRow:
    responded_on: dt.date
    score: int
    segment_id: int | None
    why: str
    respondent: str = ""


@dataclass
class NpsChecked:
    rows: list[NpsRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def parse_score(raw) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        score = raw
    else:
        text = str(raw).strip()
        if not text.isdigit():
            return None
        score = int(text)
    return score if 0 <= score <= 10 else None


def check_records(records, segments: dict[str, int]) -> NpsChecked:
    """(label, date, score, segment name, why, respondent) -> rows and every error."""
    out = NpsChecked()
    seen: dict[str, object] = {}
    for label, raw_date, raw_score, raw_segment, why, respondent in records:
        problems = []
        day = parse_date(raw_date)
        if day is None:
            problems.append(RowError(label, BAD_DATE, f"{str(raw_date)!r}: use YYYY-MM-DD"))
        score = parse_score(raw_score)
        if score is None:
            problems.append(RowError(label, BAD_SCORE, f"{raw_score!r}: a whole number 0 to 10"))
        segment_name = str(raw_segment or "").strip()
        segment_id = None
        if segment_name:
            segment_id = segments.get(segment_name.casefold())
            if segment_id is None:
                problems.append(RowError(label, UNKNOWN_SEGMENT, f"no segment {segment_name!r}"))
        respondent = str(respondent or "").strip()[:100]
        if respondent:
            first = seen.setdefault(respondent, label)
            if first != label:
                problems.append(
                    RowError(label, DUPLICATE_RESPONDENT, f"{respondent!r} is already at {first}")
                )
        if problems:
            out.errors.extend(problems)
            continue
        out.rows.append(NpsRow(day, score, segment_id, str(why or "").strip(), respondent))
    return out


def segment_lookup() -> dict[str, int]:
    return {n.casefold(): pk for pk, n in CustomerSegment.objects.values_list("pk", "name")}


def check_csv(data: bytes) -> NpsChecked:
    try:
        text = decode_upload(data)
    except ImportFileError as exc:
        return NpsChecked(errors=[RowError(1, exc.reason, exc.detail)])
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [c.strip().lower() for c in next(reader, [])]
        if header[: len(REQUIRED)] != REQUIRED or any(c not in OPTIONAL for c in header[4:]):
            return NpsChecked(
                errors=[
                    RowError(
                        1,
                        WRONG_COLUMNS,
                        f"expected the header {','.join(REQUIRED)}[,respondent], "
                        f"found {header_summary(header)}",
                    )
                ]
            )
        width = len(header)
        width_errors: list[RowError] = []

        def records():
            for rec in reader:
                if not any(c.strip() for c in rec):
                    continue
                if len(rec) != width:
                    width_errors.append(
                        RowError(
                            reader.line_num, WRONG_COLUMNS, f"expected {width}, found {len(rec)}"
                        )
                    )
                    continue
                yield (reader.line_num, *rec[:4], rec[4] if width > 4 else "")

        checked = check_records(records(), segment_lookup())
    except csv.Error as exc:
        return NpsChecked(errors=[RowError(reader.line_num or 1, NOT_CSV, str(exc))])
    checked.errors = sorted(checked.errors + width_errors, key=lambda e: e.line)
    if not checked.rows and not checked.errors:
        checked.errors.append(RowError(1, EMPTY, "the file has a header but no rows"))
    return checked


@transaction.atomic
def record_responses(initiative, rows: list[NpsRow], *, source: str, user) -> int:
    """Write validated responses; a respondent id seen before is updated, not duplicated."""
    keyed = {r.respondent: r for r in rows if r.respondent}
    existing = {
        resp.respondent: resp
        for resp in NpsResponse.objects.filter(initiative=initiative, respondent__in=list(keyed))
    }
    updates = []
    for respondent, resp in existing.items():
        row = keyed[respondent]
        resp.responded_on, resp.score, resp.segment_id, resp.why = (
            row.responded_on,
            row.score,
            row.segment_id,
            row.why,
        )
        resp.source = source
        updates.append(resp)
    NpsResponse.objects.bulk_update(
        updates, ["responded_on", "score", "segment", "why", "source"], batch_size=1000
    )
    new = [
        NpsResponse(
            initiative=initiative,
            responded_on=r.responded_on,
            score=r.score,
            segment_id=r.segment_id,
            why=r.why,
            respondent=r.respondent,
            source=source,
            created_by=user,
        )
        for r in rows
        if r.respondent not in existing
    ]
    NpsResponse.objects.bulk_create(new, batch_size=1000)
    return len(rows)


def nps_of(n: int, promoters: int, detractors: int) -> int | None:
    return round(100 * (promoters - detractors) / n) if n else None


@dataclass
class MonthNps:
    month: dt.date
    n: int
    promoters: int
    detractors: int

    @property
    def nps(self) -> int | None:
        return nps_of(self.n, self.promoters, self.detractors)


@dataclass
class SegmentNps:
    segment_id: int | None
    name: str
    months: list[MonthNps] = field(default_factory=list)
    detractor_themes: list[Theme] = field(default_factory=list)
    promoter_themes: list[Theme] = field(default_factory=list)

    @property
    def n(self) -> int:
        return sum(m.n for m in self.months)

    @property
    def nps(self) -> int | None:
        return nps_of(
            self.n, sum(m.promoters for m in self.months), sum(m.detractors for m in self.months)
        )


def summary(initiative, since: dt.date | None = None, until: dt.date | None = None):
    """NPS per segment and month with the themes of detractors and promoters: 2 queries."""
    qs = NpsResponse.objects.filter(initiative=initiative)
    if since:
        qs = qs.filter(responded_on__gte=since)
    if until:
        qs = qs.filter(responded_on__lte=until)
    segments: dict[int | None, SegmentNps] = {}
    # Query 1: counts per segment and month.
    for row in (
        qs.annotate(month=TruncMonth("responded_on"))
        .values("segment_id", "segment__name", "month")
        .annotate(
            n=Count("id"),
            promoters=Count("id", filter=Q(score__gte=9)),
            detractors=Count("id", filter=Q(score__lte=6)),
        )
        .order_by("segment__name", "month")
    ):
        seg = segments.setdefault(
            row["segment_id"],
            SegmentNps(row["segment_id"], row["segment__name"] or "No segment"),
        )
        month = row["month"]
        if isinstance(month, dt.datetime):
            month = month.date()
        seg.months.append(MonthNps(month, row["n"], row["promoters"], row["detractors"]))
    # Query 2: the why texts of detractors and promoters, newest first.
    texts: dict[tuple[int | None, bool], list[str]] = defaultdict(list)
    for segment_id, score, why in (
        qs.exclude(why="")
        .filter(Q(score__lte=6) | Q(score__gte=9))
        .order_by("-responded_on", "-id")
        .values_list("segment_id", "score", "why")[: MAX_THEME_TEXTS * 4]
    ):
        bucket = texts[(segment_id, score >= 9)]
        if len(bucket) < MAX_THEME_TEXTS:
            bucket.append(why)
    for seg in segments.values():
        seg.detractor_themes = themes(texts[(seg.segment_id, False)])
        seg.promoter_themes = themes(texts[(seg.segment_id, True)])
    return sorted(segments.values(), key=lambda s: (s.segment_id is None, s.name))
