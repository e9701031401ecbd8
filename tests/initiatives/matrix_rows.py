"""Access-matrix rows for the hub's pages and API."""

from tests.access_matrix import (
    API_LIST,
    API_MANAGE_WRITE,
    API_READ,
    MANAGE_GET,
    MANAGE_POST,
    PAGE,
    Case,
    exempt,
    register,
)

ANYONE_SIGNED_IN = (302, 200, 200, 200, 200, 200, 200)
LEADERS_ONLY_GET = (302, 200, 403, 403, 403, 200, 200)  # outsider is a change leader too
LEADERS_ONLY_POST = (302, 302, 403, 403, 403, 302, 302)
API_ANYONE_SIGNED_IN = (403, 200, 200, 200, 200, 200, 200)
API_STAFF_WRITE = (403, 403, 403, 403, 403, 403, 201)
API_CREATE_INITIATIVE = (403, 201, 403, 403, 403, 201, 201)


def build(w):
    pass


def pk(w):
    return {"pk": w["initiative"].pk}


def initiative_form(w):
    i = w["initiative"]
    return {
        "title": "Renamed",
        "problem": i.problem,
        "sponsor": i.sponsor_id,
        "leader": i.leader_id,
        "investment": "10",
        "expected_benefit": "20",
        "lock_version": i.lock_version,
    }


def new_initiative(w):
    data = initiative_form(w)
    data.pop("lock_version")
    return data


exempt("login", "the login page is public by design")
exempt("logout", "logging out needs no permission")
exempt("health", "the health check is for load balancers; it reveals no data")
exempt("api-docs", "docs and schema only need a login; covered in tests/api")
exempt("api-redoc", "docs and schema only need a login; covered in tests/api")
exempt("api-schema", "docs and schema only need a login; covered in tests/api")

register(
    Case("home", "GET", (302, 302, 302, 302, 302, 302, 302)),
    Case("initiatives:list", "GET", ANYONE_SIGNED_IN),
    Case("initiatives:create", "GET", LEADERS_ONLY_GET),
    Case("initiatives:create", "POST", LEADERS_ONLY_POST, data=new_initiative),
    Case("initiatives:detail", "GET", PAGE, kwargs=pk),
    Case("initiatives:edit", "GET", MANAGE_GET, kwargs=pk),
    Case("initiatives:edit", "POST", MANAGE_POST, kwargs=pk, data=initiative_form),
    Case("initiatives:history", "GET", PAGE, kwargs=pk),
    Case("initiatives:team", "GET", PAGE, kwargs=pk),
    Case(
        "initiatives:team",
        "POST",
        (302, 404, 403, 403, 403, 302, 302),
        kwargs=pk,
        data=lambda w: {"user": w["spare_user"].pk, "role": "Designer"},
    ),
    Case(
        "initiatives:team-remove",
        "POST",
        MANAGE_POST,
        kwargs=lambda w: {"pk": w["initiative"].pk, "membership_pk": w["membership"].pk},
    ),
    Case("initiatives:advance", "POST", MANAGE_POST, kwargs=pk),
    Case("initiatives:close", "POST", MANAGE_POST, kwargs=pk),
    # API
    Case("initiative-list", "GET", API_LIST),
    Case("initiative-list", "POST", API_CREATE_INITIATIVE, data=new_initiative, fmt="json"),
    Case("initiative-detail", "GET", API_READ, kwargs=pk),
    Case(
        "initiative-detail",
        "PATCH",
        API_MANAGE_WRITE,
        kwargs=pk,
        data=lambda w: {"title": "Renamed"},
        fmt="json",
    ),
    Case(
        "initiative-advance",
        "POST",
        (403, 404, 403, 403, 403, 400, 400),  # 400: the charter checklist is not done
        kwargs=pk,
    ),
    Case("membership-list", "GET", API_LIST),
    Case(
        "membership-list",
        "POST",
        (403, 400, 403, 403, 403, 201, 201),
        data=lambda w: {
            "initiative": w["initiative"].pk,
            "user": w["spare_user"].pk,
            "role": "Designer",
        },
        fmt="json",
    ),
    Case("membership-detail", "GET", API_READ, kwargs=lambda w: {"pk": w["membership"].pk}),
    Case(
        "membership-detail",
        "DELETE",
        (403, 404, 403, 403, 403, 204, 204),
        kwargs=lambda w: {"pk": w["membership"].pk},
    ),
    Case("department-list", "GET", API_ANYONE_SIGNED_IN),
    Case("department-list", "POST", API_STAFF_WRITE, data=lambda w: {"name": "Legal"}, fmt="json"),
    Case(
        "department-detail",
        "GET",
        API_ANYONE_SIGNED_IN,
        kwargs=lambda w: {"pk": w["membership"].department_id},
    ),
    Case("segment-list", "GET", API_ANYONE_SIGNED_IN),
    Case("segment-list", "POST", API_STAFF_WRITE, data=lambda w: {"name": "Students"}, fmt="json"),
    Case(
        "segment-detail",
        "GET",
        (403, 404, 404, 404, 404, 404, 404),
        kwargs=lambda w: {"pk": 999999},
        note="no such segment",
    ),
)
