"""The funder report as a workbook (openpyxl): one sheet per table, figures as numbers, drawn from the dataclass.

Every row goes through consortium.spreadsheets.append_row: text typed in the app (a narrative, a lump
sum's name, a project's title) is a string cell, never a formula.
"""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from consortium.spreadsheets import append_row
from reporting.funder_report.collect import FunderReport
from reporting.funder_report.tables import Table, report_tables

HEADER_FILL = PatternFill("solid", fgColor="1F3A5F")
TOTAL_FILL = PatternFill("solid", fgColor="D5E3EA")
HEADER_FONT = Font(bold=True, color="FFFFFF")
FORMATS = {"money": "#,##0.00", "number": "#,##0.00", "percent": "0.00", "rate": "0.0000", "date": "yyyy-mm-dd",
           "month": "yyyy-mm", "int": "0"}


def render_xlsx(report: FunderReport) -> bytes:
    workbook = Workbook()
    _cover(workbook.active, report)
    _narrative(workbook.create_sheet("Narrative"), report)
    _progress(workbook.create_sheet("WP progress"), report)
    for table in report_tables(report):
        _table(workbook.create_sheet(table.key), table)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _header(sheet, titles, widths) -> None:
    append_row(sheet, list(titles))
    for index, width in enumerate(widths, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"


def _table(sheet, table: Table) -> None:
    _header(sheet, [c.title for c in table.columns], [max(c.width, len(c.title) + 2) for c in table.columns])
    for index, row in enumerate(table.rows):
        values = ["yes" if v is True else "" if v is False else v for v in row]
        append_row(sheet, values)
        # Row 1 is the header. Not sheet.max_row: openpyxl scans every cell for it, which made a
        # large report's workbook quadratic (bench/reports.py, docs/PERFORMANCE.md).
        row_number = index + 2
        for column_index, column in enumerate(table.columns, start=1):
            cell = sheet.cell(row=row_number, column=column_index)
            if column.kind in FORMATS:
                cell.number_format = FORMATS[column.kind]
            if index in table.total_rows:
                cell.font, cell.fill = Font(bold=True), TOTAL_FILL
    if table.note:
        append_row(sheet, [])
        append_row(sheet, [table.note])


def _cover(sheet, report: FunderReport) -> None:
    sheet.title = "Cover"
    cover = report.cover
    _header(sheet, ["Field", "Value"], [28, 90])
    for label, value in (
        ("Programme", cover.programme), ("Project", cover.project_acronym), ("Title", cover.project_title),
        ("Funder reference", cover.funder_reference), ("Reporting period", cover.period_number),
        ("Period start", cover.period_start), ("Period end", cover.period_end),
        ("Report due", cover.report_due_date), ("Lead partner", cover.lead_partner),
        ("Generated", cover.generated_on), ("Version", cover.version), ("Money basis", report.money_basis),
    ):
        append_row(sheet, [label, value])
        if hasattr(value, "isoformat"):
            sheet.cell(row=sheet.max_row, column=2).number_format = FORMATS["date"]
    append_row(sheet, [])
    append_row(sheet, ["Key figure", "Value"])
    sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    sheet.cell(row=sheet.max_row, column=2).font = Font(bold=True)
    for figure in report.key_figures:
        append_row(sheet, [figure.label, figure.value])
        if not isinstance(figure.value, str | int):
            sheet.cell(row=sheet.max_row, column=2).number_format = FORMATS["money"]


def _narrative(sheet, report: FunderReport) -> None:
    _header(sheet, ["Section", "Text"], [34, 120])
    narrative = report.narrative
    for title, text in (("Highlights", narrative.highlights if narrative else ""),
                        ("Deviations and corrective actions", narrative.deviations if narrative else ""),
                        ("Cross-border added value", narrative.cross_border_value if narrative else ""),
                        ("Next steps", narrative.next_steps if narrative else "")):
        append_row(sheet, [title, text])
        sheet.cell(row=sheet.max_row, column=2).alignment = Alignment(wrap_text=True, vertical="top")


def _progress(sheet, report: FunderReport) -> None:
    _header(sheet, ["WP", "Title", "Lead", "Partner", "Period", "Objectives", "Narrative"], [7, 30, 14, 14, 8, 18, 90])
    entries = [(section, entry) for section in report.work_packages for entry in section.entries]
    for row_number, (section, entry) in enumerate(entries, start=2):  # row 1 is the header
        append_row(sheet, [section.code, section.title, section.lead_partner, entry.partner, entry.period_number,
                      entry.objective_status, entry.narrative])
        sheet.cell(row=row_number, column=7).alignment = Alignment(wrap_text=True, vertical="top")
