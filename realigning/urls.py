from django.urls import path

from realigning import views

app_name = "realigning"

# Mounted at the site root by config/urls.py.
urlpatterns = [
    path("initiatives/<int:pk>/realigning/", views.overview, name="overview"),
    path("initiatives/<int:pk>/realigning/actions/new/", views.action_add, name="action-add"),
    path(
        "initiatives/<int:pk>/realigning/actions/<int:action_pk>/",
        views.action_edit,
        name="action-edit",
    ),
    path("initiatives/<int:pk>/realigning/finance/new/", views.entry_add, name="entry-add"),
    path(
        "initiatives/<int:pk>/realigning/finance/<int:entry_pk>/delete/",
        views.entry_delete,
        name="entry-delete",
    ),
    path(
        "initiatives/<int:pk>/realigning/metrics/<int:metric_pk>/",
        views.control_chart,
        name="control-chart",
    ),
    path(
        "initiatives/<int:pk>/realigning/flags/<int:flag_pk>/status/",
        views.flag_status,
        name="flag-status",
    ),
    path("realigning/flags/", views.portfolio_flags, name="flags"),
]
