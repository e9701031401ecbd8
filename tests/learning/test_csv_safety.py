"""safe_cell: exports that a spreadsheet will not run as formulas."""

import csv
import io
import random
import string

import pytest

from learning.csv_safety import DANGEROUS_FIRST, safe_cell, safe_row


@pytest.mark.parametrize(
    "text", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx", "\0x", '=HYPERLINK("x")']
)
def test_dangerous_text_is_escaped(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", [-3.5, -1, 0, 2.25, 10**9])
def test_real_numbers_stay_numbers(value):
    assert safe_cell(value) is value


def test_plain_text_and_none():
    assert safe_cell("Leeds") == "Leeds"
    assert safe_cell(None) == ""
    assert safe_cell(True) == "True"  # not a number to a spreadsheet
    assert safe_row(["=x", -1.0, "ok"]) == ["'=x", -1.0, "ok"]


def _check(text: str) -> None:
    out = safe_cell(text)
    assert not out.startswith(DANGEROUS_FIRST)
    assert out in (text, "'" + text)
    assert (out != text) == text.startswith(DANGEROUS_FIRST)
    # Written and read back through the csv module, the cell is still safe and intact.
    buf = io.StringIO()
    csv.writer(buf).writerow([out])
    assert next(csv.reader(io.StringIO(buf.getvalue()))) == [out]


def test_random_strings_seeded():
    rng = random.Random(42)
    alphabet = string.printable + "\0=+-@\t\r\u00e9\u2028"
    for _ in range(5000):
        _check("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))))


hypothesis = pytest.importorskip("hypothesis")
st = pytest.importorskip("hypothesis.strategies")


@hypothesis.given(st.text())
def test_any_string_is_safe(text):
    _check(text)


@hypothesis.given(st.floats(allow_nan=False) | st.integers())
def test_any_number_is_kept(value):
    assert safe_cell(value) == value
