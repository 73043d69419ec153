"""Everything under /api/. Each app registers its resources in its own `api.py`."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from consortium.api import views

router = DefaultRouter(trailing_slash=True)
views.register(router)

urlpatterns = [
    path("auth/token/", views.ObtainTokenView.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    # Reporting's explicit paths (deliverable documents, import templates) before the router's.
    path("", include("workpackages.api")),
    path("", include("reporting.api")),
    # Funder report downloads and the deadlines calendar (reporting/exports.py, reporting/calendar.py).
    path("", include("reporting.exports")),
    path("", include("reporting.calendar")),
    path("", include(router.urls)),
    # Anything else under /api/ is a JSON 404, never Django's HTML page.
    re_path(r"^[\s\S]*$", views.not_found),  # any character, newlines included
]
