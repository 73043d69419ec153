"""Writers of the plan's money: partners (with their cost options), unit costs and lump sums.

Contacts, organisations and budget lines use the generic writers of consortium/services.py. The
rules of the options themselves are partners/cost_options.py's, checked by `Partner.clean()` (so
the admin obeys them too); this module adds the rules that need other rows: options are fixed once
the partner has submitted a report, a lump sum's shares add up to it, and what has been claimed
stays as it was claimed.

Reports are reporting's: they are read here through the reverse relations (`progress_reports`,
`expenditures`, `claim`) so that the plan's app imports nothing of it.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction

from consortium.errors import DomainError, Problem, StateConflict
from consortium.models import local_today
from consortium.services import create_validated, update_versioned, validate
from consortium.uploads import attach_file
from partners.cost_options import lump_sum_share_violations
from partners.models import Contract, LumpSum, LumpSumShare, Partner, ReportingCurrency, UnitCost

# A real-cost option given without its rate clears the rate (the model's default rate belongs to a flat option).
_RATE_OF_OPTION = {"office_option": "office_flat_rate", "travel_option": "travel_flat_rate",
                   "staff_option": "staff_flat_rate"}


def _rates_cleared(data: dict) -> dict:
    data = dict(data)
    for option, rate in _RATE_OF_OPTION.items():
        if data.get(option) == "real" and rate not in data:
            data[rate] = None
    if data.get("uses_other_costs_flat_rate") is False and "other_costs_flat_rate" not in data:
        data["other_costs_flat_rate"] = None
    return data


def partner_has_submitted_report(partner: Partner) -> bool:
    """Whether any report of the partner was ever submitted (a returned one too): its options are then fixed."""
    return partner.progress_reports.filter(submitted_at__isnull=False).exists()


@transaction.atomic
def partner_create(*, data: dict) -> Partner:
    """A partner of a project; its cost options are checked against the programme's maxima (Partner.clean)."""
    return create_validated(Partner, data=_rates_cleared(data))


@transaction.atomic
def partner_update(*, partner: Partner, expected_version: int, data: dict) -> Partner:
    """Change a partner; its cost options only until it has submitted a report (409 afterwards).

    Options change what every report of the partner amounts to, and a submitted report's figures must
    stay as they were submitted (DOMAIN.md §1: the SCO choice is fixed for the whole period).
    """
    # Locked first, so that a report submitted meanwhile (its submission locks the partner too) is seen.
    locked = Partner.objects.select_for_update().get(pk=partner.pk)
    data = _rates_cleared(data)
    changed = [name for name in (*Partner.COST_OPTION_FIELDS, "reporting_currency")
               if name in data and data[name] != getattr(locked, name)]
    if changed and partner_has_submitted_report(locked):
        message = (f"{locked} has submitted a report, so its cost options and reporting currency are fixed: they "
                   "decide what its submitted reports amount to.")
        raise StateConflict(message, problems=[Problem(name, message) for name in changed])
    return update_versioned(partner, expected_version=expected_version, data=data)


# ---------------------------------------------------------------------------------------------
# Unit costs

# A line's amount is units × these, computed when the line is written; they stay once a line uses them.
_UNIT_COST_PRICE_FIELDS = ("price_per_unit", "unit", "cost_category", "project")


@transaction.atomic
def unit_cost_update(*, unit_cost: UnitCost, expected_version: int, data: dict) -> UnitCost:
    """Change a unit cost; its price, unit and category only while no report line claims it (409 after)."""
    locked = UnitCost.objects.select_for_update().get(pk=unit_cost.pk)
    changed = [name for name in _UNIT_COST_PRICE_FIELDS if name in data and data[name] != getattr(locked, name)]
    if changed and locked.expenditures.exists():
        message = (f"Report lines already claim '{locked.name}' at {locked.price_per_unit} EUR per {locked.unit}; "
                   "define a new unit cost for a new price.")
        raise StateConflict(message, problems=[Problem(name, message) for name in changed])
    return update_versioned(unit_cost, expected_version=expected_version, data=data)


# ---------------------------------------------------------------------------------------------
# Lump sums

LUMP_SUM_FIELDS = ("project", "name", "amount", "period", "achieved_date", "evidence")
# Once a partner's report has claimed its share, these are what it claimed: fixed.
_CLAIMED_FIELDS = ("project", "name", "amount", "period", "achieved_date")


def _share_rows(lump_sum: LumpSum, shares: list[dict], problems: list[Problem]) -> list[LumpSumShare]:
    rows, seen = [], set()
    for index, share in enumerate(shares):
        partner = share.get("partner")
        if partner is None:
            problems.append(Problem("partner", "This field is required.", "shares", index))
            continue
        if partner.project_id != lump_sum.project_id:
            problems.append(Problem("partner", "must be a partner of the lump sum's project", "shares", index))
            continue
        if partner.pk in seen:
            problems.append(Problem("partner", f"{partner} is listed twice", "shares", index))
            continue
        if partner.reporting_currency != ReportingCurrency.EUR:
            # A lump sum is set in EUR; a partner reporting in NOK has neither an EUR budget nor EUR totals to
            # claim it in.
            problems.append(Problem("partner", f"{partner} reports in {partner.reporting_currency}; a lump sum is "
                                               "set in EUR.", "shares", index))
            continue
        seen.add(partner.pk)
        rows.append(LumpSumShare(lump_sum=lump_sum, partner=partner, amount=share.get("amount")))
    if lump_sum.amount is not None:
        amounts = {index: Decimal(0) if share.get("amount") is None else share["amount"]
                   for index, share in enumerate(shares)}
        for violation in lump_sum_share_violations(lump_sum.amount, amounts, prefix="shares"):
            if violation.field == "shares":
                problems.append(Problem("shares", violation.message))
            else:
                index = int(violation.field.removeprefix("shares[").removesuffix("]"))
                problems.append(Problem("amount", violation.message, "shares", index))
    return rows


def _problems(lump_sum: LumpSum, shares: list[dict] | None, today: date) -> tuple[list[Problem], list[LumpSumShare]]:
    """Everything wrong with a lump sum as it would be saved, and its share rows (unsaved)."""
    problems: list[Problem] = []
    try:
        validate(lump_sum)
    except DomainError as error:
        problems += error.problems
    if lump_sum.achieved_date is not None and lump_sum.achieved_date > today:
        problems.append(Problem("achieved_date", f"{lump_sum.achieved_date:%Y-%m-%d} is in the future: a lump sum is "
                                                 "marked achieved once its result exists."))
    rows = _share_rows(lump_sum, shares, problems) if lump_sum.project_id else []
    return problems, rows


def _replace_shares(lump_sum: LumpSum, rows: list[LumpSumShare]) -> None:
    LumpSumShare.objects.filter(lump_sum=lump_sum).delete()
    for row in rows:
        row.lump_sum = lump_sum
    LumpSumShare.objects.bulk_create(rows)
    # The caller's instance may hold the shares it was read with.
    getattr(lump_sum, "_prefetched_objects_cache", {}).clear()


@transaction.atomic
def lump_sum_create(*, data: dict, today: date | None = None) -> LumpSum:
    """A lump sum with its partners' shares (`shares`: [{partner, amount}], adding up to the amount)."""
    lump_sum = LumpSum(**{name: value for name, value in data.items() if name in LUMP_SUM_FIELDS})
    shares = data.get("shares")
    if shares is None:
        raise DomainError("Give each partner's share of the lump sum.", field="shares")
    problems, rows = _problems(lump_sum, shares, today or local_today())
    if problems:
        raise DomainError("The lump sum is invalid.", problems=problems)
    lump_sum.save()
    _replace_shares(lump_sum, rows)
    return lump_sum


def lump_sum_is_claimed(lump_sum: LumpSum) -> bool:
    """Whether a partner's report has claimed a share of it (reporting's LumpSumClaim, through `claim`)."""
    return LumpSumShare.objects.filter(lump_sum=lump_sum, claim__isnull=False).exists()


@transaction.atomic
def lump_sum_update(*, lump_sum: LumpSum, expected_version: int, data: dict, today: date | None = None) -> LumpSum:
    """Change a lump sum, mark it achieved (`achieved_date` with `evidence`), or replace its shares.

    The shares must add up to the (new) amount. Once a report has claimed a share, only the evidence
    may still be completed (409 for the rest).
    """
    locked = LumpSum.objects.select_for_update().get(pk=lump_sum.pk)
    stored_shares = [{"partner": s.partner, "amount": s.amount} for s in locked.shares.select_related("partner")]
    shares = data.get("shares", stored_shares)
    changed = [name for name in _CLAIMED_FIELDS if name in data and data[name] != getattr(locked, name)]
    if {(s["partner"].pk, s["amount"]) for s in stored_shares} != {
            (s["partner"].pk if s.get("partner") else None, s.get("amount")) for s in shares}:
        changed.append("shares")
    if changed and lump_sum_is_claimed(locked):
        message = (f"Partner reports have claimed '{locked.name}' as achieved; what they claimed cannot change "
                   "any more.")
        raise StateConflict(message, problems=[Problem(name, message) for name in changed])
    fields = {name: value for name, value in data.items() if name in LUMP_SUM_FIELDS}
    candidate = LumpSum(**{f.attname: getattr(locked, f.attname) for f in LumpSum._meta.concrete_fields})
    candidate._state.adding = False  # the stored row itself: its own id and name are no duplicates
    for name, value in fields.items():
        setattr(candidate, name, value)
    problems, rows = _problems(candidate, shares, today or local_today())
    if problems:
        raise DomainError("The lump sum is invalid.", problems=problems)
    lump_sum = update_versioned(lump_sum, expected_version=expected_version, data=fields)
    if "shares" in changed:
        _replace_shares(lump_sum, rows)
    return lump_sum


# ---------------------------------------------------------------------------------------------
# Procurement register

CONTRACT_FIELDS = ("partner", "supplier", "subject", "value", "procedure", "contract_date")


@transaction.atomic
def contract_create(*, data: dict, user=None) -> Contract:
    """An entry of a partner's procurement register."""
    contract = Contract(**{k: v for k, v in data.items() if k in CONTRACT_FIELDS})
    contract._history_user = user
    validate(contract)
    contract.save()
    return contract


@transaction.atomic
def contract_update(*, contract: Contract, expected_version: int, data: dict, user=None) -> Contract:
    """Change a contract; it stays with its partner (report lines of that partner name it)."""
    if "partner" in data and data["partner"].pk != contract.partner_id:
        raise DomainError("A contract stays in its partner's register.", field="partner")
    contract._history_user = user
    return update_versioned(contract, expected_version=expected_version,
                            data={k: v for k, v in data.items() if k in CONTRACT_FIELDS and k != "partner"})


@transaction.atomic
def contract_delete(*, contract: Contract, user=None) -> None:
    """Remove a contract no report line names (a named one is a 409: the line's evidence)."""
    if contract.expenditures.exists():
        raise StateConflict(f"Report lines name the contract '{contract.subject}'; it stays in the register.")
    contract._history_user = user
    contract.delete()


@transaction.atomic
def contract_attach_file(*, contract: Contract, uploaded, user) -> Contract:
    """Store (or replace) the contract's document, checked like every upload (consortium/uploads.py)."""
    attach_file(instance=contract, file_field="file", name_field="file_name", uploaded=uploaded, user=user)
    return contract
