"""What people do with a relapse flag: acknowledge it, resolve it, or call it a false alarm."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from realigning.models import FlagStatus, RelapseFlag

ALLOWED = {
    FlagStatus.OPEN: {FlagStatus.ACKNOWLEDGED, FlagStatus.RESOLVED, FlagStatus.FALSE_ALARM},
    FlagStatus.ACKNOWLEDGED: {FlagStatus.RESOLVED, FlagStatus.FALSE_ALARM},
    FlagStatus.RESOLVED: set(),
    FlagStatus.FALSE_ALARM: set(),
}


@transaction.atomic
def set_status(flag: RelapseFlag, user, status: str, comment: str = "") -> RelapseFlag:
    """Move a flag on, recording who, when and why. The caller checks MANAGE access."""
    flag = RelapseFlag.objects.select_for_update().get(pk=flag.pk)
    if status not in ALLOWED[FlagStatus(flag.status)]:
        raise ValidationError(
            {
                "status": f"A flag that is {flag.get_status_display().lower()} cannot become "
                f"{FlagStatus(status).label.lower()}."
            }
        )
    if status in (FlagStatus.RESOLVED, FlagStatus.FALSE_ALARM) and not comment.strip():
        raise ValidationError({"comment": "Say what was done, or why it was a false alarm."})
    flag.status, flag.status_by, flag.status_at = status, user, timezone.now()
    flag.comment = comment.strip()
    flag.save(update_fields=["status", "status_by", "status_at", "comment"])
    return flag
