"""`/api/project-reports/`: the MU's narrative per project and period (highlights, deviations, …).

The MU writes (WRITE_PROJECT_REPORT, as on the web); the MU and coordinators read
(READ_ALL_REPORTS); reporters and viewers get 403, strangers 404 (ProjectScopedViewSet).
"""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from consortium import permissions as perms
from consortium.api.base import ProjectScopedViewSet
from consortium.api.errors import ERROR_RESPONSES, IF_MATCH, WRITE_ERROR_RESPONSES
from consortium.api.fields import ProjectOwnedSerializer, ScopedRelatedField
from consortium.api.filters import IdFilter
from consortium.models import Project, ReportingPeriod
from reporting.models import ProjectReport
from reporting.project_report_services import project_report_save, project_report_update


class ProjectReportSerializer(ProjectOwnedSerializer):
    project = ScopedRelatedField(queryset=Project.objects.all(), project_field="pk")
    period = ScopedRelatedField(queryset=ReportingPeriod.objects.all())
    period_number = serializers.IntegerField(source="period.number", read_only=True)

    class Meta:
        model = ProjectReport
        fields = ["id", "project", "period", "period_number", "highlights", "deviations", "cross_border_value",
                  "next_steps", "version", "updated_at"]
        # The unique (project, period) pair is the service's to explain (409), not a generic 400.
        validators = []

    def validate(self, attrs):
        instance = self.instance
        if instance is not None:
            for name in ("project", "period"):
                if name in attrs and attrs[name].pk != getattr(instance, f"{name}_id"):
                    raise serializers.ValidationError({name: ["A project report stays with its project and period."]})
        elif attrs["period"].project_id != attrs["project"].pk:
            raise serializers.ValidationError({"period": ["The period must belong to the project."]})
        return attrs


class ProjectReportFilter(django_filters.FilterSet):
    # IdFilter: a whole number a 64-bit key can hold (a larger one overflowed the database: a 500).
    project = IdFilter()
    period = IdFilter()

    class Meta:
        model = ProjectReport
        fields = ["project", "period"]


@extend_schema_view(
    list=extend_schema(responses={200: ProjectReportSerializer(many=True), **ERROR_RESPONSES}),
    retrieve=extend_schema(responses={200: ProjectReportSerializer, **ERROR_RESPONSES}),
    create=extend_schema(responses={201: ProjectReportSerializer, **WRITE_ERROR_RESPONSES}),
    update=extend_schema(parameters=[IF_MATCH], responses={200: ProjectReportSerializer, **WRITE_ERROR_RESPONSES}),
    partial_update=extend_schema(parameters=[IF_MATCH],
                                 responses={200: ProjectReportSerializer, **WRITE_ERROR_RESPONSES}),
    destroy=extend_schema(responses={204: None, **WRITE_ERROR_RESPONSES}),
)
class ProjectReportViewSet(ProjectScopedViewSet):
    queryset = ProjectReport.objects.select_related("project", "period")
    serializer_class = ProjectReportSerializer
    filterset_class = ProjectReportFilter
    ordering_fields = ["period__number", "updated_at"]
    read_right = perms.Right.READ_ALL_REPORTS
    write_right = perms.Right.WRITE_PROJECT_REPORT

    def perform_update_service(self, instance, version: int, data: dict):
        return project_report_update(instance=instance, expected_version=version, data=data)

    def perform_create_service(self, data: dict):
        version = self.request.data.get("version") if hasattr(self.request.data, "get") else None
        return project_report_save(project=data["project"], period=data["period"], data=data,
                                   expected_version=int(version) if str(version or "").isdigit() else None)
