"""`manage.py relapse_check`: run the relapse detector on your own CSV export."""

import datetime as dt
import json
import math

from django.core.management.base import BaseCommand, CommandError

from realigning.relapse import detect
from realigning.relapse_cli import InputError, read_csv, result_to_dict

DIRECTIONS = {"up": "higher", "higher": "higher", "down": "lower", "lower": "lower"}


class Command(BaseCommand):
    help = (
        "Read a CSV with header date,value and print the relapse detector's verdict as JSON: "
        "status, relapse signals in date order, and isolated outliers under 'outliers'."
    )

    def add_arguments(self, parser):
        parser.add_argument("--csv", required=True, help="CSV file with header date,value")
        parser.add_argument("--baseline", required=True, type=float, help="the pre-change level")
        parser.add_argument("--target", type=float, default=None)
        parser.add_argument(
            "--direction",
            required=True,
            choices=sorted(DIRECTIONS),
            help="up (higher is better) or down (lower is better)",
        )
        parser.add_argument(
            "--hold-from",
            default=None,
            help="YYYY-MM-DD the gain should hold from (default: the first date)",
        )
        parser.add_argument("--cadence", default="daily", choices=["daily", "weekly", "monthly"])

    def handle(self, *args, **options):
        if not math.isfinite(options["baseline"]):
            raise CommandError("--baseline must be a finite number.")
        hold_from = None
        if options["hold_from"]:
            try:
                hold_from = dt.date.fromisoformat(options["hold_from"])
            except ValueError as exc:
                raise CommandError(
                    f"--hold-from {options['hold_from']!r} is not YYYY-MM-DD."
                ) from exc
        try:
            rows = read_csv(options["csv"])
        except InputError as exc:
            raise CommandError(str(exc)) from exc
        if hold_from is None and rows:
            hold_from = min(day for day, _ in rows)
        result = detect(
            rows,
            baseline=options["baseline"],
            target=options["target"],
            direction=DIRECTIONS[options["direction"]],
            hold_from=hold_from,
            cadence=options["cadence"],
        )
        self.stdout.write(json.dumps(result_to_dict(result), indent=2, allow_nan=False))
