"""Who may do what: the one definition that views, the API and templates all use.

Object permissions take an Initiative. Process apps reuse these three levels:
- view:       superuser, executives, and the initiative's leader, sponsor and members;
- contribute: the leader and team members (log measurements, experiments, insights...);
- manage:     the leader (charter, team, KPIs, stage), or a superuser.
"""

import rules

from initiatives import roles


@rules.predicate
def is_executive(user) -> bool:
    return roles.has_role(user, roles.EXECUTIVE)


@rules.predicate
def is_change_leader(user) -> bool:
    return roles.has_role(user, roles.CHANGE_LEADER)


@rules.predicate
def is_active_superuser(user) -> bool:
    return user.is_active and user.is_superuser


@rules.predicate
def is_leader(user, initiative) -> bool:
    return initiative is not None and initiative.leader_id == user.pk


@rules.predicate
def is_sponsor(user, initiative) -> bool:
    return initiative is not None and initiative.sponsor_id == user.pk


@rules.predicate
def is_member(user, initiative) -> bool:
    if initiative is None:
        return False
    return initiative.memberships.filter(user_id=user.pk).exists()


is_active = rules.is_active
can_view = is_active & (is_active_superuser | is_executive | is_leader | is_sponsor | is_member)
can_contribute = is_active & (is_active_superuser | is_leader | is_member)
can_manage = is_active & (is_active_superuser | is_leader)

rules.add_perm("initiatives.view_initiative", can_view)
rules.add_perm("initiatives.contribute_initiative", can_contribute)
rules.add_perm("initiatives.change_initiative", can_manage)
rules.add_perm("initiatives.add_initiative", is_active & (is_active_superuser | is_change_leader))
# Approving a charter is the sponsor's act of support from the top.
rules.add_perm("initiatives.approve_charter", is_active & is_sponsor)
