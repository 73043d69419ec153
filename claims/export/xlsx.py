"""The claim as a workbook (openpyxl): a cover, the narrative and one sheet per table, drawn from the dataclass.

Rows go through consortium.spreadsheets.append_row (the funder report's sheet helpers): text typed in the app
— a line's description, a supplier, a reason — is a string cell, never a formula.
"""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment

from claims.export.collect import ClaimDocument
from claims.export.tables import claim_tables
from consortium.spreadsheets import append_row
from reporting.funder_report.xlsx import FORMATS, _header, _table


def render_claim_xlsx(document: ClaimDocument) -> bytes:
    workbook = Workbook()
    _cover(workbook.active, document)
    _narrative(workbook.create_sheet("Narrative"), document)
    for table in claim_tables(document):
        _table(workbook.create_sheet(table.key), table)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cover(sheet, document: ClaimDocument) -> None:
    sheet.title = "Cover"
    cover = document.cover
    _header(sheet, [_("Field"), _("Value")], [28, 90])
    rows = [
        (_("Programme"), cover.programme), (_("Project"), cover.project_acronym), (_("Title"), cover.project_title),
        (_("Funder reference"), cover.funder_reference), (_("Claim"), cover.claim_number),
        (_("Reporting period"), cover.period_number), (_("Period start"), cover.period_start),
        (_("Period end"), cover.period_end), (_("Status"), cover.status_label), (_("Submitted"), cover.submitted_on),
        (_("Finalised"), cover.finalised_on), (_("Lead partner"), cover.lead_partner),
        (_("Generated"), cover.generated_on),
    ]
    if cover.partial:
        rows.append((_("Part of"), cover.partial))
    if cover.return_comment and cover.status == "draft":
        rows.append((_("Returned by the programme"), cover.return_comment))
    for label, value in rows:
        append_row(sheet, [label, value])
        if hasattr(value, "isoformat"):
            sheet.cell(row=sheet.max_row, column=2).number_format = FORMATS["date"]


def _narrative(sheet, document: ClaimDocument) -> None:
    _header(sheet, [_("Section"), _("Text")], [34, 120])
    narrative = document.narrative
    for title, text in ((_("Highlights"), narrative.highlights if narrative else ""),
                        (_("Deviations and corrective actions"), narrative.deviations if narrative else ""),
                        (_("Cross-border added value"), narrative.cross_border_value if narrative else ""),
                        (_("Next steps"), narrative.next_steps if narrative else "")):
        append_row(sheet, [title, text])
        sheet.cell(row=sheet.max_row, column=2).alignment = Alignment(wrap_text=True, vertical="top")
