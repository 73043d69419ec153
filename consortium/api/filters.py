"""Query-string filters of the core resources (foreign keys as plain numbers: no existence probe)."""

import django_filters
from django import forms
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.settings import api_settings

from consortium.api.pagination import Pagination
from consortium.models import Membership, Programme, Project, ReportingPeriod
from consortium.permissions import MAX_ID


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, building no FilterSet for a request that sends no filter parameter.

    Such a FilterSet would return the queryset unchanged, but building it deep-copies its filters and makes
    a new form class and form: about a tenth of a small API read's time, spent on every list and detail.
    """

    # The query parameters that are not filters: the page, its size, the ordering and the format.
    NOT_FILTERS = frozenset({Pagination.page_query_param, Pagination.page_size_query_param,
                             api_settings.ORDERING_PARAM, api_settings.URL_FORMAT_OVERRIDE})

    def filter_queryset(self, request, queryset, view):
        if request.query_params.keys() <= self.NOT_FILTERS:
            return queryset
        return super().filter_queryset(request, queryset, view)


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
