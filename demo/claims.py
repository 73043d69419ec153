"""Demo payment claims of ReproUnion, made through the claims services on the demo's certified reports.

Called by `manage.py seed_demo` after the reports. Claim 1 (period 1) and claim 2 (period 2) are finalised, the
programme paid them and the lead partner passed every ERDF partner its share (for claim 1 the programme accepted
less than claimed for one partner, with its reason; Norwegian funds went to the Norwegian partner directly).
Claim 3 (period 3) is a draft, the open claim. A claim with no certified report waiting gets one certified late
(an approved report of its period or earlier, verified as declared by the partner's controller): the late
certificates a claim takes. Amounts are the certificates' own, so everything is deterministic for a given day.
"""

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q

from claims import services
from claims.models import Claim
from claims.selectors import claim_figures
from consortium.models import Role, local_today
from partners.models import FundingSource
from reporting import services as reporting
from reporting.models import LineControl, ProgressReport

PROJECT = "ReproUnion"
# Claim 1: the programme's sample check cuts one partner's accepted expenditure (in its currency): the last ERDF
# partner of the claim that is not the lead, by at most CUT.
CUT = Decimal("1250.00")
CUT_REASON = "The programme's sample check found a consultancy invoice outside the eligibility period."


def _user(project, role: str):
    membership = project.memberships.filter(role=role).select_related("user").order_by("user__username").first()
    return membership.user if membership else None


def _controller_of(project, partner):
    membership = project.memberships.filter(role=Role.CONTROLLER, controlled_partners=partner).select_related(
        "user").order_by("user__username").first()
    return membership.user if membership else None


def certify_as_declared(report: ProgressReport, controller) -> ProgressReport:
    """First-level control of an approved report with every line and claimed lump sum verified as declared."""
    reporting.control_start(report=report, user=controller, notify=False)
    reporting.lines_verify_as_declared(report=report, user=controller, control_ids=list(LineControl.objects.filter(
        Q(expenditure__report=report) | Q(lump_sum_claim__report=report)).values_list("pk", flat=True)))
    return reporting.report_certify(report=report, user=controller, notify=False)


def certify_late(project, period) -> ProgressReport | None:
    """Certify an approved report of `period` or earlier (the oldest first: the latest of late certificates) whose
    partner a controller controls; never a partner's only approved report, which the demo keeps waiting for
    control."""
    approved = list(ProgressReport.objects.filter(
        partner__project=project, status=ProgressReport.Status.APPROVED).select_related("partner", "period").order_by(
        "period__number", "partner__number").annotate(lump_sums=Count("lump_sum_claims")))
    per_partner = Counter(report.partner_id for report in approved)
    for report in approved:
        # Reports claiming a lump sum stay approved: the funder report of approved reports shows one.
        if report.period.number > period.number or per_partner[report.partner_id] < 2 or report.lump_sums:
            continue
        controller = _controller_of(project, report.partner)
        if controller is not None:
            return certify_as_declared(report, controller)
    return None


def _claim(project, period, mu) -> Claim | None:
    """The period's claim, with a late certificate when no certified report waits for one (None: none can)."""
    if not services.unclaimed_reports(project, period) and certify_late(project, period) is None:
        return None
    return services.claim_create(project=project, period=period, user=mu)


def _cut(claim: Claim) -> list[dict]:
    erdf = [part for part in claim_figures(claim).partners
            if part.fund == FundingSource.ERDF and part.partner.role != "lead" and part.claimed]
    if not erdf:
        return []
    part = erdf[-1]
    return [{"partner": part.partner, "eligible": part.claimed - min(CUT, (part.claimed / 10).quantize(CUT)),
             "reason": CUT_REASON}]


def day_after(period, months_after_end: int, today: date) -> date:
    """A day some months after the period ended, never after today (the demo is relative to today)."""
    day = period.end_date + timedelta(days=30 * months_after_end)
    return min(day, today)


def finalise_and_pay(claim: Claim, mu, *, accepted: list[dict], paid_on: date, passed_on: date) -> None:
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
    today = local_today()
    mu = _user(project, Role.MANAGEMENT_UNIT)
    periods = list(project.periods.filter(end_date__lt=today).order_by("number"))[:3]
    count = 0
    with transaction.atomic():
        for index, period in enumerate(periods):
            claim = _claim(project, period, mu)
            if claim is None:
                continue
            count += 1
            if index < 2:  # claims 1 and 2 are finalised and paid; claim 3 stays open
                finalise_and_pay(claim, mu, accepted=_cut(claim) if index == 0 else [],
                                  paid_on=day_after(period, 5, today), passed_on=day_after(period, 6, today))
    stdout.write(f"Created {count} demo claims.")
    return count
