"""Reading CSV uploads: every bad row is reported by its line number, nothing half-applied.

Importers collect `RowError`s for the whole file first; the caller writes only when the
list is empty, inside one transaction.
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000
MAX_COLUMNS = 200  # no import here needs more; a wider file is the wrong file


@dataclass(frozen=True)
class RowError:
    line: int  # 1 is the header line
    reason: str

    def __str__(self) -> str:
        return f"Line {self.line}: {self.reason}"


class ImportRejected(Exception):
    """The file was refused; `errors` says why, row by row."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors[:5]))


def read_rows(uploaded, required: list[str]) -> tuple[list[str], Iterator[tuple[int, dict]]]:
    """(normalised header, iterator of (line number, row dict with lower-case keys)).

    Raises ImportRejected for a file that is not readable CSV or lacks a column.
    """
    raw = uploaded.read(MAX_BYTES + 1) if hasattr(uploaded, "read") else uploaded
    if isinstance(raw, str):
        raw = raw.encode()
    if len(raw) > MAX_BYTES:
        raise ImportRejected([RowError(1, "The file is larger than 5 MB; split it.")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRejected(
            [RowError(1, "The file is not UTF-8 text; save it as CSV UTF-8.")]
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise ImportRejected([RowError(1, "The file is empty.")]) from None
    except csv.Error as exc:  # a stray quote or carriage return, a huge cell: not a 500
        raise ImportRejected([RowError(1, f"This is not readable CSV ({exc}).")]) from None
    if len(header) > MAX_COLUMNS:
        raise ImportRejected(
            [
                RowError(
                    1,
                    f"The file has {len(header)} columns; at most {MAX_COLUMNS} are expected. "
                    "Is this the right file?",
                )
            ]
        )
    header = [h.strip().lower() for h in header]
    missing = [c for c in required if c not in header]
    if missing:
        raise ImportRejected(
            [RowError(1, f"Missing column{'s' if len(missing) > 1 else ''}: {', '.join(missing)}.")]
        )

    def rows():
        index = 1
        try:
            for index, values in enumerate(reader, start=2):
                if index - 1 > MAX_ROWS:
                    raise ImportRejected([RowError(index, f"More than {MAX_ROWS} rows; split it.")])
                if not any(v.strip() for v in values):
                    continue  # blank lines are harmless
                if len(values) > len(header):
                    yield index, None  # the caller reports it
                    continue
                padded = values + [""] * (len(header) - len(values))
                yield index, {h: padded[i].strip() for i, h in enumerate(header)}
        except csv.Error as exc:
            raise ImportRejected(
                [RowError(index + 1, f"This is not readable CSV from here on ({exc}).")]
            ) from None

    return header, rows()


def parse_score(value: str, low: int, high: int, what: str) -> tuple[int | None, str | None]:
    """(score, None) or (None, reason) for a whole number within [low, high]."""
    try:
        number = int(value)
    except ValueError:
        return None, f"{what} “{value}” is not a whole number."
    if not low <= number <= high:
        return None, f"{what} {number} is outside the scale {low} to {high}."
    return number, None
