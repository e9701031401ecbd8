"""The access helper every view of every process app uses.

An outsider gets 404 (never learns the initiative exists); someone who may read
but tries to write gets 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from initiatives.models import Initiative

VIEW = "initiatives.view_initiative"
CONTRIBUTE = "initiatives.contribute_initiative"
MANAGE = "initiatives.change_initiative"
APPROVE = "initiatives.approve_charter"


def check_initiative_access(user, initiative: Initiative, perm: str = VIEW) -> None:
    """Raise 404 for outsiders and 403 for readers lacking `perm`."""
    if not user.has_perm(VIEW, initiative):
        raise Http404("No such initiative.")
    if perm != VIEW and not user.has_perm(perm, initiative):
        raise PermissionDenied("You may read this initiative but not change it.")


def get_initiative_for_user(user, pk, perm: str = VIEW) -> Initiative:
    initiative = get_object_or_404(Initiative.objects.select_related("leader", "sponsor"), pk=pk)
    check_initiative_access(user, initiative, perm)
    return initiative


def visible_initiatives(user):
    return Initiative.objects.visible_to(user)


def raise_404_unless(condition: bool) -> None:
    if not condition:
        raise Http404
