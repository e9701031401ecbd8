"""REST API of realigning: relapse flags (and acting on them), actions, financial return."""

from decimal import Decimal

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from initiatives.access import MANAGE, VIEW
from initiatives.api_base import (
    InitiativeScopedViewSet,
    ScopedRelatedField,
    VisibleInitiativeField,
)
from initiatives.models import Initiative
from learning.models import Metric
from realigning import finance, flags
from realigning.models import FinancialEntry, FlagStatus, RealignmentAction, RelapseFlag


class RelapseFlagSerializer(serializers.ModelSerializer):
    initiative = serializers.IntegerField(source="metric.initiative_id", read_only=True)
    metric_name = serializers.CharField(source="metric.name", read_only=True)

    class Meta:
        model = RelapseFlag
        fields = [
            "id",
            "metric",
            "metric_name",
            "initiative",
            "rule",
            "severity",
            "fired_on",
            "slide_began",
            "evidence",
            "status",
            "status_by",
            "status_at",
            "comment",
            "created_at",
        ]
        read_only_fields = fields


class FlagActionSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class RelapseFlagViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Flags are raised by the scan; people move them on through the three actions."""

    serializer_class = RelapseFlagSerializer
    filterset_fields = ["status", "severity", "metric", "metric__initiative"]
    ordering_fields = ["fired_on", "severity_rank"]

    def get_queryset(self):
        return RelapseFlag.objects.visible_to(self.request.user).select_related("metric")

    def _move(self, request, status):
        flag = self.get_object()
        if not request.user.has_perm(MANAGE, flag.metric.initiative):
            raise PermissionDenied("Only the initiative's leader acts on its flags.")
        data = FlagActionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        flag = flags.set_status(flag, request.user, status, data.validated_data["comment"])
        return Response(self.get_serializer(flag).data)

    @extend_schema(request=FlagActionSerializer, responses=RelapseFlagSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        return self._move(request, FlagStatus.ACKNOWLEDGED)

    @extend_schema(request=FlagActionSerializer, responses=RelapseFlagSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        return self._move(request, FlagStatus.RESOLVED)

    @extend_schema(request=FlagActionSerializer, responses=RelapseFlagSerializer)
    @action(detail=True, methods=["post"], url_path="false-alarm")
    def false_alarm(self, request, pk=None):
        return self._move(request, FlagStatus.FALSE_ALARM)


class RealignmentActionSerializer(serializers.ModelSerializer):
    initiative = VisibleInitiativeField()

    class Meta:
        model = RealignmentAction
        fields = [
            "id",
            "initiative",
            "kind",
            "title",
            "description",
            "owner",
            "due_date",
            "status",
            "evidence",
            "completed_at",
        ]

    def validate(self, attrs):
        status = attrs.get("status", getattr(self.instance, "status", None))
        evidence = attrs.get("evidence", getattr(self.instance, "evidence", ""))
        if status == "done" and not (evidence or "").strip():
            raise serializers.ValidationError(
                {"evidence": "A done action needs its evidence of completion."}
            )
        return attrs


class RealignmentActionViewSet(InitiativeScopedViewSet):
    queryset = RealignmentAction.objects.all()
    serializer_class = RealignmentActionSerializer
    filterset_fields = ["initiative", "kind", "status", "owner"]
    write_perm = MANAGE


def _visible_metrics(user):
    return Metric.objects.filter(initiative__in=Initiative.objects.visible_to(user))


class FinancialEntrySerializer(serializers.ModelSerializer):
    initiative = VisibleInitiativeField()
    supporting_metric = ScopedRelatedField(
        scope=_visible_metrics,
        initiative_of=lambda m: m.initiative,
        required=False,
        allow_null=True,
    )
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0.01"))

    class Meta:
        model = FinancialEntry
        fields = ["id", "initiative", "kind", "date", "amount", "note", "supporting_metric"]

    def validate(self, attrs):
        metric = attrs.get("supporting_metric")
        initiative = attrs.get("initiative", getattr(self.instance, "initiative", None))
        if metric and metric.initiative_id != initiative.pk:
            raise serializers.ValidationError(
                {"supporting_metric": "Pick a KPI of the same initiative."}
            )
        if metric and attrs.get("kind", getattr(self.instance, "kind", "")) == "investment":
            raise serializers.ValidationError(
                {"supporting_metric": "Only a benefit rests on a KPI."}
            )
        return attrs


class ReturnSerializer(serializers.Serializer):
    initiative = serializers.IntegerField()
    investment = serializers.DecimalField(max_digits=16, decimal_places=2)
    benefit_claimed = serializers.DecimalField(max_digits=16, decimal_places=2)
    benefit_counted = serializers.DecimalField(max_digits=16, decimal_places=2)
    roi_percent = serializers.FloatField(allow_null=True)
    payback_date = serializers.DateField(allow_null=True)
    withheld = serializers.ListField(child=serializers.CharField())


class FinancialEntryViewSet(InitiativeScopedViewSet):
    queryset = FinancialEntry.objects.select_related("supporting_metric")
    serializer_class = FinancialEntrySerializer
    filterset_fields = ["initiative", "kind"]
    write_perm = MANAGE

    @extend_schema(
        parameters=[OpenApiParameter("initiative", int, required=True)],
        responses=ReturnSerializer,
    )
    @action(detail=False, methods=["get"], url_path="return", url_name="return")
    def return_(self, request):
        """ROI and payback of one initiative, counting benefit only where the gain held."""
        param = request.query_params.get("initiative", "")
        if not param.isdigit():
            raise serializers.ValidationError({"initiative": "Give an initiative id."})
        initiative = Initiative.objects.visible_to(request.user).filter(pk=int(param)).first()
        if initiative is None or not request.user.has_perm(VIEW, initiative):
            raise Http404
        r = finance.returns_for([initiative.pk])[initiative.pk]
        return Response(
            ReturnSerializer(
                {
                    "initiative": initiative.pk,
                    "investment": r.investment,
                    "benefit_claimed": r.benefit_claimed,
                    "benefit_counted": r.benefit_counted,
                    "roi_percent": r.roi_percent,
                    "payback_date": r.payback_date,
                    "withheld": r.withheld,
                }
            ).data
        )


router = SimpleRouter()
router.register("relapse-flags", RelapseFlagViewSet, basename="relapse-flag")
router.register("realignment-actions", RealignmentActionViewSet, basename="realignment-action")
router.register("financial-entries", FinancialEntryViewSet, basename="financial-entry")
