"""Which account at the OpenID Connect provider signs in as which user (docs/SSO.md)."""

from django.conf import settings
from django.db import models


class OIDCIdentity(models.Model):
    """An identity at the provider, named as the provider names it (issuer and subject), linked to a user.

    Sign-ins match on (issuer, subject), never again on the e-mail address that made the link.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="oidc_identities")
    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "OIDC identity"
        verbose_name_plural = "OIDC identities"
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="oidc_identity_subject_unique_per_issuer"),
            # A second identity at the same provider for one user is how a reassigned e-mail address would
            # take over an account; a superuser can still replace the link by hand.
            models.UniqueConstraint(fields=["user", "issuer"], name="oidc_identity_one_per_user_and_issuer"),
        ]

    def __str__(self):
        return f"{self.user} at {self.issuer}"
