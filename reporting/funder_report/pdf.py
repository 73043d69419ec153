"""The funder report as a PDF (reportlab platypus), drawn from the FunderReport dataclass alone.

A4 landscape, so that the deliverables and finance tables and the Gantt chart stay legible. The
text font is DejaVu Sans when installed (Debian fonts-dejavu-core: every Nordic letter), else
Helvetica, whose Latin-1 set also covers æøåäö.
"""

from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Drawing, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from reporting.funder_report.collect import FunderReport, Gantt, KeyFigure
from reporting.funder_report.spending_pdf import spending_drawing
from reporting.funder_report.tables import Table as TableSpec
from reporting.funder_report.tables import format_cell, report_tables

PAGE = landscape(A4)
MARGIN = 15 * mm
WIDTH = PAGE[0] - 2 * MARGIN
NAVY = colors.HexColor("#1f3a5f")
TEAL = colors.HexColor("#2a7f8e")
LIGHT = colors.HexColor("#eef2f6")
GRID = colors.HexColor("#b8c4d0")
WARN = colors.HexColor("#b03a2e")
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


def _fonts() -> tuple[str, str]:
    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    if not (regular.exists() and bold.exists()):
        return "Helvetica", "Helvetica-Bold"
    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(regular)))
        pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(bold)))
        pdfmetrics.registerFontFamily("DejaVuSans", normal="DejaVuSans", bold="DejaVuSans-Bold",
                                      italic="DejaVuSans", boldItalic="DejaVuSans-Bold")
    return "DejaVuSans", "DejaVuSans-Bold"


FONT, BOLD = _fonts()
STYLES = {
    "title": ParagraphStyle("title", fontName=BOLD, fontSize=26, leading=32, textColor=NAVY, spaceAfter=6),
    "subtitle": ParagraphStyle("subtitle", fontName=FONT, fontSize=14, leading=19, textColor=TEAL, spaceAfter=18),
    "H1": ParagraphStyle("H1", fontName=BOLD, fontSize=15, leading=19, textColor=NAVY, spaceBefore=10,
                         spaceAfter=6),
    "H2": ParagraphStyle("H2", fontName=BOLD, fontSize=11, leading=14, textColor=TEAL, spaceBefore=8, spaceAfter=3),
    "body": ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, spaceAfter=4),
    "note": ParagraphStyle("note", fontName=FONT, fontSize=8, leading=10, textColor=colors.HexColor("#555555"),
                           spaceAfter=4),
    "cell": ParagraphStyle("cell", fontName=FONT, fontSize=7.5, leading=9),
    "head": ParagraphStyle("head", fontName=BOLD, fontSize=7.5, leading=9, textColor=colors.white),
    "toc": ParagraphStyle("toc", fontName=FONT, fontSize=11, leading=16),
}


def _version(version: int) -> str:
    return str(version) if version else _("– (no narrative yet)")


def _date(day, short: bool = False) -> str:
    """A date as the reader's language writes it (the PDF is drawn in the downloading user's language)."""
    return date_format(day, "SHORT_DATE_FORMAT" if short else "DATE_FORMAT")


def _text(value: str) -> str:
    return escape(value or "").replace("\n", "<br/>")


class NumberedCanvas(canvas.Canvas):
    """Holds pages back until the end so each footer can say "Page x of y"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages = []

    def showPage(self):  # noqa: N802 - reportlab's API
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            if self._pageNumber > 1:  # the cover carries no footer
                self.setFont(FONT, 8)
                self.setFillColor(colors.grey)
                self.drawRightString(PAGE[0] - MARGIN, 8 * mm,
                                     _("Page %(page)s of %(total)s") % {"page": self._pageNumber, "total": total})
            super().showPage()
        super().save()


def cover_band(canv, doc) -> None:
    """The cover page's navy band at the top and teal strip at the bottom (the funder report's and the claim's)."""
    canv.saveState()
    canv.setFillColor(NAVY)
    canv.rect(0, PAGE[1] - 18 * mm, PAGE[0], 18 * mm, stroke=0, fill=1)
    canv.setFillColor(TEAL)
    canv.rect(0, 0, PAGE[0], 6 * mm, stroke=0, fill=1)
    canv.restoreState()


class FunderReportDocument(BaseDocTemplate):
    def __init__(self, buffer, report: FunderReport):
        super().__init__(buffer, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN + 6 * mm,
                         bottomMargin=MARGIN, title=_("%(project)s funder report P%(number)s") % {
                             "project": report.cover.project_acronym, "number": report.cover.period_number},
                         author=report.cover.lead_partner, subject=report.cover.programme)
        self.report = report
        frame = Frame(MARGIN, MARGIN, WIDTH, PAGE[1] - 2 * MARGIN - 6 * mm, id="body")
        self.addPageTemplates([
            PageTemplate("cover", frames=[frame], onPage=cover_band),
            PageTemplate("body", frames=[frame], onPage=self._header),
        ])

    def _header(self, canv, doc):
        cover = self.report.cover
        canv.saveState()
        canv.setFont(FONT, 8)
        canv.setFillColor(NAVY)
        canv.drawString(MARGIN, PAGE[1] - MARGIN + 1 * mm,
                        f"{cover.project_acronym} · {cover.programme}")
        canv.drawRightString(PAGE[0] - MARGIN, PAGE[1] - MARGIN + 1 * mm,
                             _("Funder report, period %(number)s (%(start)s–%(end)s)") % {
                                 "number": cover.period_number, "start": _date(cover.period_start, short=True),
                                 "end": _date(cover.period_end, short=True)})
        canv.setStrokeColor(TEAL)
        canv.setLineWidth(0.8)
        canv.line(MARGIN, PAGE[1] - MARGIN - 1 * mm, PAGE[0] - MARGIN, PAGE[1] - MARGIN - 1 * mm)
        canv.setFillColor(colors.grey)
        canv.drawString(MARGIN, 8 * mm, _("Generated %(date)s · version %(version)s") % {
            "date": _date(cover.generated_on, short=True), "version": _version(cover.version)})
        canv.restoreState()

    def afterFlowable(self, flowable):  # noqa: N802 - reportlab's API
        if isinstance(flowable, Paragraph) and flowable.style.name == "H1":
            text = flowable.getPlainText()
            key = f"section-{self.seq.nextf('section')}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(text, key, level=0)
            self.notify("TOCEntry", (0, text, self.page, key))


def render_pdf(report: FunderReport) -> bytes:
    buffer = BytesIO()
    document = FunderReportDocument(buffer, report)
    document.multiBuild(_story(report), canvasmaker=NumberedCanvas)
    return buffer.getvalue()


def _story(report: FunderReport) -> list:
    tables = {t.key: t for t in report_tables(report)}
    story = _cover(report)
    story += [NextPageTemplate("body"), PageBreak(), Paragraph(_("Contents"), STYLES["H2"])]
    toc = TableOfContents()
    toc.levelStyles = [STYLES["toc"]]
    story += [toc, PageBreak()]
    # Sections flow one after the other; a section starts on a new page only when less than SECTION_ROOM
    # is left, and headings keep with what follows them (STYLES).
    story += [Paragraph(_("1. Key figures"), STYLES["H1"]), Paragraph(_text(report.money_basis), STYLES["note"]),
              _key_figures(report.key_figures)]
    story += _narrative(report)
    story += _section(_("3. Partnership")) + [_table(tables["Partnership"])]
    story += _section(_("4. Work plan (Gantt chart)"), room=_gantt_room(report.gantt)) + [
        Paragraph(_("Bars: work packages (dark) and activities (light) by project month; diamonds: milestones "
                    "(filled when achieved); shaded: this period; red line: today."), STYLES["note"])]
    story += _gantt(report.gantt)
    story += _progress(report)
    story += _section(_("6. Deliverables")) + [_table(tables["Deliverables"])]
    story += _section(_("7. Milestones")) + [_table(tables["Milestones"])]
    story += _section(_("8. Indicators")) + _indicators(tables["Indicators"])
    story += _section(_("9. Effort")) + _section_table(tables["Effort"])
    story += _section(_("10. Finances")) + [Paragraph(_text(report.money_basis), STYLES["body"])]
    for key in ("Finances", "Control", "Not yet certified", "Flat rates", "Lump sums", "Unit costs", "Co-financing",
                "Funding sources",
                "Exchange rates"):
        spec = tables[key]
        story += [CondPageBreak(TABLE_ROOM), Paragraph(_text(spec.title), STYLES["H2"]), *_section_table(spec)]
    if "Spending profile" in tables:
        spec = tables["Spending profile"]
        story += [CondPageBreak(TABLE_ROOM), Paragraph(_text(spec.title), STYLES["H2"]),
                  spending_drawing(report.spending, WIDTH), *_section_table(spec)]
    story += _section(_("11. Partner reports")) + _section_table(tables["Partner reports"])
    story += _section(_("12. Open risks")) + _section_table(tables["Risks"])
    return story


# Room a section (a table) needs for its heading and first rows; with less left, it starts on the next page.
# Otherwise it follows the section before on the same page, and its table continues on the next.
SECTION_ROOM = 35 * mm
TABLE_ROOM = 30 * mm


def _section(title: str, room: float = SECTION_ROOM) -> list:
    return [CondPageBreak(room), Paragraph(_text(title), STYLES["H1"])]


def _cover(report: FunderReport) -> list:
    cover = report.cover
    rows = [
        (_("Programme"), cover.programme),
        (_("Project"), f"{cover.project_acronym} – {cover.project_title}"),
        (_("Funder reference"), cover.funder_reference or "–"),
        (_("Project duration"), f"{_date(cover.project_start)} – {_date(cover.project_end)}"),
        (_("Reporting period"), _("Period %(number)s: %(start)s – %(end)s (report due %(due)s)") % {
            "number": cover.period_number, "start": _date(cover.period_start), "end": _date(cover.period_end),
            "due": _date(cover.report_due_date)}),
        (_("Lead partner"), cover.lead_partner or "–"),
        (_("Date"), _date(cover.generated_on)),
        (_("Version"), _version(cover.version)),
    ]
    table = Table([[Paragraph(label, STYLES["H2"]), Paragraph(_text(value), STYLES["body"])] for label, value in rows],
                  colWidths=[55 * mm, WIDTH - 75 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.3, GRID),
                               ("TOPPADDING", (0, 0), (-1, -1), 4)]))
    return [Spacer(1, 18 * mm), Paragraph(_("Progress report to the funder"), STYLES["subtitle"]),
            Paragraph(_text(_("%(project)s – reporting period %(number)s") % {
                "project": cover.project_acronym, "number": cover.period_number}), STYLES["title"]),
            Paragraph(_text(cover.project_title), STYLES["subtitle"]), table, Spacer(1, 8 * mm),
            Paragraph(_text(report.money_basis), STYLES["note"])]


def _key_figures(figures: tuple[KeyFigure, ...]) -> Table:
    cells = []
    for figure in figures:
        value = figure.value if isinstance(figure.value, str | int) else format_cell(figure.value, "money")
        cells.append([Paragraph(_text(figure.label), STYLES["body"]),
                      Paragraph(f"<b>{_text(str(value))}</b>", STYLES["body"])])
    half = (len(cells) + 1) // 2
    left, right = cells[:half], cells[half:] + [["", ""]] * (half - len(cells[half:]))
    grid = [a + b for a, b in zip(left, right, strict=True)]
    column = WIDTH / 2
    table = Table(grid, colWidths=[column * 0.68, column * 0.32] * 2)
    table.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), LIGHT), ("LINEBELOW", (0, 0), (-1, -1), 0.3, GRID),
                               ("LINEAFTER", (1, 0), (1, -1), 1, colors.white),
                               ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return table


def _narrative(report: FunderReport) -> list:
    story = [Paragraph(_("2. Project progress (management unit)"), STYLES["H1"])]
    if report.narrative is None:
        return story + [Paragraph(_("The management unit has not written the narrative for this period yet."),
                                  STYLES["body"])]
    for title, text in ((_("Highlights"), report.narrative.highlights),
                        (_("Deviations and corrective actions"), report.narrative.deviations),
                        (_("Cross-border added value"), report.narrative.cross_border_value),
                        (_("Next steps"), report.narrative.next_steps)):
        story += [Paragraph(title, STYLES["H2"]), Paragraph(_text(text) or "–", STYLES["body"])]
    return story


def _progress(report: FunderReport) -> list:
    story = [*_section(_("5. Progress per work package")),
             Paragraph(_("Compiled from approved partner reports, cumulative to the end of the period."),
                       STYLES["note"])]
    for section in report.work_packages:
        story.append(Paragraph(_text(f"{section.code} {section.title}"), STYLES["H2"]))
        story.append(Paragraph(_text(_("Lead: %(partner)s · %(months)s") % {
            "partner": section.lead_partner, "months": section.months}), STYLES["note"]))
        if section.objectives:
            story.append(Paragraph(_text(section.objectives), STYLES["body"]))
        if not section.entries:
            story.append(Paragraph(_("No approved partner narrative yet."), STYLES["body"]))
            continue
        rows = [[Paragraph(h, STYLES["head"]) for h in (_("Partner"), _("Period"), _("Objectives"), _("Narrative"))]]
        rows += [[Paragraph(_text(e.partner), STYLES["cell"]), Paragraph(f"P{e.period_number}", STYLES["cell"]),
                  Paragraph(_text(e.objective_status), STYLES["cell"]), Paragraph(_text(e.narrative), STYLES["cell"])]
                 for e in section.entries]
        story.append(_styled(Table(rows, colWidths=[30 * mm, 14 * mm, 28 * mm, WIDTH - 72 * mm], repeatRows=1)))
    return story


def _styled(table: Table, total_rows=frozenset(), right_columns=()) -> Table:
    commands = [
        ("BACKGROUND", (0, 0), (-1, 0), NAVY),
        ("FONTNAME", (0, 1), (-1, -1), FONT),
        ("FONTSIZE", (0, 1), (-1, -1), 7.5),
        ("LEADING", (0, 1), (-1, -1), 9),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.25, GRID),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, LIGHT]),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    commands += [("ALIGN", (column, 1), (column, -1), "RIGHT") for column in right_columns]
    for index in total_rows:
        commands += [("BACKGROUND", (0, index + 1), (-1, index + 1), colors.HexColor("#d5e3ea")),
                     ("FONTNAME", (0, index + 1), (-1, index + 1), BOLD)]
    table.setStyle(TableStyle(commands))
    return table


# A text column this wide (in XLSX characters) may wrap, so it gets a Paragraph; every other cell is a
# plain string, which reportlab lays out many times faster (the deliverables table grows with the project).
WRAP_WIDTH = 20


class CellParagraph(Paragraph):
    """A table cell's Paragraph, wrapped once per width. reportlab lays out the rest of a long table again at
    every page it splits it over, wrapping each cell anew, so the wraps of the deliverables table grew with its
    rows × its pages (issue 22); a Paragraph's wrap depends on the width alone, so the answer is the same."""

    _wrapped = None  # (width, the wrap's answer)

    def wrap(self, availWidth, availHeight):  # noqa: N803 - reportlab's API
        if self._wrapped is None or self._wrapped[0] != availWidth:
            self._wrapped = (availWidth, super().wrap(availWidth, availHeight))
        return self._wrapped[1]


def _cells(spec: TableSpec, extra=None) -> tuple[list, list]:
    """Header and body rows: Paragraphs only where text may wrap."""
    head = [CellParagraph(_text(c.title), STYLES["head"]) for c in spec.columns]
    wraps = [c.kind == "text" and c.width >= WRAP_WIDTH for c in spec.columns]
    rows = []
    for index, row in enumerate(spec.rows):
        bold = index in spec.total_rows
        cells = []
        for value, column, wrap in zip(row, spec.columns, wraps, strict=True):
            text = format_cell(value, column.kind)
            if wrap:
                text = _text(text)
                cells.append(CellParagraph(f"<b>{text}</b>" if bold else text, STYLES["cell"]))
            else:
                cells.append(text)
        rows.append(cells + ([extra(index)] if extra else []))
    return head, rows


def _right_columns(spec: TableSpec) -> list[int]:
    return [i for i, c in enumerate(spec.columns) if c.kind in ("money", "number", "percent", "rate", "int")]


def _widths(spec: TableSpec, reserved: float = 0) -> list[float]:
    total = sum(c.width for c in spec.columns)
    return [(WIDTH - reserved) * c.width / total for c in spec.columns]


def _table(spec: TableSpec) -> Table:
    head, rows = _cells(spec)
    if not rows:
        return Paragraph(_("None."), STYLES["body"])
    return _styled(Table([head, *rows], colWidths=_widths(spec), repeatRows=1), spec.total_rows,
                   _right_columns(spec))


def _section_table(spec: TableSpec) -> list:
    story = [_table(spec)]
    if spec.note:
        story.append(Paragraph(_text(spec.note), STYLES["note"]))
    return story


def _progress_bar(percent, width: float) -> Drawing:
    drawing = Drawing(width, 9)
    drawing.add(Rect(0, 1, width, 7, fillColor=LIGHT, strokeColor=GRID, strokeWidth=0.3))
    share = min(float(percent or 0), 100.0) / 100
    if share:
        drawing.add(Rect(0, 1, width * share, 7, fillColor=TEAL, strokeColor=None))
    return drawing


def _indicators(spec: TableSpec) -> list:
    bar_width = 45 * mm
    percents = [row[-1] for row in spec.rows]
    head, rows = _cells(spec, extra=lambda i: _progress_bar(percents[i], bar_width - 8))
    if not rows:
        return [Paragraph(_("None."), STYLES["body"])]
    head.append(Paragraph(_("Progress"), STYLES["head"]))
    table = Table([head, *rows], colWidths=[*_widths(spec, bar_width), bar_width], repeatRows=1)
    return [_styled(table, right_columns=_right_columns(spec)), Paragraph(_text(spec.note), STYLES["note"])]


# ---------------------------------------------------------------------------------------------
# The Gantt chart: a flowable that fills the rest of a page and continues on the next one, each part with
# its own month scale, cut between work packages where it can.

ROW = 5.2 * mm
LABEL = 70 * mm
SCALE = 9 * mm
MIN_ROWS = 6  # fewer bar rows than this on a page is no chart: the chart starts on the next page


def _gantt_room(gantt: Gantt) -> float:
    """The room the section needs on a page: its heading and note, and its first rows (all of a short chart)."""
    return 25 * mm + SCALE + min(len(gantt.bars), MIN_ROWS) * ROW


class GanttChart(Flowable):
    def __init__(self, gantt: Gantt, bars):
        super().__init__()
        self.gantt, self.bars = gantt, tuple(bars)
        self.drawing = _gantt_chart(gantt, self.bars)

    def wrap(self, available_width, available_height):
        return self.drawing.width, self.drawing.height + GANTT_GAP

    def draw(self):
        self.drawing.drawOn(self.canv, 0, GANTT_GAP)

    def split(self, available_width, available_height):
        rows = int((available_height - GANTT_GAP - SCALE - 2) // ROW)
        if rows >= len(self.bars) or rows < MIN_ROWS:
            return []  # it fits, or too little of it would: reportlab moves it to the next page
        # Cut before the last work package that starts within the rows that fit, unless that leaves too few.
        starts = [i for i, bar in enumerate(self.bars[:rows + 1]) if bar.kind == "wp" and i >= MIN_ROWS]
        cut = starts[-1] if starts else rows
        return [GanttChart(self.gantt, self.bars[:cut]), GanttChart(self.gantt, self.bars[cut:])]


GANTT_GAP = 4 * mm  # below each part


def _gantt(gantt: Gantt) -> list:
    if not gantt.bars:
        return [Paragraph(_("No work packages yet."), STYLES["body"])]
    return [GanttChart(gantt, gantt.bars)]


def _fit(text: str, width: float, size: float) -> str:
    if pdfmetrics.stringWidth(text, FONT, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", FONT, size) > width:
        text = text[:-1]
    return text + "…"


def _gantt_chart(gantt: Gantt, bars) -> Drawing:
    months = gantt.months
    month_width = (WIDTH - LABEL) / months
    height = SCALE + ROW * len(bars) + 2
    drawing = Drawing(WIDTH, height)
    top = height - SCALE

    def x_of(month: float) -> float:
        return LABEL + (month - 1) * month_width

    first, last = gantt.period_months
    drawing.add(Rect(x_of(first), 0, (last - first + 1) * month_width, top, fillColor=colors.HexColor("#fff4d6"),
                     strokeColor=None))
    step = 1 if months <= 24 else 3
    for month in range(1, months + 1):
        x = x_of(month)
        drawing.add(Line(x, 0, x, top, strokeColor=GRID if (month - 1) % 12 else NAVY,
                         strokeWidth=0.2 if (month - 1) % 12 else 0.6))
        if month == 1 or month % step == 0:
            drawing.add(String(x + month_width / 2, top + 3, f"M{month}", fontName=FONT, fontSize=6,
                               textAnchor="middle", fillColor=NAVY))
    drawing.add(Line(x_of(months + 1), 0, x_of(months + 1), top, strokeColor=GRID, strokeWidth=0.2))
    row_of_wp = {}
    for index, bar in enumerate(bars):
        y = top - (index + 1) * ROW
        if index % 2:
            drawing.add(Rect(0, y, LABEL, ROW, fillColor=LIGHT, strokeColor=None))
        is_wp = bar.kind == "wp"
        label = f"{bar.code} {bar.title}" if is_wp else f"   {bar.code} {bar.title}"
        drawing.add(String(2, y + 1.6 * mm, _fit(label, LABEL - 4, 7), fontName=BOLD if is_wp else FONT,
                           fontSize=7, fillColor=NAVY if is_wp else colors.black))
        inset = 0.8 * mm if is_wp else 1.4 * mm
        drawing.add(Rect(x_of(bar.start_month), y + inset, (bar.end_month - bar.start_month + 1) * month_width,
                         ROW - 2 * inset, fillColor=NAVY if is_wp else colors.HexColor("#7fb3c0"),
                         strokeColor=None))
        if is_wp:
            row_of_wp[bar.code] = y
    today_x = x_of(gantt.today_month) + month_width / 2 if gantt.today_month else None
    for milestone in gantt.milestones:
        if milestone.work_package not in row_of_wp or not 1 <= milestone.month <= months:
            continue
        cx = x_of(milestone.month) + month_width / 2
        cy = row_of_wp[milestone.work_package] + ROW / 2
        r = 2.2 * mm
        drawing.add(Polygon([cx, cy + r, cx + r, cy, cx, cy - r, cx - r, cy], strokeColor=WARN, strokeWidth=0.8,
                            fillColor=colors.HexColor("#f5b041") if milestone.achieved else colors.white))
        anchor, x = milestone_label_side(cx, r, pdfmetrics.stringWidth(milestone.code, FONT, 5.5), today_x)
        drawing.add(String(x, cy + r - 1, milestone.code, fontName=FONT, fontSize=5.5, fillColor=WARN,
                           textAnchor=anchor))
    if today_x is not None:
        drawing.add(Line(today_x, 0, today_x, top + 2, strokeColor=WARN, strokeWidth=1.2, strokeDashArray=[3, 2]))
        drawing.add(String(today_x, top + 3 + 6, _("today"), fontName=BOLD, fontSize=6, textAnchor="middle",
                           fillColor=WARN))
    return drawing


LABEL_GAP = 1  # points between a milestone's diamond and its label


def milestone_label_side(cx: float, r: float, width: float, today_x: float | None) -> tuple[str, float]:
    """(textAnchor, x) of a milestone's label: right of its diamond, unless that crosses the "today" line or
    leaves the chart; then left of it."""
    right = (cx + r + LABEL_GAP, cx + r + LABEL_GAP + width)
    crosses_today = today_x is not None and right[0] - LABEL_GAP <= today_x <= right[1] + LABEL_GAP
    if crosses_today or right[1] + 1 > WIDTH:
        return "end", cx - r - LABEL_GAP
    return "start", right[0]
