"""Admin for claims, programme payments and partner transfers: a window on them, scoped to the MU's projects.

Claims move through their workflow (create, gather, submit, verify, finalise, return) and payments are recorded
in the app and the API, through claims.services, which check the claim's state, the fund and the currency; so
nothing is added or changed here. A draft claim that was never submitted, a payment and a transfer can be
deleted, through the same services; submitted and finalised claims are read-only, as everywhere.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from claims import services
from claims.models import Claim, ClaimAcceptance, ClaimReport, PartnerTransfer, ProgrammePayment
from consortium.admin import ScopedAdminMixin, project_filter

CLAIM_FIELDS = ("project", "period", "number", "status", "created_at", "created_by", "submitted_at", "submitted_by",
                "verification_started_at", "finalised_at", "finalised_by", "return_comment", "version",
                "updated_at")


class ReadOnlyMixin(ScopedAdminMixin):
    """Shown, never added or edited here (claims.services is the writer)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ClaimPartInline(ReadOnlyMixin, admin.TabularInline):
    project_path = "claim__project"
    extra = 0

    def has_delete_permission(self, request, obj=None):
        return False


class ClaimReportInline(ClaimPartInline):
    model = ClaimReport
    fields = ("report",)
    readonly_fields = fields


class ClaimAcceptanceInline(ClaimPartInline):
    model = ClaimAcceptance
    fields = ("partner", "eligible", "reason")
    readonly_fields = fields


class ProgrammePaymentInline(ClaimPartInline):
    model = ProgrammePayment
    fields = ("fund", "partner", "date", "amount", "currency", "reference")
    readonly_fields = fields
    show_change_link = True


class PartnerTransferInline(ClaimPartInline):
    model = PartnerTransfer
    fields = ("partner", "date", "amount", "reference")
    readonly_fields = fields
    show_change_link = True


@admin.register(Claim)
class ClaimAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    project_path = "project"
    list_display = ("__str__", "project", "period", "number", "status", "submitted_at", "finalised_at")
    list_filter = (project_filter(), "status")
    search_fields = ("project__acronym",)
    list_select_related = ("project", "period")
    fields = CLAIM_FIELDS
    readonly_fields = CLAIM_FIELDS
    inlines = [ClaimReportInline, ClaimAcceptanceInline, ProgrammePaymentInline, PartnerTransferInline]

    def has_delete_permission(self, request, obj=None):
        may = super().has_delete_permission(request, obj)
        return may and (obj is None or (obj.status == Claim.Status.DRAFT and obj.submitted_at is None))

    def delete_object(self, request, obj) -> None:
        services.claim_delete(claim=obj, user=request.user)


class MoneyAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    project_path = "claim__project"
    list_filter = (project_filter("claim__project"),)
    search_fields = ("claim__project__acronym", "reference", "partner__organisation__short_name")
    list_select_related = ("claim__project", "claim__period", "partner__organisation")
    readonly_fields = ("version", "created_at", "updated_at")


@admin.register(ProgrammePayment)
class ProgrammePaymentAdmin(MoneyAdmin):
    list_display = ("__str__", "claim", "fund", "partner", "date", "amount", "currency", "reference")
    list_filter = (*MoneyAdmin.list_filter, "fund")

    def delete_object(self, request, obj) -> None:
        services.payment_delete(payment=obj, user=request.user)


@admin.register(PartnerTransfer)
class PartnerTransferAdmin(MoneyAdmin):
    list_display = ("__str__", "claim", "partner", "date", "amount", "reference")

    def delete_object(self, request, obj) -> None:
        services.transfer_delete(transfer=obj, user=request.user)
