"""REST API of chartering: charters (versioned, approved by the sponsor), scope, RACI."""

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from chartering import approval
from chartering.models import (
    Charter,
    CharterStatus,
    Deliverable,
    RaciAssignment,
    RaciRole,
    ScopeItem,
)
from initiatives.access import MANAGE
from initiatives.api_base import (
    InitiativeScopedViewSet,
    VisibleInitiativeField,
)
from initiatives.locking import StaleEdit, claim_version


class CharterSerializer(serializers.ModelSerializer):
    initiative = VisibleInitiativeField()
    too_many_priorities = serializers.BooleanField(read_only=True)

    class Meta:
        model = Charter
        fields = [
            "id",
            "initiative",
            "version",
            "status",
            "problem_area",
            "priorities",
            "too_many_priorities",
            "resources",
            "reporting_line",
            "guiding_principles",
            "ground_rules",
            "conflict_resolution",
            "decision_approach",
            "approved_by",
            "approved_at",
            "created_at",
            "updated_at",
            "lock_version",
        ]
        read_only_fields = ["version", "status", "approved_by", "approved_at"]
        extra_kwargs = {"lock_version": {"required": False}}

    def validate_initiative(self, initiative):
        if self.instance and initiative != self.instance.initiative:
            raise serializers.ValidationError("A charter cannot move to another initiative.")
        if not self.instance and approval.current_charter(initiative):
            raise serializers.ValidationError(
                "This initiative has a charter already; edit it instead."
            )
        return initiative


class CharterViewSet(InitiativeScopedViewSet):
    queryset = Charter.objects.select_related("initiative")
    serializer_class = CharterSerializer
    filterset_fields = ["initiative", "status"]
    write_perm = MANAGE
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def perform_create(self, serializer):
        self.check_write(serializer.validated_data["initiative"])
        serializer.validated_data.pop("lock_version", None)
        serializer.save(created_by=self.request.user)

    @transaction.atomic
    def perform_update(self, serializer):
        charter = serializer.instance
        self.check_write(charter.initiative)
        if charter.status == "superseded":
            raise serializers.ValidationError(
                {"non_field_errors": ["Earlier versions are read-only; edit the current one."]}
            )
        # Optimistic locking, as on the charter page: claim the version that was read
        # (before an approved charter turns into a new draft), or refuse with a 400.
        expected = serializer.validated_data.pop("lock_version", charter.lock_version)
        try:
            claim_version(charter, expected)
        except StaleEdit as exc:
            raise serializers.ValidationError(
                {
                    "lock_version": "Someone else saved this charter meanwhile; fetch it "
                    "again and re-apply your change."
                }
            ) from exc
        serializer.instance = approval.editable_charter(charter, self.request.user)
        serializer.save()

    @extend_schema(request=None, responses=CharterSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """The sponsor approves this version of the charter."""
        # PermissionDenied answers 403, a ValidationError 400 (initiatives.api_errors).
        charter = approval.approve(self.get_object(), request.user)
        return Response(self.get_serializer(charter).data)


def _require_draft(charter: Charter) -> Charter:
    if charter.status != CharterStatus.DRAFT:
        raise serializers.ValidationError(
            "This charter version is approved and read-only: PATCH the charter to start a new "
            "draft version, then change its scope, deliverables and RACI."
        )
    return charter


class CharterChildSerializer(serializers.ModelSerializer):
    """Children of a charter: only the current version of a visible initiative's charter."""

    charter = serializers.PrimaryKeyRelatedField(queryset=Charter.objects.none())

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            from initiatives.models import Initiative

            fields["charter"].queryset = Charter.objects.current().filter(
                initiative__in=Initiative.objects.visible_to(request.user)
            )
        return fields

    def validate_charter(self, charter):
        return _require_draft(charter)


class ScopeItemSerializer(CharterChildSerializer):
    class Meta:
        model = ScopeItem
        fields = ["id", "charter", "kind", "text"]


class DeliverableSerializer(CharterChildSerializer):
    class Meta:
        model = Deliverable
        fields = ["id", "charter", "name"]

    def validate(self, attrs):
        charter = attrs.get("charter", getattr(self.instance, "charter", None))
        name = attrs.get("name", getattr(self.instance, "name", ""))
        clash = Deliverable.objects.filter(charter=charter, name__iexact=name)
        if self.instance:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise serializers.ValidationError({"name": "This charter already has it."})
        return attrs


class RaciAssignmentSerializer(serializers.ModelSerializer):
    deliverable = serializers.PrimaryKeyRelatedField(queryset=Deliverable.objects.none())

    class Meta:
        model = RaciAssignment
        fields = ["id", "deliverable", "user", "role"]
        validators = []  # validate() checks both constraints with messages people understand

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            from initiatives.models import Initiative

            fields["deliverable"].queryset = Deliverable.objects.filter(
                charter__initiative__in=Initiative.objects.visible_to(request.user)
            )
        return fields

    def validate(self, attrs):
        deliverable = attrs.get("deliverable", getattr(self.instance, "deliverable", None))
        user = attrs.get("user", getattr(self.instance, "user", None))
        role = attrs.get("role", getattr(self.instance, "role", None))
        _require_draft(deliverable.charter)
        if not deliverable.charter.initiative.memberships.filter(user=user).exists():
            raise serializers.ValidationError({"user": "Only team members take RACI roles."})
        others = RaciAssignment.objects.filter(deliverable=deliverable)
        if self.instance:
            others = others.exclude(pk=self.instance.pk)
        if others.filter(user=user).exists():
            raise serializers.ValidationError({"user": "This person has a role here already."})
        if role == RaciRole.ACCOUNTABLE and others.filter(role=RaciRole.ACCOUNTABLE).exists():
            raise serializers.ValidationError(
                {"role": "A deliverable has exactly one accountable; it has one already."}
            )
        return attrs


class ScopeItemViewSet(InitiativeScopedViewSet):
    queryset = ScopeItem.objects.select_related("charter__initiative")
    serializer_class = ScopeItemSerializer
    initiative_path = "charter__initiative"
    filterset_fields = ["charter", "kind"]
    write_perm = MANAGE

    def initiative_for_create(self, serializer):
        return serializer.validated_data["charter"].initiative


class DeliverableViewSet(ScopeItemViewSet):
    queryset = Deliverable.objects.select_related("charter__initiative")
    serializer_class = DeliverableSerializer
    filterset_fields = ["charter"]


class RaciAssignmentViewSet(InitiativeScopedViewSet):
    queryset = RaciAssignment.objects.select_related("deliverable__charter__initiative")
    serializer_class = RaciAssignmentSerializer
    initiative_path = "deliverable__charter__initiative"
    filterset_fields = ["deliverable", "user", "role"]
    write_perm = MANAGE

    def initiative_for_create(self, serializer):
        return serializer.validated_data["deliverable"].charter.initiative


router = SimpleRouter()
router.register("charters", CharterViewSet, basename="charter")
router.register("scope-items", ScopeItemViewSet, basename="scope-item")
router.register("deliverables", DeliverableViewSet, basename="deliverable")
router.register("raci", RaciAssignmentViewSet, basename="raci")
