"""Reads of the reporting app that the API, the web and the services share."""

from collections import defaultdict
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Case, DecimalField, Q, QuerySet, Sum, When, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from consortium.history import person, record_changes
from consortium.models import ReportingPeriod, last_of_month, local_today
from partners.models import Partner
from reporting.models import CertificateFigures, Expenditure, LineControl, LumpSumClaim, ProgressReport
from reporting.money import (
    EUR,
    ZERO,
    CertificateTotals,
    ReportTotals,
    claimed_lump_sums,
    partner_terms,
    summarise_report,
    total_with_flat_rates,
)
from workpackages.models import WorkPackage


def open_period_for(partner, today: date | None = None) -> ReportingPeriod | None:
    """The earliest period that has started and in which the partner has no report past its part (approved, in
    control or certified; None if none)."""
    today = today or local_today()
    done = ProgressReport.objects.filter(partner=partner, status__in=ProgressReport.DONE_STATUSES)
    return (
        ReportingPeriod.objects.filter(project_id=partner.project_id, start_date__lte=today)
        .exclude(pk__in=done.values("period_id"))
        .order_by("start_date")
        .first()
    )


# A report in one of these states by its due date is on time; any other (no report, a draft, a returned
# report waiting to be submitted again) is overdue the day after the due date.
ON_TIME_STATUSES = (ProgressReport.Status.SUBMITTED, *ProgressReport.DONE_STATUSES)
NOT_STARTED = "not_started"


@dataclass(frozen=True)
class ReportStatus:
    """One partner × started period: its report (None: not started), its due date and whether it is overdue."""

    partner: object
    period: ReportingPeriod
    report: ProgressReport | None
    today: date

    @property
    def status(self) -> str:
        return self.report.status if self.report is not None else NOT_STARTED

    @property
    def due_date(self) -> date:
        return self.period.report_due_date

    @property
    def overdue(self) -> bool:
        return self.status not in ON_TIME_STATUSES and self.today > self.due_date

    @property
    def days_late(self) -> int:
        return (self.today - self.due_date).days if self.overdue else 0


def report_statuses(partners, today: date | None = None, *, period_numbers=None) -> list[ReportStatus]:
    """One row per partner × period of its project that has started, by partner and period number.

    Three queries whatever the number of partners (partners, periods, reports); `partners` is a queryset, or a list
    of partners with their organisation (a page of the report matrix: two queries then). `period_numbers`, if given,
    keeps only those periods (the matrix's window), so that a page's work does not grow with the project's length.
    """
    today = today or local_today()
    if isinstance(partners, QuerySet):
        partners = list(partners.select_related("organisation").order_by("project_id", "number"))
    started = ReportingPeriod.objects.filter(project__in={p.project_id for p in partners}, start_date__lte=today)
    if period_numbers is not None:
        started = started.filter(number__in=period_numbers)
    periods = defaultdict(list)
    for period in started.order_by("number"):
        periods[period.project_id].append(period)
    reports = ProgressReport.objects.filter(partner__in=partners)
    if period_numbers is not None:
        reports = reports.filter(period__number__in=period_numbers)
    reports = {(r.partner_id, r.period_id): r for r in reports.only(
        "pk", "partner_id", "period_id", "status", "version")}
    return [ReportStatus(partner, period, reports.get((partner.pk, period.pk)), today)
            for partner in partners for period in periods[partner.project_id]]


def work_packages_needing_narrative(report: ProgressReport) -> QuerySet:
    """WPs the partner leads or has an activity in, whose months overlap the report's period."""
    partner, period = report.partner, report.period
    project = partner.project
    candidates = (
        WorkPackage.objects.filter(project=project)
        .filter(Q(lead_partner=partner) | Q(activities__partners=partner))
        .distinct()
        .order_by("number")
    )
    overlapping = [
        wp.pk for wp in candidates
        if project.month_start(wp.start_month) <= period.end_date
        and last_of_month(project.month_start(wp.end_month)) >= period.start_date
    ]
    return WorkPackage.objects.filter(pk__in=overlapping).order_by("number")


def report_lines(report: ProgressReport) -> QuerySet:
    """A report's expenditure lines in the order the API lists them (the submission errors' indexes)."""
    return report.expenditures.order_by("id")


# --- first-level control -----------------------------------------------------------------------

def _controls_of(report_ids) -> QuerySet:
    return (LineControl.objects.filter(Q(expenditure__report__in=report_ids) | Q(lump_sum_claim__report__in=report_ids)
                                       | Q(certified_in__in=report_ids))
            .select_related("expenditure", "lump_sum_claim").order_by("id"))


def report_controls(report: ProgressReport) -> list[LineControl]:
    """The control rows a report's certificate is made of (one query): its own lines' and lump sums', and the
    lines parked in an earlier report of the partner and verified with this one."""
    return list(_controls_of([report.pk]))


@dataclass(slots=True)
class UnitCostRecord:
    pk: int
    name: str
    unit: str
    price_per_unit: Decimal
    cost_category: str


@dataclass(slots=True)
class LineRecord:
    """The fields of an expenditure line that a report's figures read (reporting.money.summarise_report, its
    certificate, the funder report's unit costs and exchange rates), as a plain record: `line_records`."""

    pk: int
    report_id: int
    cost_category: str
    amount: Decimal
    currency: str
    amount_eur: Decimal | None
    exchange_rate: Decimal | None
    rate_month: date | None
    payment_date: date | None
    units: Decimal | None
    unit_cost_id: int | None
    unit_cost: UnitCostRecord | None


_UNIT_COST_FIELDS = ("unit_cost__name", "unit_cost__unit", "unit_cost__price_per_unit", "unit_cost__cost_category")


def line_records(lines: QuerySet) -> list[LineRecord]:
    """The lines of `lines` (an Expenditure queryset) as LineRecords, in one query. For summing thousands of lines
    (the funder report): a model instance costs many times a record to build, and the sums read only these."""
    unit_costs: dict[int, UnitCostRecord] = {}
    records = []
    fields = [field.name for field in dataclass_fields(LineRecord)][:-1]
    for *values, name, unit, price, category in lines.values_list(*fields, *_UNIT_COST_FIELDS):
        record = LineRecord(*values, unit_cost=None)
        if record.unit_cost_id is not None:
            record.unit_cost = unit_costs.setdefault(
                record.unit_cost_id, UnitCostRecord(record.unit_cost_id, name, unit, price, category))
        records.append(record)
    return records


@dataclass(slots=True)
class ControlRecord:
    """The fields of a LineControl that a certificate's figures read (reporting.money._control_totals), with its
    line or lump-sum claim: `controls_by_report(..., lines=..., claims=...)`."""

    pk: int
    expenditure_id: int | None
    lump_sum_claim_id: int | None
    verified_amount: Decimal | None
    parked: bool
    certified_in_id: int | None
    deduction_type: str
    expenditure: object = None
    lump_sum_claim: object = None


def _by_report(report_ids, controls) -> dict[int, list]:
    """report id -> the control rows of its certificate: those of its own lines and lump sums, and those it holds."""
    grouped: dict[int, list] = {pk: [] for pk in report_ids}
    for control in controls:
        line = control.expenditure or control.lump_sum_claim
        for pk in {line.report_id, control.certified_in_id}:
            if pk in grouped:
                grouped[pk].append(control)
    return grouped


def controls_by_report(reports, *, lines: dict | None = None, claims: dict | None = None) -> dict[int, list]:
    """report id -> its control rows (as `report_controls`), for many reports in one query.

    With `lines` (id -> LineRecord or Expenditure) and `claims` (id -> LumpSumClaim), the caller's own, loaded
    already (the funder report has every line and claim of these reports and of the partners' earlier ones): the
    rows are ControlRecords holding those, instead of model instances with a second copy of each line from a join
    — at thousands of lines most of the time spent here. A line or claim not among them is loaded (one query)."""
    ids = [r.pk for r in reports]
    if lines is None:
        controls = list(_controls_of(ids))
    else:
        fields = [field.name for field in dataclass_fields(ControlRecord)][:-2]
        controls = [ControlRecord(*values) for values in _controls_of(ids).values_list(*fields)]
        lines = {**lines, **Expenditure.objects.in_bulk(
            {c.expenditure_id for c in controls if c.expenditure_id is not None} - set(lines))}
        claims = {**(claims or {}), **LumpSumClaim.objects.in_bulk(
            {c.lump_sum_claim_id for c in controls if c.lump_sum_claim_id is not None} - set(claims or {}))}
        for control in controls:
            control.expenditure = lines.get(control.expenditure_id)
            control.lump_sum_claim = claims.get(control.lump_sum_claim_id)
    return _by_report(ids, controls)


# CertificateTotals' fields in their order, as CertificateFigures stores them (the categories apart, as JSON).
_CERTIFICATE_TOTALS = ("currency", "declared", "verified", "deducted", "cofinancing", "other_costs_flat_rate",
                       "lump_sums", "verified_eur")


def certificate_totals(reports) -> dict[int, CertificateTotals]:
    """report id -> the certificate's totals of each certified report (each with its partner loaded): the stored
    CertificateFigures in one query; a missing one, or one computed on terms the partner no longer has, is computed
    by summarise_report from the certificate's rows and stored for the next reader."""
    reports = list(reports)
    # Plain rows, not model instances: hundreds are read at once.
    stored = {row[0]: row[1:] for row in CertificateFigures.objects.filter(report__in=[r.pk for r in reports])
              .values_list("report_id", "partner_terms", *_CERTIFICATE_TOTALS, "categories")}
    totals, stale, terms = {}, [], {}
    for report in reports:
        row = stored.get(report.pk)
        if report.partner_id not in terms:
            terms[report.partner_id] = partner_terms(report.partner)
        if row is not None and row[0] == terms[report.partner_id]:
            totals[report.pk] = CertificateTotals(
                *row[1:-1], categories={category: Decimal(amount) for category, amount in row[-1].items()})
        else:
            stale.append(report)
    if stale:
        # A caller may pass plain records (claims.selectors.ClaimedReport): the reports themselves are summarised.
        if not all(isinstance(report, ProgressReport) for report in stale):
            stale = list(ProgressReport.objects.filter(pk__in=[r.pk for r in stale]).select_related("partner",
                                                                                                      "period"))
        totals.update(_store_certificate_totals(stale))
    return totals


def _store_certificate_totals(reports: list[ProgressReport]) -> dict[int, CertificateTotals]:
    prefetch_related_objects(reports, "lump_sum_claims__share__lump_sum__period")
    # As the funder report reads them: the reports' lines as plain records, their controls holding those.
    lines = defaultdict(list)
    for line in line_records(Expenditure.objects.filter(report__in=reports).order_by("pk")):
        lines[line.report_id].append(line)
    controls = controls_by_report(
        reports, lines={line.pk: line for of_report in lines.values() for line in of_report},
        claims={claim.pk: claim for report in reports for claim in report.lump_sum_claims.all()})
    computed = {}
    for report in reports:
        if report.status != ProgressReport.Status.CERTIFIED:
            raise ValueError(f"report {report.pk} is not certified: its totals may still change")
        summary = summarise_report(report, lines=lines[report.pk], provisional_rates={}, controls=controls[report.pk],
                                   lump_sums=claimed_lump_sums(report.lump_sum_claims.all()))
        computed[report.pk] = CertificateTotals.of(summary)
    with transaction.atomic():
        CertificateFigures.objects.filter(report__in=reports).delete()
        # Two readers may store the same certificate at once: the second's rows are the same figures.
        CertificateFigures.objects.bulk_create([
            CertificateFigures(report=report, partner_terms=partner_terms(report.partner),
                               **{name: getattr(totals, name) for name in _CERTIFICATE_TOTALS},
                               categories={category: str(amount) for category, amount in totals.categories.items()})
            for report, totals in ((report, computed[report.pk]) for report in reports)], ignore_conflicts=True)
    return computed


def store_stale_certificates(reports: QuerySet, partners: dict) -> None:
    """Store the figures of the certified reports among `reports` that have none yet, or have them computed on terms
    their partner no longer has (`certificate_totals` does the same for the reports it is given), so that the
    database may add up CertificateFigures rows: one query when all are stored. `partners`: partner id -> the
    partner, for the partners of these reports."""
    certified = reports.filter(status=ProgressReport.Status.CERTIFIED)
    stored = certified.order_by().values_list("partner_id", "certificate_figures__partner_terms").distinct()
    stale = {partner_id for partner_id, terms in stored if terms != partner_terms(partners[partner_id])}
    if stale:
        certificate_totals(certified.filter(partner__in=stale).select_related("partner", "period"))


# --- many reports' money, summed in the database ----------------------------------------------------------------

# A line's EUR amount as `line_eur` gives it with no provisional rates: the frozen amount, an EUR line's own amount
# (in cents already), else nothing (summed as missing, as the summary leaves out a line it cannot value).
_LINE_EUR = Coalesce("amount_eur", Case(When(currency=EUR, then="amount")),
                     output_field=DecimalField(max_digits=14, decimal_places=2))


def report_totals(reports: QuerySet) -> list[ReportTotals]:
    """The EUR totals of many reports past submission (`ReportTotals`: what `summarise_report(report,
    provisional_rates={}).eur` gives) in six queries whatever their number: the reports, their partners (cost
    options), the certified ones' stored certificate figures (their verified total in EUR, stored first where missing
    or stale: `store_stale_certificates`), and for the others their declared lines summed per category in the
    database and their claimed lump sums. tests/reporting/test_report_totals.py holds these figures equal to the
    summaries' at two sizes.
    """
    others = reports.exclude(status=ProgressReport.Status.CERTIFIED)
    rows = list(reports.order_by().values_list("pk", "partner__project_id", "partner_id", "period__number",
                                                     "status"))
    partners = Partner.objects.in_bulk({row[2] for row in rows})
    store_stale_certificates(reports, partners)

    declared = defaultdict(dict)  # report -> category -> EUR
    for report_id, category, amount in (Expenditure.objects.filter(report__in=others).order_by()
                                        .values("report_id", "cost_category").annotate(eur=Sum(_LINE_EUR))
                                        .values_list("report_id", "cost_category", "eur")):
        if amount is not None:
            declared[report_id][category] = amount
    claimed = dict(LumpSumClaim.objects.filter(report__in=others).order_by().values("report_id")
                   .annotate(total=Sum("amount")).values_list("report_id", "total"))
    verified = dict(CertificateFigures.objects.filter(report__in=reports.filter(
        status=ProgressReport.Status.CERTIFIED)).values_list("report_id", "verified_eur"))

    totals = []
    for pk, project_id, partner_id, period_number, status in rows:
        partner = partners[partner_id]
        if status == ProgressReport.Status.CERTIFIED:
            eligible, certificate = None, verified[pk]
        else:
            eligible = total_with_flat_rates(declared[pk], partner.cost_options, claimed.get(pk, ZERO))
            certificate = None
        totals.append(ReportTotals(report_id=pk, project_id=project_id, partner_id=partner_id,
                                   period_number=period_number, status=status,
                                   cofinancing_rate=partner.cofinancing_rate, eligible_total=eligible,
                                   verified_total=certificate))
    return totals


def pending_parked_controls(report: ProgressReport) -> QuerySet:
    """Lines the partner's earlier certified reports parked and no certificate holds yet: the controller of
    `report` may verify them with it (reporting.services.line_control_update)."""
    return (LineControl.objects.filter(parked=True, certified_in__isnull=True,
                                       expenditure__report__partner_id=report.partner_id,
                                       expenditure__report__status=ProgressReport.Status.CERTIFIED,
                                       expenditure__report__period__number__lt=report.period.number)
            .select_related("expenditure__report__period").order_by("expenditure__report__period__number", "id"))


_ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


def _history_entries(records, object_type: str, describe) -> list[dict]:
    """Audit entries of one model's history records (sorted by object and time), changes by record_changes()."""
    entries, previous = [], {}
    for record in records:
        before = previous.get(record.id)
        changes = []
        if record.history_type == "~" and before is not None:
            changes = [vars(change) for change in record_changes(before, record)]
        previous[record.id] = record
        user = record.history_user if record.history_user_id else None
        entries.append({
            "when": record.history_date,
            "who": user.username if user else None,
            "who_name": person(user) or None,
            "action": _ACTIONS[record.history_type],
            "object": describe(record),
            "object_type": object_type,
            "object_id": record.id,
            "changes": changes,
        })
    return entries


def report_history(report: ProgressReport) -> list[dict]:
    """The report's and its lines' audit records merged by time (deleted lines included), oldest first.

    Field labels, values and object names are in the active language (consortium.history).
    """
    report_records = (report.history.select_related("history_user", "submitted_by", "reviewed_by", "created_by")
                      .order_by("history_date", "history_id"))
    line_records = (
        Expenditure.history.filter(report_id=report.pk).select_related("history_user", "work_package", "unit_cost")
        .order_by("id", "history_date", "history_id")
    )
    entries = _history_entries(report_records, "progress_report",
                               lambda r: gettext("Report %(report)s") % {"report": report})
    entries += _history_entries(line_records, "expenditure",
                                lambda r: gettext("Expenditure line #%(id)s: %(description)s")
                                % {"id": r.id, "description": r.description})
    return sorted(entries, key=lambda e: e["when"])
