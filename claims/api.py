"""API resources of claims and payments (docs/CLAIMS.md, docs/API.md).

`/api/claims/` (+ `submit/`, `verify/`, `finalise/`, `return/`, `gather/`, `lines/`), `/api/programme-payments/`,
`/api/partner-transfers/`, and `GET /api/projects/{id}/payments/`. Who reads what is claims/access.py's; every
write is a function of claims/services.py. The claim's downloads are claims/exports.py's.
"""

from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from claims import access, services
from claims.filters import ClaimFilter, PartnerTransferFilter, ProgrammePaymentFilter
from claims.models import Claim, PartnerTransfer, ProgrammePayment
from claims.selectors import claim_figures, claim_lines, project_payments
from claims.serializers import (
    ClaimLineSerializer,
    ClaimListSerializer,
    ClaimSerializer,
    FinaliseSerializer,
    PartnerTransferSerializer,
    ProgrammePaymentSerializer,
    ProjectPaymentsSerializer,
    ReturnSerializer,
)
from consortium import permissions as perms
from consortium.api.base import ProjectScopedViewSet, etag_for
from consortium.api.errors import ERROR_RESPONSES, WRITE_ERROR_RESPONSES
from consortium.api.filters import IdField
from reporting.models import ProjectReport

Right = perms.Right


def scoped_figures(claim: Claim, user):
    """The claim's figures as the user may see them: a reporter its own partner's part only."""
    figures = claim_figures(claim)
    scope = access.partner_scope(user, claim)
    if scope is not None:
        figures.partners = [part for part in figures.partners if part.partner.pk in scope]
    return figures


@extend_schema_view(
    list=extend_schema(responses={200: ClaimListSerializer(many=True), **ERROR_RESPONSES}),
    retrieve=extend_schema(responses={200: ClaimSerializer, **ERROR_RESPONSES}),
    create=extend_schema(responses={201: ClaimSerializer, **WRITE_ERROR_RESPONSES}),
    destroy=extend_schema(responses={204: None, **WRITE_ERROR_RESPONSES}),
)
class ClaimViewSet(ProjectScopedViewSet):
    """Payment claims: the MU creates one for a period (it gathers every certified report not yet claimed),
    submits it, and records the programme's verification, verdict or return. Read-only once submitted."""

    queryset = Claim.objects.select_related("project", "period")
    serializer_class = ClaimSerializer
    filterset_class = ClaimFilter
    ordering_fields = ["id", "number", "status", "submitted_at"]
    ordering = ["project", "number"]
    http_method_names = ["get", "post", "delete", "head", "options"]

    def get_serializer_class(self):
        return ClaimListSerializer if self.action == "list" else ClaimSerializer

    def scope(self, queryset):
        return access.readable(queryset, self.request.user)

    def list(self, request, *args, **kwargs):
        if not access.may_read_claims_somewhere(request.user):
            raise exceptions.PermissionDenied("Your role does not give access to claims.")
        return super(ProjectScopedViewSet, self).list(request, *args, **kwargs)

    def find(self, queryset, pk):
        return access.claim_or_404(self.request.user, pk, queryset=queryset)

    def require_read(self, obj) -> None:
        """claim_or_404 decided already."""

    def require_write(self, obj) -> None:
        access.require_manage(self.request.user, obj.project_id)

    def _respond(self, claim: Claim, code=status.HTTP_200_OK) -> Response:
        claim = Claim.objects.select_related("project", "period").get(pk=claim.pk)
        whole = access.partner_scope(self.request.user, claim) is None
        narrative = ProjectReport.objects.filter(project=claim.project_id, period=claim.period_id).first() \
            if whole else None
        context = {**self.get_serializer_context(), "figures": scoped_figures(claim, self.request.user),
                   "narrative": narrative}
        response = Response(ClaimSerializer(claim, context=context).data, status=code)
        response["ETag"] = etag_for(claim.version)
        return response

    def retrieve(self, request, *args, **kwargs):
        return self._respond(self.get_object())

    def create(self, request, *args, **kwargs):
        if not perms.has_right_anywhere(request.user, Right.MANAGE_CLAIMS):
            raise exceptions.PermissionDenied("Only the management unit makes claims.")
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        project, period = serializer.validated_data["project"], serializer.validated_data["period"]
        access.require_manage(request.user, project.pk)
        claim = services.claim_create(project=project, period=period, user=request.user)
        return self._respond(claim, status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        claim = self.get_object()
        services.claim_delete(claim=claim, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={200: ClaimSerializer, **WRITE_ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Send the claim to the programme (it holds at least one report); read-only from then on."""
        claim = self.get_object()
        return self._respond(services.claim_submit(claim=claim, user=request.user))

    @extend_schema(request=None, responses={200: ClaimSerializer, **WRITE_ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        """The programme has started its verification."""
        claim = self.get_object()
        return self._respond(services.claim_verify(claim=claim, user=request.user))

    @extend_schema(request=FinaliseSerializer, responses={200: ClaimSerializer, **WRITE_ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def finalise(self, request, pk=None):
        """The programme's verdict: `accepted` eligible expenditure per partner (lower than claimed with a
        `reason`; a partner not named is accepted as claimed). Co-financing follows, rounded down."""
        claim = self.get_object()
        body = FinaliseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        accepted = [dict(item) for item in body.validated_data["accepted"]]
        return self._respond(services.claim_finalise(claim=claim, user=request.user, accepted=accepted))

    @extend_schema(request=ReturnSerializer, responses={200: ClaimSerializer, **WRITE_ERROR_RESPONSES})
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        """The programme sent the claim back: a draft again; `comment` (required) says why."""
        claim = self.get_object()
        body = ReturnSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._respond(services.claim_return(claim=claim, user=request.user,
                                                   comment=body.validated_data["comment"]))

    @extend_schema(request=None, responses={200: ClaimSerializer, **WRITE_ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def gather(self, request, pk=None):
        """Add to a draft the reports certified since it was created (of its period or earlier)."""
        claim = self.get_object()
        services.claim_gather(claim=claim, user=request.user)
        return self._respond(claim)

    @extend_schema(responses={200: ClaimLineSerializer(many=True), **ERROR_RESPONSES})
    @action(detail=True, methods=["get"], filterset_class=None)
    def lines(self, request, pk=None):
        """The list of expenditure: every certified line of every report in the claim with its declared and
        verified amounts (paginated; `?partner=` for one partner). A reporter gets its partner's lines only."""
        claim = self.get_object()
        scope = access.partner_scope(request.user, claim)
        if "partner" in request.query_params:
            field = IdField()
            try:
                partner = field.clean(request.query_params["partner"])
            except Exception as error:  # a Django ValidationError: the one error shape names the field
                raise exceptions.ValidationError({"partner": list(getattr(error, "messages", [str(error)]))}) \
                    from None
            scope = [partner] if scope is None else [p for p in scope if p == partner]
        rows = claim_lines(claim, partner_ids=scope)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(ClaimLineSerializer(page, many=True).data)


class PaymentViewSet(ProjectScopedViewSet):
    """Payments and transfers: the MU records and deletes them (no edits: delete and record again); the MU and
    coordinators read all; a reporter its own partner's."""

    project_field = "claim__project"
    http_method_names = ["get", "post", "delete", "head", "options"]
    ordering = ["claim__number", "date", "id"]
    ordering_fields = ["id", "date", "amount"]

    def scope(self, queryset):
        return access.readable_payments(queryset, self.request.user)

    def list(self, request, *args, **kwargs):
        if not access.may_read_payments_somewhere(request.user):
            raise exceptions.PermissionDenied("Your role does not give access to payments.")
        return super(ProjectScopedViewSet, self).list(request, *args, **kwargs)

    def find(self, queryset, pk):
        return access.payment_or_404(self.request.user, queryset, pk)

    def require_read(self, obj) -> None:
        """payment_or_404 decided already."""

    def require_write(self, obj) -> None:
        access.require_manage(self.request.user, obj.claim.project_id)

    def create(self, request, *args, **kwargs):
        if not perms.has_right_anywhere(request.user, Right.MANAGE_CLAIMS):
            raise exceptions.PermissionDenied("Only the management unit records payments.")
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        access.require_manage(request.user, data["claim"].project_id)
        row = self.record(data)
        response = Response(self.get_serializer(row).data, status=status.HTTP_201_CREATED)
        response["ETag"] = etag_for(row.version)
        return response


@extend_schema_view(
    list=extend_schema(responses={200: ProgrammePaymentSerializer(many=True), **ERROR_RESPONSES}),
    retrieve=extend_schema(responses={200: ProgrammePaymentSerializer, **ERROR_RESPONSES}),
    create=extend_schema(responses={201: ProgrammePaymentSerializer, **WRITE_ERROR_RESPONSES}),
    destroy=extend_schema(responses={204: None, **WRITE_ERROR_RESPONSES}),
)
class ProgrammePaymentViewSet(PaymentViewSet):
    """Money the programme paid for a finalised claim from one fund: ERDF to the lead partner (`partner` empty),
    Norwegian funds to the Norwegian partner directly (`partner` set), in the currency the claim asks it in."""

    queryset = ProgrammePayment.objects.select_related("claim__project")
    serializer_class = ProgrammePaymentSerializer
    filterset_class = ProgrammePaymentFilter

    def record(self, data):
        return services.payment_record(claim=data["claim"], user=self.request.user, fund=data["fund"],
                                       date=data["date"], amount=data["amount"],
                                       currency=data.get("currency", "EUR"), reference=data.get("reference", ""),
                                       partner=data.get("partner"))

    def perform_delete_service(self, instance) -> None:
        services.payment_delete(payment=instance, user=self.request.user)


@extend_schema_view(
    list=extend_schema(responses={200: PartnerTransferSerializer(many=True), **ERROR_RESPONSES}),
    retrieve=extend_schema(responses={200: PartnerTransferSerializer, **ERROR_RESPONSES}),
    create=extend_schema(responses={201: PartnerTransferSerializer, **WRITE_ERROR_RESPONSES}),
    destroy=extend_schema(responses={204: None, **WRITE_ERROR_RESPONSES}),
)
class PartnerTransferViewSet(PaymentViewSet):
    """The lead partner passing an ERDF partner its share of a finalised claim (EUR); its reporters hear."""

    queryset = PartnerTransfer.objects.select_related("claim__project")
    serializer_class = PartnerTransferSerializer
    filterset_class = PartnerTransferFilter

    def record(self, data):
        return services.transfer_record(claim=data["claim"], user=self.request.user, partner=data["partner"],
                                        date=data["date"], amount=data["amount"], reference=data.get("reference", ""))

    def perform_delete_service(self, instance) -> None:
        services.transfer_delete(transfer=instance, user=self.request.user)


class ProjectPaymentsView(APIView):
    """Claimed, accepted, received, passed on and outstanding per partner and fund, per fund, and per claim.

    The MU and coordinators see every row; a reporter its own partner's row only (no fund or claim totals);
    viewers and controllers 403; a stranger 404.
    """

    @extend_schema(operation_id="project_payments", responses={200: ProjectPaymentsSerializer, **ERROR_RESPONSES})
    def get(self, request, project_id: int):
        project = perms.project_or_404(request.user, project_id)
        if not access.may_read_payments(request.user, project.pk):
            raise exceptions.PermissionDenied("Your role does not give access to payments.")
        payments = project_payments(project)
        scope = access.payments_scope(request.user, project.pk)
        if scope is not None:
            payments.partners = [row for row in payments.partners if row.partner.pk in scope]
            payments.funds, payments.claims = [], []
        body = {"project": project.pk, "partners": payments.partners, "funds": payments.funds,
                "claims": payments.claims}
        return Response(ProjectPaymentsSerializer(body).data)


# Explicit paths, included in consortium/urls.py before the router.
urlpatterns = [
    path("projects/<int:project_id>/payments/", ProjectPaymentsView.as_view(), name="project-payments"),
]


def register(router) -> None:
    """Add this app's viewsets to the API router."""
    router.register("claims", ClaimViewSet, basename="claim")
    router.register("programme-payments", ProgrammePaymentViewSet, basename="programme-payment")
    router.register("partner-transfers", PartnerTransferViewSet, basename="partner-transfer")
