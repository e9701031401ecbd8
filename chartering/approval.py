"""The charter's life: drafting, the sponsor's approval, and new versions after approval."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from chartering.models import Charter, CharterStatus, Deliverable, RaciAssignment, ScopeItem
from initiatives.access import APPROVE
from initiatives.models import Initiative


def current_charter(initiative: Initiative) -> Charter | None:
    return Charter.objects.current().filter(initiative=initiative).first()


@transaction.atomic
def editable_charter(charter: Charter, user) -> Charter:
    """The version an edit applies to: the draft itself, or a new draft of an approved one.

    Approval covers the text the sponsor read, so changing an approved charter makes
    a new version that needs approving again; the approved one stays readable.
    """
    if charter.status != CharterStatus.APPROVED:
        return charter
    locked = Charter.objects.select_for_update().get(pk=charter.pk)
    if locked.status != CharterStatus.APPROVED:  # someone revised it meanwhile
        return current_charter(charter.initiative)
    Charter.objects.filter(pk=locked.pk).update(status=CharterStatus.SUPERSEDED)
    draft = Charter.objects.get(pk=locked.pk)
    draft.pk = None
    draft.version = locked.version + 1
    draft.status = CharterStatus.DRAFT
    draft.approved_by = draft.approved_at = None
    draft.created_by = user
    draft.lock_version = 1
    draft._state.adding = True
    draft.save()
    _copy_children(locked, draft)
    return draft


def _copy_children(source: Charter, target: Charter) -> None:
    ScopeItem.objects.bulk_create(
        ScopeItem(charter=target, kind=item.kind, text=item.text)
        for item in source.scope_items.all()
    )
    for deliverable in source.deliverables.prefetch_related("raci"):
        copy = Deliverable.objects.create(charter=target, name=deliverable.name)
        RaciAssignment.objects.bulk_create(
            RaciAssignment(deliverable=copy, user_id=a.user_id, role=a.role)
            for a in deliverable.raci.all()
        )


@transaction.atomic
def approve(charter: Charter, user) -> Charter:
    """The sponsor approves the current version; who and when are recorded."""
    charter = Charter.objects.select_for_update().select_related("initiative").get(pk=charter.pk)
    if not user.has_perm(APPROVE, charter.initiative):
        raise PermissionDenied("Only the initiative's sponsor approves its charter.")
    if charter.status == CharterStatus.SUPERSEDED:
        raise ValidationError("This version was superseded; approve the current one.")
    if charter.status == CharterStatus.APPROVED:
        raise ValidationError("This version is already approved.")
    charter.status = CharterStatus.APPROVED
    charter.approved_by = user
    charter.approved_at = timezone.now()
    charter.lock_version += 1
    charter.save(
        update_fields=["status", "approved_by", "approved_at", "lock_version", "updated_at"]
    )
    return charter
