from django import forms
from django.utils import timezone

from initiatives.locking import VersionedModelForm
from initiatives.models import CustomerSegment, Department
from learning.baselines import baseline_of_period
from learning.importing import MAX_BYTES
from learning.models import Decision, Experiment, ExperimentStatus, Insight, Lesson, Metric


class MetricForm(VersionedModelForm):
    compute_baseline = forms.BooleanField(
        required=False,
        label="Compute the baseline from the measurements of the baseline period",
        help_text="Takes the mean and spread of the values between the two dates.",
    )

    class Meta:
        model = Metric
        fields = [
            "name",
            "unit",
            "direction",
            "cadence",
            "owner",
            "department",
            "segment",
            "baseline_from",
            "baseline_to",
            "compute_baseline",
            "baseline",
            "baseline_spread",
            "target",
            "hold_from",
            "in_management_reporting",
        ]
        widgets = {
            "baseline_from": forms.DateInput(attrs={"type": "date"}),
            "baseline_to": forms.DateInput(attrs={"type": "date"}),
            "hold_from": forms.DateInput(attrs={"type": "date"}),
        }
        labels = {
            "department": "Department or touchpoint",
            "segment": "Customer segment",
            "baseline_spread": "Baseline spread (standard deviation)",
            "hold_from": "Improved level holds from",
        }

    def __init__(self, *args, initiative, **kwargs):
        self.initiative = initiative
        self.extra_kwargs = {"initiative": initiative}
        super().__init__(*args, **kwargs)
        self.instance.initiative = initiative
        team = [initiative.leader_id, *initiative.memberships.values_list("user_id", flat=True)]
        self.fields["owner"].queryset = self.fields["owner"].queryset.filter(pk__in=team)
        for name in ("baseline", "baseline_spread", "target"):
            self.fields[name].widget.attrs.update(step="any", inputmode="decimal")

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        clash = Metric.objects.filter(initiative=self.initiative, name__iexact=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("This initiative has a KPI of that name already.")
        return name

    def clean(self):
        data = super().clean()
        start, end = data.get("baseline_from"), data.get("baseline_to")
        if start and end and end < start:
            self.add_error("baseline_to", "The baseline period ends before it starts.")
        elif data.get("compute_baseline"):
            if not (start and end):
                self.add_error("baseline_from", "Pick the baseline period to compute from.")
            elif not self.instance.pk:
                self.add_error("compute_baseline", "Save the KPI and log its measurements first.")
            else:
                stats = baseline_of_period(self.instance.pk, start, end)
                if stats.n < 2:
                    self.add_error(
                        "compute_baseline",
                        f"The period has {stats.n} measurement{'s' if stats.n != 1 else ''}; "
                        "at least 2 are needed.",
                    )
                else:
                    data["baseline"], data["baseline_spread"] = stats.mean, stats.spread
                    self.instance.baseline = stats.mean
                    self.instance.baseline_spread = stats.spread
        return data


def _metric_choices(initiative):
    return Metric.objects.filter(initiative=initiative).order_by("name")


class MeasurementForm(forms.Form):
    """One value, fast on a phone: KPI, day, value."""

    metric = forms.ModelChoiceField(queryset=Metric.objects.none(), label="KPI")
    period = forms.DateField(
        label="Date",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Weekly KPIs file it under the week's Monday, monthly under the 1st.",
    )
    value = forms.FloatField(
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal", "autofocus": True})
    )

    def __init__(self, *args, initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].queryset = _metric_choices(initiative)
        self.fields["period"].initial = timezone.localdate()

    def clean_value(self):
        import math

        value = self.cleaned_data["value"]
        if not math.isfinite(value):
            raise forms.ValidationError("Enter a number.")
        return value


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        allow_empty_file=True,  # reported like every other problem: "empty file", line 1
        help_text="Columns metric,period,value (a header line first); the metric is the KPI's "
        "name or id; period as YYYY-MM-DD. 10 MB at most.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > MAX_BYTES:
            raise forms.ValidationError(
                f"The file is {f.size / 1024 / 1024:.1f} MB; the limit is "
                f"{MAX_BYTES // (1024 * 1024)} MB. Split it into smaller files."
            )
        return f


class InsightForm(forms.ModelForm):
    class Meta:
        model = Insight
        fields = ["source", "segment", "department", "touchpoint", "text", "tags"]
        labels = {"department": "Department"}


class NpsImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        allow_empty_file=True,
        help_text="Columns date,score,segment,why (optionally respondent, the survey tool's "
        "response id, so importing it again updates instead of duplicating).",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class LessonForm(forms.ModelForm):
    class Meta:
        model = Lesson
        fields = ["title", "tried", "failed", "why", "segments", "departments"]
        widgets = {
            "segments": forms.CheckboxSelectMultiple,
            "departments": forms.CheckboxSelectMultiple,
        }


class ExperimentForm(VersionedModelForm):
    class Meta:
        model = Experiment
        fields = [
            "title",
            "hypothesis",
            "metric",
            "control_metric",
            "segments",
            "departments",
            "sites",
            "start",
            "end",
            "status",
            "refines",
        ]
        widgets = {
            "start": forms.DateInput(attrs={"type": "date"}),
            "end": forms.DateInput(attrs={"type": "date"}),
            "segments": forms.CheckboxSelectMultiple,
            "departments": forms.CheckboxSelectMultiple,
        }
        labels = {"metric": "KPI it should move", "control_metric": "Control KPI (optional)"}

    def __init__(self, *args, initiative, **kwargs):
        self.initiative = initiative
        self.extra_kwargs = {"initiative": initiative}
        super().__init__(*args, **kwargs)
        self.instance.initiative = initiative
        self.fields["metric"].queryset = _metric_choices(initiative)
        self.fields["metric"].required = True
        self.fields["control_metric"].queryset = _metric_choices(initiative)
        self.fields["segments"].queryset = CustomerSegment.objects.all()
        self.fields["departments"].queryset = Department.objects.all()
        earlier = Experiment.objects.filter(initiative=initiative)
        if self.instance.pk:
            earlier = earlier.exclude(pk=self.instance.pk)
        self.fields["refines"].queryset = earlier
        self.fields["refines"].label = "Iteration of (refines)"
        # Concluding happens with a decision, on the experiment page (change leaders).
        statuses = [ExperimentStatus.PLANNED, ExperimentStatus.RUNNING]
        if self.instance.status == ExperimentStatus.CONCLUDED:
            statuses = [ExperimentStatus.CONCLUDED]  # a decided pilot stays concluded
        self.fields["status"].choices = [(s.value, s.label) for s in statuses]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "The pilot ends before it starts.")
        metric, control = data.get("metric"), data.get("control_metric")
        if metric and control and metric == control:
            self.add_error("control_metric", "The control must be another KPI.")
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=Decision.choices, widget=forms.RadioSelect)
    learned = forms.CharField(
        label="What we learned",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why adopt, adapt or abandon: the lesson for the next iteration.",
    )
