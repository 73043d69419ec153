"""The composition root: the one place, with settings.py, that knows every app.

Each app adds its viewsets to the API router through its own `register(router)`; the core package
imports no feature app.
"""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

import claims.api
import partners.api
import reporting.api
import workpackages.api
from consortium.api import views as core_api
from consortium.health import healthz
from consortium.passwords import LimitedPasswordResetForm

api_router = DefaultRouter(trailing_slash=True)
# The API root lists the resources in this order.
for app_api in (core_api, partners.api, workpackages.api, reporting.api, claims.api):
    app_api.register(api_router)

api_urlpatterns = [
    path("auth/token/", core_api.TokenView.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view loads its settings script from a URL of its own: no inline script, as the CSP allows none.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    # The apps' explicit paths come before the router's, whose detail routes would otherwise claim
    # them (`expenditures/import-template.csv`, `projects/<id>/funder-reports/<n>.pdf`).
    path("", include("workpackages.api")),
    path("", include("reporting.api")),
    path("", include("reporting.exports")),
    path("", include("reporting.calendar")),
    path("", include("claims.api")),
    # `claims/<id>.pdf` would otherwise be the router's detail route with a format suffix.
    path("", include("claims.exports")),
    path("", include(api_router.urls)),
    # Anything else under /api/ is a JSON 404, never Django's HTML page.
    re_path(r"^[\s\S]*$", core_api.not_found),  # any character, newlines included
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/", include(api_urlpatterns)),
    path("accounts/oidc/", include("sso.urls")),
    # Before Django's own: the reset request is rate-limited and written in the account holder's language.
    path("accounts/password_reset/", auth_views.PasswordResetView.as_view(form_class=LimitedPasswordResetForm),
         name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("web.urls")),
]
