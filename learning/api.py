"""REST API of learning: KPIs, measurements (with a bulk upsert), insights, NPS, lessons,
experiments (with their computed result and the leader's decision)."""

from django.db.models import Exists, OuterRef
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from initiatives.access import MANAGE
from initiatives.api_base import InitiativeScopedViewSet, ScopedRelatedField, VisibleInitiativeField
from initiatives.locking import StaleEdit, claim_version
from initiatives.models import Initiative
from learning import experiments as experiment_logic
from learning import importing, nps
from learning.filtersets import (
    ExperimentFilterSet,
    InsightFilterSet,
    LessonFilterSet,
    MeasurementFilterSet,
    MetricFilterSet,
    NpsFilterSet,
)
from learning.measurements import delete_measurement, normalise_period, record_measurements
from learning.models import (
    Decision,
    Experiment,
    ExperimentStatus,
    Insight,
    Lesson,
    Measurement,
    Metric,
    NpsResponse,
    Source,
)

MAX_BULK_ROWS = 50_000


@extend_schema_field(OpenApiTypes.INT)
class InitiativeIdField(VisibleInitiativeField):
    """An initiative id (for plain serializers, where the schema can't infer the type)."""


def _visible_metrics(user):
    if user is None:
        return Metric.objects.none()
    return Metric.objects.filter(initiative__in=Initiative.objects.visible_to(user))


def MetricField(**kwargs):  # noqa: N802 - reads like a field class
    return ScopedRelatedField(
        scope=_visible_metrics, initiative_of=lambda m: m.initiative, **kwargs
    )


def _same_initiative(attrs, instance, *names):
    initiative = attrs.get("initiative", getattr(instance, "initiative", None))
    for name in names:
        obj = attrs.get(name)
        if obj is not None and initiative is not None and obj.initiative_id != initiative.pk:
            raise serializers.ValidationError({name: "This KPI belongs to another initiative."})


class MetricSerializer(serializers.ModelSerializer):
    initiative = VisibleInitiativeField()

    class Meta:
        model = Metric
        fields = [
            "id",
            "initiative",
            "name",
            "unit",
            "direction",
            "cadence",
            "owner",
            "department",
            "segment",
            "baseline",
            "baseline_spread",
            "baseline_from",
            "baseline_to",
            "target",
            "hold_from",
            "in_management_reporting",
            "data_version",
            "created_at",
            "updated_at",
            "lock_version",
        ]
        read_only_fields = ["data_version"]
        extra_kwargs = {"lock_version": {"required": False}}

    def validate(self, attrs):
        initiative = attrs.get("initiative", getattr(self.instance, "initiative", None))
        if self.instance and initiative != self.instance.initiative:
            raise serializers.ValidationError({"initiative": "A KPI cannot move initiatives."})
        name = attrs.get("name", getattr(self.instance, "name", ""))
        clash = Metric.objects.filter(initiative=initiative, name__iexact=name.strip())
        if self.instance:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise serializers.ValidationError({"name": "This initiative has a KPI of that name."})
        start = attrs.get("baseline_from", getattr(self.instance, "baseline_from", None))
        end = attrs.get("baseline_to", getattr(self.instance, "baseline_to", None))
        if start and end and end < start:
            raise serializers.ValidationError({"baseline_to": "The period ends before it starts."})
        return attrs

    def create(self, validated_data):
        validated_data.pop("lock_version", None)
        return super().create(validated_data)

    def update(self, instance, validated_data):
        """Optimistic locking, as on the KPI's edit page: a stale lock_version is a 400."""
        expected = validated_data.pop("lock_version", instance.lock_version)
        try:
            claim_version(instance, expected)
        except StaleEdit as exc:
            raise serializers.ValidationError(
                {
                    "lock_version": "Someone else saved this KPI meanwhile; fetch it again "
                    "and re-apply your change."
                }
            ) from exc
        return super().update(instance, validated_data)


class MetricViewSet(InitiativeScopedViewSet):
    """KPIs: change leaders manage them; everyone who sees the initiative reads them."""

    queryset = Metric.objects.select_related("initiative")
    serializer_class = MetricSerializer
    filterset_class = MetricFilterSet
    write_perm = MANAGE


class MeasurementSerializer(serializers.ModelSerializer):
    metric = MetricField()
    source = serializers.CharField(read_only=True, help_text="form, csv, api or demo")

    class Meta:
        model = Measurement
        fields = ["id", "metric", "period", "value", "source", "entered_by", "recorded_at"]
        read_only_fields = ["source", "entered_by", "recorded_at"]
        validators = []  # writing a period again updates it (an upsert), never a 400

    def validate_value(self, value):
        if importing.parse_value(value) is None:
            raise serializers.ValidationError("A finite number is required.")
        return value

    def validate(self, attrs):
        if self.instance and "metric" in attrs and attrs["metric"] != self.instance.metric:
            raise serializers.ValidationError({"metric": "A value cannot move to another KPI."})
        return attrs


class BulkMeasurementSerializer(serializers.Serializer):
    initiative = InitiativeIdField()
    # Rows are checked by learning.importing.check_rows (every error with its index), so the
    # list itself is not validated item by item here: that doubled the time of a bulk call.
    rows = serializers.ListField(
        allow_empty=False,
        max_length=MAX_BULK_ROWS,
        help_text='[{"metric": id or name, "period": "YYYY-MM-DD", "value": 1.5}, ...]',
    )


class BulkResultSerializer(serializers.Serializer):
    written = serializers.IntegerField()
    metrics = serializers.ListField(child=serializers.IntegerField())


def _bulk_records(rows):
    for index, row in enumerate(rows):
        if not isinstance(row, dict):
            yield index, None, None, None
            continue
        yield index, row.get("metric", ""), row.get("period", ""), row.get("value", "")


def _row_errors(errors) -> list[dict]:
    return [{"index": e.line, "reason": e.reason, "detail": e.detail} for e in errors]


class MeasurementViewSet(InitiativeScopedViewSet):
    """Measurements: team members log them; a period written again is updated."""

    queryset = Measurement.objects.select_related("metric__initiative")
    serializer_class = MeasurementSerializer
    filterset_class = MeasurementFilterSet
    initiative_path = "metric__initiative"

    def initiative_for_create(self, serializer):
        return serializer.validated_data["metric"].initiative

    def _write(self, serializer):
        data = serializer.validated_data
        metric = data.get("metric") or serializer.instance.metric
        period = normalise_period(data.get("period") or serializer.instance.period, metric.cadence)
        value = data.get("value", getattr(serializer.instance, "value", None))
        record_measurements([(metric.pk, period, value)], source=Source.API, user=self.request.user)
        serializer.instance = Measurement.objects.get(metric=metric, period=period)

    def perform_create(self, serializer):
        self.check_write(self.initiative_for_create(serializer))
        self._write(serializer)

    def perform_update(self, serializer):
        self.check_write(self.initiative_of(serializer.instance))
        self._write(serializer)

    def perform_destroy(self, instance):
        self.check_write(self.initiative_of(instance))
        delete_measurement(instance)

    @extend_schema(
        request=BulkMeasurementSerializer,
        responses={
            200: BulkResultSerializer,
            400: OpenApiResponse(description="Every invalid row with its index and reason"),
        },
    )
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        """Upsert many rows at once: all are validated, and none written unless all are valid."""
        serializer = BulkMeasurementSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)  # checks write access to the initiative
        initiative = serializer.validated_data["initiative"]
        self.check_write(initiative)
        rows = serializer.validated_data["rows"]
        checked = importing.check_rows(
            _bulk_records(rows), importing.MetricLookup(initiative.pk), unit="row"
        )
        if checked.errors:
            return Response(
                {
                    "detail": f"{len({e.line for e in checked.errors})} of {len(rows)} rows are "
                    "invalid; nothing was written.",
                    "rows": _row_errors(checked.errors),
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        written = record_measurements(checked.rows, source=Source.API, user=request.user)
        return Response(
            {"written": written, "metrics": sorted({r[0] for r in checked.rows})},
            status=status.HTTP_200_OK,
        )


class InsightSerializer(serializers.ModelSerializer):
    initiative = VisibleInitiativeField()

    class Meta:
        model = Insight
        fields = [
            "id",
            "initiative",
            "source",
            "segment",
            "department",
            "touchpoint",
            "text",
            "tags",
            "created_by",
            "created_at",
        ]
        read_only_fields = ["created_by"]


class CreatedByMixin:
    def perform_create(self, serializer):
        self.check_write(self.initiative_for_create(serializer))
        serializer.save(created_by=self.request.user)


class InsightViewSet(CreatedByMixin, InitiativeScopedViewSet):
    queryset = Insight.objects.select_related("initiative")
    serializer_class = InsightSerializer
    filterset_class = InsightFilterSet


class NpsResponseSerializer(serializers.ModelSerializer):
    initiative = VisibleInitiativeField()
    category = serializers.CharField(read_only=True)
    source = serializers.CharField(read_only=True, help_text="form, csv, api or demo")

    class Meta:
        model = NpsResponse
        fields = [
            "id",
            "initiative",
            "segment",
            "responded_on",
            "score",
            "category",
            "why",
            "respondent",
            "source",
            "created_at",
        ]
        read_only_fields = ["source"]
        extra_kwargs = {"score": {"min_value": 0, "max_value": 10}}

    def validate(self, attrs):
        initiative = attrs.get("initiative", getattr(self.instance, "initiative", None))
        respondent = attrs.get("respondent", "")
        if respondent:
            clash = NpsResponse.objects.filter(initiative=initiative, respondent=respondent)
            if self.instance:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                raise serializers.ValidationError(
                    {
                        "respondent": "A response with this id exists; use the bulk endpoint "
                        "to update, or PATCH it."
                    }
                )
        return attrs


class BulkNpsSerializer(serializers.Serializer):
    initiative = InitiativeIdField()
    rows = serializers.ListField(
        child=serializers.JSONField(),
        allow_empty=False,
        max_length=MAX_BULK_ROWS,
        help_text='[{"responded_on": "YYYY-MM-DD", "score": 0-10, "segment": id or name, '
        '"why": "...", "respondent": "optional id"}, ...]',
    )


class NpsResponseViewSet(InitiativeScopedViewSet):
    queryset = NpsResponse.objects.select_related("initiative")
    serializer_class = NpsResponseSerializer
    filterset_class = NpsFilterSet

    def perform_create(self, serializer):
        self.check_write(self.initiative_for_create(serializer))
        serializer.save(created_by=self.request.user, source=Source.API)

    @extend_schema(request=BulkNpsSerializer, responses={200: BulkResultSerializer})
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        """Import many responses; a respondent id seen before is updated. All or nothing."""
        serializer = BulkNpsSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        initiative = serializer.validated_data["initiative"]
        self.check_write(initiative)
        segments = nps.segment_lookup()
        segments.update({str(pk): pk for pk in set(segments.values())})

        def records():
            for i, row in enumerate(serializer.validated_data["rows"]):
                row = row if isinstance(row, dict) else {}
                segment = row.get("segment") or ""
                yield (
                    i,
                    row.get("responded_on", ""),
                    row.get("score", ""),
                    str(segment),
                    row.get("why", ""),
                    row.get("respondent", ""),
                )

        checked = nps.check_records(records(), segments)
        if checked.errors:
            return Response(
                {
                    "detail": "Invalid rows; nothing was written.",
                    "rows": _row_errors(checked.errors),
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        written = nps.record_responses(
            initiative, checked.rows, source=Source.API, user=request.user
        )
        return Response({"written": written, "metrics": []})


class LessonSerializer(serializers.ModelSerializer):
    initiative = VisibleInitiativeField()

    class Meta:
        model = Lesson
        fields = [
            "id",
            "initiative",
            "title",
            "tried",
            "failed",
            "why",
            "segments",
            "departments",
            "created_by",
            "created_at",
        ]
        read_only_fields = ["created_by"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not getattr(instance, "source_visible", True):
            data["initiative"] = None  # lessons are shared; their initiative is not
        return data


class LessonViewSet(CreatedByMixin, InitiativeScopedViewSet):
    """Lessons: readable by every signed-in user; written by the initiative's team."""

    queryset = Lesson.objects.prefetch_related("segments", "departments")
    serializer_class = LessonSerializer
    filterset_class = LessonFilterSet

    def get_queryset(self):
        visible = Initiative.objects.visible_to(self.request.user).filter(
            pk=OuterRef("initiative_id")
        )
        return self.queryset.select_related("initiative").annotate(source_visible=Exists(visible))


class ExperimentSerializer(serializers.ModelSerializer):
    initiative = VisibleInitiativeField()
    # Blank until the leader decides: the schema must allow "" (issue 7: no schema lies).
    decision = serializers.ChoiceField(choices=Decision.choices, allow_blank=True, read_only=True)
    metric = MetricField()
    control_metric = MetricField(required=False, allow_null=True)
    refines = serializers.PrimaryKeyRelatedField(
        queryset=Experiment.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Experiment
        fields = [
            "id",
            "initiative",
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
            "decision",
            "learned",
            "decided_by",
            "decided_at",
            "refines",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["decision", "learned", "decided_by", "decided_at", "created_by"]

    def validate(self, attrs):
        _same_initiative(attrs, self.instance, "metric", "control_metric")
        initiative = attrs.get("initiative", getattr(self.instance, "initiative", None))
        if self.instance and initiative != self.instance.initiative:
            raise serializers.ValidationError({"initiative": "An experiment cannot move."})
        refines = attrs.get("refines")
        if refines is not None and (
            refines.initiative_id != initiative.pk
            or (self.instance and refines.pk == self.instance.pk)
        ):
            raise serializers.ValidationError(
                {"refines": "An iteration refines an earlier experiment of the same initiative."}
            )
        start = attrs.get("start", getattr(self.instance, "start", None))
        end = attrs.get("end", getattr(self.instance, "end", None))
        if start and end and end < start:
            raise serializers.ValidationError({"end": "The pilot ends before it starts."})
        status_now = getattr(self.instance, "status", None)
        wanted = attrs.get("status", status_now)
        if status_now == ExperimentStatus.CONCLUDED and wanted != ExperimentStatus.CONCLUDED:
            raise serializers.ValidationError({"status": "A concluded experiment stays concluded."})
        if wanted == ExperimentStatus.CONCLUDED and status_now != ExperimentStatus.CONCLUDED:
            raise serializers.ValidationError(
                {"status": "Conclude an experiment with its decision: POST to its decide action."}
            )
        metric, control = attrs.get("metric"), attrs.get("control_metric")
        if metric is not None and control is not None and metric == control:
            raise serializers.ValidationError({"control_metric": "The control is another KPI."})
        return attrs


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    learned = serializers.CharField(help_text="What was learned: why adopt, adapt or abandon.")


class ResultSerializer(serializers.Serializer):
    enough_data = serializers.BooleanField()
    verdict = serializers.CharField()
    reading = serializers.CharField()
    against = serializers.CharField()
    difference = serializers.FloatField(allow_null=True)
    ci_low = serializers.FloatField(allow_null=True)
    ci_high = serializers.FloatField(allow_null=True)
    confidence = serializers.FloatField(allow_null=True)
    n_pilot = serializers.IntegerField(allow_null=True)
    n_reference = serializers.IntegerField(allow_null=True)


class ExperimentViewSet(CreatedByMixin, InitiativeScopedViewSet):
    """Experiments: team members log them; the change leader decides (the decide action)."""

    queryset = Experiment.objects.select_related("initiative", "metric").prefetch_related(
        "segments", "departments"
    )
    serializer_class = ExperimentSerializer
    filterset_class = ExperimentFilterSet

    @extend_schema(request=DecisionSerializer, responses=ExperimentSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """Conclude the experiment with a decision (adopt, adapt, abandon): change leaders."""
        experiment = self.get_object()
        self.check_write(experiment.initiative)
        if not request.user.has_perm(MANAGE, experiment.initiative):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied("Only the change leader decides on an experiment.")
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        experiment_logic.decide(
            experiment,
            request.user,
            data.validated_data["decision"],
            data.validated_data["learned"],
        )
        return Response(ExperimentSerializer(experiment, context={"request": request}).data)

    @extend_schema(request=None, responses=ResultSerializer)
    @action(detail=True, methods=["get"])
    def result(self, request, pk=None):
        """The effect on the KPI, computed from its measurements, in numbers and words."""
        outcome = experiment_logic.result(self.get_object())
        effect, iv = outcome.effect, outcome.effect and outcome.effect.interval
        return Response(
            {
                "enough_data": bool(effect and effect.enough_data),
                "verdict": effect.verdict if effect else "no KPI",
                "reading": effect.reading if effect else "Link a KPI to compute the result.",
                "against": effect.against if effect else "",
                "difference": iv.diff if iv else None,
                "ci_low": iv.low if iv else None,
                "ci_high": iv.high if iv else None,
                "confidence": iv.confidence if iv else None,
                "n_pilot": iv.n_b if iv else None,
                "n_reference": iv.n_a if iv else None,
            }
        )


router = SimpleRouter()
router.register("metrics", MetricViewSet, basename="metric")
router.register("measurements", MeasurementViewSet, basename="measurement")
router.register("insights", InsightViewSet, basename="insight")
router.register("nps-responses", NpsResponseViewSet, basename="nps-response")
router.register("lessons", LessonViewSet, basename="lesson")
router.register("experiments", ExperimentViewSet, basename="experiment")
