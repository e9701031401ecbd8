"""Access-matrix rows for mobilizing's pages and API.

Per-initiative pages follow the hub's levels (read: PAGE; log activities and adoption:
CONTRIBUTE; stakeholders, surveys, waves: MANAGE). The importance-performance survey is
organisation-wide: change leaders (the outsider is one), executives and superusers run it,
team members read its results, only change leaders create initiatives from it. The two
answer links are the only pages anonymous visitors may open: 200 for a valid token.
"""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from mobilizing.models import IpaResponse, IpaScore
from tests.access_matrix import (
    API_CONTRIBUTE_CREATE,
    API_CONTRIBUTE_DELETE,
    API_CONTRIBUTE_WRITE,
    API_LIST,
    API_MANAGE_CREATE,
    API_MANAGE_DELETE,
    API_MANAGE_WRITE,
    API_READ,
    CONTRIBUTE_GET,
    CONTRIBUTE_POST,
    MANAGE_GET,
    MANAGE_POST,
    PAGE,
    Case,
    register,
)
from tests.mobilizing.factories import (
    ActivityFactory,
    IpaInvitationFactory,
    IpaStatementFactory,
    IpaSurveyFactory,
    PulseInvitationFactory,
    PulseQuestionFactory,
    PulseSurveyFactory,
    ReadingFactory,
    StakeholderFactory,
    WaveFactory,
    WaveUnitFactory,
)

# anonymous, outsider (a change leader), other_exec, member, sponsor, leader, admin
IPA_READ = (302, 200, 200, 200, 200, 200, 200)
IPA_MANAGE_GET = (302, 200, 200, 403, 200, 200, 200)
IPA_MANAGE_POST = (302, 302, 302, 403, 302, 302, 302)
LEADERS_ONLY_GET = (302, 200, 403, 403, 403, 200, 200)
LEADERS_ONLY_POST = (302, 302, 403, 403, 403, 302, 302)
PUBLIC = (200, 200, 200, 200, 200, 200, 200)
API_IPA_READ = (403, 200, 200, 200, 200, 200, 200)
API_IPA_CREATE = (403, 201, 201, 403, 201, 201, 201)
API_IPA_WRITE = (403, 200, 200, 403, 200, 200, 200)
API_IPA_DELETE = (403, 204, 204, 403, 204, 204, 204)


def build(w):
    i = w["initiative"]
    w["stakeholder"] = StakeholderFactory(initiative=i, name="Head of Sales")
    w["activity"] = ActivityFactory(initiative=i)
    w["pulse_draft"] = PulseSurveyFactory(initiative=i, status="draft")
    w["pulse_question"] = PulseQuestionFactory(survey=w["pulse_draft"], text="I trust them")
    w["pulse_open"] = PulseSurveyFactory(initiative=i, status="open", opens=dt.date(2020, 1, 1))
    w["pulse_open_q"] = PulseQuestionFactory(survey=w["pulse_open"], text="Ready?")
    w["pulse_invitation"] = PulseInvitationFactory(survey=w["pulse_open"])
    w["wave"] = WaveFactory(initiative=i, order=1)
    w["unit"] = WaveUnitFactory(wave=w["wave"], name="Leeds")
    w["reading"] = ReadingFactory(unit=w["unit"])
    w["ipa_draft"] = IpaSurveyFactory(status="draft")
    w["ipa_draft_statement"] = IpaStatementFactory(survey=w["ipa_draft"])
    w["ipa_open"] = IpaSurveyFactory(status="open", scale=5)
    w["ipa_statement"] = IpaStatementFactory(survey=w["ipa_open"], text="We measure profit")
    w["ipa_invitation"] = IpaInvitationFactory(survey=w["ipa_open"])
    response = IpaResponse.objects.create(survey=w["ipa_open"])
    IpaScore.objects.create(
        response=response, statement=w["ipa_statement"], importance=5, performance=2
    )


def pk(w):
    return {"pk": w["initiative"].pk}


def with_(key, name):
    return lambda w: {"pk": w["initiative"].pk, name: w[key].pk}


def survey_kw(key):
    return lambda w: {"pk": w["initiative"].pk, "sid": w[key].pk}


def question_kw(w):
    return {"pk": w["initiative"].pk, "sid": w["pulse_draft"].pk, "qid": w["pulse_question"].pk}


def stakeholder_form(w):
    return {
        "name": "Head of Sales",
        "kind": "person",
        "influence": 3,
        "support": 2,
        "target_support": 4,
        "lock_version": w["stakeholder"].lock_version,
    }


def activity_form(w):
    return {
        "kind": "workshop",
        "title": "Kick-off",
        "audience": "Sales",
        "date": "2025-04-01",
        "reach": 20,
        "lock_version": w["activity"].lock_version,
    }


def pulse_csv(w):
    return {"file": SimpleUploadedFile("r.csv", b"department,q1\n,4\n,5\n", "text/csv")}


def ipa_csv(w):
    body = b"respondent,statement,importance,performance\nA,We measure profit,5,2\n"
    return {"file": SimpleUploadedFile("r.csv", body, "text/csv")}


def wave_form(w):
    return {
        "name": "Pilot",
        "order": 1,
        "status": "running",
        "planned_start": "2025-01-01",
        "planned_end": "2025-06-01",
        "actual_start": "2025-01-05",
        "target_adoption": 90,
        "lock_version": w["wave"].lock_version,
    }


def ipa_kw(key):
    return lambda w: {"sid": w[key].pk}


register(
    Case("mobilizing:overview", "GET", PAGE, kwargs=pk),
    # Stakeholders
    Case("mobilizing:stakeholders", "GET", PAGE, kwargs=pk),
    Case("mobilizing:stakeholder-add", "GET", MANAGE_GET, kwargs=pk),
    Case(
        "mobilizing:stakeholder-add",
        "POST",
        MANAGE_POST,
        kwargs=pk,
        data=lambda w: {
            "name": "CFO",
            "kind": "person",
            "influence": 3,
            "support": 3,
            "target_support": 4,
        },
    ),
    Case("mobilizing:stakeholder-edit", "GET", MANAGE_GET, kwargs=with_("stakeholder", "sid")),
    Case(
        "mobilizing:stakeholder-edit",
        "POST",
        MANAGE_POST,
        kwargs=with_("stakeholder", "sid"),
        data=stakeholder_form,
    ),
    Case(
        "mobilizing:stakeholder-move",
        "POST",
        MANAGE_POST,
        kwargs=with_("stakeholder", "sid"),
        data=lambda w: {
            "influence": 3,
            "support": 5,
            "lock_version": w["stakeholder"].lock_version,
        },
    ),
    Case("mobilizing:stakeholder-delete", "POST", MANAGE_POST, kwargs=with_("stakeholder", "sid")),
    # Engagement activities
    Case("mobilizing:activities", "GET", PAGE, kwargs=pk),
    Case("mobilizing:activities", "POST", CONTRIBUTE_POST, kwargs=pk, data=activity_form),
    Case("mobilizing:activity-edit", "GET", CONTRIBUTE_GET, kwargs=with_("activity", "aid")),
    Case(
        "mobilizing:activity-edit",
        "POST",
        CONTRIBUTE_POST,
        kwargs=with_("activity", "aid"),
        data=activity_form,
    ),
    Case("mobilizing:activity-delete", "POST", CONTRIBUTE_POST, kwargs=with_("activity", "aid")),
    # Pulse surveys
    Case("mobilizing:pulse", "GET", PAGE, kwargs=pk),
    Case("mobilizing:pulse-trends", "GET", PAGE, kwargs=pk),
    Case("mobilizing:pulse-create", "GET", MANAGE_GET, kwargs=pk),
    Case(
        "mobilizing:pulse-create",
        "POST",
        MANAGE_POST,
        kwargs=pk,
        data=lambda w: {
            "title": "Pulse 2",
            "opens": "2025-05-01",
            "invited_elsewhere": 0,
            "start_from": "default",
        },
    ),
    Case("mobilizing:pulse-detail", "GET", PAGE, kwargs=survey_kw("pulse_open")),
    Case("mobilizing:pulse-edit", "GET", MANAGE_GET, kwargs=survey_kw("pulse_draft")),
    Case(
        "mobilizing:pulse-edit",
        "POST",
        MANAGE_POST,
        kwargs=survey_kw("pulse_draft"),
        data=lambda w: {
            "title": "Renamed",
            "opens": "2025-01-01",
            "invited_elsewhere": 0,
            "lock_version": w["pulse_draft"].lock_version,
        },
    ),
    Case(
        "mobilizing:pulse-status",
        "POST",
        MANAGE_POST,
        kwargs=survey_kw("pulse_draft"),
        data=lambda w: {"status": "open"},
    ),
    Case(
        "mobilizing:pulse-question-add",
        "POST",
        MANAGE_POST,
        kwargs=survey_kw("pulse_draft"),
        data=lambda w: {"text": "I know how", "kind": "adkar-knowledge", "order": 2},
    ),
    Case("mobilizing:pulse-question-edit", "GET", MANAGE_GET, kwargs=question_kw),
    Case(
        "mobilizing:pulse-question-edit",
        "POST",
        MANAGE_POST,
        kwargs=question_kw,
        data=lambda w: {"text": "I trust leadership", "kind": "trust", "order": 1},
    ),
    Case("mobilizing:pulse-question-delete", "POST", MANAGE_POST, kwargs=question_kw),
    Case("mobilizing:pulse-invitations", "GET", MANAGE_GET, kwargs=survey_kw("pulse_open")),
    Case(
        "mobilizing:pulse-invitations",
        "POST",
        MANAGE_POST,
        kwargs=survey_kw("pulse_open"),
        data=lambda w: {"count": 3},
    ),
    Case("mobilizing:pulse-import", "GET", MANAGE_GET, kwargs=survey_kw("pulse_open")),
    Case(
        "mobilizing:pulse-import",
        "POST",
        MANAGE_POST,
        kwargs=survey_kw("pulse_open"),
        data=pulse_csv,
    ),
    # The anonymous answer links
    Case(
        "mobilizing:pulse-answer",
        "GET",
        PUBLIC,
        kwargs=lambda w: {"token": w["pulse_invitation"].token},
    ),
    Case(
        "mobilizing:pulse-answer",
        "POST",
        PUBLIC,
        kwargs=lambda w: {"token": w["pulse_invitation"].token},
        data=lambda w: {f"q{w['pulse_open_q'].pk}": "4"},
        note="200: the thank-you page",
    ),
    Case(
        "mobilizing:pulse-answer",
        "GET",
        (404,) * 7,
        kwargs=lambda w: {"token": "nope"},
        id="mobilizing:pulse-answer:unknown-token",
    ),
    Case(
        "mobilizing:ipa-answer",
        "GET",
        PUBLIC,
        kwargs=lambda w: {"token": w["ipa_invitation"].token},
    ),
    Case(
        "mobilizing:ipa-answer",
        "POST",
        PUBLIC,
        kwargs=lambda w: {"token": w["ipa_invitation"].token},
        data=lambda w: {
            f"importance_{w['ipa_statement'].pk}": "5",
            f"performance_{w['ipa_statement'].pk}": "2",
        },
    ),
    Case(
        "mobilizing:ipa-answer",
        "GET",
        (404,) * 7,
        kwargs=lambda w: {"token": "nope"},
        id="mobilizing:ipa-answer:unknown-token",
    ),
    # Rollout waves
    Case("mobilizing:waves", "GET", PAGE, kwargs=pk),
    Case("mobilizing:wave-add", "GET", MANAGE_GET, kwargs=pk),
    Case(
        "mobilizing:wave-add",
        "POST",
        MANAGE_POST,
        kwargs=pk,
        data=lambda w: wave_form(w) | {"order": 2, "name": "Wave 2"},
    ),
    Case("mobilizing:wave-edit", "GET", MANAGE_GET, kwargs=with_("wave", "wid")),
    Case("mobilizing:wave-edit", "POST", MANAGE_POST, kwargs=with_("wave", "wid"), data=wave_form),
    Case(
        "mobilizing:unit-add",
        "POST",
        MANAGE_POST,
        kwargs=with_("wave", "wid"),
        data=lambda w: {"name": "Cork", "kind": "site"},
    ),
    Case(
        "mobilizing:reading-add",
        "POST",
        CONTRIBUTE_POST,
        kwargs=pk,
        data=lambda w: {"unit": w["unit"].pk, "date": "2025-03-01", "adoption_pct": "55"},
    ),
    # Importance-performance analysis
    Case("mobilizing:ipa-list", "GET", IPA_READ),
    Case("mobilizing:ipa-create", "GET", IPA_MANAGE_GET),
    Case(
        "mobilizing:ipa-create",
        "POST",
        IPA_MANAGE_POST,
        data=lambda w: {"title": "Where we stand", "scale": 7},
    ),
    Case("mobilizing:ipa-detail", "GET", IPA_READ, kwargs=ipa_kw("ipa_open")),
    Case("mobilizing:ipa-edit", "GET", IPA_MANAGE_GET, kwargs=ipa_kw("ipa_draft")),
    Case(
        "mobilizing:ipa-edit",
        "POST",
        IPA_MANAGE_POST,
        kwargs=ipa_kw("ipa_draft"),
        data=lambda w: {
            "title": "Renamed",
            "scale": 7,
            "lock_version": w["ipa_draft"].lock_version,
        },
    ),
    Case(
        "mobilizing:ipa-status",
        "POST",
        IPA_MANAGE_POST,
        kwargs=ipa_kw("ipa_draft"),
        data=lambda w: {"status": "open"},
    ),
    Case(
        "mobilizing:ipa-statements",
        "POST",
        IPA_MANAGE_POST,
        kwargs=ipa_kw("ipa_draft"),
        data=lambda w: {"lines": "We know our best customers\nWe ask why they leave"},
    ),
    Case(
        "mobilizing:ipa-statement-delete",
        "POST",
        IPA_MANAGE_POST,
        kwargs=lambda w: {"sid": w["ipa_draft"].pk, "st": w["ipa_draft_statement"].pk},
    ),
    Case("mobilizing:ipa-invitations", "GET", IPA_MANAGE_GET, kwargs=ipa_kw("ipa_open")),
    Case(
        "mobilizing:ipa-invitations",
        "POST",
        IPA_MANAGE_POST,
        kwargs=ipa_kw("ipa_open"),
        data=lambda w: {"count": 5},
    ),
    Case("mobilizing:ipa-import", "GET", IPA_MANAGE_GET, kwargs=ipa_kw("ipa_open")),
    Case("mobilizing:ipa-import", "POST", IPA_MANAGE_POST, kwargs=ipa_kw("ipa_open"), data=ipa_csv),
    Case(
        "mobilizing:ipa-initiative",
        "GET",
        LEADERS_ONLY_GET,
        kwargs=lambda w: {"sid": w["ipa_open"].pk, "st": w["ipa_statement"].pk},
    ),
    Case(
        "mobilizing:ipa-initiative",
        "POST",
        LEADERS_ONLY_POST,
        kwargs=lambda w: {"sid": w["ipa_open"].pk, "st": w["ipa_statement"].pk},
        data=lambda w: {"sponsor": w["users"]["sponsor"].pk},
    ),
    # API
    Case("stakeholder-list", "GET", API_LIST),
    Case(
        "stakeholder-list",
        "POST",
        API_MANAGE_CREATE,
        fmt="json",
        data=lambda w: {
            "initiative": w["initiative"].pk,
            "name": "CFO",
            "influence": 3,
            "support": 2,
            "target_support": 4,
        },
    ),
    Case("stakeholder-detail", "GET", API_READ, kwargs=lambda w: {"pk": w["stakeholder"].pk}),
    Case(
        "stakeholder-detail",
        "PATCH",
        API_MANAGE_WRITE,
        fmt="json",
        kwargs=lambda w: {"pk": w["stakeholder"].pk},
        data=lambda w: {"support": 4},
    ),
    Case(
        "stakeholder-detail",
        "DELETE",
        API_MANAGE_DELETE,
        kwargs=lambda w: {"pk": w["stakeholder"].pk},
    ),
    Case("engagement-activity-list", "GET", API_LIST),
    Case(
        "engagement-activity-list",
        "POST",
        API_CONTRIBUTE_CREATE,
        fmt="json",
        data=lambda w: {
            "initiative": w["initiative"].pk,
            "kind": "training",
            "title": "Dashboard training",
            "audience": "Wave 2",
            "date": "2025-04-01",
        },
    ),
    Case("engagement-activity-detail", "GET", API_READ, kwargs=lambda w: {"pk": w["activity"].pk}),
    Case(
        "engagement-activity-detail",
        "PATCH",
        API_CONTRIBUTE_WRITE,
        fmt="json",
        kwargs=lambda w: {"pk": w["activity"].pk},
        data=lambda w: {"reach": 40},
    ),
    Case(
        "engagement-activity-detail",
        "DELETE",
        API_CONTRIBUTE_DELETE,
        kwargs=lambda w: {"pk": w["activity"].pk},
    ),
    Case("pulse-survey-list", "GET", API_LIST),
    Case(
        "pulse-survey-list",
        "POST",
        API_MANAGE_CREATE,
        fmt="json",
        data=lambda w: {
            "initiative": w["initiative"].pk,
            "title": "Pulse 3",
            "opens": "2025-06-01",
        },
    ),
    Case("pulse-survey-detail", "GET", API_READ, kwargs=lambda w: {"pk": w["pulse_open"].pk}),
    Case(
        "pulse-survey-detail",
        "PATCH",
        API_MANAGE_WRITE,
        fmt="json",
        kwargs=lambda w: {"pk": w["pulse_open"].pk},
        data=lambda w: {"status": "closed"},
    ),
    Case("pulse-survey-results", "GET", API_READ, kwargs=lambda w: {"pk": w["pulse_open"].pk}),
    Case("pulse-question-list", "GET", API_LIST),
    Case(
        "pulse-question-list",
        "POST",
        API_MANAGE_CREATE,
        fmt="json",
        data=lambda w: {"survey": w["pulse_draft"].pk, "text": "I am able", "kind": "other"},
    ),
    Case("pulse-question-detail", "GET", API_READ, kwargs=lambda w: {"pk": w["pulse_question"].pk}),
    Case(
        "pulse-question-detail",
        "PATCH",
        API_MANAGE_WRITE,
        fmt="json",
        kwargs=lambda w: {"pk": w["pulse_question"].pk},
        data=lambda w: {"text": "Trust?"},
    ),
    Case(
        "pulse-question-detail",
        "DELETE",
        API_MANAGE_DELETE,
        kwargs=lambda w: {"pk": w["pulse_question"].pk},
    ),
    Case("rollout-wave-list", "GET", API_LIST),
    Case(
        "rollout-wave-list",
        "POST",
        API_MANAGE_CREATE,
        fmt="json",
        data=lambda w: {
            "initiative": w["initiative"].pk,
            "name": "Wave 2",
            "order": 2,
            "planned_start": "2025-06-01",
            "planned_end": "2025-09-01",
        },
    ),
    Case("rollout-wave-detail", "GET", API_READ, kwargs=lambda w: {"pk": w["wave"].pk}),
    Case(
        "rollout-wave-detail",
        "PATCH",
        API_MANAGE_WRITE,
        fmt="json",
        kwargs=lambda w: {"pk": w["wave"].pk},
        data=lambda w: {"status": "running"},
    ),
    Case("rollout-wave-detail", "DELETE", API_MANAGE_DELETE, kwargs=lambda w: {"pk": w["wave"].pk}),
    Case("wave-unit-list", "GET", API_LIST),
    Case(
        "wave-unit-list",
        "POST",
        API_MANAGE_CREATE,
        fmt="json",
        data=lambda w: {"wave": w["wave"].pk, "name": "Cork", "kind": "site"},
    ),
    Case("wave-unit-detail", "GET", API_READ, kwargs=lambda w: {"pk": w["unit"].pk}),
    Case(
        "wave-unit-detail",
        "PATCH",
        API_MANAGE_WRITE,
        fmt="json",
        kwargs=lambda w: {"pk": w["unit"].pk},
        data=lambda w: {"name": "Leeds North"},
    ),
    Case("wave-unit-detail", "DELETE", API_MANAGE_DELETE, kwargs=lambda w: {"pk": w["unit"].pk}),
    Case("adoption-reading-list", "GET", API_LIST),
    Case(
        "adoption-reading-list",
        "POST",
        API_CONTRIBUTE_CREATE,
        fmt="json",
        data=lambda w: {"unit": w["unit"].pk, "date": "2025-03-01", "adoption_pct": "61.5"},
    ),
    Case("adoption-reading-detail", "GET", API_READ, kwargs=lambda w: {"pk": w["reading"].pk}),
    Case(
        "adoption-reading-detail",
        "PATCH",
        API_CONTRIBUTE_WRITE,
        fmt="json",
        kwargs=lambda w: {"pk": w["reading"].pk},
        data=lambda w: {"adoption_pct": "45"},
    ),
    Case(
        "adoption-reading-detail",
        "DELETE",
        API_CONTRIBUTE_DELETE,
        kwargs=lambda w: {"pk": w["reading"].pk},
    ),
    Case("ipa-survey-list", "GET", API_IPA_READ),
    Case(
        "ipa-survey-list",
        "POST",
        API_IPA_CREATE,
        fmt="json",
        data=lambda w: {"title": "Where we stand", "scale": 5},
    ),
    Case("ipa-survey-detail", "GET", API_IPA_READ, kwargs=lambda w: {"pk": w["ipa_open"].pk}),
    Case(
        "ipa-survey-detail",
        "PATCH",
        API_IPA_WRITE,
        fmt="json",
        kwargs=lambda w: {"pk": w["ipa_open"].pk},
        data=lambda w: {"status": "closed"},
    ),
    Case("ipa-survey-results", "GET", API_IPA_READ, kwargs=lambda w: {"pk": w["ipa_open"].pk}),
    Case("ipa-statement-list", "GET", API_IPA_READ),
    Case(
        "ipa-statement-list",
        "POST",
        API_IPA_CREATE,
        fmt="json",
        data=lambda w: {"survey": w["ipa_draft"].pk, "text": "We know churn", "order": 2},
    ),
    Case(
        "ipa-statement-detail",
        "GET",
        API_IPA_READ,
        kwargs=lambda w: {"pk": w["ipa_draft_statement"].pk},
    ),
    Case(
        "ipa-statement-detail",
        "PATCH",
        API_IPA_WRITE,
        fmt="json",
        kwargs=lambda w: {"pk": w["ipa_draft_statement"].pk},
        data=lambda w: {"order": 5},
    ),
    Case(
        "ipa-statement-detail",
        "DELETE",
        API_IPA_DELETE,
        kwargs=lambda w: {"pk": w["ipa_draft_statement"].pk},
    ),
)
