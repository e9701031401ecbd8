from django import forms
from django.contrib.auth import get_user_model

from initiatives import roles
from initiatives.locking import VersionedModelForm
from initiatives.models import Initiative, Membership

User = get_user_model()


def users_with_role(role: str):
    return User.objects.filter(is_active=True, groups__name=role).order_by("username")


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username


class InitiativeForm(VersionedModelForm):
    sponsor = UserChoiceField(queryset=users_with_role(roles.EXECUTIVE))
    leader = UserChoiceField(queryset=users_with_role(roles.CHANGE_LEADER))

    class Meta:
        model = Initiative
        fields = [
            "title",
            "problem",
            "sponsor",
            "leader",
            "segments",
            "departments",
            "start_date",
            "target_date",
            "investment",
            "expected_benefit",
        ]
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 3}),
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "target_date": forms.DateInput(attrs={"type": "date"}),
            "segments": forms.CheckboxSelectMultiple,
            "departments": forms.CheckboxSelectMultiple,
        }

    def clean(self):
        data = super().clean()
        start, target = data.get("start_date"), data.get("target_date")
        if start and target and target < start:
            self.add_error("target_date", "The target date cannot be before the start date.")
        return data


class MembershipForm(forms.ModelForm):
    user = UserChoiceField(queryset=User.objects.filter(is_active=True).order_by("username"))

    class Meta:
        model = Membership
        fields = ["user", "role", "department", "skills"]

    def __init__(self, *args, initiative: Initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.initiative = initiative
        self.instance.initiative = initiative

    def clean_user(self):
        user = self.cleaned_data["user"]
        taken = Membership.objects.filter(initiative=self.initiative, user=user)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError("This person is already on the team.")
        return user
