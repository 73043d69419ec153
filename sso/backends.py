"""The authentication backend of the OpenID Connect callback (mozilla-django-oidc's, made stricter).

Listed in AUTHENTICATION_BACKENDS only when OIDC_ENABLED, after django-axes' backend and Django's
ModelBackend. Differences from the library's backend:
- the ID token must come from the configured issuer and name this client as its audience (the library
  checks the signature and the nonce only);
- who signs in is decided by sso.services.identity_sign_in: by a linked (issuer, subject), never by
  creating a user;
- every refusal raises SignInRefused, which the callback view turns into a message. Nothing is reported
  to django-axes as a failed password: a provider's answer is no guess at a password.
"""

from datetime import timedelta

import jwt
import requests
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from sso import provider
from sso.errors import SignInRefused
from sso.services import identity_sign_in

# Our clock and the provider's may differ a little; a token issued "in the future" by that much is fine.
CLOCK_SKEW = timedelta(seconds=60)


class ProviderBackend(OIDCAuthenticationBackend):
    def __init__(self):
        """Skips the parent's, which reads the provider's endpoints: Django builds a backend for every
        authenticate() and for every request of a user it signed in, and only a callback needs them."""

    def authenticate(self, request, *, nonce, code_verifier=None):
        # `nonce` is keyword-only and required: Django offers a backend only credentials its signature accepts,
        # so the password form and the API token endpoint never reach this backend.
        endpoints = provider.endpoints()
        self.OIDC_OP_TOKEN_ENDPOINT = endpoints.token
        self.OIDC_OP_USER_ENDPOINT = endpoints.userinfo
        self.OIDC_OP_JWKS_ENDPOINT = endpoints.jwks
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        try:
            return super().authenticate(request, nonce=nonce, code_verifier=code_verifier)
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise SignInRefused("unavailable", detail=str(exc)) from exc
        except (requests.RequestException, SuspiciousOperation, jwt.PyJWTError) as exc:
            raise SignInRefused("not_verified", detail=str(exc)) from exc

    def get_payload_data(self, token, key):
        # The parent checks the signature alone. OpenID Connect Core 3.1.3.7 also asks for the issuer, the
        # audience and the expiry; an unsigned token is never accepted.
        return jwt.decode(
            token, key, algorithms=[self.OIDC_RP_SIGN_ALGO], audience=self.OIDC_RP_CLIENT_ID,
            issuer=settings.OIDC_ISSUER, leeway=CLOCK_SKEW,
            options={"require": ["iss", "aud", "sub", "exp", "iat"]},
        )

    def get_or_create_user(self, access_token, id_token, payload):
        userinfo = self.get_userinfo(access_token, id_token, payload)
        # OpenID Connect Core 5.3.2: userinfo about another subject than the ID token's must not be used.
        if userinfo.get("sub") != payload["sub"]:
            raise SignInRefused("not_verified", detail="the userinfo is about another subject than the ID token")
        claims = {**payload, **userinfo}
        return identity_sign_in(
            issuer=payload["iss"], subject=payload["sub"], email=claims.get("email") or "",
            email_verified=claims.get("email_verified") is True,
        )

    def get_user(self, user_id):
        # The parent's would keep a deactivated user signed in; Django's checks is_active on every request.
        return ModelBackend.get_user(self, user_id)
