"""A reported world: project ALPHA with a plan, budgets, and partner reports in several states.

Period 1: all three partners certified (KU with staff, travel and a DKK line; LU with a SEK line;
OUS with a NOK line), every line verified as declared. Period 2: KU certified, LU submitted (not counted in
money), OUS draft.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from reporting.models import ProjectReport
from tests import factories as f
from tests.funder_report import builders as b

TODAY = date(2026, 11, 2)
NORDIC = "Søren Ødegård Åberg, Malmö och Göteborg: æøå ÆØÅ äö ÄÖ"


@dataclass
class Reported:
    world: object
    deliverables: list
    indicator: object
    approved: list  # the reports money must count: certified, every line verified as declared
    submitted: object  # LU's P2 report: submitted, not counted
    scale: int


def build_reported(world, scale: int = 1) -> Reported:
    project = world.project
    partners = [world.partner_a, world.partner_b, world.partner_no]
    for partner in partners:
        f.make_contact(project, partner.organisation, name=f"{NORDIC[:18]} {partner.code}")
        for category, amount in (("staff", "200000.00"), ("travel", "20000.00"), ("external", "50000.00")):
            f.make_budget_line(partner, category, Decimal(amount))
        f.make_effort(partner, world.wp1, Decimal("6.00"))
    f.make_effort(world.partner_b, world.wp2, Decimal("24.00"))
    indicator = f.make_indicator(project, code="RCO84", name="Pilot actions developed jointly", unit="pilot action",
                                 target=Decimal("8"))
    f.make_milestone(world.wp1, code="MS1", title="Consortium agreement signed", due_date=date(2025, 3, 31),
                     achieved_date=date(2025, 3, 20), means_of_verification="Signed agreement")
    f.make_milestone(world.wp2, code="MS2", title="Pilot started", due_date=date(2026, 9, 30))
    deliverables = []
    for i in range(10 * scale):
        wp = world.wp1 if i % 2 else world.wp2
        due = date(2025 + (i % 3), 1 + (i % 12), 28)
        submitted = due if i % 4 == 0 and due < TODAY else None
        deliverables.append(f.make_deliverable(
            wp, code=f"D{wp.number}.{i + 1}", title=f"Deliverable {i + 1} on Øresund cooperation", due_date=due,
            status="submitted" if submitted else "in_progress", submitted_date=submitted,
        ))
    approved = []
    for partner in partners:
        report = b.make_report(partner, world.period1, summary="Period 1")
        approved.append(report)
        b.add_parts(report, world.wp1, indicator, narrative=f"{partner.code}: {NORDIC}")
        for n in range(scale):
            b.add_staff_line(report, hours="120.50", hourly_rate="45.35", employee=f"Researcher {n}")
            b.add_line(report, "travel", "1234.57")
            currency, rate = {"DK": ("DKK", "7.4613"), "SE": ("SEK", "11.2034"), "NO": ("NOK", "11.7925")}[
                partner.organisation.country]
            b.add_line(report, "external", "9999.99", currency=currency, rate=rate)
        b.certify(report)
    report = b.make_report(world.partner_a, world.period2)
    approved.append(report)
    b.add_parts(report, world.wp1, indicator, value="1")
    for _ in range(scale):
        b.add_staff_line(report, hours="80.00", hourly_rate="52.33")
        b.add_line(report, "external", "500.01", currency="DKK", rate="7.4600", rate_month=date(2026, 12, 1))
    b.certify(report)
    submitted = b.make_report(world.partner_b, world.period2, status="submitted")
    b.add_line(submitted, "travel", "77777.77")
    b.make_report(world.partner_no, world.period2, status="draft")
    ProjectReport.objects.create(project=project, period=world.period2, highlights=f"Highlights: {NORDIC}",
                                 deviations="One pilot moved from M14 to M17; corrective action: second site.",
                                 cross_border_value="Clinics in Skåne and Zealand share one protocol.",
                                 next_steps="Scale the pilot.")
    return Reported(world, deliverables, indicator, approved, submitted, scale)


@pytest.fixture
def reported(world):
    return build_reported(world)
