"""A rescheduled deliverable or milestone shows its old and new dates and its reason in the funder report."""

from datetime import date
from io import BytesIO

from openpyxl import load_workbook
from pypdf import PdfReader

from reporting.funder_report.collect import collect_funder_report
from reporting.funder_report.pdf import render_pdf
from reporting.funder_report.xlsx import render_xlsx
from tests.funder_report.conftest import TODAY
from workpackages import services

REASON = "The ethics committee met two months late."


def _rescheduled(world):
    deliverable = services.deliverable_create(data={
        "work_package": world.wp1, "code": "D1.9", "title": "Ethics plan", "lead_partner": world.partner_a,
        "original_due_date": date(2025, 6, 30), "due_date": date(2025, 6, 30)})
    services.deliverable_update(deliverable=deliverable, expected_version=deliverable.version,
                                data={"due_date": date(2025, 8, 31)}, reschedule_reason=REASON)
    milestone = services.milestone_create(data={"work_package": world.wp1, "code": "MS9", "title": "Approval",
                                                "due_date": date(2025, 5, 31)})
    services.milestone_update(milestone=milestone, expected_version=milestone.version,
                              data={"due_date": date(2025, 7, 31)}, reschedule_reason="Venue booked later")
    return collect_funder_report(world.project, world.period2, today=TODAY)


def test_collect_gives_each_rescheduling_with_its_dates_and_reason(world):
    report = _rescheduled(world)
    row = next(d for d in report.deliverables if d.code == "D1.9")
    assert row.rescheduled
    assert row.reschedules == f"2025-06-30 to 2025-08-31: {REASON}"
    milestone = next(m for m in report.milestones if m.code == "MS9")
    assert milestone.reschedules == "2025-05-31 to 2025-07-31: Venue booked later"


def test_the_pdf_and_the_xlsx_show_the_reason(world):
    report = _rescheduled(world)
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(render_pdf(report))).pages).split())
    assert "two months late" in text
    workbook = load_workbook(BytesIO(render_xlsx(report)))
    deliverables = [[cell.value for cell in row] for row in workbook["Deliverables"].iter_rows()]
    assert deliverables[0][-1] == "Rescheduled: dates and reason"
    assert [r[-1] for r in deliverables if r[0] == "D1.9"] == [f"2025-06-30 to 2025-08-31: {REASON}"]
    milestones = [[cell.value for cell in row] for row in workbook["Milestones"].iter_rows()]
    assert [r[-1] for r in milestones if r[0] == "MS9"] == ["2025-05-31 to 2025-07-31: Venue booked later"]
