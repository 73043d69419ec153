"""The spending profile (reporting/spending.py) as an SVG bar chart drawn on the server: no script (CSP)."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

WIDTH, HEIGHT = 720, 240
LEFT, BOTTOM, TOP = 80, 28, 12
SERIES = (("planned", _("Planned"), "#8aa9c9"), ("certified", _("Certified"), "#2e7d32"),
          ("forecast", _("Forecast"), "#f0a030"))


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    fill: str
    title: str


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    baseline: float
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    labels: tuple[tuple[float, str], ...]  # (x, "P1") under each group
    legend: tuple[tuple[str, str], ...]  # (colour, name)


def spending_chart(profile) -> Chart | None:
    """Bars of planned, certified and forecast EUR per period, on one scale; None without any figure."""
    highest = profile.highest
    if not profile.periods or not highest:
        return None
    plot_height = HEIGHT - BOTTOM - TOP
    baseline = HEIGHT - BOTTOM
    group = (WIDTH - LEFT) / len(profile.periods)
    bar_width = group * 0.8 / len(SERIES)
    bars, labels = [], []
    for index, period in enumerate(profile.periods):
        start = LEFT + index * group + group * 0.1
        for position, (name, label, colour) in enumerate(SERIES):
            value = getattr(period, name)
            if value is None:
                continue
            height = float(Decimal(value) / highest) * plot_height
            bars.append(Bar(round(start + position * bar_width, 1), round(baseline - height, 1),
                            round(bar_width - 2, 1), round(height, 1), colour,
                            f"P{period.number} {label}: {value:,.2f} EUR"))
        labels.append((round(LEFT + index * group + group / 2, 1), f"P{period.number}"))
    ticks = tuple(Tick(round(baseline - plot_height * share, 1), f"{highest * Decimal(share):,.0f}")
                  for share in (0, 0.5, 1))
    return Chart(WIDTH, HEIGHT, LEFT, baseline, tuple(bars), ticks, tuple(labels),
                 tuple((colour, str(label)) for _name, label, colour in SERIES))
