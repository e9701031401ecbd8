from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from initiatives import registry
from initiatives.access import MANAGE, get_initiative_for_user
from initiatives.locking import StaleEdit, rebase
from initiatives.views import paginate
from learning.models import Metric
from realigning import finance, flags
from realigning.control_chart import control_chart_data
from realigning.forms import FinancialEntryForm, FlagStatusForm, RealignmentActionForm
from realigning.models import FinancialEntry, RealignmentAction, RelapseFlag


@require_GET
@login_required
def overview(request, pk: int):
    initiative = get_initiative_for_user(request.user, pk)
    can_manage = request.user.has_perm(MANAGE, initiative)
    progress = registry.progress_for([initiative])[initiative.pk]
    return render(
        request,
        "realigning/overview.html",
        {
            "initiative": initiative,
            "checklist": next(p for p in progress if p.stage == "realigning"),
            "actions": initiative.realignment_actions.select_related("owner"),
            "entries": initiative.financial_entries.select_related("supporting_metric"),
            "return": finance.returns_for([initiative.pk])[initiative.pk],
            "flags": RelapseFlag.objects.filter(metric__initiative=initiative).select_related(
                "metric", "status_by"
            )[:50],
            "can_manage": can_manage,
            "action_form": RealignmentActionForm(initiative=initiative) if can_manage else None,
            "entry_form": FinancialEntryForm(initiative=initiative) if can_manage else None,
        },
    )


@require_POST
@login_required
def action_add(request, pk: int):
    initiative = get_initiative_for_user(request.user, pk, MANAGE)
    form = RealignmentActionForm(request.POST, initiative=initiative)
    if form.is_valid():
        form.save()
        messages.success(request, "Realignment action added.")
        return redirect("realigning:overview", pk=pk)
    return render(request, "realigning/action_form.html", {"initiative": initiative, "form": form})


@require_http_methods(["GET", "POST"])
@login_required
def action_edit(request, pk: int, action_pk: int):
    initiative = get_initiative_for_user(request.user, pk, MANAGE)
    action = get_object_or_404(RealignmentAction, pk=action_pk, initiative=initiative)
    form = RealignmentActionForm(request.POST or None, instance=action, initiative=initiative)
    if request.method == "POST" and form.is_valid():
        try:
            form.save()
        except StaleEdit:
            form = rebase(form, RealignmentAction.objects.get(pk=action.pk))
        else:
            messages.success(request, "Action saved.")
            return redirect("realigning:overview", pk=pk)
    return render(request, "realigning/action_form.html", {"initiative": initiative, "form": form})


@require_POST
@login_required
def entry_add(request, pk: int):
    initiative = get_initiative_for_user(request.user, pk, MANAGE)
    form = FinancialEntryForm(request.POST, initiative=initiative)
    if form.is_valid():
        form.save()
        messages.success(request, "Entry added.")
    else:
        for field, errors in form.errors.items():
            messages.error(request, f"{field}: {' '.join(errors)}")
    return redirect("realigning:overview", pk=pk)


@require_POST
@login_required
def entry_delete(request, pk: int, entry_pk: int):
    initiative = get_initiative_for_user(request.user, pk, MANAGE)
    get_object_or_404(FinancialEntry, pk=entry_pk, initiative=initiative).delete()
    messages.success(request, "Entry removed.")
    return redirect("realigning:overview", pk=pk)


@require_GET
@login_required
def control_chart(request, pk: int, metric_pk: int):
    initiative = get_initiative_for_user(request.user, pk)
    metric = get_object_or_404(
        Metric.objects.select_related("watch"), pk=metric_pk, initiative=initiative
    )
    metric_flags = metric.relapse_flags.select_related("status_by")
    return render(
        request,
        "realigning/control_chart.html",
        {
            "initiative": initiative,
            "metric": metric,
            "chart": control_chart_data(metric, metric_flags),
            "flags": metric_flags,
            "can_manage": request.user.has_perm(MANAGE, initiative),
            "status_form": FlagStatusForm(),
        },
    )


@require_POST
@login_required
def flag_status(request, pk: int, flag_pk: int):
    initiative = get_initiative_for_user(request.user, pk, MANAGE)
    flag = get_object_or_404(RelapseFlag, pk=flag_pk, metric__initiative=initiative)
    form = FlagStatusForm(request.POST)
    if form.is_valid():
        try:
            flags.set_status(
                flag, request.user, form.cleaned_data["status"], form.cleaned_data["comment"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Flag updated.")
    else:
        messages.error(request, "Choose what to do with the flag.")
    return redirect("realigning:control-chart", pk=pk, metric_pk=flag.metric_id)


@require_GET
@login_required
def portfolio_flags(request):
    """Open flags across every initiative the user may see: newest, most severe first."""
    status = request.GET.get("status", "active")
    visible = RelapseFlag.objects.visible_to(request.user).select_related("metric__initiative")
    if status == "active":
        visible = visible.active()
    elif status in {"resolved", "false_alarm", "open", "acknowledged"}:
        visible = visible.filter(status=status)
    page = paginate(request, visible.order_by("-fired_on", "-severity_rank", "-id"))
    return render(
        request,
        "realigning/flags.html",
        {"page": page, "status": status, "query": f"status={status}"},
    )
