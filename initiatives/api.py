"""REST API of the hub: initiatives, team memberships, departments, segments."""

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from initiatives import roles, stages
from initiatives.access import MANAGE
from initiatives.api_base import InitiativeScopedViewSet, VisibleInitiativeField
from initiatives.filtersets import (
    DepartmentFilterSet,
    InitiativeFilterSet,
    MembershipFilterSet,
    SegmentFilterSet,
)
from initiatives.locking import StaleEdit, claim_version
from initiatives.models import CustomerSegment, Department, Initiative, Membership

User = get_user_model()


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "name"]


class SegmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = CustomerSegment
        fields = ["id", "name", "description", "customer_manager"]


class InitiativeSerializer(serializers.ModelSerializer):
    sponsor = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True, groups__name=roles.EXECUTIVE)
    )
    leader = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True, groups__name=roles.CHANGE_LEADER)
    )
    segments = serializers.PrimaryKeyRelatedField(
        queryset=CustomerSegment.objects.all(), many=True, required=False
    )
    departments = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), many=True, required=False
    )
    investment = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False
    )
    expected_benefit = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False
    )

    class Meta:
        model = Initiative
        fields = [
            "id",
            "title",
            "problem",
            "sponsor",
            "leader",
            "segments",
            "departments",
            "start_date",
            "target_date",
            "investment",
            "expected_benefit",
            "stage",
            "stage_changed_at",
            "created_at",
            "updated_at",
            "lock_version",
        ]
        read_only_fields = ["stage", "stage_changed_at", "created_at", "updated_at"]
        extra_kwargs = {"lock_version": {"required": False}}

    def validate(self, attrs):
        start = attrs.get("start_date", getattr(self.instance, "start_date", None))
        target = attrs.get("target_date", getattr(self.instance, "target_date", None))
        if start and target and target < start:
            raise serializers.ValidationError(
                {"target_date": "The target date cannot be before the start date."}
            )
        return attrs

    def update(self, instance, validated_data):
        expected = validated_data.pop("lock_version", instance.lock_version)
        try:
            claim_version(instance, expected)
        except StaleEdit as exc:
            raise serializers.ValidationError(
                {
                    "lock_version": "Someone else saved this initiative meanwhile; "
                    "fetch it again and re-apply your change."
                }
            ) from exc
        return super().update(instance, validated_data)


class StageResultSerializer(serializers.Serializer):
    stage = serializers.CharField()
    blockers = serializers.ListField(child=serializers.CharField())


class InitiativeViewSet(viewsets.ModelViewSet):
    serializer_class = InitiativeSerializer
    filterset_class = InitiativeFilterSet
    ordering_fields = ["title", "created_at", "stage", "target_date"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return Initiative.objects.visible_to(self.request.user).prefetch_related(
            "segments", "departments"
        )

    def perform_create(self, serializer):
        if not self.request.user.has_perm("initiatives.add_initiative"):
            raise PermissionDenied("Only change leaders create initiatives.")
        serializer.save()

    def perform_update(self, serializer):
        if not self.request.user.has_perm(MANAGE, serializer.instance):
            raise PermissionDenied("Only the initiative's leader changes it.")
        serializer.save()

    @extend_schema(request=None, responses={200: StageResultSerializer, 400: StageResultSerializer})
    @action(detail=True, methods=["post"])
    def advance(self, request, pk=None):
        """Move the initiative to the next stage if its current checklist is complete."""
        initiative = self.get_object()
        if not request.user.has_perm(MANAGE, initiative):
            raise PermissionDenied("Only the initiative's leader moves it on.")
        try:
            stages.advance(initiative)
        except stages.StageBlocked as blocked:
            return Response(
                {"stage": initiative.stage, "blockers": blocked.missing},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response({"stage": initiative.stage, "blockers": []})


class MembershipSerializer(serializers.ModelSerializer):
    initiative = VisibleInitiativeField()
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))

    class Meta:
        model = Membership
        fields = ["id", "initiative", "user", "role", "department", "skills"]

    def validate(self, attrs):
        initiative = attrs.get("initiative", getattr(self.instance, "initiative", None))
        user = attrs.get("user", getattr(self.instance, "user", None))
        clash = Membership.objects.filter(initiative=initiative, user=user)
        if self.instance:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise serializers.ValidationError({"user": "This person is already on the team."})
        return attrs


class MembershipViewSet(InitiativeScopedViewSet):
    queryset = Membership.objects.select_related("user")
    serializer_class = MembershipSerializer
    filterset_class = MembershipFilterSet
    write_perm = MANAGE


class StaffWritePermission(permissions.BasePermission):
    """Reference data: everyone signed in reads it, only staff change it."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return request.user.is_authenticated
        return request.user.is_staff and request.user.is_active


class DepartmentViewSet(viewsets.ModelViewSet):
    queryset = Department.objects.all()
    serializer_class = DepartmentSerializer
    permission_classes = [StaffWritePermission]
    filterset_class = DepartmentFilterSet


class SegmentViewSet(viewsets.ModelViewSet):
    queryset = CustomerSegment.objects.all()
    serializer_class = SegmentSerializer
    permission_classes = [StaffWritePermission]
    filterset_class = SegmentFilterSet


router = SimpleRouter()
router.register("initiatives", InitiativeViewSet, basename="initiative")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("departments", DepartmentViewSet, basename="department")
router.register("segments", SegmentViewSet, basename="segment")
