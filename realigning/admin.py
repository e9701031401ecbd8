from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from realigning.models import FinancialEntry, MetricWatch, RealignmentAction, RelapseFlag


@admin.register(RelapseFlag)
class RelapseFlagAdmin(SimpleHistoryAdmin):
    list_display = ["metric", "rule", "severity", "fired_on", "slide_began", "status"]
    list_filter = ["status", "severity", "rule"]
    search_fields = ["metric__name", "metric__initiative__title"]
    readonly_fields = ["evidence", "created_at", "notified_at"]


@admin.register(MetricWatch)
class MetricWatchAdmin(admin.ModelAdmin):
    list_display = ["metric", "checked_version", "checked_at", "status", "level", "sigma"]
    list_filter = ["status"]
    search_fields = ["metric__name"]


@admin.register(RealignmentAction)
class RealignmentActionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "initiative", "kind", "owner", "due_date", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "initiative__title"]


@admin.register(FinancialEntry)
class FinancialEntryAdmin(SimpleHistoryAdmin):
    list_display = ["initiative", "kind", "date", "amount", "supporting_metric"]
    list_filter = ["kind"]
    search_fields = ["initiative__title", "note"]
