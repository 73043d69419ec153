"""The only writers of progress reports, their parts, expenditure lines and exchange rates.

Each transition: precondition → domain error → transaction.atomic + select_for_update → audit.
The audit is django-simple-history; the user is set on the instance (`_history_user`) so that
it is right when a service is called from a command or a test, not only from a request.
Permission checks (who may call what) belong to the callers, through consortium.permissions.
"""

import os
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from consortium.errors import ROW, DomainError, Problem, StateConflict, VersionConflict
from consortium.models import ReportingPeriod, first_of_month, local_today, month_number
from consortium.services import create_validated, update_versioned, validate
from consortium.text import one_line
from consortium.uploads import attach_file, validate_upload
from partners.cost_options import CostCategory, StaffCostMethod, line_violations
from partners.models import LumpSumShare
from reporting import emails
from reporting.models import (
    Attachment,
    Currency,
    DeductionType,
    DeliverableContribution,
    EffortReported,
    ExchangeRate,
    Expenditure,
    IndicatorProgress,
    LineControl,
    LumpSumClaim,
    ProgressReport,
    WorkPackageProgress,
)
from reporting.money import (
    EUR,
    claimable_filter,
    invoice_declared_amount,
    rates_for_month,
    staff_line_cost,
    to_eur,
    unit_cost_amount,
)
from reporting.selectors import (
    certificate_totals,
    pending_parked_controls,
    report_controls,
    report_lines,
    work_packages_needing_narrative,
)

Status = ProgressReport.Status

# Nested list name -> (model, the field that points into the plan, which must be of the report's project).
NESTED = {
    "work_package_progress": (WorkPackageProgress, "work_package"),
    "deliverable_contributions": (DeliverableContribution, "deliverable"),
    "indicator_progress": (IndicatorProgress, "indicator"),
    "effort": (EffortReported, "work_package"),
}
REPORT_FIELDS = ("summary", "problems", "forecast_next_period")
# Expenditure fields a writer may set; exchange_rate, rate_month and amount_eur are set only by submission.
LINE_FIELDS = (
    "cost_category", "work_package", "description", "supplier", "invoice_number", "invoice_date",
    "payment_date", "employee", "staff_method", "annual_gross_cost", "hours", "hourly_rate", "monthly_gross_cost",
    "percentage", "months", "unit_cost", "units", "invoice_total", "vat_amount", "vat_recoverable", "declared_share",
    "contract", "amount", "currency",
)
# The figures of each way of costing a line; computing a line empties those of the other ways.
HOURLY_FIELDS = ("hours", "annual_gross_cost", "hourly_rate")
MONTHLY_FIELDS = ("monthly_gross_cost", "percentage", "months")
UNIT_FIELDS = ("unit_cost", "units")
# A line's relations: line_problems checks them, so that computed_line_problems runs no query.
LINE_RELATIONS = ("report", "work_package", "unit_cost")
INVOICE_FIELDS = ("invoice_total", "vat_amount", "declared_share")


# ---------------------------------------------------------------------------------------------
# Helpers


def _locked(report: ProgressReport) -> ProgressReport:
    """The report row locked for this transaction (call inside transaction.atomic)."""
    return ProgressReport.objects.select_for_update().select_related("partner__project__programme", "period").get(
        pk=report.pk
    )


READ_ONLY_REASONS = {
    Status.SUBMITTED: "This report has been submitted and is read-only until the management unit returns it.",
    Status.APPROVED: "This report has been approved and is read-only unless its controller sends it back.",
    Status.IN_CONTROL: "This report is in first-level control and is read-only unless its controller sends it back.",
    Status.CERTIFIED: "This report has been certified by its controller and can never be changed.",
}


def require_editable(report: ProgressReport) -> None:
    """Only a draft or a returned report changes; every other status is read-only (certified: forever)."""
    if not report.is_editable:
        raise StateConflict(READ_ONLY_REASONS[report.status])


def _sync(target, source, fields) -> None:
    for name in fields:
        setattr(target, name, getattr(source, name))


# ---------------------------------------------------------------------------------------------
# Reports


@transaction.atomic
def report_create(*, partner, period, user, today: date | None = None) -> ProgressReport:
    """A draft report of `partner` for `period`; the period must have started."""
    today = today or local_today()
    if period.project_id != partner.project_id:
        raise DomainError("The period must belong to the partner's project.", field="period")
    if period.start_date > today:
        raise DomainError(
            f"Period {period.number} starts on {period.start_date:%Y-%m-%d}; a report can be created once it "
            "has started.", field="period",
        )
    if ProgressReport.objects.filter(partner=partner, period=period).exists():
        raise DomainError(f"{partner} already has a report for period {period.number}.", field="period")
    report = ProgressReport(partner=partner, period=period, created_by=user)
    report._history_user = user
    validate(report)
    report.save()
    return report


@transaction.atomic
def report_delete(*, report: ProgressReport, user) -> None:
    """Remove a draft that was never submitted (started by mistake); anything submitted once stays on record."""
    locked = _locked(report)
    if locked.status != Status.DRAFT or locked.submitted_at is not None:
        raise StateConflict("Only a draft that was never submitted can be deleted.")
    locked._history_user = user
    locked.delete()


def _nested_rows(report: ProgressReport, name: str, items: list[dict], problems: list[Problem]) -> list:
    """Validated rows of one nested list; what is wrong goes into `problems`, at the item's position."""
    model, plan_field = NESTED[name]
    rows, seen = [], set()
    for index, item in enumerate(items):
        target = item.get(plan_field)
        if target is None:
            problems.append(Problem(plan_field, "This field is required.", name, index))
            continue
        if target.project_id != report.partner.project_id:
            problems.append(Problem(plan_field, "must belong to the report's project", name, index))
            continue
        if target.pk in seen:
            problems.append(Problem(plan_field, f"{target} is listed twice", name, index))
            continue
        seen.add(target.pk)
        row = model(report=report, **item)
        try:
            # The rows are bulk-created: the field limits are checked here (uniqueness is `seen`'s).
            validate(row, exclude=["report"], validate_unique=False, validate_constraints=False)
        except DomainError as error:
            problems += [Problem(p.field, p.message, name, index) for p in error.problems]
            continue
        rows.append(row)
    return rows


@transaction.atomic
def report_update(*, report: ProgressReport, expected_version: int, data: dict, user) -> ProgressReport:
    """Change summary/problems and replace any nested list given (a list given replaces that list)."""
    locked = _locked(report)
    require_editable(locked)
    problems: list[Problem] = []
    nested = {name: _nested_rows(locked, name, data[name], problems) for name in NESTED if name in data}
    if problems:
        raise DomainError("Some parts of the report are invalid.", problems=problems)
    locked._history_user = user
    locked = update_versioned(locked, expected_version=expected_version,
                              data={k: v for k, v in data.items() if k in REPORT_FIELDS})
    for name, rows in nested.items():
        model = NESTED[name][0]
        model.objects.filter(report=locked).delete()
        model.objects.bulk_create(rows)
    _sync(report, locked, [f.attname for f in ProgressReport._meta.concrete_fields])
    # The caller's instance may hold prefetched lists that were just replaced.
    getattr(report, "_prefetched_objects_cache", {}).clear()
    return report


def payment_deadline(period, project) -> date:
    """The last payment date a line of `period` may have: the period's end, or for the project's last period
    its eligibility end (the end date plus the programme's grace days for closure costs)."""
    if not ReportingPeriod.objects.filter(project_id=project.pk, number__gt=period.number).exists():
        return max(period.end_date, project.eligibility_end())
    return period.end_date


def submission_problems(report: ProgressReport, lines: list[Expenditure], rates: dict[str, Decimal],
                        month: date, today: date | None = None) -> list[Problem]:
    """Every reason the report cannot be submitted, each at its field (empty: it can be).

    Lines are numbered as the API lists them (`expenditures[i]`, in id order) and carry their id; the
    problems of a line come in the order of its checks, the cost-option exclusions last. A cost paid
    before the period started is allowed (a late claim of an earlier cost); one invoiced or paid after
    `today`, or paid after the period (its last: after the eligibility end), is not.
    """
    today = today or local_today()
    problems: list[Problem] = []
    period = report.period
    if today < period.submission_opens:
        problems.append(Problem("period", f"Period {period.number} ends on {period.end_date:%Y-%m-%d}; its report "
                                          f"can be submitted from {period.submission_opens:%Y-%m-%d}."))
    narrated = {
        p.work_package_id for p in report.work_package_progress.all() if p.narrative.strip()
    }
    for wp in work_packages_needing_narrative(report):
        if wp.pk not in narrated:
            problems.append(Problem(
                "work_package_progress",
                f"Write a narrative for {wp.code} ({wp.title}): your organisation takes part in it in this period.",
                object_id=wp.pk))
    project = report.partner.project
    start, end = project.start_date, project.eligibility_end()
    paid_by = payment_deadline(period, project)
    for index, line in enumerate(lines):
        at = {"collection": "expenditures", "index": index, "object_id": line.pk}
        for name in ("invoice_date", "payment_date"):
            day = getattr(line, name)
            if day is None:
                continue
            if not start <= day <= end:
                problems.append(Problem(name, f"{day:%Y-%m-%d} is outside the eligibility period "
                                              f"{start:%Y-%m-%d} … {end:%Y-%m-%d}.", **at))
            elif day > today:
                problems.append(Problem(name, f"{day:%Y-%m-%d} is after the submission date {today:%Y-%m-%d}: "
                                              "only costs already invoiced and paid can be reported.", **at))
            elif name == "payment_date" and day > paid_by:
                problems.append(Problem(name, f"Paid on {day:%Y-%m-%d}, after period {period.number} "
                                              f"(paid by {paid_by:%Y-%m-%d}): report it in the next period.", **at))
        if line.amount is None or line.amount <= 0:
            problems.append(Problem("amount", "The amount must be positive.", **at))
        if line.currency not in Currency.values:
            problems.append(Problem("currency", f"Unknown currency '{line.currency}'.", **at))
        elif line.amount_eur is None and line.currency != EUR and line.currency not in rates:
            problems.append(Problem("currency", f"No exchange rate for {line.currency} in {month:%Y-%m}; the "
                                                "management unit must enter it before the report can be submitted.",
                                    **at))
        own = report.partner.reporting_currency
        if own != EUR and line.currency != own:
            problems.append(Problem("currency", f"Your organisation reports in {own}; this line is in "
                                                f"{line.currency}.", **at))
    # The staff flat rate only without procurement above the EU thresholds (CPR Art. 55(1), DOMAIN.md §1).
    if report.partner.cost_options.staff_is_flat:
        programme = project.programme
        for contract in report.partner.contracts.order_by("id"):
            if contract.above_public_threshold(programme):
                problems.append(Problem(
                    "staff_option",
                    f"Your organisation holds the contract '{contract.subject}' with {contract.supplier} of "
                    f"{contract.value:,.2f} EUR, above the public-procurement threshold of "
                    f"{programme.public_procurement_threshold:,.2f} EUR; the staff flat rate cannot be claimed.",
                    object_id=contract.pk))
    # The categories the partner's cost options rule out, line by line (partners.cost_options).
    for violation in line_violations(report.partner.cost_options, lines):
        index = int(violation.field.removeprefix("expenditures[").split("]", 1)[0])
        problems.append(Problem("cost_category", violation.message, "expenditures", index, lines[index].pk))
    return problems


@transaction.atomic
def _submit(report: ProgressReport, user, today: date) -> ProgressReport:
    locked = _locked(report)
    require_editable(locked)
    month = first_of_month(today)
    lines = list(report_lines(locked))
    rates = rates_for_month(month)
    problems = submission_problems(locked, lines, rates, month, today)
    if problems:
        raise DomainError(f"The report cannot be submitted yet: {len(problems)} problem(s) to fix.",
                          problems=problems)
    # Lines frozen at an earlier submission (of a returned report) keep their rate.
    to_freeze = [line for line in lines if line.amount_eur is None]
    for line in to_freeze:
        line.exchange_rate = Decimal(1) if line.currency == EUR else rates[line.currency]
        line.rate_month = month
        line.amount_eur = to_eur(line.amount, line.currency, line.exchange_rate)
    bulk_update_with_history(to_freeze, Expenditure, ["exchange_rate", "rate_month", "amount_eur"],
                             default_user=user)
    # Achieved lump sums are claimed whole, once, by the first report submitted after they were achieved.
    # The partner row is locked with the report (_locked), so no other report of the partner claims them meanwhile.
    LumpSumClaim.objects.bulk_create([LumpSumClaim(report=locked, share=share, amount=share.amount)
                                      for share in LumpSumShare.objects.filter(claimable_filter(locked))])
    locked.status = Status.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.submitted_by = user
    locked.version += 1
    locked._history_user = user
    locked.save()
    return locked


def report_submit(*, report: ProgressReport, user, today: date | None = None, notify: bool = True) -> ProgressReport:
    """Validate completeness and eligibility (every problem at once), freeze the rates, notify the MU.

    `today` fixes the month whose rates are frozen (the demo back-dates submissions); `notify=False`
    sends no e-mail (demo data).
    """
    locked = _submit(report, user, today or local_today())
    if notify:
        transaction.on_commit(lambda: emails.report_submitted(locked))
        if may_start_control(locked):
            transaction.on_commit(lambda: emails.report_ready_for_control(locked))
    _sync(report, locked, [f.attname for f in ProgressReport._meta.concrete_fields])
    return report


@transaction.atomic
def _review(report: ProgressReport, *, user, status: str, comment: str, today: date | None = None) -> ProgressReport:
    locked = _locked(report)
    if locked.status != Status.SUBMITTED:
        raise StateConflict(f"Only a submitted report can be reviewed; this one is {locked.get_status_display()}.")
    period = locked.period
    if status == Status.APPROVED and (today or local_today()) < period.submission_opens:
        # Approving a running period's report would leave the rest of its costs nowhere to go.
        raise DomainError(f"Period {period.number} ends on {period.end_date:%Y-%m-%d}; its report can be approved "
                          f"from {period.submission_opens:%Y-%m-%d}.", field="period")
    locked.status = status
    locked.reviewed_at = timezone.now()
    locked.reviewed_by = user
    locked.review_comment = comment
    locked.version += 1
    locked._history_user = user
    locked.save()
    return locked


def report_approve(*, report: ProgressReport, user, comment: str = "", notify: bool = True,
                   today: date | None = None) -> ProgressReport:
    """Accept a submitted report, once its period has ended; `today` lets the demo back-date it."""
    locked = _review(report, user=user, status=Status.APPROVED, comment=comment, today=today)
    if notify:
        transaction.on_commit(lambda: emails.report_reviewed(locked))
        transaction.on_commit(lambda: emails.report_ready_for_control(locked))
    _sync(report, locked, [f.attname for f in ProgressReport._meta.concrete_fields])
    return report


def report_return(*, report: ProgressReport, user, comment: str, notify: bool = True) -> ProgressReport:
    """Back to the partner for changes; the comment says what to change."""
    if not (comment or "").strip():
        raise DomainError("Say what the partner must change: a comment is required.", field="comment")
    locked = _review(report, user=user, status=Status.RETURNED, comment=comment.strip())
    if notify:
        transaction.on_commit(lambda: emails.report_reviewed(locked))
    _sync(report, locked, [f.attname for f in ProgressReport._meta.concrete_fields])
    return report


# ---------------------------------------------------------------------------------------------
# Expenditure lines


def period_months(period) -> int:
    """How many calendar months a period spans (periods start and end on month boundaries)."""
    return month_number(period.start_date, period.end_date)


def line_problems(report: ProgressReport, data: dict) -> list[Problem]:
    """Checks of one line that need the report (the serializer, form or import checked the types)."""
    problems: list[Problem] = []
    wp = data.get("work_package")
    if wp is not None and wp.project_id != report.partner.project_id:
        problems.append(Problem("work_package", "must belong to the report's project"))
    unit_cost = data.get("unit_cost")
    category = data.get("cost_category")
    if unit_cost is not None:
        if unit_cost.project_id != report.partner.project_id:
            problems.append(Problem("unit_cost", "must be a unit cost of the report's project"))
        elif category and category != unit_cost.cost_category:
            problems.append(Problem("cost_category", f"'{unit_cost.name}' is a unit cost of the category "
                                                     f"{unit_cost.cost_category}; the line takes its category."))
        if data.get("units") is None:
            problems.append(Problem("units", "A unit-cost line needs the number of units."))
        if data.get("currency") not in (None, "", EUR):
            problems.append(Problem("currency", "A unit-cost line is in EUR, the currency of the plan's prices."))
    elif not category:
        problems.append(Problem("cost_category", "This field is required."))
    elif category == CostCategory.STAFF:
        problems += _staff_problems(report, data)
    else:
        problems += _invoice_problems(data)
    contract = data.get("contract")
    if contract is not None and contract.partner_id != report.partner_id:
        problems.append(Problem("contract", "must be a contract of the report's partner's procurement register"))
    currency = report.partner.reporting_currency
    if currency != EUR:
        if unit_cost is not None:
            problems.append(Problem("unit_cost", f"Unit costs are priced in EUR; your organisation reports in "
                                                 f"{currency}."))
        elif data.get("currency") not in (None, "", currency):
            problems.append(Problem("currency", f"Your organisation reports in {currency}; enter the line in "
                                                f"{currency}."))
    return problems


def _invoice_problems(data: dict) -> list[Problem]:
    """An invoice line gives its invoice (total, VAT, share) or, in short, only the amount to declare."""
    total, vat, share = (data.get(name) for name in INVOICE_FIELDS)
    if total is None:
        if data.get("amount") is None:
            return [Problem("amount", "This field is required: give the amount to declare, or the invoice's "
                                      "total (invoice_total) with its VAT and declared share.")]
        if vat or share not in (None, Decimal(100)):
            return [Problem("invoice_total", "Give the invoice's total with its VAT and declared share.")]
        if data["amount"] <= 0:
            return [Problem("amount", "Ensure this value is greater than or equal to 0.01.")]
        return []
    if total <= 0:
        return [Problem("invoice_total", "Ensure this value is greater than or equal to 0.01.")]
    problems = []
    if vat is not None and vat < 0:
        problems.append(Problem("vat_amount", "Ensure this value is greater than or equal to 0."))
    elif vat is not None and vat > total:
        problems.append(Problem("vat_amount", f"The VAT cannot exceed the invoice's total of {total:,.2f}."))
    if share is not None and not Decimal(0) < share <= Decimal(100):
        problems.append(Problem("declared_share", "The declared share must be above 0 and at most 100 %."))
    return problems


def _staff_problems(report: ProgressReport, data: dict) -> list[Problem]:
    method = data.get("staff_method") or StaffCostMethod.HOURLY
    problems = []
    if method not in StaffCostMethod.values:
        return [Problem("staff_method", f"Unknown method '{method}' (use one of {', '.join(StaffCostMethod.values)}).")]
    if method == StaffCostMethod.HOURLY:
        if data.get("hours") is None:
            problems.append(Problem("hours", "A staff line costed by the hour needs the hours worked."))
        if data.get("annual_gross_cost") is None and data.get("hourly_rate") is None:
            problems.append(Problem("annual_gross_cost",
                                    "A staff line needs the annual gross employment cost or an hourly rate."))
        return problems
    if data.get("monthly_gross_cost") is None:
        problems.append(Problem("monthly_gross_cost", "This method needs the monthly gross employment cost."))
    if method == StaffCostMethod.FIXED_PERCENTAGE:
        percentage = data.get("percentage")
        if percentage is None:
            problems.append(Problem("percentage", "Give the fixed percentage of working time on the project."))
        elif not Decimal(0) < percentage <= Decimal(100):
            problems.append(Problem("percentage", "The percentage of time must be above 0 and at most 100."))
    months, most = data.get("months"), period_months(report.period)
    if months is None:
        problems.append(Problem("months", "Give the months worked in the period."))
    elif not Decimal(0) < months <= most:
        problems.append(Problem("months", f"Period {report.period.number} has {most} months; give at most {most}."))
    return problems


def field_ceiling(name: str) -> Decimal:
    """The largest value an Expenditure decimal field holds (amount: 9,999,999,999.99), from its digits."""
    field = Expenditure._meta.get_field(name)
    return Decimal(10) ** (field.max_digits - field.decimal_places) - Decimal(1).scaleb(-field.decimal_places)


def computed_line_problems(data: dict) -> list[Problem]:
    """The computed line against the model's field rules (digits, decimals, minimum, maximum), without a query.

    The figures were checked on their own; their product may not fit: a staff line's hours × rate or a
    unit-cost line's units × price above the largest amount a line holds. Call after line_problems().
    """
    computed = computed_line(data)
    try:
        Expenditure(**computed).clean_fields(exclude=LINE_RELATIONS)
    except ValidationError as error:
        problems = []
        for name, messages in error.message_dict.items():
            if name == "amount" and data.get("amount") != computed.get("amount"):
                messages = [f"The computed amount {computed['amount']:,} is above the largest amount a line holds, "
                            f"{field_ceiling('amount'):,}."]
            problems += [Problem(name, message) for message in messages]
        return problems
    return []


def computed_line(data: dict) -> dict:
    """A line's fields with its amount computed, and the figures of the other ways of costing emptied.

    Staff lines by their method (hourly unless said otherwise), unit-cost lines as units × price in
    EUR in the unit cost's category; an invoice line keeps its amount. Call after line_problems().
    """
    data = dict(data)
    unit_cost = data.get("unit_cost")
    no_invoice = {**dict.fromkeys(INVOICE_FIELDS), "vat_recoverable": False}
    if unit_cost is not None:
        data.update(cost_category=unit_cost.cost_category, currency=EUR, staff_method="",
                    amount=unit_cost_amount(units=data["units"], price_per_unit=unit_cost.price_per_unit,
                                            unit=unit_cost.unit).amount,
                    **dict.fromkeys((*HOURLY_FIELDS, *MONTHLY_FIELDS)), **no_invoice)
    elif data.get("cost_category") == CostCategory.STAFF:
        method = data.get("staff_method") or StaffCostMethod.HOURLY
        cost = staff_line_cost(method=method, **{name: data.get(name) for name in (*HOURLY_FIELDS, *MONTHLY_FIELDS)})
        unused = MONTHLY_FIELDS if method == StaffCostMethod.HOURLY else HOURLY_FIELDS
        data.update(staff_method=method, amount=cost.amount, **dict.fromkeys((*unused, *UNIT_FIELDS)), **no_invoice)
        if method == StaffCostMethod.HOURLY:
            data["hourly_rate"] = cost.rate
        elif method == StaffCostMethod.FULL_TIME:
            data["percentage"] = None
    else:
        # An invoice line given only its amount is an invoice of that total, without VAT, declared in full.
        if data.get("invoice_total") is None:
            data.update(invoice_total=data["amount"], vat_amount=Decimal("0.00"), vat_recoverable=False,
                        declared_share=Decimal("100.00"))
        data["vat_amount"] = data.get("vat_amount") or Decimal("0.00")
        data["vat_recoverable"] = bool(data.get("vat_recoverable"))
        if data.get("declared_share") is None:
            data["declared_share"] = Decimal("100.00")
        data["amount"] = invoice_declared_amount(
            invoice_total=data["invoice_total"], vat_amount=data["vat_amount"],
            vat_recoverable=data["vat_recoverable"], declared_share=data["declared_share"]).amount
        data.update(staff_method="", **dict.fromkeys((*HOURLY_FIELDS, *MONTHLY_FIELDS, *UNIT_FIELDS)))
    return data


@transaction.atomic
def expenditure_add(*, report: ProgressReport, data: dict, user) -> Expenditure:
    locked = _locked(report)
    require_editable(locked)
    data = {k: v for k, v in data.items() if k in LINE_FIELDS}
    problems = line_problems(locked, data) or computed_line_problems(data)
    if problems:
        raise DomainError("The expenditure line is invalid.", problems=problems)
    line = Expenditure(report=locked, **computed_line(data))
    line._history_user = user
    validate(line)
    line.save()
    return line


@transaction.atomic
def expenditure_update(*, expenditure: Expenditure, expected_version: int, data: dict, user) -> Expenditure:
    """Change a line of an editable report.

    A line frozen at an earlier submission keeps its rate: a new amount is re-converted at that
    rate; a new currency unfreezes it (it freezes again at the next submission).
    """
    locked = _locked(expenditure.report)
    require_editable(locked)
    data = {k: v for k, v in data.items() if k in LINE_FIELDS}
    merged = {name: data.get(name, getattr(expenditure, name)) for name in LINE_FIELDS}
    if "unit_cost" not in data and "cost_category" in data and data["cost_category"] != expenditure.cost_category:
        merged["unit_cost"] = merged["units"] = None  # a new category makes it a line of that category's kind
    if "amount" in data and not data.keys() & {*INVOICE_FIELDS, "vat_recoverable"}:
        # A new amount alone is the shorthand for an invoice of that total, without VAT, declared in full.
        merged.update(dict.fromkeys(INVOICE_FIELDS), vat_recoverable=False)
    problems = line_problems(locked, merged) or computed_line_problems(merged)
    if problems:
        raise DomainError("The expenditure line is invalid.", problems=problems)
    computed = computed_line(merged)
    changes = {name: computed[name] for name in LINE_FIELDS if computed[name] != getattr(expenditure, name)}
    if expenditure.amount_eur is not None:
        if computed["currency"] != expenditure.currency:
            changes.update(exchange_rate=None, rate_month=None, amount_eur=None)
        else:
            changes["amount_eur"] = to_eur(computed["amount"], computed["currency"], expenditure.exchange_rate)
    expenditure._history_user = user
    if changes:
        _forget_control(expenditure, user)
    return update_versioned(expenditure, expected_version=expected_version, data=changes)


def _forget_control(expenditure: Expenditure, user) -> None:
    """A line changed after a control return is verified again: its earlier verification no longer applies."""
    control = LineControl.objects.filter(expenditure=expenditure).first()
    if control is not None and (control.verified_amount is not None or control.parked):
        control.verified_amount, control.deduction_type, control.parked = None, "", False
        control.version += 1
        control._history_user = user
        control.save()


@transaction.atomic
def expenditure_delete(*, expenditure: Expenditure, user) -> None:
    locked = _locked(expenditure.report)
    require_editable(locked)
    expenditure._history_user = user
    expenditure.delete()


@transaction.atomic
def expenditure_attach_invoice(*, expenditure: Expenditure, uploaded, user) -> Expenditure:
    """Store (or replace) a line's invoice, under the report's lock: never on a report submitted meanwhile."""
    locked = _locked(expenditure.report)
    require_editable(locked)
    attach_file(instance=expenditure, file_field="attachment", name_field="attachment_name", uploaded=uploaded,
                user=user)
    return expenditure


@transaction.atomic
def attachment_add(*, report: ProgressReport, uploaded, user, kind: str = Attachment.Kind.OTHER,
                   expenditure: Expenditure | None = None) -> Attachment:
    """Add a file of evidence to a report (a time sheet, a salary statement) or to one of its lines (a further
    invoice file), under the report's lock: never to a report submitted meanwhile. Checked like every upload."""
    locked = _locked(report)
    require_editable(locked)
    if expenditure is not None and expenditure.report_id != locked.pk:
        raise DomainError("The line must belong to the report.", field="expenditure")
    if kind not in Attachment.Kind.values:
        raise DomainError(f"Unknown kind '{kind}' (use one of {', '.join(Attachment.Kind.values)}).", field="kind")
    validate_upload(uploaded)
    attachment = Attachment(report=locked, expenditure=expenditure, kind=kind, uploaded_by=user,
                            file_name=one_line(os.path.basename(uploaded.name))[:255])
    attachment.file.save(uploaded.name, uploaded, save=False)
    attachment._history_user = user
    attachment.save()
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: Attachment, user) -> None:
    """Remove a file of an editable report; the stored file goes once the transaction commits."""
    locked = _locked(attachment.report)
    require_editable(locked)
    name, storage = attachment.file.name, attachment.file.storage
    attachment._history_user = user
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def expenditures_import(*, report: ProgressReport, rows: list[dict], user) -> list[Expenditure]:
    """Add many lines at once, all or nothing. `rows` are {"row": spreadsheet row number, **fields}.

    Problems are placed at the spreadsheet's row ("row 537.amount"); nothing is saved if there is any.
    """
    locked = _locked(report)
    require_editable(locked)
    problems: list[Problem] = []
    lines = []
    for row in rows:
        data = {k: v for k, v in row.items() if k in LINE_FIELDS}
        row_problems = line_problems(locked, data) or computed_line_problems(data)
        problems += [Problem(p.field, p.message, ROW, row["row"]) for p in row_problems]
        if not row_problems:
            lines.append(Expenditure(report=locked, **computed_line(data)))
    if problems:
        raise DomainError(f"Nothing was imported: {len(problems)} problem(s) in the file.", problems=problems)
    return bulk_create_with_history(lines, Expenditure, batch_size=500, default_user=user)


# ---------------------------------------------------------------------------------------------
# Exchange rates


@transaction.atomic
def exchange_rate_set(*, currency: str, month: date, rate: Decimal, user=None) -> ExchangeRate:
    """Create or replace the rate of one currency for one month (upsert)."""
    month = first_of_month(month)
    existing = ExchangeRate.objects.select_for_update().filter(currency=currency, month=month).first()
    if existing is None:
        return create_validated(ExchangeRate, data={"currency": currency, "month": month, "rate": rate})
    if existing.rate == rate:
        return existing
    return update_versioned(existing, expected_version=existing.version, data={"rate": rate})


# ---------------------------------------------------------------------------------------------
# First-level control (docs/REPORTING.md): the controller starts, verifies every line, then certifies the
# report or sends it back. Who may call these is reporting.access.require_control's to say.


def may_start_control(report: ProgressReport) -> bool:
    """Approved by the MU, or merely submitted where the project sends submitted reports straight to control."""
    return report.status == Status.APPROVED or (
        report.status == Status.SUBMITTED and not report.partner.project.review_before_control)


@transaction.atomic
def control_start(*, report: ProgressReport, user, notify: bool = True) -> ProgressReport:
    """The controller takes the report: every line and claimed lump sum gets its control row (kept from an
    earlier round of control where it has one)."""
    locked = _locked(report)
    if not may_start_control(locked):
        if locked.status == Status.SUBMITTED:
            raise StateConflict("The management unit approves this report's content before control starts.")
        raise StateConflict(f"Control starts on an approved report; this one is {locked.get_status_display()}.")
    have = set(LineControl.objects.filter(expenditure__report=locked).values_list("expenditure_id", flat=True))
    have_claims = set(LineControl.objects.filter(lump_sum_claim__report=locked)
                      .values_list("lump_sum_claim_id", flat=True))
    new = [LineControl(expenditure_id=pk) for pk in locked.expenditures.values_list("pk", flat=True)
           if pk not in have]
    new += [LineControl(lump_sum_claim_id=pk) for pk in locked.lump_sum_claims.values_list("pk", flat=True)
            if pk not in have_claims]
    bulk_create_with_history(new, LineControl, default_user=user)
    locked.status = Status.IN_CONTROL
    locked.control_started_at = timezone.now()
    locked.control_started_by = user
    locked.version += 1
    locked._history_user = user
    locked.save()
    if notify:
        transaction.on_commit(lambda: emails.control_started(locked))
    _sync(report, locked, [f.attname for f in ProgressReport._meta.concrete_fields])
    return report


def controlling_report(control: LineControl) -> ProgressReport | None:
    """The report in control whose certificate a line's verification goes to: the line's own report while it
    is in control; for a line parked by a certified report, the partner's next report in control."""
    own = control.line.report
    if own.status == Status.IN_CONTROL:
        return own
    if control.lump_sum_claim_id is not None:
        return None
    if control.certified_in_id not in (None, own.pk):  # verified with a later report already
        later = control.certified_in
        return later if later.status == Status.IN_CONTROL else None
    if own.status == Status.CERTIFIED and control.parked:
        return (ProgressReport.objects.filter(partner_id=own.partner_id, status=Status.IN_CONTROL,
                                              period__number__gt=own.period.number)
                .select_related("partner__project", "period").order_by("period__number").first())
    return None


CONTROL_FIELDS = ("verified_amount", "deduction_type", "comment", "sampled", "parked")


def _control_problems(control: LineControl, merged: dict) -> list[Problem]:
    problems = []
    declared = control.declared_amount
    verified = merged["verified_amount"]
    if merged["deduction_type"] and merged["deduction_type"] not in DeductionType.values:
        problems.append(Problem("deduction_type", f"Choose one of {', '.join(DeductionType.values)}."))
    if merged["parked"]:
        if control.lump_sum_claim_id:
            problems.append(Problem("parked", "A lump sum is verified whole or not at all; it cannot be parked."))
        if verified is not None:
            problems.append(Problem("verified_amount", "A parked line is verified with a later report: leave "
                                                       "the verified amount empty."))
        return problems
    if verified is None:
        return problems
    if verified < 0:
        problems.append(Problem("verified_amount", "The verified amount cannot be negative."))
    elif verified > declared:
        problems.append(Problem("verified_amount", f"The verified amount cannot exceed the declared {declared}."))
    elif verified != verified.quantize(Decimal("0.01")):
        problems.append(Problem("verified_amount", "Give the verified amount in cents at most."))
    if control.lump_sum_claim_id and verified not in (Decimal(0), declared):
        problems.append(Problem("verified_amount", f"A lump sum is verified whole ({declared}) or not at all (0)."))
    if verified < declared and not merged["deduction_type"]:
        problems.append(Problem("deduction_type", "Say why the rest is deducted: choose a deduction type."))
    if merged["deduction_type"] == DeductionType.OTHER and verified < declared and not merged["comment"].strip():
        problems.append(Problem("comment", "Explain a deduction of type 'other' in the comment."))
    return problems


@transaction.atomic
def line_control_update(*, control: LineControl, expected_version: int, data: dict, user) -> LineControl:
    """Record the controller's verification of one line: verified (≤ declared, the rest deducted with a type),
    or parked for a later certificate. Only while a report holding it is in control."""
    report = controlling_report(control)
    if report is None:
        raise StateConflict("Lines are verified while their report is in control.")
    if _locked(report).status != Status.IN_CONTROL:  # certified or sent back meanwhile
        raise StateConflict("Lines are verified while their report is in control.")
    stored = LineControl.objects.filter(pk=control.pk).values_list("version", flat=True).first()
    if stored != expected_version:
        # A stale edit is refused before its content is judged (DESIGN.md's order: 412 before 400).
        raise VersionConflict(f"This line's control was changed by someone else (now version {stored}, you sent "
                              f"{expected_version}). Reload it and apply your change again.", field="version")
    data = {k: v for k, v in data.items() if k in CONTROL_FIELDS}
    if "verified_amount" in data and data["verified_amount"] is not None:
        data["verified_amount"] = Decimal(data["verified_amount"])
    merged = {name: data.get(name, getattr(control, name)) for name in CONTROL_FIELDS}
    if merged["parked"] and "verified_amount" not in data:
        merged["verified_amount"] = None
    if merged["verified_amount"] is not None and merged["verified_amount"] == control.declared_amount \
            and "deduction_type" not in data:
        merged["deduction_type"] = ""  # verified as declared: nothing is deducted
    if problems := _control_problems(control, merged):
        raise DomainError("The control of this line is invalid.", problems=problems)
    changes = dict(merged, controlled_at=timezone.now(), controlled_by=user)
    if control.line.report_id != report.pk:
        # A line parked by an earlier certificate goes to this report's certificate once verified.
        changes["certified_in"] = None if merged["parked"] else report
    control._history_user = user
    return update_versioned(control, expected_version=expected_version, data=changes)


@transaction.atomic
def lines_verify_as_declared(*, report: ProgressReport, control_ids: list[int], user) -> list[LineControl]:
    """Verify many lines of a report in control at once, each for its declared amount (sampled stays as set).

    Only the report's own lines and lump sums, and lines parked earlier that it may verify, are touched; an id
    of anything else is an error naming it, and nothing is written.
    """
    locked = _locked(report)
    if locked.status != Status.IN_CONTROL:
        raise StateConflict("Lines are verified while their report is in control.")
    allowed = {c.pk: c for c in report_controls(locked)}
    allowed.update({c.pk: c for c in pending_parked_controls(locked)})
    unknown = [pk for pk in control_ids if pk not in allowed]
    if unknown:
        raise DomainError("Some lines are not lines of this report.",
                          problems=[Problem("ids", f"{pk} is not a line of this report.", "ids", i, pk)
                                    for i, pk in enumerate(unknown)])
    now, changed = timezone.now(), []
    for pk in control_ids:
        control = allowed[pk]
        control.verified_amount = control.declared_amount
        control.deduction_type, control.parked = "", False
        control.controlled_at, control.controlled_by = now, user
        if control.line.report_id != locked.pk:
            control.certified_in = locked
        control.version += 1
        changed.append(control)
    bulk_update_with_history(changed, LineControl, ["verified_amount", "deduction_type", "parked", "controlled_at",
                                                    "controlled_by", "certified_in", "version"], default_user=user)
    return changed


@transaction.atomic
def _certify(report: ProgressReport, user) -> ProgressReport:
    locked = _locked(report)
    if locked.status != Status.IN_CONTROL:
        raise StateConflict(f"Only a report in control can be certified; this one is {locked.get_status_display()}.")
    controls = report_controls(locked)
    # Its own lines, and the lines parked earlier that were taken up with it (certified_in) but not verified.
    open_lines = [c for c in controls if not c.is_done]
    if open_lines:
        raise StateConflict(
            f"{len(open_lines)} line(s) are neither verified nor parked.",
            problems=[Problem("verified_amount", f"{'Line' if c.expenditure_id else 'Lump sum claim'} "
                                                 f"{c.line.pk} ({c.line}) is neither verified nor parked.",
                              "expenditures" if c.expenditure_id else "lump_sums", i,
                              c.expenditure_id or c.lump_sum_claim_id)
                      for i, c in enumerate(open_lines)])
    # The verified lines go to this certificate; parked ones wait for a later report of the partner.
    LineControl.objects.filter(pk__in=[c.pk for c in controls if not c.parked and c.line.report_id == locked.pk]) \
        .update(certified_in=locked)
    locked.status = Status.CERTIFIED
    locked.certified_at = timezone.now()
    locked.certified_by = user
    locked.version += 1
    locked._history_user = user
    locked.save()
    return locked


def report_certify(*, report: ProgressReport, user, notify: bool = True) -> ProgressReport:
    """Sign the certificate: every line verified or parked; the report is read-only forever after."""
    locked = _certify(report, user)
    certificate_totals([locked])  # stored now: lists of claims read it instead of every line again
    if notify:
        transaction.on_commit(lambda: emails.report_certified(locked))
    _sync(report, locked, [f.attname for f in ProgressReport._meta.concrete_fields])
    return report


@transaction.atomic
def report_control_return(*, report: ProgressReport, user, comment: str, notify: bool = True) -> ProgressReport:
    """Back to the partner with the controller's findings; frozen rates and control results made so far stay."""
    if not (comment or "").strip():
        raise DomainError("Say what the partner must fix: the findings are required.", field="comment")
    locked = _locked(report)
    if locked.status != Status.IN_CONTROL:
        raise StateConflict(f"Only a report in control can be sent back by its controller; this one is "
                            f"{locked.get_status_display()}.")
    locked.status = Status.RETURNED
    locked.control_comment = comment.strip()
    locked.version += 1
    locked._history_user = user
    locked.save()
    if notify:
        transaction.on_commit(lambda: emails.control_returned(locked))
    _sync(report, locked, [f.attname for f in ProgressReport._meta.concrete_fields])
    return report
