"""Admin for progress reports, project reports, expenditure and exchange rates.

Scoped by consortium.admin.ScopedAdminMixin. The report workflow (submit, approve, return, first-level control)
and the exchange rates frozen at submission belong to reporting's services, so they are read-only here; so are
the controllers' line controls, kept here as their history.
"""

from django.contrib import admin
from django.db.models import Q
from simple_history.admin import SimpleHistoryAdmin

from consortium.admin import ScopedAdminMixin, ScopedModelAdmin, project_filter
from consortium.permissions import Right, project_ids
from reporting import access, services
from reporting.models import (
    Attachment,
    CertificateFigures,
    DeliverableContribution,
    EffortReported,
    ExchangeRate,
    Expenditure,
    IndicatorProgress,
    LineControl,
    LumpSumClaim,
    ProgressReport,
    ProjectReport,
    ReminderSent,
    WorkPackageProgress,
)

WORKFLOW_FIELDS = ("status", "created_at", "created_by", "submitted_at", "submitted_by", "reviewed_at",
                   "reviewed_by", "control_started_at", "control_started_by", "control_comment", "certified_at",
                   "certified_by", "version", "updated_at")
FROZEN_FIELDS = ("exchange_rate", "rate_month", "amount_eur", "version", "updated_at", "created_at")


@admin.register(ExchangeRate)
class ExchangeRateAdmin(ScopedModelAdmin):
    # Shared reference data: MU staff read it; a site administrator (reporting.access) maintains it.
    list_display = ("currency", "month", "rate")
    list_filter = ("currency",)
    search_fields = ("currency",)
    date_hierarchy = "month"
    readonly_fields = ("version", "updated_at")

    def _may_use(self, request) -> bool:
        return super()._may_use(request) or (request.user.is_staff and access.may_set_exchange_rates(request.user))

    def _may_edit(self, request, obj) -> bool:
        return access.may_set_exchange_rates(request.user)


class ReportPartInline(ScopedAdminMixin):
    """A part of a report, shown in the admin; it changes only through the app and the API (report_update)."""

    project_path = "report__partner__project"
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class WorkPackageProgressInline(ReportPartInline, admin.StackedInline):
    model = WorkPackageProgress


class DeliverableContributionInline(ReportPartInline, admin.TabularInline):
    model = DeliverableContribution


class IndicatorProgressInline(ReportPartInline, admin.TabularInline):
    model = IndicatorProgress


class EffortReportedInline(ReportPartInline, admin.TabularInline):
    model = EffortReported


class LumpSumClaimInline(ReportPartInline, admin.TabularInline):
    """The lump-sum shares the report claimed at its submission (frozen, like its exchange rates)."""

    model = LumpSumClaim
    fields = ("share", "amount", "claimed_at")
    readonly_fields = fields


class AttachmentInline(ReportPartInline, admin.TabularInline):
    """The report's evidence files, listed; they are added through the app and the API (attachment_add), which
    check the file and lock the report."""

    model = Attachment
    fields = ("kind", "expenditure", "file_name", "uploaded_by", "uploaded_at")
    readonly_fields = fields


class CertificateFiguresInline(ReportPartInline, admin.StackedInline):
    """The certificate's stored totals (computed by the app at certification, never entered)."""

    model = CertificateFigures
    fields = ("currency", "declared", "verified", "deducted", "cofinancing", "other_costs_flat_rate", "lump_sums",
              "verified_eur", "categories")
    readonly_fields = fields


class ExpenditureInline(ReportPartInline, admin.TabularInline):
    model = Expenditure
    fields = ("cost_category", "work_package", "description", "supplier", "invoice_date", "amount", "currency",
              "exchange_rate", "amount_eur")
    show_change_link = True


@admin.register(ProgressReport)
class ProgressReportAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """Reports are started and moved along their workflow in the app; here a draft's text can be corrected.

    Submitted, approved, in-control and certified reports are read-only, as everywhere
    (reporting.services.require_editable); a certified one for ever.
    """

    project_path = "partner__project"
    list_display = ("__str__", "project", "partner", "period", "status", "submitted_at", "reviewed_at")
    list_filter = (project_filter("partner__project"), "status", "period__number")
    search_fields = ("partner__organisation__short_name", "partner__organisation__name", "summary")
    list_select_related = ("partner__organisation", "partner__project", "period__project")
    fields = ("partner", "period", "summary", "problems", "review_comment", *WORKFLOW_FIELDS)
    readonly_fields = ("partner", "period", "review_comment", *WORKFLOW_FIELDS)
    inlines = [WorkPackageProgressInline, DeliverableContributionInline, IndicatorProgressInline,
               EffortReportedInline, ExpenditureInline, LumpSumClaimInline, AttachmentInline, CertificateFiguresInline]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.is_editable)

    def has_delete_permission(self, request, obj=None):
        may = super().has_delete_permission(request, obj)
        return may and (obj is None or (obj.status == ProgressReport.Status.DRAFT and obj.submitted_at is None))

    def save_model(self, request, obj, form, change):
        services.report_update(report=obj, expected_version=ProgressReport.objects.get(pk=obj.pk).version,
                               data={name: form.cleaned_data[name] for name in ("summary", "problems")},
                               user=request.user)

    def delete_object(self, request, obj) -> None:
        services.report_delete(report=obj, user=request.user)

    @admin.display(description="project", ordering="partner__project__acronym")
    def project(self, obj):
        return obj.partner.project


@admin.register(ProjectReport)
class ProjectReportAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    project_path = "project"
    list_display = ("__str__", "project", "period", "updated_at")
    list_filter = (project_filter(),)
    search_fields = ("project__acronym", "highlights")
    list_select_related = ("project", "period")
    readonly_fields = ("version", "updated_at")


@admin.register(Expenditure)
class ExpenditureAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """A line changes only while its report is editable, through the same services as in the app."""

    project_path = "report__partner__project"
    list_display = ("description", "report", "cost_category", "work_package", "invoice_date", "amount", "currency",
                    "exchange_rate", "amount_eur")
    list_filter = (project_filter("report__partner__project"), "cost_category", "currency")
    search_fields = ("description", "supplier", "invoice_number", "employee",
                     "report__partner__organisation__short_name")
    list_select_related = ("report__partner__organisation", "report__period", "work_package")
    readonly_fields = ("report", *FROZEN_FIELDS)

    def has_add_permission(self, request, obj=None):
        return False  # lines are added to a report in the app, the API or an import

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.report.is_editable)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.report.is_editable)

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in services.LINE_FIELDS if name in form.cleaned_data}
        stored = Expenditure.objects.get(pk=obj.pk)
        line = services.expenditure_update(expenditure=stored, expected_version=stored.version, data=data,
                                           user=request.user)
        uploaded = form.cleaned_data.get("attachment")
        if "attachment" in form.changed_data and uploaded:
            services.expenditure_attach_invoice(expenditure=line, uploaded=uploaded, user=request.user)

    def delete_object(self, request, obj) -> None:
        services.expenditure_delete(expenditure=obj, user=request.user)


@admin.register(LineControl)
class LineControlAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """The controllers' verification of each line, and its history: read here, written only by the partner's
    controller in the app or the API (reporting.services.line_control_update), never in the admin."""

    project_path = "expenditure__report__partner__project"
    list_display = ("__str__", "verified_amount", "deduction_type", "parked", "sampled", "certified_in",
                    "controlled_by", "controlled_at")
    list_filter = (project_filter("expenditure__report__partner__project"), "deduction_type", "parked", "sampled")
    search_fields = ("expenditure__description", "comment")
    list_select_related = ("expenditure", "lump_sum_claim", "certified_in__partner__organisation",
                           "certified_in__period", "controlled_by")
    readonly_fields = ("expenditure", "lump_sum_claim", "verified_amount", "deduction_type", "comment", "sampled",
                       "parked", "certified_in", "controlled_at", "controlled_by", "version", "updated_at")

    # A lump sum's control has no expenditure: it is found through its claim's report.
    def get_queryset(self, request):
        queryset = LineControl.objects.select_related(*self.list_select_related)
        if request.user.is_superuser:
            return queryset
        if not self._may_use(request):
            return queryset.none()
        projects = project_ids(request.user, Right.EDIT_PLAN)
        return queryset.filter(Q(expenditure__report__partner__project__in=projects)
                               | Q(lump_sum_claim__report__partner__project__in=projects))

    def _in_scope(self, request, obj) -> bool:
        if obj is None or request.user.is_superuser or not isinstance(obj, LineControl):
            return True
        return obj.line.report.partner.project_id in project_ids(request.user, Right.EDIT_PLAN)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReminderSent)
class ReminderSentAdmin(ScopedModelAdmin):
    superuser_only = True
    list_display = ("key", "email", "sent_on")
    search_fields = ("key", "email")
    date_hierarchy = "sent_on"
