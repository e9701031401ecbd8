"""Chartering on the executive dashboard: the unapproved-charter health rule and the cockpit.

Registered with `initiatives.registry.register_dashboard` in `CharteringConfig.ready()`.

Health rules:
- amber: in chartering, the charter is missing or still waits for the sponsor's approval;
- red: past chartering without an approved current charter (a revised charter that the
  sponsor has not approved again, or none at all): the team works without support from
  the top.
"""

import datetime as dt

from django.urls import reverse

from chartering.models import Charter, CharterStatus, ScopeKind
from initiatives.models import PROCESS_STAGES, Initiative, Stage
from initiatives.registry import (
    AMBER,
    RED,
    DashboardProvider,
    DashboardScope,
    HealthReason,
    url_maker,
)


def health(scope: DashboardScope) -> dict[int, list[HealthReason]]:
    # Query 1: the stage of each initiative still in the four processes.
    stages = dict(
        Initiative.objects.filter(pk__in=scope.in_sql, stage__in=PROCESS_STAGES)
        .order_by()
        .values_list("pk", "stage")
    )
    # Query 2: the current charter of each of them.
    charters = {
        c["initiative_id"]: c
        for c in Charter.objects.current()
        .filter(initiative__in=scope.in_sql, initiative__stage__in=PROCESS_STAGES)
        .order_by("initiative_id", "version")
        .values("initiative_id", "status", "version", "created_at")
    }
    charter_url = url_maker("chartering:charter")
    result: dict[int, list[HealthReason]] = {}
    for pk, stage in stages.items():
        charter = charters.get(pk)
        if charter and charter["status"] == CharterStatus.APPROVED:
            continue
        url = charter_url(pk)
        if charter is None:
            text = "No charter yet: nobody has written down the problem and the scope."
        else:
            days = (scope.today - charter["created_at"].date()).days
            text = (
                f"Charter version {charter['version']} waits for the sponsor's approval "
                f"(drafted {days} day{'' if days == 1 else 's'} ago)."
            )
        if stage == Stage.CHARTERING:
            result[pk] = [HealthReason(AMBER, text, url)]
        else:
            result[pk] = [
                HealthReason(RED, "Past chartering without an approved charter. " + text, url)
            ]
    return result


def cockpit(initiative, today: dt.date) -> dict:
    """The charter's problem and scope, for the one-page cockpit: 2 queries."""
    charter = (
        Charter.objects.current()
        .filter(initiative=initiative)
        .select_related("approved_by")
        .order_by("-version")
        .first()
    )
    if charter is None:
        return {"charter": None, "charter_url": reverse("chartering:charter", args=[initiative.pk])}
    items = list(charter.scope_items.all())
    events = [(charter.created_at, f"Charter version {charter.version} drafted")]
    if charter.approved_at:
        who = charter.approved_by.get_full_name() or charter.approved_by.username
        events.append((charter.approved_at, f"Charter version {charter.version} approved by {who}"))
    return {
        "charter": {
            "version": charter.version,
            "status": charter.status,
            "status_label": charter.get_status_display(),
            "approved": charter.is_approved,
            "problem_area": charter.problem_area,
            "priorities": charter.priority_list,
            "scope_in": [i.text for i in items if i.kind == ScopeKind.IN],
            "scope_out": [i.text for i in items if i.kind == ScopeKind.OUT],
        },
        "charter_url": reverse("chartering:charter", args=[initiative.pk]),
        "events": events,
    }


PROVIDER = DashboardProvider(health=health, cockpit=cockpit)
