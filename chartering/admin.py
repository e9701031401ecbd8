from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from chartering.models import Charter, Deliverable, RaciAssignment, ScopeItem


class ScopeItemInline(admin.TabularInline):
    model = ScopeItem
    extra = 0


class DeliverableInline(admin.TabularInline):
    model = Deliverable
    extra = 0


@admin.register(Charter)
class CharterAdmin(SimpleHistoryAdmin):
    list_display = ["initiative", "version", "status", "approved_by", "approved_at"]
    list_filter = ["status"]
    search_fields = ["initiative__title", "problem_area"]
    readonly_fields = ["approved_by", "approved_at", "created_at", "updated_at"]
    inlines = [ScopeItemInline, DeliverableInline]


@admin.register(ScopeItem)
class ScopeItemAdmin(SimpleHistoryAdmin):
    list_display = ["text", "kind", "charter"]
    list_filter = ["kind"]
    search_fields = ["text"]


class RaciInline(admin.TabularInline):
    model = RaciAssignment
    extra = 0


@admin.register(Deliverable)
class DeliverableAdmin(admin.ModelAdmin):
    list_display = ["name", "charter"]
    search_fields = ["name", "charter__initiative__title"]
    inlines = [RaciInline]


@admin.register(RaciAssignment)
class RaciAssignmentAdmin(admin.ModelAdmin):
    list_display = ["deliverable", "user", "role"]
    list_filter = ["role"]
