"""The portfolio at a glance: the figures of the executive dashboard and the board report.

The hub owns the stage funnel and the health table; the figures that belong to a process
(relapse flags, financial return, NPS, importance-performance) come from the providers that
each process app registers (`registry.register_dashboard`). Everything is computed for the
initiatives the user may see (`Initiative.objects.visible_to`), after the filters, in a
fixed number of queries whatever the size of the portfolio, then cached per portfolio
version (`dashboard_cache`): a warm dashboard costs no query beyond the session's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Count, Min, Q
from django.utils import timezone

from initiatives import dashboard_cache, registry, roles
from initiatives.models import CustomerSegment, Department, Initiative, Stage

FUNNEL_STAGES = [
    Stage.CHARTERING,
    Stage.LEARNING,
    Stage.MOBILIZING,
    Stage.REALIGNING,
    Stage.SUSTAINED,
]
# Days in a stage after which an initiative counts as stuck there (the research: programmes
# stall between the pilot and the scale-up, so mobilizing gets the longest leash but no more).
STUCK_DAYS = {
    Stage.CHARTERING: 60,
    Stage.LEARNING: 120,
    Stage.MOBILIZING: 150,
    Stage.REALIGNING: 180,
}
STUCK_SHOWN = 5
HEALTH_PAGE = 25
LEVEL_LABEL = {registry.GREEN: "Green", registry.AMBER: "Amber", registry.RED: "Red"}
LEVEL_BADGE = {registry.GREEN: "ok", registry.AMBER: "warn", registry.RED: "bad"}


class DashboardFilters(forms.Form):
    """Segment, department, sponsor and stage: kept in the URL so a view can be shared."""

    segment_id = forms.TypedChoiceField(
        label="Segment", required=False, coerce=int, empty_value=None
    )
    department_id = forms.TypedChoiceField(
        label="Department", required=False, coerce=int, empty_value=None
    )
    sponsor_id = forms.TypedChoiceField(
        label="Sponsor", required=False, coerce=int, empty_value=None
    )
    stage = forms.ChoiceField(label="Stage", required=False)

    def __init__(self, data, choices: dict):
        super().__init__(data)
        any_ = [("", "All")]
        self.fields["segment_id"].choices = any_ + choices["segments"]
        self.fields["department_id"].choices = any_ + choices["departments"]
        self.fields["sponsor_id"].choices = any_ + choices["sponsors"]
        self.fields["stage"].choices = any_ + list(Stage.choices)

    def values(self) -> dict:
        """The valid filters; a bad value is ignored (and shown as an error on the form)."""
        self.is_valid()
        clean = getattr(self, "cleaned_data", {})
        return {
            name: clean[name]
            for name in ("segment_id", "department_id", "sponsor_id", "stage")
            if name not in self.errors and clean.get(name) not in (None, "")
        }


def scope_key(user) -> str:
    """Everyone who sees the whole portfolio shares one cache entry; others have their own."""
    if user.is_superuser or roles.has_role(user, roles.EXECUTIVE):
        return "all"
    return f"user:{user.pk}"


def filter_choices(user) -> dict:
    """The filters' options: every segment and department, the sponsors of what one sees."""

    def compute():
        visible = Initiative.objects.visible_to(user)
        sponsors = (
            get_user_model()
            .objects.filter(sponsored_initiatives__in=visible)
            .distinct()
            .order_by("first_name", "last_name", "username")
        )
        return {
            "segments": list(CustomerSegment.objects.values_list("pk", "name")),
            "departments": list(Department.objects.values_list("pk", "name")),
            "sponsors": [(u.pk, u.get_full_name() or u.username) for u in sponsors],
        }

    return dashboard_cache.cached(("choices", scope_key(user)), compute)


def filtered(user, values: dict):
    qs = Initiative.objects.visible_to(user)
    if "stage" in values:
        qs = qs.filter(stage=values["stage"])
    if "sponsor_id" in values:
        qs = qs.filter(sponsor_id=values["sponsor_id"])
    if "segment_id" in values:
        qs = qs.filter(segments=values["segment_id"])
    if "department_id" in values:
        qs = qs.filter(departments=values["department_id"])
    return qs.distinct() if ("segment_id" in values or "department_id" in values) else qs


@dataclass
class Portfolio:
    today: dt.date
    count: int
    funnel: list[dict]
    closed: int
    stuck: list[dict]
    health_counts: dict[str, int]
    rows: list[dict]  # one per initiative: health first, then the longest in its stage
    panels: dict
    providers: set[str]  # the stages with a registered dashboard provider


def _days(since: dt.datetime, now: dt.datetime) -> int:
    return max((now - since).days, 0)


def compute(user, values: dict, today: dt.date) -> Portfolio:
    now = timezone.now()
    qs = filtered(user, values)
    # Query 1: the initiatives in view, with what the health table shows.
    initiatives = list(
        qs.order_by()
        .values(
            "pk",
            "title",
            "stage",
            "stage_changed_at",
            "sponsor__first_name",
            "sponsor__last_name",
            "sponsor__username",
        )
        .order_by("pk")
    )
    ids = [i["pk"] for i in initiatives]
    # Query 2: the funnel, counted by the database (how many, the longest, how many stuck).
    stuck_q = Q()
    for stage, days in STUCK_DAYS.items():
        stuck_q |= Q(stage=stage, stage_changed_at__lt=now - dt.timedelta(days=days))
    id_query = qs.order_by().values("pk")
    by_stage = (
        {
            row["stage"]: row
            for row in Initiative.objects.filter(pk__in=id_query)
            .values("stage")
            .annotate(
                n=Count("id"), oldest=Min("stage_changed_at"), stuck=Count("id", filter=stuck_q)
            )
            .order_by()
        }
        if ids
        else {}
    )
    funnel = []
    for stage in FUNNEL_STAGES:
        row = by_stage.get(stage, {})
        funnel.append(
            {
                "stage": stage.value,
                "label": stage.label,
                "count": row.get("n", 0),
                "longest_days": _days(row["oldest"], now) if row.get("oldest") else None,
                "stuck": row.get("stuck", 0),
                "stuck_after": STUCK_DAYS.get(stage),
            }
        )
    scope = registry.DashboardScope(
        initiative_ids=ids,
        user=user,
        today=today,
        segment_id=values.get("segment_id"),
        id_query=id_query,
    )
    health = registry.health_for(scope)
    rows = []
    for i in initiatives:
        reasons = health.get(i["pk"], [])
        level = registry.health_level(reasons)
        days = _days(i["stage_changed_at"], now)
        limit = STUCK_DAYS.get(i["stage"])
        rows.append(
            {
                "id": i["pk"],
                "title": i["title"],
                "stage": i["stage"],
                "stage_label": Stage(i["stage"]).label,
                "days_in_stage": days,
                "stuck": limit is not None and days > limit,
                "sponsor": f"{i['sponsor__first_name']} {i['sponsor__last_name']}".strip()
                or i["sponsor__username"],
                "level": level,
                "level_label": LEVEL_LABEL[level],
                "badge": LEVEL_BADGE[level],
                "reasons": [{"level": r.level, "text": r.text, "url": r.url} for r in reasons],
            }
        )
    rows.sort(key=lambda r: (-registry.HEALTH_RANK[r["level"]], -r["days_in_stage"], r["id"]))
    stuck = sorted((r for r in rows if r["stuck"]), key=lambda r: -r["days_in_stage"])
    counts = dict.fromkeys((registry.RED, registry.AMBER, registry.GREEN), 0)
    for r in rows:
        counts[r["level"]] += 1
    return Portfolio(
        today=today,
        count=len(rows),
        funnel=funnel,
        closed=by_stage.get(Stage.CLOSED, {}).get("n", 0),
        stuck=stuck[:STUCK_SHOWN],
        health_counts=counts,
        rows=rows,
        panels=registry.portfolio_panels(scope),
        providers={stage for stage, _ in registry.dashboard_providers()},
    )


def portfolio_for(user, values: dict, today: dt.date | None = None) -> Portfolio:
    """The portfolio figures for this user and these filters, from the cache when fresh."""
    today = today or timezone.localdate()
    parts = ("portfolio", scope_key(user), sorted(values.items()), today.isoformat())
    return dashboard_cache.cached(parts, lambda: compute(user, values, today))


# --- Chart data: what the charts draw, for json_script and for the report's SVG ----------------


def chart_data(p: Portfolio) -> dict:
    finance = p.panels.get("finance") or {}
    nps = p.panels.get("nps") or {}
    ipa = p.panels.get("ipa") or {}
    top = (finance.get("rows") or [])[: finance.get("shown", 10)]
    return {
        "funnel": {
            "labels": [f["label"] for f in p.funnel],
            "counts": [f["count"] for f in p.funnel],
            "stuck": [f["stuck"] for f in p.funnel],
        },
        "health": {
            "labels": [LEVEL_LABEL[k] for k in p.health_counts],
            "counts": list(p.health_counts.values()),
        },
        "finance": {
            "labels": [r["initiative"] for r in top],
            "investment": [float(r["investment"]) for r in top],
            "counted": [float(r["counted"]) for r in top],
            "withheld": [float(r["withheld"]) for r in top],
        },
        "nps": {
            "labels": [m.strftime("%b %Y") for m in nps.get("months", [])],
            "series": [{"label": s["name"], "data": s["series"]} for s in nps.get("segments", [])],
        },
        "ipa": (ipa or {}).get("chart") or {},
    }


# --- CSV: every chart's data as a table -----------------------------------------------------------

CSV_PANELS = ("funnel", "health", "flags", "finance", "nps", "ipa")


def csv_table(p: Portfolio, panel: str) -> tuple[list[str], list[list]]:
    """(header, rows) of one chart or list of the dashboard."""
    if panel == "funnel":
        return (
            ["stage", "initiatives", "longest in stage (days)", "stuck", "stuck after (days)"],
            [
                [f["label"], f["count"], f["longest_days"], f["stuck"], f["stuck_after"]]
                for f in p.funnel
            ],
        )
    if panel == "health":
        return (
            ["initiative id", "initiative", "stage", "days in stage", "sponsor", "health", "why"],
            [
                [
                    r["id"],
                    r["title"],
                    r["stage_label"],
                    r["days_in_stage"],
                    r["sponsor"],
                    r["level_label"],
                    " | ".join(x["text"] for x in r["reasons"]),
                ]
                for r in p.rows
            ],
        )
    if panel == "flags":
        flags = (p.panels.get("relapse_flags") or {}).get("flags", [])
        return (
            ["fired on", "severity", "status", "initiative", "KPI", "sliding since", "rule"],
            [
                [
                    f["fired_on"],
                    f["severity_label"],
                    f["status_label"],
                    f["initiative"],
                    f["metric"],
                    f["slide_began"],
                    f["rule"],
                ]
                for f in flags
            ],
        )
    if panel == "finance":
        fin = p.panels.get("finance") or {"rows": [], "total": None}
        rows = [
            [
                r["initiative"],
                r["investment"],
                r["claimed"],
                r["counted"],
                r["withheld"],
                r["roi_percent"],
                r["payback"] or "",
            ]
            for r in fin["rows"]
        ]
        if fin.get("total"):
            t = fin["total"]
            rows.append(
                [
                    "Portfolio",
                    t["investment"],
                    t["claimed"],
                    t["counted"],
                    t["withheld"],
                    t["roi_percent"],
                    t["payback"].strftime("%Y-%m") if t["payback"] else "",
                ]
            )
        return (
            [
                "initiative",
                "investment",
                "benefit claimed",
                "benefit counted (held)",
                "withheld (relapsed or unsupported)",
                "ROI %",
                "payback",
            ],
            rows,
        )
    if panel == "nps":
        nps = p.panels.get("nps") or {"months": [], "segments": []}
        header = ["segment", "month", "responses", "NPS"]
        rows = [
            [s["name"], m.strftime("%Y-%m"), n, score]
            for s in nps["segments"]
            for m, n, score in zip(nps["months"], s["counts"], s["series"], strict=True)
            if n
        ]
        return header, rows
    if panel == "ipa":
        ipa = p.panels.get("ipa") or {}
        points = (ipa.get("chart") or {}).get("points", [])
        labels = ipa.get("quadrant_labels", {})
        return (
            ["statement", "importance", "performance", "quadrant"],
            [[pt["label"], pt["y"], pt["x"], labels.get(pt["quadrant"], "")] for pt in points],
        )
    raise KeyError(panel)


def describe(values: dict, choices: dict) -> list[str]:
    """The filters in words, for the report's heading: ["Segment: Premium", ...]."""
    names = {
        "segment_id": ("Segment", dict(choices["segments"])),
        "department_id": ("Department", dict(choices["departments"])),
        "sponsor_id": ("Sponsor", dict(choices["sponsors"])),
        "stage": ("Stage", dict(Stage.choices)),
    }
    return [
        f"{names[k][0]}: {names[k][1].get(v, v)}" for k, v in sorted(values.items()) if k in names
    ]
