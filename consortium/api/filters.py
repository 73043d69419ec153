"""Query-string filters of the core resources (foreign keys as plain numbers: no existence probe)."""

import django_filters
from django import forms

from consortium.models import Membership, Programme, Project, ReportingPeriod
from consortium.permissions import MAX_ID


class IdField(forms.IntegerField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class IdFilter(django_filters.NumberFilter):
    """Filter by the id of a related object: a whole number in the database's range, else 400."""

    field_class = IdField



class ProgrammeFilter(django_filters.FilterSet):
    class Meta:
        model = Programme
        fields = ["start_year", "end_year"]


class ProjectFilter(django_filters.FilterSet):
    programme = IdFilter()

    class Meta:
        model = Project
        fields = ["programme", "status"]


class ReportingPeriodFilter(django_filters.FilterSet):
    project = IdFilter()

    class Meta:
        model = ReportingPeriod
        fields = ["project", "number"]


class MembershipFilter(django_filters.FilterSet):
    project = IdFilter()
    user = IdFilter()
    partner = IdFilter()

    class Meta:
        model = Membership
        fields = ["project", "role", "user", "partner"]
