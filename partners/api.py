"""API resources of this app (see consortium/api/base.py for what they share)."""

from rest_framework import status
from rest_framework.response import Response

from consortium import permissions as perms
from consortium.api.base import ProjectScopedViewSet
from partners import access
from partners.filters import BudgetLineFilter, ContactFilter, OrganisationFilter, PartnerFilter
from partners.models import BudgetLine, Contact, Organisation, Partner
from partners.serializers import BudgetLineSerializer, ContactSerializer, OrganisationSerializer, PartnerSerializer


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
    """A project's partners; co-financing and flat-rate fields only for roles that read money."""

    queryset = Partner.objects.select_related("organisation")
    serializer_class = PartnerSerializer
    filterset_class = PartnerFilter
    ordering_fields = ["number", "role", "organisation__name", "organisation__country"]


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


def register(router) -> None:
    """Add this app's viewsets to the API router."""
    router.register("organisations", OrganisationViewSet, basename="organisation")
    router.register("partners", PartnerViewSet, basename="partner")
    router.register("contacts", ContactViewSet, basename="contact")
    router.register("budget-lines", BudgetLineViewSet, basename="budget-line")
