"""Query filters of the reporting API (django-filter)."""

import django_filters

from reporting.models import ExchangeRate, Expenditure, ProgressReport


class ProgressReportFilter(django_filters.FilterSet):
    project = django_filters.NumberFilter(field_name="partner__project")

    class Meta:
        model = ProgressReport
        fields = ["project", "partner", "period", "status"]


class ExpenditureFilter(django_filters.FilterSet):
    project = django_filters.NumberFilter(field_name="report__partner__project")

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
