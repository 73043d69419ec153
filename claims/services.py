"""The only writers of claims and payments: each transition a function, called by the API, the web and the
admin alike (permission checks are the callers', through claims.access)."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from claims import emails
from claims.models import Claim, ClaimAcceptance, ClaimReport, PartnerTransfer, ProgrammePayment
from claims.selectors import claim_figures
from consortium.errors import DomainError, Problem, StateConflict
from consortium.services import create_validated, validate
from partners.models import FundingSource, Partner
from reporting.models import ProgressReport

Status = Claim.Status


def _locked(claim: Claim) -> Claim:
    return Claim.objects.select_for_update().select_related("project", "period").get(pk=claim.pk)


def _sync(target: Claim, source: Claim) -> Claim:
    for f in Claim._meta.concrete_fields:
        setattr(target, f.attname, getattr(source, f.attname))
    return target


def unclaimed_reports(project, period) -> list[ProgressReport]:
    """Certified reports of the project, of `period` or earlier, in no claim yet (late certificates included)."""
    return list(ProgressReport.objects.filter(
        partner__project=project, status=ProgressReport.Status.CERTIFIED, period__number__lte=period.number,
        claim_entry__isnull=True).order_by("partner__number", "period__number"))


def _gather(claim: Claim) -> int:
    reports = unclaimed_reports(claim.project, claim.period)
    ClaimReport.objects.bulk_create([ClaimReport(claim=claim, report=report) for report in reports])
    return len(reports)


@transaction.atomic
def claim_create(*, project, period, user) -> Claim:
    """A draft claim for `period`, gathering every certified report not yet claimed."""
    if period.project_id != project.pk:
        raise DomainError("The period must belong to the project.", field="period")
    if Claim.objects.filter(project=project, period=period).exists():
        raise DomainError(f"{project} already has a claim for period {period.number}.", field="period")
    if not unclaimed_reports(project, period):
        raise DomainError(f"No certified report of period {period.number} or earlier is waiting to be claimed.",
                          field="period")
    # Locking the project row numbers claims one at a time.
    type(project).objects.select_for_update().filter(pk=project.pk).first()
    number = (Claim.objects.filter(project=project).aggregate(n=Max("number"))["n"] or 0) + 1
    claim = Claim(project=project, period=period, number=number, created_by=user)
    claim._history_user = user
    validate(claim)
    claim.save()
    _gather(claim)
    return claim


@transaction.atomic
def claim_gather(*, claim: Claim, user) -> int:
    """Add to a draft the reports certified since it was created; returns how many were added."""
    locked = _locked(claim)
    if locked.status != Status.DRAFT:
        raise StateConflict("Only a draft claim gathers reports.")
    return _gather(locked)


@transaction.atomic
def claim_delete(*, claim: Claim, user) -> None:
    """Remove a draft claim (its reports go back to waiting for one)."""
    locked = _locked(claim)
    if locked.status != Status.DRAFT or locked.submitted_at is not None:
        raise StateConflict("Only a draft claim that was never submitted can be deleted.")
    locked._history_user = user
    locked.delete()


def _transition(claim: Claim, *, user, allowed: tuple, to: str, **fields) -> Claim:
    locked = _locked(claim)
    if locked.status not in allowed:
        raise StateConflict(f"This claim is {locked.get_status_display()}; it cannot become "
                            f"{Status(to).label}.")
    locked.status = to
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.version += 1
    locked._history_user = user
    locked.save()
    return locked


@transaction.atomic
def claim_submit(*, claim: Claim, user, notify: bool = True) -> Claim:
    """Send the claim to the programme; it is read-only from now on (unless the programme returns it)."""
    locked = _locked(claim)
    if not locked.entries.exists():
        raise StateConflict("A claim holds at least one certified report.")
    locked = _transition(locked, user=user, allowed=(Status.DRAFT,), to=Status.SUBMITTED,
                         submitted_at=timezone.now(), submitted_by=user)
    if notify:
        transaction.on_commit(lambda: emails.claim_changed(locked))
    return _sync(claim, locked)


@transaction.atomic
def claim_verify(*, claim: Claim, user) -> Claim:
    """The programme has started its verification of the claim."""
    return _sync(claim, _transition(claim, user=user, allowed=(Status.SUBMITTED,), to=Status.IN_VERIFICATION,
                                    verification_started_at=timezone.now()))


@transaction.atomic
def claim_return(*, claim: Claim, user, comment: str, notify: bool = True) -> Claim:
    """The programme sent the claim back: a draft again, with its reason."""
    allowed = (Status.SUBMITTED, Status.IN_VERIFICATION)
    if _locked(claim).status in allowed and not (comment or "").strip():  # the state first (409), then input (400)
        raise DomainError("Say why the programme returned the claim.", field="comment")
    locked = _transition(claim, user=user, allowed=allowed, to=Status.DRAFT, return_comment=(comment or "").strip())
    if notify:
        transaction.on_commit(lambda: emails.claim_changed(locked))
    return _sync(claim, locked)


@transaction.atomic
def claim_finalise(*, claim: Claim, user, accepted: list[dict], notify: bool = True) -> Claim:
    """Record the programme's verdict: the eligible expenditure it accepted per partner (`accepted`: dicts of
    partner, eligible, reason). A partner not named is accepted as claimed; less than claimed needs a reason."""
    locked = _locked(claim)
    if locked.status not in (Status.SUBMITTED, Status.IN_VERIFICATION):
        raise StateConflict(f"This claim is {locked.get_status_display()}; only a submitted claim is finalised.")
    figures = {part.partner.pk: part for part in claim_figures(locked).partners}
    problems, rows, seen = [], {}, set()
    for index, item in enumerate(accepted):
        partner = item.get("partner")
        partner_id = partner.pk if isinstance(partner, Partner) else partner
        at = {"collection": "accepted", "index": index}
        if partner_id not in figures:
            problems.append(Problem("partner", "This partner has no report in the claim.", **at))
            continue
        if partner_id in seen:
            problems.append(Problem("partner", "This partner is named twice.", **at))
            continue
        seen.add(partner_id)
        eligible = item.get("eligible")
        part = figures[partner_id]
        if not isinstance(eligible, Decimal) or eligible < 0 or eligible != eligible.quantize(Decimal("0.01")):
            problems.append(Problem("eligible", "Give the accepted eligible amount in cents, not negative.", **at))
            continue
        if eligible > part.claimed:
            problems.append(Problem("eligible", f"The programme cannot accept more than the claimed {part.claimed} "
                                                f"{part.currency}.", **at))
        elif eligible < part.claimed and not (item.get("reason") or "").strip():
            problems.append(Problem("reason", "Say why the programme accepted less than claimed.", **at))
        rows[partner_id] = ClaimAcceptance(claim=locked, partner_id=partner_id, eligible=eligible,
                                           reason=(item.get("reason") or "").strip())
    if problems:
        raise DomainError("The accepted amounts are invalid.", problems=problems)
    for partner_id, part in figures.items():
        rows.setdefault(partner_id, ClaimAcceptance(claim=locked, partner_id=partner_id, eligible=part.claimed))
    ClaimAcceptance.objects.filter(claim=locked).delete()
    ClaimAcceptance.objects.bulk_create(rows.values())
    locked = _transition(locked, user=user, allowed=(Status.SUBMITTED, Status.IN_VERIFICATION),
                         to=Status.FINALISED, finalised_at=timezone.now(), finalised_by=user)
    if notify:
        transaction.on_commit(lambda: emails.claim_changed(locked))
    return _sync(claim, locked)


def _require_finalised(claim: Claim) -> Claim:
    locked = _locked(claim)
    if locked.status != Status.FINALISED:
        raise StateConflict("Payments are recorded against a finalised claim.")
    return locked


ZERO = Decimal("0.00")


def _within(amount, due: Decimal, recorded: Decimal, currency: str) -> None:
    """Refuse an amount that would take what is recorded beyond what the programme accepted."""
    if isinstance(amount, Decimal) and recorded + amount > due:
        raise DomainError(f"The claim's accepted co-financing is {due:,.2f} {currency} and {recorded:,.2f} "
                          f"{currency} is recorded already: at most {max(due - recorded, ZERO):,.2f} {currency} "
                          "more.", field="amount")


@transaction.atomic
def payment_record(*, claim: Claim, user, fund: str, date: date, amount: Decimal, currency: str = "EUR",
                   reference: str = "", partner=None) -> ProgrammePayment:
    """Money the programme paid for the claim: ERDF to the lead partner; Norwegian funds to the Norwegian
    partner directly (name it)."""
    locked = _require_finalised(claim)
    if fund == FundingSource.NORWEGIAN and partner is None:
        raise DomainError("Norwegian funds are paid to the Norwegian partner directly: name the partner.",
                          field="partner")
    if fund != FundingSource.NORWEGIAN and partner is not None:
        raise DomainError("The programme pays ERDF to the lead partner: leave the partner empty.", field="partner")
    if partner is not None and (partner.project_id != locked.project_id or partner.funding_source != fund):
        raise DomainError("The partner must be one of the project's partners funded by this fund.", field="partner")
    # The programme pays in the currency the claim asks the fund in (ERDF in EUR; Norwegian funds in the
    # partner's reporting currency): a payment in another one would never meet its claim's figures.
    parts = [part for part in claim_figures(locked).partners if part.fund == fund
             and (partner is None or part.partner.pk == partner.pk)]
    if not parts:
        raise DomainError("The claim asks this fund for nothing" + (" for this partner." if partner else "."),
                          field="partner" if partner else "fund")
    currencies = sorted({part.currency for part in parts})
    if currency not in currencies:
        raise DomainError(f"The claim asks this fund in {', '.join(currencies)}: record the payment in it.",
                          field="currency")
    # Never more than the programme accepted: an overpayment would make "outstanding" negative and hide a typo.
    due = sum((part.accepted_cofinancing or ZERO for part in parts if part.currency == currency), ZERO)
    earlier = ProgrammePayment.objects.filter(claim=locked, fund=fund, currency=currency, partner=partner)
    _within(amount, due, sum(earlier.values_list("amount", flat=True), ZERO), currency)
    payment = ProgrammePayment(claim=locked, fund=fund, date=date, amount=amount, currency=currency,
                               reference=reference, partner=partner)
    payment._history_user = user
    validate(payment)
    payment.save()
    return payment


@transaction.atomic
def transfer_record(*, claim: Claim, user, partner, date: date, amount: Decimal, reference: str = "",
                    notify: bool = True) -> PartnerTransfer:
    """The lead partner passed `partner` (ERDF-funded, in the claim) its share; the partner's reporters hear."""
    locked = _require_finalised(claim)
    if partner.project_id != locked.project_id or not locked.entries.filter(report__partner=partner).exists():
        raise DomainError("The partner has no report in this claim.", field="partner")
    if partner.funding_source != FundingSource.ERDF:
        raise DomainError("Only ERDF is passed on by the lead partner; Norwegian funds are paid to the partner "
                          "directly (record them as a programme payment).", field="partner")
    part = next(p for p in claim_figures(locked).partners if p.partner.pk == partner.pk)
    passed_on = PartnerTransfer.objects.filter(claim=locked, partner=partner).values_list("amount", flat=True)
    _within(amount, part.accepted_cofinancing or ZERO, sum(passed_on, ZERO), "EUR")
    transfer = create_validated(PartnerTransfer, data={"claim": locked, "partner": partner, "date": date,
                                                       "amount": amount, "reference": reference})
    if notify:
        transaction.on_commit(lambda: emails.transfer_recorded(transfer))
    return transfer


@transaction.atomic
def payment_delete(*, payment: ProgrammePayment, user) -> None:
    """Remove a payment recorded by mistake (the history keeps it)."""
    payment._history_user = user
    payment.delete()


@transaction.atomic
def transfer_delete(*, transfer: PartnerTransfer, user) -> None:
    transfer._history_user = user
    transfer.delete()
