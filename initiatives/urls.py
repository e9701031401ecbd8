from django.urls import path

from initiatives import views

app_name = "initiatives"

urlpatterns = [
    path("", views.initiative_list, name="list"),
    path("new/", views.initiative_create, name="create"),
    path("<int:pk>/", views.initiative_detail, name="detail"),
    path("<int:pk>/edit/", views.initiative_edit, name="edit"),
    path("<int:pk>/history/", views.initiative_history, name="history"),
    path("<int:pk>/team/", views.team, name="team"),
    path("<int:pk>/team/<int:membership_pk>/remove/", views.team_remove, name="team-remove"),
    path("<int:pk>/advance/", views.stage_advance, name="advance"),
    path("<int:pk>/close/", views.stage_close, name="close"),
]
