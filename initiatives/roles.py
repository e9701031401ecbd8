"""The global roles of Holdfast, kept as Django groups."""

from django.contrib.auth.models import Group

EXECUTIVE = "executive"
CHANGE_LEADER = "change leader"
TEAM_MEMBER = "team member"
ALL_ROLES = (EXECUTIVE, CHANGE_LEADER, TEAM_MEMBER)


def ensure_groups() -> dict[str, Group]:
    return {name: Group.objects.get_or_create(name=name)[0] for name in ALL_ROLES}


def has_role(user, role: str) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    # The groups are cached on the user object for the request's lifetime.
    cached = getattr(user, "_holdfast_roles", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._holdfast_roles = cached
    return role in cached
