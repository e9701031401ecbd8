"""The access matrix: every URL x every role x read/write, with the exact status.

Each process app's tests add their rows to MATRIX through `register`; the
completeness test fails when a URL has no row. Roles are the cast of
tests/conftest.py: anonymous, outsider, other executive, member, sponsor, leader, admin.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

ROLES = ["anonymous", "outsider", "other_exec", "member", "sponsor", "leader", "admin"]

# Expected statuses by kind of operation, in ROLES order.
PAGE = (302, 404, 200, 200, 200, 200, 200)  # read an initiative's page
MANAGE_POST = (302, 404, 403, 403, 403, 302, 302)  # leader's write, redirects on success
MANAGE_GET = (302, 404, 403, 403, 403, 200, 200)  # leader's form page
CONTRIBUTE_POST = (302, 404, 403, 302, 403, 302, 302)
CONTRIBUTE_GET = (302, 404, 403, 200, 403, 200, 200)
APPROVE_POST = (302, 404, 403, 403, 302, 403, 302)
API_LIST = (403, 200, 200, 200, 200, 200, 200)
API_READ = (403, 404, 200, 200, 200, 200, 200)
API_MANAGE_WRITE = (403, 404, 403, 403, 403, 200, 200)
API_MANAGE_CREATE = (403, 400, 403, 403, 403, 201, 201)  # outsider can't name the initiative
API_MANAGE_DELETE = (403, 404, 403, 403, 403, 204, 204)
API_CONTRIBUTE_CREATE = (403, 400, 403, 201, 403, 201, 201)
API_CONTRIBUTE_WRITE = (403, 404, 403, 200, 403, 200, 200)
API_CONTRIBUTE_DELETE = (403, 404, 403, 204, 403, 204, 204)


@dataclass
class Case:
    url_name: str
    method: str
    expected: tuple[int, ...]
    kwargs: Callable[[dict], dict] = lambda w: {}
    data: Callable[[dict], dict] = lambda w: {}
    fmt: str = "form"  # or "json"
    note: str = ""
    id: str = field(default="")

    def __post_init__(self):
        assert len(self.expected) == len(ROLES), self.url_name
        self.id = self.id or f"{self.url_name}:{self.method}"


MATRIX: list[Case] = []
# URL names that are not about initiatives, with why they're exempt.
EXEMPT: dict[str, str] = {}


def register(*cases: Case) -> None:
    MATRIX.extend(cases)


def exempt(name: str, why: str) -> None:
    EXEMPT[name] = why
