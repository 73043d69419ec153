"""Invoice attachments and deliverable documents: type and size checks, generated names, guarded downloads."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import factories as f

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _zip(name: str, member: str) -> SimpleUploadedFile:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(member, "<xml/>")
    return SimpleUploadedFile(name, out.getvalue())


pytestmark = pytest.mark.usefixtures("media")  # uploads land in this test's own directory


def test_invoice_attachment_upload_and_download(expense, reporter_a, mu, api_client, media):
    client = api_client(reporter_a)
    url = f"/api/expenditures/{expense.pk}/attachment/"
    response = client.post(url, {"file": SimpleUploadedFile("Faktura 17.pdf", PDF)}, format="multipart")
    assert response.status_code == 201, response.json()
    assert response.json()["attachment_name"] == "Faktura 17.pdf"
    assert response.json()["attachment_url"].endswith(url)
    expense.refresh_from_db()
    # Stored under a generated name, never the uploaded one.
    assert expense.attachment.name.startswith("invoices/") and "Faktura" not in expense.attachment.name
    download = api_client(mu).get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert 'filename="Faktura 17.pdf"' in download["Content-Disposition"]


@pytest.mark.parametrize("upload, message", [
    (SimpleUploadedFile("virus.exe", b"MZ\x90\x00"), "not accepted"),
    (SimpleUploadedFile("invoice.pdf", b"MZ\x90\x00 renamed executable"), "not a valid PDF"),
    (_zip("report.docx", "evil/payload.bin"), "not a valid DOCX"),
    (SimpleUploadedFile("photo.png", b"\xff\xd8\xff jpeg named png"), "not a valid PNG"),
    (SimpleUploadedFile("empty.pdf", b""), "empty"),
])
def test_bad_files_are_refused_and_nothing_is_stored(expense, reporter_a, api_client, media, upload, message):
    response = api_client(reporter_a).post(f"/api/expenditures/{expense.pk}/attachment/", {"file": upload},
                                           format="multipart")
    assert response.status_code == 400
    assert message in response.json()["detail"] and "file" in response.json()["fields"]
    expense.refresh_from_db()
    assert not expense.attachment and not list(media.rglob("*.*"))


def test_too_large_file_is_refused(expense, reporter_a, api_client, settings):
    settings.UPLOAD_MAX_BYTES = 20
    response = api_client(reporter_a).post(f"/api/expenditures/{expense.pk}/attachment/",
                                           {"file": SimpleUploadedFile("a.pdf", PDF)}, format="multipart")
    assert response.status_code == 400 and "limit is 20 bytes" in response.json()["detail"]


def test_office_and_image_formats_are_accepted(expense, reporter_a, api_client):
    client = api_client(reporter_a)
    for upload in (_zip("plan.docx", "word/document.xml"), _zip("budget.xlsx", "xl/workbook.xml"),
                   _zip("budget.ods", "mimetype"), SimpleUploadedFile("scan.jpg", b"\xff\xd8\xff\xe0rest")):
        response = client.post(f"/api/expenditures/{expense.pk}/attachment/", {"file": upload}, format="multipart")
        assert response.status_code == 201, (upload.name, response.json())


def test_no_attachment_on_a_submitted_report(expense, reporter_a, api_client):
    expense.report.status = "submitted"
    expense.report.save()
    response = api_client(reporter_a).post(f"/api/expenditures/{expense.pk}/attachment/",
                                           {"file": SimpleUploadedFile("a.pdf", PDF)}, format="multipart")
    assert response.status_code == 409


def test_attachment_permissions(expense, personas, api_client):
    url = f"/api/expenditures/{expense.pk}/attachment/"
    api_client(personas["reporter_a"]).post(url, {"file": SimpleUploadedFile("a.pdf", PDF)}, format="multipart")
    expected_get = {"mu": 200, "coordinator": 200, "reporter_a": 200, "reporter_b": 404, "viewer": 403,
                    "outsider": 404}
    expected_post = {"mu": 201, "coordinator": 403, "reporter_a": 201, "reporter_b": 404, "viewer": 403,
                     "outsider": 404}
    for name, user in personas.items():
        assert api_client(user).get(url).status_code == expected_get[name], name
        response = api_client(user).post(url, {"file": SimpleUploadedFile("b.pdf", PDF)}, format="multipart")
        assert response.status_code == expected_post[name], name
    assert api_client().get(url).status_code == 401


def test_deliverable_document_permissions_and_download(world, personas, api_client):
    deliverable = f.make_deliverable(world.wp1, code="D1.1")  # led by partner A
    url = f"/api/deliverables/{deliverable.pk}/document/"
    assert api_client(personas["mu"]).get(url).status_code == 404  # nothing uploaded yet
    expected_post = {"mu": 201, "coordinator": 403, "reporter_a": 201, "reporter_b": 403, "viewer": 403,
                     "outsider": 404}
    for name, user in personas.items():
        response = api_client(user).post(url, {"file": SimpleUploadedFile(f"{name}.pdf", PDF)}, format="multipart")
        assert response.status_code == expected_post[name], name
    expected_get = {"mu": 200, "coordinator": 200, "reporter_a": 200, "reporter_b": 200, "viewer": 200,
                    "outsider": 404}
    for name, user in personas.items():
        response = api_client(user).get(url)
        assert response.status_code == expected_get[name], name
    assert 'filename="reporter_a.pdf"' in api_client(personas["viewer"]).get(url)["Content-Disposition"]
    assert api_client().get(url).status_code == 401
    assert api_client().post(url, {"file": SimpleUploadedFile("a.pdf", PDF)}, format="multipart").status_code == 401
    deliverable.refresh_from_db()
    assert deliverable.document_name == "reporter_a.pdf" and deliverable.document.name.startswith("deliverables/")
    assert deliverable.history.first().history_user == personas["reporter_a"]


def test_deliverable_document_refuses_bad_type(world, mu, api_client):
    deliverable = f.make_deliverable(world.wp1)
    response = api_client(mu).post(f"/api/deliverables/{deliverable.pk}/document/",
                                   {"file": SimpleUploadedFile("x.html", b"<html>")}, format="multipart")
    assert response.status_code == 400 and "not accepted" in response.json()["detail"]
