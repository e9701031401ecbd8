from django.urls import path

from chartering import views

app_name = "chartering"

urlpatterns = [
    path("<int:pk>/charter/", views.charter_detail, name="charter"),
    path("<int:pk>/charter/edit/", views.charter_edit, name="edit"),
    path("<int:pk>/charter/v<int:version>/", views.charter_version, name="version"),
    path("<int:pk>/charter/scope/", views.scope_add, name="scope-add"),
    path("<int:pk>/charter/scope/<int:item_pk>/remove/", views.scope_remove, name="scope-remove"),
    path("<int:pk>/charter/deliverables/", views.deliverable_add, name="deliverable-add"),
    path("<int:pk>/charter/raci/", views.raci_set, name="raci-set"),
    path("<int:pk>/charter/approve/", views.charter_approve, name="approve"),
]
