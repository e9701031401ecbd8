"""One FilterSet per model, shared by the HTML lists and the API."""

import django_filters
from django.db.models import F, Q

from initiatives.filtersets import IdFilter
from initiatives.models import Department
from mobilizing.models import (
    ActivityKind,
    AdoptionReading,
    EngagementActivity,
    Influence,
    IpaStatement,
    IpaSurvey,
    PulseQuestion,
    PulseSurvey,
    RolloutWave,
    Stakeholder,
    Support,
    SurveyStatus,
    WaveStatus,
    WaveUnit,
)


class StakeholderFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    initiative_id = IdFilter(field_name="initiative_id")
    department_id = django_filters.ModelChoiceFilter(
        field_name="department", queryset=Department.objects.all(), label="Department"
    )
    influence = django_filters.ChoiceFilter(choices=Influence.choices)
    support = django_filters.ChoiceFilter(choices=Support.choices)
    to_win = django_filters.BooleanFilter(method="filter_to_win", label="Still to win")

    class Meta:
        model = Stakeholder
        fields = ["q", "initiative_id", "department_id", "influence", "support", "to_win"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(planned_move__icontains=value))

    def filter_to_win(self, queryset, name, value):
        if value is None:
            return queryset
        still = Q(target_support__gt=F("support"))
        return queryset.filter(still) if value else queryset.exclude(still)


class ActivityFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    initiative_id = IdFilter(field_name="initiative_id")
    kind = django_filters.ChoiceFilter(choices=ActivityKind.choices)
    owner_id = IdFilter(field_name="owner_id")
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label="From")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label="To")

    class Meta:
        model = EngagementActivity
        fields = ["q", "kind", "date_from", "date_to", "initiative_id", "owner_id"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value) | Q(audience__icontains=value) | Q(notes__icontains=value)
        )


class PulseSurveyFilterSet(django_filters.FilterSet):
    initiative_id = IdFilter(field_name="initiative_id")
    status = django_filters.ChoiceFilter(choices=SurveyStatus.choices)

    class Meta:
        model = PulseSurvey
        fields = ["initiative_id", "status"]


class PulseQuestionFilterSet(django_filters.FilterSet):
    survey_id = IdFilter(field_name="survey_id")

    class Meta:
        model = PulseQuestion
        fields = ["survey_id", "kind"]


class WaveFilterSet(django_filters.FilterSet):
    initiative_id = IdFilter(field_name="initiative_id")
    status = django_filters.ChoiceFilter(choices=WaveStatus.choices)

    class Meta:
        model = RolloutWave
        fields = ["initiative_id", "status"]


class WaveUnitFilterSet(django_filters.FilterSet):
    wave_id = IdFilter(field_name="wave_id")

    class Meta:
        model = WaveUnit
        fields = ["wave_id", "kind"]


class ReadingFilterSet(django_filters.FilterSet):
    unit_id = IdFilter(field_name="unit_id")
    wave_id = IdFilter(field_name="unit__wave_id")
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = AdoptionReading
        fields = ["unit_id", "wave_id", "date_from", "date_to"]


class IpaSurveyFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label="Search")
    status = django_filters.ChoiceFilter(choices=SurveyStatus.choices)

    class Meta:
        model = IpaSurvey
        fields = ["q", "status"]


class IpaStatementFilterSet(django_filters.FilterSet):
    survey_id = IdFilter(field_name="survey_id")
    q = django_filters.CharFilter(field_name="text", lookup_expr="icontains", label="Search")

    class Meta:
        model = IpaStatement
        fields = ["survey_id", "q"]
