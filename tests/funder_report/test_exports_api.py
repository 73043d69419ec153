from io import BytesIO

import pytest
from django.core.management import call_command
from knox.models import AuthToken
from openpyxl import load_workbook
from pypdf import PdfReader
from rest_framework.test import APIClient


def url(project, period_number, extension):
    return f"/api/projects/{project.pk}/funder-reports/{period_number}.{extension}"


@pytest.mark.parametrize(("persona", "status"), [
    ("mu", 200), ("coordinator", 200), ("reporter_a", 403), ("viewer", 403), ("outsider", 404),
])
def test_funder_report_pdf_permission_matrix(persona, status, personas, reported, world, api_client):
    response = api_client(personas[persona]).get(url(world.project, 2, "pdf"))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        assert 'filename="ALPHA-funder-report-P2.pdf"' in response["Content-Disposition"]
        assert "ALPHA" in PdfReader(BytesIO(response.content)).pages[0].extract_text()
    else:
        assert response.json()["code"] in ("permission_denied", "not_found")


def test_funder_report_xlsx_downloads_for_the_coordinator(coordinator, reported, world, api_client):
    response = api_client(coordinator).get(url(world.project, 2, "xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "Finances" in load_workbook(BytesIO(response.content)).sheetnames


def test_superuser_may_export(superuser, reported, world, api_client):
    assert api_client(superuser).get(url(world.project, 1, "xlsx")).status_code == 200


def test_unknown_period_is_404(mu, world, api_client):
    assert api_client(mu).get(url(world.project, 9, "pdf")).status_code == 404


def test_anonymous_export_is_401(world):
    response = APIClient().get(url(world.project, 1, "pdf"))
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_export_accepts_a_token_and_a_session(mu, world, client):
    _, token = AuthToken.objects.create(user=mu)
    assert APIClient().get(url(world.project, 1, "pdf"), HTTP_AUTHORIZATION=f"Token {token}",
                           HTTP_ACCEPT="application/pdf").status_code == 200
    client.force_login(mu)
    assert client.get(url(world.project, 1, "xlsx"), HTTP_ACCEPT="text/html").status_code == 200


def test_funder_report_command_writes_the_file(reported, world, tmp_path):
    output = tmp_path / "alpha.pdf"
    call_command("funder_report", "alpha", "--period", "2", "--format", "pdf", "--output", str(output))
    assert "University of Copenhagen" in "".join(p.extract_text() for p in PdfReader(output).pages)
    output = tmp_path / "alpha.xlsx"
    call_command("funder_report", "ALPHA", "--period", "1", "--format", "xlsx", "--output", str(output))
    assert load_workbook(output)["Cover"]["B6"].value == 1


def test_funder_report_command_names_a_missing_period(world, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no reporting period 7"):
        call_command("funder_report", "ALPHA", "--period", "7", "--output", str(tmp_path / "x.pdf"))


def test_export_query_budget_does_not_grow_with_the_data(mu, world, api_client, django_assert_num_queries):
    from tests.funder_report.conftest import build_reported

    build_reported(world, scale=3)
    client = api_client(mu)
    # memberships, project, period, the downloader's language, then the collect step's 36
    # (see test_collect.COLLECT_QUERIES)
    with django_assert_num_queries(40):
        assert client.get(url(world.project, 2, "pdf")).status_code == 200
