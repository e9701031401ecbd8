"""Access-matrix rows for chartering's pages and API."""

from tests.access_matrix import (
    API_LIST,
    API_MANAGE_DELETE,
    API_MANAGE_WRITE,
    API_READ,
    APPROVE_POST,
    MANAGE_GET,
    MANAGE_POST,
    PAGE,
    Case,
    register,
)
from tests.factories import CharterFactory, DeliverableFactory, RaciFactory, ScopeItemFactory


def build(w):
    charter = CharterFactory(initiative=w["initiative"])
    w["charter"] = charter
    w["scope_item"] = ScopeItemFactory(charter=charter)
    w["deliverable"] = DeliverableFactory(charter=charter)
    w["raci"] = RaciFactory(deliverable=w["deliverable"], user=w["users"]["member"], role="R")


def pk(w):
    return {"pk": w["initiative"].pk}


def charter_form(w):
    return {
        "problem_area": "Repeat contacts",
        "ground_rules": "Listen",
        "lock_version": w["charter"].lock_version,
    }


register(
    Case("chartering:charter", "GET", PAGE, kwargs=pk),
    Case(
        "chartering:version", "GET", PAGE, kwargs=lambda w: {"pk": w["initiative"].pk, "version": 1}
    ),
    Case("chartering:edit", "GET", MANAGE_GET, kwargs=pk),
    Case("chartering:edit", "POST", MANAGE_POST, kwargs=pk, data=charter_form),
    Case(
        "chartering:scope-add",
        "POST",
        MANAGE_POST,
        kwargs=pk,
        data=lambda w: {"kind": "out", "text": "Pricing"},
    ),
    Case(
        "chartering:scope-remove",
        "POST",
        MANAGE_POST,
        kwargs=lambda w: {"pk": w["initiative"].pk, "item_pk": w["scope_item"].pk},
    ),
    Case(
        "chartering:deliverable-add",
        "POST",
        MANAGE_POST,
        kwargs=pk,
        data=lambda w: {"name": "Pilot"},
    ),
    Case(
        "chartering:raci-set",
        "POST",
        MANAGE_POST,
        kwargs=pk,
        data=lambda w: {
            "deliverable": w["deliverable"].pk,
            "user": w["users"]["member"].pk,
            "role": "A",
        },
    ),
    Case("chartering:approve", "POST", APPROVE_POST, kwargs=pk),
    # API
    Case("charter-list", "GET", API_LIST),
    Case(
        "charter-list",
        "POST",
        (403, 400, 403, 403, 403, 400, 400),
        fmt="json",
        data=lambda w: {"initiative": w["initiative"].pk, "problem_area": "x"},
        note="the initiative has a charter already: 400 for those who may write",
    ),
    Case("charter-detail", "GET", API_READ, kwargs=lambda w: {"pk": w["charter"].pk}),
    Case(
        "charter-detail",
        "PATCH",
        API_MANAGE_WRITE,
        fmt="json",
        kwargs=lambda w: {"pk": w["charter"].pk},
        data=lambda w: {"resources": "Two analysts"},
    ),
    Case(
        "charter-approve",
        "POST",
        (403, 404, 403, 403, 200, 403, 200),
        kwargs=lambda w: {"pk": w["charter"].pk},
    ),
    Case("scope-item-list", "GET", API_LIST),
    Case(
        "scope-item-list",
        "POST",
        (403, 400, 403, 403, 403, 201, 201),
        fmt="json",
        data=lambda w: {"charter": w["charter"].pk, "kind": "out", "text": "Pricing"},
    ),
    Case("scope-item-detail", "GET", API_READ, kwargs=lambda w: {"pk": w["scope_item"].pk}),
    Case(
        "scope-item-detail",
        "DELETE",
        API_MANAGE_DELETE,
        kwargs=lambda w: {"pk": w["scope_item"].pk},
    ),
    Case("deliverable-list", "GET", API_LIST),
    Case(
        "deliverable-list",
        "POST",
        (403, 400, 403, 403, 403, 201, 201),
        fmt="json",
        data=lambda w: {"charter": w["charter"].pk, "name": "Pilot"},
    ),
    Case("deliverable-detail", "GET", API_READ, kwargs=lambda w: {"pk": w["deliverable"].pk}),
    Case(
        "deliverable-detail",
        "DELETE",
        API_MANAGE_DELETE,
        kwargs=lambda w: {"pk": w["deliverable"].pk},
    ),
    Case("raci-list", "GET", API_LIST),
    Case("raci-detail", "GET", API_READ, kwargs=lambda w: {"pk": w["raci"].pk}),
    Case(
        "raci-detail",
        "PATCH",
        API_MANAGE_WRITE,
        fmt="json",
        kwargs=lambda w: {"pk": w["raci"].pk},
        data=lambda w: {"role": "A"},
    ),
)
