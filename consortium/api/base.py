"""What every API resource shares: scoping and lost-update protection.

A resource is a `ProjectScopedViewSet` subclass that names where its project is
(`project_field`) and which rights read and write it. The status code order of DESIGN.md runs
through here once: 401 (authentication classes) → 404 (object outside the user's projects) → 403
(member without the right), both decided by consortium.permissions (or an app's access module) →
409 (state, `check_state`) → 428/412 (version) → 400 (validation).

Writes go through services: the generic ones of consortium/services.py unless the resource
overrides `perform_create_service`, `perform_update_service` or `perform_delete_service` to call
its app's own.
"""

import re

from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.response import Response

from consortium import permissions as perms
from consortium.api.fast import FastRepresentationMixin
from consortium.errors import VersionRequired
from consortium.services import create_validated, delete_checked, update_versioned

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

# ---------------------------------------------------------------------------------------------
# Lost-update protection.

_ETAG = re.compile(r'^(?:W/)?"?(\d+)"?$')


def etag_for(version: int) -> str:
    return f'"{version}"'


def expected_version(request) -> int:
    """The version the client read: If-Match header, else `version` in the body; 428 if neither."""
    header = request.headers.get("If-Match", "").strip()
    if header:
        match = _ETAG.match(header)
        if not match:
            raise exceptions.ValidationError({"If-Match": ['Send the ETag you read, e.g. "3".']})
        return int(match.group(1))
    body_version = request.data.get("version") if hasattr(request.data, "get") else None
    if body_version in (None, ""):
        raise VersionRequired(
            "Send the version you read, as an If-Match header or a `version` field, so that no "
            "one else's change is overwritten.", field="version",
        )
    try:
        return int(body_version)
    except (TypeError, ValueError):
        raise exceptions.ValidationError({"version": ["A whole number."]}) from None


class VersionedSerializerMixin(FastRepresentationMixin, serializers.Serializer):
    """`version` is shown on read and accepted on write (for the compare-and-swap, not stored)."""

    version = serializers.IntegerField(read_only=True)


# ---------------------------------------------------------------------------------------------
# The viewset every project-owned resource uses.


class ProjectScopedViewSet(viewsets.ModelViewSet):
    """A resource that belongs to a project.

    Subclasses set `queryset`, `serializer_class`, `project_field` (the lookup path from the
    model to its project), and optionally `read_right` and `write_right`.
    A serializer names the project a new object belongs to through `project_of(validated_data)`.
    """

    project_field = "project"
    read_right = perms.Right.READ_PLAN
    write_right = perms.Right.EDIT_PLAN
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    # Ids are numbers a 64-bit key can hold; anything else under the path is the JSON 404.
    lookup_value_regex = r"[0-9]{1,18}"

    # -- scoping -----------------------------------------------------------------------------
    def scope(self, queryset):
        """Rows the user may list: the projects in which they hold `read_right`."""
        return perms.scope_to_projects(queryset, self.request.user, project_field=self.project_field,
                                       right=self.read_right)

    def get_queryset(self):
        queryset = super().get_queryset()
        return self.scope(queryset) if self.action == "list" else queryset

    def get_object(self):
        obj = self.find(self.filter_queryset(self.get_queryset()), self.kwargs["pk"])
        self.check_object_permissions(self.request, obj)
        return obj

    def find(self, queryset, pk):
        """The object, or 404 when it is outside the user's projects (a member without the right finds it)."""
        return perms.object_or_404(self.request.user, queryset, pk, project_field=self.project_field)

    def list(self, request, *args, **kwargs):
        if not perms.has_right_anywhere(request.user, self.read_right):
            raise exceptions.PermissionDenied("Your role does not give access to this resource.")
        return super().list(request, *args, **kwargs)

    def check_object_permissions(self, request, obj):
        super().check_object_permissions(request, obj)
        self.require_read(obj)
        if request.method not in SAFE_METHODS:
            self.require_write(obj)

    def require_read(self, obj) -> None:
        perms.require(self.request.user, self.read_right, perms.project_id_of(obj, self.project_field))

    def require_write(self, obj) -> None:
        perms.require(self.request.user, self.write_right, perms.project_id_of(obj, self.project_field),
                      "Your role may not change this.")

    # -- responses ---------------------------------------------------------------------------
    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        response = Response(self.get_serializer(instance).data)
        self._set_etag(response, instance)
        return response

    def _set_etag(self, response, instance):
        version = getattr(instance, "version", None)
        if version is not None:
            response["ETag"] = etag_for(version)

    # -- writes ------------------------------------------------------------------------------
    def create(self, request, *args, **kwargs):
        if not perms.has_right_anywhere(request.user, self.write_right):
            raise exceptions.PermissionDenied("Your role may not create this.")
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        project = serializer.project_of(serializer.validated_data)
        perms.require(request.user, self.write_right, project.pk, "Your role may not create this in that project.")
        instance = self.perform_create_service(serializer.validated_data)
        response = Response(self.get_serializer(instance).data, status=status.HTTP_201_CREATED)
        self._set_etag(response, instance)
        return response

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        instance = self.get_object()
        self.check_state(instance)
        version = expected_version(request)
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        instance = self.perform_update_service(instance, version, serializer.validated_data)
        response = Response(self.get_serializer(instance).data)
        self._set_etag(response, instance)
        return response

    def destroy(self, request, *args, **kwargs):
        instance = self.get_object()
        self.check_state(instance)
        self.perform_delete_service(instance)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def check_state(self, instance) -> None:
        """Raise StateConflict (409) when the object's state forbids changing it."""

    def perform_create_service(self, data: dict):
        return create_validated(self.queryset.model, data=data)

    def perform_update_service(self, instance, version: int, data: dict):
        return update_versioned(instance, expected_version=version, data=data)

    def perform_delete_service(self, instance) -> None:
        delete_checked(instance)

