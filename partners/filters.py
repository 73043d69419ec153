"""Query-string filters of the partners app's resources.

Foreign keys filter by plain numbers, not model choices: an id from someone else's project then
gives an empty list, like an id that does not exist, instead of revealing that it exists.
"""

import django_filters

from consortium import permissions as perms
from consortium.api.filters import IdFilter
from partners.models import BudgetLine, BudgetVersion, Contact, Contract, LumpSum, Organisation, Partner, UnitCost


class OrganisationFilter(django_filters.FilterSet):
    # An MU lists every organisation: the filter must not tell which ones partner in a project it is not in.
    project = IdFilter(field_name="partnerships__project", method="filter_project")

    class Meta:
        model = Organisation
        fields = ["project", "country", "legal_status"]

    def filter_project(self, queryset, name, value):
        user = self.request.user
        if not user.is_superuser and value not in perms.memberships(user):
            return queryset.none()
        return queryset.filter(partnerships__project=value).distinct()


class PartnerFilter(django_filters.FilterSet):
    project = IdFilter()
    organisation = IdFilter()
    country = django_filters.CharFilter(field_name="organisation__country")

    class Meta:
        model = Partner
        fields = ["project", "organisation", "role", "country", "funding_source"]


class ContactFilter(django_filters.FilterSet):
    project = IdFilter()
    organisation = IdFilter()

    class Meta:
        model = Contact
        fields = ["project", "organisation", "kind"]


class BudgetLineFilter(django_filters.FilterSet):
    project = IdFilter(field_name="partner__project")
    partner = IdFilter()
    period = IdFilter()
    budget_version = IdFilter()

    class Meta:
        model = BudgetLine
        fields = ["project", "partner", "cost_category", "period", "budget_version"]


class BudgetVersionFilter(django_filters.FilterSet):
    project = IdFilter()

    class Meta:
        model = BudgetVersion
        fields = ["project", "status"]


class UnitCostFilter(django_filters.FilterSet):
    project = IdFilter()

    class Meta:
        model = UnitCost
        fields = ["project", "cost_category"]


class LumpSumFilter(django_filters.FilterSet):
    project = IdFilter()
    period = IdFilter()
    partner = IdFilter(field_name="shares__partner", distinct=True)
    achieved = django_filters.BooleanFilter(field_name="achieved_date", lookup_expr="isnull", exclude=True)

    class Meta:
        model = LumpSum
        fields = ["project", "period", "partner", "achieved"]


class ContractFilter(django_filters.FilterSet):
    project = IdFilter(field_name="partner__project")
    partner = IdFilter()

    class Meta:
        model = Contract
        fields = ["project", "partner", "procedure"]
