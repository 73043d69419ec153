from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from reporting.funder_report.collect import collect_funder_report
from reporting.funder_report.pdf import render_pdf
from reporting.funder_report.tables import format_money
from reporting.funder_report.xlsx import render_xlsx
from tests.funder_report.conftest import NORDIC, TODAY
from tests.funder_report.test_collect import expected_money


@pytest.fixture
def report(reported, world):
    return collect_funder_report(world.project, world.period2, today=TODAY)


@pytest.fixture
def pdf_pages(report):
    reader = PdfReader(BytesIO(render_pdf(report)))
    return [page.extract_text() for page in reader.pages]


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_pdf_shows_every_partner_and_deliverable_code(pdf_pages, reported, world):
    text = "\n".join(pdf_pages)
    for partner in (world.partner_a, world.partner_b, world.partner_no):
        assert partner.organisation.name in text
    for deliverable in reported.deliverables:
        assert deliverable.code in text


def test_pdf_renders_danish_swedish_and_norwegian_letters(pdf_pages):
    assert NORDIC in _flat("\n".join(pdf_pages))
    assert "Øresund" in "\n".join(pdf_pages)


def test_pdf_finance_figures_equal_summarise_report(pdf_pages, report, reported, world):
    figures, cofinancing = expected_money(reported.approved, world.period2)
    finance_text = _flat("\n".join(p for p in pdf_pages if "Budget and reported costs" in p or "Co-financing" in p
                                    or "First-level control" in p))
    budgets = {(r.partner, r.cost_category): r.budget for r in report.finances}
    for partner, categories in figures.items():
        for category, (this_period, cumulative) in categories.items():
            if cumulative:
                row = (f"{partner} {category} {format_money(budgets[(partner, category)])} "
                       f"{format_money(this_period)} {format_money(cumulative)}")
                assert row in finance_text
    for row in report.cofinancing:
        assert (f"{row.partner} {row.funding_source} {row.rate:.2f} % {format_money(row.eligible_this_period)} "
                f"{format_money(cofinancing[row.partner][0])} {format_money(row.eligible_cumulative)} "
                f"{format_money(cofinancing[row.partner][1])}") in finance_text


def test_pdf_has_cover_contents_page_numbers_and_money_basis(pdf_pages):
    assert "ALPHA – reporting period 2" in pdf_pages[0]
    assert "Contents" in pdf_pages[1] and "10. Finances" in pdf_pages[1]
    total = len(pdf_pages)
    assert all(f"Page {n} of {total}" in pdf_pages[n - 1] for n in range(2, total + 1))
    assert "certified amounts only" in pdf_pages[0]


def test_pdf_gantt_labels_months_and_today(pdf_pages):
    gantt = next(p for p in pdf_pages if "Work plan (Gantt chart)" in p and "M36" in p)
    assert all(label in gantt for label in ("M1", "M12", "WP1 Management", "A2.1", "MS1", "MS2", "today"))


def test_large_table_splits_with_repeated_header_rows(world):
    from tests.funder_report.conftest import build_reported

    build_reported(world, scale=10)
    report = collect_funder_report(world.project, world.period2, today=TODAY)
    pages = [p.extract_text() for p in PdfReader(BytesIO(render_pdf(report))).pages]
    deliverable_pages = [p for p in pages if "Original" in p and "Resched" in p]
    assert len(deliverable_pages) >= 3  # 100 deliverables do not fit one page; every page repeats the header


def _sheet_rows(workbook, name):
    rows = list(workbook[name].iter_rows(values_only=True))
    return rows[0], rows[1:]


def test_xlsx_cells_equal_summarise_report(report, reported, world):
    workbook = load_workbook(BytesIO(render_xlsx(report)))
    figures, cofinancing = expected_money(reported.approved, world.period2)
    header, rows = _sheet_rows(workbook, "Finances")
    assert header[:5] == ("Partner", "Cost category", "Budget", "This period", "Cumulative")
    cells = {(r[0], r[1]): r for r in rows if r and r[1]}
    for partner, categories in figures.items():
        for category, (this_period, cumulative) in categories.items():
            if cumulative:
                row = cells[(partner, category)]
                assert (Decimal(str(row[3])), Decimal(str(row[4]))) == (this_period, cumulative)
    _, rows = _sheet_rows(workbook, "Co-financing")
    for row in rows:
        if row and row[0] in cofinancing:
            assert Decimal(str(row[4])) == cofinancing[row[0]][0]
            assert Decimal(str(row[6])) == cofinancing[row[0]][1]


def test_xlsx_has_a_sheet_per_table_with_number_formats_and_frozen_headers(report, reported):
    workbook = load_workbook(BytesIO(render_xlsx(report)))
    assert {"Cover", "Narrative", "WP progress", "Partnership", "Deliverables", "Milestones", "Indicators", "Effort",
            "Finances", "Flat rates", "Co-financing", "Funding sources", "Exchange rates",
            "Partner reports"} <= set(workbook.sheetnames)
    finances = workbook["Finances"]
    assert finances.freeze_panes == "A2"
    assert finances.cell(row=2, column=5).number_format == "#,##0.00"
    assert finances.column_dimensions["B"].width >= 20
    _, rows = _sheet_rows(workbook, "Deliverables")
    assert {r[0] for r in rows} == {d.code for d in reported.deliverables}
