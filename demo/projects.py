"""Demo data for a try-out: two Interreg ÖKS projects, always mid-project relative to today.

`seed_demo_projects()` is idempotent: every row is looked up by its natural key and created (through
full_clean(), so the model invariants such as period tiling hold) only when missing; a second
run creates nothing. Figures are illustrative and every person is fictitious.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import models, transaction

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
from partners.budget_versions import budget_version_approve, budget_version_create, budget_version_set_line
from partners.cost_options import OfficeOption, StaffOption, TravelOption, excluded_categories
from partners.models import (
    BudgetLine,
    BudgetVersion,
    Contact,
    Contract,
    CostCategory,
    FundingSource,
    LumpSum,
    LumpSumShare,
    Organisation,
    Partner,
    ProcurementProcedure,
    ReportingCurrency,
    UnitCost,
)
from reporting.models import Currency, ExchangeRate
from reporting.money import compute_flat_rates
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

DEMO_PASSWORD = "demo"
PERIOD_MONTHS = 6
REPORT_DUE_MONTHS_AFTER_PERIOD = 2
REPROUNION_MONTHS_AGO = 18
REPROUNION_MONTHS = 36
DIAUNION_MONTHS_AGO = 10
DIAUNION_MONTHS = 30


@dataclass
class SeedResult:
    projects: list[Project]
    created: Counter = field(default_factory=Counter)


def _get_or_create(created: Counter, model: type[models.Model], lookup: dict, defaults: dict | None = None):
    """The row with natural key `lookup`, created through full_clean() if it does not exist yet."""
    instance = model._default_manager.filter(**lookup).first()
    if instance is not None:
        return instance
    m2m = {}
    values = {**lookup, **(defaults or {})}
    for name in list(values):
        if model._meta.get_field(name).many_to_many:
            m2m[name] = values.pop(name)
    instance = model(**values)
    instance.full_clean()
    instance.save()
    for name, related in m2m.items():
        getattr(instance, name).set(related)
    created[model._meta.verbose_name_plural] += 1
    return instance


# (short name, name, country, legal status, NUTS region)
ORGANISATIONS = [
    ("RH", "Rigshospitalet, Copenhagen University Hospital", "DK", "public", "DK011"),
    ("KU", "University of Copenhagen", "DK", "public", "DK011"),
    ("LU", "Lund University", "SE", "public", "SE224"),
    ("FERRING", "Ferring Pharmaceuticals A/S", "DK", "private", "DK012"),
    ("SUS", "Skåne University Hospital", "SE", "public", "SE224"),
    ("RSKANE", "Region Skåne", "SE", "public", "SE224"),
    ("REGSJ", "Region Zealand", "DK", "public", "DK021"),
    ("REGH", "Capital Region of Denmark", "DK", "public", "DK011"),
    ("MAU", "Malmö University", "SE", "public", "SE224"),
    ("MVA", "Medicon Valley Alliance", "DK", "non_profit", "DK011"),
    ("OUS", "Oslo University Hospital", "NO", "public", "NO081"),
    ("SUH", "Zealand University Hospital", "DK", "public", "DK021"),
    ("HVH", "Hvidovre Hospital", "DK", "public", "DK012"),
    ("RUC", "Roskilde University", "DK", "public", "DK021"),
    ("SDCC", "Steno Diabetes Center Copenhagen", "DK", "public", "DK011"),
    ("NOVO", "Novo Nordisk A/S", "DK", "private", "DK013"),
]

# Partners in order (PP1 is the lead); the size of each budget in EUR for the whole project (the staff budget,
# or for a partner on the staff flat rate its external-expertise budget).
REPROUNION_PARTNERS = [
    ("RH", 620_000), ("KU", 540_000), ("LU", 520_000), ("FERRING", 260_000), ("SUS", 410_000),
    ("RSKANE", 150_000), ("REGSJ", 140_000), ("REGH", 160_000), ("MAU", 230_000), ("MVA", 480_000),
    ("OUS", 210_000), ("SUH", 190_000), ("HVH", 180_000), ("RUC", 120_000),
]
DIAUNION_PARTNERS = [("SDCC", 380_000), ("KU", 260_000), ("LU", 240_000), ("RSKANE", 90_000), ("MVA", 210_000),
                     ("NOVO", 150_000)]

# Simplified cost options (docs/REPORTING.md) of the partners not on the default, office 15 % of staff costs.
D = Decimal
REPROUNION_COST_OPTIONS = {
    # Staff 20 % of the other direct costs, and office 15 % of that flat-rated staff.
    "LU": {"staff_option": StaffOption.FLAT_DIRECT, "staff_flat_rate": D("20.00")},
    # 40 % of direct staff costs covers everything else.
    "FERRING": {"office_option": OfficeOption.REAL, "office_flat_rate": None, "uses_other_costs_flat_rate": True,
                "other_costs_flat_rate": D("40.00")},
    # Travel 15 % of staff costs, office 7 % of all direct costs.
    "MVA": {"travel_option": TravelOption.FLAT_STAFF, "travel_flat_rate": D("15.00"),
            "office_option": OfficeOption.FLAT_DIRECT, "office_flat_rate": D("7.00")},
}
# (name, unit, price per unit, cost category)
REPROUNION_UNIT_COSTS = [
    ("Cross-border partnership meeting", "participant-day", D("96.00"), CostCategory.TRAVEL),
]
# (name, amount, period number, {partner: share}, achieved: days before the period's end, evidence)
REPROUNION_LUMP_SUMS = [
    ("Preparation of the application", D("20000.00"), 1, {"RH": D("8000.00"), "KU": D("6000.00"),
                                                         "LU": D("6000.00")}, 20,
     "Application NYPS ReproUnion approved by the monitoring committee; minutes on the project site."),
    ("Clinical pilot completed", D("45000.00"), 5, {"RH": D("25000.00"), "SUS": D("12000.00"),
                                                   "HVH": D("8000.00")}, None, ""),
]

# (number, title, lead, start month, end month, objectives, activities: [(title, partner short names)])
REPROUNION_WPS = [
    (1, "Project management and coordination", "MVA", 1, 36,
     "Run the partnership, the reporting and the finances of ReproUnion across the Öresund region.",
     [("Steering committee and partnership meetings", ["MVA", "RH", "LU"]),
      ("Financial management and reporting", ["MVA"])]),
    (2, "Cross-border fertility registry", "KU", 1, 30,
     "A shared Danish-Swedish registry of fertility treatments and outcomes.",
     [("Registry data model", ["KU", "LU", "REGH"]), ("Legal basis for data sharing", ["KU", "RSKANE", "REGH"]),
      ("Registry operation", ["KU", "LU", "SUS"])]),
    (3, "Clinical pilot: fertility preservation", "RH", 3, 33,
     "Pilot a common fertility-preservation pathway for young cancer patients in both countries.",
     [("Pilot protocol and ethics", ["RH", "SUS", "SUH"]), ("Pilot delivery", ["RH", "SUS", "HVH", "OUS"])]),
    (4, "Male reproductive health", "LU", 4, 34,
     "A cross-border cohort study of semen quality and its environmental determinants.",
     [("Cohort recruitment", ["LU", "SUS", "HVH"]), ("Biobank and analyses", ["LU", "KU", "OUS"])]),
    (5, "Innovation and industry collaboration", "FERRING", 6, 36,
     "Turn research results into products and services with the region's life-science companies.",
     [("Industry needs assessment", ["FERRING", "MVA"]), ("Technology transfer pilot", ["FERRING", "MAU", "RUC"])]),
    (6, "Communication and dissemination", "MAU", 1, 36,
     "Reach patients, clinicians and policy makers on both sides of the Sound.",
     [("Website and social media", ["MAU", "MVA"]), ("Conferences and policy briefs", ["MAU", "REGSJ", "REGH"])]),
]
DIAUNION_WPS = [
    (1, "Project management", "MVA", 1, 30, "Coordination of DiaUnion.", [("Partnership meetings", ["MVA", "SDCC"])]),
    (2, "Digital diabetes care", "SDCC", 2, 28, "Shared digital tools for type 1 diabetes care.",
     [("Tool development", ["SDCC", "NOVO", "KU"])]),
    (3, "Prevention in the Öresund region", "LU", 3, 30, "Cross-border prevention programmes.",
     [("Prevention pilots", ["LU", "RSKANE"])]),
]

# (code, WP, title, type, due month, status, months rescheduled, days submitted after the due date)
REPROUNION_DELIVERABLES = [
    ("D1.1", 1, "Project handbook and quality plan", "R", 3, "accepted", 0, -5),
    ("D1.2", 1, "Data management plan", "DMP", 6, "accepted", 0, 10),
    ("D1.3", 1, "First periodic progress report", "R", 9, "accepted", 0, -2),
    ("D1.4", 1, "Risk register, first update", "R", 12, "submitted", 0, 0),
    ("D1.5", 1, "Second periodic progress report", "R", 15, "revision_requested", 0, 3),
    ("D1.6", 1, "Mid-term evaluation", "R", 18, "internal_review", 0, None),
    ("D1.7", 1, "Final report", "R", 36, "planned", 0, None),
    ("D2.1", 2, "Registry data model", "R", 6, "accepted", 0, -1),
    ("D2.2", 2, "Legal basis for cross-border data sharing", "R", 10, "accepted", 0, 14),
    ("D2.3", 2, "Registry prototype", "DEM", 14, "in_progress", 6, None),
    ("D2.4", 2, "Registry data quality report", "DATA", 18, "in_progress", 0, None),
    ("D2.5", 2, "Registry in operation", "DEM", 30, "planned", 0, None),
    ("D3.1", 3, "Clinical pilot protocol", "R", 6, "accepted", 0, 0),
    ("D3.2", 3, "Ethics approvals in Denmark and Sweden", "ETHICS", 9, "accepted", 0, -10),
    ("D3.3", 3, "Patient information material", "DEC", 12, "cancelled", 0, None),
    ("D3.4", 3, "Pilot interim results", "R", 17, "planned", 0, None),
    ("D3.5", 3, "Pilot final evaluation", "R", 33, "planned", 0, None),
    ("D4.1", 4, "Semen quality study design", "R", 8, "submitted", 0, 7),
    ("D4.2", 4, "Cohort recruitment report", "R", 16, "in_progress", 6, None),
    ("D4.3", 4, "Biobank standard operating procedures", "R", 19, "internal_review", 0, None),
    ("D4.4", 4, "Cohort study results", "DATA", 34, "planned", 0, None),
    ("D5.1", 5, "Industry needs assessment", "R", 9, "accepted", 0, -3),
    ("D5.2", 5, "Innovation voucher scheme", "OTHER", 15, "revision_requested", 0, 0),
    ("D5.3", 5, "Technology transfer pilot", "DEM", 24, "planned", 0, None),
    ("D5.4", 5, "Business model for the registry", "R", 30, "planned", 0, None),
    ("D6.1", 6, "Communication plan", "R", 3, "accepted", 0, -7),
    ("D6.2", 6, "Project website", "DEC", 4, "accepted", 0, 12),
    ("D6.3", 6, "Annual conference report", "R", 13, "submitted", 0, 0),
    ("D6.4", 6, "Policy brief on cross-border fertility care", "R", 21, "in_progress", 0, None),
    ("D6.5", 6, "Final conference", "DEC", 36, "planned", 0, None),
]
DIAUNION_DELIVERABLES = [
    ("D1.1", 1, "Project handbook", "R", 3, "accepted", 0, 0),
    ("D1.2", 1, "Data management plan", "DMP", 6, "submitted", 0, 4),
    ("D2.1", 2, "User needs of people with type 1 diabetes", "R", 8, "in_progress", 0, None),
    ("D2.2", 2, "Digital tool prototype", "DEM", 16, "planned", 0, None),
    ("D3.1", 3, "Prevention pilot design", "R", 12, "in_progress", 3, None),
]

# (code, WP, title, due month, achieved)
REPROUNION_MILESTONES = [
    ("MS1", 1, "Consortium kick-off meeting held", 1, True),
    ("MS2", 2, "Registry data model agreed", 6, True),
    ("MS3", 3, "First patient enrolled in the pilot", 12, True),
    ("MS4", 1, "Mid-term review completed", 18, False),
    ("MS5", 2, "Registry prototype live", 20, False),
    ("MS6", 6, "Final conference held", 36, False),
]
DIAUNION_MILESTONES = [("MS1", 1, "Kick-off meeting held", 1, True), ("MS2", 2, "Prototype tested", 16, False)]

# (code, name, kind, unit, target, paired output)
REPROUNION_INDICATORS = [
    ("RCO83", "Strategies and action plans jointly developed", "output", "strategy/action plan", 2, None),
    ("RCO84", "Pilot actions developed jointly and implemented in projects", "output", "pilot action", 3, None),
    ("RCO87", "Organisations cooperating across borders", "output", "organisation", 14, None),
    ("RCO116", "Jointly developed solutions", "output", "solution", 4, None),
    ("RCR79", "Joint strategies and action plans taken up by organisations", "result", "strategy/action plan", 2,
     "RCO83"),
    ("RCR84", "Organisations cooperating across borders after project completion", "result", "organisation", 10,
     None),
    ("RCR104", "Solutions taken up or up-scaled by organisations", "result", "solution", 3, None),
]
DIAUNION_INDICATORS = [
    ("RCO87", "Organisations cooperating across borders", "output", "organisation", 6, None),
    ("RCO116", "Jointly developed solutions", "output", "solution", 2, None),
    ("RCR104", "Solutions taken up or up-scaled by organisations", "result", "solution", 1, None),
]

# Fictitious people: (first name, last name) per partner short name.
CONTACT_NAMES = {
    "RH": ("Mette", "Holm"), "KU": ("Anders", "Kjær"), "LU": ("Sara", "Lindqvist"), "FERRING": ("Jonas", "Friis"),
    "SUS": ("Elin", "Bergström"), "RSKANE": ("Nils", "Åkesson"), "REGSJ": ("Line", "Sørensen"),
    "REGH": ("Peter", "Dahl"), "MAU": ("Karin", "Nyberg"), "MVA": ("Camilla", "Brandt"), "OUS": ("Ingrid", "Haugen"),
    "SUH": ("Rasmus", "Vestergaard"), "HVH": ("Julie", "Lund"), "RUC": ("Mikkel", "Thorsen"),
    "SDCC": ("Hanne", "Mortensen"), "NOVO": ("Thomas", "Bech"),
}
MU_CONTACTS = [
    ("project_manager", "Louise Winther", "Project manager"),
    ("finance", "Henrik Falk", "Finance officer"),
    ("communication", "Amira Nasser", "Communication officer"),
]

# Monthly accounting rates (units per EUR) around which the demo wiggles.
BASE_RATES = {Currency.DKK: Decimal("7.4600"), Currency.SEK: Decimal("11.2000"), Currency.NOK: Decimal("11.6000")}
WIGGLE = {Currency.DKK: Decimal("0.0010"), Currency.SEK: Decimal("0.0450"), Currency.NOK: Decimal("0.0400")}
WIGGLE_PATTERN = (0, 1, 3, 2, -1, -3, -2, 0, 2, 4, 1, -2)


def _email(full_name: str, domain: str = "example.org") -> str:
    local = full_name.lower().replace(" ", ".")
    for accented, plain in (("æ", "ae"), ("ø", "oe"), ("å", "aa"), ("ä", "a"), ("ö", "o")):
        local = local.replace(accented, plain)
    return f"{local}@{domain}"


def seed_programme(created: Counter) -> Programme:
    return _get_or_create(
        created, Programme, {"name": "Interreg VI-A Öresund-Kattegat-Skagerrak"},
        {"short_name": "ÖKS", "start_year": 2021, "end_year": 2027, "default_cofinancing_rate": Decimal("60.00"),
         "default_office_flat_rate": Decimal("15.00"), "eligibility_grace_days": 45},
    )


def seed_organisations(created: Counter) -> dict[str, Organisation]:
    return {
        short: _get_or_create(created, Organisation, {"short_name": short},
                              {"name": name, "country": country, "legal_status": status, "nuts_region": nuts})
        for short, name, country, status, nuts in ORGANISATIONS
    }


def seed_periods(created: Counter, project: Project) -> list[ReportingPeriod]:
    """Six-month periods tiling the project, each report due two months after the period ends."""
    periods = []
    for index in range(project.duration_months // PERIOD_MONTHS):
        start = add_months(project.start_date, index * PERIOD_MONTHS)
        end = add_months(start, PERIOD_MONTHS) - timedelta(days=1)
        periods.append(_get_or_create(
            created, ReportingPeriod, {"project": project, "number": index + 1},
            {"start_date": start, "end_date": end,
             "report_due_date": last_of_month(add_months(end, REPORT_DUE_MONTHS_AFTER_PERIOD))},
        ))
    return periods


def seed_partners(created: Counter, project: Project, orgs: dict[str, Organisation],
                  plan: list[tuple[str, int]], periods: list[ReportingPeriod],
                  cost_options: dict[str, dict]) -> dict[str, Partner]:
    partners = {}
    # The approved application budget is version 1: entered as a draft, approved once complete.
    first = _get_or_create(created, BudgetVersion, {"project": project, "number": 1},
                           {"reason": "The approved application budget.", "applies_from": 1})
    for number, (short, size) in enumerate(plan, start=1):
        organisation = orgs[short]
        norwegian = organisation.country == "NO"
        # A Norwegian partner financed by Norwegian Interreg funds budgets and reports in NOK (ÖKS: NOK stays NOK);
        # its budget was approved at the project's start, at the rate of that month.
        partner = _get_or_create(
            created, Partner, {"project": project, "organisation": organisation},
            {"number": number, "role": Partner.PartnerRole.LEAD if number == 1 else Partner.PartnerRole.PARTNER,
             "cofinancing_rate": Decimal("50.00") if norwegian else Decimal("60.00"),
             "funding_source": FundingSource.NORWEGIAN if norwegian else FundingSource.ERDF,
             "reporting_currency": ReportingCurrency.NOK if norwegian else ReportingCurrency.EUR,
             **cost_options.get(short, {})},
        )
        partners[short] = partner
        size = (Decimal(size) * (BASE_RATES[Currency.NOK] if norwegian else 1)).quantize(Decimal("1"))
        seed_budget(created, first, partner, size, periods if number <= 3 else [])
    if not first.is_approved:
        budget_version_approve(version=first)
    return partners


def seed_budget_version_two(created: Counter, project: Project, partners: dict[str, Partner],
                            periods: list[ReportingPeriod], today: date) -> None:
    """ReproUnion's modification: from period 3, KU moves part of its travel budget to external expertise and LU
    part of its equipment budget to external expertise — shifts within the programme's flexibility, approved by the
    MU alone."""
    if BudgetVersion.objects.filter(project=project, number=2).exists():
        return
    version = budget_version_create(
        project=project, reason="KU buys the registry's data-model work from a consultancy instead of travelling to "
                                "the partner meetings it now attends online; LU rents the pilot's equipment through "
                                "a service contract instead of buying it.",
        decision_date=periods[1].end_date, applies_from=3)
    for short, source, target, amount in (("KU", CostCategory.TRAVEL, CostCategory.EXTERNAL, Decimal("4000.00")),
                                          ("LU", CostCategory.EQUIPMENT, CostCategory.EXTERNAL, Decimal("3000.00"))):
        lines = {line.cost_category: line for line in version.lines.filter(partner=partners[short], period=None)}
        budget_version_set_line(version=version, partner=partners[short], cost_category=source,
                                amount=lines[source].amount - amount)
        budget_version_set_line(version=version, partner=partners[short], cost_category=target,
                                amount=(lines[target].amount if target in lines else Decimal("0.00")) + amount)
    budget_version_approve(version=version)
    created[BudgetVersion._meta.verbose_name_plural] += 1


def seed_budget(created: Counter, version: BudgetVersion, partner: Partner, size: Decimal,
                periods: list[ReportingPeriod]) -> None:
    """Whole-project lines of the categories the partner's options leave at real cost, the flat-rated ones
    computed from them as a report's would be; and for `periods` the staff budget split evenly."""
    options = partner.cost_options
    real = {
        CostCategory.STAFF: size,
        CostCategory.TRAVEL: (size * Decimal("0.06")).quantize(Decimal("1")),
        CostCategory.EXTERNAL: size if options.staff_is_flat else (size * Decimal("0.20")).quantize(Decimal("1")),
    }
    if partner.organisation.legal_status != Organisation.LegalStatus.NON_PROFIT:
        real[CostCategory.EQUIPMENT] = (size * Decimal("0.05")).quantize(Decimal("1"))
    # Flat-rated categories have no real budget: they follow from the others (the other-costs rate has no
    # category; the funder report budgets it from the staff budget).
    real = {category: amount for category, amount in real.items() if category not in excluded_categories(options)}
    flat = compute_flat_rates(real, options)
    amounts = {**real, **{category: rate.amount for category, rate in (
        (CostCategory.STAFF, flat.staff), (CostCategory.TRAVEL, flat.travel), (CostCategory.OFFICE_ADMIN, flat.office))
        if rate is not None}}
    for category, amount in amounts.items():
        _get_or_create(created, BudgetLine, {"budget_version": version, "partner": partner, "cost_category": category,
                                             "period": None},
                       {"amount": amount})
    for period in periods:
        _get_or_create(created, BudgetLine, {"budget_version": version, "partner": partner,
                                             "cost_category": CostCategory.STAFF, "period": period},
                       {"amount": (amounts[CostCategory.STAFF] / len(periods)).quantize(Decimal("0.01"))})


def seed_unit_costs_and_lump_sums(created: Counter, project: Project, partners: dict[str, Partner],
                                  periods: list[ReportingPeriod], unit_costs, lump_sums, today: date) -> None:
    for name, unit, price, category in unit_costs:
        _get_or_create(created, UnitCost, {"project": project, "name": name},
                       {"unit": unit, "price_per_unit": price, "cost_category": category})
    for name, amount, period_number, shares, achieved_days_before_end, evidence in lump_sums:
        period = periods[period_number - 1]
        achieved = None
        if achieved_days_before_end is not None:
            achieved = min(period.end_date - timedelta(days=achieved_days_before_end), today)
        lump_sum = _get_or_create(created, LumpSum, {"project": project, "name": name},
                                  {"amount": amount, "period": period, "achieved_date": achieved,
                                   "evidence": evidence})
        for short, share in shares.items():
            _get_or_create(created, LumpSumShare, {"lump_sum": lump_sum, "partner": partners[short]},
                           {"amount": share})


# Why the demo's rescheduled deliverables moved (the funder report and the tracker show it).
RESCHEDULE_REASONS = {
    "D2.3": "The Swedish data protection authority asked for a new impact assessment before the prototype could "
            "hold patient data.",
    "D4.2": "Recruitment paused for three months while the ethics amendment for the second site was reviewed.",
}


def seed_work_plan(created: Counter, project: Project, partners: dict[str, Partner], wps, deliverables,
                   milestones, indicators, today: date) -> None:
    work_packages = {}
    for number, title, lead, start, end, objectives, activities in wps:
        wp = _get_or_create(created, WorkPackage, {"project": project, "number": number},
                            {"title": title, "lead_partner": partners[lead], "start_month": start,
                             "end_month": end, "objectives": objectives})
        work_packages[number] = wp
        for activity_number, (activity_title, involved) in enumerate(activities, start=1):
            _get_or_create(created, Activity, {"work_package": wp, "number": activity_number},
                           {"title": activity_title, "start_month": start, "end_month": end,
                            "partners": [partners[short] for short in involved]})
        for short in {lead, *(s for _, involved in activities for s in involved)}:
            months = Decimal("18.00") if short == lead else Decimal("6.00")
            _get_or_create(created, Effort, {"partner": partners[short], "work_package": wp},
                           {"person_months": months})
        if number != 1:  # everyone takes part in management
            continue
        for partner in partners.values():
            _get_or_create(created, Effort, {"partner": partner, "work_package": wp},
                           {"person_months": Decimal("2.00")})
    for code, wp_number, title, kind, due_month, status, shift, submitted_after in deliverables:
        wp = work_packages[wp_number]
        original_due = last_of_month(project.month_start(due_month))
        due = last_of_month(project.month_start(due_month + shift))
        submitted = due + timedelta(days=submitted_after) if submitted_after is not None else None
        deliverable = _get_or_create(created, Deliverable, {"project": project, "code": code}, {
            "work_package": wp, "title": title, "type": kind, "lead_partner": wp.lead_partner,
            "original_due_date": original_due, "due_date": due, "status": status,
            "submitted_date": submitted,
            "accepted_date": min(submitted + timedelta(days=21), today) if status == "accepted" else None,
        })
        if shift:  # a rescheduled deliverable carries the move and its reason, as the plan pages record them
            _get_or_create(created, DueDateChange, {"deliverable": deliverable, "old_date": original_due}, {
                "project": project, "new_date": due,
                "reason": RESCHEDULE_REASONS.get(code, "The partners agreed a later date at the steering committee.")})
    for code, wp_number, title, due_month, achieved in milestones:
        due = last_of_month(project.month_start(due_month))
        _get_or_create(created, Milestone, {"project": project, "code": code},
                       {"work_package": work_packages[wp_number], "title": title, "due_date": due,
                        "means_of_verification": "Minutes or report on the project site.",
                        "achieved_date": due - timedelta(days=3) if achieved else None})
    seeded = {}
    for code, name, kind, unit, target, paired in indicators:
        seeded[code] = _get_or_create(created, Indicator, {"project": project, "code": code},
                                      {"name": name, "kind": kind, "unit": unit, "target": Decimal(target),
                                       "paired_output": seeded.get(paired)})


def seed_contacts(created: Counter, project: Project, orgs: dict[str, Organisation],
                  partners: dict[str, Partner], users: dict) -> None:
    mu_org = orgs["MVA"]
    for kind, name, title in MU_CONTACTS:
        _get_or_create(created, Contact, {"project": project, "email": _email(name), "kind": kind},
                       {"organisation": mu_org, "name": name, "title": title, "phone": "+45 70 00 00 00",
                        "user": users["mu"] if kind == "project_manager" else None})
    for short, partner in partners.items():
        first, last = CONTACT_NAMES[short]
        name = f"{first} {last}"
        _get_or_create(created, Contact, {"project": project, "email": _email(name), "kind": "partner_contact"},
                       {"organisation": partner.organisation, "name": name, "title": "Partner contact person",
                        "user": users.get(f"reporter-{short.lower()}")})


# Procurement registers: partner -> contracts (supplier, subject, value in EUR excl. VAT, procedure, months since
# the project's start). KU's platform contract names no procedure though it is above the programme's threshold,
# so the review page flags it.
CONTRACTS = {"ReproUnion": {
    "LU": [("Thermo Fisher Scientific", "Sample freezer -80 °C", Decimal("11400.00"),
            ProcurementProcedure.PRICE_COMPARISON, 2)],
    "KU": [("Registry Systems ApS", "Registry platform development", Decimal("48000.00"), "", 3),
           ("Öresund Consult ApS", "Workshop facilitation framework agreement", Decimal("9800.00"),
            ProcurementProcedure.DIRECT_AWARD, 1)],
}}


def seed_contracts(created: Counter, partners: dict[str, Partner], contracts: dict[str, list]) -> None:
    for short, entries in contracts.items():
        partner = partners[short]
        for supplier, subject, value, procedure, month in entries:
            _get_or_create(created, Contract, {"partner": partner, "subject": subject},
                           {"supplier": supplier, "value": value, "procedure": procedure,
                            "contract_date": add_months(partner.project.start_date, month)})


# ReproUnion's risk register: (title, likelihood, impact, owner's short name or None for the MU, mitigation,
# status, review date in days from today). One review is overdue, one risk is closed (not in the funder report).
REPROUNION_RISKS = [
    ("Patient recruitment for the clinical pilots lags", Risk.Level.HIGH, Risk.Level.HIGH, "RH",
     "A second fertility clinic in Region Skåne joins the pilots; recruitment is reviewed monthly.",
     Risk.Status.OPEN, -12),
    ("GDPR approval of the cross-border registry is delayed", Risk.Level.MEDIUM, Risk.Level.HIGH, "KU",
     "Data protection officers of KU and LU meet every quarter; a pseudonymised fallback design is ready.",
     Risk.Status.MONITORING, 45),
    ("Key staff leave the management unit", Risk.Level.LOW, Risk.Level.MEDIUM, None,
     "Every task has a deputy; procedures are written down in the project handbook.", Risk.Status.OPEN, 90),
    ("The registry platform contract is late", Risk.Level.MEDIUM, Risk.Level.MEDIUM, "KU",
     "Delivered in month 9 after a revised milestone plan.", Risk.Status.CLOSED, None),
]


def seed_risks(created: Counter, project: Project, partners: dict[str, Partner], today: date) -> None:
    for title, likelihood, impact, owner, mitigation, status, review_in in REPROUNION_RISKS:
        _get_or_create(created, Risk, {"project": project, "title": title}, {
            "likelihood": likelihood, "impact": impact, "owner": partners.get(owner) if owner else None,
            "mitigation": mitigation, "status": status,
            "review_date": today + timedelta(days=review_in) if review_in is not None else None})


def seed_exchange_rates(created: Counter, since: date, until: date) -> None:
    """A rate per currency for every month from `since` to `until` (the demo's wiggle is deterministic)."""
    month = first_of_month(since)
    index = 0
    while month <= until:
        step = WIGGLE_PATTERN[index % len(WIGGLE_PATTERN)]
        for currency, base in BASE_RATES.items():
            _get_or_create(created, ExchangeRate, {"currency": currency, "month": month},
                           {"rate": base + WIGGLE[currency] * step})
        month = add_months(month, 1)
        index += 1


def seed_user(created: Counter, username: str, *, is_staff: bool = False, is_superuser: bool = False):
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is None:
        user = user_model(username=username, email=f"{username}@example.org", is_staff=is_staff or is_superuser,
                          is_superuser=is_superuser)
        user.set_password(DEMO_PASSWORD)
        user.save()
        created["users"] += 1
    return user


def seed_membership(created: Counter, user, project: Project, role: str, partner: Partner | None = None,
                    controlled_partners: list[Partner] | None = None) -> None:
    defaults = {"role": role, "partner": partner}
    if controlled_partners:
        defaults["controlled_partners"] = controlled_partners
    _get_or_create(created, Membership, {"user": user, "project": project}, defaults)


# First-level controllers (Interreg ÖKS: each country's controller audits its own country's partners).
CONTROLLERS = {"controller-dk": "DK", "controller-se": "SE", "controller-no": "NO"}


def _project(created: Counter, programme: Programme, acronym: str, title: str, description: str,
             months_ago: int, months: int, today: date) -> Project:
    start = add_months(first_of_month(today), -months_ago)
    return _get_or_create(created, Project, {"programme": programme, "acronym": acronym}, {
        "title": title, "description": description, "start_date": start,
        "end_date": add_months(start, months) - timedelta(days=1), "funder_reference": f"NYPS {acronym}",
    })


@transaction.atomic
def seed_demo_projects(*, with_admin: bool = False) -> SeedResult:
    """Create (or complete) the demo: ReproUnion, DiaUnion, their plans, rates and the demo users."""
    created: Counter = Counter()
    today = local_today()
    programme = seed_programme(created)
    orgs = seed_organisations(created)
    users = {name: seed_user(created, name, is_staff=(name == "mu"))
             for name in ("mu", "coordinator", "reporter-ku", "reporter-lu", "viewer", *CONTROLLERS)}
    if with_admin:
        users["admin"] = seed_user(created, "admin", is_superuser=True)

    repro = _project(created, programme, "ReproUnion",
                     "Cross-border collaboration in reproductive medicine",
                     "Danish and Swedish hospitals, universities and companies join forces on infertility: a "
                     "shared registry, clinical pilots and new treatments for the Öresund region.",
                     REPROUNION_MONTHS_AGO, REPROUNION_MONTHS, today)
    dia = _project(created, programme, "DiaUnion", "Diabetes care across the Öresund region",
                   "Digital tools and prevention programmes for people with diabetes in Denmark and Sweden.",
                   DIAUNION_MONTHS_AGO, DIAUNION_MONTHS, today)
    for project, partner_plan, cost_options, wps, deliverables, milestones, indicators, unit_costs, lump_sums in (
        (repro, REPROUNION_PARTNERS, REPROUNION_COST_OPTIONS, REPROUNION_WPS, REPROUNION_DELIVERABLES,
         REPROUNION_MILESTONES, REPROUNION_INDICATORS, REPROUNION_UNIT_COSTS, REPROUNION_LUMP_SUMS),
        (dia, DIAUNION_PARTNERS, {}, DIAUNION_WPS, DIAUNION_DELIVERABLES, DIAUNION_MILESTONES, DIAUNION_INDICATORS,
         [], []),
    ):
        periods = seed_periods(created, project)
        partners = seed_partners(created, project, orgs, partner_plan, periods, cost_options)
        seed_work_plan(created, project, partners, wps, deliverables, milestones, indicators, today)
        seed_unit_costs_and_lump_sums(created, project, partners, periods, unit_costs, lump_sums, today)
        seed_contacts(created, project, orgs, partners, users)
        seed_contracts(created, partners, CONTRACTS.get(project.acronym, {}))
        seed_membership(created, users["mu"], project, Role.MANAGEMENT_UNIT)
        if project is repro:
            seed_budget_version_two(created, project, partners, periods, today)
            seed_membership(created, users["coordinator"], project, Role.COORDINATOR)
            seed_membership(created, users["reporter-ku"], project, Role.REPORTER, partners["KU"])
            seed_membership(created, users["reporter-lu"], project, Role.REPORTER, partners["LU"])
            for username, country in CONTROLLERS.items():
                seed_membership(created, users[username], project, Role.CONTROLLER, controlled_partners=[
                    p for p in partners.values() if p.organisation.country == country])
            seed_risks(created, project, partners, today)
        else:
            seed_membership(created, users["viewer"], project, Role.VIEWER)
    seed_exchange_rates(created, min(repro.start_date, dia.start_date), first_of_month(today))
    return SeedResult(projects=[repro, dia], created=created)
