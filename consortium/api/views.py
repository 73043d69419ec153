"""Core API resources (programmes, projects, memberships, periods, users) and the token endpoint."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from knox.models import AuthToken
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from consortium import invitations, tokens
from consortium import permissions as perms
from consortium.api.base import ProjectScopedViewSet
from consortium.api.errors import ERROR_RESPONSES, WRITE_ERROR_RESPONSES, ErrorSerializer, error_body
from consortium.api.filters import MembershipFilter, ProgrammeFilter, ProjectFilter, ReportingPeriodFilter
from consortium.api.serializers import (
    InvitationSerializer,
    MembershipSerializer,
    ProgrammeSerializer,
    ProjectSerializer,
    ReportingPeriodSerializer,
    UserSerializer,
)
from consortium.models import Membership, Programme, Project, ReportingPeriod
from consortium.services import create_validated, period_delete


class TokenView(APIView):
    """Sign in to the API, and sign out again.

    POST {"username", "password"} -> {"token"}, a new token at each sign-in; send it as
    `Authorization: Token <token>`. It expires after API_TOKEN_IDLE_DAYS without use, and a password
    change or reset revokes every token of the user. DELETE revokes the token the request carries (204).
    """

    serializer_class = AuthTokenSerializer
    throttle_classes = ()

    def get_permissions(self):
        return [IsAuthenticated()] if self.request.method == "DELETE" else []

    @extend_schema(
        operation_id="auth_token_create",
        request=inline_serializer("TokenRequest", {"username": serializers.CharField(),
                                                   "password": serializers.CharField()}),
        responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField()}),
                   400: ERROR_RESPONSES[400],
                   429: OpenApiResponse(ErrorSerializer, description="Too many failed attempts for this username "
                                        "from this address; try again after Retry-After seconds.")},
        auth=[],
    )
    def post(self, request, *args, **kwargs):
        # authenticate() gets Django's request, not DRF's wrapper: django-axes flags a lockout on
        # the request object it is given, and its middleware reads the flag from Django's request.
        serializer = AuthTokenSerializer(data=request.data, context={"request": request._request})
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        token = tokens.token_create(user=user)
        # Getting a token is signing in: django-axes resets the failure count on this signal, and
        # last_login is kept as for the web.
        user_logged_in.send(sender=type(user), request=request._request, user=user)
        return Response({"token": token})

    @extend_schema(
        operation_id="auth_token_destroy",
        request=None,
        responses={204: OpenApiResponse(description="The token this request was made with is revoked."),
                   400: OpenApiResponse(ErrorSerializer, description="The request carries no API token "
                                        "(e.g. it was made with the web session)."),
                   401: ERROR_RESPONSES[401]},
    )
    def delete(self, request, *args, **kwargs):
        if not isinstance(request.auth, AuthToken):
            return Response(error_body("This request carries no API token to revoke: send it as "
                                       "`Authorization: Token <token>`.", "no_token"), status=400)
        tokens.token_revoke(token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
@authentication_classes([])
@permission_classes([])
def not_found(request, *args, **kwargs):
    return Response(error_body("Not found.", "not_found"), status=404)


class ProgrammeViewSet(viewsets.ReadOnlyModelViewSet):
    """The programmes of your projects."""

    serializer_class = ProgrammeSerializer
    lookup_value_regex = ProjectScopedViewSet.lookup_value_regex
    filterset_class = ProgrammeFilter
    ordering_fields = ["name", "start_year"]

    def get_queryset(self):
        user = self.request.user
        if user.is_superuser:
            return Programme.objects.all()
        return Programme.objects.filter(pk__in=Project.objects.filter(pk__in=perms.project_ids(user))
                                        .values("programme"))


class ProjectViewSet(ProjectScopedViewSet):
    """Your projects. The MU edits its project; only superusers create projects; none are deleted here."""

    queryset = Project.objects.all()
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter
    ordering_fields = ["acronym", "start_date", "end_date", "title"]
    project_field = "pk"
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def create(self, request, *args, **kwargs):
        if not request.user.is_superuser:
            raise exceptions.PermissionDenied("Only administrators create projects.")
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        project = create_validated(Project, data=serializer.validated_data)
        response = Response(self.get_serializer(project).data, status=status.HTTP_201_CREATED)
        self._set_etag(response, project)
        return response


class ReportingPeriodViewSet(ProjectScopedViewSet):
    """Reporting periods; they tile the project (checked on every write). Only the last one is deleted."""

    queryset = ReportingPeriod.objects.all()
    serializer_class = ReportingPeriodSerializer
    filterset_class = ReportingPeriodFilter
    ordering_fields = ["number", "start_date"]

    def perform_delete_service(self, instance) -> None:
        period_delete(period=instance)


class MembershipViewSet(ProjectScopedViewSet):
    """Who holds which role in your projects (MU only). New members come through POST /api/users/."""

    queryset = Membership.objects.select_related("user")
    serializer_class = MembershipSerializer
    filterset_class = MembershipFilter
    ordering_fields = ["role", "created_at", "user__username"]
    read_right = perms.Right.MANAGE_MEMBERS
    write_right = perms.Right.MANAGE_MEMBERS
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def perform_update_service(self, instance, version: int, data: dict):
        membership = invitations.membership_update(membership=instance, expected_version=version, data=data)
        perms.forget_memberships(self.request.user)
        return membership

    def perform_delete_service(self, instance) -> None:
        invitations.membership_end(membership=instance)
        perms.forget_memberships(self.request.user)


class UserViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """People in the projects where you are MU; POST invites someone to one of them."""

    serializer_class = UserSerializer
    lookup_value_regex = ProjectScopedViewSet.lookup_value_regex
    ordering_fields = ["username", "email", "last_name"]
    filterset_fields = []

    def get_queryset(self):
        user = self.request.user
        users = get_user_model().objects.order_by("username")
        if user.is_superuser:
            return users
        managed = perms.project_ids(user, perms.Right.MANAGE_MEMBERS)
        return users.filter(pk__in=Membership.objects.filter(project__in=managed).values("user"))

    def list(self, request, *args, **kwargs):
        if not perms.has_right_anywhere(request.user, perms.Right.MANAGE_MEMBERS):
            raise exceptions.PermissionDenied("Only the management unit lists people.")
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        user = request.user
        if not user.is_superuser and not self.get_queryset().filter(pk=kwargs["pk"]).exists():
            # Someone in one of my projects, but not one I manage: 403; anyone else: 404.
            shared = Membership.objects.filter(user=kwargs["pk"], project__in=list(perms.memberships(user)))
            if shared.exists():
                raise exceptions.PermissionDenied("Only the management unit reads people's details.")
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(request=InvitationSerializer, responses={201: UserSerializer, **WRITE_ERROR_RESPONSES})
    def create(self, request, *args, **kwargs):
        """Invite someone by e-mail to a project (a new user gets a set-password link)."""
        if not perms.has_right_anywhere(request.user, perms.Right.MANAGE_MEMBERS):
            raise exceptions.PermissionDenied("Only the management unit invites people.")
        serializer = InvitationSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if not perms.has_right(request.user, perms.Right.MANAGE_MEMBERS, data["project"].pk):
            raise exceptions.PermissionDenied("Only the management unit of that project invites people to it.")
        user, _membership = invitations.user_invite(invited_by=request.user, **data)
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)


def register(router) -> None:
    """Add the core's viewsets to the API router (consortium/urls.py assembles it)."""
    router.register("programmes", ProgrammeViewSet, basename="programme")
    router.register("projects", ProjectViewSet, basename="project")
    router.register("memberships", MembershipViewSet, basename="membership")
    router.register("reporting-periods", ReportingPeriodViewSet, basename="reporting-period")
    router.register("users", UserViewSet, basename="user")
