from django.urls import path

from initiatives import dashboard_views, views

app_name = "initiatives"

urlpatterns = [
    path("", views.initiative_list, name="list"),
    path("new/", views.initiative_create, name="create"),
    # The executive dashboard (initiatives/dashboard_views.py).
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("dashboard/report/", dashboard_views.report, name="report"),
    path("dashboard/<slug:panel>.csv", dashboard_views.dashboard_csv, name="dashboard-csv"),
    path("<int:pk>/cockpit/", dashboard_views.cockpit, name="cockpit"),
    path("<int:pk>/", views.initiative_detail, name="detail"),
    path("<int:pk>/edit/", views.initiative_edit, name="edit"),
    path("<int:pk>/history/", views.initiative_history, name="history"),
    path("<int:pk>/team/", views.team, name="team"),
    path("<int:pk>/team/<int:membership_pk>/remove/", views.team_remove, name="team-remove"),
    path("<int:pk>/advance/", views.stage_advance, name="advance"),
    path("<int:pk>/close/", views.stage_close, name="close"),
]
