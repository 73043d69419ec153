"""Every link in every kind of e-mail opens, for the person it was sent to, the page it promises (200).

One test sends each kind — a submission (to the MU), a return and an approval (to the partner's
reporters), both invitations, a password reset and the reminder digests — then follows every URL
of every message with the test client, signed in as the message's recipient. Links start with
SITE_URL, whatever address the site is served at.
"""

import os
import re
import subprocess
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import Client

from consortium.invitations import user_invite
from consortium.models import Role, local_today
from reporting import services
from tests import factories as f

ROOT = Path(__file__).resolve().parent.parent
SITE_URL = "http://consortium.example.org:8123"
URL = re.compile(r"https?://\S+")


@pytest.fixture
def site_url(settings):
    settings.SITE_URL = SITE_URL
    return SITE_URL


def send_every_kind_of_mail(world, mu, reporter_a, outsider, capture):
    report = services.report_create(partner=world.partner_a, period=world.period1, user=reporter_a)
    report = services.report_update(report=report, expected_version=report.version, user=reporter_a, data={
        "work_package_progress": [{"work_package": world.wp1, "narrative": "Set up.", "objective_status": "partly"}]})
    with capture(execute=True):
        services.report_submit(report=report, user=reporter_a)
    with capture(execute=True):
        services.report_return(report=report, user=mu, comment="Add the minutes.")
    # The returned report is in the reminders too; then it is submitted again and approved.
    f.make_deliverable(world.wp1, code="D1.7", due_date=local_today() + timedelta(days=2))
    call_command("send_deadline_reminders", stdout=StringIO())
    with capture(execute=True):
        services.report_submit(report=report, user=reporter_a)
    with capture(execute=True):
        services.report_approve(report=report, user=mu)
    user_invite(invited_by=mu, email="nina@example.org", first_name="Nina", last_name="Holm",
                project=world.project, role=Role.VIEWER)
    user_invite(invited_by=mu, email=outsider.email, first_name="", last_name="", project=world.project,
                role=Role.COORDINATOR)
    Client().post("/accounts/password_reset/", {"email": reporter_a.email})


def follow_as_recipient(message, link: str):
    recipient = get_user_model().objects.get(email__iexact=message.to[0])
    client = Client()
    if recipient.has_usable_password():  # an invitee opens their set-password link before having a password
        client.force_login(recipient)
    return client.get(link.removeprefix(SITE_URL), follow=True)


def test_every_link_of_every_mail_opens_for_its_recipient(site_url, world, mu, reporter_a, outsider,
                                                          django_capture_on_commit_callbacks):
    send_every_kind_of_mail(world, mu, reporter_a, outsider, django_capture_on_commit_callbacks)
    kinds = {
        "submitted its report": mu.email, "was returned": reporter_a.email, "was approved": reporter_a.email,
        "Invitation to ALPHA": "nina@example.org", "You were added to ALPHA": outsider.email,
        "Reset your Consortium password": reporter_a.email, "deadline reminder": None,
    }
    for fragment, recipient in kinds.items():
        matching = [m for m in mail.outbox if fragment in m.subject]
        assert matching, f"no mail '{fragment}' was sent"
        assert recipient is None or all(m.to == [recipient] for m in matching)
    checked = 0
    for message in mail.outbox:
        links = URL.findall(message.body)
        assert links, f"'{message.subject}' has no link"
        for link in links:
            assert link.startswith(f"{SITE_URL}/"), link
            response = follow_as_recipient(message, link)
            assert response.status_code == 200, f"{message.subject} → {message.to[0]}: {link}"
            landed = response.request["PATH_INFO"]
            assert not landed.startswith("/accounts/login/"), f"{message.subject}: {link} asks {message.to[0]} " \
                                                              "to sign in although they are"
            checked += 1
    assert checked >= len(mail.outbox) >= 9


def test_workflow_mails_link_the_review_page_for_the_mu_and_the_report_for_its_reporters(
        site_url, world, mu, reporter_a, outsider, django_capture_on_commit_callbacks):
    send_every_kind_of_mail(world, mu, reporter_a, outsider, django_capture_on_commit_callbacks)
    report = world.partner_a.progress_reports.get()
    prefix = f"{SITE_URL}/projects/{world.project.pk}/reports/{report.pk}/"
    submitted = next(m for m in mail.outbox if "submitted its report" in m.subject)
    assert URL.findall(submitted.body) == [f"{prefix}review/"]
    approved = next(m for m in mail.outbox if "was approved" in m.subject)
    assert URL.findall(approved.body) == [prefix]


def test_make_run_links_follow_its_port():
    environment = {key: value for key, value in os.environ.items() if key != "SITE_URL"}
    result = subprocess.run(["make", "-n", "run", "PORT=8001"], capture_output=True, text=True, timeout=60,
                            cwd=ROOT, env=environment)
    runserver = next(line for line in result.stdout.splitlines() if "runserver" in line)
    assert "SITE_URL=http://127.0.0.1:8001 " in runserver and runserver.endswith("127.0.0.1:8001")
