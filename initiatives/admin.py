from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from initiatives.models import CustomerSegment, Department, Initiative, Membership


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(CustomerSegment)
class CustomerSegmentAdmin(admin.ModelAdmin):
    list_display = ["name", "customer_manager"]
    search_fields = ["name"]
    autocomplete_fields = ["customer_manager"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user", "department"]


@admin.register(Initiative)
class InitiativeAdmin(SimpleHistoryAdmin):
    list_display = ["title", "stage", "leader", "sponsor", "target_date"]
    list_filter = ["stage", "segments", "departments"]
    search_fields = ["title", "problem"]
    autocomplete_fields = ["leader", "sponsor"]
    filter_horizontal = ["segments", "departments"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "initiative", "role", "department"]
    search_fields = ["user__username", "initiative__title", "role"]
    autocomplete_fields = ["user", "initiative", "department"]
