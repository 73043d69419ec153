"""The claim as a PDF, drawn from the ClaimDocument alone with the funder report's page, styles and tables."""

from io import BytesIO
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from claims.export.collect import ClaimDocument
from claims.export.tables import claim_tables
from reporting.funder_report.pdf import (
    FONT,
    GRID,
    MARGIN,
    NAVY,
    PAGE,
    STYLES,
    TABLE_ROOM,
    TEAL,
    WIDTH,
    NumberedCanvas,
    _date,
    _section,
    _section_table,
    cover_band,
)


def _text(value: str) -> str:
    return escape(value or "").replace("\n", "<br/>")


class ClaimPdf(BaseDocTemplate):
    def __init__(self, buffer, document: ClaimDocument):
        cover = document.cover
        super().__init__(buffer, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN + 6 * mm,
                         bottomMargin=MARGIN, title=_("%(project)s payment claim %(number)s") % {
                             "project": cover.project_acronym, "number": cover.claim_number},
                         author=cover.lead_partner, subject=cover.programme)
        self.document = document
        frame = Frame(MARGIN, MARGIN, WIDTH, PAGE[1] - 2 * MARGIN - 6 * mm, id="body")
        self.addPageTemplates([PageTemplate("cover", frames=[frame], onPage=cover_band),
                               PageTemplate("body", frames=[frame], onPage=self._header)])

    def _header(self, canv, doc):
        cover = self.document.cover
        canv.saveState()
        canv.setFont(FONT, 8)
        canv.setFillColor(NAVY)
        canv.drawString(MARGIN, PAGE[1] - MARGIN + 1 * mm, f"{cover.project_acronym} · {cover.programme}")
        canv.drawRightString(PAGE[0] - MARGIN, PAGE[1] - MARGIN + 1 * mm,
                             _("Payment claim %(number)s, period %(period)s") % {
                                 "number": cover.claim_number, "period": cover.period_number})
        canv.setStrokeColor(TEAL)
        canv.line(MARGIN, PAGE[1] - MARGIN - 1 * mm, PAGE[0] - MARGIN, PAGE[1] - MARGIN - 1 * mm)
        canv.restoreState()


def render_claim_pdf(document: ClaimDocument) -> bytes:
    buffer = BytesIO()
    ClaimPdf(buffer, document).build(_story(document), canvasmaker=NumberedCanvas)
    return buffer.getvalue()


def _story(document: ClaimDocument) -> list:
    tables = {t.key: t for t in claim_tables(document)}
    story = _cover(document) + [NextPageTemplate("body"), PageBreak()]
    story += _narrative(document)
    story += _section(_("2. Financial tables"))
    for key in ("Reports", "Categories", "Co-financing", "Funds"):
        spec = tables[key]
        story += [CondPageBreak(TABLE_ROOM), Paragraph(_text(spec.title), STYLES["H2"]), *_section_table(spec)]
    story += _section(_("3. List of expenditure")) + _section_table(tables["Expenditure"])
    story += _section(_("4. Payment status"))
    for key in ("Payment status", "Payments", "Transfers"):
        spec = tables[key]
        story += [CondPageBreak(TABLE_ROOM), Paragraph(_text(spec.title), STYLES["H2"]), *_section_table(spec)]
    return story


def _cover(document: ClaimDocument) -> list:
    cover = document.cover
    rows = [
        (_("Programme"), cover.programme),
        (_("Project"), f"{cover.project_acronym} – {cover.project_title}"),
        (_("Funder reference"), cover.funder_reference or "–"),
        (_("Reporting period"), _("Period %(number)s: %(start)s – %(end)s") % {
            "number": cover.period_number, "start": _date(cover.period_start), "end": _date(cover.period_end)}),
        (_("Lead partner"), cover.lead_partner or "–"),
        (_("Status"), cover.status_label),
        (_("Submitted"), _date(cover.submitted_on) if cover.submitted_on else "–"),
        (_("Finalised"), _date(cover.finalised_on) if cover.finalised_on else "–"),
        (_("Date"), _date(cover.generated_on)),
    ]
    if cover.partial:
        rows.append((_("Part of"), cover.partial))
    if cover.return_comment and cover.status == "draft":
        rows.append((_("Returned by the programme"), cover.return_comment))
    table = Table([[Paragraph(label, STYLES["H2"]), Paragraph(_text(value), STYLES["body"])] for label, value in rows],
                  colWidths=[55 * mm, WIDTH - 75 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.3, GRID),
                               ("TOPPADDING", (0, 0), (-1, -1), 4)]))
    return [Spacer(1, 18 * mm), Paragraph(_("Payment claim to the programme"), STYLES["subtitle"]),
            Paragraph(_text(_("%(project)s – claim %(number)s") % {
                "project": cover.project_acronym, "number": cover.claim_number}), STYLES["title"]),
            Paragraph(_text(cover.project_title), STYLES["subtitle"]), table, Spacer(1, 8 * mm),
            Paragraph(_("Money figures are certified amounts: what the first-level controllers verified."),
                      STYLES["note"])]


def _narrative(document: ClaimDocument) -> list:
    story = [Paragraph(_("1. Project progress (management unit)"), STYLES["H1"])]
    narrative = document.narrative
    if narrative is None:
        text = (_("The narrative is the management unit's; this export holds one partner's part.")
                if document.cover.partial else
                _("The management unit has not written the narrative for this period yet."))
        return story + [Paragraph(text, STYLES["body"])]
    for title, text in ((_("Highlights"), narrative.highlights),
                        (_("Deviations and corrective actions"), narrative.deviations),
                        (_("Cross-border added value"), narrative.cross_border_value),
                        (_("Next steps"), narrative.next_steps)):
        story += [Paragraph(title, STYLES["H2"]), Paragraph(_text(text) or "–", STYLES["body"])]
    return story
