"""Demo payment claims of ReproUnion, made through the claims services on the demo's certified reports.

Called by `manage.py seed_demo` after the reports. Claim 1 (period 1) and claim 2 (period 2) are finalised, the
programme paid them and the lead partner passed every ERDF partner its share (for claim 1 the programme accepted
less than claimed for one partner, with its reason; Norwegian funds went to OUS directly). SUS's report of
period 1 is certified only after claim 1 went out — a late certificate — and waits in claim 3 (period 3), a draft:
the open claim. Amounts are the certificates' own, so everything is deterministic for a given day.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from claims import services
from claims.models import Claim
from claims.selectors import claim_figures
from consortium.models import Role, local_today
from partners.models import FundingSource
from reporting import services as reporting
from reporting.models import LineControl, ProgressReport

PROJECT = "ReproUnion"
# Claim 1: the programme's sample check cut one partner's accepted expenditure (in its currency).
CUT = ("FERRING", Decimal("1250.00"), "The programme's sample check found a consultancy invoice outside the "
                                      "eligibility period; 1,250.00 EUR not accepted.")
LATE = "SUS"  # its period-1 report is certified after claim 1: the open claim takes it


def _user(project, role: str):
    membership = project.memberships.filter(role=role).select_related("user").order_by("user__username").first()
    return membership.user if membership else None


def _controller_of(project, partner):
    membership = project.memberships.filter(role=Role.CONTROLLER, controlled_partners=partner).select_related(
        "user").order_by("user__username").first()
    return membership.user if membership else None


def certify_as_declared(report: ProgressReport, controller) -> ProgressReport:
    """First-level control of an approved report with every line verified as declared."""
    reporting.control_start(report=report, user=controller, notify=False)
    reporting.lines_verify_as_declared(report=report, user=controller, control_ids=list(
        LineControl.objects.filter(expenditure__report=report).values_list("pk", flat=True)))
    return reporting.report_certify(report=report, user=controller, notify=False)


def _day(period, months_after_end: int, today: date) -> date:
    """A day some months after the period ended, never after today (the demo is relative to today)."""
    day = period.end_date + timedelta(days=30 * months_after_end)
    return min(day, today)


def _finalise_and_pay(claim: Claim, mu, *, accepted: list[dict], paid_on: date, passed_on: date) -> None:
    services.claim_submit(claim=claim, user=mu, notify=False)
    services.claim_verify(claim=claim, user=mu)
    services.claim_finalise(claim=claim, user=mu, accepted=accepted, notify=False)
    figures = claim_figures(claim)
    erdf = sum((part.accepted_cofinancing for part in figures.partners if part.fund == FundingSource.ERDF),
               Decimal("0.00"))
    if erdf:
        services.payment_record(claim=claim, user=mu, fund=FundingSource.ERDF, date=paid_on, amount=erdf,
                                currency="EUR", reference=f"ÖKS {claim.project.acronym} claim {claim.number}")
    for part in figures.partners:
        if part.fund == FundingSource.NORWEGIAN and part.accepted_cofinancing:
            services.payment_record(claim=claim, user=mu, fund=FundingSource.NORWEGIAN, date=paid_on,
                                    amount=part.accepted_cofinancing, currency=part.currency, partner=part.partner,
                                    reference=f"Norwegian Interreg funds, claim {claim.number}")
        elif part.fund == FundingSource.ERDF and part.accepted_cofinancing:
            # The lead partner's own share is booked as passed on to itself, so that it is not shown as owed.
            services.transfer_record(claim=claim, user=mu, partner=part.partner, date=passed_on,
                                     amount=part.accepted_cofinancing, notify=False,
                                     reference=f"Claim {claim.number} share")


def seed_demo_claims(projects, stdout) -> int:
    """Create ReproUnion's claims unless it has some; return how many were created."""
    project = next((p for p in projects if p.acronym == PROJECT), None)
    if project is None or Claim.objects.filter(project=project).exists():
        stdout.write("Demo claims already exist; none created.")
        return 0
    certified = ProgressReport.objects.filter(partner__project=project, status=ProgressReport.Status.CERTIFIED)
    if not certified.exists():
        stdout.write("No certified report to claim; no demo claims.")
        return 0
    today = local_today()
    mu = _user(project, Role.MANAGEMENT_UNIT)
    periods = list(project.periods.filter(end_date__lt=today).order_by("number"))
    with transaction.atomic():
        first = services.claim_create(project=project, period=periods[0], user=mu)
        cut = next(part for part in claim_figures(first).partners if part.partner.organisation.short_name == CUT[0])
        _finalise_and_pay(first, mu, accepted=[{"partner": cut.partner, "eligible": cut.claimed - CUT[1],
                                                "reason": CUT[2]}],
                          paid_on=_day(periods[0], 5, today), passed_on=_day(periods[0], 6, today))
        second = services.claim_create(project=project, period=periods[1], user=mu)
        _finalise_and_pay(second, mu, accepted=[], paid_on=_day(periods[1], 5, today),
                          passed_on=_day(periods[1], 6, today))
        late = ProgressReport.objects.get(partner__project=project, partner__organisation__short_name=LATE,
                                          period=periods[0])
        certify_as_declared(late, _controller_of(project, late.partner))
        services.claim_create(project=project, period=periods[2], user=mu)
    stdout.write("Created 3 demo claims (2 finalised and paid, 1 draft).")
    return 3
