"""API resources of this app (see consortium/api/base.py for what they share), and deliverable documents."""

from datetime import date

from django.db.models import F
from django.http import HttpResponse
from django.urls import path
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from consortium import permissions as perms
from consortium.api.base import ProjectScopedViewSet, etag_for
from consortium.api.errors import ERROR_RESPONSES, WRITE_ERROR_RESPONSES
from consortium.api.fast import ValuesRow, columns_shown
from consortium.models import local_today, month_number
from consortium.permissions import Right
from consortium.text import safe_filename
from consortium.uploads import download
from workpackages import access, plan_workbook, services
from workpackages.filters import (
    ActivityFilter,
    DeliverableFilter,
    EffortFilter,
    IndicatorFilter,
    MilestoneFilter,
    RiskFilter,
    WorkPackageFilter,
)
from workpackages.models import (
    Activity,
    Deliverable,
    Effort,
    Indicator,
    Milestone,
    Risk,
    WorkPackage,
    deliverable_late,
    deliverable_overdue,
    deliverable_rescheduled,
)
from workpackages.serializers import (
    ActivitySerializer,
    DeliverableSerializer,
    EffortSerializer,
    IndicatorSerializer,
    MilestoneSerializer,
    RiskSerializer,
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


class DeliverableRow(ValuesRow):
    """One deliverable of a list page, with the model's computed flags by the same functions as the model's
    properties (workpackages.models), `today` read once for the page."""

    model = Deliverable

    def __init__(self, values: dict, today: date):
        super().__init__(values)
        self.overdue = deliverable_overdue(self.status, self.due_date, today)
        self.late = deliverable_late(self.submitted_date, self.due_date)
        self.rescheduled = deliverable_rescheduled(self.due_date, self.original_due_date)
        self.due_month = month_number(self.project_start, self.due_date)


class DeliverableViewSet(ProjectScopedViewSet):
    """Deliverables with computed overdue/late/rescheduled/due_month; status moves along the lifecycle (MU)."""

    # The project is joined for due_month (M# counts from the project's start).
    queryset = Deliverable.objects.select_related("project")
    serializer_class = DeliverableSerializer
    filterset_class = DeliverableFilter
    ordering_fields = ["due_date", "original_due_date", "code", "status", "submitted_date"]
    # What a list row reads: the columns the serializer shows, and the project's start for due_month.
    list_columns = columns_shown(Deliverable, DeliverableSerializer)

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action != "list":
            return queryset
        # Building a Deliverable and its Project per row was half of a list page's time (docs/PERFORMANCE.md
        # §1): the list reads plain values, which paginate_queryset turns into DeliverableRows.
        return queryset.select_related(None).values(*self.list_columns, project_start=F("project__start_date"))

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is None or self.action != "list":
            return page
        today = local_today()
        return [DeliverableRow(values, today) for values in page]

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


class RiskViewSet(ProjectScopedViewSet):
    """The project's risk register: every member reads it, the MU keeps it."""

    queryset = Risk.objects.all()
    serializer_class = RiskSerializer
    filterset_class = RiskFilter
    ordering_fields = ["review_date", "likelihood", "impact", "status", "title"]

    def perform_create_service(self, data: dict):
        return services.risk_create(data=data)

    def perform_update_service(self, instance, version: int, data: dict):
        return services.risk_update(risk=instance, expected_version=version, data=data)


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


class PlanWorkbookView(APIView):
    """The whole plan of a project as an XLSX workbook, one sheet per kind (docs/PLAN_IMPORT.md).

    Whoever reads the plan's money reads it (the MU, coordinators, reporters); viewers 403; strangers 404.
    """

    @extend_schema(responses={(200, plan_workbook.XLSX_TYPE): OpenApiTypes.BINARY, **ERROR_RESPONSES})
    def get(self, request, project_id: int):
        project = perms.project_or_404(request.user, project_id)
        perms.require(request.user, Right.READ_MONEY, project.pk)
        response = HttpResponse(plan_workbook.export_xlsx(project), content_type=plan_workbook.XLSX_TYPE)
        response["Content-Disposition"] = content_disposition_header(
            True, safe_filename(plan_workbook.export_filename(project), fallback="plan.xlsx"))
        return response


class PlanImportSerializer(serializers.Serializer):
    file = serializers.FileField()
    dry_run = serializers.BooleanField(default=False)


class PlanChangeSerializer(serializers.Serializer):
    sheet = serializers.CharField()
    action = serializers.ChoiceField(choices=["create", "change", "remove"])
    key = serializers.CharField()
    row = serializers.IntegerField(allow_null=True)
    columns = serializers.ListField(child=serializers.CharField())


class PlanImportResultSerializer(serializers.Serializer):
    project = serializers.IntegerField(allow_null=True)
    project_created = serializers.BooleanField()
    dry_run = serializers.BooleanField()
    created = serializers.IntegerField()
    changed = serializers.IntegerField()
    removed = serializers.IntegerField()
    changes = PlanChangeSerializer(many=True)


class PlanImportView(APIView):
    """Create a project from a plan workbook (superusers) or update the one it names (its MU), all or nothing.

    `dry_run`: nothing is written; the answer lists what would be created, changed and removed. Problems are
    a 400 whose `fields` name each by sheet, row and column: "Partners!row 4.cofinancing_rate".
    """

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request={"multipart/form-data": PlanImportSerializer},
                   responses={200: PlanImportResultSerializer, 201: PlanImportResultSerializer,
                              **WRITE_ERROR_RESPONSES})
    def post(self, request):
        plan_workbook.require_import(request.user)
        body = PlanImportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        result = plan_workbook.import_plan(upload=body.validated_data["file"], user=request.user,
                                           dry_run=body.validated_data["dry_run"])
        data = {
            "project": result.project.pk if result.project else None,
            "project_created": result.project_created,
            "dry_run": result.dry_run,
            **{name: len(result.of(action)) for name, action in
               (("created", "create"), ("changed", "change"), ("removed", "remove"))},
            "changes": [vars(change) for change in result.changes],
        }
        created = result.project_created and not result.dry_run
        return Response(PlanImportResultSerializer(data).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


# Explicit paths, included before the router's (whose project detail route would claim `projects/plan-import/`).
urlpatterns = [
    path("deliverables/<int:pk>/document/", DeliverableDocumentView.as_view(), name="deliverable-document"),
    path("projects/<int:project_id>/plan.xlsx", PlanWorkbookView.as_view(), name="plan-workbook"),
    path("projects/plan-import/", PlanImportView.as_view(), name="plan-import"),
]


def register(router) -> None:
    """Add this app's viewsets to the API router."""
    router.register("work-packages", WorkPackageViewSet, basename="work-package")
    router.register("activities", ActivityViewSet, basename="activity")
    router.register("deliverables", DeliverableViewSet, basename="deliverable")
    router.register("milestones", MilestoneViewSet, basename="milestone")
    router.register("indicators", IndicatorViewSet, basename="indicator")
    router.register("effort", EffortViewSet, basename="effort")
    router.register("risks", RiskViewSet, basename="risk")
