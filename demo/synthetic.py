"""Synthetic measurement data: a standalone project SYNTH<N>, N times the demo's size, by bulk inserts.

The plan, the reports and their lines deliberately bypass the services (no validation, no audit history, no rate
lookup): it is data for measuring the pages, lists and exports, not a way to enter real reports. Rates are frozen
on the lines as submission would. Every report before the last reporting round is certified, its lines verified by
the partner's first-level controller (one line in four reports deducted with a reason, one in seven parked); the
last round is at every step of the workflow (certified, in control half verified, approved, submitted, draft).
What follows the certificates goes through the services, as a real MU would: a claim per round (all but the last
finalised, paid by the programme and passed on to the partners; the last a draft) and budget version 2 (approved,
shifting money between categories) with a draft version 3. Five people hold the roles (SYNTH_ROLES).

At scale 1: 14 partners, 6 work packages, 30 deliverables, 2–3 reports per partner (35) with 10 lines each.
At scale N: N× deliverables, reports and lines; partners and WPs ×2 when N > 1.
"""

import math
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from consortium.models import (
    Membership,
    Programme,
    Project,
    ReportingPeriod,
    Role,
    add_months,
    first_of_month,
    last_of_month,
    local_today,
)
from partners.models import BudgetLine, Contact, Organisation, Partner, initial_budget_version
from reporting.models import (
    DeductionType,
    EffortReported,
    Expenditure,
    IndicatorProgress,
    LineControl,
    ProgressReport,
    WorkPackageProgress,
)
from reporting.money import staff_amount, to_eur
from reporting.selectors import certificate_totals
from workpackages.models import Activity, Deliverable, Effort, Indicator, Milestone, WorkPackage

COUNTRIES = ("DK", "SE", "DK", "SE", "NO", "DK", "SE")
RATES = {"DKK": Decimal("7.4590"), "SEK": Decimal("11.1200"), "NOK": Decimal("11.6500")}
CURRENCY_OF = {"DK": "DKK", "SE": "SEK", "NO": "NOK"}
REPORTS_PER_SCALE = 35  # 14 partners × 2.5 reports
LINES_PER_REPORT = 10
PERIOD_MONTHS = 3
STATUSES = ("accepted", "submitted", "in_progress", "planned", "planned", "internal_review")
# The last reporting round goes through every step of the workflow (cycled over its reports).
LAST_ROUND = ("certified", "in_control", "approved", "submitted", "draft")
DEDUCT_EVERY, PARK_EVERY = 4, 7  # one line deducted in every 4th controlled report, one parked in every 7th
# The people of SYNTH<N>, by username suffix: synth<N>-mu, -coordinator, -reporter (of a partner with a draft in the
# last round), -controller (of every partner) and -viewer. They have no password (the benches sign them in directly).
SYNTH_ROLES = {"mu": Role.MANAGEMENT_UNIT, "coordinator": Role.COORDINATOR, "reporter": Role.REPORTER,
               "controller": Role.CONTROLLER, "viewer": Role.VIEWER}


def synthetic_acronym(scale: int) -> str:
    return f"SYNTH{scale}"


def synthetic_user(scale: int, role: str):
    """The person of SYNTH<scale> holding `role` (a key of SYNTH_ROLES)."""
    return get_user_model().objects.get(username=f"{synthetic_acronym(scale).lower()}-{role}")


def _moment(day: date, days: int):
    return timezone.make_aware(timezone.datetime.combine(day + timedelta(days=days), timezone.datetime.min.time()))


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

    last_round = (report_count - 1) // len(partners)
    # The reporter's partner is the first with a draft in the last round: the report editor then shows a draft at
    # every scale.
    first_draft = next(i for i in range(last_round * len(partners), report_count)
                       if LAST_ROUND[i % len(LAST_ROUND)] == "draft")
    people = _people(project, scale, partners, reporting_partner=partners[first_draft % len(partners)])
    reports = ProgressReport.objects.bulk_create([
        _report(partners[i % len(partners)], periods[i // len(partners)],
                LAST_ROUND[i % len(LAST_ROUND)] if i // len(partners) == last_round else "certified", people)
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
    # Every seventh certified report parks a line, and so does the report before each one in control (of the same
    # partner, a round earlier): the control page then shows lines brought in from an earlier certificate.
    parking = {i for i in range(report_count) if i % PARK_EVERY == 0} | {
        i - len(partners) for i, report in enumerate(reports) if report.status == "in_control"}
    controls = [_control(line, n, people["controller"], parking) for n, line in enumerate(lines)
                if line.report.status in ("certified", "in_control")]  # n // LINES_PER_REPORT: the report's index
    LineControl.objects.bulk_create(controls, batch_size=2000)
    WorkPackageProgress.objects.bulk_create(narratives)
    EffortReported.objects.bulk_create(efforts)
    IndicatorProgress.objects.bulk_create(values)
    # As report_certify does: the certificates' totals are stored (computed from the rows just inserted).
    certificate_totals(ProgressReport.objects.filter(pk__in=[r.pk for r in reports], status="certified")
                       .select_related("partner").prefetch_related("lump_sum_claims"))
    _claims(project, periods[:last_round + 1], people["mu"], today)
    _budget_versions(project, partners, people["mu"])
    return project


def _people(project, scale: int, partners, *, reporting_partner) -> dict:
    users = {}
    for suffix, role in SYNTH_ROLES.items():
        user = get_user_model().objects.create_user(f"{synthetic_acronym(scale).lower()}-{suffix}",
                                                    email=f"{suffix}@{synthetic_acronym(scale).lower()}.example.org")
        membership = Membership.objects.create(user=user, project=project, role=role,
                                               partner=reporting_partner if role == Role.REPORTER else None)
        if role == Role.CONTROLLER:
            membership.controlled_partners.set(partners)
        users[suffix] = user
    return users


def _report(partner, period, status: str, people) -> ProgressReport:
    """A report at `status`, with the moments and people of the steps it went through."""
    end = period.end_date
    steps = ProgressReport.Status
    reached = {name: status not in earlier for name, earlier in (
        ("submitted", (steps.DRAFT,)), ("reviewed", (steps.DRAFT, steps.SUBMITTED)),
        ("control", (steps.DRAFT, steps.SUBMITTED, steps.APPROVED)),
        ("certified", (steps.DRAFT, steps.SUBMITTED, steps.APPROVED, steps.IN_CONTROL)))}
    return ProgressReport(
        partner=partner, period=period, status=status, summary="Synthetic report.",
        submitted_at=_moment(end, 20) if reached["submitted"] else None,
        reviewed_at=_moment(end, 30) if reached["reviewed"] else None,
        reviewed_by=people["mu"] if reached["reviewed"] else None,
        control_started_at=_moment(end, 35) if reached["control"] else None,
        control_started_by=people["controller"] if reached["control"] else None,
        certified_at=_moment(end, 60) if reached["certified"] else None,
        certified_by=people["controller"] if reached["certified"] else None,
    )


def _control(line: Expenditure, n: int, controller, parking: set[int]) -> LineControl:
    """The controller's result on a line: verified as declared, or deducted / parked now and then; a report still
    in control has only its first half verified."""
    # By the report's place in the seed, never its id: the same data on every database and run.
    report, index, k = line.report, n // LINES_PER_REPORT, n % LINES_PER_REPORT
    certified = report.status == "certified"
    if not certified and k >= LINES_PER_REPORT // 2:
        return LineControl(expenditure=line)
    if certified and k == LINES_PER_REPORT - 1 and index in parking:
        return LineControl(expenditure=line, parked=True, comment="Invoice to follow with the next report.")
    control = LineControl(expenditure=line, verified_amount=line.amount, controlled_at=_moment(report.period.end_date,
                                                                                                45),
                          controlled_by=controller, certified_in=report if certified else None)
    if k == LINES_PER_REPORT - 2 and index % DEDUCT_EVERY == 0:
        control.verified_amount = (line.amount * Decimal("0.90")).quantize(Decimal("0.01"))
        control.deduction_type = DeductionType.EVIDENCE
        control.comment = "Part of the invoice is not backed by a timesheet."
    return control


def _claims(project, rounds, mu, today: date) -> None:
    """A claim per reporting round: finalised, paid and passed on, except the last round's (a draft)."""
    from claims import services as claims
    from demo.claims import day_after, finalise_and_pay

    for number, period in enumerate(rounds, start=1):
        if not claims.unclaimed_reports(project, period):
            continue
        claim = claims.claim_create(project=project, period=period, user=mu)
        if number < len(rounds):
            finalise_and_pay(claim, mu, accepted=[], paid_on=day_after(period, 5, today),
                             passed_on=day_after(period, 6, today))


def _budget_versions(project, partners, mu) -> None:
    """Version 2 (approved from period 2) moves travel money to staff for every other partner; version 3 is a
    draft moving equipment money to external expertise for the lead partner."""
    from partners import budget_versions as budgets

    second = budgets.budget_version_create(project=project, user=mu, reason="Reallocation after the first year.",
                                           applies_from=2)
    for partner in partners[::2]:
        budgets.budget_version_set_line(version=second, partner=partner, cost_category="travel",
                                        amount=Decimal("25000.00"))
        budgets.budget_version_set_line(version=second, partner=partner, cost_category="staff",
                                        amount=Decimal("405000.00"))
    budgets.budget_version_approve(version=second, user=mu)
    third = budgets.budget_version_create(project=project, user=mu, reason="Equipment no longer needed.",
                                          applies_from=3)
    budgets.budget_version_set_line(version=third, partner=partners[0], cost_category="equipment",
                                    amount=Decimal("15000.00"))
    budgets.budget_version_set_line(version=third, partner=partners[0], cost_category="external",
                                    amount=Decimal("90000.00"))
