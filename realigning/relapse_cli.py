"""Command line front end for the relapse detector (pure argparse, no Django).

    python3 -m realigning.relapse_cli FILE --baseline B --direction higher|lower \\
        [--target T] [--hold-from YYYY-MM-DD] [--cadence daily|weekly|monthly]

FILE is a CSV with the header ``date,value``.  Prints the result as JSON on stdout; a bad
file (missing, wrong header, bad date, non-numeric value) exits with status 2 and a
message on stderr.  Empty values and NaN/inf are accepted and ignored by the detector.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
from collections.abc import Sequence
from datetime import date

from realigning.relapse import CADENCES, DIRECTIONS, Result, detect


class InputError(Exception):
    """The CSV cannot be used; the message says where and why."""


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {text!r}") from exc


def read_csv(path: str) -> list[tuple[date, float]]:
    """Read ``date,value`` rows; blank values become NaN (dropped later by the detector)."""
    try:
        handle = open(path, newline="", encoding="utf-8-sig")  # noqa: SIM115
    except OSError as exc:
        raise InputError(f"cannot open {path}: {exc.strerror or exc}") from exc
    rows: list[tuple[date, float]] = []
    with handle:
        reader = csv.reader(handle)
        try:
            header = next(reader, None)
            if header is None:
                raise InputError(f"{path}: file is empty; expected header 'date,value'")
            if [h.strip().lower() for h in header] != ["date", "value"]:
                raise InputError(f"{path}: header must be 'date,value', got {','.join(header)!r}")
            for line_no, row in enumerate(reader, start=2):
                if not row or all(not cell.strip() for cell in row):
                    continue
                if len(row) != 2:
                    raise InputError(f"{path}:{line_no}: expected 2 columns, got {len(row)}")
                raw_date, raw_value = row[0].strip(), row[1].strip()
                try:
                    day = date.fromisoformat(raw_date)
                except ValueError:
                    raise InputError(
                        f"{path}:{line_no}: bad date {raw_date!r} (expected YYYY-MM-DD)"
                    ) from None
                if raw_value == "":
                    value = math.nan
                else:
                    try:
                        value = float(raw_value)
                    except ValueError:
                        raise InputError(
                            f"{path}:{line_no}: value {raw_value!r} is not a number"
                        ) from None
                rows.append((day, value))
        except (csv.Error, UnicodeDecodeError) as exc:
            raise InputError(f"{path}: unreadable CSV: {exc}") from exc
    return rows


def _json_safe(value: object) -> object:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def result_to_dict(result: Result) -> dict:
    """JSON-ready view of a Result; signals in date order."""
    signals = sorted(result.signals, key=lambda s: s.fired_on)
    out = {
        "status": result.status,
        "signals": [
            {
                "date": s.fired_on.isoformat(),
                "rule": s.rule,
                "slide_began": s.slide_began.isoformat(),
                "severity": s.severity,
                "evidence": _json_safe(s.evidence),
            }
            for s in signals
        ],
        "outliers": [d.isoformat() for d in sorted(result.outliers)],
        "level": _json_safe(result.level),
        "sigma": _json_safe(result.sigma),
        "limits": _json_safe(list(result.limits)) if result.limits else None,
    }
    if result.reason:
        out["reason"] = result.reason
    return out


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python3 -m realigning.relapse_cli",
        description="Detect performance relapse in a KPI series (CSV with header date,value).",
    )
    parser.add_argument("file", help="CSV file with header 'date,value'")
    parser.add_argument("--baseline", type=float, required=True, help="pre-change level")
    parser.add_argument("--direction", choices=DIRECTIONS, required=True, help="which is better")
    parser.add_argument("--target", type=float, default=None, help="target level (optional)")
    parser.add_argument(
        "--hold-from",
        type=_parse_date,
        default=None,
        help="date from which the improved level should hold (default: first date)",
    )
    parser.add_argument("--cadence", choices=CADENCES, default="daily")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the process exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed the usage error
        return int(exc.code or 0)
    if not math.isfinite(args.baseline):
        print("error: --baseline must be a finite number", file=sys.stderr)
        return 2
    try:
        rows = read_csv(args.file)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    hold_from = args.hold_from
    if hold_from is None and rows:
        hold_from = min(d for d, _ in rows)
    result = detect(
        rows,
        baseline=args.baseline,
        target=args.target,
        direction=args.direction,
        hold_from=hold_from,
        cadence=args.cadence,
    )
    json.dump(result_to_dict(result), sys.stdout, indent=2, allow_nan=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
