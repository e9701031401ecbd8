from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from mobilizing.models import (
    AdoptionReading,
    EngagementActivity,
    IpaInvitation,
    IpaResponse,
    IpaScore,
    IpaStatement,
    IpaSurvey,
    PulseAnswer,
    PulseInvitation,
    PulseQuestion,
    PulseResponse,
    PulseSurvey,
    RolloutWave,
    Stakeholder,
    WaveUnit,
)


@admin.register(Stakeholder)
class StakeholderAdmin(SimpleHistoryAdmin):
    list_display = ["name", "initiative", "influence", "support", "target_support"]
    list_filter = ["influence", "support", "kind"]
    search_fields = ["name", "initiative__title", "planned_move"]


@admin.register(EngagementActivity)
class EngagementActivityAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "initiative", "date", "reach"]
    list_filter = ["kind"]
    search_fields = ["title", "audience", "initiative__title"]
    date_hierarchy = "date"


class PulseQuestionInline(admin.TabularInline):
    model = PulseQuestion
    extra = 0


@admin.register(PulseSurvey)
class PulseSurveyAdmin(SimpleHistoryAdmin):
    list_display = ["title", "initiative", "status", "opens", "closes"]
    list_filter = ["status"]
    search_fields = ["title", "initiative__title"]
    inlines = [PulseQuestionInline]


@admin.register(PulseQuestion)
class PulseQuestionAdmin(SimpleHistoryAdmin):
    list_display = ["text", "kind", "survey", "order"]
    list_filter = ["kind"]
    search_fields = ["text", "survey__title"]


@admin.register(PulseInvitation)
class PulseInvitationAdmin(admin.ModelAdmin):
    list_display = ["survey", "department", "created_at", "used_at"]
    list_filter = ["department"]
    search_fields = ["survey__title"]
    readonly_fields = ["token", "used_at"]


class PulseAnswerInline(admin.TabularInline):
    model = PulseAnswer
    extra = 0


@admin.register(PulseResponse)
class PulseResponseAdmin(admin.ModelAdmin):
    """Anonymous: department and answers only."""

    list_display = ["id", "survey", "department", "source"]
    list_filter = ["source", "department"]
    search_fields = ["survey__title"]
    inlines = [PulseAnswerInline]


class WaveUnitInline(admin.TabularInline):
    model = WaveUnit
    extra = 0


@admin.register(RolloutWave)
class RolloutWaveAdmin(SimpleHistoryAdmin):
    list_display = ["name", "initiative", "order", "status", "planned_start", "planned_end"]
    list_filter = ["status"]
    search_fields = ["name", "initiative__title"]
    inlines = [WaveUnitInline]


@admin.register(WaveUnit)
class WaveUnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "wave"]
    list_filter = ["kind"]
    search_fields = ["name", "wave__name"]


@admin.register(AdoptionReading)
class AdoptionReadingAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "date", "adoption_pct"]
    search_fields = ["unit__name"]
    date_hierarchy = "date"


class IpaStatementInline(admin.TabularInline):
    model = IpaStatement
    extra = 0
    fields = ["order", "text", "initiative"]


@admin.register(IpaSurvey)
class IpaSurveyAdmin(SimpleHistoryAdmin):
    list_display = ["title", "status", "scale", "created_by", "created_at"]
    list_filter = ["status", "scale"]
    search_fields = ["title"]
    inlines = [IpaStatementInline]


@admin.register(IpaStatement)
class IpaStatementAdmin(SimpleHistoryAdmin):
    list_display = ["text", "survey", "order"]
    search_fields = ["text", "survey__title"]


@admin.register(IpaInvitation)
class IpaInvitationAdmin(admin.ModelAdmin):
    list_display = ["survey", "created_at", "used_at"]
    search_fields = ["survey__title"]
    readonly_fields = ["token", "used_at"]


class IpaScoreInline(admin.TabularInline):
    model = IpaScore
    extra = 0


@admin.register(IpaResponse)
class IpaResponseAdmin(admin.ModelAdmin):
    list_display = ["id", "survey", "source"]
    list_filter = ["source"]
    search_fields = ["survey__title"]
    inlines = [IpaScoreInline]
