"""Core API resources (programmes, projects, memberships, periods, users) and the token endpoint."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.response import Response

from consortium.api.errors import ERROR_RESPONSES, error_body


class ObtainTokenView(ObtainAuthToken):
    """POST {"username", "password"} -> {"token"}; send it as `Authorization: Token <token>`."""

    @extend_schema(
        request=inline_serializer("TokenRequest", {"username": serializers.CharField(),
                                                   "password": serializers.CharField()}),
        responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField()}),
                   400: ERROR_RESPONSES[400]},
        auth=[],
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
@authentication_classes([])
@permission_classes([])
def not_found(request, *args, **kwargs):
    return Response(error_body("Not found.", "not_found"), status=404)


def register(router) -> None:
    """Register every app's resources on the API router."""
    import partners.api
    import reporting.api
    import workpackages.api

    partners.api.register(router)
    workpackages.api.register(router)
    reporting.api.register(router)
