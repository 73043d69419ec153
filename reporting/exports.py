"""Funder report downloads: `/api/projects/{id}/funder-reports/{n}.pdf` and `.xlsx` (MU and coordinators), and
a report's control certificate: `/api/progress-reports/{id}/certificate.pdf` and `.xlsx` (who reads the report).

Plain responses behind the API's authentication (token or session; anonymous → 401) and the
permission layer: a stranger to the project or an unknown period → 404, a member without
Right.EXPORT → 403.
"""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import re_path
from django.utils import translation
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from consortium import permissions as perms
from consortium.api.errors import ERROR_RESPONSES
from consortium.errors import StateConflict
from consortium.models import Project, ReportingPeriod
from consortium.profiles import language_of
from consortium.text import safe_filename
from reporting import access
from reporting.certificate.collect import collect_certificate
from reporting.certificate.render import render_certificate_pdf, render_certificate_xlsx
from reporting.funder_report.collect import collect_funder_report
from reporting.funder_report.pdf import render_pdf
from reporting.funder_report.xlsx import render_xlsx
from reporting.models import ProgressReport

FORMATS = {
    "pdf": ("application/pdf", render_pdf),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", render_xlsx),
}


class FirstRenderer(BaseContentNegotiation):
    """A file download answers whatever the client accepts; only errors are rendered (as JSON)."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def funder_report_filename(project: Project, period: ReportingPeriod, extension: str) -> str:
    return safe_filename(f"{project.acronym}-funder-report-P{period.number}.{extension}")


def render_funder_report(project: Project, period: ReportingPeriod, extension: str,
                         language: str = settings.LANGUAGE_CODE) -> tuple[bytes, str]:
    """The file and its content type, its headings, labels and dates in `language`."""
    content_type, render = FORMATS[extension]
    with translation.override(language):
        return render(collect_funder_report(project, period)), content_type


class FunderReportExportView(APIView):
    renderer_classes = [JSONRenderer]
    content_negotiation_class = FirstRenderer

    @extend_schema(
        operation_id="funder_report_export",
        # Both formats documented: the fuzzing found .xlsx answering a content type the schema did not name.
        responses={**{(200, content_type): OpenApiResponse(OpenApiTypes.BINARY, description="The funder report.")
                      for content_type, _render in FORMATS.values()},
                   **ERROR_RESPONSES},
    )
    def get(self, request, project_id: str, period_number: str, extension: str):
        project = perms.project_or_404(request.user, int(project_id), perms.Right.EXPORT)
        period = ReportingPeriod.objects.filter(project=project, number=int(period_number)).first()
        if period is None:
            raise Http404
        # In the language of the person downloading it (their setting: the one they last used in the web).
        content, content_type = render_funder_report(project, period, extension, language_of(request.user))
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(
            True, funder_report_filename(project, period, extension))
        return response


CERTIFICATE_FORMATS = {
    "pdf": ("application/pdf", render_certificate_pdf),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", render_certificate_xlsx),
}
CONTROLLED = (ProgressReport.Status.IN_CONTROL, ProgressReport.Status.CERTIFIED)


class CertificateExportView(APIView):
    """The control certificate of a report in control (a draft, marked so) or certified: 404 for who may not know
    the report, 403 for a member who reads no reports, 409 before control starts."""

    renderer_classes = [JSONRenderer]
    content_negotiation_class = FirstRenderer

    @extend_schema(
        operation_id="certificate_export",
        responses={**{(200, content_type): OpenApiResponse(OpenApiTypes.BINARY, description="The certificate.")
                      for content_type, _render in CERTIFICATE_FORMATS.values()},
                   **ERROR_RESPONSES,
                   409: OpenApiResponse(description="The report has not entered control.")},
    )
    def get(self, request, report_id: str, extension: str):
        report = access.report_or_404(request.user, int(report_id))
        if report.status not in CONTROLLED:
            raise StateConflict("A report has a certificate once its control has started.")
        content_type, render = CERTIFICATE_FORMATS[extension]
        with translation.override(language_of(request.user)):
            content = render(collect_certificate(report))
        response = HttpResponse(content, content_type=content_type)
        partner = report.partner
        response["Content-Disposition"] = content_disposition_header(True, safe_filename(
            f"{partner.project.acronym}-{partner.code}-P{report.period.number}-certificate.{extension}"))
        return response


urlpatterns = [
    re_path(r"^progress-reports/(?P<report_id>\d{1,18})/certificate\.(?P<extension>pdf|xlsx)$",
            CertificateExportView.as_view(), name="certificate-export"),
    re_path(r"^projects/(?P<project_id>\d+)/funder-reports/(?P<period_number>\d+)\.(?P<extension>pdf|xlsx)$",
            FunderReportExportView.as_view(), name="funder-report-export"),
]
