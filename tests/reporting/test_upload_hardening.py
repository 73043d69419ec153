"""Upload limits and downloads, from the outside: an oversize or disguised file leaves nothing behind, a
stranger cannot tell a file exists, and no URL serves the media directory directly."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import factories as f

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


pytestmark = pytest.mark.usefixtures("media")  # uploads land in this test's own directory


def stored_files(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()]


def test_oversize_invoice_is_refused_and_nothing_is_stored(expense, reporter_a, api_client, settings, media):
    settings.UPLOAD_MAX_BYTES = len(PDF) - 1
    response = api_client(reporter_a).post(f"/api/expenditures/{expense.pk}/attachment/",
                                           {"file": SimpleUploadedFile("a.pdf", PDF)}, format="multipart")
    assert response.status_code == 400
    assert response.json()["fields"]["file"]
    expense.refresh_from_db()
    assert not expense.attachment and expense.attachment_name == ""
    assert stored_files(media) == []


def test_a_file_of_exactly_the_limit_is_accepted(expense, reporter_a, api_client, settings, media):
    settings.UPLOAD_MAX_BYTES = len(PDF)
    response = api_client(reporter_a).post(f"/api/expenditures/{expense.pk}/attachment/",
                                           {"file": SimpleUploadedFile("a.pdf", PDF)}, format="multipart")
    assert response.status_code == 201
    assert len(stored_files(media)) == 1


def test_oversize_deliverable_document_is_refused_and_nothing_is_stored(world, mu, api_client, settings, media):
    deliverable = f.make_deliverable(world.wp1)
    settings.UPLOAD_MAX_BYTES = 10
    response = api_client(mu).post(f"/api/deliverables/{deliverable.pk}/document/",
                                   {"file": SimpleUploadedFile("d.pdf", PDF)}, format="multipart")
    assert response.status_code == 400
    deliverable.refresh_from_db()
    assert not deliverable.document and stored_files(media) == []


def test_deliverable_document_with_wrong_magic_bytes_is_refused(world, mu, api_client, media):
    deliverable = f.make_deliverable(world.wp1)
    response = api_client(mu).post(f"/api/deliverables/{deliverable.pk}/document/",
                                   {"file": SimpleUploadedFile("d.pdf", b"<script>alert(1)</script>")},
                                   format="multipart")
    assert response.status_code == 400
    assert "not a valid PDF" in response.json()["detail"]
    assert stored_files(media) == []


def test_strangers_get_404_for_attachments_and_documents_alike(expense, world, mu, reporter_a, outsider,
                                                               reporter_b, api_client):
    api_client(reporter_a).post(f"/api/expenditures/{expense.pk}/attachment/",
                                {"file": SimpleUploadedFile("a.pdf", PDF)}, format="multipart")
    deliverable = f.make_deliverable(world.wp1)
    api_client(mu).post(f"/api/deliverables/{deliverable.pk}/document/",
                        {"file": SimpleUploadedFile("d.pdf", PDF)}, format="multipart")
    for url in (f"/api/expenditures/{expense.pk}/attachment/", f"/api/deliverables/{deliverable.pk}/document/"):
        response = api_client(outsider).get(url)
        assert response.status_code == 404, url
        assert b"PDF" not in response.content
    # Another partner's reporter does not learn that partner A's invoice exists either.
    assert api_client(reporter_b).get(f"/api/expenditures/{expense.pk}/attachment/").status_code == 404


def test_no_url_serves_the_media_directory(expense, reporter_a, mu, client, api_client, media):
    api_client(reporter_a).post(f"/api/expenditures/{expense.pk}/attachment/",
                                {"file": SimpleUploadedFile("a.pdf", PDF)}, format="multipart")
    expense.refresh_from_db()
    stored = expense.attachment.name
    assert stored and (media / stored).is_file()
    client.force_login(mu)
    for url in (f"/media/{stored}", f"/{stored}", f"/static/../media/{stored}", expense.attachment.url):
        response = client.get(url)
        assert response.status_code in (301, 302, 404), url
        assert PDF not in b"".join(getattr(response, "streaming_content", [response.content])), url
