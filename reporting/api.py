"""API resources of this app (see consortium/api/base.py for what they share).

progress-reports, expenditures (with import and invoice attachments), exchange-rates; `register` also
adds project-reports (reporting/project_reports.py). Who may read and write a report is
reporting/access.py's; views call it and reporting/services.py.
"""

from types import SimpleNamespace

from django.db.models import F
from django.http import HttpResponse
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from consortium import permissions as perms
from consortium.api.base import ProjectScopedViewSet, etag_for, expected_version
from consortium.api.errors import ERROR_RESPONSES, IF_MATCH, WRITE_ERROR_RESPONSES
from consortium.api.fast import ValuesRow, columns_shown
from consortium.errors import StateConflict
from consortium.services import update_versioned
from consortium.uploads import download
from partners.models import Partner
from reporting import access, imports, selectors, services
from reporting.filters import (
    AttachmentFilter,
    ExchangeRateFilter,
    ExpenditureFilter,
    LineControlFilter,
    ProgressReportFilter,
)
from reporting.models import Attachment, ExchangeRate, Expenditure, LineControl, ProgressReport
from reporting.money import summarise_report
from reporting.project_reports import ProjectReportViewSet
from reporting.serializers import (
    AttachmentSerializer,
    ControlReturnSerializer,
    ExchangeRateSerializer,
    ExpenditureSerializer,
    HistoryEntrySerializer,
    ImportSerializer,
    LineControlSerializer,
    ProgressReportListSerializer,
    ProgressReportSerializer,
    ReportStatusSerializer,
    ReportSummarySerializer,
    ReviewSerializer,
    UploadSerializer,
    VerifyAsDeclaredSerializer,
)

Right = perms.Right


class ReportScopedViewSet(ProjectScopedViewSet):
    """Rows that hang off a progress report: read by who may read the report, written by who may write it."""

    partner_field = "partner"
    report_attr = ""  # the attribute holding the row's report; empty: the row is the report

    def report_of(self, obj) -> ProgressReport:
        return getattr(obj, self.report_attr) if self.report_attr else obj

    def scope(self, queryset):
        return access.readable(queryset, self.request.user, partner_field=self.partner_field)

    def find(self, queryset, pk):
        obj = access.findable(queryset, self.request.user, partner_field=self.partner_field).filter(pk=pk).first()
        if obj is None:
            raise exceptions.NotFound()
        return obj

    def list(self, request, *args, **kwargs):
        if not access.may_read_reports_somewhere(request.user):
            raise exceptions.PermissionDenied("Your role does not give access to reports.")
        return super(ProjectScopedViewSet, self).list(request, *args, **kwargs)

    def require_read(self, obj) -> None:
        access.require_read(self.request.user, self.report_of(obj))

    # Actions that are first-level control: written by the partner's controller, never by its reporters or the MU.
    control_actions: tuple[str, ...] = ()

    def require_write(self, obj) -> None:
        if self.action in self.control_actions:
            access.require_control(self.request.user, self.report_of(obj))
        else:
            access.require_write(self.request.user, self.report_of(obj))

    def check_state(self, instance) -> None:
        services.require_editable(self.report_of(instance))


def control_response(control: LineControl, request, code=status.HTTP_200_OK) -> Response:
    response = Response(LineControlSerializer(control, context={"request": request}).data, status=code)
    response["ETag"] = etag_for(control.version)
    return response


def control_update(control: LineControl, request) -> Response:
    """PATCH of a line's control, in DESIGN.md's order once found and allowed: 409 (no report holding it is in
    control) → 428/412 (version) → 400 (input)."""
    if control.pk is None or services.controlling_report(control) is None:
        raise StateConflict("Lines are verified while their report is in control.")
    version = expected_version(request)
    body = LineControlSerializer(control, data=request.data, partial=True)
    body.is_valid(raise_exception=True)
    control = services.line_control_update(control=control, expected_version=version, data=body.validated_data,
                                           user=request.user)
    return control_response(control, request)


@extend_schema_view(
    create=extend_schema(responses={201: ProgressReportSerializer, **WRITE_ERROR_RESPONSES}),
    partial_update=extend_schema(parameters=[IF_MATCH], responses={200: ProgressReportSerializer,
                                                                   **WRITE_ERROR_RESPONSES}),
    update=extend_schema(parameters=[IF_MATCH], responses={200: ProgressReportSerializer, **WRITE_ERROR_RESPONSES}),
    list=extend_schema(responses={200: ProgressReportListSerializer(many=True), **ERROR_RESPONSES}),
    retrieve=extend_schema(responses={200: ProgressReportSerializer, **ERROR_RESPONSES}),
)
class ProgressReportViewSet(ReportScopedViewSet):
    """Partner progress reports: a reporter drafts and submits, the MU approves or returns."""

    queryset = ProgressReport.objects.select_related("partner__project", "period")
    serializer_class = ProgressReportSerializer
    filterset_class = ProgressReportFilter
    ordering_fields = ["id", "period__number", "partner__number", "status", "submitted_at"]
    ordering = ["period__number", "partner__number"]
    project_field = "partner__project"
    http_method_names = ["get", "post", "patch", "put", "head", "options"]
    control_actions = ("control_start", "control_verify", "certify", "control_return")

    def get_serializer_class(self):
        return ProgressReportListSerializer if self.action == "list" else ProgressReportSerializer

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action in ("retrieve", "update", "partial_update", "submit", "approve", "return_",
                           *self.control_actions):
            queryset = queryset.prefetch_related(
                "work_package_progress", "deliverable_contributions", "indicator_progress", "effort"
            )
        return queryset

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        partner, period = data.pop("partner"), data.pop("period")
        user = request.user
        access.require_create(user, partner)
        report = services.report_create(partner=partner, period=period, user=user)
        if data:
            report = services.report_update(report=report, expected_version=report.version, data=data, user=user)
        return self._respond(report, status.HTTP_201_CREATED)

    def perform_update_service(self, instance, version, data):
        return services.report_update(report=instance, expected_version=version, data=data, user=self.request.user)

    def _respond(self, report, code=status.HTTP_200_OK):
        report = self.get_queryset().get(pk=report.pk) if self.action == "create" else report
        response = Response(ProgressReportSerializer(report, context=self.get_serializer_context()).data,
                            status=code)
        response["ETag"] = etag_for(report.version)
        return response

    @extend_schema(request=None, responses={200: ProgressReportSerializer, **WRITE_ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Validate everything at once (errors field by field), freeze the exchange rates, notify the MU."""
        report = self.get_object()
        services.report_submit(report=report, user=request.user)
        return self._respond(self.get_queryset().get(pk=report.pk))

    @extend_schema(request=ReviewSerializer, responses={200: ProgressReportSerializer, **WRITE_ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        report = self.get_object()
        access.require_review(request.user, report)
        body = ReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.report_approve(report=report, user=request.user, comment=body.validated_data["comment"])
        return self._respond(self.get_queryset().get(pk=report.pk))

    @extend_schema(request=ReviewSerializer, responses={200: ProgressReportSerializer, **WRITE_ERROR_RESPONSES})
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        """Back to the partner for changes; `comment` (required) says what to change."""
        report = self.get_object()
        access.require_review(request.user, report)
        body = ReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.report_return(report=report, user=request.user, comment=body.validated_data["comment"])
        return self._respond(self.get_queryset().get(pk=report.pk))

    @extend_schema(request=None, responses={200: ProgressReportSerializer, **WRITE_ERROR_RESPONSES})
    @action(detail=True, methods=["post"], url_path="control/start", url_name="control-start")
    def control_start(self, request, pk=None):
        """The partner's controller takes an approved report (or a submitted one, where the project sends
        submitted reports straight to control): every line gets its control row (`GET /api/line-controls/`)."""
        report = self.get_object()
        services.control_start(report=report, user=request.user)
        return self._respond(self.get_queryset().get(pk=report.pk))

    @extend_schema(request=VerifyAsDeclaredSerializer,
                   responses={200: LineControlSerializer(many=True), **WRITE_ERROR_RESPONSES})
    @action(detail=True, methods=["post"], url_path="control/verify", url_name="control-verify")
    def control_verify(self, request, pk=None):
        """Verify many lines (and lump sums) at once for their declared amounts: `{"ids": [control ids]}`.
        All or nothing: an id that is not a line of this report (or a line parked earlier it may verify) is a
        400 naming it."""
        report = self.get_object()
        if report.status != ProgressReport.Status.IN_CONTROL:
            raise StateConflict("Lines are verified while their report is in control.")
        body = VerifyAsDeclaredSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        controls = services.lines_verify_as_declared(report=report, control_ids=body.validated_data["ids"],
                                                     user=request.user)
        return Response(LineControlSerializer(controls, many=True, context={"request": request}).data)

    @extend_schema(request=None, responses={200: ProgressReportSerializer, **WRITE_ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def certify(self, request, pk=None):
        """Sign the certificate: every line verified or parked (else 409 listing each open line in `problems`);
        the report is read-only for ever after."""
        report = self.get_object()
        services.report_certify(report=report, user=request.user)
        return self._respond(self.get_queryset().get(pk=report.pk))

    @extend_schema(request=ControlReturnSerializer, responses={200: ProgressReportSerializer, **WRITE_ERROR_RESPONSES})
    @action(detail=True, methods=["post"], url_path="control-return", url_name="control-return")
    def control_return(self, request, pk=None):
        """Back to the partner with the controller's findings (`comment`, required); control results made so far
        and the frozen rates stay."""
        report = self.get_object()
        if report.status != ProgressReport.Status.IN_CONTROL:
            raise StateConflict("Only a report in control can be sent back by its controller.")
        body = ControlReturnSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.report_control_return(report=report, user=request.user, comment=body.validated_data["comment"])
        return self._respond(self.get_queryset().get(pk=report.pk))

    @extend_schema(responses={200: ReportSummarySerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["get"])
    def summary(self, request, pk=None):
        """EUR per cost category, each flat rate as rate × base, lump sums, totals and co-financing.

        `provisional` while any rate is not frozen; a draft's lump sums not yet `claimed` are claimed when it is
        submitted.
        """
        report = self.get_object()
        return Response(ReportSummarySerializer(summarise_report(report)).data)

    @extend_schema(responses={200: HistoryEntrySerializer(many=True), **ERROR_RESPONSES})
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        """Who changed what and when, for the report and its lines (management unit only)."""
        report = self.get_object()
        perms.require(request.user, Right.READ_HISTORY, report.partner.project_id,
                      "Only the management unit reads the audit history.")
        return Response(HistoryEntrySerializer(selectors.report_history(report), many=True).data)


class ExpenditureRow(ValuesRow):
    """One line of a list page: what ExpenditureSerializer's method fields read of a line (its pk, whether it
    has an attachment, its unit cost's price and unit) beside the columns."""

    model = Expenditure

    def __init__(self, values: dict):
        super().__init__(values)
        self.pk = self.id
        self.unit_cost = (SimpleNamespace(price_per_unit=self.unit_cost_price, unit=self.unit_cost_unit)
                          if self.unit_cost_id is not None else None)


@extend_schema_view(
    create=extend_schema(responses={201: ExpenditureSerializer, **WRITE_ERROR_RESPONSES}),
    partial_update=extend_schema(parameters=[IF_MATCH], responses={200: ExpenditureSerializer,
                                                                   **WRITE_ERROR_RESPONSES}),
    update=extend_schema(parameters=[IF_MATCH], responses={200: ExpenditureSerializer, **WRITE_ERROR_RESPONSES}),
    destroy=extend_schema(responses={204: None, **WRITE_ERROR_RESPONSES}),
    list=extend_schema(responses={200: ExpenditureSerializer(many=True), **ERROR_RESPONSES}),
    retrieve=extend_schema(responses={200: ExpenditureSerializer, **ERROR_RESPONSES}),
)
class ExpenditureViewSet(ReportScopedViewSet):
    """Cost lines of a report; editable while the report is a draft or returned."""

    queryset = Expenditure.objects.select_related("report__partner__project", "unit_cost")
    serializer_class = ExpenditureSerializer
    filterset_class = ExpenditureFilter
    ordering_fields = ["id", "invoice_date", "amount", "amount_eur", "cost_category"]
    ordering = ["report", "id"]
    project_field = "report__partner__project"
    partner_field = "report__partner"
    report_attr = "report"
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    control_actions = ("control",)
    list_columns = columns_shown(Expenditure, ExpenditureSerializer)

    def get_queryset(self):
        # The period's start marks lines paid before it (`earlier_period`) without a query per line.
        queryset = super().get_queryset().annotate(period_start=F("report__period__start_date"))
        if self.action != "list":
            return queryset
        # A list row shows only ids; report → partner → project are joined for the per-object
        # permission checks of the other actions, and building them cost a page more than serialising
        # it. The list reads plain values (as the deliverable list does), which paginate_queryset turns
        # into ExpenditureRows; a unit-cost line's `computation` shows its unit cost's price and unit.
        return queryset.select_related(None).values(
            *self.list_columns, "attachment", "period_start",
            unit_cost_price=F("unit_cost__price_per_unit"), unit_cost_unit=F("unit_cost__unit"))

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is None or self.action != "list":
            return page
        return [ExpenditureRow(values) for values in page]

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        report = data.pop("report")
        access.require_write(request.user, report)
        line = services.expenditure_add(report=report, data=data, user=request.user)
        response = Response(self.get_serializer(line).data, status=status.HTTP_201_CREATED)
        response["ETag"] = etag_for(line.version)
        return response

    def perform_update_service(self, instance, version, data):
        return services.expenditure_update(expenditure=instance, expected_version=version, data=data,
                                           user=self.request.user)

    def perform_delete_service(self, instance):
        services.expenditure_delete(expenditure=instance, user=self.request.user)

    @extend_schema(request={"multipart/form-data": ImportSerializer},
                   responses={201: OpenApiTypes.OBJECT, **WRITE_ERROR_RESPONSES})
    @action(detail=False, methods=["post"], url_path="import", url_name="import")
    def import_(self, request):
        """Add many lines from a CSV or XLSX file (docs/IMPORT.md), all or nothing."""
        body = ImportSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        report, upload = body.validated_data["report"], body.validated_data["file"]
        access.require_write(request.user, report)
        lines = imports.import_expenditure_file(report=report, upload=upload, user=request.user)
        return Response({"report": report.pk, "created": len(lines)}, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses={200: LineControlSerializer, **ERROR_RESPONSES})
    @extend_schema(methods=["PATCH"], request=LineControlSerializer, parameters=[IF_MATCH],
                   responses={200: LineControlSerializer, **WRITE_ERROR_RESPONSES})
    @action(detail=True, methods=["get", "patch"], url_path="control", url_name="control")
    def control(self, request, pk=None):
        """The line's first-level control (also at `GET/PATCH /api/line-controls/{id}/`): read by who reads the
        report, written by the partner's controller while a report holding it is in control. A line whose report
        has not entered control has none yet (404 on GET, 409 on PATCH)."""
        line = self.get_object()
        control = LineControl.objects.filter(expenditure=line).select_related(
            "expenditure__report__period", "controlled_by").first()
        if request.method == "GET":
            if control is None:
                raise exceptions.NotFound("This line has not been controlled: its report has not entered control.")
            return control_response(control, request)
        return control_update(control or LineControl(expenditure=line), request)

    @extend_schema(request={"multipart/form-data": UploadSerializer},
                   responses={(200, "application/octet-stream"): OpenApiTypes.BINARY,
                              201: ExpenditureSerializer, **WRITE_ERROR_RESPONSES})
    @action(detail=True, methods=["get", "post"], url_path="attachment", url_name="attachment")
    def attachment(self, request, pk=None):
        """GET downloads the invoice attachment; POST (multipart `file`) uploads or replaces it."""
        line = self.get_object()
        if request.method == "GET":
            if not line.attachment:
                raise exceptions.NotFound("This line has no attachment.")
            return download(line.attachment, line.attachment_name)
        services.expenditure_attach_invoice(expenditure=line, uploaded=request.FILES.get("file"), user=request.user)
        return Response(self.get_serializer(line).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    create=extend_schema(request={"multipart/form-data": AttachmentSerializer},
                         responses={201: AttachmentSerializer, **WRITE_ERROR_RESPONSES}),
    destroy=extend_schema(responses={204: None, **WRITE_ERROR_RESPONSES}),
    list=extend_schema(responses={200: AttachmentSerializer(many=True), **ERROR_RESPONSES}),
    retrieve=extend_schema(responses={200: AttachmentSerializer, **ERROR_RESPONSES}),
)
class AttachmentViewSet(ReportScopedViewSet):
    """Files of evidence: of a report (time sheets, salary statements, other) or of one of its lines (further
    invoice files). Read and downloaded by who may read the report; added and removed by who may write it,
    while it is editable. `GET {id}/file/` downloads."""

    queryset = Attachment.objects.select_related("report__partner__project")
    serializer_class = AttachmentSerializer
    filterset_class = AttachmentFilter
    ordering_fields = ["id", "uploaded_at"]
    ordering = ["id"]
    project_field = "report__partner__project"
    partner_field = "report__partner"
    report_attr = "report"
    parser_classes = [MultiPartParser, FormParser]
    http_method_names = ["get", "post", "delete", "head", "options"]

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        access.require_write(request.user, data["report"])
        attachment = services.attachment_add(report=data["report"], expenditure=data.get("expenditure"),
                                             kind=data.get("kind", Attachment.Kind.OTHER), uploaded=data["file"],
                                             user=request.user)
        return Response(self.get_serializer(attachment).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        attachment = self.get_object()
        self.require_write(attachment)
        services.attachment_delete(attachment=attachment, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, **ERROR_RESPONSES})
    @action(detail=True, methods=["get"], url_path="file", url_name="file")
    def file(self, request, pk=None):
        """The file, under its original name."""
        attachment = self.get_object()
        return download(attachment.file, attachment.file_name)


@extend_schema_view(
    partial_update=extend_schema(parameters=[IF_MATCH], responses={200: LineControlSerializer,
                                                                   **WRITE_ERROR_RESPONSES}),
    list=extend_schema(responses={200: LineControlSerializer(many=True), **ERROR_RESPONSES}),
    retrieve=extend_schema(responses={200: LineControlSerializer, **ERROR_RESPONSES}),
)
class LineControlViewSet(ReportScopedViewSet):
    """First-level control of each line and claimed lump sum (created when control starts): read by who reads the
    report, written (PATCH) by the partner's controller while a report holding it is in control. `?report=` lists
    a report's own; a line parked by an earlier report and taken up by this one is listed with `?certified_in=`."""

    queryset = LineControl.objects.select_related(
        "expenditure__report__partner__project", "expenditure__report__period",
        "lump_sum_claim__report__partner__project", "lump_sum_claim__report__period", "controlled_by")
    serializer_class = LineControlSerializer
    filterset_class = LineControlFilter
    ordering_fields = ["id", "controlled_at"]
    ordering = ["id"]
    http_method_names = ["get", "patch", "head", "options"]
    control_actions = ("partial_update",)
    partner_fields = ("expenditure__report__partner", "lump_sum_claim__report__partner")

    def report_of(self, obj) -> ProgressReport:
        return obj.line.report

    def scope(self, queryset):
        user = self.request.user
        return queryset.filter(access.readable_filter_any(user, self.partner_fields))

    def find(self, queryset, pk):
        obj = queryset.filter(access.findable_filter_any(self.request.user, self.partner_fields), pk=pk).first()
        if obj is None:
            raise exceptions.NotFound()
        return obj

    def partial_update(self, request, *args, **kwargs):
        return control_update(self.get_object(), request)


@extend_schema_view(
    create=extend_schema(responses={201: ExchangeRateSerializer, **WRITE_ERROR_RESPONSES}),
    partial_update=extend_schema(parameters=[IF_MATCH], responses={200: ExchangeRateSerializer,
                                                                   **WRITE_ERROR_RESPONSES}),
    update=extend_schema(parameters=[IF_MATCH], responses={200: ExchangeRateSerializer, **WRITE_ERROR_RESPONSES}),
)
class ExchangeRateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                          mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Monthly accounting rates (units per EUR): read by every project member, written by a site administrator
    (a superuser, or a user with the permission to change exchange rates), never by one project's MU.

    Rates are not project data: the Commission publishes one rate per currency and month for all.
    POST is an upsert of (currency, month).
    """

    queryset = ExchangeRate.objects.all()
    serializer_class = ExchangeRateSerializer
    filterset_class = ExchangeRateFilter
    ordering_fields = ["month", "currency"]
    ordering = ["-month", "currency"]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        user = request.user
        if not (user.is_superuser or perms.memberships(user)):
            raise exceptions.PermissionDenied("Exchange rates are for members of a project.")
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            access.require_set_exchange_rates(user)

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = etag_for(response.data["version"])
        return response

    def perform_create(self, serializer):
        serializer.instance = services.exchange_rate_set(user=self.request.user, **serializer.validated_data)

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        version = expected_version(request)
        serializer = self.get_serializer(instance, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        instance = update_versioned(instance, expected_version=version, data=serializer.validated_data)
        response = Response(self.get_serializer(instance).data)
        response["ETag"] = etag_for(instance.version)
        return response


@extend_schema(responses={(200, "text/csv"): OpenApiTypes.BINARY,
                           (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"):
                               OpenApiTypes.BINARY, **ERROR_RESPONSES})
class ImportTemplateView(APIView):
    """The expenditure import template (docs/IMPORT.md) as CSV or XLSX, with three example lines."""

    def get(self, request, fmt: str):
        if fmt == "csv":
            content, mime = imports.template_csv(), "text/csv; charset=utf-8"
        else:
            content, mime = imports.template_xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        response = HttpResponse(content, content_type=mime)
        response["Content-Disposition"] = f'attachment; filename="expenditure-import-template.{fmt}"'
        return response


class ReportStatusView(APIView):
    """Every partner × started period of the project: its report's status, due date, and whether it is overdue.

    The MU and coordinators see every partner; a reporter their own partner's rows; a viewer 403; a
    stranger 404.
    """

    @extend_schema(operation_id="report_status", responses={200: ReportStatusSerializer(many=True), **ERROR_RESPONSES})
    def get(self, request, project_id: int):
        project = perms.project_or_404(request.user, project_id)
        access.require_reports_in(request.user, project.pk)
        partners = access.readable_partners(Partner.objects.filter(project=project), request.user)
        return Response(ReportStatusSerializer(selectors.report_statuses(partners), many=True).data)


# Explicit paths, included in consortium/urls.py before the router (the router adds a trailing slash).
urlpatterns = [
    # Two fixed paths rather than a path parameter: the schema then documents exactly these two files.
    path("expenditures/import-template.csv", ImportTemplateView.as_view(), {"fmt": "csv"},
         name="expenditure-import-template-csv"),
    path("expenditures/import-template.xlsx", ImportTemplateView.as_view(), {"fmt": "xlsx"},
         name="expenditure-import-template-xlsx"),
    path("projects/<int:project_id>/report-status/", ReportStatusView.as_view(), name="report-status"),
]


def register(router) -> None:
    """Add this app's viewsets to the API router."""
    router.register("progress-reports", ProgressReportViewSet, basename="progressreport")
    router.register("expenditures", ExpenditureViewSet, basename="expenditure")
    router.register("exchange-rates", ExchangeRateViewSet, basename="exchangerate")
    router.register("attachments", AttachmentViewSet, basename="attachment")
    router.register("line-controls", LineControlViewSet, basename="line-control")
    router.register("project-reports", ProjectReportViewSet, basename="project-report")
