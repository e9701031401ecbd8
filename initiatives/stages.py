"""Moving an initiative through the stages, gated by each process's checklist."""

from django.db import transaction
from django.utils import timezone

from initiatives import registry
from initiatives.models import PROCESS_STAGES, Initiative, Stage

NEXT_STAGE = {
    Stage.CHARTERING: Stage.LEARNING,
    Stage.LEARNING: Stage.MOBILIZING,
    Stage.MOBILIZING: Stage.REALIGNING,
    Stage.REALIGNING: Stage.SUSTAINED,
}


class StageBlocked(Exception):
    """The current process's checklist is not complete."""

    def __init__(self, missing: list[str]):
        self.missing = missing
        super().__init__("Not yet: " + "; ".join(missing))


def blockers(initiative: Initiative) -> list[str]:
    """What still blocks the next stage: the open items of the current process's checklist."""
    if initiative.stage not in PROCESS_STAGES:
        return ["The initiative has left the four processes."]
    progress = registry.progress_for([initiative])[initiative.pk]
    current = next(p for p in progress if p.stage == initiative.stage)
    if not current.registered:
        return []
    return [item.label for item in current.items if not item.done]


@transaction.atomic
def advance(initiative: Initiative) -> Initiative:
    missing = blockers(initiative)
    if missing:
        raise StageBlocked(missing)
    initiative.stage = NEXT_STAGE[Stage(initiative.stage)]
    initiative.stage_changed_at = timezone.now()
    initiative.lock_version += 1
    initiative.save(update_fields=["stage", "stage_changed_at", "lock_version", "updated_at"])
    return initiative


@transaction.atomic
def close(initiative: Initiative) -> Initiative:
    initiative.stage = Stage.CLOSED
    initiative.stage_changed_at = timezone.now()
    initiative.lock_version += 1
    initiative.save(update_fields=["stage", "stage_changed_at", "lock_version", "updated_at"])
    return initiative
