"""Query-string filters of the work plan's resources.

Foreign keys filter by plain numbers, not model choices: an id from someone else's project then
gives an empty list, like an id that does not exist, instead of revealing that it exists.
"""

import django_filters

from consortium.api.filters import IdFilter
from workpackages.models import Activity, Deliverable, Effort, Indicator, Milestone, Risk, WorkPackage


class WorkPackageFilter(django_filters.FilterSet):
    project = IdFilter()
    lead_partner = IdFilter()

    class Meta:
        model = WorkPackage
        fields = ["project", "lead_partner"]


class ActivityFilter(django_filters.FilterSet):
    project = IdFilter(field_name="work_package__project")
    work_package = IdFilter()
    partner = IdFilter(field_name="partners", distinct=True)

    class Meta:
        model = Activity
        fields = ["project", "work_package", "partner"]


class DeliverableFilter(django_filters.FilterSet):
    project = IdFilter()
    work_package = IdFilter()
    lead_partner = IdFilter()
    status = django_filters.MultipleChoiceFilter(choices=Deliverable.Status.choices)
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="Past due and not submitted")
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte")
    due_after = django_filters.DateFilter(field_name="due_date", lookup_expr="gte")

    class Meta:
        model = Deliverable
        fields = ["project", "work_package", "status", "lead_partner", "type", "overdue", "due_before", "due_after"]

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue() if value else queryset.not_overdue()


class MilestoneFilter(django_filters.FilterSet):
    project = IdFilter()
    work_package = IdFilter()
    achieved = django_filters.BooleanFilter(field_name="achieved_date", lookup_expr="isnull", exclude=True)

    class Meta:
        model = Milestone
        fields = ["project", "work_package", "achieved"]


class IndicatorFilter(django_filters.FilterSet):
    project = IdFilter()

    class Meta:
        model = Indicator
        fields = ["project", "kind"]


class EffortFilter(django_filters.FilterSet):
    project = IdFilter(field_name="work_package__project")
    partner = IdFilter()
    work_package = IdFilter()

    class Meta:
        model = Effort
        fields = ["project", "partner", "work_package"]


class RiskFilter(django_filters.FilterSet):
    project = IdFilter()
    owner = IdFilter()

    class Meta:
        model = Risk
        fields = ["project", "owner", "status"]
