from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from learning.models import Measurement, Metric


@admin.register(Metric)
class MetricAdmin(SimpleHistoryAdmin):
    list_display = ["name", "initiative", "direction", "cadence", "baseline", "target", "hold_from"]
    list_filter = ["direction", "cadence", "in_management_reporting"]
    search_fields = ["name", "initiative__title"]
    readonly_fields = ["data_version", "created_at", "updated_at"]


@admin.register(Measurement)
class MeasurementAdmin(admin.ModelAdmin):
    list_display = ["metric", "period", "value", "source", "entered_by", "recorded_at"]
    list_filter = ["source"]
    search_fields = ["metric__name"]
    raw_id_fields = ["metric"]
    date_hierarchy = "period"
