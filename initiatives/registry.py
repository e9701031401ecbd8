"""The process registry: how the hub learns about the processes without importing them.

Each process app registers a `Process` in its `AppConfig.ready()`. The hub asks
every registered process for the checklist of a *set* of initiatives in one call,
so a portfolio page costs a few queries per process, not a few per initiative.
Adding a fifth process is one new app and no edit of the hub.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from initiatives.models import Initiative, Stage


@dataclass(frozen=True)
class ChecklistItem:
    label: str
    done: bool
    hint: str = ""


@dataclass(frozen=True)
class Process:
    stage: str
    label: str
    order: int
    # initiatives -> {initiative id: [ChecklistItem, ...]}
    checklist: Callable[[list[Initiative]], dict[int, list[ChecklistItem]]]
    url_name: str = ""
    # Demo data for `seed_demo`: called with the hub's DemoData; must be idempotent.
    seed_demo: Callable[..., None] | None = field(default=None, compare=False)


_processes: dict[str, Process] = {}


def register(process: Process) -> None:
    _processes[process.stage] = process


def processes() -> list[Process]:
    return sorted(_processes.values(), key=lambda p: p.order)


def get(stage: str) -> Process | None:
    return _processes.get(stage)


@dataclass
class ProcessProgress:
    stage: str
    label: str
    items: list[ChecklistItem]
    registered: bool
    url_name: str = ""

    @property
    def done_count(self) -> int:
        return sum(item.done for item in self.items)

    @property
    def complete(self) -> bool:
        return self.registered and bool(self.items) and all(i.done for i in self.items)

    @property
    def percent(self) -> int:
        return round(100 * self.done_count / len(self.items)) if self.items else 0


def progress_for(initiatives: Iterable[Initiative]) -> dict[int, list[ProcessProgress]]:
    """The four-process progress of each initiative, keyed by initiative id."""
    initiatives = list(initiatives)
    result: dict[int, list[ProcessProgress]] = {i.pk: [] for i in initiatives}
    from initiatives.models import PROCESS_STAGES

    for stage in PROCESS_STAGES:
        process = _processes.get(stage)
        answers = process.checklist(initiatives) if process and initiatives else {}
        for initiative in initiatives:
            result[initiative.pk].append(
                ProcessProgress(
                    stage=stage,
                    label=process.label if process else Stage(stage).label,
                    items=answers.get(initiative.pk, []),
                    registered=process is not None,
                    url_name=process.url_name if process else "",
                )
            )
    return result


# --- The executive dashboard: health and panels, asked of each process -------------------------
#
# The hub draws the portfolio dashboard, the cockpit and the board report, but the figures
# belong to the processes. Each process app may register a `DashboardProvider` in its
# `AppConfig.ready()`; every hook is optional and answers for a whole list of initiatives in a
# fixed, small number of queries (never per initiative). A hook that is missing, or a process
# that is not installed, leaves an honest empty state on the page, not an error.

GREEN, AMBER, RED = "green", "amber", "red"
HEALTH_RANK = {GREEN: 0, AMBER: 1, RED: 2}


@dataclass(frozen=True)
class HealthReason:
    """Why an initiative is not green: what a sponsor reads when hovering over its health."""

    level: str  # AMBER or RED
    text: str
    url: str = ""  # where to act on it


@dataclass(frozen=True)
class DashboardScope:
    """What a provider answers for: the initiatives the user may see, after the filters.

    `initiative_ids` is already restricted by `Initiative.objects.visible_to(user)`: a
    provider must never widen it. `segment_id` is the segment filter, for figures that are
    per segment (NPS).
    """

    initiative_ids: list[int]
    user: object
    today: object  # datetime.date
    segment_id: int | None = None
    # The same initiatives as a queryset of ids, for filters: `initiative__in=scope.in_sql`
    # compiles to a subquery, where a list of 1,000 ids costs ~40 ms of Python per query.
    id_query: object = field(default=None, compare=False)

    @property
    def in_sql(self):
        return self.id_query if self.id_query is not None else self.initiative_ids


@dataclass(frozen=True)
class DashboardProvider:
    # scope -> {initiative id: [HealthReason, ...]}; initiatives with nothing to say left out.
    health: Callable[[DashboardScope], dict[int, list[HealthReason]]] | None = None
    # scope -> {panel key: picklable data}; the hub's templates know the keys they draw.
    portfolio: Callable[[DashboardScope], dict[str, object]] | None = None
    # (initiative, today) -> {section key: picklable data} for the one-page cockpit.
    cockpit: Callable[..., dict[str, object]] | None = None


_dashboards: dict[str, DashboardProvider] = {}


def register_dashboard(stage: str, provider: DashboardProvider) -> None:
    _dashboards[stage] = provider


def dashboard_providers() -> list[tuple[str, DashboardProvider]]:
    order = {p.stage: p.order for p in processes()}
    return sorted(_dashboards.items(), key=lambda kv: (order.get(kv[0], 99), kv[0]))


def health_for(scope: DashboardScope) -> dict[int, list[HealthReason]]:
    """Every provider's reasons for each initiative, red first; [] means green."""
    result: dict[int, list[HealthReason]] = {pk: [] for pk in scope.initiative_ids}
    if not scope.initiative_ids:
        return result
    for _, provider in dashboard_providers():
        if provider.health is None:
            continue
        for pk, reasons in provider.health(scope).items():
            if pk in result:
                result[pk].extend(reasons)
    for reasons in result.values():
        reasons.sort(key=lambda r: -HEALTH_RANK.get(r.level, 0))
    return result


def health_level(reasons: list[HealthReason]) -> str:
    return max((r.level for r in reasons), key=lambda lv: HEALTH_RANK.get(lv, 0), default=GREEN)


def portfolio_panels(scope: DashboardScope) -> dict[str, object]:
    panels: dict[str, object] = {}
    for _, provider in dashboard_providers():
        if provider.portfolio is not None:
            panels.update(provider.portfolio(scope))
    return panels


def cockpit_sections(initiative: Initiative, today) -> dict[str, object]:
    """Every provider's cockpit sections; their "events" (date, text) are merged, newest first."""
    sections: dict[str, object] = {}
    events: list[tuple] = []
    for _, provider in dashboard_providers():
        if provider.cockpit is not None:
            answer = dict(provider.cockpit(initiative, today))
            for when, text in answer.pop("events", []):
                # Providers may give dates or datetimes: the timeline shows days.
                events.append((when.date() if isinstance(when, datetime) else when, text))
            sections.update(answer)
    sections["events"] = sorted(events, key=lambda e: e[0], reverse=True)
    return sections


def watched_app_labels() -> set[str]:
    """The apps whose data the dashboard shows: the hub and every registered process.

    Used to invalidate the dashboard's cache when their rows change.
    """
    labels = {"initiatives"}
    for process in _processes.values():
        labels.add(process.checklist.__module__.split(".")[0])
    for provider in _dashboards.values():
        for hook in (provider.health, provider.portfolio, provider.cockpit):
            if hook is not None:
                labels.add(hook.__module__.split(".")[0])
    return labels


def url_maker(name: str, arity: int = 1) -> Callable[..., str]:
    """A fast `reverse(name, args=[...])` for int arguments, for URLs made per row.

    Django's reverse costs ~40 µs; a portfolio page makes thousands of links. The URL is
    reversed once with marker numbers that are then replaced.
    """
    from django.urls import reverse

    markers = [str(987654321000 + k) for k in range(arity)]
    pattern = reverse(name, args=markers)
    for k, marker in enumerate(markers):
        pattern = pattern.replace(marker, f"{{{k}}}")
    return lambda *args: pattern.format(*(int(a) for a in args))
