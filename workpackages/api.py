"""API resources of this app (see consortium/api/base.py for what they share), and deliverable documents."""

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from consortium.api.base import ProjectScopedViewSet, etag_for
from consortium.api.errors import ERROR_RESPONSES, WRITE_ERROR_RESPONSES
from consortium.uploads import download
from workpackages import access, services
from workpackages.filters import (
    ActivityFilter,
    DeliverableFilter,
    EffortFilter,
    IndicatorFilter,
    MilestoneFilter,
    WorkPackageFilter,
)
from workpackages.models import Activity, Deliverable, Effort, Indicator, Milestone, WorkPackage
from workpackages.serializers import (
    ActivitySerializer,
    DeliverableSerializer,
    EffortSerializer,
    IndicatorSerializer,
    MilestoneSerializer,
    WorkPackageSerializer,
)


class WorkPackageViewSet(ProjectScopedViewSet):
    queryset = WorkPackage.objects.all()
    serializer_class = WorkPackageSerializer
    filterset_class = WorkPackageFilter
    ordering_fields = ["number", "start_month", "end_month", "title"]


class ActivityViewSet(ProjectScopedViewSet):
    queryset = Activity.objects.select_related("work_package").prefetch_related("partners")
    serializer_class = ActivitySerializer
    filterset_class = ActivityFilter
    ordering_fields = ["work_package__number", "number", "start_month", "end_month"]
    project_field = "work_package__project"


class DeliverableViewSet(ProjectScopedViewSet):
    """Deliverables with computed overdue/late/rescheduled/due_month; status moves along the lifecycle (MU)."""

    # The project is joined for due_month (M# counts from the project's start).
    queryset = Deliverable.objects.select_related("project")
    serializer_class = DeliverableSerializer
    filterset_class = DeliverableFilter
    ordering_fields = ["due_date", "original_due_date", "code", "status", "submitted_date"]

    def perform_create_service(self, data: dict):
        data.pop("reschedule_reason", None)  # a new deliverable has nothing to reschedule
        return services.deliverable_create(data=data)

    def perform_update_service(self, instance, version: int, data: dict):
        reason = data.pop("reschedule_reason", "")
        return services.deliverable_update(deliverable=instance, expected_version=version, data=data,
                                           reschedule_reason=reason, user=self.request.user)


class MilestoneViewSet(ProjectScopedViewSet):
    queryset = Milestone.objects.select_related("project")
    serializer_class = MilestoneSerializer
    filterset_class = MilestoneFilter
    ordering_fields = ["due_date", "code", "achieved_date"]

    def perform_create_service(self, data: dict):
        data.pop("reschedule_reason", None)
        return services.milestone_create(data=data)

    def perform_update_service(self, instance, version: int, data: dict):
        reason = data.pop("reschedule_reason", "")
        return services.milestone_update(milestone=instance, expected_version=version, data=data,
                                         reschedule_reason=reason, user=self.request.user)


class IndicatorViewSet(ProjectScopedViewSet):
    queryset = Indicator.objects.all()
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilter
    ordering_fields = ["code", "kind", "target"]


class EffortViewSet(ProjectScopedViewSet):
    """Planned person-months per partner and work package."""

    queryset = Effort.objects.select_related("work_package")
    serializer_class = EffortSerializer
    filterset_class = EffortFilter
    ordering_fields = ["work_package__number", "partner__number", "person_months"]
    project_field = "work_package__project"


class DocumentUploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class DeliverableDocumentView(APIView):
    """GET downloads a deliverable's document; POST (multipart `file`) uploads or replaces it.

    Every member who may read deliverables may download; the MU, or a reporter of the
    deliverable's lead partner, may upload (workpackages/access.py).
    """

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, **ERROR_RESPONSES})
    def get(self, request, pk: int):
        deliverable = access.deliverable_or_404(request.user, pk)
        if not deliverable.document:
            raise exceptions.NotFound("This deliverable has no document yet.")
        return download(deliverable.document, deliverable.document_name)

    @extend_schema(request={"multipart/form-data": DocumentUploadSerializer},
                   responses={201: OpenApiTypes.OBJECT, **WRITE_ERROR_RESPONSES})
    def post(self, request, pk: int):
        deliverable = access.deliverable_or_404(request.user, pk)
        access.require_document_upload(request.user, deliverable)
        services.deliverable_document_attach(deliverable=deliverable, uploaded=request.FILES.get("file"),
                                             user=request.user)
        response = Response({"id": deliverable.pk, "document_name": deliverable.document_name,
                             "version": deliverable.version}, status=status.HTTP_201_CREATED)
        response["ETag"] = etag_for(deliverable.version)
        return response


# Explicit paths, included before the router's.
urlpatterns = [
    path("deliverables/<int:pk>/document/", DeliverableDocumentView.as_view(), name="deliverable-document"),
]


def register(router) -> None:
    """Add this app's viewsets to the API router."""
    router.register("work-packages", WorkPackageViewSet, basename="work-package")
    router.register("activities", ActivityViewSet, basename="activity")
    router.register("deliverables", DeliverableViewSet, basename="deliverable")
    router.register("milestones", MilestoneViewSet, basename="milestone")
    router.register("indicators", IndicatorViewSet, basename="indicator")
    router.register("effort", EffortViewSet, basename="effort")
