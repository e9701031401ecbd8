"""One FilterSet per model, shared by the HTML lists and the API."""

import django_filters
from django.db.models import Q

from initiatives.filtersets import IdFilter
from initiatives.models import CustomerSegment, Department
from learning.models import (
    Decision,
    Experiment,
    ExperimentStatus,
    Insight,
    InsightSource,
    Lesson,
    Measurement,
    Metric,
    NpsResponse,
)


class MetricFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="Search")
    initiative_id = IdFilter(field_name="initiative_id")
    in_management_reporting = django_filters.BooleanFilter()

    class Meta:
        model = Metric
        fields = ["q", "initiative_id", "direction", "cadence", "in_management_reporting"]


class MeasurementFilterSet(django_filters.FilterSet):
    metric_id = IdFilter(field_name="metric_id")
    initiative_id = IdFilter(field_name="metric__initiative_id")
    period_after = django_filters.DateFilter(field_name="period", lookup_expr="gte")
    period_before = django_filters.DateFilter(field_name="period", lookup_expr="lte")

    class Meta:
        model = Measurement
        fields = ["metric_id", "initiative_id", "period_after", "period_before", "source"]


class InsightFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    source = django_filters.ChoiceFilter(choices=InsightSource.choices)
    segment_id = django_filters.ModelChoiceFilter(
        field_name="segment", queryset=CustomerSegment.objects.all(), label="Segment"
    )
    department_id = django_filters.ModelChoiceFilter(
        field_name="department", queryset=Department.objects.all(), label="Department"
    )
    tag = django_filters.CharFilter(field_name="tags", lookup_expr="icontains", label="Tag")
    initiative_id = IdFilter(field_name="initiative_id", label="Initiative")

    class Meta:
        model = Insight
        fields = ["q", "source", "segment_id", "department_id", "tag", "initiative_id"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(text__icontains=value) | Q(tags__icontains=value) | Q(touchpoint__icontains=value)
        )


class NpsFilterSet(django_filters.FilterSet):
    initiative_id = IdFilter(field_name="initiative_id")
    segment_id = django_filters.ModelChoiceFilter(
        field_name="segment", queryset=CustomerSegment.objects.all(), label="Segment"
    )
    responded_after = django_filters.DateFilter(
        field_name="responded_on", lookup_expr="gte", label="From"
    )
    responded_before = django_filters.DateFilter(
        field_name="responded_on", lookup_expr="lte", label="To"
    )
    q = django_filters.CharFilter(field_name="why", lookup_expr="icontains", label="Search")

    class Meta:
        model = NpsResponse
        fields = ["initiative_id", "segment_id", "responded_after", "responded_before", "q"]


class LessonFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    segment_id = django_filters.ModelChoiceFilter(
        field_name="segments", queryset=CustomerSegment.objects.all(), label="Segment"
    )
    department_id = django_filters.ModelChoiceFilter(
        field_name="departments", queryset=Department.objects.all(), label="Department"
    )

    class Meta:
        model = Lesson
        fields = ["q", "segment_id", "department_id"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value)
            | Q(tried__icontains=value)
            | Q(failed__icontains=value)
            | Q(why__icontains=value)
        )

    @property
    def qs(self):
        return super().qs.distinct()


class ExperimentFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    initiative_id = IdFilter(field_name="initiative_id")
    metric_id = IdFilter(field_name="metric_id")
    status = django_filters.ChoiceFilter(choices=ExperimentStatus.choices)
    decision = django_filters.ChoiceFilter(choices=Decision.choices)
    refines_id = IdFilter(field_name="refines_id")

    class Meta:
        model = Experiment
        fields = ["q", "initiative_id", "metric_id", "status", "decision", "refines_id"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value) | Q(hypothesis__icontains=value) | Q(learned__icontains=value)
        )
