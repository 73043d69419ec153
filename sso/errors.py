"""Why a sign-in through the provider did not sign anyone in: a message for the person, a reason for the log."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "unavailable": _("%(provider)s could not be reached. Try again later, or sign in with your password."),
    "not_verified": _("The sign-in with %(provider)s could not be verified. Try again, or sign in with your password."),
    "not_completed": _("The sign-in with %(provider)s was not completed."),
    "email_unverified": _("%(provider)s has not confirmed your e-mail address, so it cannot be linked to an "
                          "account here. Sign in with your password, or ask your project's management unit."),
    "no_account": _("No account here belongs to %(email)s. Ask your project's management unit to invite you "
                    "with the address you use at %(provider)s."),
    "ambiguous": _("More than one account here uses %(email)s, so none is linked automatically. "
                   "Ask an administrator."),
    "superuser": _("Administrator accounts are linked to %(provider)s only by hand, in the admin. "
                   "Sign in with your password."),
    "other_identity": _("Your account here is already linked to another %(provider)s identity. Ask an administrator."),
    "inactive": _("Your account here is not active. Ask your project's management unit."),
}


class SignInRefused(Exception):
    """The provider's answer signs no one in. `reason` keys MESSAGES; `detail` is for the log only."""

    def __init__(self, reason: str, *, detail: str = "", email: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
        self.email = email

    @property
    def message(self) -> str:
        return MESSAGES[self.reason] % {"provider": settings.OIDC_PROVIDER_NAME, "email": self.email}
