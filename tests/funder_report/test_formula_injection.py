"""Issue 13 item 2: user text in the funder report XLSX is text, never a formula (every sheet, every cell)."""

import io

from openpyxl import load_workbook

FORMULA = '=HYPERLINK("http://evil.example/x","Open")'


def test_every_text_cell_of_the_funder_report_xlsx_is_text(reported, world):
    from reporting.funder_report.collect import collect_funder_report
    from reporting.funder_report.xlsx import render_xlsx
    from reporting.models import ProjectReport, WorkPackageProgress
    from tests.funder_report.conftest import TODAY

    world.project.title = FORMULA
    world.project.save()
    WorkPackageProgress.objects.filter(report__partner=world.partner_a).update(narrative="@SUM(1+1)*cmd|' /C calc'!A0")
    ProjectReport.objects.filter(project=world.project).update(highlights=FORMULA, next_steps="+1")
    report = collect_funder_report(world.project, world.period2, today=TODAY)
    workbook = load_workbook(io.BytesIO(render_xlsx(report)))
    formulas = [(sheet.title, cell.coordinate, cell.value) for sheet in workbook for row in sheet.iter_rows()
                for cell in row if cell.data_type == "f"]
    assert formulas == []
    texts = {cell.value for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.data_type == "s"}
    assert {FORMULA, "@SUM(1+1)*cmd|' /C calc'!A0", "+1"} <= texts
