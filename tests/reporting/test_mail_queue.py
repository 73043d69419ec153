"""A mail server that is down never turns a committed action into an error: mail waits in the queue.

The e-mail settings are production's (read in a fresh process with DEBUG=0), with SMTP pointed at a
closed port. Submit, return, approve, invite, a password reset and the reminders run as usual; `manage.py
send_mail` fails, logs and keeps every message; once a real SMTP server (aiosmtpd) listens on that
port, `manage.py retry_deferred` and `send_mail` deliver them all.
"""

import json
import logging
import os
import socket
import subprocess
import sys
from datetime import timedelta
from email import message_from_bytes
from io import StringIO
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.test import Client
from mailer.models import RESULT_FAILURE, Message, MessageLog

from consortium.models import local_today
from tests import factories as f

ROOT = Path(__file__).resolve().parents[2]


def settings_with(names: tuple[str, ...], **env) -> dict:
    """The values of settings `names` as consortium/settings.py computes them in a fresh process under `env`."""
    environment = {key: value for key, value in os.environ.items()
                   if key not in {"DEBUG", "EMAIL_BACKEND", "EMAIL_QUEUE", "SECRET_KEY"}}
    environment.update(env)
    code = ("import json, consortium.settings as s; "
            f"print(json.dumps({{n: getattr(s, n, None) for n in {list(names)!r}}}))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def production_mail_settings() -> dict:
    return settings_with(("EMAIL_BACKEND", "MAILER_EMAIL_BACKEND"), DEBUG="0", SECRET_KEY="x" * 60)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """aiosmtpd's handler: keeps every message it is given."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content)))
        return "250 OK"


@pytest.fixture
def smtp_down(settings):
    """Production's mail settings, the SMTP server at a port where nothing listens."""
    production = production_mail_settings()
    settings.EMAIL_BACKEND = production["EMAIL_BACKEND"]
    if production["MAILER_EMAIL_BACKEND"]:
        settings.MAILER_EMAIL_BACKEND = production["MAILER_EMAIL_BACKEND"]
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port(), 5
    settings.MAILER_USE_FILE_LOCK = False  # other test runs on this machine must not share the lock
    return settings.EMAIL_PORT


def test_production_queues_mail_and_delivers_it_over_smtp():
    production = production_mail_settings()
    assert production == {"EMAIL_BACKEND": "mailer.backend.DbBackend",
                          "MAILER_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend"}


def test_make_run_shows_mail_in_the_console_at_once():
    development = settings_with(("EMAIL_BACKEND", "MAILER_EMAIL_BACKEND"), DEBUG="1")
    assert development == {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
                           "MAILER_EMAIL_BACKEND": None}


def test_actions_answer_as_usual_while_smtp_is_down_and_their_mail_goes_out_later(
        smtp_down, world, mu, reporter_a, draft, api_client, django_capture_on_commit_callbacks, caplog):
    url = f"/api/progress-reports/{draft.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        assert api_client(reporter_a).post(url + "submit/").status_code == 200
        returned = api_client(mu).post(url + "return/", {"comment": "Add the invoice."}, format="json")
        assert returned.status_code == 200
        assert api_client(reporter_a).post(url + "submit/").status_code == 200
        assert api_client(mu).post(url + "approve/").status_code == 200
        invited = api_client(mu).post("/api/users/", {
            "email": "nina@example.org", "first_name": "Nina", "last_name": "Holm", "project": world.project.pk,
            "role": "viewer"}, format="json")
        assert invited.status_code == 201
    reset = Client().post("/accounts/password_reset/", {"email": reporter_a.email})
    assert reset.status_code == 302 and reset["Location"] == "/accounts/password_reset/done/"
    f.make_deliverable(world.wp1, code="D1.9", due_date=local_today() + timedelta(days=5))
    reminders = StringIO()
    call_command("send_deadline_reminders", stdout=reminders)
    assert reminders.getvalue().startswith("Sent 1 digest")
    # submitted ×2 → MU; returned, approved → reporter; invitation; password reset; the MU's digest
    assert Message.objects.count() == 7

    with caplog.at_level(logging.WARNING, logger="consortium.mail"):
        call_command("send_mail", stdout=StringIO())
    assert Message.objects.count() == 7 and Message.objects.deferred().count() == 7
    assert MessageLog.objects.filter(result=RESULT_FAILURE).count() == 7  # one failed attempt each
    assert len([r for r in caplog.records if "kept for a retry" in r.getMessage()]) == 7

    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=smtp_down)
    server.start()
    try:
        call_command("retry_deferred", stdout=StringIO())
        call_command("send_mail", stdout=StringIO())
    finally:
        server.stop()
    assert not Message.objects.exists()
    recipients = sorted(to[0] for to, _message in inbox.messages)
    assert recipients == sorted([mu.email, mu.email, reporter_a.email, reporter_a.email, "nina@example.org",
                                 reporter_a.email, mu.email])
    subjects = [message["Subject"] for _to, message in inbox.messages]
    assert any("was returned" in s for s in subjects) and any("was approved" in s for s in subjects)
