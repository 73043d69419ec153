"""The funder report reads well (issue 14 item 15): no page of zero rows, sections that flow, milestone labels
clear of the "today" line, rates stored as numbers in the XLSX."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from reporting.funder_report.collect import ALL_WORK_PACKAGES, NOTHING_COUNTED, collect_funder_report
from reporting.funder_report.pdf import render_pdf
from reporting.funder_report.xlsx import render_xlsx
from tests import factories as f
from tests.funder_report.conftest import TODAY

D = Decimal


@pytest.fixture
def newcomer(reported, world):
    """A partner with a budget, planned effort and the default office flat rate, and no report at all."""
    partner = f.make_partner(world.project, f.make_organisation(short_name="NEW"), number=4)
    f.make_budget_line(partner, "staff", D("50000.00"))
    f.make_budget_line(partner, "travel", D("3000.00"))
    f.make_effort(partner, world.wp1, D("2.00"))
    f.make_effort(partner, world.wp2, D("4.50"))
    return partner


def test_a_partner_with_nothing_counted_is_one_line_in_each_money_and_effort_table(newcomer, world):
    report = collect_funder_report(world.project, world.period2, today=TODAY)
    finances = [r for r in report.finances if r.partner == "PP4 NEW"]
    assert [(r.cost_category, r.budget, r.this_period, r.cumulative, r.remaining) for r in finances] == [
        (NOTHING_COUNTED, D("53000.00"), D("0.00"), D("0.00"), D("53000.00"))]
    assert [(r.work_package, r.planned, r.reported) for r in report.effort if r.partner == "PP4 NEW"] == [
        (ALL_WORK_PACKAGES, D("6.50"), D("0.00"))]
    assert [(r.flat_rate, r.rate, r.amount_cumulative) for r in report.flat_rates if r.partner == "PP4 NEW"] == [
        ("Office & administration on direct staff costs 15.00 %", None, D("0.00"))]
    # A partner with counted reports keeps its rows per category and per WP.
    assert len([r for r in report.finances if r.partner == "PP1 KU"]) > 2
    assert [r.work_package for r in report.effort if r.partner == "PP2 LU"] == ["WP1", "WP2"]


def pages(report) -> list[str]:
    return [page.extract_text() for page in PdfReader(BytesIO(render_pdf(report))).pages]


def page_of(texts: list[str], heading: str) -> int:
    """The page a section starts on (page 2, the contents, names them all)."""
    return next(number for number, text in enumerate(texts, start=1) if number > 2 and heading in text)


def test_sections_flow_without_a_page_break_each(reported, world):
    texts = pages(collect_funder_report(world.project, world.period2, today=TODAY))
    # Small sections share pages: before, the Gantt chart, the WP progress, the deliverables and the finances
    # each began a page of their own (this report had 9 pages; now 7).
    assert page_of(texts, "4. Work plan (Gantt chart)") == page_of(texts, "5. Progress per work package") == (
        page_of(texts, "6. Deliverables"))
    assert page_of(texts, "7. Milestones") == page_of(texts, "9. Effort") == page_of(texts, "10. Finances")
    # 7, a page more for the control tables (declared, verified, deducted), one for the spending profile and risks.
    assert len(texts) == 9


def test_a_long_gantt_chart_continues_on_the_next_page_with_its_month_scale(world):
    from tests.funder_report.conftest import build_reported

    build_reported(world, scale=1)
    for number in range(3, 12):
        wp = f.make_work_package(world.project, world.partner_a, number=number, title=f"Extra work {number}")
        for activity in range(3):
            f.make_activity(wp, title=f"Task {number}.{activity}")
    report = collect_funder_report(world.project, world.period2, today=TODAY)
    texts = pages(report)
    chart_pages = [text for text in texts if "M36" in text and ("WP" in text) and "today" in text]
    assert len(chart_pages) == 2  # 39 rows: one part per page, each with its months and the today line
    assert all(f"WP{n} Extra work {n}" in "\n".join(chart_pages) for n in range(3, 12))


@pytest.mark.parametrize("today_x, expected", [
    pytest.param(None, "start", id="no-today-line: right of the diamond"),
    pytest.param(300.0, "start", id="today-line-far-away"),
    pytest.param(110.0, "end", id="today-line-through-the-label: left of the diamond"),
    pytest.param(97.0, "start", id="today-line-left-of-the-diamond"),
])
def test_milestone_labels_keep_clear_of_the_today_line(today_x, expected):
    from reporting.funder_report.pdf import milestone_label_side

    # A diamond at x = 100 with a radius of 6 and a label 15 wide: right of it the label spans 107..122.
    anchor, x = milestone_label_side(100.0, 6.0, 15.0, today_x)
    assert anchor == expected
    assert (x < 100.0) == (expected == "end")


def test_milestone_label_at_the_charts_right_edge_goes_left():
    from reporting.funder_report.pdf import WIDTH, milestone_label_side

    assert milestone_label_side(WIDTH - 5, 6.0, 15.0, None)[0] == "end"


def test_xlsx_stores_exchange_rates_and_their_months_as_numbers_and_dates(reported, world):
    report = collect_funder_report(world.project, world.period2, today=TODAY)
    sheet = load_workbook(BytesIO(render_xlsx(report)))["Exchange rates"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert {(currency, month.date(), D(str(rate)), lines)
            for currency, month, rate, lines, *_used_for in rows if currency} == {
        ("DKK", date(2026, 1, 1), D("7.4613"), 1), ("DKK", date(2026, 12, 1), D("7.4600"), 1),
        ("NOK", date(2026, 1, 1), D("11.7925"), 1), ("SEK", date(2026, 1, 1), D("11.2034"), 1)}
    assert (sheet.cell(row=2, column=3).number_format, sheet.cell(row=2, column=2).number_format) == (
        "0.0000", "yyyy-mm")
    percent_cells = load_workbook(BytesIO(render_xlsx(report)))["Flat rates"]
    assert isinstance(percent_cells.cell(row=2, column=3).value, int | float)


def test_names_typed_in_the_plan_are_text_in_the_xlsx_not_formulas(world):
    from partners.models import LumpSum, LumpSumShare

    lump_sum = LumpSum.objects.create(project=world.project, name="=HYPERLINK(\"http://x\",\"1\")", amount=D("5.00"),
                                      period=world.period1)
    LumpSumShare.objects.create(lump_sum=lump_sum, partner=world.partner_a, amount=D("5.00"))
    report = collect_funder_report(world.project, world.period1, today=TODAY)
    cell = load_workbook(BytesIO(render_xlsx(report)))["Lump sums"].cell(row=2, column=1)
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://x","1")', "s")
