"""CSV cells that a spreadsheet will not run as formulas (CSV/formula injection).

The one function every CSV export uses (learning's KPI series, the dashboard's charts);
tests/security/test_exports.py checks each export and that no other escaping exists.

A text cell starting with =, +, -, @, tab, carriage return or NUL is prefixed with a
single quote, which spreadsheets show as text. Numbers are left as numbers, so a real
negative value stays numeric: only text needs escaping.
"""

from numbers import Number

DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r", "\0")


def safe_cell(value):
    """The value as it may be written to a CSV cell."""
    if value is None:
        return ""
    if isinstance(value, Number) and not isinstance(value, bool):
        return value
    text = str(value)
    if text.startswith(DANGEROUS_FIRST):
        return "'" + text
    return text


def safe_row(values) -> list:
    return [safe_cell(v) for v in values]
