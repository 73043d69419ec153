"""API resources of this app (see consortium/api/base.py for what they share)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from consortium import permissions as perms
from consortium.api.base import ProjectScopedViewSet
from consortium.uploads import download
from partners import access, services
from partners.filters import (
    BudgetLineFilter,
    ContactFilter,
    ContractFilter,
    LumpSumFilter,
    OrganisationFilter,
    PartnerFilter,
    UnitCostFilter,
)
from partners.models import BudgetLine, Contact, Contract, LumpSum, Organisation, Partner, UnitCost
from partners.serializers import (
    BudgetLineSerializer,
    ContactSerializer,
    ContractSerializer,
    LumpSumSerializer,
    OrganisationSerializer,
    PartnerSerializer,
    UnitCostSerializer,
)


class OrganisationViewSet(ProjectScopedViewSet):
    """Organisations partnering in your projects (and, for the MU, those not partnering anywhere yet).

    Any MU may create one; an update or delete needs the MU role in every project it partners in.
    """

    queryset = Organisation.objects.all()
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter
    ordering_fields = ["name", "short_name", "country"]

    def get_queryset(self):
        return access.visible_organisations(self.request.user)

    def list(self, request, *args, **kwargs):
        return super(ProjectScopedViewSet, self).list(request, *args, **kwargs)

    def find(self, queryset, pk):
        return access.organisation_or_404(self.request.user, pk, queryset=queryset)

    def require_read(self, obj) -> None:
        """Every organisation the user finds is readable: finding is its scope."""

    def require_write(self, obj) -> None:
        access.require_change_organisation(self.request.user, obj)

    def create(self, request, *args, **kwargs):
        access.require_create_organisation(request.user)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        instance = self.perform_create_service(serializer.validated_data)
        response = Response(self.get_serializer(instance).data, status=status.HTTP_201_CREATED)
        self._set_etag(response, instance)
        return response


class PartnerViewSet(ProjectScopedViewSet):
    """A project's partners; co-financing and cost-option fields only for roles that read money.

    Cost options are checked against the programme's maxima and each other (every problem at once);
    once the partner has submitted a report they are fixed (409).
    """

    queryset = Partner.objects.select_related("organisation")
    serializer_class = PartnerSerializer
    filterset_class = PartnerFilter
    ordering_fields = ["number", "role", "organisation__name", "organisation__country"]

    def perform_create_service(self, data):
        return services.partner_create(data=data)

    def perform_update_service(self, instance, version, data):
        return services.partner_update(partner=instance, expected_version=version, data=data)


class ContactViewSet(ProjectScopedViewSet):
    queryset = Contact.objects.all()
    serializer_class = ContactSerializer
    filterset_class = ContactFilter
    ordering_fields = ["name", "kind", "email"]


class BudgetLineViewSet(ProjectScopedViewSet):
    """Budgets: not for viewers (403), as they never see money."""

    queryset = BudgetLine.objects.select_related("partner")
    serializer_class = BudgetLineSerializer
    filterset_class = BudgetLineFilter
    ordering_fields = ["partner__number", "cost_category", "period__number", "amount"]
    project_field = "partner__project"
    read_right = perms.Right.READ_MONEY


class UnitCostViewSet(ProjectScopedViewSet):
    """Prices per unit in the plan; report lines claim units × price. Not for viewers (403), as money."""

    queryset = UnitCost.objects.all()
    serializer_class = UnitCostSerializer
    filterset_class = UnitCostFilter
    ordering_fields = ["name", "cost_category", "price_per_unit"]
    read_right = perms.Right.READ_MONEY

    def perform_update_service(self, instance, version, data):
        return services.unit_cost_update(unit_cost=instance, expected_version=version, data=data)


class LumpSumViewSet(ProjectScopedViewSet):
    """Lump sums with each partner's share; the MU marks one achieved (`achieved_date`, `evidence`).

    Claimed whole by each partner's report once achieved; what a report has claimed is fixed (409).
    Not for viewers (403), as money.
    """

    queryset = LumpSum.objects.select_related("period").prefetch_related("shares__claim")
    serializer_class = LumpSumSerializer
    filterset_class = LumpSumFilter
    ordering_fields = ["name", "period__number", "amount", "achieved_date"]
    read_right = perms.Right.READ_MONEY

    def perform_create_service(self, data):
        return services.lump_sum_create(data=data)

    def perform_update_service(self, instance, version, data):
        return services.lump_sum_update(lump_sum=instance, expected_version=version, data=data)


class ContractFileSerializer(serializers.Serializer):
    file = serializers.FileField()


class ContractViewSet(ProjectScopedViewSet):
    """Each partner's procurement register: read by roles that read money, kept by the MU.

    GET/POST `{id}/file/` downloads / uploads the contract's document (checked like every upload).
    """

    queryset = Contract.objects.select_related("partner__project__programme")
    serializer_class = ContractSerializer
    filterset_class = ContractFilter
    ordering_fields = ["id", "contract_date", "value", "partner__number"]
    project_field = "partner__project"
    read_right = perms.Right.READ_MONEY
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def perform_create_service(self, data):
        return services.contract_create(data=data, user=self.request.user)

    def perform_update_service(self, instance, version, data):
        return services.contract_update(contract=instance, expected_version=version, data=data,
                                        user=self.request.user)

    def perform_delete_service(self, instance):
        services.contract_delete(contract=instance, user=self.request.user)

    @extend_schema(request={"multipart/form-data": ContractFileSerializer},
                   responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 201: ContractSerializer})
    @action(detail=True, methods=["get", "post"], url_path="file", url_name="file")
    def file(self, request, pk=None):
        contract = self.get_object()
        if request.method == "GET":
            if not contract.file:
                raise exceptions.NotFound("This contract has no file.")
            return download(contract.file, contract.file_name)
        self.require_write(contract)
        services.contract_attach_file(contract=contract, uploaded=request.FILES.get("file"), user=request.user)
        return Response(self.get_serializer(contract).data, status=status.HTTP_201_CREATED)


def register(router) -> None:
    """Add this app's viewsets to the API router."""
    router.register("organisations", OrganisationViewSet, basename="organisation")
    router.register("partners", PartnerViewSet, basename="partner")
    router.register("contacts", ContactViewSet, basename="contact")
    router.register("budget-lines", BudgetLineViewSet, basename="budget-line")
    router.register("unit-costs", UnitCostViewSet, basename="unit-cost")
    router.register("lump-sums", LumpSumViewSet, basename="lump-sum")
    router.register("contracts", ContractViewSet, basename="contract")
