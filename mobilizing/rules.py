"""Who may do what with the organisation-wide importance-performance surveys.

Per-initiative data (stakeholders, activities, pulse surveys, waves) uses the hub's
initiative permissions (initiatives/rules.py). An importance-performance survey belongs
to no initiative: change leaders, executives and superusers run it, team members read
its results, and respondents answer through their link only.
"""

import rules

from initiatives import roles
from initiatives.rules import is_active_superuser, is_change_leader, is_executive


@rules.predicate
def is_team_member(user) -> bool:
    return roles.has_role(user, roles.TEAM_MEMBER)


can_manage_ipa = rules.is_active & (is_active_superuser | is_executive | is_change_leader)
can_view_ipa = can_manage_ipa | (rules.is_active & is_team_member)

MANAGE_IPA = "mobilizing.manage_ipa"
VIEW_IPA = "mobilizing.view_ipa"

rules.add_perm(MANAGE_IPA, can_manage_ipa)
rules.add_perm(VIEW_IPA, can_view_ipa)
