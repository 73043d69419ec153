"""Each person's language: dates as their language writes them, and e-mails and the funder report PDF in it.

The language is a user setting (consortium.Profile): the one they last used in the web — stored when
they switch language or sign in — and editable on their settings page.
"""

from datetime import date, timedelta
from io import BytesIO, StringIO

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from pypdf import PdfReader

from consortium.models import Profile, Role, local_today
from consortium.profiles import language_of, profile_set_language
from reporting import services
from tests import factories as f

PASSWORD = "correct horse battery staple"


def speaks(user, language: str):
    profile_set_language(user=user, language=language)
    return user


@pytest.fixture
def submitted_b(world, reporter_b, django_capture_on_commit_callbacks):
    """Partner B's report of period 1 (1 Jan – 31 Dec 2025), submitted: the MU was told."""
    report = services.report_create(partner=world.partner_b, period=world.period1, user=reporter_b)
    report = services.report_update(report=report, expected_version=report.version, user=reporter_b, data={
        "work_package_progress": [{"work_package": world.wp2, "narrative": "Pilot begun.",
                                   "objective_status": "partly"}]})
    with django_capture_on_commit_callbacks(execute=True):
        services.report_submit(report=report, user=reporter_b)
    return report


# --- the setting -------------------------------------------------------------------------------------------

def test_without_a_setting_a_person_reads_the_default_language(mu):
    assert language_of(mu) == settings.LANGUAGE_CODE == "en"


def test_switching_language_in_the_top_bar_keeps_it_as_the_setting(client, mu):
    client.force_login(mu)
    response = client.post(reverse("web:set-language"), {"language": "sv", "next": "/projects/"})
    assert response.status_code == 302 and response.url == "/projects/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "sv"
    assert language_of(mu) == "sv"


def test_switching_language_signed_out_works_and_stores_nothing(client, db):
    response = client.post(reverse("web:set-language"), {"language": "da", "next": "/accounts/login/"})
    assert response.status_code == 302 and response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "da"
    assert not Profile.objects.exists()


def test_switching_language_never_redirects_off_site(client, mu):
    client.force_login(mu)
    response = client.post(reverse("web:set-language"), {"language": "da", "next": "https://evil.example/"})
    assert response.url == "/"


def test_signing_in_keeps_the_language_the_sign_in_page_was_shown_in(db):
    nina = f.make_user("nina")
    nina.set_password(PASSWORD)
    nina.save()
    browser = Client(HTTP_ACCEPT_LANGUAGE="sv-SE,sv;q=0.9")
    assert browser.post("/accounts/login/", {"username": "nina", "password": PASSWORD}).status_code == 302
    assert language_of(nina) == "sv"
    browser = Client()
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    browser.post("/accounts/login/", {"username": "nina", "password": PASSWORD})
    assert language_of(nina) == "da"


def test_getting_an_api_token_is_not_using_the_web(db):
    nina = f.make_user("nina")
    nina.set_password(PASSWORD)
    nina.save()
    speaks(nina, "da")
    Client(HTTP_ACCEPT_LANGUAGE="en").post("/api/auth/token/", {"username": "nina", "password": PASSWORD},
                                          content_type="application/json")
    assert language_of(nina) == "da"


def test_the_settings_page_in_the_user_menu_changes_the_language(client, mu):
    client.force_login(mu)
    dashboard = client.get("/").content.decode()
    assert f'href="{reverse("web:account")}"' in dashboard
    page = client.get(reverse("web:account"))
    assert page.status_code == 200 and 'name="language"' in page.content.decode()
    saved = client.post(reverse("web:account"), {"language": "da"}, follow=True)
    assert saved.status_code == 200 and language_of(mu) == "da"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "da"
    assert "Indstillinger" in saved.content.decode()  # the page itself is now Danish
    refused = client.post(reverse("web:account"), {"language": "xx"})
    assert refused.status_code == 400 and language_of(mu) == "da"


# --- dates on the pages ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("language", "written"), [("da", "1. maj 2026"), ("sv", "1 maj 2026"), ("en", "1 May 2026")])
def test_pages_write_dates_as_the_language_does(language, written, client, mu, world):
    f.make_deliverable(world.wp1, code="D1.5", due_date=date(2026, 5, 1))
    client.force_login(mu)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(reverse("web:deliverables", args=[world.project.pk])).content.decode()
    assert written in html
    overview = client.get(reverse("web:project", args=[world.project.pk])).content.decode()
    assert {"da": "31. december 2025", "sv": "31 december 2025", "en": "31 Dec 2025"}[language] in overview


# --- e-mails -----------------------------------------------------------------------------------------------

def test_each_recipient_reads_the_submission_in_their_own_language(world, mu, coordinator, reporter_b, submitted_b,
                                                                   django_capture_on_commit_callbacks):
    other_mu = f.make_user("mu-se")
    f.add_member(other_mu, world.project, Role.MANAGEMENT_UNIT)
    speaks(mu, "da")
    speaks(other_mu, "sv")
    mail.outbox.clear()
    report = submitted_b
    services.report_return(report=report, user=mu, comment="Mere om piloten.")
    with django_capture_on_commit_callbacks(execute=True):
        services.report_submit(report=report, user=reporter_b)
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {mu.email, other_mu.email}  # one message each: neither sees the other
    danish, swedish = by_recipient[mu.email], by_recipient[other_mu.email]
    assert "indsendt" in danish.subject and "1. januar 2025 – 31. december 2025" in danish.body
    assert "Gennemgå den:" in danish.body
    assert "lämnat in" in swedish.subject and "1 januari 2025 – 31 december 2025" in swedish.body


def test_a_swedish_reporter_gets_a_swedish_approval(world, mu, reporter_b, submitted_b,
                                                    django_capture_on_commit_callbacks):
    speaks(reporter_b, "sv")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_approve(report=submitted_b, user=mu)
    [message] = mail.outbox
    assert message.to == [reporter_b.email]
    assert message.subject == "[ALPHA] Er rapport för period 1 har godkänts"
    assert "har godkänts av projektsekretariatet" in message.body and "Öppna den:" in message.body


def test_reminders_are_written_in_each_recipients_language(world, mu, reporter_b):
    speaks(mu, "da")
    speaks(reporter_b, "sv")
    due = local_today() + timedelta(days=2)
    f.make_deliverable(world.wp1, code="D1.8", due_date=due)
    world.period1.report_due_date = local_today() + timedelta(days=5)
    world.period1.save()
    call_command("send_deadline_reminders", stdout=StringIO())
    by_recipient = {m.to[0]: m for m in mail.outbox}
    danish, swedish = by_recipient[mu.email], by_recipient[reporter_b.email]
    assert danish.body.startswith("Frister i dine Consortium-projekter:")
    with translation.override("da"):
        assert f"forfalder {date_format(due)}" in danish.body
    assert swedish.body.startswith("Tidsfrister i dina Consortium-projekt:")
    assert "påminnelse" in swedish.subject


def test_an_invitee_reads_the_invitation_in_the_inviters_language_and_keeps_it(world, mu, api_client):
    speaks(mu, "sv")
    response = api_client(mu).post("/api/users/", {
        "email": "nina@example.org", "first_name": "Nina", "last_name": "Holm", "project": world.project.pk,
        "role": "viewer"}, format="json")
    assert response.status_code == 201
    [message] = mail.outbox
    assert message.subject == "Inbjudan till ALPHA i Consortium"
    assert language_of(world.project.memberships.get(user__email="nina@example.org").user) == "sv"


def test_a_password_reset_mail_is_in_the_account_holders_language(reporter_b):
    speaks(reporter_b, "da")
    Client(HTTP_ACCEPT_LANGUAGE="en").post("/accounts/password_reset/", {"email": reporter_b.email})
    [message] = mail.outbox
    assert message.subject == "Nulstil din adgangskode til Consortium"


# --- the funder report -------------------------------------------------------------------------------------

def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages).split())


def test_a_danish_user_downloads_a_danish_pdf(world, mu, api_client):
    speaks(mu, "da")
    response = api_client(mu).get(f"/api/projects/{world.project.pk}/funder-reports/1.pdf")
    assert response.status_code == 200
    text = pdf_text(response.content)
    for heading in ("Statusrapport til programmet", "1. Nøgletal", "3. Partnerskab", "6. Leverancer",
                    "10. Økonomi", "Side 2 af"):
        assert heading in text, heading
    assert "Periode 1: 1. januar 2025 – 31. december 2025" in text
    assert "Key figures" not in text and "Partnership" not in text


def test_a_swedish_user_gets_a_swedish_pdf_and_an_english_one_stays_english(world, mu, coordinator, api_client):
    speaks(coordinator, "sv")
    url = f"/api/projects/{world.project.pk}/funder-reports/1.pdf"
    swedish = pdf_text(api_client(coordinator).get(url).content)
    assert "1. Nyckeltal" in swedish and "Sida 2 av" in swedish
    english = pdf_text(api_client(mu).get(url).content)
    assert "1. Key figures" in english and "Page 2 of" in english


def test_the_command_writes_the_pdf_in_the_language_asked_for(world, tmp_path):
    target = tmp_path / "p1.pdf"
    call_command("funder_report", "ALPHA", "--period", "1", "--language", "sv", "--output", str(target),
                 stdout=StringIO())
    assert "1. Nyckeltal" in pdf_text(target.read_bytes())
