"""The spending profile's chart in the funder report PDF: planned, certified and forecast bars per period."""

from decimal import Decimal

from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors

from reporting.spending import SpendingProfile

HEIGHT = 150
LEFT, BOTTOM, TOP = 60, 30, 10
SERIES = (("planned", colors.HexColor("#8aa9c9")), ("certified", colors.HexColor("#2e7d32")),
          ("forecast", colors.HexColor("#f0a030")))


def spending_drawing(profile: SpendingProfile, width: float) -> Drawing:
    """Bars on one scale (the largest figure); a legend below. Drawn from the dataclass only."""
    drawing = Drawing(width, HEIGHT)
    names = {"planned": _("Planned"), "certified": _("Certified"), "forecast": _("Forecast")}
    highest = profile.highest
    baseline = BOTTOM
    plot_height = HEIGHT - BOTTOM - TOP
    drawing.add(Line(LEFT, baseline, width, baseline, strokeColor=colors.grey))
    if highest and profile.periods:
        for share in (Decimal("0.5"), Decimal("1")):
            y = baseline + float(share) * plot_height
            drawing.add(Line(LEFT, y, width, y, strokeColor=colors.lightgrey, strokeWidth=0.3))
            drawing.add(String(LEFT - 4, y - 3, f"{highest * share:,.0f}", fontSize=7, textAnchor="end"))
        group = (width - LEFT) / len(profile.periods)
        bar = group * 0.8 / len(SERIES)
        for index, period in enumerate(profile.periods):
            start = LEFT + index * group + group * 0.1
            for position, (name, colour) in enumerate(SERIES):
                value = getattr(period, name)
                if value:
                    drawing.add(Rect(start + position * bar, baseline, bar - 1,
                                     float(Decimal(value) / highest) * plot_height, fillColor=colour,
                                     strokeColor=None))
            drawing.add(String(LEFT + index * group + group / 2, baseline - 10, f"P{period.number}", fontSize=8,
                               textAnchor="middle"))
    for position, (name, colour) in enumerate(SERIES):
        x = LEFT + position * 90
        drawing.add(Rect(x, 2, 8, 8, fillColor=colour, strokeColor=None))
        drawing.add(String(x + 12, 3, names[name], fontSize=8))
    return drawing
