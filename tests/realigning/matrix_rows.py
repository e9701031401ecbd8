"""Access-matrix rows for realigning's pages and API."""

import datetime as dt
from decimal import Decimal

from realigning.models import FinancialEntry, RealignmentAction, RelapseFlag
from tests.access_matrix import (
    API_LIST,
    API_MANAGE_DELETE,
    API_MANAGE_WRITE,
    API_READ,
    MANAGE_GET,
    MANAGE_POST,
    PAGE,
    Case,
    register,
)
from tests.learning.factories import MetricFactory

ANYONE_SIGNED_IN = (302, 200, 200, 200, 200, 200, 200)
API_MANAGE_CREATE = (403, 400, 403, 403, 403, 201, 201)
API_FLAG_ACTION = (403, 404, 403, 403, 403, 200, 200)


def build(w):
    initiative = w["initiative"]
    metric = MetricFactory(initiative=initiative, baseline=60, hold_from=dt.date(2026, 1, 1))
    w["metric"] = metric
    w["flag"] = RelapseFlag.objects.create(
        metric=metric,
        rule="cusum",
        severity="high",
        fired_on=dt.date(2026, 3, 1),
        slide_began=dt.date(2026, 2, 20),
        evidence={"level": 80},
    )
    w["action"] = RealignmentAction.objects.create(
        initiative=initiative, kind="measures", title="KPI in the board pack"
    )
    w["entry"] = FinancialEntry.objects.create(
        initiative=initiative, kind="investment", date=dt.date(2026, 1, 1), amount=Decimal(10)
    )


def pk(w):
    return {"pk": w["initiative"].pk}


register(
    Case("realigning:overview", "GET", PAGE, kwargs=pk),
    Case(
        "realigning:action-add",
        "POST",
        MANAGE_POST,
        kwargs=pk,
        data=lambda w: {"kind": "process", "title": "New process", "status": "planned"},
    ),
    Case(
        "realigning:action-edit",
        "GET",
        MANAGE_GET,
        kwargs=lambda w: {"pk": w["initiative"].pk, "action_pk": w["action"].pk},
    ),
    Case(
        "realigning:action-edit",
        "POST",
        MANAGE_POST,
        kwargs=lambda w: {"pk": w["initiative"].pk, "action_pk": w["action"].pk},
        data=lambda w: {
            "kind": "measures",
            "title": "Renamed",
            "status": "planned",
            "lock_version": 1,
        },
    ),
    Case(
        "realigning:entry-add",
        "POST",
        MANAGE_POST,
        kwargs=pk,
        data=lambda w: {"kind": "investment", "date": "2026-02-01", "amount": "5"},
    ),
    Case(
        "realigning:entry-delete",
        "POST",
        MANAGE_POST,
        kwargs=lambda w: {"pk": w["initiative"].pk, "entry_pk": w["entry"].pk},
    ),
    Case(
        "realigning:control-chart",
        "GET",
        PAGE,
        kwargs=lambda w: {"pk": w["initiative"].pk, "metric_pk": w["metric"].pk},
    ),
    Case(
        "realigning:flag-status",
        "POST",
        MANAGE_POST,
        kwargs=lambda w: {"pk": w["initiative"].pk, "flag_pk": w["flag"].pk},
        data=lambda w: {"status": "acknowledged"},
    ),
    Case("realigning:flags", "GET", ANYONE_SIGNED_IN),
    # API
    Case("relapse-flag-list", "GET", API_LIST),
    Case("relapse-flag-detail", "GET", API_READ, kwargs=lambda w: {"pk": w["flag"].pk}),
    Case(
        "relapse-flag-acknowledge",
        "POST",
        API_FLAG_ACTION,
        fmt="json",
        kwargs=lambda w: {"pk": w["flag"].pk},
    ),
    Case(
        "relapse-flag-resolve",
        "POST",
        API_FLAG_ACTION,
        fmt="json",
        kwargs=lambda w: {"pk": w["flag"].pk},
        data=lambda w: {"comment": "Fixed"},
    ),
    Case(
        "relapse-flag-false-alarm",
        "POST",
        API_FLAG_ACTION,
        fmt="json",
        kwargs=lambda w: {"pk": w["flag"].pk},
        data=lambda w: {"comment": "Holiday"},
    ),
    Case("realignment-action-list", "GET", API_LIST),
    Case(
        "realignment-action-list",
        "POST",
        API_MANAGE_CREATE,
        fmt="json",
        data=lambda w: {"initiative": w["initiative"].pk, "kind": "budget", "title": "B"},
    ),
    Case("realignment-action-detail", "GET", API_READ, kwargs=lambda w: {"pk": w["action"].pk}),
    Case(
        "realignment-action-detail",
        "PATCH",
        API_MANAGE_WRITE,
        fmt="json",
        kwargs=lambda w: {"pk": w["action"].pk},
        data=lambda w: {"status": "in_progress"},
    ),
    Case(
        "realignment-action-detail",
        "DELETE",
        API_MANAGE_DELETE,
        kwargs=lambda w: {"pk": w["action"].pk},
    ),
    Case("financial-entry-list", "GET", API_LIST),
    Case(
        "financial-entry-list",
        "POST",
        API_MANAGE_CREATE,
        fmt="json",
        data=lambda w: {
            "initiative": w["initiative"].pk,
            "kind": "benefit",
            "date": "2026-03-01",
            "amount": "50",
            "supporting_metric": w["metric"].pk,
        },
    ),
    Case("financial-entry-detail", "GET", API_READ, kwargs=lambda w: {"pk": w["entry"].pk}),
    Case(
        "financial-entry-detail",
        "DELETE",
        API_MANAGE_DELETE,
        kwargs=lambda w: {"pk": w["entry"].pk},
    ),
    Case(
        "financial-entry-return",
        "GET",
        (403, 404, 200, 200, 200, 200, 200),
        data=lambda w: {"initiative": w["initiative"].pk},
    ),
)
