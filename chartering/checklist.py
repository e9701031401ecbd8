"""The chartering checklist that gates the move to learning, for many initiatives at once."""

from django.db.models import Count, Q

from chartering.models import Charter, ScopeKind
from initiatives.models import Membership
from initiatives.registry import ChecklistItem


def charter_checklist(initiatives) -> dict[int, list[ChecklistItem]]:
    ids = [i.pk for i in initiatives]
    # Query 1: each current charter with its counts.
    charters = {
        c.initiative_id: c
        for c in Charter.objects.current()
        .filter(initiative_id__in=ids)
        .annotate(
            n_in=Count("scope_items", filter=Q(scope_items__kind=ScopeKind.IN), distinct=True),
            n_out=Count("scope_items", filter=Q(scope_items__kind=ScopeKind.OUT), distinct=True),
            n_deliverables=Count("deliverables", distinct=True),
            n_accountable=Count(
                "deliverables__raci", filter=Q(deliverables__raci__role="A"), distinct=True
            ),
        )
    }
    # Query 2: team sizes.
    team = dict(
        Membership.objects.filter(initiative_id__in=ids)
        .values("initiative_id")
        .annotate(n=Count("id"))
        .values_list("initiative_id", "n")
    )
    result = {}
    for pk in ids:
        c = charters.get(pk)
        result[pk] = [
            ChecklistItem("Charter approved by the sponsor", bool(c and c.is_approved)),
            ChecklistItem(
                "Scope in and out stated",
                bool(c and c.n_in and c.n_out),
                "Name what the initiative tackles and, explicitly, what it will not.",
            ),
            ChecklistItem(
                "A team with one accountable per deliverable",
                bool(
                    c and team.get(pk) and c.n_deliverables and c.n_accountable == c.n_deliverables
                ),
            ),
            ChecklistItem("Ground rules agreed", bool(c and c.ground_rule_list)),
        ]
    return result
