from django import forms
from django.contrib.auth import get_user_model

from initiatives.forms import UserChoiceField
from initiatives.locking import VersionedModelForm
from learning.models import Metric
from realigning.models import (
    ActionStatus,
    EntryKind,
    FinancialEntry,
    FlagStatus,
    RealignmentAction,
)


class RealignmentActionForm(VersionedModelForm):
    owner = UserChoiceField(queryset=get_user_model().objects.none(), required=False)

    class Meta:
        model = RealignmentAction
        fields = ["kind", "title", "description", "owner", "due_date", "status", "evidence"]
        widgets = {
            "due_date": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 2}),
            "evidence": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.initiative = initiative
        self.extra_kwargs = {"initiative": initiative}
        self.instance.initiative = initiative
        people = get_user_model().objects.filter(memberships__initiative=initiative)
        self.fields["owner"].queryset = (
            people | get_user_model().objects.filter(pk=initiative.leader_id)
        ).distinct()

    def clean(self):
        data = super().clean()
        if data.get("status") == ActionStatus.DONE and not (data.get("evidence") or "").strip():
            self.add_error("evidence", "A done action needs its evidence of completion.")
        return data


class FinancialEntryForm(forms.ModelForm):
    class Meta:
        model = FinancialEntry
        fields = ["kind", "date", "amount", "note", "supporting_metric"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.initiative = initiative
        self.fields["supporting_metric"].queryset = Metric.objects.filter(initiative=initiative)
        self.fields["amount"].min_value = 0

    def clean(self):
        data = super().clean()
        amount = data.get("amount")
        if amount is not None and amount <= 0:
            self.add_error("amount", "Enter an amount above zero.")
        if data.get("kind") == EntryKind.INVESTMENT and data.get("supporting_metric"):
            self.add_error("supporting_metric", "Only a benefit rests on a KPI.")
        return data


class FlagStatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(s.value, s.label) for s in FlagStatus if s != FlagStatus.OPEN]
    )
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
