"""Bulk import of expenditure lines: CSV and XLSX, all or nothing, errors named by spreadsheet row."""

import csv
import io
import time
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from reporting.imports import COLUMNS
from reporting.models import Expenditure

GOOD = {"cost_category": "travel", "work_package": "WP1", "description": "Taxi", "supplier": "Taxa 4x35",
        "invoice_number": "T-1", "invoice_date": "2025-05-02", "payment_date": "2025-05-03", "amount": "123.45",
        "currency": "DKK", "employee": "", "annual_gross_cost": "", "hours": "", "hourly_rate": ""}


def _rows(count: int, bad_index: int | None = None) -> list[dict]:
    rows = [dict(GOOD, invoice_number=f"T-{i}") for i in range(count)]
    if bad_index is not None:
        rows[bad_index]["amount"] = "12,34,5"
    return rows


def _csv(rows) -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile("lines.csv", out.getvalue().encode(), content_type="text/csv")


def _xlsx(rows) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append([row.get(c, "") for c in COLUMNS])
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("lines.xlsx", out.getvalue())


@pytest.mark.parametrize("make_file", [_csv, _xlsx], ids=["csv", "xlsx"])
def test_a_thousand_lines_import_in_one_request(draft, reporter_a, api_client, make_file, capsys):
    upload = make_file(_rows(1000))
    # CPU time of this process, not wall time: on a shared machine (CI, parallel workers) the wall clock
    # measures the neighbours. On SQLite the database works in this process too.
    started = time.process_time()
    response = api_client(reporter_a).post("/api/expenditures/import/", {"report": draft.pk, "file": upload},
                                           format="multipart")
    elapsed = time.process_time() - started
    assert response.status_code == 201, response.json()
    assert response.json() == {"report": draft.pk, "created": 1000}
    assert draft.expenditures.count() == 1000
    assert draft.expenditures.filter(amount=Decimal("123.45"), work_package=draft.partner.project.work_packages
                                     .get(number=1)).count() == 1000
    # Each line has its audit record, by the importing user.
    assert Expenditure.history.filter(report_id=draft.pk, history_user=reporter_a).count() == 1000
    with capsys.disabled():
        print(f"\nimport of 1,000 {upload.name.rsplit('.', 1)[1].upper()} lines: {elapsed:.2f} s CPU")
    assert elapsed < 10


@pytest.mark.parametrize("make_file", [_csv, _xlsx], ids=["csv", "xlsx"])
def test_one_bad_line_at_row_537_saves_nothing_and_is_named(draft, reporter_a, api_client, make_file):
    # Data index 535 is spreadsheet row 537: the header is row 1, the first line row 2.
    response = api_client(reporter_a).post("/api/expenditures/import/",
                                           {"report": draft.pk, "file": make_file(_rows(1000, bad_index=535))},
                                           format="multipart")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and "row 537.amount" in body["detail"]
    assert list(body["fields"]) == ["row 537.amount"]
    assert draft.expenditures.count() == 0


def test_every_bad_row_and_field_is_named(draft, reporter_a, api_client):
    rows = _rows(3)
    rows[0]["currency"] = "USD"
    rows[2].update(cost_category="staff", amount="", hours="", invoice_date="02/05/2025", work_package="WP9")
    response = api_client(reporter_a).post("/api/expenditures/import/", {"report": draft.pk, "file": _csv(rows)},
                                           format="multipart")
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"row 2.currency", "row 4.invoice_date", "row 4.work_package",
                                             "row 4.hours", "row 4.annual_gross_cost"}
    assert "WP1, WP2" in response.json()["fields"]["row 4.work_package"][0]


def test_staff_rows_need_hours_and_a_rate(draft, reporter_a, api_client):
    rows = _rows(1)
    rows[0].update(cost_category="staff", amount="", hours="")
    response = api_client(reporter_a).post("/api/expenditures/import/", {"report": draft.pk, "file": _csv(rows)},
                                           format="multipart")
    assert set(response.json()["fields"]) == {"row 2.hours", "row 2.annual_gross_cost"}


def test_semicolon_csv_from_a_nordic_spreadsheet_and_staff_line_computed(draft, reporter_a, api_client):
    content = (";".join(COLUMNS) + "\n"
               + "staff;WP1;Researcher;;;;;;SEK;B. Berg;612.000,00;37,5;\n").encode("utf-8-sig")
    response = api_client(reporter_a).post(
        "/api/expenditures/import/", {"report": draft.pk, "file": SimpleUploadedFile("x.csv", content)},
        format="multipart")
    assert response.status_code == 201, response.json()
    staff = draft.expenditures.get()
    assert (staff.hourly_rate, staff.amount, staff.currency) == (Decimal("355.81"), Decimal("13342.88"), "SEK")


def test_wrong_header_or_file_type_is_a_clear_400(draft, reporter_a, api_client):
    client = api_client(reporter_a)
    wrong_header = SimpleUploadedFile("x.csv", b"what,ever\n1,2\n")
    response = client.post("/api/expenditures/import/", {"report": draft.pk, "file": wrong_header},
                           format="multipart")
    assert response.status_code == 400 and "row 1" in response.json()["fields"]
    not_xlsx = SimpleUploadedFile("x.xlsx", b"not a workbook")
    response = client.post("/api/expenditures/import/", {"report": draft.pk, "file": not_xlsx}, format="multipart")
    assert response.status_code == 400 and response.json()["fields"] == {
        "file": ["The file is not a readable XLSX workbook."]}


def test_import_into_a_submitted_report_is_a_conflict(draft, reporter_a, api_client):
    draft.status = "submitted"
    draft.save()
    response = api_client(reporter_a).post("/api/expenditures/import/", {"report": draft.pk, "file": _csv(_rows(1))},
                                           format="multipart")
    assert response.status_code == 409


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_templates_download_and_import_back(draft, reporter_a, api_client, fmt):
    client = api_client(reporter_a)
    response = client.get(f"/api/expenditures/import-template.{fmt}")
    assert response.status_code == 200
    assert f'filename="expenditure-import-template.{fmt}"' in response["Content-Disposition"]
    if fmt == "xlsx":
        header = [c.value for c in next(load_workbook(io.BytesIO(response.content)).active.iter_rows())]
    else:
        header = response.content.decode().splitlines()[0].split(",")
    assert header == COLUMNS
    back = client.post("/api/expenditures/import/",
                       {"report": draft.pk, "file": SimpleUploadedFile(f"t.{fmt}", response.content)},
                       format="multipart")
    assert back.status_code == 201, back.json()
    assert back.json()["created"] == 4  # an invoice, two staff lines, an invoice with VAT and a share


def test_templates_need_authentication(api_client):
    assert api_client().get("/api/expenditures/import-template.csv").status_code == 401
