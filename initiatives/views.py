from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from initiatives import registry, roles, stages
from initiatives.access import MANAGE, get_initiative_for_user
from initiatives.filtersets import InitiativeFilterSet
from initiatives.forms import InitiativeForm, MembershipForm
from initiatives.locking import StaleEdit, rebase
from initiatives.models import Initiative, Membership
from initiatives.team import expertise_mix

PAGE_SIZE = 25


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


@require_GET
@login_required
def home(request):
    """Executives land on the portfolio dashboard; everyone else on the initiatives they
    work on (the dashboard is one click away for them, scoped to what they may see)."""
    if request.user.is_superuser or roles.has_role(request.user, roles.EXECUTIVE):
        return redirect("initiatives:dashboard")
    return redirect("initiatives:list")


@require_GET
@login_required
def initiative_list(request):
    visible = Initiative.objects.visible_to(request.user)
    filterset = InitiativeFilterSet(request.GET, queryset=visible)
    page = paginate(
        request,
        filterset.qs.select_related("leader", "sponsor").prefetch_related("segments"),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "initiatives/list.html",
        {
            "filterset": filterset,
            "page": page,
            "query": query.urlencode(),
            "can_create": request.user.has_perm("initiatives.add_initiative"),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def initiative_create(request):
    if not request.user.has_perm("initiatives.add_initiative"):
        raise PermissionDenied("Only change leaders create initiatives.")
    form = InitiativeForm(request.POST or None, initial={"leader": request.user})
    if request.method == "POST" and form.is_valid():
        initiative = form.save()
        messages.success(request, "Initiative created. Next: write its charter.")
        return redirect(initiative)
    return render(request, "initiatives/form.html", {"form": form, "initiative": None})


@require_GET
@login_required
def initiative_detail(request, pk: int):
    initiative = get_initiative_for_user(request.user, pk)
    members = initiative.memberships.select_related("user", "department")
    return render(
        request,
        "initiatives/detail.html",
        {
            "initiative": initiative,
            "progress": registry.progress_for([initiative])[initiative.pk],
            "blockers": stages.blockers(initiative),
            "members": members,
            "mix": expertise_mix(members),
            "can_manage": request.user.has_perm(MANAGE, initiative),
            "history": initiative.history.select_related("history_user")[:10],
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def initiative_edit(request, pk: int):
    initiative = get_initiative_for_user(request.user, pk, MANAGE)
    form = InitiativeForm(request.POST or None, instance=initiative)
    if request.method == "POST" and form.is_valid():
        try:
            form.save()
        except StaleEdit:
            form = rebase(form, Initiative.objects.get(pk=pk))
        else:
            messages.success(request, "Initiative saved.")
            return redirect(initiative)
    return render(request, "initiatives/form.html", {"form": form, "initiative": initiative})


@require_GET
@login_required
def initiative_history(request, pk: int):
    initiative = get_initiative_for_user(request.user, pk)
    records = initiative.history.select_related("history_user")
    return render(
        request,
        "initiatives/history.html",
        {"initiative": initiative, "page": paginate(request, records)},
    )


@require_http_methods(["GET", "POST"])
@login_required
def team(request, pk: int):
    initiative = get_initiative_for_user(request.user, pk)
    can_manage = request.user.has_perm(MANAGE, initiative)
    form = MembershipForm(request.POST or None, initiative=initiative)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            form.save()
            messages.success(request, f"{form.instance.user} joined the team.")
            return redirect("initiatives:team", pk=pk)
    members = initiative.memberships.select_related("user", "department")
    return render(
        request,
        "initiatives/team.html",
        {
            "initiative": initiative,
            "members": members,
            "mix": expertise_mix(members),
            "form": form,
            "can_manage": can_manage,
        },
    )


@require_POST
@login_required
def team_remove(request, pk: int, membership_pk: int):
    initiative = get_initiative_for_user(request.user, pk, MANAGE)
    membership = get_object_or_404(Membership, pk=membership_pk, initiative=initiative)
    membership.delete()
    messages.success(request, f"{membership.user} left the team.")
    return redirect("initiatives:team", pk=pk)


@require_POST
@login_required
@transaction.atomic
def stage_advance(request, pk: int):
    initiative = get_initiative_for_user(request.user, pk, MANAGE)
    try:
        stages.advance(initiative)
    except stages.StageBlocked as blocked:
        messages.error(request, "Cannot move on yet: " + "; ".join(blocked.missing))
    else:
        messages.success(request, f"The initiative moved to {initiative.get_stage_display()}.")
    return redirect(initiative)


@require_POST
@login_required
def stage_close(request, pk: int):
    initiative = get_initiative_for_user(request.user, pk, MANAGE)
    stages.close(initiative)
    messages.success(request, "The initiative is closed.")
    return redirect(initiative)
