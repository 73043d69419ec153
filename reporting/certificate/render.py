"""The certificate as a PDF (for the controller to sign) and as a workbook (every line), from the dataclass alone.

Both reuse the funder report's renderers: its table description (funder_report.tables), its PDF styles
and table drawing, and its workbook sheets, whose rows go through consortium.spreadsheets (formula-safe).
"""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Table as PdfTable

from consortium.spreadsheets import append_row
from reporting.certificate.collect import Certificate, LineRow, Totals
from reporting.funder_report import xlsx
from reporting.funder_report.pdf import GRID, MARGIN, PAGE, STYLES, WIDTH, _date, _section_table, _text
from reporting.funder_report.tables import C, Table


def totals_table(totals: Totals) -> Table:
    title = (_("Totals in EUR, converted at the lines' frozen monthly rates") if totals.converted
             else _("Totals (%(currency)s)") % {"currency": totals.currency})
    rows = tuple((r.label, r.declared, r.verified, r.deducted, r.parked, r.unverified) for r in totals.rows)
    return Table(f"Totals {totals.currency}", title, (
        C(_("Cost category or flat rate"), width=40), C(_("Declared"), "money", 14), C(_("Verified"), "money", 14),
        C(_("Deducted"), "money", 14), C(_("Parked"), "money", 14), C(_("Not yet verified"), "money", 14),
    ), rows, frozenset(i for i, r in enumerate(totals.rows) if r.is_total),
        note=_("Flat rates are recomputed on the verified bases, rounded down. Lines parked by an earlier report "
               "and verified with this one count as verified and deducted here, not as declared."))


def cofinancing_table(totals: Totals) -> Table:
    return Table(f"Co-financing {totals.currency}", _("Co-financing on the verified amount (%(currency)s)") % {
        "currency": totals.currency}, (
        C(_("Funding source"), width=34), C(_("Rate"), "percent", 10), C(_("Verified"), "money", 16),
        C(_("Co-financing"), "money", 16),
    ), ((totals.funding_source, totals.cofinancing_rate, totals.rows[-1].verified, totals.cofinancing),),
        note=_("The partner's rate of the verified total, rounded down to the cent."))


def _line_cells(row: LineRow) -> tuple:
    return (row.line_id, f"P{row.report_period}", row.cost_category, row.description, row.currency, row.declared,
            row.verified, row.deducted, row.parked, row.deduction_type, row.comment)


def _line_columns() -> tuple:
    """Built per call: the titles are in the reader's language."""
    return (C(_("Line"), "int", 7), C(_("Period"), width=7), C(_("Cost category"), width=18),
            C(_("Description"), width=30), C(_("Currency"), width=8), C(_("Declared"), "money", 12),
            C(_("Verified"), "money", 12), C(_("Deducted"), "money", 12), C(_("Parked"), "money", 12),
            C(_("Deduction type"), width=22), C(_("Comment"), width=30))


def line_tables(certificate: Certificate) -> list[Table]:
    return [
        Table("Deductions", _("Deductions"), _line_columns(), tuple(_line_cells(r) for r in certificate.deductions),
              note=_("Amounts in the line's currency.")),
        Table("Parked", _("Parked lines (left for a later certificate of the partner)"), _line_columns(),
              tuple(_line_cells(r) for r in certificate.parked)),
        Table("Brought in", _("Lines parked earlier and verified with this report"), _line_columns(),
              tuple(_line_cells(r) for r in certificate.brought_in)),
    ]


def _heading(certificate: Certificate) -> list[tuple[str, str]]:
    return [
        (_("Programme"), certificate.programme),
        (_("Project"), certificate.project),
        (_("Partner"), certificate.partner),
        (_("Report"), _("Progress report %(id)s, period %(number)s: %(start)s – %(end)s") % {
            "id": certificate.report_id, "number": certificate.period_number,
            "start": _date(certificate.period_start), "end": _date(certificate.period_end)}),
        (_("Status"), certificate.status),
        (_("Controller"), certificate.controller or "–"),
        (_("Certified on"), _date(certificate.certified_on) if certificate.certified_on else
         _("Not certified yet: a draft of the certificate")),
    ]


def render_certificate_pdf(certificate: Certificate) -> bytes:
    buffer = BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                                 bottomMargin=MARGIN, title=_("Control certificate"), author=certificate.controller)
    story = [Paragraph(_("First-level control certificate"), STYLES["title"]),
             Paragraph(_text(certificate.partner), STYLES["subtitle"])]
    if not certificate.certified:
        story.append(Paragraph(_("DRAFT: the report is still in control; nothing is certified yet."), STYLES["H2"]))
    heading = PdfTable([[Paragraph(_text(label), STYLES["H2"]), Paragraph(_text(value), STYLES["body"])]
                        for label, value in _heading(certificate)], colWidths=[50 * mm, WIDTH - 70 * mm],
                       hAlign="LEFT")
    heading.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.3, GRID)]))
    story += [heading, Spacer(1, 4 * mm)]
    for totals in certificate.totals:
        for spec in (totals_table(totals), cofinancing_table(totals)):
            story += [Paragraph(_text(spec.title), STYLES["H1"]), *_section_table(spec)]
    for spec in line_tables(certificate):
        story += [Paragraph(_text(spec.title), STYLES["H1"]), *_section_table(spec)]
    story += [Spacer(1, 14 * mm),
              Paragraph(_text(_("I certify that the expenditure verified above was incurred and paid for the "
                                "project, is eligible and is supported by the documents I have checked.")),
                        STYLES["body"]),
              Spacer(1, 14 * mm),
              Paragraph(_text(_("Date and signature of the controller: ____________________________  %(name)s")
                              % {"name": certificate.controller}), STYLES["body"])]
    document.build(story)
    return buffer.getvalue()


def lines_table(certificate: Certificate) -> Table:
    """Every line and lump sum of the certificate, with its control."""
    columns = (*_line_columns()[:4], C(_("Supplier"), width=20), C(_("Invoice number"), width=14),
               *_line_columns()[4:], C(_("Sampled"), "flag", 9), C(_("Brought in from an earlier report"), "flag", 12))
    rows = tuple((r.line_id, f"P{r.report_period}", r.cost_category, r.description, r.supplier, r.invoice_number,
                  r.currency, r.declared, r.verified, r.deducted, r.parked, r.deduction_type, r.comment, r.sampled,
                  r.brought_in) for r in certificate.lines)
    return Table("Lines", _("Lines"), columns, rows)


def render_certificate_xlsx(certificate: Certificate) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Certificate"
    xlsx._header(sheet, [_("Field"), _("Value")], [24, 90])
    for label, value in _heading(certificate):
        append_row(sheet, [label, value])
    xlsx._table(workbook.create_sheet("Lines"), lines_table(certificate))
    for totals in certificate.totals:
        xlsx._table(workbook.create_sheet(totals_table(totals).key[:31]), totals_table(totals))
        xlsx._table(workbook.create_sheet(cofinancing_table(totals).key[:31]), cofinancing_table(totals))
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
