"""The funder report lists the risk register's risks that are not closed, in the PDF and the XLSX alike."""

from datetime import timedelta
from io import BytesIO

from openpyxl import load_workbook
from pypdf import PdfReader

from reporting.funder_report.collect import collect_funder_report
from reporting.funder_report.pdf import render_pdf
from reporting.funder_report.xlsx import render_xlsx
from tests.funder_report.conftest import TODAY
from workpackages.models import Risk


def _risks(world):
    Risk.objects.create(project=world.project, title="Recruitment of patients lags", likelihood=3, impact=2,
                        owner=world.partner_a, mitigation="A second clinic joins.", status="open",
                        review_date=TODAY - timedelta(days=3))
    Risk.objects.create(project=world.project, title="Key staff leave", likelihood=1, impact=3, status="monitoring")
    Risk.objects.create(project=world.project, title="Ethics approval is late", status="closed")
    Risk.objects.create(project=world.other_project, title="Another project's risk")


def test_the_report_lists_open_and_monitored_risks_highest_score_first(world):
    _risks(world)
    report = collect_funder_report(world.project, world.period1, today=TODAY)
    assert [(r.title, r.score, r.status) for r in report.risks] == [
        ("Recruitment of patients lags", 6, "Open"), ("Key staff leave", 3, "Monitoring")]
    first, second = report.risks
    assert first.owner == f"{world.partner_a.code} {world.partner_a.organisation.short_name}"
    assert (first.likelihood, first.impact, first.review_overdue) == ("High", "Medium", True)
    assert second.owner == "MU" and not second.review_overdue


def test_pdf_and_xlsx_show_the_open_risks_only(world):
    _risks(world)
    report = collect_funder_report(world.project, world.period1, today=TODAY)
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(render_pdf(report))).pages).split())
    assert "Open risks" in text and "Recruitment of patients lags" in text and "Key staff leave" in text
    assert "Ethics approval is late" not in text and "Another project" not in text
    sheet = load_workbook(BytesIO(render_xlsx(report)))["Risks"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2, max_row=4)]
    assert [row[0] for row in rows] == ["Recruitment of patients lags", "Key staff leave", None]  # then the note
    assert rows[0][3] == 6
