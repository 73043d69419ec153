"""Who an identity at the OpenID Connect provider signs in as (the rules are in docs/SSO.md)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from sso.errors import SignInRefused
from sso.models import OIDCIdentity


@transaction.atomic
def identity_sign_in(*, issuer: str, subject: str, email: str, email_verified: bool):
    """The user that `subject` at `issuer` signs in as, linking the identity to a user on its first sign-in.

    A linked identity signs in as its user, whatever e-mail address the provider now reports. An unlinked
    one is linked only if it comes from the configured issuer, the provider asserts that its e-mail address
    is verified, and that address belongs to exactly one active user who is no superuser and has no other
    identity at this issuer. No user is ever created. Anything else raises SignInRefused.
    """
    if issuer != settings.OIDC_ISSUER:
        raise SignInRefused("not_verified", detail=f"issuer {issuer!r} is not the configured one")
    identity = OIDCIdentity.objects.select_related("user").filter(issuer=issuer, subject=subject).first()
    if identity is not None:
        if not identity.user.is_active:
            raise SignInRefused("inactive", detail=f"subject {subject!r} is linked to inactive user {identity.user}")
        return identity.user

    email = email.strip()
    if not email_verified:
        raise SignInRefused("email_unverified", detail=f"subject {subject!r}: e-mail not verified")
    User = get_user_model()
    matches = list(User.objects.filter(email__iexact=email, is_active=True)[:2]) if email else []
    if not matches:
        raise SignInRefused("no_account", detail=f"subject {subject!r}: no active user has the e-mail", email=email)
    if len(matches) > 1:
        raise SignInRefused("ambiguous", detail=f"subject {subject!r}: several users have the e-mail", email=email)
    user = matches[0]
    if user.is_superuser:
        raise SignInRefused("superuser", detail=f"subject {subject!r}: {user} is a superuser, never linked by e-mail")
    if OIDCIdentity.objects.filter(user=user, issuer=issuer).exists():
        raise SignInRefused("other_identity", detail=f"subject {subject!r}: {user} is linked to another subject")
    identity = OIDCIdentity(user=user, issuer=issuer, subject=subject)
    identity.full_clean()
    identity.save()
    return user
