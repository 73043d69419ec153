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
from partners import access, budget_versions, services
from partners.budget_selectors import base_of, compare
from partners.filters import (
    BudgetLineFilter,
    BudgetVersionFilter,
    ContactFilter,
    ContractFilter,
    LumpSumFilter,
    OrganisationFilter,
    PartnerFilter,
    UnitCostFilter,
)
from partners.models import BudgetLine, BudgetVersion, Contact, Contract, LumpSum, Organisation, Partner, UnitCost
from partners.serializers import (
    BudgetLineSerializer,
    BudgetVersionSerializer,
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
    """Budgets: not for viewers (403), as they never see money.

    Every line belongs to a budget version (`?budget_version=`); only a draft version's lines change (a line of
    an approved version is 409), and a new line without `budget_version` goes to the project's draft.
    """

    queryset = BudgetLine.objects.select_related("partner", "budget_version")
    serializer_class = BudgetLineSerializer
    filterset_class = BudgetLineFilter
    ordering_fields = ["partner__number", "cost_category", "period__number", "amount", "budget_version__number"]
    project_field = "partner__project"
    read_right = perms.Right.READ_MONEY

    def check_state(self, instance) -> None:
        budget_versions.refuse_approved(instance.budget_version)

    def perform_create_service(self, data):
        return budget_versions.budget_line_create(data=data)

    def perform_update_service(self, instance, version, data):
        return budget_versions.budget_line_update(line=instance, expected_version=version, data=data)

    def perform_delete_service(self, instance):
        budget_versions.budget_line_delete(line=instance)


def _money(value) -> str:
    return f"{value:.2f}"


class BudgetVersionViewSet(ProjectScopedViewSet):
    """Versions of a project's budget (docs/BUDGET.md): read like budgets, written by the MU.

    POST creates a draft holding a copy of the lines in force at `applies_from`; its lines change through
    `budget-lines`; `approve/` puts it in force (409 naming `programme_approved` when its shifts exceed the
    programme's flexibility and the programme's approval is not marked); `compare/?with=N` sets it against
    version N (default: the version it changes). An approved version is read-only (409).
    """

    queryset = BudgetVersion.objects.select_related("project__programme")
    serializer_class = BudgetVersionSerializer
    filterset_class = BudgetVersionFilter
    ordering_fields = ["number", "applies_from", "status"]
    read_right = perms.Right.READ_MONEY

    def check_state(self, instance) -> None:
        budget_versions.refuse_approved(instance)

    def perform_create_service(self, data):
        return budget_versions.budget_version_create(
            project=data["project"], user=self.request.user, reason=data.get("reason", ""),
            decision_date=data.get("decision_date"), applies_from=data.get("applies_from", 1))

    def perform_update_service(self, instance, version, data):
        data = {k: v for k, v in data.items() if k != "project"}
        return budget_versions.budget_version_update(version=instance, expected_version=version, data=data)

    def perform_delete_service(self, instance):
        budget_versions.budget_version_delete(version=instance)

    @extend_schema(request=None, responses=BudgetVersionSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        version = self.get_object()
        version = budget_versions.budget_version_approve(version=version, user=request.user)
        response = Response(self.get_serializer(version).data)
        self._set_etag(response, version)
        return response

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def compare(self, request, pk=None):
        version = self.get_object()
        other = request.query_params.get("with")
        if other in (None, ""):
            base = base_of(version)
        else:
            if not other.isdigit():
                raise exceptions.ValidationError({"with": ["The number of another version of this project."]})
            base = BudgetVersion.objects.filter(project_id=version.project_id, number=int(other)).first()
            if base is None:
                raise exceptions.ValidationError({"with": [f"This project has no budget version {other}."]})
        comparison = compare(version, base)
        return Response({
            "version": {"id": version.pk, "number": version.number},
            "with": {"id": base.pk, "number": base.number} if base else None,
            "basis": comparison.basis,
            "threshold": _money(comparison.threshold),
            "needs_programme_approval": comparison.needs_programme_approval,
            "lines": [{"partner": partner.pk, "partner_code": partner.code, "cost_category": category,
                       "before": _money(before), "after": _money(after), "change": _money(after - before)}
                      for partner, category, before, after in comparison.rows],
            "shifts": [{"partner": shift.partner.pk if shift.partner else None, "cost_category": shift.cost_category,
                        "currency": shift.currency, "before": _money(shift.before), "after": _money(shift.after),
                        "change": _money(shift.change),
                        "percent": None if shift.percent is None else _money(shift.percent),
                        "exceeds": shift.exceeds(comparison.threshold)}
                       for shift in comparison.shifts],
            "totals": {currency: {"before": _money(comparison.total_before.get(currency, 0)),
                                  "after": _money(amount)} for currency, amount in comparison.total_after.items()},
        })


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
    router.register("budget-versions", BudgetVersionViewSet, basename="budget-version")
    router.register("unit-costs", UnitCostViewSet, basename="unit-cost")
    router.register("lump-sums", LumpSumViewSet, basename="lump-sum")
    router.register("contracts", ContractViewSet, basename="contract")
