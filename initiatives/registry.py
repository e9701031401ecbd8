"""The process registry: how the hub learns about the processes without importing them.

Each process app registers a `Process` in its `AppConfig.ready()`. The hub asks
every registered process for the checklist of a *set* of initiatives in one call,
so a portfolio page costs a few queries per process, not a few per initiative.
Adding a fifth process is one new app and no edit of the hub.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

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
