
"""Any stored name is safe where it becomes a header: downloads' file names and mail subjects.

Finding 7: with a project acronym holding CR/LF (here written past the validation, by a queryset
update, as an old row or a raw fix would), the calendar feed, both funder-report downloads,
invitations and submission answered 500. Each must answer as usual, its header on one line.
"""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from icalendar import Calendar
from openpyxl import load_workbook

from consortium.models import Project
from consortium.text import safe_filename
from reporting import services
from reporting.models import Expenditure

BAD_ACRONYM = "Dia\r\nBcc: evil@example.org"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def bad_acronym(world):
    Project.objects.filter(pk=world.project.pk).update(acronym=BAD_ACRONYM)
    world.project.refresh_from_db()
    return world.project


def _one_line(header: str) -> str:
    assert "\r" not in header and "\n" not in header, repr(header)
    return header


@pytest.mark.parametrize("extension", ["pdf", "xlsx"])
def test_both_funder_report_downloads_work_with_a_line_break_in_the_acronym(extension, reported, bad_acronym, mu,
                                                                           api_client):
    response = api_client(mu).get(f"/api/projects/{bad_acronym.pk}/funder-reports/2.{extension}")
    assert response.status_code == 200
    disposition = _one_line(response["Content-Disposition"])
    assert disposition.startswith("attachment;") and f"-funder-report-P2.{extension}" in disposition
    if extension == "xlsx":
        assert "Finances" in load_workbook(BytesIO(response.content)).sheetnames


def test_the_calendar_feed_works_with_a_line_break_in_the_acronym(world, bad_acronym, mu, api_client):
    url = api_client(mu).get(f"/api/projects/{bad_acronym.pk}/calendar-token/").json()["url"]
    response = api_client().get(url)
    assert response.status_code == 200
    assert _one_line(response["Content-Disposition"]).endswith('-deadlines.ics"')
    assert Calendar.from_ical(response.content).get("x-wr-calname")


def test_invitation_and_submission_mails_go_out_with_a_one_line_subject(world, bad_acronym, mu, reporter_a, draft,
                                                                         api_client, settings,
                                                                         django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    invited = api_client(mu).post("/api/users/", {"email": "nina@example.org", "project": bad_acronym.pk,
                                                  "role": "viewer"}, format="json")
    assert invited.status_code == 201, invited.json()
    with django_capture_on_commit_callbacks(execute=True):  # the submission mail goes out once the report is saved
        submitted = api_client(reporter_a).post(f"/api/progress-reports/{draft.pk}/submit/")
    assert submitted.status_code == 200, submitted.json()
    assert len(mail.outbox) == 2, [(m.to, m.subject) for m in mail.outbox]
    for message in mail.outbox:
        _one_line(message.message()["Subject"])
        assert "Dia Bcc: evil@example.org" in message.subject


def test_an_attachment_whose_stored_name_has_a_line_break_downloads(world, draft, reporter_a, api_client, settings,
                                                                    tmp_path):
    settings.MEDIA_ROOT = tmp_path
    line = services.expenditure_add(report=draft, user=reporter_a, data={
        "cost_category": "travel", "description": "Taxi", "amount": Decimal("12.50"), "currency": "EUR"})
    client = api_client(reporter_a)
    url = f"/api/expenditures/{line.pk}/attachment/"
    assert client.post(url, {"file": SimpleUploadedFile("Faktura 17.pdf", PDF)}, format="multipart").status_code == 201
    Expenditure.objects.filter(pk=line.pk).update(attachment_name='evil\r\nSet-Cookie: x=1;"..\\/a.pdf')
    response = client.get(url)
    assert response.status_code == 200
    assert _one_line(response["Content-Disposition"]) == 'attachment; filename="evil_Set-Cookie_ x=1_.._a.pdf"'


def test_an_uploaded_name_with_a_line_break_is_stored_on_one_line(world, draft, reporter_a, api_client, settings,
                                                                  tmp_path):
    settings.MEDIA_ROOT = tmp_path
    line = services.expenditure_add(report=draft, user=reporter_a, data={
        "cost_category": "travel", "description": "Taxi", "amount": Decimal("12.50"), "currency": "EUR"})
    response = api_client(reporter_a).post(f"/api/expenditures/{line.pk}/attachment/",
                                           {"file": SimpleUploadedFile("Faktura\n17.pdf", PDF)}, format="multipart")
    assert response.status_code == 201
    # One line, whatever the multipart parser made of the break (Django's parser or one_line: a space or nothing).
    assert response.json()["attachment_name"] in ("Faktura 17.pdf", "Faktura17.pdf")


@pytest.mark.parametrize(("stored", "name"), [
    ("ALPHA-deadlines.ics", "ALPHA-deadlines.ics"),
    ("Øresund 2030 – P1.pdf", "Øresund 2030 – P1.pdf"),
    ("\r\n.pdf", "download.pdf"),
    ("", "download"),
    ("../../etc/passwd", "etc_passwd"),
    ("a" * 400 + ".pdf", "a" * 150 + ".pdf"),
])
def test_safe_filename(stored, name):
    assert safe_filename(stored) == name
