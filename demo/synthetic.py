"""Synthetic measurement data: a standalone project SYNTH<N>, N times the demo's size, by bulk inserts.

This deliberately bypasses the services (no validation, no audit history, no rate lookup): it is
data for measuring the funder report and the lists, not a way to enter real reports. Reports are
created already certified, with their exchange rates frozen on the lines as submission would and every line
verified as declared by its first-level controller (money counts once certified).

At scale 1: 14 partners, 6 work packages, 30 deliverables, 2–3 certified reports per partner (35)
with 10 lines each. At scale N: N× deliverables, reports and lines; partners and WPs ×2 when N > 1.
"""

import math
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from consortium.models import (
    Programme,
    Project,
    ReportingPeriod,
    add_months,
    first_of_month,
    last_of_month,
    local_today,
)
from partners.models import BudgetLine, Contact, Organisation, Partner, initial_budget_version
from reporting.models import (
    EffortReported,
    Expenditure,
    IndicatorProgress,
    LineControl,
    ProgressReport,
    WorkPackageProgress,
)
from reporting.money import staff_amount, to_eur
from workpackages.models import Activity, Deliverable, Effort, Indicator, Milestone, WorkPackage

COUNTRIES = ("DK", "SE", "DK", "SE", "NO", "DK", "SE")
RATES = {"DKK": Decimal("7.4590"), "SEK": Decimal("11.1200"), "NOK": Decimal("11.6500")}
CURRENCY_OF = {"DK": "DKK", "SE": "SEK", "NO": "NOK"}
REPORTS_PER_SCALE = 35  # 14 partners × 2.5 reports
LINES_PER_REPORT = 10
PERIOD_MONTHS = 3
STATUSES = ("accepted", "submitted", "in_progress", "planned", "planned", "internal_review")


def synthetic_acronym(scale: int) -> str:
    return f"SYNTH{scale}"


@transaction.atomic
def seed_synthetic(*, scale: int, today: date | None = None) -> Project:
    """Create SYNTH<scale>; the caller makes sure it does not exist yet."""
    today = today or local_today()
    factor = 2 if scale > 1 else 1
    partner_count, wp_count = 14 * factor, 6 * factor
    report_count = REPORTS_PER_SCALE * scale
    period_count = max(6, math.ceil(report_count / partner_count))
    months = period_count * PERIOD_MONTHS
    start = add_months(first_of_month(today), -(months - PERIOD_MONTHS))  # the last period is the current one
    acronym = synthetic_acronym(scale)

    programme, _ = Programme.objects.get_or_create(
        name="Synthetic programme (measurements)", defaults={"short_name": "SYNTH", "start_year": start.year,
                                                            "end_year": start.year + 10},
    )
    project = Project.objects.create(
        programme=programme, acronym=acronym, title=f"Synthetic project at scale {scale} (Øresund–Kattegat)",
        funder_reference=f"NYPS {20300000 + scale}", start_date=start,
        end_date=last_of_month(add_months(start, months - 1)),
    )
    periods = ReportingPeriod.objects.bulk_create([
        ReportingPeriod(project=project, number=n + 1, start_date=add_months(start, n * PERIOD_MONTHS),
                        end_date=last_of_month(add_months(start, (n + 1) * PERIOD_MONTHS - 1)),
                        report_due_date=last_of_month(add_months(start, (n + 2) * PERIOD_MONTHS - 1)))
        for n in range(period_count)
    ])
    organisations = Organisation.objects.bulk_create([
        Organisation(name=f"{acronym} Organisation {n:02d} (Malmö/København)", short_name=f"{acronym}-{n:02d}",
                     country=COUNTRIES[n % len(COUNTRIES)], legal_status="public")
        for n in range(1, partner_count + 1)
    ])
    partners = Partner.objects.bulk_create([
        Partner(project=project, organisation=org, number=n, role="lead" if n == 1 else "partner",
                cofinancing_rate=Decimal("50.00") if org.country == "NO" else Decimal("60.00"),
                funding_source="norwegian_national" if org.country == "NO" else "erdf")
        for n, org in enumerate(organisations, start=1)
    ])
    Contact.objects.bulk_create([
        Contact(project=project, organisation=p.organisation, name=f"Contact {p.number} Ærø", kind="partner_contact",
                email=f"contact{p.number}@{acronym.lower()}.example.org")
        for p in partners
    ])
    first = initial_budget_version(project)  # bulk_create skips the save() that attaches lines to version 1
    BudgetLine.objects.bulk_create([
        BudgetLine(budget_version=first, partner=p, cost_category=category, amount=Decimal(amount))
        for p in partners
        for category, amount in (("staff", "400000.00"), ("travel", "30000.00"), ("external", "80000.00"),
                                 ("equipment", "25000.00"), ("office_admin", "60000.00"))
    ])
    wps = WorkPackage.objects.bulk_create([
        WorkPackage(project=project, number=n, title=f"Work package {n}",
                    lead_partner=partners[(n - 1) % len(partners)],
                    start_month=1 if n == 1 else min(months, 1 + (n - 1) * 2), end_month=months)
        for n in range(1, wp_count + 1)
    ])
    Activity.objects.bulk_create([
        Activity(work_package=wp, number=a, title=f"Activity {wp.number}.{a}", start_month=wp.start_month,
                 end_month=max(wp.start_month, wp.end_month - a * 3))
        for wp in wps for a in (1, 2)
    ])
    Milestone.objects.bulk_create([
        Milestone(project=project, work_package=wp, code=f"MS{wp.number}", title=f"Milestone of WP{wp.number}",
                  due_date=last_of_month(add_months(start, min(months - 1, wp.start_month + 5))),
                  means_of_verification="Minutes")
        for wp in wps
    ])
    indicators = Indicator.objects.bulk_create([
        Indicator(project=project, code=code, name=name, unit=unit, target=Decimal(target))
        for code, name, unit, target in (("RCO84", "Pilot actions", "pilot action", "10"),
                                         ("RCO87", "Cross-border organisations", "organisation", "20"),
                                         ("RCO116", "Jointly developed solutions", "solution", "6"),
                                         ("RCR104", "Solutions taken up", "solution", "4"))
    ])
    Effort.objects.bulk_create([
        Effort(partner=p, work_package=wp, person_months=Decimal("6.00"))
        for p in partners for wp in wps if (p.number + wp.number) % 3 == 0 or wp.lead_partner_id == p.pk
    ])
    deliverable_total = 30 * scale
    deliverables = []
    for n in range(deliverable_total):
        wp = wps[n % len(wps)]
        due = last_of_month(add_months(start, (n * months) // deliverable_total))
        status = STATUSES[n % len(STATUSES)] if due < today else "planned"
        submitted = due - timedelta(days=n % 5) if status in ("accepted", "submitted") else None
        deliverables.append(Deliverable(
            project=project, work_package=wp, code=f"D{wp.number}.{n // len(wps) + 1}",
            title=f"Deliverable {n + 1}: cross-border report", lead_partner=wp.lead_partner, type="R",
            original_due_date=due, due_date=due, status=status, submitted_date=submitted,
            accepted_date=submitted if status == "accepted" else None,
        ))
    Deliverable.objects.bulk_create(deliverables)

    reports = ProgressReport.objects.bulk_create([
        ProgressReport(partner=partners[i % len(partners)], period=periods[i // len(partners)], status="certified",
                       summary="Synthetic report.")
        for i in range(report_count)
    ])
    lines, narratives, values, efforts = [], [], [], []
    for i, report in enumerate(reports):
        partner = partners[i % len(partners)]
        currency = CURRENCY_OF[partner.organisation.country]
        rate_month = first_of_month(report.period.end_date)
        wp = wps[i % len(wps)]
        for k in range(LINES_PER_REPORT):
            if k < 3:
                hours, hourly = Decimal(60 + k * 10), Decimal("48.37")
                amount, kwargs = staff_amount(hours, hourly), {"hours": hours, "hourly_rate": hourly,
                                                               "employee": f"Researcher {k}"}
                line_currency, category = "EUR", "staff"
            else:
                amount, kwargs = Decimal(200 + 37 * k + i % 50) + Decimal("0.45"), {}
                line_currency = currency if k >= 7 else "EUR"
                category = ("travel", "external", "equipment")[k % 3]
            rate = RATES.get(line_currency)
            lines.append(Expenditure(
                report=report, cost_category=category, work_package=wp, description=f"Line {k + 1}",
                amount=amount, currency=line_currency, exchange_rate=rate, rate_month=rate_month if rate else None,
                amount_eur=to_eur(amount, line_currency, rate), **kwargs,
            ))
        narratives.append(WorkPackageProgress(report=report, work_package=wp, narrative="Progress as planned.",
                                              objective_status="partly"))
        efforts.append(EffortReported(report=report, work_package=wp, person_months=Decimal("1.50")))
        values.append(IndicatorProgress(report=report, indicator=indicators[i % len(indicators)], value=Decimal("1")))
    Expenditure.objects.bulk_create(lines, batch_size=2000)
    LineControl.objects.bulk_create([LineControl(expenditure=line, verified_amount=line.amount,
                                                 certified_in=line.report) for line in lines], batch_size=2000)
    WorkPackageProgress.objects.bulk_create(narratives)
    EffortReported.objects.bulk_create(efforts)
    IndicatorProgress.objects.bulk_create(values)
    return project
