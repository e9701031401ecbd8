from django import forms
from django.contrib.auth import get_user_model

from initiatives import roles
from initiatives.forms import UserChoiceField, users_with_role
from initiatives.locking import VersionedModelForm
from initiatives.models import Department
from mobilizing.models import (
    PULSE_SCALE,
    EngagementActivity,
    Influence,
    IpaSurvey,
    PulseQuestion,
    PulseSurvey,
    RolloutWave,
    Stakeholder,
    Support,
    SurveyStatus,
    WaveUnit,
)

User = get_user_model()
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class InitiativeBoundMixin:
    """Forms for an initiative's objects: keep the initiative for validation and rebase."""

    def __init__(self, *args, initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.initiative = initiative
        self.extra_kwargs = {"initiative": initiative}
        self.instance.initiative = initiative


class StakeholderForm(InitiativeBoundMixin, VersionedModelForm):
    class Meta:
        model = Stakeholder
        fields = [
            "name",
            "kind",
            "department",
            "influence",
            "support",
            "target_support",
            "planned_move",
        ]
        labels = {"support": "Support today", "target_support": "Planned support"}
        widgets = {"planned_move": forms.Textarea(attrs={"rows": 3})}

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        clash = Stakeholder.objects.filter(initiative=self.initiative, name__iexact=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("This initiative already has a stakeholder of that name.")
        return name


class StakeholderMoveForm(forms.Form):
    """Move a stakeholder to another cell of the influence x support grid."""

    influence = forms.TypedChoiceField(choices=Influence.choices, coerce=int)
    support = forms.TypedChoiceField(choices=Support.choices, coerce=int, label="Support today")
    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ActivityForm(InitiativeBoundMixin, VersionedModelForm):
    owner = UserChoiceField(queryset=User.objects.none(), required=False)

    class Meta:
        model = EngagementActivity
        fields = ["kind", "title", "audience", "date", "owner", "reach", "notes"]
        labels = {"reach": "Attendance or reach"}
        widgets = {"date": DATE, "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        i = self.initiative
        self.fields["owner"].queryset = User.objects.filter(
            pk__in=[i.leader_id, *i.memberships.values_list("user_id", flat=True)]
        ).order_by("username")


class PulseSurveyForm(InitiativeBoundMixin, VersionedModelForm):
    class Meta:
        model = PulseSurvey
        fields = ["title", "opens", "closes", "invited_elsewhere"]
        widgets = {"opens": DATE, "closes": DATE}

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens"), data.get("closes")
        if opens and closes and closes < opens:
            self.add_error("closes", "The survey cannot close before it opens.")
        return data


class NewPulseSurveyForm(PulseSurveyForm):
    start_from = forms.ChoiceField(
        label="Questions",
        choices=[("default", "The default questions (trust, skepticism, readiness, ADKAR)")],
        help_text="A recurring survey should ask what the previous one asked, so trends compare "
        "like with like.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        previous = (
            PulseSurvey.objects.filter(initiative=self.initiative).order_by("-opens", "-id").first()
        )
        self.previous = previous
        if previous:
            self.fields["start_from"].choices = [
                ("previous", f"The questions of “{previous.title}”"),
                *self.fields["start_from"].choices,
            ]


class PulseQuestionForm(forms.ModelForm):
    class Meta:
        model = PulseQuestion
        fields = ["text", "kind", "order"]


class SurveyStatusForm(forms.Form):
    status = forms.ChoiceField(choices=SurveyStatus.choices)


class InviteForm(forms.Form):
    department = forms.ModelChoiceField(
        queryset=Department.objects.all(), required=False, empty_label="No department"
    )
    count = forms.IntegerField(
        min_value=1, max_value=1000, label="Number of links", help_text="One link per respondent."
    )


class CsvImportForm(forms.Form):
    file = forms.FileField(label="CSV file")


def scale_choices(high: int):
    return [(str(v), str(v)) for v in range(1, high + 1)]


class PulseAnswerForm(forms.Form):
    """The anonymous answer page: one 1-5 choice per question."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for q in self.questions:
            self.fields[f"q{q.pk}"] = forms.TypedChoiceField(
                label=q.text,
                choices=scale_choices(PULSE_SCALE),
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": "Please choose a number from 1 to 5.",
                    "invalid_choice": "Please choose a number from 1 to 5.",
                },
            )

    def answers(self) -> dict[int, int]:
        return {q.pk: self.cleaned_data[f"q{q.pk}"] for q in self.questions}


class WaveForm(InitiativeBoundMixin, VersionedModelForm):
    class Meta:
        model = RolloutWave
        fields = [
            "name",
            "order",
            "status",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "target_adoption",
        ]
        widgets = dict.fromkeys(
            ("planned_start", "planned_end", "actual_start", "actual_end"), DATE
        )

    def clean_order(self):
        order = self.cleaned_data["order"]
        if order < 1:
            raise forms.ValidationError("The pilot is wave 1; order starts at 1.")
        clash = RolloutWave.objects.filter(initiative=self.initiative, order=order)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("Another wave has this position already.")
        return order

    def clean_target_adoption(self):
        value = self.cleaned_data["target_adoption"]
        if not 1 <= value <= 100:
            raise forms.ValidationError("A target adoption is a percentage from 1 to 100.")
        return value

    def clean(self):
        data = super().clean()
        ps, pe = data.get("planned_start"), data.get("planned_end")
        if ps and pe and pe < ps:
            self.add_error("planned_end", "The planned end cannot be before the planned start.")
        as_, ae = data.get("actual_start"), data.get("actual_end")
        if ae and not as_:
            self.add_error("actual_start", "A wave that ended must have started: give its start.")
        elif as_ and ae and ae < as_:
            self.add_error("actual_end", "The actual end cannot be before the actual start.")
        if data.get("status") == "done" and not ae:
            self.add_error("actual_end", "A done wave needs its actual end date.")
        return data


class WaveUnitForm(forms.ModelForm):
    class Meta:
        model = WaveUnit
        fields = ["name", "kind", "department", "segment"]

    def __init__(self, *args, wave, **kwargs):
        super().__init__(*args, **kwargs)
        self.wave = wave
        self.instance.wave = wave

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if WaveUnit.objects.filter(wave=self.wave, name__iexact=name).exists():
            raise forms.ValidationError("This wave has a unit of that name already.")
        return name


class ReadingForm(forms.Form):
    """An adoption reading; a second one for the same unit and day replaces the first."""

    unit = forms.ModelChoiceField(queryset=WaveUnit.objects.none())
    date = forms.DateField(widget=DATE)
    adoption_pct = forms.DecimalField(label="Adoption (%)", max_digits=5, decimal_places=1)

    def __init__(self, *args, initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = WaveUnit.objects.filter(
            wave__initiative=initiative
        ).select_related("wave")
        self.fields["unit"].label_from_instance = lambda u: f"{u.wave.name}: {u.name}"

    def clean_adoption_pct(self):
        value = self.cleaned_data["adoption_pct"]
        if not 0 <= value <= 100:
            raise forms.ValidationError("Adoption is a percentage from 0 to 100.")
        return value


class IpaSurveyForm(VersionedModelForm):
    class Meta:
        model = IpaSurvey
        fields = ["title", "description", "scale"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def clean_scale(self):
        scale = self.cleaned_data["scale"]
        if self.instance.pk and scale != self.instance.scale and self.instance.responses.exists():
            raise forms.ValidationError("The survey has responses: its scale can no longer change.")
        return scale


class IpaStatementsForm(forms.Form):
    lines = forms.CharField(
        label="Statements, one per line",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Paste a list to import many at once; existing statements are skipped.",
    )


class IpaInviteForm(forms.Form):
    count = forms.IntegerField(
        min_value=1, max_value=1000, label="Number of links", help_text="One link per respondent."
    )


class IpaAnswerForm(forms.Form):
    """Importance and performance, each on the survey's scale, for every statement."""

    def __init__(self, *args, survey, statements, **kwargs):
        super().__init__(*args, **kwargs)
        self.statements = list(statements)
        message = f"Please choose a number from 1 to {survey.scale}."
        for s in self.statements:
            for part in ("importance", "performance"):
                self.fields[f"{part}_{s.pk}"] = forms.TypedChoiceField(
                    label=f"{part.capitalize()}: {s.text}",
                    choices=scale_choices(survey.scale),
                    coerce=int,
                    widget=forms.RadioSelect,
                    error_messages={"required": message, "invalid_choice": message},
                )

    def rows(self):
        """[(statement, importance field, performance field)] for the template."""
        return [
            (s, self[f"importance_{s.pk}"], self[f"performance_{s.pk}"]) for s in self.statements
        ]

    def scores(self) -> dict[int, tuple[int, int]]:
        return {
            s.pk: (
                self.cleaned_data[f"importance_{s.pk}"],
                self.cleaned_data[f"performance_{s.pk}"],
            )
            for s in self.statements
        }


class IpaInitiativeForm(forms.Form):
    sponsor = UserChoiceField(
        queryset=users_with_role(roles.EXECUTIVE),
        help_text="The executive who will approve its charter.",
    )
