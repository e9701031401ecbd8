"""Pulse surveys: the default questions, anonymous answering, response rates and trends.

Trust in leadership and skepticism are measured, not guessed. Every figure is shown with
its number of responses and the response rate behind it, because a mean of four answers
out of two hundred invitations says little.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Avg, Count
from django.utils import timezone

from initiatives.models import Department
from mobilizing.csvimport import ImportRejected, RowError, parse_score, read_rows
from mobilizing.models import (
    PULSE_SCALE,
    PulseAnswer,
    PulseInvitation,
    PulseQuestion,
    PulseResponse,
    PulseSurvey,
    QuestionKind,
    ResponseSource,
    SurveyStatus,
)

# Department figures from fewer responses are hidden: with two answers, people can guess who.
MIN_GROUP = 3

DEFAULT_QUESTIONS = [
    (QuestionKind.TRUST, "I trust senior leadership to see this change through."),
    (QuestionKind.SKEPTICISM, "I expect this change to fade away like earlier ones."),
    (QuestionKind.READINESS, "I am ready to work the new way."),
    (QuestionKind.AWARENESS, "I understand why we need to change."),
    (QuestionKind.DESIRE, "I want to take part in the change."),
    (QuestionKind.KNOWLEDGE, "I know how to work the new way."),
    (QuestionKind.ABILITY, "I am able to work the new way in my daily job."),
    (QuestionKind.REINFORCEMENT, "Working the new way is recognised and rewarded here."),
]


def add_default_questions(survey: PulseSurvey) -> None:
    """Trust, skepticism and readiness, then the ADKAR steps: a good editable start."""
    PulseQuestion.objects.bulk_create(
        PulseQuestion(survey=survey, kind=kind, text=text, order=i)
        for i, (kind, text) in enumerate(DEFAULT_QUESTIONS, start=1)
    )


def copy_questions(source: PulseSurvey, target: PulseSurvey) -> None:
    """A recurring survey asks what the previous one asked, so trends compare like with like."""
    PulseQuestion.objects.bulk_create(
        PulseQuestion(survey=target, kind=q.kind, text=q.text, order=q.order)
        for q in source.questions.all()
    )


def is_accepting(survey: PulseSurvey, today=None) -> bool:
    today = today or timezone.localdate()
    return (
        survey.status == SurveyStatus.OPEN
        and survey.opens <= today
        and (survey.closes is None or today <= survey.closes)
    )


def invite(survey: PulseSurvey, count: int, department: Department | None) -> list:
    return PulseInvitation.objects.bulk_create(
        PulseInvitation(survey=survey, department=department) for _ in range(count)
    )


class TokenSpent(Exception):
    """The invitation was used already (or concurrently, by a double submit)."""


def submit(invitation: PulseInvitation, answers: dict[int, int]) -> PulseResponse:
    """Record one anonymous response for an invitation, once.

    The invitation is claimed with a conditional UPDATE (only if still unused), and the
    response is written in the same transaction: a double submit finds the token spent
    and writes nothing. The response keeps the department, never the invitation.
    """
    with transaction.atomic():
        claimed = PulseInvitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(
            used_at=timezone.now()
        )
        if claimed != 1:
            raise TokenSpent
        response = PulseResponse.objects.create(
            survey_id=invitation.survey_id, department_id=invitation.department_id
        )
        PulseAnswer.objects.bulk_create(
            PulseAnswer(response=response, question_id=q, value=v) for q, v in answers.items()
        )
    return response


# --- Response rate and results ------------------------------------------------------------


def rate(responses: int, invited: int) -> float | None:
    """Responses / invitations, or None when nobody was invited."""
    return responses / invited if invited else None


@dataclass
class Figure:
    """A mean with the evidence behind it."""

    mean: float | None
    n: int
    rate: float | None
    hidden: bool = False  # too few responses to show without risking anonymity


@dataclass
class SurveyResults:
    survey: PulseSurvey
    responses: int
    invited: int
    questions: list = field(default_factory=list)  # [(question, Figure)]
    departments: list = field(default_factory=list)  # [(name, n, rate, [Figure per question])]

    @property
    def rate(self) -> float | None:
        return rate(self.responses, self.invited)


def survey_results(survey: PulseSurvey) -> SurveyResults:
    """Mean per question, overall and per department, each with n and the response rate."""
    questions = list(survey.questions.all())
    invited_by_dept = dict(
        survey.invitations.values("department_id")
        .annotate(n=Count("id"))
        .values_list("department_id", "n")
    )
    responses_by_dept = dict(
        survey.responses.values("department_id")
        .annotate(n=Count("id"))
        .values_list("department_id", "n")
    )
    cells = {
        (row["question_id"], row["response__department_id"]): (row["mean"], row["n"])
        for row in PulseAnswer.objects.filter(question__survey=survey)
        .values("question_id", "response__department_id")
        .annotate(mean=Avg("value"), n=Count("id"))
    }
    invited = sum(invited_by_dept.values()) + survey.invited_elsewhere
    responses = sum(responses_by_dept.values())
    result = SurveyResults(survey=survey, responses=responses, invited=invited)
    for q in questions:
        parts = [(m, n) for (qid, _), (m, n) in cells.items() if qid == q.pk]
        n = sum(n for _, n in parts)
        mean = sum(m * n for m, n in parts) / n if n else None
        result.questions.append((q, Figure(mean, n, result.rate)))
    names = dict(
        Department.objects.filter(pk__in=set(responses_by_dept) | set(invited_by_dept)).values_list(
            "pk", "name"
        )
    )
    for dept_id in sorted(
        set(responses_by_dept) | set(invited_by_dept), key=lambda d: (d is None, names.get(d, ""))
    ):
        n_dept = responses_by_dept.get(dept_id, 0)
        dept_rate = rate(n_dept, invited_by_dept.get(dept_id, 0))
        hidden = 0 < n_dept < MIN_GROUP
        figures = []
        for q in questions:
            mean, n = cells.get((q.pk, dept_id), (None, 0))
            figures.append(Figure(None if hidden else mean, n, dept_rate, hidden))
        result.departments.append(
            (names.get(dept_id, "No department"), n_dept, dept_rate, hidden, figures)
        )
    return result


# --- Trends over the recurring surveys of an initiative --------------------------------------


@dataclass
class TrendRow:
    key: str
    label: str
    figures: list  # one Figure (or None: not asked) per survey, in survey order

    @property
    def change(self) -> float | None:
        means = [f.mean for f in self.figures if f is not None and f.mean is not None]
        return means[-1] - means[0] if len(means) >= 2 else None


def _trend_label(question: PulseQuestion) -> str:
    return question.get_kind_display() if question.kind != QuestionKind.OTHER else question.text


def trends(initiative, department_id: int | None = None) -> tuple[list, list[TrendRow]]:
    """(surveys, rows): the mean of each question kind per survey, oldest survey first.

    With `department_id`, only that department's answers (and its response rate).
    Draft surveys are left out. Four queries whatever the number of surveys.
    """
    surveys = list(
        PulseSurvey.objects.filter(initiative=initiative)
        .exclude(status=SurveyStatus.DRAFT)
        .order_by("opens", "id")
    )
    ids = [s.pk for s in surveys]
    invitations = PulseInvitation.objects.filter(survey_id__in=ids)
    responses = PulseResponse.objects.filter(survey_id__in=ids)
    answers = PulseAnswer.objects.filter(question__survey_id__in=ids)
    if department_id is not None:
        invitations = invitations.filter(department_id=department_id)
        responses = responses.filter(department_id=department_id)
        answers = answers.filter(response__department_id=department_id)
    invited = dict(
        invitations.values("survey_id").annotate(n=Count("id")).values_list("survey_id", "n")
    )
    answered = dict(
        responses.values("survey_id").annotate(n=Count("id")).values_list("survey_id", "n")
    )
    questions = {
        q.pk: q for q in PulseQuestion.objects.filter(survey_id__in=ids).order_by("order", "id")
    }
    sums: dict[tuple[str, int], list[float]] = defaultdict(lambda: [0.0, 0])
    for row in answers.values("question_id").annotate(total=Avg("value"), n=Count("id")):
        q = questions[row["question_id"]]
        cell = sums[(q.trend_key, q.survey_id)]
        cell[0] += row["total"] * row["n"]
        cell[1] += row["n"]
    labels: dict[str, str] = {}
    for q in questions.values():
        labels.setdefault(q.trend_key, _trend_label(q))
    by_survey = {s.pk: s for s in surveys}
    rows = []
    for key, label in labels.items():
        figures = []
        for s in surveys:
            asked = any(q.trend_key == key and q.survey_id == s.pk for q in questions.values())
            if not asked:
                figures.append(None)
                continue
            total, n = sums.get((key, s.pk), (0.0, 0))
            n_resp = answered.get(s.pk, 0)
            extra = by_survey[s.pk].invited_elsewhere if department_id is None else 0
            figure_rate = rate(n_resp, invited.get(s.pk, 0) + extra)
            hidden = department_id is not None and 0 < n_resp < MIN_GROUP
            figures.append(Figure(None if hidden or not n else total / n, n, figure_rate, hidden))
        rows.append(TrendRow(key, label, figures))
    return surveys, rows


def trust_trend(initiatives: Iterable) -> dict[int, float | None]:
    """{initiative id: change in mean trust between its last two surveys with trust answers}.

    Negative means trust is falling (the dashboard's health rule "falling trust in the pulse
    surveys"); None when fewer than two surveys measured trust. One query.
    """
    ids = [getattr(i, "pk", i) for i in initiatives]
    rows = (
        PulseAnswer.objects.filter(
            question__kind=QuestionKind.TRUST,
            question__survey__initiative_id__in=ids,
        )
        .exclude(question__survey__status=SurveyStatus.DRAFT)
        .values("question__survey__initiative_id", "question__survey_id", "question__survey__opens")
        .annotate(mean=Avg("value"))
        .order_by(
            "question__survey__initiative_id", "question__survey__opens", "question__survey_id"
        )
    )
    series: dict[int, list[float]] = defaultdict(list)
    for row in rows:
        series[row["question__survey__initiative_id"]].append(row["mean"])
    return {pk: (series[pk][-1] - series[pk][-2] if len(series[pk]) >= 2 else None) for pk in ids}


# --- CSV import ---------------------------------------------------------------------------


def import_csv(survey: PulseSurvey, uploaded) -> int:
    """Import responses: a `department` column (optional) and one column per question.

    Question columns are headed `q1`, `q2`... (the question's position) or by the
    question's exact text. A blank cell is a question left unanswered; a row needs at
    least one answer. Raises ImportRejected with every bad row; writes all or nothing.
    """
    questions = list(survey.questions.all())
    header, rows = read_rows(uploaded, required=[])
    columns: dict[str, PulseQuestion] = {}
    for i, q in enumerate(questions, start=1):
        columns[f"q{i}"] = q
        columns[q.text.strip().lower()] = q
    errors: list[RowError] = []
    unknown = [h for h in header if h and h != "department" and h not in columns]
    if unknown:
        errors.append(
            RowError(
                1,
                f"Unknown column{'s' if len(unknown) > 1 else ''}: {', '.join(unknown[:10])}"
                f"{f' and {len(unknown) - 10} more' if len(unknown) > 10 else ''}. "
                f"Use department, q1 to q{len(questions)} or the questions' text.",
            )
        )
    used = [h for h in header if h in columns]
    if not used and not unknown:
        errors.append(RowError(1, "No question column: use q1, q2, ... or the questions' text."))
    if len({columns[h].pk for h in used}) != len(used):
        errors.append(RowError(1, "The same question appears in two columns."))
    if errors:
        raise ImportRejected(errors)
    departments = {d.name.lower(): d for d in Department.objects.all()}
    parsed = []
    for line, row in rows:
        if row is None:
            errors.append(RowError(line, "More cells than columns in the header."))
            continue
        problems = []
        department = None
        name = row.get("department", "")
        if name:
            department = departments.get(name.lower())
            if department is None:
                problems.append(f"unknown department “{name}”")
        answers = {}
        for h in used:
            if not row[h]:
                continue
            value, problem = parse_score(row[h], 1, PULSE_SCALE, h)
            if problem:
                problems.append(problem.rstrip("."))
            else:
                answers[columns[h].pk] = value
        if not answers and not problems:
            problems.append("no answer in this row")
        if problems:
            errors.append(RowError(line, "; ".join(problems) + "."))
        else:
            parsed.append((department, answers))
    if not parsed and not errors:
        errors.append(RowError(2, "The file has a header but no responses."))
    if errors:
        raise ImportRejected(errors)
    with transaction.atomic():
        responses = PulseResponse.objects.bulk_create(
            PulseResponse(survey=survey, department=d, source=ResponseSource.IMPORT)
            for d, _ in parsed
        )
        PulseAnswer.objects.bulk_create(
            PulseAnswer(response=r, question_id=q, value=v)
            for r, (_, answers) in zip(responses, parsed, strict=True)
            for q, v in answers.items()
        )
    return len(parsed)
