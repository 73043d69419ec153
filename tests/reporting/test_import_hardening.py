"""Issue 13 (items 1, 2, 3 and 9's duplicated column) and issue 14 item 10: the spreadsheet import and export
against hostile and Nordic files. Each test failed against the import before these fixes."""

import csv
import io
import time
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from bench import import_bomb as bomb_builder
from reporting.imports import COLUMNS
from reporting.models import Expenditure

D = Decimal
FIXTURES = Path(__file__).parent / "fixtures"
URL = "/api/expenditures/import/"
INVOICE = {"cost_category": "travel", "work_package": "WP1", "description": "Taxi", "supplier": "Taxa 4x35",
           "invoice_number": "T-1", "invoice_date": "2025-05-02", "payment_date": "2025-05-03", "amount": "123.45",
           "currency": "DKK"}


def _csv(rows, *, delimiter=",", header=None, name="lines.csv", encoding="utf-8") -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header or COLUMNS)
    for row in rows:
        writer.writerow([row.get(c, "") for c in (header or COLUMNS)])
    return SimpleUploadedFile(name, out.getvalue().encode(encoding), content_type="text/csv")


def _post(api_client, user, report, upload):
    return api_client(user).post(URL, {"report": report.pk, "file": upload}, format="multipart")


def _timed_post(api_client, user, report, upload) -> tuple:
    """The answer and its seconds, after a first request has loaded the URLs and views (a test's cold start)."""
    _post(api_client, user, report, SimpleUploadedFile("warm-up.csv", b"x\n"))
    started = time.perf_counter()
    response = _post(api_client, user, report, upload)
    return response, time.perf_counter() - started


# -- item 1: import bombs ---------------------------------------------------------------------------------

def xlsx_with_rows(rows: int, row_xml: bytes = b"<row><c><v>1</v></c></row>") -> bytes:
    """A minimal valid workbook of the import's columns and `rows` rows (the bench's builder: one copy of it)."""
    return bomb_builder.xlsx_with_rows(rows, row_xml, header=COLUMNS)


def test_an_xlsx_that_unpacks_beyond_the_limit_is_refused_before_parsing(draft, reporter_a, api_client):
    bomb = xlsx_with_rows(400_000)  # ~20 MB of sheet in ~60 kB
    assert len(bomb) < 200_000
    with override_settings(IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES=5 * 1024 * 1024):
        response, elapsed = _timed_post(api_client, reporter_a, draft, SimpleUploadedFile("bomb.xlsx", bomb))
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["file"]
    assert "unpacks to" in response.json()["fields"]["file"][0]
    assert elapsed < 1
    assert draft.expenditures.count() == 0


def test_an_xlsx_compressed_like_no_spreadsheet_is_refused(draft, reporter_a, api_client):
    bomb = xlsx_with_rows(400_000)
    response = _post(api_client, reporter_a, draft, SimpleUploadedFile("bomb.xlsx", bomb))
    assert response.status_code == 400
    assert "compressed more than 100:1" in response.json()["fields"]["file"][0]


def test_the_row_limit_stops_reading_the_sheet(draft, reporter_a, api_client):
    # Within the archive limits (raised here), 300,000 rows: the old import read every one before counting.
    workbook = xlsx_with_rows(300_000)
    with override_settings(IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES=10**9, IMPORT_XLSX_MAX_COMPRESSION_RATIO=10**6):
        response, elapsed = _timed_post(api_client, reporter_a, draft, SimpleUploadedFile("rows.xlsx", workbook))
    assert response.status_code == 400
    assert response.json()["fields"] == {"file": ["At most 10,000 lines per file; split it."]}
    assert elapsed < 1.5, f"{elapsed:.2f} s: the sheet was read past the limit"


def test_a_csv_over_the_import_size_limit_is_refused_unread(draft, reporter_a, api_client):
    upload = _csv([INVOICE] * 50)
    with override_settings(IMPORT_MAX_BYTES=1000):
        response = _post(api_client, reporter_a, draft, upload)
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["file"]
    assert "at most 1,000" in response.json()["fields"]["file"][0]


def test_the_web_import_has_the_same_limits(draft, reporter_a, client, world):
    client.force_login(reporter_a)
    bomb = SimpleUploadedFile("bomb.xlsx", xlsx_with_rows(400_000))
    response = client.post(reverse("web:report-import", args=[world.project.pk, draft.pk]), {"file": bomb})
    assert response.status_code == 400
    assert "compressed more than 100:1" in response.content.decode()


# -- item 2: formula injection -----------------------------------------------------------------------------

FORMULA = '=HYPERLINK("http://evil.example/x","Open")'


def test_the_templates_write_text_as_text(api_client, reporter_a, monkeypatch):
    from reporting import imports

    rows = [list(row) for row in imports.EXAMPLE_ROWS]
    rows[0][2] = FORMULA
    rows[1][2] = "-1+2"
    monkeypatch.setattr(imports, "EXAMPLE_ROWS", rows)
    client = api_client(reporter_a)
    sheet = load_workbook(io.BytesIO(client.get("/api/expenditures/import-template.xlsx").content)).active
    cell = sheet.cell(row=2, column=3)
    assert (cell.value, cell.data_type) == (FORMULA, "s")
    lines = client.get("/api/expenditures/import-template.csv").content.decode().splitlines()
    assert lines[1].split(",", 2)[2].startswith(f"\"'{FORMULA.replace(chr(34), 2 * chr(34))}\"")
    assert ",'-1+2," in lines[2]


def test_a_guarded_csv_imports_back_unchanged(draft, reporter_a, api_client):
    from consortium.spreadsheets import csv_writer

    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(COLUMNS)
    texts = [FORMULA, "+45 1234", "-minus", "@home", "\tTab", "'quoted already"]
    for text in texts:
        writer.writerow([INVOICE.get(c, "") if c != "description" else text for c in COLUMNS])
    assert "'=HYPERLINK" in out.getvalue()
    response = _post(api_client, reporter_a, draft, SimpleUploadedFile("x.csv", out.getvalue().encode()))
    assert response.status_code == 201, response.json()
    assert sorted(draft.expenditures.values_list("description", flat=True)) == sorted(
        [FORMULA, "+45 1234", "-minus", "@home", "Tab", "'quoted already"])  # a cell's spaces are trimmed


# -- item 3: the API's field rules, and totals that cannot overflow -----------------------------------------

@pytest.mark.parametrize("amount", ["1e20", "NaN", "Infinity", "-Infinity", "12345678901.00", "0", "-5", "0.001"])
def test_numbers_the_api_refuses_are_row_errors(draft, reporter_a, api_client, amount):
    api = api_client(reporter_a).post("/api/expenditures/", dict(INVOICE, report=draft.pk, work_package=None,
                                                                 amount=amount), format="json")
    assert api.status_code == 400 and "amount" in api.json()["fields"]
    response = _post(api_client, reporter_a, draft, _csv([dict(INVOICE, amount=amount)]))
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["row 2.amount"]
    assert draft.expenditures.count() == 0


def test_an_xlsx_number_cell_of_1e20_is_a_row_error(draft, reporter_a, api_client):
    workbook = Workbook()
    workbook.active.append(COLUMNS)
    workbook.active.append([1e20 if c == "amount" else INVOICE.get(c, "") for c in COLUMNS])
    out = io.BytesIO()
    workbook.save(out)
    response = _post(api_client, reporter_a, draft, SimpleUploadedFile("x.xlsx", out.getvalue()))
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["row 2.amount"]


@pytest.mark.parametrize("field,value", [("hours", "9999999.99"), ("annual_gross_cost", "99999999999.99"),
                                         ("percentage", "100.01"), ("months", "123.45")])
def test_staff_figures_beyond_the_models_digits_are_row_errors(draft, reporter_a, api_client, field, value):
    row = dict(INVOICE, cost_category="staff", amount="", employee="E", annual_gross_cost="60000.00", hours="10",
               staff_method="fixed_percentage" if field in ("percentage", "months") else "hourly",
               monthly_gross_cost="5000.00", percentage="50", months="6")
    response = _post(api_client, reporter_a, draft, _csv([dict(row, **{field: value})]))
    assert response.status_code == 400
    assert f"row 2.{field}" in response.json()["fields"]


def test_a_staff_line_whose_product_overflows_is_a_row_error_in_the_import_and_the_api(
        draft, reporter_a, api_client):
    staff = dict(INVOICE, cost_category="staff", amount="", employee="E", hours="999999.99",
                 annual_gross_cost="9999999999.99")
    response = _post(api_client, reporter_a, draft, _csv([staff]))
    assert response.status_code == 400
    assert response.json()["fields"] == {"row 2.amount": [
        "The computed amount 5,813,953,431,860.47 is above the largest amount a line holds, 9,999,999,999.99."]}
    body = {k: v for k, v in staff.items() if v != ""}
    api = api_client(reporter_a).post("/api/expenditures/", dict(body, report=draft.pk, work_package=None),
                                      format="json")
    assert api.status_code == 400
    assert api.json()["fields"] == {"amount": response.json()["fields"]["row 2.amount"]}
    assert draft.expenditures.count() == 0


@pytest.mark.parametrize("kind", ["invoice", "staff"])
def test_two_maximal_lines_give_a_valid_summary_and_pages(draft, reporter_a, api_client, client, world, kind):
    if kind == "invoice":
        line = dict(INVOICE, amount="9999999999.99", currency="EUR")
    else:
        # The largest staff line that fits: hours × hourly rate at most 9,999,999,999.99.
        line = dict(INVOICE, cost_category="staff", amount="", currency="EUR", employee="E", hours="999999.99",
                    annual_gross_cost="", hourly_rate="10000.00")
    response = _post(api_client, reporter_a, draft, _csv([line, line]))
    assert response.status_code == 201, response.json()
    amounts = list(draft.expenditures.values_list("amount", flat=True))
    api = api_client(reporter_a)
    summary = api.get(f"/api/progress-reports/{draft.pk}/summary/")
    assert summary.status_code == 200
    assert D(summary.json()["declared_total"]) == sum(amounts) > D("19999999000")
    assert api.get("/api/expenditures/", {"report": draft.pk}).status_code == 200
    line_id = draft.expenditures.first().pk
    assert api.get(f"/api/expenditures/{line_id}/").status_code == 200
    assert api.get(f"/api/progress-reports/{draft.pk}/").status_code == 200
    client.force_login(reporter_a)
    assert client.get(reverse("web:report", args=[world.project.pk, draft.pk])).status_code == 200
    assert client.get(reverse("web:dashboard")).status_code == 200
    assert api.delete(f"/api/expenditures/{line_id}/",
                      HTTP_IF_MATCH=api.get(f"/api/expenditures/{line_id}/")["ETag"]).status_code == 204


# -- item 9: a duplicated column -------------------------------------------------------------------------

def test_a_duplicated_column_is_refused_naming_it(draft, reporter_a, api_client):
    header = [*COLUMNS, "amount"]
    upload = _csv([dict(INVOICE)], header=header)
    response = _post(api_client, reporter_a, draft, upload)
    assert response.status_code == 400
    assert response.json()["fields"] == {"row 1.amount": ["The column 'amount' appears 2 times; keep one."]}
    assert draft.expenditures.count() == 0


# -- issue 14 item 10: Danish and Swedish spreadsheets ------------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    ("1.234,56", "1234.56"), ("1234,56", "1234.56"), ("1234", "1234"), ("12.345.678,9", "12345678.9"),
    ("1 234,56", "1234.56"), ("1\u00a0234,56", "1234.56"), ("0,5", "0.5"),
])
def test_semicolon_files_have_a_decimal_comma(draft, reporter_a, api_client, text, expected):
    response = _post(api_client, reporter_a, draft, _csv([dict(INVOICE, amount=text)], delimiter=";"))
    assert response.status_code == 201, response.json()
    assert draft.expenditures.get().amount == D(expected)


@pytest.mark.parametrize("text", ["1.234", "1234.56", "1,234.56", "1.23,45", "12.34.567,8", "1,2,3", "1.234.",
                                  "1 23,4", "1e3", "NaN", "\u0661\u0662\u0663"])
def test_semicolon_numbers_with_marks_in_the_wrong_places_are_row_errors(draft, reporter_a, api_client, text):
    response = _post(api_client, reporter_a, draft, _csv([dict(INVOICE, amount=text)], delimiter=";"))
    assert response.status_code == 400
    assert "comma for decimals" in response.json()["fields"]["row 2.amount"][0]


@pytest.mark.parametrize("text", ["1234,56", "1.234,56", "1 234.56"])
def test_comma_files_have_a_decimal_point_and_no_grouping(draft, reporter_a, api_client, text):
    response = _post(api_client, reporter_a, draft, _csv([dict(INVOICE, amount=text)]))
    assert response.status_code == 400
    assert "point for decimals" in response.json()["fields"]["row 2.amount"][0]


@pytest.mark.parametrize("text", ["2026-11-28", "28-11-2026", "28.11.2026", "8.1.2026"])
def test_iso_and_day_first_dates(draft, reporter_a, api_client, text):
    response = _post(api_client, reporter_a, draft, _csv([dict(INVOICE, invoice_date=text, amount="123,45")],
                                                         delimiter=";"))
    assert response.status_code == 201, response.json()
    assert draft.expenditures.get().invoice_date.isoformat() in ("2026-11-28", "2026-01-08")


@pytest.mark.parametrize("text", ["11/28/2026", "28-11-26", "31.02.2026", "2026-13-01", "28-11.2026"])
def test_other_dates_are_row_errors(draft, reporter_a, api_client, text):
    response = _post(api_client, reporter_a, draft, _csv([dict(INVOICE, invoice_date=text, amount="123,45")],
                                                         delimiter=";"))
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["row 2.invoice_date"]


def test_the_xlsx_template_says_how_to_write_numbers_and_dates(api_client, reporter_a):
    workbook = load_workbook(io.BytesIO(api_client(reporter_a).get("/api/expenditures/import-template.xlsx").content))
    notes = " ".join(row[0] for row in workbook["Read me"].iter_rows(values_only=True))
    assert "1.234,50" in notes and "28-11-2026" in notes and "28.11.2026" in notes and "Windows-1252" in notes
    assert workbook.sheetnames[0] == "Expenditure"


def test_a_cp1252_csv_from_excel_imports(draft, reporter_a, api_client):
    upload = _csv([dict(INVOICE, description="Kørsel Århus–Malmö", supplier="Bröderna Ærø", amount="1.234,50")],
                  delimiter=";",
                  encoding="cp1252")
    response = _post(api_client, reporter_a, draft, upload)
    assert response.status_code == 201, response.json()
    line = draft.expenditures.get()
    assert (line.description, line.supplier, line.amount) == ("Kørsel Århus–Malmö", "Bröderna Ærø", D("1234.50"))


def test_the_danish_excel_fixture_imports_to_the_cent(draft, reporter_a, api_client):
    """tests/reporting/fixtures/danish_excel.csv: as Danish Excel 2021 saves "CSV (semikolonsepareret)":
    Windows-1252, CRLF, semicolons, day-month-year dates, thousands points and decimal commas."""
    content = (FIXTURES / "danish_excel.csv").read_bytes()
    assert b"\r\n" in content and "æ".encode("cp1252") in content
    response = _post(api_client, reporter_a, draft, SimpleUploadedFile("udgifter.csv", content))
    assert response.status_code == 201, response.json()
    lines = {line.description: line for line in draft.expenditures.order_by("id")}
    assert {name: (line.amount, line.currency) for name, line in lines.items()} == {
        "Togrejse København–Lund, opstartsmøde": (D("1245.50"), "DKK"),
        "Konsulentbistand, pilotforsøg": (D("123456.78"), "DKK"),
        "Hotel Malmö, 2 nætter": (D("2380.00"), "SEK"),
        "Projektleder, marts": (D("13342.88"), "SEK"),  # 612.000,00 ÷ 1.720 = 355,81 × 37,5 t
        "Koordinator, halv tid": (D("145500.00"), "DKK"),  # 48.500,00 × 50 % × 6 måneder
    }
    assert lines["Togrejse København–Lund, opstartsmøde"].invoice_date.isoformat() == "2025-03-02"
    assert lines["Hotel Malmö, 2 nætter"].payment_date.isoformat() == "2025-04-10"
    assert lines["Konsulentbistand, pilotforsøg"].supplier == "Rådgivning ÆØÅ ApS"
    assert Expenditure.objects.filter(report=draft).count() == 5
