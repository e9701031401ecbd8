"""Pages of mobilizing: stakeholders, engagement, pulse surveys, rollout waves, IPA."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from initiatives import roles
from initiatives.access import CONTRIBUTE, MANAGE, get_initiative_for_user
from initiatives.forms import users_with_role
from initiatives.locking import StaleEdit, claim_version, rebase
from initiatives.models import CustomerSegment, Department
from initiatives.views import paginate
from mobilizing import ipa, pulse
from mobilizing.checklist import mobilizing_checklist
from mobilizing.csvimport import ImportRejected
from mobilizing.filtersets import ActivityFilterSet, IpaSurveyFilterSet
from mobilizing.forms import (
    ActivityForm,
    CsvImportForm,
    InviteForm,
    IpaAnswerForm,
    IpaInitiativeForm,
    IpaInviteForm,
    IpaStatementsForm,
    IpaSurveyForm,
    NewPulseSurveyForm,
    PulseAnswerForm,
    PulseQuestionForm,
    PulseSurveyForm,
    ReadingForm,
    StakeholderForm,
    StakeholderMoveForm,
    SurveyStatusForm,
    WaveForm,
    WaveUnitForm,
)
from mobilizing.models import (
    AdoptionReading,
    EngagementActivity,
    Influence,
    IpaInvitation,
    IpaResponse,
    IpaStatement,
    IpaSurvey,
    PulseInvitation,
    PulseQuestion,
    PulseResponse,
    PulseSurvey,
    RolloutWave,
    Stakeholder,
    Support,
    SurveyStatus,
    UnitKind,
    WaveUnit,
)
from mobilizing.rules import MANAGE_IPA, VIEW_IPA
from mobilizing.stalling import adoption_on, assess_wave, stalling_waves, wave_readings


def _posted(request):
    """The POST data of a POST (even an empty one, so it shows "required" errors), else None."""
    return request.POST if request.method == "POST" else None


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _flags(request, initiative) -> dict:
    return {
        "initiative": initiative,
        "can_manage": request.user.has_perm(MANAGE, initiative),
        "can_contribute": request.user.has_perm(CONTRIBUTE, initiative),
    }


def _form_errors(form) -> str:
    return "; ".join(
        (f"{form.fields[k].label or k}: " if k in form.fields else "") + " ".join(v)
        for k, v in form.errors.items()
    )


# --- Overview -----------------------------------------------------------------------------


def _form_page(request, initiative, form, title: str, back: str):
    """The one page every add/edit form of this app renders (initiative None: org-wide)."""
    return render(
        request,
        "mobilizing/form.html",
        {"initiative": initiative, "form": form, "title": title, "back": back},
    )


@require_GET
@login_required
def overview(request, pk: int):
    initiative = get_initiative_for_user(request.user, pk)
    stalls = stalling_waves([initiative])
    context = _flags(request, initiative) | {
        "checklist": mobilizing_checklist([initiative])[initiative.pk],
        "n_stakeholders": initiative.stakeholders.count(),
        "n_to_win": initiative.stakeholders.still_to_win().count(),
        "n_activities": initiative.engagement_activities.count(),
        "n_surveys": initiative.pulse_surveys.count(),
        "trust_change": pulse.trust_trend([initiative])[initiative.pk],
        "stalling": stalls.get(initiative.pk, []),
    }
    return render(request, "mobilizing/overview.html", context)


# --- Stakeholders -------------------------------------------------------------------------


SUPPORT_COLUMNS = list(Support)
INFLUENCE_ROWS = sorted(Influence, reverse=True)  # high influence on top


@require_GET
@login_required
def stakeholder_grid(request, pk: int):
    initiative = get_initiative_for_user(request.user, pk)
    stakeholders = list(initiative.stakeholders.select_related("department"))
    cells: dict[tuple[int, int], list] = {}
    for s in stakeholders:
        cells.setdefault((s.influence, s.support), []).append(s)
    grid = [
        {
            "influence": influence,
            "cells": [
                {"support": support, "stakeholders": cells.get((influence, support), [])}
                for support in SUPPORT_COLUMNS
            ],
        }
        for influence in INFLUENCE_ROWS
    ]
    to_win = sorted(
        (s for s in stakeholders if s.to_win),
        key=lambda s: (-s.influence, -(s.target_support - s.support), s.name),
    )
    context = _flags(request, initiative) | {
        "grid": grid,
        "support_columns": SUPPORT_COLUMNS,
        "influence_choices": Influence.choices,
        "support_choices": Support.choices,
        "to_win": to_win,
        "stakeholders": stakeholders,
    }
    return render(request, "mobilizing/stakeholders.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def stakeholder_add(request, pk: int):
    initiative = get_initiative_for_user(request.user, pk, MANAGE)
    initial = {k: request.GET[k] for k in ("influence", "support") if k in request.GET}
    form = StakeholderForm(_posted(request), initiative=initiative, initial=initial)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"{form.instance.name} is on the grid.")
        return redirect("mobilizing:stakeholders", pk=pk)
    return _form_page(
        request, initiative, form, "New stakeholder", reverse("mobilizing:stakeholders", args=[pk])
    )


@require_http_methods(["GET", "POST"])
@login_required
def stakeholder_edit(request, pk: int, sid: int):
    initiative = get_initiative_for_user(request.user, pk, MANAGE)
    stakeholder = get_object_or_404(Stakeholder, pk=sid, initiative=initiative)
    form = StakeholderForm(_posted(request), instance=stakeholder, initiative=initiative)
    if request.method == "POST" and form.is_valid():
        try:
            form.save()
        except StaleEdit:
            form = rebase(form, Stakeholder.objects.get(pk=sid))
        else:
            messages.success(request, f"{stakeholder.name} saved.")
            return redirect("mobilizing:stakeholders", pk=pk)
    return _form_page(
        request,
        initiative,
        form,
        f"Edit {stakeholder.name}",
        reverse("mobilizing:stakeholders", args=[pk]),
    )


@require_POST
@login_required
def stakeholder_move(request, pk: int, sid: int):
    """Move a card on the grid: from the per-card form, or from a drag and drop (JSON)."""
    initiative = get_initiative_for_user(request.user, pk, MANAGE)
    stakeholder = get_object_or_404(Stakeholder, pk=sid, initiative=initiative)
    form = StakeholderMoveForm(request.POST)
    as_json = _wants_json(request)
    back = redirect(reverse("mobilizing:stakeholders", args=[pk]) + f"#stakeholder-{sid}")
    if not form.is_valid():
        if as_json:
            return JsonResponse({"errors": form.errors}, status=400)
        messages.error(request, f"{stakeholder.name} not moved: {_form_errors(form)}")
        return back
    try:
        with transaction.atomic():
            claim_version(stakeholder, form.cleaned_data["lock_version"])
            stakeholder.influence = form.cleaned_data["influence"]
            stakeholder.support = form.cleaned_data["support"]
            stakeholder.save(update_fields=["influence", "support", "lock_version", "updated_at"])
    except StaleEdit:
        current = Stakeholder.objects.get(pk=sid)
        message = (
            f"Not moved: someone else changed {current.name} meanwhile. It is now "
            f"{current.get_influence_display().lower()} influence, "
            f"{current.get_support_display().lower()}; look again and move it if you still want."
        )
        if as_json:
            return JsonResponse(
                {
                    "error": message,
                    "influence": current.influence,
                    "support": current.support,
                    "lock_version": current.lock_version,
                },
                status=409,
            )
        messages.error(request, message)
        return back
    message = (
        f"{stakeholder.name}: {stakeholder.get_influence_display().lower()} influence, "
        f"{stakeholder.get_support_display().lower()}."
    )
    if as_json:
        return JsonResponse(
            {
                "message": message,
                "influence": stakeholder.influence,
                "support": stakeholder.support,
                "lock_version": stakeholder.lock_version,
                "to_win": stakeholder.to_win,
            }
        )
    messages.success(request, message)
    return back


@require_POST
@login_required
def stakeholder_delete(request, pk: int, sid: int):
    initiative = get_initiative_for_user(request.user, pk, MANAGE)
    stakeholder = get_object_or_404(Stakeholder, pk=sid, initiative=initiative)
    stakeholder.delete()
    messages.success(request, f"{stakeholder.name} removed from the grid.")
    return redirect("mobilizing:stakeholders", pk=pk)


# --- Engagement activities ----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def activities(request, pk: int):
    initiative = get_initiative_for_user(request.user, pk)
    flags = _flags(request, initiative)
    form = None
    if flags["can_contribute"] or request.method == "POST":
        form = ActivityForm(
            _posted(request),
            initiative=initiative,
            initial={"date": timezone.localdate(), "owner": request.user.pk},
        )
    if request.method == "POST":
        if not flags["can_contribute"]:
            raise PermissionDenied("Only the leader and team members log activities.")
        if form.is_valid():
            form.instance.created_by = request.user
            form.save()
            messages.success(request, f"Logged: {form.instance}.")
            return redirect("mobilizing:activities", pk=pk)
    filterset = ActivityFilterSet(
        request.GET, queryset=initiative.engagement_activities.select_related("owner")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "mobilizing/activities.html",
        flags
        | {
            "form": form,
            "filterset": filterset,
            "page": paginate(request, filterset.qs),
            "query": query.urlencode(),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def activity_edit(request, pk: int, aid: int):
    initiative = get_initiative_for_user(request.user, pk, CONTRIBUTE)
    activity = get_object_or_404(EngagementActivity, pk=aid, initiative=initiative)
    form = ActivityForm(_posted(request), instance=activity, initiative=initiative)
    if request.method == "POST" and form.is_valid():
        try:
            form.save()
        except StaleEdit:
            form = rebase(form, EngagementActivity.objects.get(pk=aid))
        else:
            messages.success(request, "Activity saved.")
            return redirect("mobilizing:activities", pk=pk)
    return _form_page(
        request, initiative, form, f"Edit {activity}", reverse("mobilizing:activities", args=[pk])
    )


@require_POST
@login_required
def activity_delete(request, pk: int, aid: int):
    initiative = get_initiative_for_user(request.user, pk, CONTRIBUTE)
    activity = get_object_or_404(EngagementActivity, pk=aid, initiative=initiative)
    activity.delete()
    messages.success(request, f"Deleted: {activity}.")
    return redirect("mobilizing:activities", pk=pk)


# --- Pulse surveys ------------------------------------------------------------------------


def _count(model, link: str, **filters):
    """A correlated COUNT subquery over `model` rows whose `link` is the outer row.

    Subqueries rather than joins: two counted relations joined together would multiply.
    """
    return Coalesce(
        Subquery(
            model.objects.filter(**{link: OuterRef("pk")}, **filters)
            .order_by()
            .values(link)
            .annotate(n=Count("pk"))
            .values("n")[:1]
        ),
        0,
    )


def surveys_with_counts(queryset):
    return queryset.annotate(
        n_responses=_count(PulseResponse, "survey"),
        n_invitations=_count(PulseInvitation, "survey"),
        n_used=_count(PulseInvitation, "survey", used_at__isnull=False),
    )


@require_GET
@login_required
def pulse_list(request, pk: int):
    initiative = get_initiative_for_user(request.user, pk)
    surveys = list(surveys_with_counts(initiative.pulse_surveys.order_by("-opens", "-id")))
    for s in surveys:
        s.rate = pulse.rate(s.n_responses, s.n_invitations + s.invited_elsewhere)
    return render(
        request, "mobilizing/pulse_list.html", _flags(request, initiative) | {"surveys": surveys}
    )


@require_http_methods(["GET", "POST"])
@login_required
def pulse_create(request, pk: int):
    initiative = get_initiative_for_user(request.user, pk, MANAGE)
    form = NewPulseSurveyForm(
        _posted(request), initiative=initiative, initial={"opens": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            survey = form.save()
            if form.cleaned_data["start_from"] == "previous" and form.previous:
                pulse.copy_questions(form.previous, survey)
            else:
                pulse.add_default_questions(survey)
        messages.success(request, "Survey created as a draft: check its questions, then open it.")
        return redirect("mobilizing:pulse-detail", pk=pk, sid=survey.pk)
    return _form_page(
        request, initiative, form, "New pulse survey", reverse("mobilizing:pulse", args=[pk])
    )


def _survey(request, pk, sid, perm=None):
    initiative = (
        get_initiative_for_user(request.user, pk, perm)
        if perm
        else get_initiative_for_user(request.user, pk)
    )
    return initiative, get_object_or_404(PulseSurvey, pk=sid, initiative=initiative)


@require_GET
@login_required
def pulse_detail(request, pk: int, sid: int):
    initiative, survey = _survey(request, pk, sid)
    flags = _flags(request, initiative)
    results = pulse.survey_results(survey)
    return render(
        request,
        "mobilizing/pulse_detail.html",
        flags
        | {
            "survey": survey,
            "results": results,
            "question_form": PulseQuestionForm(initial={"order": len(results.questions) + 1}),
            "status_choices": SurveyStatus.choices,
            "accepting": pulse.is_accepting(survey),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def pulse_edit(request, pk: int, sid: int):
    initiative, survey = _survey(request, pk, sid, MANAGE)
    form = PulseSurveyForm(_posted(request), instance=survey, initiative=initiative)
    if request.method == "POST" and form.is_valid():
        try:
            form.save()
        except StaleEdit:
            form = rebase(form, PulseSurvey.objects.get(pk=sid))
        else:
            messages.success(request, "Survey saved.")
            return redirect("mobilizing:pulse-detail", pk=pk, sid=sid)
    return _form_page(
        request,
        initiative,
        form,
        f"Edit {survey.title}",
        reverse("mobilizing:pulse-detail", args=[pk, sid]),
    )


@require_POST
@login_required
def pulse_status(request, pk: int, sid: int):
    initiative, survey = _survey(request, pk, sid, MANAGE)
    form = SurveyStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Status not changed: {_form_errors(form)}")
    elif form.cleaned_data["status"] == SurveyStatus.OPEN and not survey.questions.exists():
        messages.error(request, "Add at least one question before opening the survey.")
    elif form.cleaned_data["status"] == SurveyStatus.DRAFT and survey.responses.exists():
        messages.error(request, "The survey has responses: it cannot go back to draft.")
    else:
        survey.status = form.cleaned_data["status"]
        survey.lock_version += 1
        survey.save(update_fields=["status", "lock_version"])
        messages.success(request, f"The survey is {survey.get_status_display().lower()}.")
    return redirect("mobilizing:pulse-detail", pk=pk, sid=sid)


def _draft_only(request, survey) -> bool:
    if survey.is_draft:
        return True
    messages.error(
        request,
        "Questions can only change while the survey is a draft: answers already given would no "
        "longer match. Start a new survey to ask something else.",
    )
    return False


@require_POST
@login_required
def pulse_question_add(request, pk: int, sid: int):
    _, survey = _survey(request, pk, sid, MANAGE)
    if _draft_only(request, survey):
        form = PulseQuestionForm(request.POST)
        if form.is_valid():
            form.instance.survey = survey
            form.save()
            messages.success(request, "Question added.")
        else:
            messages.error(request, f"Question not added: {_form_errors(form)}")
    return redirect("mobilizing:pulse-detail", pk=pk, sid=sid)


@require_http_methods(["GET", "POST"])
@login_required
def pulse_question_edit(request, pk: int, sid: int, qid: int):
    initiative, survey = _survey(request, pk, sid, MANAGE)
    question = get_object_or_404(PulseQuestion, pk=qid, survey=survey)
    form = PulseQuestionForm(_posted(request), instance=question)
    if request.method == "POST" and _draft_only(request, survey) and form.is_valid():
        form.save()
        messages.success(request, "Question saved.")
        return redirect("mobilizing:pulse-detail", pk=pk, sid=sid)
    if request.method == "POST" and not survey.is_draft:
        return redirect("mobilizing:pulse-detail", pk=pk, sid=sid)
    return _form_page(
        request,
        initiative,
        form,
        "Edit question",
        reverse("mobilizing:pulse-detail", args=[pk, sid]),
    )


@require_POST
@login_required
def pulse_question_delete(request, pk: int, sid: int, qid: int):
    _, survey = _survey(request, pk, sid, MANAGE)
    question = get_object_or_404(PulseQuestion, pk=qid, survey=survey)
    if _draft_only(request, survey):
        question.delete()
        messages.success(request, "Question removed.")
    return redirect("mobilizing:pulse-detail", pk=pk, sid=sid)


@require_http_methods(["GET", "POST"])
@login_required
def pulse_invitations(request, pk: int, sid: int):
    initiative, survey = _survey(request, pk, sid, MANAGE)
    form = InviteForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        created = pulse.invite(survey, form.cleaned_data["count"], form.cleaned_data["department"])
        messages.success(request, f"{len(created)} new link{'s' if len(created) > 1 else ''}.")
        return redirect("mobilizing:pulse-invitations", pk=pk, sid=sid)
    invitations = survey.invitations.select_related("department")
    return render(
        request,
        "mobilizing/pulse_invitations.html",
        {
            "initiative": initiative,
            "survey": survey,
            "form": form,
            "page": paginate(request, invitations, 100),
            "accepting": pulse.is_accepting(survey),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def pulse_import(request, pk: int, sid: int):
    initiative, survey = _survey(request, pk, sid, MANAGE)
    form = CsvImportForm(_posted(request), request.FILES if request.method == "POST" else None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            n = pulse.import_csv(survey, form.cleaned_data["file"])
        except ImportRejected as rejected:
            errors = rejected.errors
        else:
            messages.success(request, f"{n} response{'s' if n != 1 else ''} imported.")
            return redirect("mobilizing:pulse-detail", pk=pk, sid=sid)
    questions = list(survey.questions.all())
    return render(
        request,
        "mobilizing/pulse_import.html",
        {
            "initiative": initiative,
            "survey": survey,
            "form": form,
            "errors": errors,
            "questions": questions,
            "example_header": ",".join(
                ["department"] + [f"q{i}" for i in range(1, len(questions) + 1)]
            ),
        },
        status=400 if errors else 200,
    )


@require_GET
@login_required
def pulse_trends(request, pk: int):
    initiative = get_initiative_for_user(request.user, pk)
    departments = list(Department.objects.all())
    department = None
    if request.GET.get("department"):
        department = next((d for d in departments if str(d.pk) == request.GET["department"]), None)
    surveys, rows = pulse.trends(initiative, department.pk if department else None)
    chart = {
        "labels": [s.title for s in surveys],
        "series": [
            {
                "label": r.label,
                "key": r.key,
                "data": [round(f.mean, 2) if f and f.mean is not None else None for f in r.figures],
            }
            for r in rows
        ],
    }
    return render(
        request,
        "mobilizing/pulse_trends.html",
        _flags(request, initiative)
        | {
            "surveys": surveys,
            "rows": rows,
            "departments": departments,
            "department": department,
            "chart": chart,
            "min_group": pulse.MIN_GROUP,
        },
    )


# --- The public answer pages (no account) -------------------------------------------------


def _link_problem(request, template_title: str, message: str, status: int):
    return render(
        request,
        "mobilizing/public_message.html",
        {"title": template_title, "message": message},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def pulse_answer(request, token: str):
    """Answer a pulse survey from a shared link: no login, one response per token.

    Unknown token: 404. Used token: 410 (a friendly page). Survey closed: 410. Survey not
    open yet: 403.
    """
    invitation = PulseInvitation.objects.select_related("survey").filter(token=token).first()
    if invitation is None:
        return _link_problem(
            request,
            "Link not found",
            "This survey link does not exist. Check that you copied the whole link.",
            404,
        )
    survey = invitation.survey
    if invitation.used_at is not None:
        return _already_answered(request)
    if not pulse.is_accepting(survey):
        return _not_accepting(
            request, survey.status == SurveyStatus.DRAFT or survey.opens > timezone.localdate()
        )
    form = PulseAnswerForm(_posted(request), questions=survey.questions.all())
    if request.method == "POST" and form.is_valid():
        try:
            pulse.submit(invitation, form.answers())
        except pulse.TokenSpent:
            return _already_answered(request)
        return render(request, "mobilizing/public_thanks.html", {"survey_title": survey.title})
    return render(
        request,
        "mobilizing/pulse_answer.html",
        {"survey": survey, "form": form, "scale": range(1, 6)},
        status=400 if form.errors else 200,
    )


def _already_answered(request):
    return _link_problem(
        request,
        "Already answered",
        "This link has been used: each link answers once. Thank you for taking part.",
        410,
    )


def _not_accepting(request, not_yet: bool):
    if not_yet:
        return _link_problem(
            request, "Not open yet", "This survey is not open yet. Please try again later.", 403
        )
    return _link_problem(
        request, "Survey closed", "This survey is closed and no longer takes answers.", 410
    )


@require_http_methods(["GET", "POST"])
def ipa_answer(request, token: str):
    """Answer an importance-performance survey from a shared link (same rules as pulse)."""
    invitation = IpaInvitation.objects.select_related("survey").filter(token=token).first()
    if invitation is None:
        return _link_problem(
            request,
            "Link not found",
            "This survey link does not exist. Check that you copied the whole link.",
            404,
        )
    survey = invitation.survey
    if invitation.used_at is not None:
        return _already_answered(request)
    if not ipa.is_accepting(survey):
        return _not_accepting(request, survey.status == SurveyStatus.DRAFT)
    form = IpaAnswerForm(_posted(request), survey=survey, statements=survey.statements.all())
    if request.method == "POST" and form.is_valid():
        try:
            ipa.submit(invitation, form.scores())
        except ipa.TokenSpent:
            return _already_answered(request)
        return render(request, "mobilizing/public_thanks.html", {"survey_title": survey.title})
    return render(
        request,
        "mobilizing/ipa_answer.html",
        {"survey": survey, "form": form},
        status=400 if form.errors else 200,
    )


# --- Rollout waves ------------------------------------------------------------------------


@require_GET
@login_required
def waves(request, pk: int):
    initiative = get_initiative_for_user(request.user, pk)
    flags = _flags(request, initiative)
    today = timezone.localdate()
    wave_list = list(
        initiative.waves.prefetch_related(
            Prefetch(
                "units",
                queryset=WaveUnit.objects.select_related("department", "segment").prefetch_related(
                    Prefetch("readings", queryset=AdoptionReading.objects.order_by("date"))
                ),
            )
        )
    )
    for wave in wave_list:
        readings = wave_readings(wave)
        wave.stalling = assess_wave(wave, today)
        wave.adoption = adoption_on(readings, today)
        for unit in wave.units.all():
            series = unit.readings.all()
            unit.latest = series[len(series) - 1] if series else None
            unit.series = series
    return render(
        request,
        "mobilizing/waves.html",
        flags
        | {
            "waves": wave_list,
            "reading_form": ReadingForm(initiative=initiative, initial={"date": today})
            if flags["can_contribute"]
            else None,
            # The unit form's options, read once for all the waves.
            "unit_kinds": UnitKind.choices,
            "departments": list(Department.objects.values_list("pk", "name"))
            if flags["can_manage"] and wave_list
            else [],
            "segments": list(CustomerSegment.objects.values_list("pk", "name"))
            if flags["can_manage"] and wave_list
            else [],
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def wave_add(request, pk: int):
    initiative = get_initiative_for_user(request.user, pk, MANAGE)
    next_order = (
        initiative.waves.order_by("-order").values_list("order", flat=True).first() or 0
    ) + 1
    form = WaveForm(
        _posted(request),
        initiative=initiative,
        initial={"order": next_order, "name": "Pilot" if next_order == 1 else f"Wave {next_order}"},
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"{form.instance.name} planned. Next: add its units.")
        return redirect("mobilizing:waves", pk=pk)
    return _form_page(
        request, initiative, form, "New rollout wave", reverse("mobilizing:waves", args=[pk])
    )


@require_http_methods(["GET", "POST"])
@login_required
def wave_edit(request, pk: int, wid: int):
    initiative = get_initiative_for_user(request.user, pk, MANAGE)
    wave = get_object_or_404(RolloutWave, pk=wid, initiative=initiative)
    form = WaveForm(_posted(request), instance=wave, initiative=initiative)
    if request.method == "POST" and form.is_valid():
        try:
            form.save()
        except StaleEdit:
            form = rebase(form, RolloutWave.objects.get(pk=wid))
        else:
            messages.success(request, f"{wave.name} saved.")
            return redirect("mobilizing:waves", pk=pk)
    return _form_page(
        request, initiative, form, f"Edit {wave.name}", reverse("mobilizing:waves", args=[pk])
    )


@require_POST
@login_required
def unit_add(request, pk: int, wid: int):
    initiative = get_initiative_for_user(request.user, pk, MANAGE)
    wave = get_object_or_404(RolloutWave, pk=wid, initiative=initiative)
    form = WaveUnitForm(request.POST, wave=wave)
    if form.is_valid():
        form.save()
        messages.success(request, f"{form.instance.name} joins {wave.name}.")
    else:
        messages.error(request, f"Unit not added: {_form_errors(form)}")
    return redirect(reverse("mobilizing:waves", args=[pk]) + f"#wave-{wave.pk}")


@require_POST
@login_required
def reading_add(request, pk: int):
    initiative = get_initiative_for_user(request.user, pk, CONTRIBUTE)
    form = ReadingForm(request.POST, initiative=initiative)
    if form.is_valid():
        unit, date = form.cleaned_data["unit"], form.cleaned_data["date"]
        reading, created = AdoptionReading.objects.update_or_create(
            unit=unit,
            date=date,
            defaults={
                "adoption_pct": form.cleaned_data["adoption_pct"],
                "recorded_by": request.user,
            },
        )
        messages.success(
            request,
            f"{unit.name}: {reading.adoption_pct}% on {date}"
            + ("." if created else " (replaces that day's earlier reading)."),
        )
    else:
        messages.error(request, f"Reading not recorded: {_form_errors(form)}")
    return redirect("mobilizing:waves", pk=pk)


# --- Importance-performance analysis (organisation-wide) ----------------------------------


def _require(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied("Your role does not allow this.")


def _ipa_survey(request, sid: int, perm: str = VIEW_IPA) -> IpaSurvey:
    _require(request, perm)
    return get_object_or_404(IpaSurvey, pk=sid)


@require_GET
@login_required
def ipa_list(request):
    _require(request, VIEW_IPA)
    filterset = IpaSurveyFilterSet(
        request.GET,
        queryset=IpaSurvey.objects.select_related("created_by").annotate(
            n_statements=_count(IpaStatement, "survey"),
            n_responses=_count(IpaResponse, "survey"),
            n_invitations=_count(IpaInvitation, "survey"),
        ),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "mobilizing/ipa_list.html",
        {
            "filterset": filterset,
            "page": paginate(request, filterset.qs),
            "query": query.urlencode(),
            "can_manage": request.user.has_perm(MANAGE_IPA),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def ipa_create(request):
    _require(request, MANAGE_IPA)
    form = IpaSurveyForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        form.instance.created_by = request.user
        survey = form.save()
        messages.success(request, "Survey created as a draft. Next: add its statements.")
        return redirect("mobilizing:ipa-detail", sid=survey.pk)
    return _form_page(
        request, None, form, "New importance-performance survey", reverse("mobilizing:ipa-list")
    )


@require_GET
@login_required
def ipa_detail(request, sid: int):
    survey = _ipa_survey(request, sid)
    res = ipa.results(survey)
    can_create_initiative = request.user.has_perm("initiatives.add_initiative")
    return render(
        request,
        "mobilizing/ipa_detail.html",
        {
            "survey": survey,
            "results": res,
            "quadrants": [
                (key, label, res.in_quadrant(key)) for key, label in ipa.QUADRANTS.items()
            ],
            "chart": ipa.chart_data(res),
            "can_manage": request.user.has_perm(MANAGE_IPA),
            "can_create_initiative": can_create_initiative,
            # Sponsor options for the one-click forms, read once for every row.
            "executives": list(users_with_role(roles.EXECUTIVE)) if can_create_initiative else [],
            "statements_form": IpaStatementsForm(),
            "status_choices": SurveyStatus.choices,
            "all_statements": survey.statements.all() if survey.is_draft else None,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def ipa_edit(request, sid: int):
    survey = _ipa_survey(request, sid, MANAGE_IPA)
    form = IpaSurveyForm(_posted(request), instance=survey)
    if request.method == "POST" and form.is_valid():
        try:
            form.save()
        except StaleEdit:
            form = rebase(form, IpaSurvey.objects.get(pk=sid))
        else:
            messages.success(request, "Survey saved.")
            return redirect("mobilizing:ipa-detail", sid=sid)
    return _form_page(
        request, None, form, f"Edit {survey.title}", reverse("mobilizing:ipa-detail", args=[sid])
    )


@require_POST
@login_required
def ipa_status(request, sid: int):
    survey = _ipa_survey(request, sid, MANAGE_IPA)
    form = SurveyStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Status not changed: {_form_errors(form)}")
    elif form.cleaned_data["status"] == SurveyStatus.OPEN and not survey.statements.exists():
        messages.error(request, "Add statements before opening the survey.")
    elif form.cleaned_data["status"] == SurveyStatus.DRAFT and survey.responses.exists():
        messages.error(request, "The survey has responses: it cannot go back to draft.")
    else:
        survey.status = form.cleaned_data["status"]
        survey.lock_version += 1
        survey.save(update_fields=["status", "lock_version"])
        messages.success(request, f"The survey is {survey.get_status_display().lower()}.")
    return redirect("mobilizing:ipa-detail", sid=sid)


@require_POST
@login_required
def ipa_statements_add(request, sid: int):
    survey = _ipa_survey(request, sid, MANAGE_IPA)
    form = IpaStatementsForm(request.POST)
    if not survey.is_draft:
        messages.error(request, "Statements can only change while the survey is a draft.")
    elif form.is_valid():
        added = ipa.add_statements(survey, form.cleaned_data["lines"].splitlines())
        messages.success(request, f"{len(added)} statement{'s' if len(added) != 1 else ''} added.")
    else:
        messages.error(request, f"No statement added: {_form_errors(form)}")
    return redirect("mobilizing:ipa-detail", sid=sid)


@require_POST
@login_required
def ipa_statement_delete(request, sid: int, st: int):
    survey = _ipa_survey(request, sid, MANAGE_IPA)
    statement = get_object_or_404(IpaStatement, pk=st, survey=survey)
    if not survey.is_draft:
        messages.error(request, "Statements can only change while the survey is a draft.")
    else:
        statement.delete()
        messages.success(request, "Statement removed.")
    return redirect("mobilizing:ipa-detail", sid=sid)


@require_http_methods(["GET", "POST"])
@login_required
def ipa_invitations(request, sid: int):
    survey = _ipa_survey(request, sid, MANAGE_IPA)
    form = IpaInviteForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        n = form.cleaned_data["count"]
        IpaInvitation.objects.bulk_create(IpaInvitation(survey=survey) for _ in range(n))
        messages.success(request, f"{n} new link{'s' if n > 1 else ''}.")
        return redirect("mobilizing:ipa-invitations", sid=sid)
    return render(
        request,
        "mobilizing/ipa_invitations.html",
        {
            "survey": survey,
            "form": form,
            "page": paginate(request, survey.invitations.all(), 100),
            "accepting": ipa.is_accepting(survey),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def ipa_import(request, sid: int):
    survey = _ipa_survey(request, sid, MANAGE_IPA)
    form = CsvImportForm(_posted(request), request.FILES if request.method == "POST" else None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            n = ipa.import_csv(survey, form.cleaned_data["file"])
        except ImportRejected as rejected:
            errors = rejected.errors
        else:
            messages.success(request, f"{n} respondent{'s' if n != 1 else ''} imported.")
            return redirect("mobilizing:ipa-detail", sid=sid)
    return render(
        request,
        "mobilizing/ipa_import.html",
        {"survey": survey, "form": form, "errors": errors},
        status=400 if errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def ipa_initiative(request, sid: int, st: int):
    """One click: a draft initiative in chartering from a concentrate-here statement."""
    survey = _ipa_survey(request, sid, VIEW_IPA)
    if not request.user.has_perm("initiatives.add_initiative"):
        raise PermissionDenied("Only change leaders create initiatives.")
    statement = get_object_or_404(IpaStatement, pk=st, survey=survey)
    result = next((r for r in ipa.results(survey).statements if r.statement.pk == st), None)
    form = IpaInitiativeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        initiative = ipa.create_initiative(
            statement, request.user, form.cleaned_data["sponsor"], result
        )
        messages.success(
            request, "Draft initiative created from the statement: sharpen its problem and dates."
        )
        return redirect("initiatives:edit", pk=initiative.pk)
    return render(
        request,
        "mobilizing/ipa_initiative.html",
        {"survey": survey, "statement": statement, "result": result, "form": form},
        status=400 if form.errors else 200,
    )
