"""Identities in the admin, for superusers only: a superuser's own identity is linked here, by hand."""

from django.conf import settings
from django.contrib import admin

from consortium.admin import ScopedModelAdmin
from sso.models import OIDCIdentity


@admin.register(OIDCIdentity)
class OIDCIdentityAdmin(ScopedModelAdmin):
    superuser_only = True
    list_display = ("user", "issuer", "subject", "created_at")
    list_filter = ("issuer",)
    search_fields = ("user__username", "user__email", "subject")
    autocomplete_fields = ("user",)
    readonly_fields = ("created_at",)

    def get_changeform_initial_data(self, request):
        return {"issuer": settings.OIDC_ISSUER, **super().get_changeform_initial_data(request)}
