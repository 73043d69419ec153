"""Query filters of the reporting API (django-filter).

Related objects filter by plain ids (IdFilter), never model choices: an id of a report the user may
not see then matches nothing, exactly like an id that does not exist (a model choice answered 400
for one and 200 for the other).
"""

import django_filters
from django.db.models import Q

from consortium.api.filters import IdFilter
from reporting.models import Attachment, ExchangeRate, Expenditure, LineControl, ProgressReport


class ProgressReportFilter(django_filters.FilterSet):
    # IdFilter: a whole number a 64-bit key can hold (a larger one overflowed the database: a 500).
    project = IdFilter(field_name="partner__project")
    partner = IdFilter()
    period = IdFilter()

    class Meta:
        model = ProgressReport
        fields = ["project", "partner", "period", "status"]


class ExpenditureFilter(django_filters.FilterSet):
    project = IdFilter(field_name="report__partner__project")
    report = IdFilter()
    work_package = IdFilter()

    class Meta:
        model = Expenditure
        fields = ["project", "report", "cost_category", "currency", "work_package"]


class ExchangeRateFilter(django_filters.FilterSet):
    month = django_filters.CharFilter(method="filter_month", help_text="YYYY-MM")

    class Meta:
        model = ExchangeRate
        fields = ["currency", "month"]

    def filter_month(self, queryset, name, value):
        year, _, month = value.partition("-")
        if not (year.isdigit() and month.isdigit()):
            return queryset.none()
        return queryset.filter(month__year=int(year), month__month=int(month))


class AttachmentFilter(django_filters.FilterSet):
    project = IdFilter(field_name="report__partner__project")
    report = IdFilter(field_name="report")
    expenditure = IdFilter(field_name="expenditure")

    class Meta:
        model = Attachment
        fields = ["project", "report", "expenditure", "kind"]


class LineControlFilter(django_filters.FilterSet):
    report = IdFilter(method="filter_report", help_text="The report whose lines and lump sums "
                                                                            "these are.")
    project = IdFilter(method="filter_project")
    expenditure = IdFilter()
    certified_in = IdFilter()

    class Meta:
        model = LineControl
        fields = ["report", "project", "expenditure", "certified_in", "parked", "sampled"]

    def filter_report(self, queryset, name, value):
        return queryset.filter(Q(expenditure__report=value) | Q(lump_sum_claim__report=value))

    def filter_project(self, queryset, name, value):
        return queryset.filter(Q(expenditure__report__partner__project=value)
                               | Q(lump_sum_claim__report__partner__project=value))
