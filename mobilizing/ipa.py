"""Importance-performance analysis: where to concentrate the next customer-centric effort.

Each statement gets the mean importance and the mean performance its respondents gave.
The quadrants split at the grand means (the mean of the statement means), as in the
classic matrix: high importance and low performance is where to concentrate.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Avg, Count
from django.utils import timezone

from initiatives.models import Initiative, Stage
from mobilizing.csvimport import ImportRejected, RowError, parse_score, read_rows
from mobilizing.models import (
    IpaInvitation,
    IpaResponse,
    IpaScore,
    IpaStatement,
    IpaSurvey,
    ResponseSource,
    SurveyStatus,
)

CONCENTRATE = "concentrate"
KEEP_UP = "keep_up"
LOW_PRIORITY = "low_priority"
OVERKILL = "overkill"
QUADRANTS = {
    CONCENTRATE: "Concentrate here",
    KEEP_UP: "Keep up the good work",
    LOW_PRIORITY: "Low priority",
    OVERKILL: "Possible overkill",
}


def quadrant(
    importance: float, performance: float, grand_importance: float, grand_performance: float
) -> str:
    """The quadrant of one point; a mean exactly on a split counts as high."""
    high_importance = importance >= grand_importance
    high_performance = performance >= grand_performance
    if high_importance:
        return KEEP_UP if high_performance else CONCENTRATE
    return OVERKILL if high_performance else LOW_PRIORITY


@dataclass
class StatementResult:
    statement: IpaStatement
    importance: float
    performance: float
    n: int
    quadrant: str = ""

    @property
    def gap(self) -> float:
        """Importance minus performance: how far performance falls short of what matters."""
        return self.importance - self.performance

    @property
    def quadrant_label(self) -> str:
        return QUADRANTS.get(self.quadrant, "")


@dataclass
class IpaResults:
    survey: IpaSurvey
    statements: list[StatementResult]
    unscored: list[IpaStatement]
    grand_importance: float | None
    grand_performance: float | None
    responses: int
    invited: int

    @property
    def rate(self) -> float | None:
        return self.responses / self.invited if self.invited else None

    def in_quadrant(self, key: str) -> list[StatementResult]:
        return [s for s in self.statements if s.quadrant == key]

    @property
    def concentrate_here(self) -> list[StatementResult]:
        return sorted(self.in_quadrant(CONCENTRATE), key=lambda s: -s.gap)


def results(survey: IpaSurvey) -> IpaResults:
    """Means, quadrant and gap per statement. Four queries."""
    statements = list(survey.statements.all())
    means = {
        row["statement_id"]: row
        for row in IpaScore.objects.filter(statement__survey=survey)
        .values("statement_id")
        .annotate(importance=Avg("importance"), performance=Avg("performance"), n=Count("id"))
    }
    scored = [
        StatementResult(
            s, float(means[s.pk]["importance"]), float(means[s.pk]["performance"]), means[s.pk]["n"]
        )
        for s in statements
        if s.pk in means
    ]
    grand_i = sum(r.importance for r in scored) / len(scored) if scored else None
    grand_p = sum(r.performance for r in scored) / len(scored) if scored else None
    for r in scored:
        r.quadrant = quadrant(r.importance, r.performance, grand_i, grand_p)
    return IpaResults(
        survey=survey,
        statements=scored,
        unscored=[s for s in statements if s.pk not in means],
        grand_importance=grand_i,
        grand_performance=grand_p,
        responses=survey.responses.count(),
        invited=survey.invitations.count(),
    )


def concentrate_here(survey: IpaSurvey | None = None) -> list[StatementResult]:
    """The high-importance, low-performance statements, largest gap first.

    Without a survey: the newest survey that has scores and is not a draft. Each item has
    `.statement`, `.importance`, `.performance`, `.gap` and `.n`.
    """
    if survey is None:
        survey = (
            IpaSurvey.objects.exclude(status=SurveyStatus.DRAFT)
            .filter(responses__isnull=False)
            .order_by("-created_at", "-id")
            .first()
        )
        if survey is None:
            return []
    return results(survey).concentrate_here


def chart_data(res: IpaResults) -> dict:
    """What the scatter plot needs, for json_script."""
    return {
        "points": [
            {
                "x": round(r.performance, 2),
                "y": round(r.importance, 2),
                "label": f"{r.statement.order}. {r.statement.text}",
                "quadrant": r.quadrant,
            }
            for r in res.statements
        ],
        "grand_importance": res.grand_importance,
        "grand_performance": res.grand_performance,
        "scale": res.survey.scale,
    }


# --- Answering ----------------------------------------------------------------------------


class TokenSpent(Exception):
    pass


def is_accepting(survey: IpaSurvey) -> bool:
    return survey.status == SurveyStatus.OPEN


def submit(invitation: IpaInvitation, scores: dict[int, tuple[int, int]]) -> IpaResponse:
    """One anonymous response per invitation: claim the token, then write, atomically."""
    with transaction.atomic():
        claimed = IpaInvitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(
            used_at=timezone.now()
        )
        if claimed != 1:
            raise TokenSpent
        response = IpaResponse.objects.create(survey_id=invitation.survey_id)
        IpaScore.objects.bulk_create(
            IpaScore(response=response, statement_id=s, importance=i, performance=p)
            for s, (i, p) in scores.items()
        )
    return response


def add_statements(survey: IpaSurvey, lines: list[str]) -> list[IpaStatement]:
    """Append statements (one per line), skipping blanks and ones the survey already has."""
    existing = {t.lower() for t in survey.statements.values_list("text", flat=True)}
    start = survey.statements.order_by("-order").values_list("order", flat=True).first() or 0
    new = []
    for line in lines:
        text = line.strip(" -*\t\r")
        if text and text.lower() not in existing:
            existing.add(text.lower())
            new.append(IpaStatement(survey=survey, text=text[:300], order=start + len(new) + 1))
    return IpaStatement.objects.bulk_create(new)


def import_csv(survey: IpaSurvey, uploaded) -> int:
    """Import scores in long form: respondent, statement, importance, performance.

    `respondent` is any label that groups the rows of one person (it is not stored);
    `statement` is the statement's number or its exact text. Writes all or nothing.
    """
    statements = list(survey.statements.all())
    by_key: dict[str, IpaStatement] = {}
    for s in statements:
        by_key[str(s.order)] = s
        by_key[s.text.strip().lower()] = s
    _, rows = read_rows(uploaded, ["respondent", "statement", "importance", "performance"])
    errors: list[RowError] = []
    people: dict[str, dict[int, tuple[int, int]]] = {}
    for line, row in rows:
        if row is None:
            errors.append(RowError(line, "More cells than columns in the header."))
            continue
        problems = []
        who = row["respondent"]
        if not who:
            problems.append("respondent is empty")
        statement = by_key.get(row["statement"].lower())
        if statement is None:
            problems.append(f"unknown statement “{row['statement']}”")
        importance, p1 = parse_score(row["importance"], 1, survey.scale, "importance")
        performance, p2 = parse_score(row["performance"], 1, survey.scale, "performance")
        problems += [p.rstrip(".") for p in (p1, p2) if p]
        if not problems and statement.pk in people.get(who, {}):
            problems.append(f"respondent “{who}” scored statement {statement.order} twice")
        if problems:
            errors.append(RowError(line, "; ".join(problems) + "."))
            continue
        people.setdefault(who, {})[statement.pk] = (importance, performance)
    if not people and not errors:
        errors.append(RowError(2, "The file has a header but no scores."))
    if errors:
        raise ImportRejected(errors)
    with transaction.atomic():
        responses = IpaResponse.objects.bulk_create(
            IpaResponse(survey=survey, source=ResponseSource.IMPORT) for _ in people
        )
        IpaScore.objects.bulk_create(
            IpaScore(response=r, statement_id=s, importance=i, performance=p)
            for r, scores in zip(responses, people.values(), strict=True)
            for s, (i, p) in scores.items()
        )
    return len(people)


# --- From a statement to an initiative --------------------------------------------------


@transaction.atomic
def create_initiative(
    statement: IpaStatement, leader, sponsor, result: StatementResult | None
) -> Initiative:
    """A draft initiative in chartering, led by `leader`, to close one statement's gap."""
    problem = f"Importance-performance survey “{statement.survey.title}”: “{statement.text}”"
    if result is not None:
        problem += (
            f" scores {result.importance:.1f} on importance but {result.performance:.1f} on "
            f"performance (gap {result.gap:.1f}, n={result.n})."
        )
    initiative = Initiative.objects.create(
        title=statement.text[:200],
        problem=problem,
        leader=leader,
        sponsor=sponsor,
        stage=Stage.CHARTERING,
    )
    statement.initiative = initiative
    statement.save(update_fields=["initiative"])
    return initiative
