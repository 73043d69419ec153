"""Sign-in through the OpenID Connect provider: send the person there, and take them back.

Both views answer 404 while OIDC_ENABLED is off, so the URLs can always be routed (and tests can switch
OIDC on and off with settings alone). Sign-out is Django's own: it ends the local session only, and
tells the provider nothing.
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect
from django.views import View
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from sso import provider
from sso.errors import SignInRefused

logger = logging.getLogger(__name__)


def refuse(request, refusal: SignInRefused):
    """Back to the sign-in page, saying why."""
    logger.warning("OIDC sign-in refused (%s): %s", refusal.reason, refusal.detail)
    messages.error(request, refusal.message)
    return redirect(settings.LOGIN_URL)


class AuthenticateView(OIDCAuthenticationRequestView):
    """GET /accounts/oidc/authenticate/?next=…: off to the provider, with state, nonce and PKCE challenge."""

    def __init__(self, **kwargs):
        # The parent reads the provider's endpoint here, before dispatch() could answer 404 without OIDC.
        View.__init__(self, **kwargs)

    def dispatch(self, request, *args, **kwargs):
        if not settings.OIDC_ENABLED:
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider.endpoints().authorization
        except SignInRefused as refusal:
            return refuse(request, refusal)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().dispatch(request, *args, **kwargs)


class CallbackView(OIDCAuthenticationCallbackView):
    """GET /accounts/oidc/callback/?code=…&state=…: the provider's answer; sso.backends decides who signs in."""

    def dispatch(self, request, *args, **kwargs):
        if not settings.OIDC_ENABLED:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        try:
            return super().get(request)
        except SignInRefused as refusal:
            return refuse(request, refusal)
        except SuspiciousOperation as exc:
            # A state this session never sent: an old tab, an expired session, or a forged callback.
            return refuse(request, SignInRefused("not_verified", detail=str(exc)))

    def login_failure(self):
        # The provider answered with an error (the person cancelled, or it refused this client).
        return refuse(self.request, SignInRefused("not_completed", detail=self.request.GET.get("error", "")))
