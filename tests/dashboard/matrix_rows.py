"""Access-matrix rows for the executive dashboard, its CSVs, the board report and the cockpit.

The dashboard, the report and the CSVs are for anyone signed in: each shows only the
initiatives the user may see (an outsider sees their own portfolio, never this one).
The cockpit is an initiative's page: outsiders get 404.
"""

from tests.access_matrix import PAGE, Case, register

ANYONE_SIGNED_IN = (302, 200, 200, 200, 200, 200, 200)
NO_WRITE = (405,) * 7  # read-only pages: a POST is not allowed, even before the login


def build(w):
    pass


def pk(w):
    return {"pk": w["initiative"].pk}


register(
    Case("initiatives:dashboard", "GET", ANYONE_SIGNED_IN),
    Case("initiatives:dashboard", "POST", NO_WRITE),
    Case(
        "initiatives:dashboard",
        "GET",
        ANYONE_SIGNED_IN,
        data=lambda w: {"stage": "nonsense", "segment_id": "x", "sponsor_id": "999999"},
        note="bad filters are ignored with a message, never a 500",
        id="initiatives:dashboard:bad-filters",
    ),
    Case("initiatives:report", "GET", ANYONE_SIGNED_IN),
    Case(
        "initiatives:dashboard-csv", "GET", ANYONE_SIGNED_IN, kwargs=lambda w: {"panel": "health"}
    ),
    Case(
        "initiatives:dashboard-csv", "GET", ANYONE_SIGNED_IN, kwargs=lambda w: {"panel": "finance"}
    ),
    Case(
        "initiatives:dashboard-csv",
        "GET",
        (302, 404, 404, 404, 404, 404, 404),
        kwargs=lambda w: {"panel": "nothing"},
        note="no such chart",
        id="initiatives:dashboard-csv:unknown",
    ),
    Case("initiatives:cockpit", "GET", PAGE, kwargs=pk),
    Case("initiatives:cockpit", "POST", NO_WRITE, kwargs=pk),
)
