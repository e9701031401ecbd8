"""Pages of the executive dashboard: the portfolio, its CSVs, the board report, the cockpit."""

import csv

import rules
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from initiatives import charts, dashboard_cache
from initiatives.access import get_initiative_for_user
from initiatives.cockpit import cockpit_for
from initiatives.csv_safety import safe_row
from initiatives.dashboard import (
    CSV_PANELS,
    HEALTH_PAGE,
    DashboardFilters,
    chart_data,
    csv_table,
    describe,
    filter_choices,
    portfolio_for,
    scope_key,
)

FILTER_NAMES = ("segment_id", "department_id", "sponsor_id", "stage")


def _cached_body(request, parts: tuple, template: str, make_context) -> tuple[str, dict]:
    """The page's body as HTML, rendered once per portfolio version and these parts.

    Rendering a big template costs more than computing cached figures, so the HTML is
    cached too. The body holds no CSRF token and nothing personal beyond `parts`; the
    page around it (base.html: navigation, messages, the token) is rendered every time.
    Returns (html, context): the context only when it was rendered now.
    """
    key = dashboard_cache.key(dashboard_cache.version(), "html", template, *parts)
    html = cache.get(key)
    if html is not None:
        return mark_safe(html), {}  # noqa: S308 - our template's output  # nosec
    context = make_context()
    html = render_to_string(template, context, request)
    cache.set(key, html, dashboard_cache.CACHE_SECONDS)
    return mark_safe(html), context  # noqa: S308 - our template's output  # nosec


def _request_parts(request) -> tuple:
    """What of the query string shapes the page: the filters and the page number."""
    return tuple(
        (name, request.GET.get(name, "")) for name in (*FILTER_NAMES, "page") if name in request.GET
    )


def _filters(request):
    form = DashboardFilters(request.GET or None, filter_choices(request.user))
    values = form.values() if request.GET else {}
    query = "&".join(f"{k}={v}" for k, v in sorted(values.items()))
    return form, values, query


@require_GET
@login_required
def dashboard(request):
    def context():
        form, values, query = _filters(request)
        p = portfolio_for(request.user, values)
        return {
            "p": p,
            "form": form,
            "filters": values,
            "query": query,
            "page": Paginator(p.rows, HEALTH_PAGE).get_page(request.GET.get("page")),
            "charts": chart_data(p),
            "flags": p.panels.get("relapse_flags"),
            "finance": p.panels.get("finance"),
            "nps": p.panels.get("nps"),
            "ipa": p.panels.get("ipa"),
            "can_create": can_create,
        }

    # The empty state's link; asked of the rules alone (ModelBackend would cost 2 queries).
    can_create = rules.has_perm("initiatives.add_initiative", request.user)
    parts = (scope_key(request.user), can_create, timezone.localdate(), _request_parts(request))
    body, ctx = _cached_body(request, parts, "initiatives/_dashboard_body.html", context)
    return render(request, "initiatives/dashboard.html", {"body": body, **ctx})


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
        writer.writerow(safe_row(row))
    return response


@require_GET
@login_required
def report(request):
    """The monthly board report: the dashboard's figures with charts drawn on the server,
    laid out for A4 by static/css/print.css; the browser saves it as a PDF."""
    today = timezone.localdate()
    # The report names its reader, so its body is cached per user.
    parts = (scope_key(request.user), request.user.pk, today, _request_parts(request))
    body, ctx = _cached_body(
        request, parts, "initiatives/_report_body.html", lambda: _report_context(request)
    )
    return render(
        request, "initiatives/report.html", {"body": body, "month": today.replace(day=1), **ctx}
    )


def _report_context(request) -> dict:
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
    return {
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
    }


@require_GET
@login_required
def cockpit(request, pk: int):
    initiative = get_initiative_for_user(request.user, pk)  # outsiders: 404

    def context():
        data = cockpit_for(initiative)
        return {"initiative": initiative, **data, **data["sections"]}

    # The cockpit is the same for everyone who may see the initiative.
    parts = (initiative.pk, timezone.localdate())
    body, ctx = _cached_body(request, parts, "initiatives/_cockpit_body.html", context)
    return render(
        request, "initiatives/cockpit.html", {"initiative": initiative, "body": body, **ctx}
    )
