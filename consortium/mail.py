"""E-mail: absolute links into the site, one message per recipient in their language, and the queue's
error handler.

Mail goes into a queue in the database (django-mailer, settings.EMAIL_QUEUE) and a separate
`manage.py send_mail` delivers it, so no user action waits for or fails with the mail server.
"""

import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django.utils import translation
from mailer.models import RESULT_FAILURE, MessageLog

from consortium.profiles import language_of
from consortium.text import one_line

logger = logging.getLogger(__name__)


def absolute_url(viewname: str, *args, **kwargs) -> str:
    """SITE_URL + reverse(viewname): a link in an e-mail, read far from any request."""
    return f"{settings.SITE_URL}{reverse(viewname, args=args or None, kwargs=kwargs or None)}"


def send_to_users(users: Iterable, render: Callable[[object], tuple[str, str]]) -> int:
    """One message per active user with an address, `render(user) -> (subject, body)` in that user's language.

    Separate messages, not one with many recipients: each reads their own language and no one sees
    the others' addresses.
    """
    messages = []
    seen = set()
    for user in users:
        if not user.email or not user.is_active or user.email.lower() in seen:
            continue
        seen.add(user.email.lower())
        with translation.override(language_of(user)):
            subject, body = render(user)
        # A subject names stored text (a project's acronym); a line break in it would refuse the whole message.
        messages.append(EmailMessage(one_line(subject), body, to=[user.email]))
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0


def handle_delivery_exception(connection, message, exc):
    """django-mailer's MAILER_ERROR_HANDLER: log the failure and defer the message for a later retry.

    django-mailer itself defers only on network and SMTP errors and re-raises anything else, which would
    stop every later run at the same message; here every failure defers it, and nothing is dropped.
    """
    recipients = ", ".join(message.to_addresses)
    if isinstance(exc, OSError):  # smtplib's errors are OSErrors too: the server refused or was unreachable
        logger.warning("Mail %r to %s not sent, kept for a retry: %s", message.subject, recipients, exc)
    else:
        logger.error("Mail %r to %s not sent, kept for a retry", message.subject, recipients, exc_info=exc)
    message.defer()
    MessageLog.objects.log(message, RESULT_FAILURE, log_message=str(exc))
    return None, "deferred"  # None: the next message opens a fresh connection
