from importlib import import_module
from importlib.util import find_spec

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from initiatives import views as hub_views
from initiatives.api import router as hub_api
from initiatives.health import health

# The hub, then each process app's pages (under /initiatives/) and API router (under /api/).
PROCESS_APPS = ["chartering", "learning", "mobilizing", "realigning"]

urlpatterns = [
    path("", hub_views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
    path("initiatives/", include("initiatives.urls")),
    path("api/", include(hub_api.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as its own request: no inline
    # script, so the Content Security Policy (config/security.py) holds on this page too.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
]

for app in PROCESS_APPS:
    if find_spec(f"{app}.urls"):
        urlpatterns.append(path("", include(f"{app}.urls")))
    if find_spec(f"{app}.api"):
        urlpatterns.append(path("api/", include(import_module(f"{app}.api").router.urls)))
