"""Everything the funder report shows, gathered in a constant number of queries.

`collect_funder_report()` is the only code of the funder report that touches the database; the
renderers (pdf.py, xlsx.py) draw from the frozen dataclass it returns. Figures are cumulative to
the end of the period. Money counts CERTIFIED amounts only — what the first-level controllers verified, from
`reporting.money.summarise_report(...).control` (`certified_view`) — so it equals the certificates and the API's
summaries; approved and in-control reports are shown apart, as not yet certified. The content (narratives,
indicators, effort) counts every report whose content the MU approved (approved, in control, certified).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from consortium.models import Project, ReportingPeriod, local_today
from partners.budget_selectors import lines_of, version_in_force
from partners.cost_options import OfficeOption
from partners.models import Contact, CostCategory, FundingSource, LumpSum, LumpSumShare, Partner
from reporting.models import (
    EffortReported,
    Expenditure,
    IndicatorProgress,
    LumpSumClaim,
    ObjectiveStatus,
    ProgressReport,
    ProjectReport,
    WorkPackageProgress,
)
from reporting.money import (
    EUR,
    ZERO,
    ReportSummary,
    budget_eur,
    budget_rates,
    certified_view,
    claimed_lump_sums,
    partner_budgets,
    percent,
    summarise_report,
    verified_value,
)
from reporting.money import LUMP_SUMS as MONEY_LUMP_SUMS
from reporting.money import OTHER_COSTS as MONEY_OTHER_COSTS
from reporting.selectors import controls_by_report, line_records
from reporting.spending import SpendingProfile, spending_profile
from workpackages.models import (
    Activity,
    Deliverable,
    DueDateChange,
    Effort,
    Indicator,
    Milestone,
    Risk,
    WorkPackage,
)

APPROVED = ProgressReport.Status.APPROVED
IN_CONTROL = ProgressReport.Status.IN_CONTROL
CERTIFIED = ProgressReport.Status.CERTIFIED
# The MU approved their content; their money counts once certified.
CONTENT_APPROVED = ProgressReport.DONE_STATUSES
MONEY_BASIS = gettext_lazy("Money figures count certified amounts only: what the first-level controllers verified "
                           "in certified partner reports. Approved and in-control reports are shown apart, not yet "
                           "certified; submitted, returned and draft reports are excluded.")


@dataclass(frozen=True)
class Cover:
    programme: str
    project_acronym: str
    project_title: str
    funder_reference: str
    period_number: int
    period_start: date
    period_end: date
    report_due_date: date
    project_start: date
    project_end: date
    lead_partner: str
    generated_on: date
    version: int  # the MU's project report version; 0 while it has no narrative


@dataclass(frozen=True)
class KeyFigure:
    label: str
    value: Decimal | int | str


@dataclass(frozen=True)
class Narrative:
    highlights: str
    deviations: str
    cross_border_value: str
    next_steps: str


@dataclass(frozen=True)
class PartnerRow:
    code: str  # PP1…
    role: str  # LP / PP / AP
    organisation: str
    short_name: str
    country: str
    contact_person: str
    contact_email: str


@dataclass(frozen=True)
class GanttBar:
    kind: str  # "wp" or "activity"
    code: str
    title: str
    start_month: int
    end_month: int


@dataclass(frozen=True)
class GanttMilestone:
    code: str
    month: int
    work_package: str
    achieved: bool


@dataclass(frozen=True)
class Gantt:
    months: int
    today_month: int | None  # the "today" line; None when today lies outside the project
    period_months: tuple[int, int]  # the reported period, shaded
    bars: tuple[GanttBar, ...]
    milestones: tuple[GanttMilestone, ...]


@dataclass(frozen=True)
class PartnerProgress:
    partner: str
    period_number: int
    objective_status: str
    narrative: str


@dataclass(frozen=True)
class WorkPackageSection:
    code: str
    title: str
    lead_partner: str
    months: str
    objectives: str
    entries: tuple[PartnerProgress, ...]


@dataclass(frozen=True)
class DeliverableRow:
    code: str
    title: str
    work_package: str
    lead_partner: str
    type: str
    dissemination_level: str
    original_due_date: date
    due_date: date
    due_month: int
    submitted_date: date | None
    status: str
    late: bool
    overdue: bool
    rescheduled: bool
    reschedules: str  # each move of the due date: old and new date and its reason


@dataclass(frozen=True)
class MilestoneRow:
    code: str
    title: str
    work_package: str
    means_of_verification: str
    due_date: date
    due_month: int
    achieved_date: date | None
    reschedules: str


@dataclass(frozen=True)
class IndicatorRow:
    code: str
    name: str
    unit: str
    baseline: Decimal
    target: Decimal
    this_period: Decimal
    cumulative: Decimal
    percent_of_target: Decimal | None


@dataclass(frozen=True)
class EffortRow:
    partner: str
    work_package: str  # a WP's code; ALL_WORK_PACKAGES on a partner's one line while nothing is counted
    planned: Decimal
    reported: Decimal
    percent_used: Decimal | None


@dataclass(frozen=True)
class FinanceRow:
    partner: str  # "PP1 KU"; "Total" on the project's total rows
    # A category's label, OTHER_COSTS or LUMP_SUMS; ALL_CATEGORIES on a partner's total row, which is its
    # only row while nothing of it is counted yet (NOTHING_COUNTED).
    cost_category: str
    budget: Decimal
    this_period: Decimal
    cumulative: Decimal
    percent_used: Decimal | None
    remaining: Decimal
    is_total: bool
    currency: str = "EUR"  # a partner reporting in NOK: its own rows in NOK, then its total converted to EUR


@dataclass(frozen=True)
class FlatRateRow:
    """One flat rate of one partner: rate × base = amount, summed over its certified reports (recomputed on the
    verified bases)."""

    partner: str
    flat_rate: str  # e.g. "Office & administration on direct staff costs"; several, joined, while nothing counted
    rate: Decimal | None  # None on a partner's one line while nothing of it is counted yet
    base_this_period: Decimal
    amount_this_period: Decimal
    base_cumulative: Decimal
    amount_cumulative: Decimal
    currency: str = "EUR"


@dataclass(frozen=True)
class LumpSumRow:
    """One partner's share of a lump sum, and what its certified reports claimed of it (as verified)."""

    lump_sum: str
    period_number: int
    partner: str
    share: Decimal
    achieved_date: date | None
    claimed_in: str  # "P2": the period of the certified report that claimed it; "" while not claimed (or certified)
    this_period: Decimal
    cumulative: Decimal


@dataclass(frozen=True)
class UnitCostRow:
    """One partner's unit-cost lines of one unit cost, in certified reports (their verified amounts)."""

    partner: str
    unit_cost: str
    unit: str
    price_per_unit: Decimal
    cost_category: str
    units_this_period: Decimal
    amount_this_period: Decimal
    units_cumulative: Decimal
    amount_cumulative: Decimal


@dataclass(frozen=True)
class CofinancingRow:
    partner: str
    funding_source: str
    rate: Decimal
    eligible_this_period: Decimal
    cofinancing_this_period: Decimal
    eligible_cumulative: Decimal
    cofinancing_cumulative: Decimal
    currency: str = "EUR"  # the partner's own currency; its row "converted" repeats the figures in EUR


@dataclass(frozen=True)
class FundingSourceTotal:
    funding_source: str
    eligible_cumulative: Decimal
    cofinancing_this_period: Decimal
    cofinancing_cumulative: Decimal
    currency: str = "EUR"


@dataclass(frozen=True)
class ControlRow:
    """One partner × cost category (or flat rate, lump sums, all): declared, verified, deducted and parked in its
    certified reports, cumulative to the end of the period, in the partner's currency."""

    partner: str
    cost_category: str
    declared: Decimal
    verified: Decimal
    deducted: Decimal
    parked: Decimal
    is_total: bool
    currency: str = "EUR"


@dataclass(frozen=True)
class PendingRow:
    """One partner's reports approved or in control, not yet certified: their declared eligible amounts."""

    partner: str
    status: str
    reports: int
    eligible_this_period: Decimal
    eligible_cumulative: Decimal
    eligible_cumulative_eur: Decimal
    currency: str = "EUR"


@dataclass(frozen=True)
class ExchangeRateRow:
    currency: str
    month: date
    rate: Decimal | None  # None: a budget's month has no rate yet (its EUR figure counts 0.00 until it has)
    lines: int
    used_for: str = ""  # "lines", or the partner whose budget it converts


@dataclass(frozen=True)
class ReportRow:
    partner: str
    period_number: int
    status: str
    submitted_at: date | None
    reviewed_at: date | None
    counted: bool  # included in the money figures (certified)


@dataclass(frozen=True)
class RiskRow:
    title: str
    likelihood: str
    impact: str
    score: int
    owner: str  # the partner, or "MU"
    mitigation: str
    status: str
    review_date: date | None
    review_overdue: bool


@dataclass(frozen=True)
class FunderReport:
    cover: Cover
    money_basis: str
    key_figures: tuple[KeyFigure, ...]
    narrative: Narrative | None
    partners: tuple[PartnerRow, ...]
    gantt: Gantt
    work_packages: tuple[WorkPackageSection, ...]
    deliverables: tuple[DeliverableRow, ...]
    milestones: tuple[MilestoneRow, ...]
    indicators: tuple[IndicatorRow, ...]
    effort: tuple[EffortRow, ...]
    finances: tuple[FinanceRow, ...]
    flat_rates: tuple[FlatRateRow, ...]
    lump_sums: tuple[LumpSumRow, ...]
    unit_costs: tuple[UnitCostRow, ...]
    cofinancing: tuple[CofinancingRow, ...]
    funding_sources: tuple[FundingSourceTotal, ...]
    exchange_rates: tuple[ExchangeRateRow, ...]
    reports: tuple[ReportRow, ...]
    control: tuple[ControlRow, ...] = ()
    pending: tuple[PendingRow, ...] = ()
    risks: tuple[RiskRow, ...] = ()
    budget_version: int | None = None  # the number of the budget version in force for the period
    spending: SpendingProfile | None = None  # planned, certified and forecast per period (reporting/spending.py)


# Labels marked for translation here and translated where a table is filled (the export activates the
# reader's language), so that keys built from them agree within one report.
ALL_CATEGORIES = gettext_noop("All categories")
NOTHING_COUNTED = gettext_noop("All categories (nothing counted yet)")
OTHER_COSTS = gettext_noop("Other costs (flat rate)")
ALL_WORK_PACKAGES = gettext_noop("All WPs")
LUMP_SUMS = gettext_noop("Lump sums")
CONVERTED = gettext_noop("All categories, converted to EUR")
CONVERTED_SOURCE = gettext_noop("%(source)s, converted to EUR")
LINES = gettext_noop("Report lines")
BUDGET_OF = gettext_noop("Budget of %(partner)s")
FLAT_RATE_LABELS = {
    "staff": gettext_noop("Staff on direct costs other than staff"),
    "travel": gettext_noop("Travel & accommodation on direct staff costs"),
    ("office", OfficeOption.FLAT_STAFF): gettext_noop("Office & administration on direct staff costs"),
    ("office", OfficeOption.FLAT_DIRECT): gettext_noop("Office & administration on direct costs"),
    "other_costs": gettext_noop("Other costs on direct staff costs"),
}

ROLE_CODES = {Partner.PartnerRole.LEAD: "LP", Partner.PartnerRole.PARTNER: "PP", Partner.PartnerRole.ASSOCIATED: "AP"}
CATEGORY_LABELS = dict(CostCategory.choices)
SOURCE_LABELS = dict(FundingSource.choices)
OBJECTIVE_LABELS = dict(ObjectiveStatus.choices)
REPORT_STATUS_LABELS = dict(ProgressReport.Status.choices)
DELIVERABLE_STATUS_LABELS = dict(Deliverable.Status.choices)
RISK_LEVEL_LABELS = dict(Risk.Level.choices)
RISK_STATUS_LABELS = dict(Risk.Status.choices)


def _by_partner(reports) -> dict[int, list[ProgressReport]]:
    """partner id -> its reports, in their order: one pass, where a scan of every report per partner grew with
    partners × reports (twice the partners and ten times the reports at scale 10, issue 22)."""
    grouped = defaultdict(list)
    for report in reports:
        grouped[report.partner_id].append(report)
    return grouped


def _category_labels() -> dict[str, str]:
    """Each cost category's label in the active language, translated once per table, not once per report summed."""
    return {category: str(label) for category, label in CATEGORY_LABELS.items()}


def _label(partner: Partner) -> str:
    return f"{partner.code} {partner.organisation.short_name}"


def _local_date(moment) -> date | None:
    from django.utils import timezone

    return timezone.localtime(moment).date() if moment else None


def collect_funder_report(project: Project, period: ReportingPeriod, *, today: date | None = None) -> FunderReport:
    """The funder report of `period`, cumulative to its end. Runs a fixed number of queries (see tests)."""
    today = today or local_today()
    cumulative = {"period__number__lte": period.number}
    # 1. the project with its programme
    project = Project.objects.select_related("programme").get(pk=project.pk)
    # 2. partners with their organisations
    partners = list(Partner.objects.filter(project=project).select_related("organisation").order_by("number"))
    for partner in partners:
        partner.project = project  # the budget's default month is the project's start: no query per partner
    by_partner_id = {p.pk: p for p in partners}
    # 3. partner contact persons
    contacts = {}
    for contact in Contact.objects.filter(project=project, kind=Contact.Kind.PARTNER_CONTACT).order_by("name"):
        contacts.setdefault(contact.organisation_id, contact)
    # 4. work packages, 5. activities, 6. milestones, 7. deliverables, 8. indicators
    work_packages = list(WorkPackage.objects.filter(project=project).order_by("number"))
    wp_code = {wp.pk: wp.code for wp in work_packages}
    activities = list(Activity.objects.filter(work_package__project=project).order_by("work_package__number", "number"))
    milestones = list(Milestone.objects.filter(project=project).order_by("due_date", "code"))
    deliverables = list(Deliverable.objects.filter(project=project).order_by("due_date", "code"))
    reschedules = _reschedules(project)
    indicators = list(Indicator.objects.filter(project=project).order_by("code"))
    # 9. planned effort, 10. budget lines
    planned_effort = list(Effort.objects.filter(work_package__project=project))
    budget_version = version_in_force(project, period.number)  # the budget in force for this period
    budget_lines = list(lines_of(budget_version))
    # 11. the MU's narrative
    project_report = ProjectReport.objects.filter(project=project, period=period).first()
    # 12. every partner report up to this period (the status list; money uses the certified ones)
    reports = list(
        ProgressReport.objects.filter(partner__project=project, **cumulative)
        .select_related("period").order_by("period__number", "partner__number")
    )
    for report in reports:
        report.partner = by_partner_id[report.partner_id]  # no query per report in summarise_report
    approved = [r for r in reports if r.status in CONTENT_APPROVED]  # the content counts
    certified = [r for r in reports if r.status == CERTIFIED]  # the money counts
    approved_filter = {"report__partner__project": project, "report__status__in": CONTENT_APPROVED,
                       **{f"report__{k}": v for k, v in cumulative.items()}}
    # 13. expenditure lines, 14. WP narratives, 15. indicator values, 16. reported effort (content approved)
    lines_by_report = defaultdict(list)
    # As records, not model instances: building thousands of instances was most of the time of collecting
    # (issue 22); the figures read only the records' fields.
    for line in line_records(Expenditure.objects.filter(**approved_filter).order_by("id")):
        lines_by_report[line.report_id].append(line)
    wp_progress = list(WorkPackageProgress.objects.filter(**approved_filter))
    indicator_values = list(IndicatorProgress.objects.filter(**approved_filter))
    reported_effort = list(EffortReported.objects.filter(**approved_filter))
    # 17. the lump sums with their shares, 18. the shares approved reports claimed
    lump_sums = list(LumpSum.objects.filter(project=project).select_related("period").order_by("period__number",
                                                                                                 "name"))
    shares_of = defaultdict(list)
    for share in LumpSumShare.objects.filter(lump_sum__project=project).order_by("partner__number"):
        shares_of[share.lump_sum_id].append(share)
    claims = list(LumpSumClaim.objects.filter(**approved_filter).select_related("share__lump_sum__period"))
    claims_by_report = defaultdict(list)
    for claim in claims:
        claims_by_report[claim.report_id].append(claim)
    # 19. the rates converting budgets in NOK to EUR (only when a partner budgets in NOK)
    rates_of_budgets = budget_rates(partners)
    # 20. the line controls of the reports in control or certified (none queried while there are none)
    controls = controls_by_report([r for r in approved if r.status in (IN_CONTROL, CERTIFIED)],
                                  lines={line.pk: line for lines in lines_by_report.values() for line in lines},
                                  claims={claim.pk: claim for claim in claims})
    # 21. the risks not closed (open or monitored), the highest first
    risks = sorted(Risk.objects.filter(project=project).exclude(status=Risk.Status.CLOSED),
                   key=lambda r: (-r.score, r.review_date or date.max, r.title))

    # Approved reports carry frozen rates and claims, so nothing provisional is needed (and none is queried).
    summaries = {r.pk: summarise_report(r, lines=lines_by_report[r.pk], provisional_rates={}, today=today,
                                        lump_sums=claimed_lump_sums(claims_by_report[r.pk]),
                                        controls=controls.get(r.pk)) for r in approved}
    declared = summaries
    # From here on, the money of a report is what its certificate holds.
    summaries = {r.pk: certified_view(declared[r.pk]) for r in certified}
    period_of_report = {r.pk: r.period.number for r in reports}
    lead = next((p for p in partners if p.role == Partner.PartnerRole.LEAD), None)
    verified_eur = _verified_eur(controls, certified)
    claims = [claim for claim in claims if claim.report_id in summaries]

    finances, partner_totals = _finances(partners, budget_lines, shares_of, certified, summaries, period.number,
                                         rates_of_budgets)
    return FunderReport(
        cover=Cover(
            programme=project.programme.name, project_acronym=project.acronym, project_title=project.title,
            funder_reference=project.funder_reference, period_number=period.number, period_start=period.start_date,
            period_end=period.end_date, report_due_date=period.report_due_date, project_start=project.start_date,
            project_end=project.end_date, lead_partner=lead.organisation.name if lead else "",
            generated_on=today, version=project_report.version if project_report else 0,
        ),
        money_basis=str(MONEY_BASIS),
        key_figures=_key_figures(partners, deliverables, milestones, reports, certified, partner_totals, summaries,
                                 period, today, declared),
        narrative=Narrative(project_report.highlights, project_report.deviations, project_report.cross_border_value,
                            project_report.next_steps) if project_report else None,
        partners=tuple(
            PartnerRow(
                code=p.code, role=ROLE_CODES[p.role], organisation=p.organisation.name,
                short_name=p.organisation.short_name, country=p.organisation.country,
                contact_person=contacts[p.organisation_id].name if p.organisation_id in contacts else "",
                contact_email=contacts[p.organisation_id].email if p.organisation_id in contacts else "",
            )
            for p in partners
        ),
        gantt=_gantt(project, period, work_packages, activities, milestones, wp_code, today),
        work_packages=_work_package_sections(project, work_packages, wp_progress, by_partner_id, approved,
                                             period_of_report, period.number),
        deliverables=tuple(
            DeliverableRow(
                code=d.code, title=d.title, work_package=wp_code[d.work_package_id],
                lead_partner=_label(by_partner_id[d.lead_partner_id]), type=d.type,
                dissemination_level=d.dissemination_level, original_due_date=d.original_due_date,
                due_date=d.due_date, due_month=project.month_number(d.due_date), submitted_date=d.submitted_date,
                status=str(DELIVERABLE_STATUS_LABELS[d.status]), late=d.late, overdue=d.overdue_on(today),
                rescheduled=d.rescheduled, reschedules=reschedules.get(("deliverable", d.pk), ""),
            )
            for d in deliverables
        ),
        milestones=tuple(
            MilestoneRow(
                code=m.code, title=m.title, work_package=wp_code[m.work_package_id],
                means_of_verification=m.means_of_verification, due_date=m.due_date,
                due_month=project.month_number(m.due_date), achieved_date=m.achieved_date,
                reschedules=reschedules.get(("milestone", m.pk), ""),
            )
            for m in milestones
        ),
        indicators=_indicators(indicators, indicator_values, period_of_report, period.number),
        effort=_effort(partners, work_packages, planned_effort, reported_effort, approved),
        finances=finances,
        flat_rates=_flat_rates(partners, certified, summaries, period.number),
        lump_sums=_lump_sums(lump_sums, shares_of, by_partner_id, claims, period_of_report, period.number,
                             verified_eur),
        unit_costs=_unit_costs(partners, certified, lines_by_report, period.number, verified_eur),
        cofinancing=_cofinancing(partners, certified, summaries, period.number),
        funding_sources=_funding_sources(certified, summaries, period.number),
        exchange_rates=_exchange_rates({r.pk: lines_by_report[r.pk] for r in certified}, partners, rates_of_budgets),
        reports=_report_rows(partners, reports, period),
        control=_control(partners, certified, declared),
        pending=_pending(partners, approved, declared, period.number),
        risks=tuple(
            RiskRow(title=r.title, likelihood=str(RISK_LEVEL_LABELS[r.likelihood]),
                    impact=str(RISK_LEVEL_LABELS[r.impact]), score=r.score,
                    owner=_label(by_partner_id[r.owner_id]) if r.owner_id else _("MU"), mitigation=r.mitigation,
                    status=str(RISK_STATUS_LABELS[r.status]), review_date=r.review_date,
                    review_overdue=r.review_overdue_on(today))
            for r in risks
        ),
        budget_version=budget_version.number if budget_version else None,
        spending=spending_profile(project, today=today),
    )


def _verified_eur(controls: dict, certified) -> dict[tuple[str, int], Decimal]:
    """("line" | "claim", id) -> its verified EUR amount, for the lines and lump sums of certified reports."""
    verified = {}
    for report in certified:
        for control in controls.get(report.pk, ()):
            if control.certified_in_id != report.pk:
                continue  # parked here, or held by a later certificate
            amount = control.verified_amount
            if control.expenditure_id is not None:
                line = control.expenditure
                verified[("line", line.pk)] = ZERO if amount is None else verified_value(line, amount, EUR)
            else:
                verified[("claim", control.lump_sum_claim_id)] = amount or ZERO
    return verified


def _control(partners, certified, declared) -> tuple[ControlRow, ...]:
    """Per partner × category: declared, verified, deducted, parked in its certified reports (cumulative)."""
    sums = defaultdict(lambda: [ZERO, ZERO, ZERO, ZERO])
    category_labels = _category_labels()
    other_costs, lump_sums, all_categories = _(OTHER_COSTS), _(LUMP_SUMS), _(ALL_CATEGORIES)
    for report in certified:
        summary = declared[report.pk]
        control = summary.control
        for category, total in summary.categories.items():
            flat_lost = total.flat_rate - control.category_flat_rate(category)
            figures = (total.total, control.category_verified(category), control.deducted[category] + flat_lost,
                       control.parked[category])
            entry = sums[(report.partner_id, category_labels[category])]
            for index, value in enumerate(figures):
                entry[index] += value
        other = control.flat_rates.other_costs.amount if control.flat_rates.other_costs else ZERO
        for label, figures in (
            (other_costs, (summary.other_costs_flat_rate, other, summary.other_costs_flat_rate - other, ZERO)),
            (lump_sums, (summary.lump_sum_total, control.lump_sums_verified, control.lump_sums_deducted, ZERO)),
            (all_categories, (summary.eligible_total, control.verified_total, control.deducted_total,
                              control.parked_total)),
        ):
            entry = sums[(report.partner_id, label)]
            for index, value in enumerate(figures):
                entry[index] += value
    rows = []
    labels = (*(str(label) for label in CATEGORY_LABELS.values()), _(OTHER_COSTS), _(LUMP_SUMS), _(ALL_CATEGORIES))
    for partner in partners:
        for label in labels:
            figures = sums.get((partner.pk, label))
            if figures and any(figures):
                rows.append(ControlRow(_label(partner), label, *figures, is_total=label == _(ALL_CATEGORIES),
                                       currency=partner.reporting_currency))
    return tuple(rows)


def _pending(partners, approved, declared, period_number) -> tuple[PendingRow, ...]:
    """The declared eligible amounts of reports approved or in control: counted once certified."""
    rows = []
    of_partner = _by_partner(approved)
    for partner in partners:
        for status in (APPROVED, IN_CONTROL):
            mine = [r for r in of_partner[partner.pk] if r.status == status]
            if not mine:
                continue
            rows.append(PendingRow(
                partner=_label(partner), status=str(REPORT_STATUS_LABELS[status]), reports=len(mine),
                eligible_this_period=sum((declared[r.pk].eligible_total for r in mine
                                          if r.period.number == period_number), ZERO),
                eligible_cumulative=sum((declared[r.pk].eligible_total for r in mine), ZERO),
                eligible_cumulative_eur=sum((declared[r.pk].eur.eligible_total for r in mine), ZERO),
                currency=partner.reporting_currency))
    return tuple(rows)


def _report_rows(partners, reports, period) -> tuple[ReportRow, ...]:
    """This period's report of every partner, "Not started" where there is none."""
    of_partner = {r.partner_id: r for r in reports if r.period_id == period.pk}
    rows = []
    for partner in partners:
        r = of_partner.get(partner.pk)
        rows.append(ReportRow(
            partner=_label(partner), period_number=period.number,
            status=str(REPORT_STATUS_LABELS[r.status]) if r else _("Not started"),
            submitted_at=_local_date(r.submitted_at) if r else None,
            reviewed_at=_local_date(r.reviewed_at) if r else None,
            counted=r is not None and r.status == CERTIFIED,
        ))
    return tuple(rows)


def _reschedules(project) -> dict[tuple[str, int], str]:
    """Each deliverable's and milestone's due date changes, oldest first: "old to new: reason; …"."""
    texts: dict[tuple[str, int], list[str]] = {}
    for change in DueDateChange.objects.filter(project=project).order_by("changed_at", "pk"):
        key = ("deliverable", change.deliverable_id) if change.deliverable_id else ("milestone", change.milestone_id)
        texts.setdefault(key, []).append(_("%(old)s to %(new)s: %(reason)s") % {
            "old": change.old_date.isoformat(), "new": change.new_date.isoformat(), "reason": change.reason})
    return {key: "; ".join(items) for key, items in texts.items()}


def _key_figures(partners, deliverables, milestones, reports, certified, partner_totals, summaries, period, today,
                 declared):
    budget = sum((t[0] for t in partner_totals.values()), ZERO)
    spent = sum((t[2] for t in partner_totals.values()), ZERO)
    cofinancing = sum((summaries[r.pk].eur.cofinancing for r in certified), ZERO)

    def pending(status):
        return sum((declared[r.pk].eur.eligible_total for r in reports if r.status == status), ZERO)

    due_by_end = [d for d in deliverables if d.due_date <= period.end_date and d.status != Deliverable.Status.CANCELLED]
    delivered = [d for d in due_by_end if d.submitted_date is not None]
    period_reports = [r for r in reports if r.period_id == period.pk]
    return (
        KeyFigure(_("Partners"), len(partners)),
        KeyFigure(_("Deliverables due by the end of the period"), len(due_by_end)),
        KeyFigure(_("… of which submitted"), len(delivered)),
        KeyFigure(_("Deliverables overdue today"), sum(1 for d in deliverables if d.overdue_on(today))),
        KeyFigure(_("Milestones achieved"), _("%(done)s of %(all)s") % {
            "done": sum(1 for m in milestones if m.achieved_date), "all": len(milestones)}),
        KeyFigure(_("Partner reports certified this period"), _("%(done)s of %(all)s") % {
            "done": sum(1 for r in period_reports if r.status == CERTIFIED), "all": len(partners)}),
        KeyFigure(_("Total budget (EUR; NOK budgets converted)"), budget),
        KeyFigure(_("Eligible costs reported, cumulative (EUR; NOK converted)"), spent),
        KeyFigure(_("Budget used (%)"), percent(spent, budget) or ZERO),
        KeyFigure(_("Co-financing, cumulative (EUR; NOK converted)"), cofinancing),
        KeyFigure(_("Approved, awaiting control, declared (EUR; not counted above)"), pending(APPROVED)),
        KeyFigure(_("In control, declared (EUR; not counted above)"), pending(IN_CONTROL)),
    )


def _gantt(project, period, work_packages, activities, milestones, wp_code, today) -> Gantt:
    bars = []
    activities_of = defaultdict(list)
    for activity in activities:
        activities_of[activity.work_package_id].append(activity)
    for wp in work_packages:
        bars.append(GanttBar("wp", wp.code, wp.title, wp.start_month, wp.end_month))
        bars.extend(GanttBar("activity", f"A{wp.number}.{a.number}", a.title, a.start_month, a.end_month)
                    for a in activities_of[wp.pk])
    months = project.duration_months
    today_month = project.month_number(today)
    return Gantt(
        months=months,
        today_month=today_month if 1 <= today_month <= months else None,
        period_months=(project.month_number(period.start_date), project.month_number(period.end_date)),
        bars=tuple(bars),
        milestones=tuple(
            GanttMilestone(m.code, project.month_number(m.due_date), wp_code[m.work_package_id],
                           m.achieved_date is not None)
            for m in milestones
        ),
    )


def _work_package_sections(project, work_packages, wp_progress, by_partner_id, approved, period_of_report,
                           period_number):
    """Per WP, the narratives of this period's partner reports whose content the MU approved (approved, in control,
    certified; earlier ones were in earlier reports)."""
    report_partner = {r.pk: r.partner_id for r in approved}
    entries = defaultdict(list)
    for item in wp_progress:
        if period_of_report[item.report_id] != period_number:
            continue
        partner = by_partner_id[report_partner[item.report_id]]
        entries[item.work_package_id].append((period_of_report[item.report_id], partner.number, PartnerProgress(
            partner=_label(partner), period_number=period_of_report[item.report_id],
            objective_status=str(OBJECTIVE_LABELS[item.objective_status]), narrative=item.narrative,
        )))
    return tuple(
        WorkPackageSection(
            code=wp.code, title=wp.title, lead_partner=_label(by_partner_id[wp.lead_partner_id]),
            months=f"M{wp.start_month}–M{wp.end_month}", objectives=wp.objectives,
            entries=tuple(entry for *_, entry in sorted(entries[wp.pk], key=lambda e: (e[0], e[1]))),
        )
        for wp in work_packages
    )


def _indicators(indicators, values, period_of_report, period_number):
    this_period = defaultdict(lambda: ZERO)
    total = defaultdict(lambda: ZERO)
    for value in values:
        total[value.indicator_id] += value.value
        if period_of_report[value.report_id] == period_number:
            this_period[value.indicator_id] += value.value
    return tuple(
        IndicatorRow(
            code=i.code, name=i.name, unit=i.unit, baseline=i.baseline, target=i.target,
            this_period=this_period[i.pk], cumulative=total[i.pk], percent_of_target=percent(total[i.pk], i.target),
        )
        for i in indicators
    )


def _effort(partners, work_packages, planned_effort, reported_effort, approved):
    """Planned and reported person-months per partner × WP; one line of all WPs for a partner with no
    approved report yet (its rows would all read 0.00)."""
    planned = {(e.partner_id, e.work_package_id): e.person_months for e in planned_effort}
    partner_of_report = {r.pk: r.partner_id for r in approved}
    counted = set(partner_of_report.values())
    reported = defaultdict(lambda: ZERO)
    for item in reported_effort:
        reported[(partner_of_report[item.report_id], item.work_package_id)] += item.person_months
    rows = []
    for partner in partners:
        keys = [(partner.pk, wp.pk, wp.code) for wp in work_packages
                if (partner.pk, wp.pk) in planned or (partner.pk, wp.pk) in reported]
        if partner.pk not in counted:
            if keys:
                plan = sum((planned.get(key[:2], ZERO) for key in keys), ZERO)
                rows.append(EffortRow(_label(partner), _(ALL_WORK_PACKAGES), plan, ZERO, percent(ZERO, plan)))
            continue
        for partner_id, wp_id, code in keys:
            plan, done = planned.get((partner_id, wp_id), ZERO), reported[(partner_id, wp_id)]
            rows.append(EffortRow(_label(partner), code, plan, done, percent(done, plan)))
    return tuple(rows)


def _finances(partners, budget_lines, shares_of, approved, summaries: dict[int, ReportSummary], period_number,
              rates_of_budgets):
    """Budget against reported per partner × category, flat rates in their categories, then other costs and
    lump sums; a partner of whom nothing is counted yet is one line (its budget in total).

    Each partner's rows are in its reporting currency; a partner reporting in NOK then has a row converted to
    EUR (its reports' `converted` summaries, its budget at the rate of its budget's month), and the project's
    total adds the EUR figures. Returns the rows and each partner's EUR (budget, this period, cumulative).
    """
    budgets = _budgets(partners, budget_lines, shares_of)
    this_period = defaultdict(lambda: ZERO)
    cumulative = defaultdict(lambda: ZERO)
    in_eur = defaultdict(lambda: [ZERO, ZERO])  # partner -> EUR eligible (this period, cumulative)
    category_labels, other_costs, lump_sums = _category_labels(), _(OTHER_COSTS), _(LUMP_SUMS)
    for report in approved:
        summary = summaries[report.pk]
        amounts = {category_labels[category]: total.total for category, total in summary.categories.items()}
        amounts[other_costs] = summary.other_costs_flat_rate
        amounts[lump_sums] = summary.lump_sum_total
        current = report.period.number == period_number
        for label, amount in amounts.items():
            cumulative[(report.partner_id, label)] += amount
            if current:
                this_period[(report.partner_id, label)] += amount
        in_eur[report.partner_id][1] += summary.eur.eligible_total
        if current:
            in_eur[report.partner_id][0] += summary.eur.eligible_total
    counted = {report.partner_id for report in approved}
    rows, partner_totals = [], {}
    grand = [ZERO, ZERO, ZERO]
    for partner in partners:
        currency = partner.reporting_currency
        sums = [ZERO, ZERO, ZERO]
        lines = []
        for label in (*(str(label) for label in CATEGORY_LABELS.values()), _(OTHER_COSTS), _(LUMP_SUMS)):
            key = (partner.pk, label)
            figures = (budgets.get(key, ZERO), this_period[key], cumulative[key])
            if any(figures):
                lines.append(_finance_row(_label(partner), label, *figures, is_total=False, currency=currency))
            sums = [a + b for a, b in zip(sums, figures, strict=True)]
        if partner.pk in counted:
            rows += lines
            rows.append(_finance_row(_label(partner), _(ALL_CATEGORIES), *sums, is_total=True, currency=currency))
        else:
            rows.append(_finance_row(_label(partner), _(NOTHING_COUNTED), *sums, is_total=False, currency=currency))
        if currency == EUR:
            eur = sums
        else:
            eur = [budget_eur(partner, sums[0], rates_of_budgets) or ZERO, *in_eur[partner.pk]]
            rows.append(_finance_row(_label(partner), _(CONVERTED), *eur, is_total=False))
        partner_totals[partner.pk] = tuple(eur)
        grand = [a + b for a, b in zip(grand, eur, strict=True)]
    rows.append(_finance_row(_("Total"), _("All partners"), *grand, is_total=True))
    return tuple(rows), partner_totals


def _budgets(partners, budget_lines, shares_of) -> dict[tuple[int, str], Decimal]:
    """(partner, row label) -> budget, from reporting.money.partner_budgets."""
    labels = {**{category: str(label) for category, label in CATEGORY_LABELS.items()},
              MONEY_OTHER_COSTS: _(OTHER_COSTS), MONEY_LUMP_SUMS: _(LUMP_SUMS)}
    shares = [share for partner_shares in shares_of.values() for share in partner_shares]
    return {(partner_id, labels[item]): amount
            for (partner_id, item), amount in partner_budgets(budget_lines, partners, shares).items()}


def _finance_row(partner, category, budget, this_period, cumulative, *, is_total, currency=EUR) -> FinanceRow:
    return FinanceRow(partner, category, budget, this_period, cumulative, percent(cumulative, budget),
                      budget - cumulative, is_total, currency)


def _flat_rate_names(partner) -> list[tuple[str, str]]:
    """(name in FlatRateResult, label) of each flat rate the partner uses, in the order they are computed."""
    options = partner.cost_options
    names = []
    if options.staff_is_flat:
        names.append(("staff", _(FLAT_RATE_LABELS["staff"])))
    if options.travel_is_flat:
        names.append(("travel", _(FLAT_RATE_LABELS["travel"])))
    if options.office_is_flat:
        names.append(("office", _(FLAT_RATE_LABELS[("office", options.office_option)])))
    if options.uses_other_costs_flat_rate:
        names.append(("other_costs", _(FLAT_RATE_LABELS["other_costs"])))
    return names


def _flat_rates(partners, approved, summaries, period_number):
    """Per partner and flat rate: its rate, and the sums of each approved report's base and amount."""
    rows = []
    of_partner = _by_partner(approved)
    for partner in partners:
        names = _flat_rate_names(partner)
        if not names:
            continue
        mine = of_partner[partner.pk]
        if not mine:
            rates = [f"{label} {getattr(partner, f'{name}_flat_rate'):.2f} %" for name, label in names]
            rows.append(FlatRateRow(_label(partner), "; ".join(rates), None, ZERO, ZERO, ZERO, ZERO,
                                    partner.reporting_currency))
            continue
        current = [r for r in mine if r.period.number == period_number]
        for name, label in names:
            def total(reports, part, name=name):
                flats = (getattr(summaries[r.pk].flat_rates, name) for r in reports)
                return sum((getattr(flat, part) for flat in flats if flat is not None), ZERO)

            rows.append(FlatRateRow(_label(partner), label, getattr(partner, f"{name}_flat_rate"),
                                    total(current, "base"), total(current, "amount"),
                                    total(mine, "base"), total(mine, "amount"), partner.reporting_currency))
    return tuple(rows)


def _lump_sums(lump_sums, shares_of, by_partner_id, claims, period_of_report, period_number, verified_eur):
    claim_of_share = {claim.share_id: claim for claim in claims}
    rows = []
    for lump_sum in lump_sums:
        for share in shares_of[lump_sum.pk]:
            claim = claim_of_share.get(share.pk)
            claimed_period = period_of_report[claim.report_id] if claim else None
            counted = verified_eur.get(("claim", claim.pk), claim.amount) if claim else ZERO
            rows.append(LumpSumRow(
                lump_sum=lump_sum.name, period_number=lump_sum.period.number,
                partner=_label(by_partner_id[share.partner_id]), share=share.amount,
                achieved_date=lump_sum.achieved_date, claimed_in=f"P{claimed_period}" if claim else "",
                this_period=counted if claimed_period == period_number else ZERO,
                cumulative=counted,
            ))
    return tuple(rows)


def _unit_costs(partners, certified, lines_by_report, period_number, verified_eur):
    units = defaultdict(lambda: [ZERO, ZERO, ZERO, ZERO])  # (partner, unit cost) -> this period's, cumulative
    unit_costs = {}
    for report in certified:
        for line in lines_by_report[report.pk]:
            if line.unit_cost_id is None:
                continue
            amount = verified_eur.get(("line", line.pk), ZERO)  # parked: in a later certificate
            unit_costs[line.unit_cost_id] = line.unit_cost
            entry = units[(report.partner_id, line.unit_cost_id)]
            entry[2] += line.units
            entry[3] += amount
            if report.period.number == period_number:
                entry[0] += line.units
                entry[1] += amount
    rows = []
    for partner in partners:
        for unit_cost in sorted(unit_costs.values(), key=lambda u: u.name):
            if (partner.pk, unit_cost.pk) in units:
                figures = units[(partner.pk, unit_cost.pk)]
                rows.append(UnitCostRow(_label(partner), unit_cost.name, unit_cost.unit, unit_cost.price_per_unit,
                                        str(CATEGORY_LABELS[unit_cost.cost_category]), *figures))
    return tuple(rows)


def _cofinancing(partners, approved, summaries, period_number):
    """Per partner in its own currency; a partner reporting in NOK has a second row, its reports converted to EUR."""
    rows = []
    of_partner = _by_partner(approved)
    for partner in partners:
        mine = [summaries[r.pk] for r in of_partner[partner.pk]]
        current = [summaries[r.pk] for r in of_partner[partner.pk] if r.period.number == period_number]
        source = str(SOURCE_LABELS[partner.funding_source])
        views = [(source, partner.reporting_currency, lambda s: s)]
        if partner.reporting_currency != EUR:
            views.append((_(CONVERTED_SOURCE) % {"source": source}, EUR, lambda s: s.eur))
        for label, currency, view in views:
            rows.append(CofinancingRow(
                partner=_label(partner), funding_source=label, rate=partner.cofinancing_rate,
                eligible_this_period=sum((view(s).eligible_total for s in current), ZERO),
                cofinancing_this_period=sum((view(s).cofinancing for s in current), ZERO),
                eligible_cumulative=sum((view(s).eligible_total for s in mine), ZERO),
                cofinancing_cumulative=sum((view(s).cofinancing for s in mine), ZERO),
                currency=currency,
            ))
    return tuple(rows)


def _funding_sources(approved, summaries, period_number):
    """Per funding source and currency: Norwegian funds are paid in NOK, ERDF in EUR."""
    totals = defaultdict(lambda: [ZERO, ZERO, ZERO])
    for report in approved:
        summary = summaries[report.pk]
        entry = totals[(summary.funding_source, summary.currency)]
        entry[0] += summary.eligible_total
        entry[2] += summary.cofinancing
        if report.period.number == period_number:
            entry[1] += summary.cofinancing
    return tuple(
        FundingSourceTotal(str(SOURCE_LABELS[source]), *totals[(source, currency)], currency=currency)
        for source in FundingSource.values for currency in (EUR, *sorted({c for _s, c in totals} - {EUR}))
        if (source, currency) in totals
    )


def _exchange_rates(lines_by_report, partners, rates_of_budgets):
    """The frozen rates of the counted lines, then the rate converting each budget that is not in EUR."""
    used = defaultdict(int)
    for lines in lines_by_report.values():
        for line in lines:
            if line.currency != "EUR" and line.exchange_rate is not None:
                used[(line.currency, line.rate_month, line.exchange_rate)] += 1
    rows = [
        ExchangeRateRow(currency, month, rate, count, _(LINES))
        for (currency, month, rate), count in sorted(used.items(), key=lambda i: (i[0][0], i[0][1] or date.min))
    ]
    for partner in partners:
        if partner.reporting_currency != EUR:
            key = (partner.reporting_currency, partner.budget_rate_month)
            rows.append(ExchangeRateRow(*key, rates_of_budgets.get(key), 0,
                                        _(BUDGET_OF) % {"partner": _label(partner)}))
    return tuple(rows)
