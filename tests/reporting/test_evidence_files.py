"""Files of evidence: a report-level time sheet and a second invoice file on one line, each downloadable (API and
web) only by those who may read the report; added only by those who may write it, while it is editable."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from reporting import services
from tests.reporting.helpers import line

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# Who reads a report of partner A: the MU, the coordinator and A's reporter; B's reporter and outsiders do not
# learn it exists (404); a viewer reads no reports (403).
READ = {"mu": 200, "coordinator": 200, "reporter_a": 200, "reporter_b": 404, "viewer": 403, "outsider": 404}
# A report named in a body that the user may not know of is answered like one that does not exist: a 400 on
# `report` (reporting.serializers.ReportField), as for a new expenditure line.
WRITE = {"mu": 201, "coordinator": 403, "reporter_a": 201, "reporter_b": 400, "viewer": 403, "outsider": 400}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def files(draft, reporter_a, api_client):
    """A time sheet of the whole report and a second invoice file of one line (the first is its attachment)."""
    invoice_line = line(draft, reporter_a)
    client = api_client(reporter_a)
    client.post(f"/api/expenditures/{invoice_line.pk}/attachment/", {"file": SimpleUploadedFile("inv.pdf", PDF)},
                format="multipart")
    sheet = client.post("/api/attachments/", {"report": draft.pk, "kind": "time_sheet",
                                              "file": SimpleUploadedFile("hours-march.pdf", PDF)}, format="multipart")
    assert sheet.status_code == 201, sheet.json()
    second = client.post("/api/attachments/", {"report": draft.pk, "expenditure": invoice_line.pk, "kind": "invoice",
                                               "file": SimpleUploadedFile("inv-page-2.pdf", PDF)},
                         format="multipart")
    assert second.status_code == 201, second.json()
    return draft, invoice_line, sheet.json(), second.json()


def test_time_sheet_and_second_invoice_file_download_per_role_in_the_api(files, personas, api_client):
    draft, invoice_line, sheet, second = files
    assert (sheet["kind"], sheet["expenditure"], sheet["file_name"]) == ("time_sheet", None, "hours-march.pdf")
    assert second["expenditure"] == invoice_line.pk
    for attachment in (sheet, second):
        url = f"/api/attachments/{attachment['id']}/file/"
        for name, user in personas.items():
            response = api_client(user).get(url)
            assert response.status_code == READ[name], (name, url)
            if response.status_code == 200:
                assert b"".join(response.streaming_content) == PDF
                assert attachment["file_name"] in response["Content-Disposition"]
        assert api_client().get(url).status_code == 401
    listed = api_client(personas["mu"]).get("/api/attachments/", {"report": draft.pk}).json()["results"]
    assert {a["id"] for a in listed} == {sheet["id"], second["id"]}
    assert api_client(personas["reporter_b"]).get("/api/attachments/", {"report": draft.pk}).json()["count"] == 0


def test_time_sheet_and_second_invoice_file_download_per_role_on_the_web(files, personas):
    draft, _line, sheet, second = files
    project = draft.partner.project_id
    for attachment in (sheet, second):
        url = reverse("web:report-file", args=[project, draft.pk, attachment["id"]])
        for name, user in personas.items():
            client = Client()
            client.force_login(user)
            assert client.get(url).status_code == READ[name], (name, url)
        assert Client().get(url).status_code == 302  # to the sign-in page


def test_adding_files_follows_the_reports_write_right_and_its_state(files, personas, api_client, reporter_a, rates):
    draft, invoice_line, _sheet, _second = files
    for name, user in personas.items():
        response = api_client(user).post("/api/attachments/", {
            "report": draft.pk, "kind": "salary_statement", "file": SimpleUploadedFile("salary.pdf", PDF)},
            format="multipart")
        assert response.status_code == WRITE[name], name
    refused = api_client(reporter_a).post("/api/attachments/", {
        "report": draft.pk, "kind": "other", "file": SimpleUploadedFile("run.exe", b"MZ")}, format="multipart")
    assert refused.status_code == 400 and "file" in refused.json()["fields"]
    services.report_submit(report=draft, user=reporter_a, notify=False)
    late = api_client(reporter_a).post("/api/attachments/", {
        "report": draft.pk, "kind": "other", "file": SimpleUploadedFile("late.pdf", PDF)}, format="multipart")
    assert late.status_code == 409
