"""Related fields whose choices are limited to the requesting user's projects."""

from rest_framework import serializers

from consortium import permissions as perms
from consortium.api.fast import FastRepresentationMixin
from consortium.models import Programme, Project


class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """A primary key that must name an object in one of the user's projects.

    An id from someone else's project is answered like an id that does not exist, so a write
    cannot probe other projects. Whether it is the *right* project (a deliverable's partner in
    the deliverable's project) is the model's clean(), which names the field.
    """

    def __init__(self, *, project_field: str = "project", **kwargs):
        self.project_field = project_field
        super().__init__(**kwargs)

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        if request is None:
            return queryset.none()
        return perms.scope_to_members(queryset, request.user, project_field=self.project_field)


class ProgrammeField(serializers.PrimaryKeyRelatedField):
    """A programme id: those of the user's projects (any for a superuser); another is "does not exist"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Programme.objects.all())
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return Programme.objects.none()
        if request.user.is_superuser:
            return super().get_queryset()
        return super().get_queryset().filter(
            pk__in=Project.objects.filter(pk__in=list(perms.memberships(request.user))).values("programme"))


class ProjectOwnedSerializer(FastRepresentationMixin, serializers.ModelSerializer):
    """A resource that belongs to a project; `project_path` names the way there from validated data."""

    version = serializers.IntegerField(read_only=True)
    project_path = "project"

    def get_validators(self):
        # Uniqueness is checked by the service's full_clean() (constraints included), which also
        # lets a field that has a default, like a deliverable's project, be omitted.
        return []

    def project_of(self, data: dict):
        value = data
        for part in self.project_path.split("__"):
            value = value[part] if isinstance(value, dict) else getattr(value, part)
        return value

    def user_has(self, right: perms.Right, project_id: int) -> bool:
        request = self.context.get("request")
        return request is not None and perms.has_right(request.user, right, project_id)
