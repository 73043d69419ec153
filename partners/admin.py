"""Admin for organisations, partners, contacts, budgets, unit costs and lump sums.

Scoped by consortium.admin.ScopedAdminMixin. A partner's cost options and a lump sum follow the same
rules as in the API (partners.services): options fixed once the partner has submitted a report, a
lump sum's shares adding up to it, and a claimed lump sum fixed.
"""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from consortium.admin import ProjectAdmin, ScopedAdminMixin, ScopedModelAdmin, project_filter
from consortium.errors import DomainError
from partners import budget_versions, services
from partners.cost_options import lump_sum_share_violations
from partners.models import (
    BudgetLine,
    BudgetVersion,
    Contact,
    Contract,
    LumpSum,
    LumpSumShare,
    Organisation,
    Partner,
    UnitCost,
)


class BudgetLineInline(ScopedAdminMixin, admin.TabularInline):
    """A partner's lines in every budget version, to read: they change in a draft version (its own page)."""

    model = BudgetLine
    project_path = "partner__project"
    extra = 0
    fields = ("budget_version", "cost_category", "period", "amount")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _approved(obj) -> bool:
    version = obj if isinstance(obj, BudgetVersion) else getattr(obj, "budget_version", None)
    return version is not None and version.pk is not None and version.is_approved


class PartnerInline(ScopedAdminMixin, admin.TabularInline):
    model = Partner
    project_path = "project"
    extra = 0
    # The cost options are edited on the partner's own page, where their rules are checked together.
    fields = ("number", "organisation", "role", "cofinancing_rate", "funding_source")
    show_change_link = True


ProjectAdmin.app_inlines.append(PartnerInline)


@admin.register(Organisation)
class OrganisationAdmin(ScopedModelAdmin):
    # Organisations are shared between projects; the MU registers new ones before adding them as partners.
    mu_may_edit_shared = True
    list_display = ("short_name", "name", "country", "legal_status", "nuts_region", "vat_or_pic")
    ordering = ("short_name", "name")  # the list shows the short name first (and everywhere else too)
    list_filter = ("country", "legal_status")
    search_fields = ("name", "short_name", "vat_or_pic")
    readonly_fields = ("version", "updated_at")

    def has_delete_permission(self, request, obj=None):
        # An organisation may be a partner in a project this MU cannot see: only superusers delete.
        return request.user.is_superuser


@admin.register(Partner)
class PartnerAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    project_path = "project"
    list_display = ("code", "organisation", "project", "role", "cofinancing_rate", "funding_source",
                    "office_option", "office_flat_rate", "travel_option", "staff_option", "uses_other_costs_flat_rate")
    list_display_links = ("code", "organisation")
    list_filter = (project_filter(), "role", "funding_source", "organisation__country", "office_option",
                   "travel_option", "staff_option", "uses_other_costs_flat_rate")
    search_fields = ("organisation__name", "organisation__short_name", "project__acronym")
    list_select_related = ("organisation", "project")
    readonly_fields = ("version", "updated_at")
    inlines = [BudgetLineInline]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and services.partner_has_submitted_report(obj):
            return (*fields, *Partner.COST_OPTION_FIELDS, "reporting_currency")  # fixed once a report was submitted
        return fields

    @admin.display(description="code", ordering="number")
    def code(self, obj):
        return obj.code


@admin.register(Contact)
class ContactAdmin(ScopedModelAdmin):
    project_path = "project"
    list_display = ("name", "kind", "organisation", "project", "email", "phone", "user")
    list_filter = (project_filter(), "kind")
    search_fields = ("name", "email", "organisation__short_name", "organisation__name")
    list_select_related = ("organisation", "project", "user")
    readonly_fields = ("version", "updated_at")


@admin.register(BudgetLine)
class BudgetLineAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """Lines of a draft budget version change here (the model's clean() refuses an approved version's)."""

    project_path = "partner__project"
    list_display = ("partner", "project", "budget_version", "cost_category", "period", "amount")
    list_filter = (project_filter("partner__project"), "cost_category", ("period", admin.RelatedOnlyFieldListFilter),
                   "budget_version__status")
    search_fields = ("partner__organisation__short_name", "partner__organisation__name")
    list_select_related = ("partner__organisation", "partner__project", "period__project", "budget_version")
    readonly_fields = ("version", "updated_at")

    @admin.display(description="project", ordering="partner__project__acronym")
    def project(self, obj):
        return obj.partner.project

    def has_change_permission(self, request, obj=None):
        return not _approved(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _approved(obj) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        budget_versions.refresh_flexibility(obj.budget_version)

    def delete_model(self, request, obj):
        version = obj.budget_version
        super().delete_model(request, obj)
        budget_versions.refresh_flexibility(version)


@admin.register(BudgetVersion)
class BudgetVersionAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """Budget versions; an approved one is read-only. Approval goes through the service (the action below), which
    refuses a version over the programme's flexibility without the programme-approval mark."""

    project_path = "project"
    list_display = ("project", "number", "status", "applies_from", "decision_date", "needs_programme_approval",
                    "programme_approved")
    list_filter = (project_filter(), "status", "needs_programme_approval")
    list_select_related = ("project",)
    fields = ("project", "number", "reason", "decision_date", "applies_from", "status", "needs_programme_approval",
              "programme_approved", "created_by", "created_at", "approved_by", "approved_at", "version")
    readonly_fields = ("number", "status", "needs_programme_approval", "created_by", "created_at", "approved_by",
                       "approved_at", "version")
    actions = ["approve"]

    def has_add_permission(self, request):
        return False  # a new version copies the lines in force: the web page or the API starts it

    def has_change_permission(self, request, obj=None):
        return not _approved(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _approved(obj) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        budget_versions.refresh_flexibility(obj)

    @admin.action(description=_("Approve the selected draft versions"))
    def approve(self, request, queryset):
        for version in queryset:
            try:
                budget_versions.budget_version_approve(version=version, user=request.user)
            except DomainError as error:
                self.message_user(request, f"v{version.number}: {error.message}", level=messages.ERROR)
            else:
                self.message_user(request, f"v{version.number}: {_('approved')}")


@admin.register(Contract)
class ContractAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """The procurement registers; the file is uploaded through the API (checked like every upload)."""

    project_path = "partner__project"
    list_display = ("subject", "supplier", "partner", "value", "procedure", "contract_date")
    list_filter = ("procedure",)
    search_fields = ("subject", "supplier", "partner__organisation__short_name")
    list_select_related = ("partner__organisation", "partner__project")
    readonly_fields = ("version", "updated_at", "file", "file_name")


@admin.register(UnitCost)
class UnitCostAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    project_path = "project"
    list_display = ("name", "project", "unit", "price_per_unit", "cost_category")
    list_filter = (project_filter(), "cost_category")
    search_fields = ("name", "unit", "project__acronym")
    list_select_related = ("project",)
    readonly_fields = ("version", "updated_at")

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and obj.expenditures.exists():
            return (*fields, "project", "unit", "price_per_unit", "cost_category")  # report lines claim this price
        return fields


class LumpSumShareFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors) or self.instance.amount is None:
            return
        shares = {form.cleaned_data["partner"]: form.cleaned_data["amount"] for form in self.forms
                  if form.cleaned_data and not form.cleaned_data.get("DELETE")}
        violations = lump_sum_share_violations(self.instance.amount, shares)
        if violations:
            raise forms.ValidationError([violation.message for violation in violations])


class LumpSumShareInline(ScopedAdminMixin, admin.TabularInline):
    model = LumpSumShare
    formset = LumpSumShareFormSet
    project_path = "lump_sum__project"
    extra = 0
    fields = ("partner", "amount")


@admin.register(LumpSum)
class LumpSumAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """Lump sums with their partners' shares; read-only once a partner report has claimed one."""

    project_path = "project"
    list_display = ("name", "project", "period", "amount", "achieved_date")
    list_filter = (project_filter(), ("period", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "project__acronym")
    list_select_related = ("project", "period__project")
    readonly_fields = ("version", "updated_at")
    inlines = [LumpSumShareInline]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and services.lump_sum_is_claimed(obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and services.lump_sum_is_claimed(obj))
