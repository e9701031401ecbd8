"""Pages of the executive dashboard: the portfolio, its CSVs, the board report, the cockpit."""

import csv

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from initiatives import charts
from initiatives.access import get_initiative_for_user
from initiatives.cockpit import cockpit_for
from initiatives.dashboard import (
    CSV_PANELS,
    HEALTH_PAGE,
    DashboardFilters,
    chart_data,
    csv_table,
    describe,
    filter_choices,
    portfolio_for,
)

FILTER_NAMES = ("segment_id", "department_id", "sponsor_id", "stage")


def _filters(request):
    form = DashboardFilters(request.GET or None, filter_choices(request.user))
    values = form.values() if request.GET else {}
    query = "&".join(f"{k}={v}" for k, v in sorted(values.items()))
    return form, values, query


@require_GET
@login_required
def dashboard(request):
    form, values, query = _filters(request)
    p = portfolio_for(request.user, values)
    page = Paginator(p.rows, HEALTH_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "initiatives/dashboard.html",
        {
            "p": p,
            "form": form,
            "filters": values,
            "query": query,
            "page": page,
            "charts": chart_data(p),
            "flags": p.panels.get("relapse_flags"),
            "finance": p.panels.get("finance"),
            "nps": p.panels.get("nps"),
            "ipa": p.panels.get("ipa"),
        },
    )


def _safe_cell(value) -> str:
    """No spreadsheet formula injection: a cell that starts like a formula is quoted."""
    text = "" if value is None else str(value)
    return (
        "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _number(text) else text
    )


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@require_GET
@login_required
def dashboard_csv(request, panel: str):
    if panel not in CSV_PANELS:
        raise Http404("No such chart.")
    _, values, _ = _filters(request)
    p = portfolio_for(request.user, values)
    header, rows = csv_table(p, panel)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="holdfast-{panel}-{stamp}.csv"'
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_safe_cell(c) for c in row])
    return response


@require_GET
@login_required
def report(request):
    """The monthly board report: the dashboard's figures with charts drawn on the server,
    laid out for A4 by static/css/print.css; the browser saves it as a PDF."""
    form, values, query = _filters(request)
    p = portfolio_for(request.user, values)
    data = chart_data(p)
    finance = p.panels.get("finance")
    nps = p.panels.get("nps")
    ipa = p.panels.get("ipa")
    svg = {
        "funnel": charts.bars(
            data["funnel"]["labels"],
            [("Initiatives", data["funnel"]["counts"]), ("Stuck", data["funnel"]["stuck"])],
            title="The stage funnel",
            label_width=110,
        ),
        "finance": charts.bars(
            data["finance"]["labels"],
            [
                ("Investment", data["finance"]["investment"]),
                ("Benefit that held", data["finance"]["counted"]),
            ],
            title="Investment against the benefit that held",
            colors=[charts.PALETTE[0], charts.PALETTE[2]],
        )
        if finance
        else None,
        "nps": charts.lines(
            data["nps"]["labels"],
            [(s["label"], s["data"]) for s in data["nps"]["series"]],
            title="NPS per segment and month",
        )
        if nps
        else None,
        "ipa": charts.scatter(
            data["ipa"].get("points", []),
            title="Importance against performance",
            scale=data["ipa"].get("scale", 7),
            grand_x=data["ipa"].get("grand_performance"),
            grand_y=data["ipa"].get("grand_importance"),
        )
        if ipa and ipa.get("survey")
        else None,
    }
    return render(
        request,
        "initiatives/report.html",
        {
            "p": p,
            "form": form,
            "filters": values,
            "query": query,
            "month": p.today.replace(day=1),
            "filter_labels": describe(values, filter_choices(request.user)),
            "svg": svg,
            "flags": p.panels.get("relapse_flags"),
            "finance": finance,
            "nps": nps,
            "ipa": ipa,
            "at_risk": [r for r in p.rows if r["level"] != "green"][:15],
        },
    )


@require_GET
@login_required
def cockpit(request, pk: int):
    initiative = get_initiative_for_user(request.user, pk)
    data = cockpit_for(initiative)
    return render(
        request, "initiatives/cockpit.html", {"initiative": initiative, **data, **data["sections"]}
    )
