"""Admin for progress reports, project reports, expenditure and exchange rates.

Scoped by consortium.admin.ScopedAdminMixin. The report workflow (submit, approve, return) and
the exchange rates frozen at submission belong to reporting's services, so they are read-only here.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from consortium.admin import ScopedAdminMixin, ScopedModelAdmin, project_filter
from reporting.models import (
    DeliverableContribution,
    EffortReported,
    ExchangeRate,
    Expenditure,
    IndicatorProgress,
    ProgressReport,
    ProjectReport,
    ReminderSent,
    WorkPackageProgress,
)

WORKFLOW_FIELDS = ("status", "created_at", "created_by", "submitted_at", "submitted_by", "reviewed_at",
                   "reviewed_by", "version", "updated_at")
FROZEN_FIELDS = ("exchange_rate", "rate_month", "amount_eur", "version", "updated_at", "created_at")


@admin.register(ExchangeRate)
class ExchangeRateAdmin(ScopedModelAdmin):
    # Shared reference data: MU staff read it, superusers maintain it.
    list_display = ("currency", "month", "rate")
    list_filter = ("currency",)
    search_fields = ("currency",)
    date_hierarchy = "month"
    readonly_fields = ("version", "updated_at")


class WorkPackageProgressInline(ScopedAdminMixin, admin.StackedInline):
    model = WorkPackageProgress
    extra = 0


class DeliverableContributionInline(ScopedAdminMixin, admin.TabularInline):
    model = DeliverableContribution
    extra = 0


class IndicatorProgressInline(ScopedAdminMixin, admin.TabularInline):
    model = IndicatorProgress
    extra = 0


class EffortReportedInline(ScopedAdminMixin, admin.TabularInline):
    model = EffortReported
    extra = 0


class ExpenditureInline(ScopedAdminMixin, admin.TabularInline):
    model = Expenditure
    extra = 0
    fields = ("cost_category", "work_package", "description", "supplier", "invoice_date", "amount", "currency",
              "exchange_rate", "amount_eur")
    readonly_fields = ("exchange_rate", "amount_eur")
    show_change_link = True


@admin.register(ProgressReport)
class ProgressReportAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("__str__", "project", "partner", "period", "status", "submitted_at", "reviewed_at")
    list_filter = (project_filter("partner__project"), "status", "period__number")
    search_fields = ("partner__organisation__short_name", "partner__organisation__name", "summary")
    list_select_related = ("partner__organisation", "partner__project", "period__project")
    readonly_fields = WORKFLOW_FIELDS
    inlines = [WorkPackageProgressInline, DeliverableContributionInline, IndicatorProgressInline,
               EffortReportedInline, ExpenditureInline]

    @admin.display(description="project", ordering="partner__project__acronym")
    def project(self, obj):
        return obj.partner.project


@admin.register(ProjectReport)
class ProjectReportAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("__str__", "project", "period", "updated_at")
    list_filter = (project_filter(),)
    search_fields = ("project__acronym", "highlights")
    list_select_related = ("project", "period")
    readonly_fields = ("version", "updated_at")


@admin.register(Expenditure)
class ExpenditureAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("description", "report", "cost_category", "work_package", "invoice_date", "amount", "currency",
                    "exchange_rate", "amount_eur")
    list_filter = (project_filter("report__partner__project"), "cost_category", "currency")
    search_fields = ("description", "supplier", "invoice_number", "employee",
                     "report__partner__organisation__short_name")
    list_select_related = ("report__partner__organisation", "report__period", "work_package")
    readonly_fields = FROZEN_FIELDS


@admin.register(ReminderSent)
class ReminderSentAdmin(ScopedModelAdmin):
    superuser_only = True
    list_display = ("key", "email", "sent_on")
    search_fields = ("key", "email")
    date_hierarchy = "sent_on"
