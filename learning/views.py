"""Learning's pages: KPIs and their measurements, insights, NPS, lessons, experiments."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from initiatives.access import CONTRIBUTE, MANAGE, get_initiative_for_user
from initiatives.locking import StaleEdit, rebase
from initiatives.models import Initiative
from learning import experiments as experiment_logic
from learning import importing, nps
from learning.checklist import learning_checklist
from learning.csv_safety import safe_row
from learning.effects import amount, fmt, retention
from learning.filtersets import InsightFilterSet, LessonFilterSet
from learning.forms import (
    DecisionForm,
    ExperimentForm,
    ImportForm,
    InsightForm,
    LessonForm,
    MeasurementForm,
    MetricForm,
    NpsImportForm,
)
from learning.measurements import normalise_period, record_measurements
from learning.models import (
    Cadence,
    Experiment,
    ExperimentStatus,
    ImportStatus,
    Insight,
    Lesson,
    Measurement,
    MeasurementImport,
    Metric,
    Source,
)

PAGE_SIZE = 25
WINDOW = {Cadence.DAILY: 28, Cadence.WEEKLY: 6, Cadence.MONTHLY: 3}


def _paginate(request, queryset):
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def _flags(request, initiative) -> dict:
    return {
        "initiative": initiative,
        "can_manage": request.user.has_perm(MANAGE, initiative),
        "can_contribute": request.user.has_perm(CONTRIBUTE, initiative),
    }


def _metrics_with_latest(initiative):
    latest = Measurement.objects.filter(metric=OuterRef("pk")).order_by("-period")
    return (
        Metric.objects.filter(initiative=initiative)
        .select_related("owner", "department", "segment")
        .annotate(
            latest_value=Subquery(latest.values("value")[:1]),
            latest_period=Subquery(latest.values("period")[:1]),
        )
        .order_by("name")
    )


def offered_lessons(initiative, limit: int = 5):
    """Lessons of other initiatives whose segments or departments overlap this one's."""
    segments = initiative.segments.values("pk")
    departments = initiative.departments.values("pk")
    return (
        Lesson.objects.exclude(initiative=initiative)
        .annotate(
            overlap=Count("segments", filter=Q(segments__in=segments), distinct=True)
            + Count("departments", filter=Q(departments__in=departments), distinct=True)
        )
        .filter(overlap__gt=0)
        .select_related("initiative")
        .prefetch_related("segments", "departments")
        .order_by("-overlap", "-created_at", "-id")[:limit]
    )


@require_GET
@login_required
def overview(request, pk: int):
    initiative = get_initiative_for_user(request.user, pk)
    context = _flags(request, initiative)
    context.update(
        metrics=list(_metrics_with_latest(initiative)),
        experiments=list(
            initiative.experiments.select_related("metric", "refines").order_by("-start", "-id")[
                :20
            ]
        ),
        insights=list(initiative.insights.select_related("segment", "department")[:5]),
        insight_count=initiative.insights.count(),
        nps=nps.summary(initiative),
        lessons=list(offered_lessons(initiative)),
        own_lessons=list(initiative.lessons.all()[:5]),
        checklist=learning_checklist([initiative])[initiative.pk],
        imports=list(initiative.measurement_imports.defer("raw_text", "errors")[:3]),
    )
    return render(request, "learning/overview.html", context)


# --- KPIs -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def metric_add(request, pk: int):
    initiative = get_initiative_for_user(request.user, pk, MANAGE)
    form = MetricForm(request.POST or None, initiative=initiative)
    if request.method == "POST" and form.is_valid():
        metric = form.save()
        messages.success(request, f"KPI “{metric.name}” added. Log its first values next.")
        return redirect("learning:metric", pk=pk, metric_pk=metric.pk)
    return render(request, "learning/metric_form.html", {"initiative": initiative, "form": form})


@require_http_methods(["GET", "POST"])
@login_required
def metric_edit(request, pk: int, metric_pk: int):
    initiative = get_initiative_for_user(request.user, pk, MANAGE)
    metric = get_object_or_404(Metric, pk=metric_pk, initiative=initiative)
    form = MetricForm(request.POST or None, instance=metric, initiative=initiative)
    if request.method == "POST" and form.is_valid():
        try:
            form.save()
        except StaleEdit:
            form = rebase(form, Metric.objects.get(pk=metric.pk))
        else:
            messages.success(request, "KPI saved.")
            return redirect("learning:metric", pk=pk, metric_pk=metric.pk)
    return render(
        request,
        "learning/metric_form.html",
        {"initiative": initiative, "form": form, "metric": metric},
    )


def _chart_data(metric: Metric, series) -> dict:
    labels = [p.isoformat() for p, _ in series]
    return {
        "labels": labels,
        "values": [v for _, v in series],
        "baseline": metric.baseline,
        "target": metric.target,
        "unit": metric.unit,
        "name": metric.name,
        "hold_from": metric.hold_from.isoformat() if metric.hold_from else None,
    }


@require_GET
@login_required
def metric_detail(request, pk: int, metric_pk: int):
    initiative = get_initiative_for_user(request.user, pk)
    metric = get_object_or_404(
        Metric.objects.select_related("owner", "department", "segment"),
        pk=metric_pk,
        initiative=initiative,
    )
    # One query for the whole series: the chart needs it all, the table its tail.
    series = list(metric.measurements.order_by("period").values_list("period", "value"))
    kept = retention(
        series,
        baseline=metric.baseline,
        target=metric.target,
        higher_is_better=metric.higher_is_better,
        hold_from=metric.hold_from,
        window=WINDOW.get(metric.cadence, 28),
    )
    recent = list(metric.measurements.select_related("entered_by").order_by("-period")[:20])
    context = _flags(request, initiative)
    context.update(
        metric=metric,
        series_count=len(series),
        recent=recent,
        kept=kept,
        window=WINDOW.get(metric.cadence, 28),
        gained_text=amount(kept.gained, metric.unit) if kept.gained is not None else None,
        kept_text=amount(kept.kept, metric.unit) if kept.kept is not None else None,
        current_text=fmt(kept.current) if kept.current is not None else None,
        chart=_chart_data(metric, series),
        experiments=list(metric.experiments.order_by("-start", "-id")[:10]),
        log_form=MeasurementForm(initiative=initiative, initial={"metric": metric}),
    )
    return render(request, "learning/metric.html", context)


@require_GET
@login_required
def metric_export(request, pk: int, metric_pk: int):
    initiative = get_initiative_for_user(request.user, pk)
    metric = get_object_or_404(Metric, pk=metric_pk, initiative=initiative)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="kpi-{metric.pk}-series.csv"'
    response.write("\ufeff")  # so spreadsheets read UTF-8
    writer = csv.writer(response)
    writer.writerow(["metric", "period", "value", "source", "entered_by"])
    for period, value, source, username in metric.measurements.order_by("period").values_list(
        "period", "value", "source", "entered_by__username"
    ):
        writer.writerow(safe_row([metric.name, period.isoformat(), value, source, username or ""]))
    return response


# --- Measurements -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def log_value(request, pk: int):
    """One value in a few taps: the KPI comes preselected from the overview's Log link."""
    initiative = get_initiative_for_user(request.user, pk, CONTRIBUTE)
    initial = {}
    if request.GET.get("metric", "").isdigit():
        initial["metric"] = int(request.GET["metric"])
    form = MeasurementForm(request.POST or None, initiative=initiative, initial=initial)
    if request.method == "POST" and form.is_valid():
        metric = form.cleaned_data["metric"]
        period = normalise_period(form.cleaned_data["period"], metric.cadence)
        value = form.cleaned_data["value"]
        record_measurements([(metric.pk, period, value)], source=Source.FORM, user=request.user)
        messages.success(
            request,
            f"Logged {fmt(value)}{metric.unit and ' ' + metric.unit} for "
            f"{metric.name}, {period:%Y-%m-%d}.",
        )
        return redirect(
            request.POST.get("next_page") == "metric"
            and reverse("learning:metric", kwargs={"pk": pk, "metric_pk": metric.pk})
            or reverse("learning:overview", kwargs={"pk": pk})
        )
    return render(
        request,
        "learning/log.html",
        {
            "initiative": initiative,
            "form": form,
            "has_metrics": form.fields["metric"].queryset.exists(),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def import_upload(request, pk: int):
    initiative = get_initiative_for_user(request.user, pk, CONTRIBUTE)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        imp = importing.create_import(initiative, request.user, upload.name, upload.read())
        return redirect("learning:import-detail", pk=pk, import_pk=imp.pk)
    return render(
        request,
        "learning/import_upload.html",
        {
            "initiative": initiative,
            "form": form,
            "columns": ",".join(importing.COLUMNS),
            "metrics": initiative.metrics.order_by("name").values_list("name", flat=True),
        },
    )


def _get_import(request, pk: int, import_pk: int):
    initiative = get_initiative_for_user(request.user, pk, CONTRIBUTE)
    imp = get_object_or_404(MeasurementImport, pk=import_pk, initiative=initiative)
    return initiative, imp


SHOWN_ERRORS = 500


@require_GET
@login_required
def import_detail(request, pk: int, import_pk: int):
    initiative, imp = _get_import(request, pk, import_pk)
    return render(
        request,
        "learning/import_detail.html",
        {
            "initiative": initiative,
            "imp": imp,
            "preview": importing.preview(imp),
            "errors": imp.errors[:SHOWN_ERRORS],
            "more_errors": max(0, imp.error_count - SHOWN_ERRORS),
            "rows_done": importing.rows_done(imp),
        },
    )


@require_POST
@login_required
def import_confirm(request, pk: int, import_pk: int):
    initiative, imp = _get_import(request, pk, import_pk)
    if imp.status == ImportStatus.INVALID:
        messages.error(request, "This file has errors; fix them and upload it again.")
        return redirect("learning:import-detail", pk=pk, import_pk=imp.pk)
    with transaction.atomic():
        imp = importing.confirm(imp)
    if imp.status == ImportStatus.DONE:
        messages.success(request, imp.message)
    elif imp.status == ImportStatus.QUEUED:
        messages.info(request, "The file is being imported; this page shows the progress.")
    return redirect("learning:import-detail", pk=pk, import_pk=imp.pk)


@require_GET
@login_required
def import_progress(request, pk: int, import_pk: int):
    """The progress of a queued import: an htmx fragment, or JSON for scripts."""
    initiative, imp = _get_import(request, pk, import_pk)
    done = importing.rows_done(imp)
    if request.headers.get("HX-Request"):
        response = render(
            request,
            "learning/_import_progress.html",
            {"initiative": initiative, "imp": imp, "rows_done": done},
        )
        if imp.status != ImportStatus.QUEUED:
            response["HX-Refresh"] = "true"  # finished: reload the page with the result
        return response
    return JsonResponse(
        {
            "status": imp.status,
            "rows_total": imp.rows_total,
            "rows_done": done,
            "message": imp.message,
        }
    )


# --- Insights and NPS -------------------------------------------------------------------


@require_GET
@login_required
def insights(request, pk: int):
    initiative = get_initiative_for_user(request.user, pk)
    filterset = InsightFilterSet(
        request.GET,
        queryset=initiative.insights.select_related("segment", "department", "created_by"),
    )
    page, query = _paginate(request, filterset.qs)
    context = _flags(request, initiative)
    context.update(filterset=filterset, page=page, query=query)
    return render(request, "learning/insights.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def insight_add(request, pk: int):
    initiative = get_initiative_for_user(request.user, pk, CONTRIBUTE)
    form = InsightForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.initiative = initiative
        form.instance.created_by = request.user
        form.save()
        messages.success(request, "Insight saved.")
        return redirect("learning:insights", pk=pk)
    return render(
        request,
        "learning/simple_form.html",
        {
            "initiative": initiative,
            "form": form,
            "title": "Log a customer insight",
            "submit": "Save insight",
            "back": reverse("learning:insights", kwargs={"pk": pk}),
        },
    )


@require_GET
@login_required
def nps_page(request, pk: int):
    initiative = get_initiative_for_user(request.user, pk)
    since = importing.parse_date(request.GET.get("since", ""))
    until = importing.parse_date(request.GET.get("until", ""))
    context = _flags(request, initiative)
    context.update(
        segments=nps.summary(initiative, since, until),
        since=since,
        until=until,
        response_count=initiative.nps_responses.count(),
    )
    return render(request, "learning/nps.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def nps_import(request, pk: int):
    initiative = get_initiative_for_user(request.user, pk, CONTRIBUTE)
    form = NpsImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        checked = nps.check_csv(form.cleaned_data["file"].read())
        errors = checked.errors
        if not errors:
            n = nps.record_responses(initiative, checked.rows, source=Source.CSV, user=request.user)
            messages.success(request, f"{n} NPS response{'s' if n != 1 else ''} imported.")
            return redirect("learning:nps", pk=pk)
    return render(
        request,
        "learning/nps_import.html",
        {
            "initiative": initiative,
            "form": form,
            "errors": errors[:SHOWN_ERRORS],
            "error_count": len(errors),
        },
        status=400 if errors else 200,
    )


# --- Lessons ----------------------------------------------------------------------------


@require_GET
@login_required
def lessons(request):
    """Every lesson, for any signed-in user: lessons are the organisation's memory.

    The initiative a lesson came from is named only to those who may see it.
    """
    visible = Initiative.objects.visible_to(request.user).filter(pk=OuterRef("initiative_id"))
    qs = (
        Lesson.objects.annotate(source_visible=Exists(visible))
        .select_related("initiative")
        .prefetch_related("segments", "departments")
    )
    filterset = LessonFilterSet(request.GET, queryset=qs)
    page, query = _paginate(request, filterset.qs)
    return render(
        request, "learning/lessons.html", {"filterset": filterset, "page": page, "query": query}
    )


@require_http_methods(["GET", "POST"])
@login_required
def lesson_add(request, pk: int):
    initiative = get_initiative_for_user(request.user, pk, CONTRIBUTE)
    initial = {
        "segments": list(initiative.segments.all()),
        "departments": list(initiative.departments.all()),
    }
    form = LessonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        form.instance.initiative = initiative
        form.instance.created_by = request.user
        form.save()
        messages.success(
            request,
            "Lesson saved: later initiatives with overlapping "
            "segments or departments will be offered it.",
        )
        return redirect("learning:overview", pk=pk)
    return render(
        request,
        "learning/simple_form.html",
        {
            "initiative": initiative,
            "form": form,
            "title": "Record a lesson",
            "submit": "Save lesson",
            "back": reverse("learning:overview", kwargs={"pk": pk}),
        },
    )


# --- Experiments ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def experiment_add(request, pk: int):
    initiative = get_initiative_for_user(request.user, pk, CONTRIBUTE)
    initial = {}
    if request.GET.get("refines", "").isdigit():
        parent = initiative.experiments.filter(pk=request.GET["refines"]).first()
        if parent:
            initial = {
                "refines": parent,
                "metric": parent.metric_id,
                "control_metric": parent.control_metric_id,
                "title": f"{parent.title} (iteration)",
                "hypothesis": parent.hypothesis,
                "sites": parent.sites,
            }
    form = ExperimentForm(request.POST or None, initiative=initiative, initial=initial)
    if request.method == "POST" and form.is_valid():
        form.instance.created_by = request.user
        experiment = form.save()
        messages.success(request, "Experiment logged.")
        return redirect("learning:experiment", pk=pk, experiment_pk=experiment.pk)
    return render(
        request, "learning/experiment_form.html", {"initiative": initiative, "form": form}
    )


@require_http_methods(["GET", "POST"])
@login_required
def experiment_edit(request, pk: int, experiment_pk: int):
    initiative = get_initiative_for_user(request.user, pk, CONTRIBUTE)
    experiment = get_object_or_404(Experiment, pk=experiment_pk, initiative=initiative)
    form = ExperimentForm(request.POST or None, instance=experiment, initiative=initiative)
    if request.method == "POST" and form.is_valid():
        try:
            form.save()
        except StaleEdit:
            form = rebase(form, Experiment.objects.get(pk=experiment.pk))
        else:
            messages.success(request, "Experiment saved.")
            return redirect("learning:experiment", pk=pk, experiment_pk=experiment.pk)
    return render(
        request,
        "learning/experiment_form.html",
        {"initiative": initiative, "form": form, "experiment": experiment},
    )


@require_GET
@login_required
def experiment_detail(request, pk: int, experiment_pk: int):
    initiative = get_initiative_for_user(request.user, pk)
    experiment = get_object_or_404(
        Experiment.objects.select_related(
            "metric", "control_metric", "refines", "decided_by", "created_by"
        ).prefetch_related("segments", "departments"),
        pk=experiment_pk,
        initiative=initiative,
    )
    context = _flags(request, initiative)
    context.update(
        experiment=experiment,
        result=experiment_logic.result(experiment),
        iterations=list(experiment.iterations.order_by("start", "id")),
        decision_form=DecisionForm(),
    )
    return render(request, "learning/experiment.html", context)


@require_POST
@login_required
def experiment_decide(request, pk: int, experiment_pk: int):
    initiative = get_initiative_for_user(request.user, pk, MANAGE)
    experiment = get_object_or_404(Experiment, pk=experiment_pk, initiative=initiative)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            experiment_logic.decide(
                experiment,
                request.user,
                form.cleaned_data["decision"],
                form.cleaned_data["learned"],
            )
        except PermissionDenied:
            raise
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Concluded: {experiment.get_decision_display().lower()}.")
            return redirect("learning:experiment", pk=pk, experiment_pk=experiment.pk)
    else:
        for field, errors in form.errors.items():
            messages.error(request, f"{field}: {' '.join(errors)}")
    return redirect("learning:experiment", pk=pk, experiment_pk=experiment.pk)


__all__ = ["ExperimentStatus", "Insight"]
