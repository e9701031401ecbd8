from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from learning.models import (
    Experiment,
    Insight,
    Lesson,
    Measurement,
    MeasurementImport,
    Metric,
    NpsResponse,
)


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


@admin.register(Insight)
class InsightAdmin(SimpleHistoryAdmin):
    list_display = ["initiative", "source", "segment", "touchpoint", "created_at"]
    list_filter = ["source", "segment"]
    search_fields = ["text", "tags", "initiative__title"]
    raw_id_fields = ["initiative"]


@admin.register(NpsResponse)
class NpsResponseAdmin(admin.ModelAdmin):
    list_display = ["initiative", "segment", "responded_on", "score", "source"]
    list_filter = ["segment", "source"]
    search_fields = ["why", "respondent", "initiative__title"]
    raw_id_fields = ["initiative"]
    date_hierarchy = "responded_on"


@admin.register(Lesson)
class LessonAdmin(SimpleHistoryAdmin):
    list_display = ["title", "initiative", "created_at"]
    search_fields = ["title", "tried", "failed", "why"]
    filter_horizontal = ["segments", "departments"]


@admin.register(Experiment)
class ExperimentAdmin(SimpleHistoryAdmin):
    list_display = ["title", "initiative", "metric", "status", "decision", "start", "end"]
    list_filter = ["status", "decision"]
    search_fields = ["title", "hypothesis", "learned", "initiative__title"]
    raw_id_fields = ["initiative", "metric", "control_metric", "refines"]
    filter_horizontal = ["segments", "departments"]


@admin.register(MeasurementImport)
class MeasurementImportAdmin(admin.ModelAdmin):
    list_display = ["initiative", "filename", "status", "rows_total", "rows_done", "created_at"]
    list_filter = ["status"]
    search_fields = ["filename", "initiative__title"]
    readonly_fields = ["raw_text", "errors", "created_at", "finished_at"]
