from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms.models import construct_instance
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chartering import approval
from chartering.forms import CharterForm, DeliverableForm, RaciForm, ScopeItemForm
from chartering.models import Charter, RaciAssignment, RaciRole, ScopeItem
from initiatives.access import APPROVE, MANAGE, get_initiative_for_user
from initiatives.locking import StaleEdit, rebase
from initiatives.team import expertise_mix


def _raci_matrix(charter: Charter, members):
    """Rows of (deliverable, [(user, role), ...]) in team order, with a missing-A flag."""
    cells = {
        (a.deliverable_id, a.user_id): a.role
        for a in RaciAssignment.objects.filter(deliverable__charter=charter)
    }
    rows = []
    for deliverable in charter.deliverables.all():
        roles = [(m.user, cells.get((deliverable.pk, m.user_id), "")) for m in members]
        accountable = sum(1 for _, role in roles if role == RaciRole.ACCOUNTABLE)
        rows.append({"deliverable": deliverable, "cells": roles, "accountable": accountable})
    return rows


def _charter_context(request, initiative, charter):
    members = list(initiative.memberships.select_related("user", "department"))
    return {
        "initiative": initiative,
        "charter": charter,
        "members": members,
        "mix": expertise_mix(members),
        "raci": _raci_matrix(charter, members) if charter else [],
        "raci_roles": RaciRole.choices,
        "versions": initiative.charters.select_related("approved_by").order_by("-version"),
        "can_manage": request.user.has_perm(MANAGE, initiative),
        "can_approve": request.user.has_perm(APPROVE, initiative),
        "scope_form": ScopeItemForm(),
    }


@require_GET
@login_required
def charter_detail(request, pk: int):
    initiative = get_initiative_for_user(request.user, pk)
    charter = approval.current_charter(initiative)
    return render(
        request, "chartering/charter.html", _charter_context(request, initiative, charter)
    )


@require_GET
@login_required
def charter_version(request, pk: int, version: int):
    initiative = get_initiative_for_user(request.user, pk)
    charter = get_object_or_404(initiative.charters, version=version)
    context = _charter_context(request, initiative, charter)
    context["is_old_version"] = charter.status == "superseded"
    return render(request, "chartering/charter.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def charter_edit(request, pk: int):
    initiative = get_initiative_for_user(request.user, pk, MANAGE)
    charter = approval.current_charter(initiative) or Charter(
        initiative=initiative, created_by=request.user, problem_area=initiative.problem
    )
    form = CharterForm(request.POST or None, instance=charter)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                _save_charter(form, charter, request.user)
        except StaleEdit:
            form = rebase(form, approval.current_charter(initiative))
        else:
            messages.success(
                request,
                "Charter saved."
                + (" It needs the sponsor's approval again." if charter.is_approved else ""),
            )
            return redirect("chartering:charter", pk=pk)
    return render(
        request,
        "chartering/charter_form.html",
        {"initiative": initiative, "form": form, "charter": charter},
    )


def _save_charter(form: CharterForm, charter: Charter, user) -> None:
    if not charter.is_approved:
        form.save()
        return
    # Editing an approved charter: check the lock against what was read, then a new draft.
    if form.cleaned_data.get("lock_version") not in (None, charter.lock_version):
        raise StaleEdit
    draft = approval.editable_charter(charter, user)
    construct_instance(form, draft, fields=form._meta.fields)
    draft.save()


def _draft_for_edit(request, pk: int) -> Charter:
    initiative = get_initiative_for_user(request.user, pk, MANAGE)
    charter = approval.current_charter(initiative)
    if charter is None:
        raise Http404("Write the charter first.")
    return approval.editable_charter(charter, request.user)


@require_POST
@login_required
@transaction.atomic
def scope_add(request, pk: int):
    charter = _draft_for_edit(request, pk)
    form = ScopeItemForm(request.POST)
    if form.is_valid():
        form.instance.charter = charter
        form.save()
    else:
        messages.error(
            request,
            "Scope item not added: "
            + "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()),
        )
    return redirect("chartering:charter", pk=pk)


@require_POST
@login_required
@transaction.atomic
def scope_remove(request, pk: int, item_pk: int):
    charter = _draft_for_edit(request, pk)
    # After a new version was made, the item lives on as its copy in the draft.
    old = get_object_or_404(ScopeItem, pk=item_pk, charter__initiative_id=pk)
    item = charter.scope_items.filter(kind=old.kind, text=old.text).first()
    if item is not None:
        item.delete()
    return redirect("chartering:charter", pk=pk)


@require_POST
@login_required
@transaction.atomic
def deliverable_add(request, pk: int):
    charter = _draft_for_edit(request, pk)
    form = DeliverableForm(request.POST, charter=charter)
    if form.is_valid():
        form.instance.charter = charter
        form.save()
    else:
        messages.error(request, "Deliverable not added: " + " ".join(form.errors.get("name", [])))
    return redirect("chartering:charter", pk=pk)


@require_POST
@login_required
@transaction.atomic
def raci_set(request, pk: int):
    charter = _draft_for_edit(request, pk)
    form = RaciForm(request.POST, charter=charter)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("chartering:charter", pk=pk)
    deliverable, user, role = (form.cleaned_data[k] for k in ("deliverable", "user", "role"))
    if role:
        RaciAssignment.objects.update_or_create(
            deliverable=deliverable, user=user, defaults={"role": role}
        )
    else:
        RaciAssignment.objects.filter(deliverable=deliverable, user=user).delete()
    return redirect("chartering:charter", pk=pk)


@require_POST
@login_required
def charter_approve(request, pk: int):
    initiative = get_initiative_for_user(request.user, pk)
    charter = approval.current_charter(initiative)
    if charter is None:
        raise Http404("There is no charter to approve yet.")
    try:
        approval.approve(charter, request.user)
    except PermissionDenied:
        raise
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Charter version {charter.version} approved.")
    return redirect("chartering:charter", pk=pk)
