"""The password-reset request: a mail in the account holder's language, linking to SITE_URL, sent at most
PASSWORD_RESET_LIMIT times an hour per address and per account.

Like Django's own form it answers the same whatever was typed (no account enumeration); past a limit
it just sends nothing. A client address may ask PASSWORD_RESET_LIMIT_PER_CLIENT times an hour, for any
addresses, before its requests are ignored too.
"""

import logging
from datetime import timedelta

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from consortium.models import PasswordResetRequest
from consortium.profiles import language_of

logger = logging.getLogger(__name__)
WINDOW = timedelta(hours=1)


def _client_address(request) -> str | None:
    return get_client_ip_address(request) if request is not None else None


@transaction.atomic
def password_reset_allowed(*, email: str, users: list, address: str | None) -> bool:
    """Record this request and say whether a mail may go out for it (within the hourly limits)."""
    now = timezone.now()
    PasswordResetRequest.objects.filter(created_at__lt=now - WINDOW).delete()
    recent = PasswordResetRequest.objects.filter(created_at__gte=now - WINDOW)
    # A request is a row per account it matched (one with no user if none), all with its timestamp.
    requests = recent.values("created_at").distinct()
    allowed = bool(users)
    if requests.filter(Q(email=email) | Q(user__in=users), sent=True).count() >= settings.PASSWORD_RESET_LIMIT:
        logger.warning("Password reset for %s refused: %s an hour already sent", email, settings.PASSWORD_RESET_LIMIT)
        allowed = False
    if address and requests.filter(address=address).count() >= settings.PASSWORD_RESET_LIMIT_PER_CLIENT:
        logger.warning("Password reset from %s refused: %s requests in the last hour", address,
                       settings.PASSWORD_RESET_LIMIT_PER_CLIENT)
        allowed = False
    PasswordResetRequest.objects.bulk_create(
        [PasswordResetRequest(email=email, user=user, address=address, sent=allowed, created_at=now)
         for user in users or [None]])
    return allowed


class LimitedPasswordResetForm(PasswordResetForm):
    def save(self, *, request=None, extra_email_context=None, **kwargs):
        email = self.cleaned_data["email"].strip().lower()
        users = list(self.get_users(self.cleaned_data["email"]))
        if not password_reset_allowed(email=email, users=users, address=_client_address(request)):
            return
        context = {"site_url": settings.SITE_URL, **(extra_email_context or {})}
        super().save(request=request, extra_email_context=context, **kwargs)

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        with translation.override(language_of(context["user"])):
            super().send_mail(subject_template_name, email_template_name, context, from_email, to_email,
                              html_email_template_name=html_email_template_name)
