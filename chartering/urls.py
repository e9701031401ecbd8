from django.urls import path

from chartering import views

app_name = "chartering"

urlpatterns = [
    path("initiatives/<int:pk>/charter/", views.charter_detail, name="charter"),
    path("initiatives/<int:pk>/charter/edit/", views.charter_edit, name="edit"),
    path("initiatives/<int:pk>/charter/v<int:version>/", views.charter_version, name="version"),
    path("initiatives/<int:pk>/charter/scope/", views.scope_add, name="scope-add"),
    path(
        "initiatives/<int:pk>/charter/scope/<int:item_pk>/remove/",
        views.scope_remove,
        name="scope-remove",
    ),
    path(
        "initiatives/<int:pk>/charter/deliverables/", views.deliverable_add, name="deliverable-add"
    ),
    path("initiatives/<int:pk>/charter/raci/", views.raci_set, name="raci-set"),
    path("initiatives/<int:pk>/charter/approve/", views.charter_approve, name="approve"),
]
