from django.urls import path

from learning import views

app_name = "learning"

P = "initiatives/<int:pk>/learning/"

urlpatterns = [
    path(P, views.overview, name="overview"),
    path(P + "log/", views.log_value, name="log"),
    path(P + "kpis/new/", views.metric_add, name="metric-add"),
    path(P + "kpis/<int:metric_pk>/", views.metric_detail, name="metric"),
    path(P + "kpis/<int:metric_pk>/edit/", views.metric_edit, name="metric-edit"),
    path(P + "kpis/<int:metric_pk>/export.csv", views.metric_export, name="metric-export"),
    path(P + "import/", views.import_upload, name="import"),
    path(P + "import/<int:import_pk>/", views.import_detail, name="import-detail"),
    path(P + "import/<int:import_pk>/confirm/", views.import_confirm, name="import-confirm"),
    path(P + "import/<int:import_pk>/progress/", views.import_progress, name="import-progress"),
    path(P + "insights/", views.insights, name="insights"),
    path(P + "insights/new/", views.insight_add, name="insight-add"),
    path(P + "nps/", views.nps_page, name="nps"),
    path(P + "nps/import/", views.nps_import, name="nps-import"),
    path(P + "lessons/new/", views.lesson_add, name="lesson-add"),
    path("learning/lessons/", views.lessons, name="lessons"),
    path(P + "experiments/new/", views.experiment_add, name="experiment-add"),
    path(P + "experiments/<int:experiment_pk>/", views.experiment_detail, name="experiment"),
    path(
        P + "experiments/<int:experiment_pk>/edit/",
        views.experiment_edit,
        name="experiment-edit",
    ),
    path(
        P + "experiments/<int:experiment_pk>/decide/",
        views.experiment_decide,
        name="experiment-decide",
    ),
]
