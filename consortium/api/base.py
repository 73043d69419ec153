"""What every API resource shares: scoping and lost-update protection.

A resource is a `ProjectScopedViewSet` subclass that names where its project is
(`project_field`), which rights read and write it, and the services that write it. The status
code order of DESIGN.md is implemented here once: 401 (authentication classes) → 404 (object
outside the user's projects) → 403 (member without the right) → 409 (state, `check_state`) →
428/412 (version) → 400 (validation).
"""

import re

from django.db.models import ProtectedError
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.response import Response

from consortium import permissions as perms
from consortium.api.fast import FastRepresentationMixin
from consortium.errors import StateConflict, VersionRequired
from consortium.services import create_validated, update_versioned

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
    model to its project), and optionally `read_right`, `write_right`, and the services that
    write: `create_service(data=)`, `update_service(instance=, expected_version=, data=)`,
    `delete_service(instance=)` (wrap them in staticmethod). Without them the generic
    create_validated / update_versioned / delete are used.
    A serializer names the project a new object belongs to through `project_of(validated_data)`.
    """

    project_field = "project"
    read_right = perms.Right.READ_PLAN
    write_right = perms.Right.EDIT_PLAN
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    # Ids are numbers a 64-bit key can hold; anything else under the path is the JSON 404.
    lookup_value_regex = r"[0-9]{1,18}"
    create_service = None
    update_service = None
    delete_service = None

    # -- scoping -----------------------------------------------------------------------------
    def scope(self, queryset):
        """Rows the user may list: the projects in which they hold `read_right`."""
        return perms.scope_to_projects(queryset, self.request.user, project_field=self.project_field,
                                       right=self.read_right)

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list":
            return self.scope(queryset)
        # Detail: look up among all the user's projects, so a member without the right gets 403
        # (check_object_permissions) while a stranger gets 404.
        return perms.scope_to_members(queryset, self.request.user, project_field=self.project_field)

    def project_id_of(self, obj) -> int:
        *path, last = self.project_field.split("__")
        value = obj
        for part in path:
            value = getattr(value, part)
        # `project_id` rather than `project.pk`: no query for the last hop.
        return value.pk if last == "pk" else getattr(value, f"{last}_id")

    def list(self, request, *args, **kwargs):
        if not perms.has_right_anywhere(request.user, self.read_right):
            raise exceptions.PermissionDenied("Your role does not give access to this resource.")
        return super().list(request, *args, **kwargs)

    def check_object_permissions(self, request, obj):
        super().check_object_permissions(request, obj)
        project_id = self.project_id_of(obj)
        if not self.can_read(obj, project_id):
            raise exceptions.PermissionDenied("Your role does not give access to this.")
        if request.method not in ("GET", "HEAD", "OPTIONS") and not self.can_write(obj, project_id):
            raise exceptions.PermissionDenied("Your role may not change this.")

    def can_read(self, obj, project_id: int) -> bool:
        return perms.has_right(self.request.user, self.read_right, project_id)

    def can_write(self, obj, project_id: int) -> bool:
        return perms.has_right(self.request.user, self.write_right, project_id)

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
        if not perms.has_right(request.user, self.write_right, project.pk):
            raise exceptions.PermissionDenied("Your role may not create this in that project.")
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
        if self.create_service is not None:
            return self.create_service(data=data)
        return create_validated(self.queryset.model, data=data)

    def perform_update_service(self, instance, version: int, data: dict):
        if self.update_service is not None:
            return self.update_service(instance=instance, expected_version=version, data=data)
        return update_versioned(instance, expected_version=version, data=data)

    def perform_delete_service(self, instance) -> None:
        try:
            if self.delete_service is not None:
                self.delete_service(instance=instance)
            else:
                instance.delete()
        except ProtectedError as error:
            raise StateConflict(
                f"This {instance._meta.verbose_name} is still referenced ({len(error.protected_objects)} "
                "objects) and cannot be deleted."
            ) from None

