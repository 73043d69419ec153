"""Admin for organisations, partners, contacts and budgets (scoped by consortium.admin.ScopedAdminMixin)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from consortium.admin import ProjectAdmin, ScopedAdminMixin, ScopedModelAdmin, project_filter
from partners.models import BudgetLine, Contact, Organisation, Partner


class BudgetLineInline(ScopedAdminMixin, admin.TabularInline):
    model = BudgetLine
    project_path = "partner__project"
    extra = 0
    fields = ("cost_category", "period", "amount")


class PartnerInline(ScopedAdminMixin, admin.TabularInline):
    model = Partner
    project_path = "project"
    extra = 0
    fields = ("number", "organisation", "role", "cofinancing_rate", "funding_source", "uses_office_flat_rate")
    show_change_link = True


ProjectAdmin.app_inlines.append(PartnerInline)


@admin.register(Organisation)
class OrganisationAdmin(ScopedModelAdmin):
    # Organisations are shared between projects; the MU registers new ones before adding them as partners.
    mu_may_edit_shared = True
    list_display = ("short_name", "name", "country", "legal_status", "nuts_region", "vat_or_pic")
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
                    "uses_office_flat_rate", "office_flat_rate")
    list_display_links = ("code", "organisation")
    list_filter = (project_filter(), "role", "funding_source", "organisation__country")
    search_fields = ("organisation__name", "organisation__short_name", "project__acronym")
    list_select_related = ("organisation", "project")
    readonly_fields = ("version", "updated_at")
    inlines = [BudgetLineInline]

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
    project_path = "partner__project"
    list_display = ("partner", "project", "cost_category", "period", "amount")
    list_filter = (project_filter("partner__project"), "cost_category", ("period", admin.RelatedOnlyFieldListFilter))
    search_fields = ("partner__organisation__short_name", "partner__organisation__name")
    list_select_related = ("partner__organisation", "partner__project", "period__project")
    readonly_fields = ("version", "updated_at")

    @admin.display(description="project", ordering="partner__project__acronym")
    def project(self, obj):
        return obj.partner.project
