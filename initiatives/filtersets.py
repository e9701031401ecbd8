"""One FilterSet per model, shared by the HTML portfolio list and the API."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from initiatives.models import CustomerSegment, Department, Initiative, Membership, Stage


class IdField(forms.IntegerField):
    """A whole number a database key can hold: anything else is a 400, never a 500."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class IdFilter(django_filters.NumberFilter):
    """Filter on a foreign key's id (`?initiative_id=3`): whole numbers only."""

    field_class = IdField


class InitiativeFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    stage = django_filters.ChoiceFilter(choices=Stage.choices)
    segment_id = django_filters.ModelChoiceFilter(
        field_name="segments", queryset=CustomerSegment.objects.all(), label="Segment"
    )
    department_id = django_filters.ModelChoiceFilter(
        field_name="departments", queryset=Department.objects.all(), label="Department"
    )
    leader_id = django_filters.ModelChoiceFilter(
        field_name="leader", queryset=get_user_model().objects.all(), label="Leader"
    )
    sponsor_id = django_filters.ModelChoiceFilter(
        field_name="sponsor", queryset=get_user_model().objects.all(), label="Sponsor"
    )

    class Meta:
        model = Initiative
        fields = ["q", "stage", "segment_id", "department_id", "leader_id", "sponsor_id"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(problem__icontains=value))

    @property
    def qs(self):
        # Filtering on a many-to-many can repeat rows; each initiative shows once.
        return super().qs.distinct()


class MembershipFilterSet(django_filters.FilterSet):
    initiative_id = IdFilter(field_name="initiative_id")
    user_id = IdFilter(field_name="user_id")

    class Meta:
        model = Membership
        fields = ["initiative_id", "user_id"]


class NamedFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="Search")


class DepartmentFilterSet(NamedFilterSet):
    class Meta:
        model = Department
        fields = ["q"]


class SegmentFilterSet(NamedFilterSet):
    class Meta:
        model = CustomerSegment
        fields = ["q"]
