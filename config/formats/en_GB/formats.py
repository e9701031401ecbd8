"""British display formats, but ISO first for input.

Browsers' <input type="date"> only read YYYY-MM-DD; Django renders a date input's value
with the first input format, and en-GB's is DD/MM/YYYY, which left every date field
blank on edit pages (and a save then lost the date).
"""

from django.conf.locale.en_GB import formats as base

DATE_FORMAT = base.DATE_FORMAT
DATETIME_FORMAT = base.DATETIME_FORMAT
SHORT_DATE_FORMAT = base.SHORT_DATE_FORMAT
DATE_INPUT_FORMATS = ["%Y-%m-%d", *[f for f in base.DATE_INPUT_FORMATS if f != "%Y-%m-%d"]]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M:%S",
    *[f for f in base.DATETIME_INPUT_FORMATS if f != "%Y-%m-%d %H:%M:%S"],
]
