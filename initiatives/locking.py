"""Optimistic locking: the second of two concurrent saves is refused, never lost.

An edit form carries the `lock_version` it was rendered with; saving claims the
row with a conditional UPDATE on that version. If someone saved in between, the
UPDATE matches nothing and the form reports a conflict with the current values.
"""

from django import forms
from django.db import transaction
from django.db.models import F

CONFLICT_MESSAGE = (
    "Someone else saved this while you were editing. Their version is shown below; "
    "review it, re-apply your changes and save again."
)


class StaleEdit(Exception):
    pass


def claim_version(instance, expected: int) -> None:
    """Bump the row's lock_version iff it still equals `expected`, else raise StaleEdit."""
    model = type(instance)
    updated = model.objects.filter(pk=instance.pk, lock_version=expected).update(
        lock_version=F("lock_version") + 1
    )
    if updated != 1:
        raise StaleEdit
    instance.lock_version = expected + 1


class VersionedModelForm(forms.ModelForm):
    """A ModelForm whose save fails with a form error when the row changed meanwhile."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["lock_version"].initial = self.instance.lock_version

    def save(self, commit: bool = True):
        if not self.instance.pk:
            return super().save(commit)
        expected = self.cleaned_data.get("lock_version")
        if expected is None:
            expected = self.instance.lock_version
        with transaction.atomic():
            try:
                claim_version(self.instance, expected)
            except StaleEdit:
                self.add_error(None, CONFLICT_MESSAGE)
                raise
            return super().save(commit)


def rebase(form: VersionedModelForm, current) -> VersionedModelForm:
    """The user's edits on top of the row someone else saved: shown with the conflict.

    The new form keeps what the user typed but carries the current lock_version, so
    saving it again is a deliberate overwrite after seeing the other version.
    """
    data = form.data.copy()
    data[form.add_prefix("lock_version")] = current.lock_version
    # Bind a separate copy: validating the form writes the typed values onto its instance,
    # and `conflict_with` must keep showing what the other person saved.
    working_copy = type(current).objects.get(pk=current.pk)
    rebased = type(form)(data, instance=working_copy, **getattr(form, "extra_kwargs", {}))
    rebased.is_valid()
    rebased.add_error(None, CONFLICT_MESSAGE)
    rebased.conflict_with = current
    return rebased
