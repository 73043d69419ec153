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
    path("", include(router.urls)),
    # Anything else under /api/ is a JSON 404, never Django's HTML page.
    re_path(r"^.*$", views.not_found),
]
