"""A plan workbook is a hostile input: formulas are never evaluated, text is text, large files are refused early."""

import io
import time

from django.test import override_settings
from openpyxl import load_workbook

from tests.plan.helpers import edited, post
from tests.reporting.test_import_hardening import xlsx_with_rows
from workpackages import plan_workbook


def test_text_that_looks_like_a_formula_is_stored_and_exported_as_text(world, mu, api_client):
    world.wp1.title = '=HYPERLINK("http://evil.example/x","Open")'
    world.wp1.save()
    workbook = load_workbook(io.BytesIO(plan_workbook.export_xlsx(world.project)))
    cell = workbook["Work packages"]["B2"]
    assert (cell.value, cell.data_type) == (world.wp1.title, "s")  # no "'" prefix: the round trip is exact
    dry = post(api_client(mu), plan_workbook.export_xlsx(world.project), dry_run=True).json()
    assert (dry["created"], dry["changed"], dry["removed"]) == (0, 0, 0)


def test_a_formula_cell_is_never_evaluated(world, mu, api_client):
    def formula(workbook):
        workbook["Work packages"]["B2"] = "=1+2"  # openpyxl writes a formula, with no cached value

    response = post(api_client(mu), edited(plan_workbook.export_xlsx(world.project), formula), dry_run=True)
    assert response.status_code == 400
    assert response.json()["fields"] == {"Work packages!row 2.title": ["This field is required."]}


def test_a_zip_bomb_is_refused_before_it_is_parsed(world, mu, api_client):
    bomb = xlsx_with_rows(400_000)  # ~20 MB of sheet in ~60 kB
    started = time.perf_counter()
    with override_settings(IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES=5 * 1024 * 1024):
        response = post(api_client(mu), bomb, dry_run=True)
    assert time.perf_counter() - started < 1
    assert response.status_code == 400
    assert "unpacks to" in response.json()["fields"]["file"][0]


def test_a_file_over_the_import_limit_is_refused_unread(world, mu, api_client):
    with override_settings(IMPORT_MAX_BYTES=1000):
        response = post(api_client(mu), plan_workbook.export_xlsx(world.project), dry_run=True)
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["file"]


def test_a_file_that_is_no_workbook_is_refused_naming_the_file(world, mu, api_client):
    response = post(api_client(mu), b"not a zip at all", dry_run=True)
    assert response.json()["fields"] == {"file": ["The file is not a readable XLSX workbook."]}
    csv = post(api_client(mu), b"a,b\n", dry_run=True, name="plan.csv")
    assert list(csv.json()["fields"]) == ["file"]


def test_a_sheet_beyond_the_row_limit_stops_being_read(world, mu, api_client):
    def long_periods(workbook):
        sheet = workbook["Periods"]
        for number in range(plan_workbook.MAX_ROWS + 1):
            sheet.append([number + 3, "2025-01-01", "2025-01-31", "2025-02-28"])

    response = post(api_client(mu), edited(plan_workbook.export_xlsx(world.project), long_periods), dry_run=True)
    assert response.status_code == 400
    assert response.json()["fields"] == {"file": ["Sheet 'Periods' has more than 10,000 rows; no plan has that many."]}
