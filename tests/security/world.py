"""A seeded world for the security tests: every kind of object, seen by every role.

It is the access matrix's world (tests/test_access_matrix.py): one initiative with a
leader, a sponsoring executive and a team member, an outsider with an initiative of
their own, and each process app's objects built by its `tests/<app>/matrix_rows.py`.
"""

from initiatives import roles
from tests.factories import InitiativeFactory, MembershipFactory, UserFactory
from tests.test_access_matrix import ROW_MODULES

# The four roles of issue 7, as the world's users (the sponsor is the executive), and the
# outsider: a change leader with an initiative of their own, who must see nothing of this one.
FUZZ_ROLES = {
    "anonymous": None,
    "member": "member",
    "leader": "leader",
    "executive": "sponsor",
    "outsider": "outsider",
}


def build_world() -> dict:
    sponsor = UserFactory(username="sponsor", role=roles.EXECUTIVE)
    leader = UserFactory(username="leader", role=roles.CHANGE_LEADER)
    initiative = InitiativeFactory(leader=leader, sponsor=sponsor, title="Mine")
    member = UserFactory(username="member", role=roles.TEAM_MEMBER)
    outsider = UserFactory(username="outsider", role=roles.CHANGE_LEADER)
    w = {
        "initiative": initiative,
        "membership": MembershipFactory(initiative=initiative, user=member),
        "users": {
            "anonymous": None,
            "outsider": outsider,
            "other_exec": UserFactory(username="other_exec", role=roles.EXECUTIVE),
            "member": member,
            "sponsor": sponsor,
            "leader": leader,
            "admin": UserFactory(username="admin", is_superuser=True, is_staff=True),
        },
        "spare_user": UserFactory(username="spare", role=roles.TEAM_MEMBER),
    }
    w["outsider_initiative"] = InitiativeFactory(leader=outsider, sponsor=sponsor)
    for module in ROW_MODULES:
        module.build(w)
    return w
