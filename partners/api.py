"""API resources of this app (see consortium/api/base.py for what they share)."""

from django.db.models import Q
from rest_framework import exceptions, status
from rest_framework.response import Response

from consortium import permissions as perms
from consortium.api.base import ProjectScopedViewSet
from partners import services
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
    create_service = staticmethod(services.organisation_create)
    update_service = staticmethod(services.organisation_update)

    def get_queryset(self):
        user = self.request.user
        if user.is_superuser:
            return Organisation.objects.all()
        visible = Q(pk__in=Partner.objects.filter(project__in=perms.project_ids(user)).values("organisation"))
        if perms.has_right_anywhere(user, perms.Right.EDIT_PLAN):
            # What an MU has just created must be findable before it joins a project.
            visible |= ~Q(pk__in=Partner.objects.values("organisation"))
        return Organisation.objects.filter(visible)

    def list(self, request, *args, **kwargs):
        return super(ProjectScopedViewSet, self).list(request, *args, **kwargs)

    def check_object_permissions(self, request, obj):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return
        project_ids = set(obj.partnerships.values_list("project_id", flat=True))
        if not project_ids and perms.has_right_anywhere(request.user, perms.Right.EDIT_PLAN):
            return
        if not project_ids or not all(perms.has_right(request.user, perms.Right.EDIT_PLAN, p) for p in project_ids):
            raise exceptions.PermissionDenied(
                "Only the management unit of every project this organisation partners in may change it."
            )

    def create(self, request, *args, **kwargs):
        if not perms.has_right_anywhere(request.user, perms.Right.EDIT_PLAN):
            raise exceptions.PermissionDenied("Only the management unit creates organisations.")
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
    create_service = staticmethod(services.partner_create)
    update_service = staticmethod(services.partner_update)


class ContactViewSet(ProjectScopedViewSet):
    queryset = Contact.objects.all()
    serializer_class = ContactSerializer
    filterset_class = ContactFilter
    ordering_fields = ["name", "kind", "email"]
    create_service = staticmethod(services.contact_create)
    update_service = staticmethod(services.contact_update)


class BudgetLineViewSet(ProjectScopedViewSet):
    """Budgets: not for viewers (403), as they never see money."""

    queryset = BudgetLine.objects.select_related("partner")
    serializer_class = BudgetLineSerializer
    filterset_class = BudgetLineFilter
    ordering_fields = ["partner__number", "cost_category", "period__number", "amount"]
    project_field = "partner__project"
    read_right = perms.Right.READ_MONEY
    create_service = staticmethod(services.budget_line_create)
    update_service = staticmethod(services.budget_line_update)


def register(router) -> None:
    """Add this app's viewsets to the API router."""
    router.register("organisations", OrganisationViewSet, basename="organisation")
    router.register("partners", PartnerViewSet, basename="partner")
    router.register("contacts", ContactViewSet, basename="contact")
    router.register("budget-lines", BudgetLineViewSet, basename="budget-line")
