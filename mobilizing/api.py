"""REST API of mobilizing: stakeholders, activities, pulse surveys, waves, IPA surveys."""

from dataclasses import asdict
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from initiatives.access import CONTRIBUTE, MANAGE
from initiatives.api_base import InitiativeScopedViewSet, ScopedRelatedField, VisibleInitiativeField
from initiatives.locking import StaleEdit, claim_version
from initiatives.models import Initiative
from mobilizing import ipa, pulse
from mobilizing.filtersets import (
    ActivityFilterSet,
    IpaStatementFilterSet,
    IpaSurveyFilterSet,
    PulseQuestionFilterSet,
    PulseSurveyFilterSet,
    ReadingFilterSet,
    StakeholderFilterSet,
    WaveFilterSet,
    WaveUnitFilterSet,
)
from mobilizing.models import (
    AdoptionReading,
    EngagementActivity,
    IpaStatement,
    IpaSurvey,
    PulseQuestion,
    PulseSurvey,
    RolloutWave,
    Stakeholder,
    SurveyStatus,
    WaveUnit,
)
from mobilizing.rules import MANAGE_IPA, VIEW_IPA
from mobilizing.stalling import assess_wave

STALE = "Someone else saved this meanwhile; fetch it again and re-apply your change."


class LockedUpdateMixin:
    """PATCH/PUT with the `lock_version` that was read: a stale one is refused with a 400."""

    def update(self, instance, validated_data):
        expected = validated_data.pop("lock_version", instance.lock_version)
        try:
            claim_version(instance, expected)
        except StaleEdit as exc:
            raise serializers.ValidationError({"lock_version": STALE}) from exc
        return super().update(instance, validated_data)


def _unique_check(model, instance, message, field, **lookup):
    clash = model.objects.filter(**lookup)
    if instance is not None:
        clash = clash.exclude(pk=instance.pk)
    if clash.exists():
        raise serializers.ValidationError({field: message})


# --- Stakeholders and activities --------------------------------------------------------


class StakeholderSerializer(LockedUpdateMixin, serializers.ModelSerializer):
    initiative = VisibleInitiativeField()
    to_win = serializers.BooleanField(read_only=True)

    class Meta:
        model = Stakeholder
        fields = [
            "id",
            "initiative",
            "name",
            "kind",
            "department",
            "influence",
            "support",
            "target_support",
            "to_win",
            "planned_move",
            "created_at",
            "updated_at",
            "lock_version",
        ]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {"lock_version": {"required": False}}
        validators = []  # the name check below says it in words

    def validate(self, attrs):
        initiative = attrs.get("initiative", getattr(self.instance, "initiative", None))
        if self.instance and initiative != self.instance.initiative:
            raise serializers.ValidationError(
                {"initiative": "A stakeholder cannot move to another initiative."}
            )
        name = attrs.get("name", getattr(self.instance, "name", ""))
        _unique_check(
            Stakeholder,
            self.instance,
            "This initiative already has a stakeholder of that name.",
            "name",
            initiative=initiative,
            name__iexact=name,
        )
        return attrs


class StakeholderViewSet(InitiativeScopedViewSet):
    queryset = Stakeholder.objects.select_related("department")
    serializer_class = StakeholderSerializer
    filterset_class = StakeholderFilterSet
    ordering_fields = ["name", "influence", "support"]
    write_perm = MANAGE


class ActivitySerializer(LockedUpdateMixin, serializers.ModelSerializer):
    initiative = VisibleInitiativeField()

    class Meta:
        model = EngagementActivity
        fields = [
            "id",
            "initiative",
            "kind",
            "title",
            "audience",
            "date",
            "owner",
            "reach",
            "notes",
            "created_by",
            "created_at",
            "lock_version",
        ]
        read_only_fields = ["created_by", "created_at"]
        extra_kwargs = {"lock_version": {"required": False}}

    def validate(self, attrs):
        initiative = attrs.get("initiative", getattr(self.instance, "initiative", None))
        if self.instance and initiative != self.instance.initiative:
            raise serializers.ValidationError(
                {"initiative": "An activity cannot move to another initiative."}
            )
        owner = attrs.get("owner")
        if (
            owner
            and owner.pk != initiative.leader_id
            and not initiative.memberships.filter(user=owner).exists()
        ):
            raise serializers.ValidationError(
                {"owner": "The owner must be the leader or on the team."}
            )
        return attrs


class ActivityViewSet(InitiativeScopedViewSet):
    queryset = EngagementActivity.objects.select_related("owner")
    serializer_class = ActivitySerializer
    filterset_class = ActivityFilterSet
    ordering_fields = ["date", "kind", "reach"]
    write_perm = CONTRIBUTE

    def perform_create(self, serializer):
        self.check_write(serializer.validated_data["initiative"])
        serializer.save(created_by=self.request.user)


# --- Pulse surveys ------------------------------------------------------------------------


class PulseSurveySerializer(LockedUpdateMixin, serializers.ModelSerializer):
    initiative = VisibleInitiativeField()
    default_questions = serializers.BooleanField(
        write_only=True,
        required=False,
        default=True,
        help_text="On create: start with the default questions (trust, skepticism, readiness, "
        "ADKAR).",
    )

    class Meta:
        model = PulseSurvey
        fields = [
            "id",
            "initiative",
            "title",
            "opens",
            "closes",
            "status",
            "invited_elsewhere",
            "default_questions",
            "created_at",
            "lock_version",
        ]
        read_only_fields = ["created_at"]
        extra_kwargs = {"lock_version": {"required": False}}

    def validate(self, attrs):
        initiative = attrs.get("initiative", getattr(self.instance, "initiative", None))
        if self.instance and initiative != self.instance.initiative:
            raise serializers.ValidationError(
                {"initiative": "A survey cannot move to another initiative."}
            )
        opens = attrs.get("opens", getattr(self.instance, "opens", None))
        closes = attrs.get("closes", getattr(self.instance, "closes", None))
        if opens and closes and closes < opens:
            raise serializers.ValidationError(
                {"closes": "The survey cannot close before it opens."}
            )
        status = attrs.get("status")
        has_questions = (
            self.instance.questions.exists()
            if self.instance
            else attrs.get("default_questions", True)
        )
        if status == SurveyStatus.OPEN and not has_questions:
            raise serializers.ValidationError(
                {"status": "Add at least one question before opening the survey."}
            )
        if self.instance and status == SurveyStatus.DRAFT and self.instance.responses.exists():
            raise serializers.ValidationError(
                {"status": "The survey has responses: it cannot go back to draft."}
            )
        return attrs

    def create(self, validated_data):
        default = validated_data.pop("default_questions", True)
        survey = super().create(validated_data)
        if default:
            pulse.add_default_questions(survey)
        return survey

    def update(self, instance, validated_data):
        validated_data.pop("default_questions", None)
        return super().update(instance, validated_data)


class FigureSerializer(serializers.Serializer):
    mean = serializers.FloatField(allow_null=True)
    n = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)
    hidden = serializers.BooleanField()


RESULTS_SCHEMA = inline_serializer(
    "PulseResults",
    {
        "responses": serializers.IntegerField(),
        "invited": serializers.IntegerField(),
        "rate": serializers.FloatField(allow_null=True),
        "questions": inline_serializer(
            "PulseQuestionResult",
            {
                "id": serializers.IntegerField(),
                "text": serializers.CharField(),
                "kind": serializers.CharField(),
                "figure": FigureSerializer(),
            },
            many=True,
        ),
        "departments": inline_serializer(
            "PulseDepartmentResult",
            {
                "department": serializers.CharField(),
                "n": serializers.IntegerField(),
                "rate": serializers.FloatField(allow_null=True),
                "hidden": serializers.BooleanField(),
                "figures": FigureSerializer(many=True),
            },
            many=True,
        ),
    },
)


class PulseSurveyViewSet(InitiativeScopedViewSet):
    queryset = PulseSurvey.objects.all()
    serializer_class = PulseSurveySerializer
    filterset_class = PulseSurveyFilterSet
    ordering_fields = ["opens", "title"]
    write_perm = MANAGE

    @extend_schema(responses=RESULTS_SCHEMA)
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        """Mean per question, overall and per department, each with n and the response rate."""
        res = pulse.survey_results(self.get_object())
        return Response(
            {
                "responses": res.responses,
                "invited": res.invited,
                "rate": res.rate,
                "questions": [
                    {"id": q.pk, "text": q.text, "kind": q.kind, "figure": asdict(f)}
                    for q, f in res.questions
                ],
                "departments": [
                    {
                        "department": name,
                        "n": n,
                        "rate": rate,
                        "hidden": hidden,
                        "figures": [asdict(f) for f in figures],
                    }
                    for name, n, rate, hidden, figures in res.departments
                ],
            }
        )


def _visible_surveys(user):
    return PulseSurvey.objects.filter(initiative__in=Initiative.objects.visible_to(user))


class PulseQuestionSerializer(serializers.ModelSerializer):
    survey = ScopedRelatedField(scope=_visible_surveys, initiative_of=lambda s: s.initiative)

    class Meta:
        model = PulseQuestion
        fields = ["id", "survey", "text", "kind", "order"]

    def validate(self, attrs):
        survey = attrs.get("survey", getattr(self.instance, "survey", None))
        if self.instance and survey != self.instance.survey:
            raise serializers.ValidationError(
                {"survey": "A question cannot move to another survey."}
            )
        if not survey.is_draft:
            raise serializers.ValidationError(
                {"survey": "Questions can only change while the survey is a draft."}
            )
        return attrs


class PulseQuestionViewSet(InitiativeScopedViewSet):
    queryset = PulseQuestion.objects.select_related("survey__initiative")
    serializer_class = PulseQuestionSerializer
    filterset_class = PulseQuestionFilterSet
    initiative_path = "survey__initiative"
    write_perm = MANAGE

    def initiative_for_create(self, serializer):
        return serializer.validated_data["survey"].initiative

    def perform_destroy(self, instance):
        self.check_write(instance.survey.initiative)
        if not instance.survey.is_draft:
            raise serializers.ValidationError(
                {"survey": "Questions can only change while the survey is a draft."}
            )
        instance.delete()


# --- Rollout waves ------------------------------------------------------------------------


class WaveSerializer(LockedUpdateMixin, serializers.ModelSerializer):
    initiative = VisibleInitiativeField()
    stalling = serializers.SerializerMethodField()

    class Meta:
        model = RolloutWave
        fields = [
            "id",
            "initiative",
            "name",
            "order",
            "status",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "target_adoption",
            "stalling",
            "lock_version",
        ]
        extra_kwargs = {"lock_version": {"required": False}}
        validators = []

    def get_stalling(self, wave) -> list[str]:
        """Why the wave is stalling, in words (empty when it is not)."""
        return assess_wave(wave, timezone.localdate())

    def validate(self, attrs):
        def get(name):
            return attrs.get(name, getattr(self.instance, name, None))

        initiative = get("initiative")
        if self.instance and initiative != self.instance.initiative:
            raise serializers.ValidationError(
                {"initiative": "A wave cannot move to another initiative."}
            )
        errors = {}
        if (
            get("planned_start")
            and get("planned_end")
            and get("planned_end") < get("planned_start")
        ):
            errors["planned_end"] = "The planned end cannot be before the planned start."
        if get("actual_end") and not get("actual_start"):
            errors["actual_start"] = "A wave that ended must have started: give its start."
        elif get("actual_end") and get("actual_end") < get("actual_start"):
            errors["actual_end"] = "The actual end cannot be before the actual start."
        if get("status") == "done" and not get("actual_end"):
            errors["actual_end"] = "A done wave needs its actual end date."
        target = get("target_adoption")
        if target is not None and not 1 <= target <= 100:
            errors["target_adoption"] = "A target adoption is a percentage from 1 to 100."
        if get("order") is not None and get("order") < 1:
            errors["order"] = "The pilot is wave 1; order starts at 1."
        if errors:
            raise serializers.ValidationError(errors)
        _unique_check(
            RolloutWave,
            self.instance,
            "Another wave has this position already.",
            "order",
            initiative=initiative,
            order=get("order"),
        )
        return attrs


class WaveViewSet(InitiativeScopedViewSet):
    queryset = RolloutWave.objects.prefetch_related(
        Prefetch(
            "units",
            queryset=WaveUnit.objects.prefetch_related(
                Prefetch("readings", queryset=AdoptionReading.objects.order_by("date"))
            ),
        )
    )
    serializer_class = WaveSerializer
    filterset_class = WaveFilterSet
    ordering_fields = ["order", "planned_start"]
    write_perm = MANAGE


def _visible_waves(user):
    return RolloutWave.objects.filter(initiative__in=Initiative.objects.visible_to(user))


def _visible_units(user):
    return WaveUnit.objects.filter(wave__initiative__in=Initiative.objects.visible_to(user))


class WaveUnitSerializer(serializers.ModelSerializer):
    wave = ScopedRelatedField(scope=_visible_waves, initiative_of=lambda w: w.initiative)

    class Meta:
        model = WaveUnit
        fields = ["id", "wave", "name", "kind", "department", "segment"]
        validators = []

    def validate(self, attrs):
        wave = attrs.get("wave", getattr(self.instance, "wave", None))
        if self.instance and wave != self.instance.wave:
            raise serializers.ValidationError({"wave": "A unit cannot move to another wave."})
        name = attrs.get("name", getattr(self.instance, "name", ""))
        _unique_check(
            WaveUnit,
            self.instance,
            "This wave has a unit of that name already.",
            "name",
            wave=wave,
            name__iexact=name,
        )
        return attrs


class WaveUnitViewSet(InitiativeScopedViewSet):
    queryset = WaveUnit.objects.select_related("wave__initiative")
    serializer_class = WaveUnitSerializer
    filterset_class = WaveUnitFilterSet
    initiative_path = "wave__initiative"
    write_perm = MANAGE

    def initiative_for_create(self, serializer):
        return serializer.validated_data["wave"].initiative


class ReadingSerializer(serializers.ModelSerializer):
    unit = ScopedRelatedField(scope=_visible_units, initiative_of=lambda u: u.wave.initiative)
    adoption_pct = serializers.DecimalField(
        max_digits=5, decimal_places=1, min_value=Decimal(0), max_value=Decimal(100)
    )

    class Meta:
        model = AdoptionReading
        fields = ["id", "unit", "date", "adoption_pct", "recorded_by"]
        read_only_fields = ["recorded_by"]
        validators = []

    def validate(self, attrs):
        unit = attrs.get("unit", getattr(self.instance, "unit", None))
        if self.instance and unit != self.instance.unit:
            raise serializers.ValidationError({"unit": "A reading cannot move to another unit."})
        date = attrs.get("date", getattr(self.instance, "date", None))
        _unique_check(
            AdoptionReading,
            self.instance,
            "This unit has a reading on that date already; change that one.",
            "date",
            unit=unit,
            date=date,
        )
        return attrs


class ReadingViewSet(InitiativeScopedViewSet):
    queryset = AdoptionReading.objects.select_related("unit__wave__initiative")
    serializer_class = ReadingSerializer
    filterset_class = ReadingFilterSet
    initiative_path = "unit__wave__initiative"
    write_perm = CONTRIBUTE

    def initiative_for_create(self, serializer):
        return serializer.validated_data["unit"].wave.initiative

    def perform_create(self, serializer):
        self.check_write(self.initiative_for_create(serializer))
        serializer.save(recorded_by=self.request.user)


# --- Importance-performance analysis ------------------------------------------------------


class IpaPermission(permissions.BasePermission):
    """Team members and up read; change leaders, executives and superusers write."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return request.user.has_perm(VIEW_IPA)
        return request.user.has_perm(MANAGE_IPA)


class IpaSurveySerializer(LockedUpdateMixin, serializers.ModelSerializer):
    class Meta:
        model = IpaSurvey
        fields = [
            "id",
            "title",
            "description",
            "scale",
            "status",
            "created_by",
            "created_at",
            "lock_version",
        ]
        read_only_fields = ["created_by", "created_at"]
        extra_kwargs = {"lock_version": {"required": False}}

    def validate(self, attrs):
        if self.instance and self.instance.responses.exists():
            if "scale" in attrs and attrs["scale"] != self.instance.scale:
                raise serializers.ValidationError(
                    {"scale": "The survey has responses: its scale can no longer change."}
                )
            if attrs.get("status") == SurveyStatus.DRAFT:
                raise serializers.ValidationError(
                    {"status": "The survey has responses: it cannot go back to draft."}
                )
        return attrs


IPA_RESULTS_SCHEMA = inline_serializer(
    "IpaResults",
    {
        "grand_importance": serializers.FloatField(allow_null=True),
        "grand_performance": serializers.FloatField(allow_null=True),
        "responses": serializers.IntegerField(),
        "invited": serializers.IntegerField(),
        "rate": serializers.FloatField(allow_null=True),
        "statements": inline_serializer(
            "IpaStatementResult",
            {
                "id": serializers.IntegerField(),
                "text": serializers.CharField(),
                "importance": serializers.FloatField(),
                "performance": serializers.FloatField(),
                "gap": serializers.FloatField(),
                "n": serializers.IntegerField(),
                "quadrant": serializers.CharField(),
            },
            many=True,
        ),
    },
)


class IpaSurveyViewSet(viewsets.ModelViewSet):
    queryset = IpaSurvey.objects.all()
    serializer_class = IpaSurveySerializer
    permission_classes = [permissions.IsAuthenticated, IpaPermission]
    filterset_class = IpaSurveyFilterSet
    ordering_fields = ["created_at", "title"]

    def perform_create(self, serializer):
        serializer.save(created_by=self.request.user)

    @extend_schema(responses=IPA_RESULTS_SCHEMA)
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        """Means, gap and quadrant per statement; quadrants split at the grand means."""
        res = ipa.results(self.get_object())
        return Response(
            {
                "grand_importance": res.grand_importance,
                "grand_performance": res.grand_performance,
                "responses": res.responses,
                "invited": res.invited,
                "rate": res.rate,
                "statements": [
                    {
                        "id": r.statement.pk,
                        "text": r.statement.text,
                        "importance": r.importance,
                        "performance": r.performance,
                        "gap": r.gap,
                        "n": r.n,
                        "quadrant": r.quadrant,
                    }
                    for r in res.statements
                ],
            }
        )


class IpaStatementSerializer(serializers.ModelSerializer):
    class Meta:
        model = IpaStatement
        fields = ["id", "survey", "text", "order", "initiative"]
        read_only_fields = ["initiative"]
        validators = []

    def validate(self, attrs):
        survey = attrs.get("survey", getattr(self.instance, "survey", None))
        if self.instance and survey != self.instance.survey:
            raise serializers.ValidationError(
                {"survey": "A statement cannot move to another survey."}
            )
        if not survey.is_draft:
            raise serializers.ValidationError(
                {"survey": "Statements can only change while the survey is a draft."}
            )
        text = attrs.get("text", getattr(self.instance, "text", ""))
        _unique_check(
            IpaStatement,
            self.instance,
            "The survey has this statement already.",
            "text",
            survey=survey,
            text__iexact=text,
        )
        return attrs


class IpaStatementViewSet(viewsets.ModelViewSet):
    queryset = IpaStatement.objects.all()
    serializer_class = IpaStatementSerializer
    permission_classes = [permissions.IsAuthenticated, IpaPermission]
    filterset_class = IpaStatementFilterSet

    def perform_destroy(self, instance):
        if not instance.survey.is_draft:
            raise serializers.ValidationError(
                {"survey": "Statements can only change while the survey is a draft."}
            )
        instance.delete()


router = SimpleRouter()
router.register("stakeholders", StakeholderViewSet, basename="stakeholder")
router.register("engagement-activities", ActivityViewSet, basename="engagement-activity")
router.register("pulse-surveys", PulseSurveyViewSet, basename="pulse-survey")
router.register("pulse-questions", PulseQuestionViewSet, basename="pulse-question")
router.register("rollout-waves", WaveViewSet, basename="rollout-wave")
router.register("wave-units", WaveUnitViewSet, basename="wave-unit")
router.register("adoption-readings", ReadingViewSet, basename="adoption-reading")
router.register("ipa-surveys", IpaSurveyViewSet, basename="ipa-survey")
router.register("ipa-statements", IpaStatementViewSet, basename="ipa-statement")
