"""Building blocks every process app's API uses, so the access rules hold everywhere.

- querysets start from the initiatives the user may see (outsiders get 404);
- writes need the object-level permission on the owning initiative (readers get 403);
- an `initiative` field in a payload only accepts initiatives the user may see.
"""

from django.core.exceptions import PermissionDenied
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from initiatives.access import CONTRIBUTE, VIEW
from initiatives.models import Initiative


@extend_schema_field(OpenApiTypes.INT)
class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """A related id resolved among what the caller may see, checked for write access.

    The write check runs as the field is read, before any other validation, so a reader
    gets 403 rather than learning from field errors. `scope(user)` returns the queryset
    of visible objects; `initiative_of(obj)` the initiative that owns one.
    """

    def __init__(self, scope, initiative_of=lambda obj: obj, **kwargs):
        self.scope, self.initiative_of = scope, initiative_of
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return self.scope(request.user) if request is not None else self.scope(None)

    def to_internal_value(self, data):
        obj = super().to_internal_value(data)
        view = self.context.get("view")
        if isinstance(view, InitiativeScopedViewSet):
            view.check_write(self.initiative_of(obj))
        return obj


def _visible_initiatives(user):
    return Initiative.objects.visible_to(user) if user else Initiative.objects.none()


class VisibleInitiativeField(ScopedRelatedField):
    """An initiative id, resolved only among the initiatives the caller may see."""

    def __init__(self, **kwargs):
        super().__init__(scope=_visible_initiatives, **kwargs)


class InitiativeScopedViewSet(viewsets.ModelViewSet):
    """A viewset over objects that belong to one initiative.

    Subclasses set `queryset`, `serializer_class`, `initiative_path` (the lookup from
    the model to its Initiative, e.g. "metric__initiative") and `write_perm`.
    """

    initiative_path = "initiative"
    write_perm = CONTRIBUTE
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_queryset(self):
        visible = Initiative.objects.visible_to(self.request.user)
        return super().get_queryset().filter(**{f"{self.initiative_path}__in": visible})

    def initiative_of(self, obj) -> Initiative:
        for part in self.initiative_path.split("__"):
            obj = getattr(obj, part)
        return obj

    def check_write(self, initiative: Initiative) -> None:
        user = self.request.user
        if not user.has_perm(VIEW, initiative) or not user.has_perm(self.write_perm, initiative):
            raise PermissionDenied("You may not change this initiative's data.")

    def initiative_for_create(self, serializer) -> Initiative:
        """The initiative a new object will belong to (override for nested paths)."""
        return serializer.validated_data["initiative"]

    def perform_create(self, serializer):
        self.check_write(self.initiative_for_create(serializer))
        serializer.save()

    def perform_update(self, serializer):
        self.check_write(self.initiative_of(serializer.instance))
        serializer.save()

    def perform_destroy(self, instance):
        self.check_write(self.initiative_of(instance))
        instance.delete()
