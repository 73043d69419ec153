"""Claim downloads: `GET /api/claims/{id}.pdf` and `.xlsx`, and what `manage.py claim_export` writes.

Plain responses behind the API's authentication (anonymous → 401) and claims.access: a stranger → 404, a member
who reads none of the claim (a viewer, a reporter whose partner is not in it) → 403. The MU, coordinators and the
controllers who certified a report in it get the whole claim; a reporter its own partner's part (its reports,
lines, co-financing and payments; not the MU's narrative).
"""

from django.conf import settings
from django.http import HttpResponse
from django.urls import re_path
from django.utils import translation
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from claims import access
from claims.export.collect import collect_claim
from claims.export.pdf import render_claim_pdf
from claims.export.xlsx import render_claim_xlsx
from claims.models import Claim
from consortium.api.errors import ERROR_RESPONSES
from consortium.profiles import language_of
from consortium.text import safe_filename
from reporting.exports import FirstRenderer

FORMATS = {
    "pdf": ("application/pdf", render_claim_pdf),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", render_claim_xlsx),
}


def claim_filename(claim: Claim, extension: str) -> str:
    return safe_filename(f"{claim.project.acronym}-claim-{claim.number}-P{claim.period.number}.{extension}")


def render_claim(claim: Claim, extension: str, *, partner_ids: list[int] | None = None,
                 language: str = settings.LANGUAGE_CODE) -> tuple[bytes, str]:
    """The file and its content type, in `language`; `partner_ids`: only those partners' part."""
    content_type, render = FORMATS[extension]
    with translation.override(language):
        return render(collect_claim(claim, partner_ids=partner_ids)), content_type


class ClaimExportView(APIView):
    renderer_classes = [JSONRenderer]
    content_negotiation_class = FirstRenderer

    @extend_schema(
        operation_id="claim_export",
        responses={**{(200, content_type): OpenApiResponse(OpenApiTypes.BINARY, description="The claim.")
                      for content_type, _render in FORMATS.values()}, **ERROR_RESPONSES},
    )
    def get(self, request, claim_id: str, extension: str):
        claim = access.claim_or_404(request.user, claim_id)
        content, content_type = render_claim(claim, extension, partner_ids=access.partner_scope(request.user, claim),
                                             language=language_of(request.user))
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(True, claim_filename(claim, extension))
        return response


urlpatterns = [
    re_path(r"^claims/(?P<claim_id>\d{1,18})\.(?P<extension>pdf|xlsx)$", ClaimExportView.as_view(),
            name="claim-export"),
]
