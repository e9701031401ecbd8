"""Access-matrix rows for learning's pages and API.

Lessons are the organisation's memory: any signed-in user reads them (the global list
and the API), while writing one needs CONTRIBUTE on its initiative.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

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
from tests.learning.factories import (
    ExperimentFactory,
    ImportFactory,
    InsightFactory,
    LessonFactory,
    MeasurementFactory,
    MetricFactory,
    NpsFactory,
)

SIGNED_IN = (302, 200, 200, 200, 200, 200, 200)
API_SIGNED_IN = (403, 200, 200, 200, 200, 200, 200)
API_BULK = (403, 400, 403, 200, 403, 200, 200)  # outsider can't name the initiative
# The outsider reads a lesson (shared) but may not change it: 403, not 404.
API_LESSON_WRITE = (403, 403, 403, 200, 403, 200, 200)


def build(w):
    initiative = w["initiative"]
    metric = MetricFactory(initiative=initiative, name="First-contact resolution")
    w["metric"] = metric
    w["measurement"] = MeasurementFactory(metric=metric)
    w["import"] = ImportFactory(
        initiative=initiative,
        raw_text="metric,period,value\nFirst-contact resolution,2025-04-01,70\n",
        rows_total=1,
    )
    w["insight"] = InsightFactory(initiative=initiative)
    w["nps"] = NpsFactory(initiative=initiative)
    w["lesson"] = LessonFactory(initiative=initiative)
    w["experiment"] = ExperimentFactory(initiative=initiative, metric=metric)


def pk(w):
    return {"pk": w["initiative"].pk}


def with_pk(key, name):
    return lambda w: {"pk": w["initiative"].pk, name: w[key].pk}


def metric_form(w):
    return {
        "name": "Repeat contacts",
        "direction": "lower",
        "cadence": "weekly",
        "lock_version": w["metric"].lock_version,
    }


def experiment_form(w):
    return {
        "title": "Callbacks",
        "hypothesis": "Callbacks stop repeat calls",
        "metric": w["metric"].pk,
        "start": "2025-05-01",
        "end": "2025-05-31",
        "status": "planned",
        "lock_version": w["experiment"].lock_version,
    }


def csv_upload(w):
    return {
        "file": SimpleUploadedFile(
            "v.csv",
            b"metric,period,value\nFirst-contact resolution,2025-04-02,71\n",
            content_type="text/csv",
        )
    }


def nps_upload(w):
    return {
        "file": SimpleUploadedFile(
            "n.csv", b"date,score,segment,why\n2025-04-02,3,,slow\n", content_type="text/csv"
        )
    }


M = with_pk("metric", "metric_pk")
E = with_pk("experiment", "experiment_pk")
IMP = with_pk("import", "import_pk")

register(
    Case("learning:overview", "GET", PAGE, kwargs=pk),
    Case("learning:log", "GET", CONTRIBUTE_GET, kwargs=pk),
    Case(
        "learning:log",
        "POST",
        CONTRIBUTE_POST,
        kwargs=pk,
        data=lambda w: {"metric": w["metric"].pk, "period": "2025-04-01", "value": "70.5"},
    ),
    Case("learning:metric-add", "GET", MANAGE_GET, kwargs=pk),
    Case("learning:metric-add", "POST", MANAGE_POST, kwargs=pk, data=metric_form),
    Case("learning:metric", "GET", PAGE, kwargs=M),
    Case("learning:metric-edit", "GET", MANAGE_GET, kwargs=M),
    Case(
        "learning:metric-edit",
        "POST",
        MANAGE_POST,
        kwargs=M,
        data=lambda w: {**metric_form(w), "name": "FCR", "direction": "higher"},
    ),
    Case("learning:metric-export", "GET", PAGE, kwargs=M),
    Case("learning:import", "GET", CONTRIBUTE_GET, kwargs=pk),
    Case("learning:import", "POST", CONTRIBUTE_POST, kwargs=pk, data=csv_upload),
    Case("learning:import-detail", "GET", CONTRIBUTE_GET, kwargs=IMP),
    Case("learning:import-confirm", "POST", CONTRIBUTE_POST, kwargs=IMP),
    Case("learning:import-progress", "GET", CONTRIBUTE_GET, kwargs=IMP),
    Case("learning:insights", "GET", PAGE, kwargs=pk),
    Case("learning:insight-add", "GET", CONTRIBUTE_GET, kwargs=pk),
    Case(
        "learning:insight-add",
        "POST",
        CONTRIBUTE_POST,
        kwargs=pk,
        data=lambda w: {"source": "interview", "text": "Nobody calls back."},
    ),
    Case("learning:nps", "GET", PAGE, kwargs=pk),
    Case("learning:nps-import", "GET", CONTRIBUTE_GET, kwargs=pk),
    Case("learning:nps-import", "POST", CONTRIBUTE_POST, kwargs=pk, data=nps_upload),
    Case("learning:lessons", "GET", SIGNED_IN, note="lessons are shared with every user"),
    Case("learning:lesson-add", "GET", CONTRIBUTE_GET, kwargs=pk),
    Case(
        "learning:lesson-add",
        "POST",
        CONTRIBUTE_POST,
        kwargs=pk,
        data=lambda w: {"title": "Brief first", "tried": "A new bill", "why": "Not briefed"},
    ),
    Case("learning:experiment-add", "GET", CONTRIBUTE_GET, kwargs=pk),
    Case("learning:experiment-add", "POST", CONTRIBUTE_POST, kwargs=pk, data=experiment_form),
    Case("learning:experiment", "GET", PAGE, kwargs=E),
    Case("learning:experiment-edit", "GET", CONTRIBUTE_GET, kwargs=E),
    Case("learning:experiment-edit", "POST", CONTRIBUTE_POST, kwargs=E, data=experiment_form),
    Case(
        "learning:experiment-decide",
        "POST",
        MANAGE_POST,
        kwargs=E,
        data=lambda w: {"decision": "adopt", "learned": "It works at both sites."},
    ),
    # API
    Case("metric-list", "GET", API_LIST),
    Case(
        "metric-list",
        "POST",
        API_MANAGE_CREATE,
        fmt="json",
        data=lambda w: {"initiative": w["initiative"].pk, "name": "NPS", "direction": "higher"},
    ),
    Case("metric-detail", "GET", API_READ, kwargs=lambda w: {"pk": w["metric"].pk}),
    Case(
        "metric-detail",
        "PATCH",
        API_MANAGE_WRITE,
        fmt="json",
        kwargs=lambda w: {"pk": w["metric"].pk},
        data=lambda w: {"target": 75},
    ),
    Case("metric-detail", "DELETE", API_MANAGE_DELETE, kwargs=lambda w: {"pk": w["metric"].pk}),
    Case("measurement-list", "GET", API_LIST),
    Case(
        "measurement-list",
        "POST",
        API_CONTRIBUTE_CREATE,
        fmt="json",
        data=lambda w: {"metric": w["metric"].pk, "period": "2025-04-01", "value": 70.5},
    ),
    Case("measurement-detail", "GET", API_READ, kwargs=lambda w: {"pk": w["measurement"].pk}),
    Case(
        "measurement-detail",
        "PATCH",
        API_CONTRIBUTE_WRITE,
        fmt="json",
        kwargs=lambda w: {"pk": w["measurement"].pk},
        data=lambda w: {"value": 66},
    ),
    Case(
        "measurement-detail",
        "DELETE",
        API_CONTRIBUTE_DELETE,
        kwargs=lambda w: {"pk": w["measurement"].pk},
    ),
    Case(
        "measurement-bulk",
        "POST",
        API_BULK,
        fmt="json",
        data=lambda w: {
            "initiative": w["initiative"].pk,
            "rows": [{"metric": w["metric"].pk, "period": "2025-04-01", "value": 70}],
        },
    ),
    Case("insight-list", "GET", API_LIST),
    Case(
        "insight-list",
        "POST",
        API_CONTRIBUTE_CREATE,
        fmt="json",
        data=lambda w: {"initiative": w["initiative"].pk, "source": "forum", "text": "Slow"},
    ),
    Case("insight-detail", "GET", API_READ, kwargs=lambda w: {"pk": w["insight"].pk}),
    Case(
        "insight-detail",
        "PATCH",
        API_CONTRIBUTE_WRITE,
        fmt="json",
        kwargs=lambda w: {"pk": w["insight"].pk},
        data=lambda w: {"tags": "wait"},
    ),
    Case("nps-response-list", "GET", API_LIST),
    Case(
        "nps-response-list",
        "POST",
        API_CONTRIBUTE_CREATE,
        fmt="json",
        data=lambda w: {
            "initiative": w["initiative"].pk,
            "responded_on": "2025-04-01",
            "score": 3,
            "why": "slow",
        },
    ),
    Case("nps-response-detail", "GET", API_READ, kwargs=lambda w: {"pk": w["nps"].pk}),
    Case(
        "nps-response-detail", "DELETE", API_CONTRIBUTE_DELETE, kwargs=lambda w: {"pk": w["nps"].pk}
    ),
    Case(
        "nps-response-bulk",
        "POST",
        API_BULK,
        fmt="json",
        data=lambda w: {
            "initiative": w["initiative"].pk,
            "rows": [{"responded_on": "2025-04-01", "score": 10, "why": "great"}],
        },
    ),
    Case("lesson-list", "GET", API_LIST),
    Case(
        "lesson-list",
        "POST",
        API_CONTRIBUTE_CREATE,
        fmt="json",
        data=lambda w: {"initiative": w["initiative"].pk, "title": "T", "tried": "x", "why": "y"},
    ),
    Case(
        "lesson-detail",
        "GET",
        API_SIGNED_IN,
        kwargs=lambda w: {"pk": w["lesson"].pk},
        note="lessons are shared with every signed-in user",
    ),
    Case(
        "lesson-detail",
        "PATCH",
        API_LESSON_WRITE,
        fmt="json",
        kwargs=lambda w: {"pk": w["lesson"].pk},
        data=lambda w: {"title": "Brief first"},
    ),
    Case("experiment-list", "GET", API_LIST),
    Case(
        "experiment-list",
        "POST",
        API_CONTRIBUTE_CREATE,
        fmt="json",
        data=lambda w: {
            "initiative": w["initiative"].pk,
            "title": "Callbacks",
            "hypothesis": "h",
            "metric": w["metric"].pk,
            "start": "2025-05-01",
            "end": "2025-05-31",
        },
    ),
    Case("experiment-detail", "GET", API_READ, kwargs=lambda w: {"pk": w["experiment"].pk}),
    Case(
        "experiment-detail",
        "PATCH",
        API_CONTRIBUTE_WRITE,
        fmt="json",
        kwargs=lambda w: {"pk": w["experiment"].pk},
        data=lambda w: {"sites": "Leeds"},
    ),
    Case(
        "experiment-decide",
        "POST",
        API_MANAGE_WRITE,
        fmt="json",
        kwargs=lambda w: {"pk": w["experiment"].pk},
        data=lambda w: {"decision": "adapt", "learned": "Works with a script."},
    ),
    Case("experiment-result", "GET", API_READ, kwargs=lambda w: {"pk": w["experiment"].pk}),
)
