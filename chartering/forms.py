from django import forms
from django.contrib.auth import get_user_model

from chartering.models import Charter, Deliverable, RaciRole, ScopeItem
from initiatives.forms import UserChoiceField
from initiatives.locking import VersionedModelForm


class CharterForm(VersionedModelForm):
    class Meta:
        model = Charter
        fields = [
            "problem_area",
            "priorities",
            "resources",
            "reporting_line",
            "guiding_principles",
            "ground_rules",
            "conflict_resolution",
            "decision_approach",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3}) for name in fields if name != "reporting_line"
        }


class ScopeItemForm(forms.ModelForm):
    class Meta:
        model = ScopeItem
        fields = ["kind", "text"]


class DeliverableForm(forms.ModelForm):
    class Meta:
        model = Deliverable
        fields = ["name"]

    def __init__(self, *args, charter: Charter, **kwargs):
        super().__init__(*args, **kwargs)
        self.charter = charter

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if self.charter.deliverables.filter(name__iexact=name).exists():
            raise forms.ValidationError("This charter already has a deliverable of that name.")
        return name


class RaciForm(forms.Form):
    """Set one cell of the RACI matrix: a member's role for a deliverable (blank clears it)."""

    deliverable = forms.ModelChoiceField(queryset=Deliverable.objects.none())
    user = UserChoiceField(queryset=get_user_model().objects.none())
    role = forms.ChoiceField(choices=[("", "—")] + list(RaciRole.choices), required=False)

    def __init__(self, *args, charter: Charter, **kwargs):
        super().__init__(*args, **kwargs)
        self.charter = charter
        self.fields["deliverable"].queryset = charter.deliverables.all()
        self.fields["user"].queryset = get_user_model().objects.filter(
            memberships__initiative=charter.initiative
        )

    def clean(self):
        data = super().clean()
        deliverable, user = data.get("deliverable"), data.get("user")
        if data.get("role") == RaciRole.ACCOUNTABLE and deliverable and user:
            other = deliverable.raci.filter(role=RaciRole.ACCOUNTABLE).exclude(user=user).first()
            if other:
                self.add_error(
                    "role",
                    f"{other.user} is already accountable for {deliverable}: a deliverable has "
                    "exactly one accountable. Change theirs first.",
                )
        return data
