"""Demo partner reports in every state, created through the services so that rates freeze as in real use.

Called at the end of `manage.py seed_demo`. Each submission is dated in the month after its
period ended, so its lines freeze at that month's rate (the demo has a rate for every month), and
claims the lump sums achieved by then. KU has no report yet in its open period, period 3, which has
ended (a report is submitted once its period has ended). Each partner declares only the categories
its cost options leave at real cost (LU: no staff, FERRING: staff only, MVA: no travel); KU's reports
carry a unit-cost line and a fixed-percentage staff line, FERRING's a full-time one.
"""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from consortium.models import Role, add_months, first_of_month, local_today
from partners.budget_selectors import lines_in_force
from partners.cost_options import StaffCostMethod, excluded_categories
from partners.models import CostCategory, UnitCost
from reporting import services
from reporting.models import ProgressReport
from reporting.project_report_services import project_report_save
from reporting.selectors import pending_parked_controls, report_controls, work_packages_needing_narrative

D = Decimal
# Per project: partner short name -> the state of its report in each started period, oldest first.
# The last period listed for a partner is its newest report; "-" leaves a period without a report. FERRING's first
# report is certified so that certified money meets the other-costs flat rate; LU's and MVA's first reports are
# certified late by the demo claims (demo/claims.py), which brings in the staff and travel flat rates.
PLAN = {
    "ReproUnion": {
        # KU's open period is period 3, which has ended: its report can be started and submitted (the browser's cycle).
        "KU": ["certified", "approved"],
        "LU": ["approved", "approved", "submitted", "draft"],
        "RH": ["certified", "in_control", "returned"],
        "FERRING": ["certified", "submitted"],
        "SUS": ["certified", "draft"],
        "MVA": ["approved", "approved", "submitted"],
        "OUS": ["certified", "approved", "draft"],
    },
    # DiaUnion is in its second period: only period 1 can be submitted yet (submission opens after a period).
    "DiaUnion": {
        "SDCC": ["approved", "draft"],
        "KU": ["returned"],
        "LU": ["submitted"],
    },
}
# First-level control of the certified reports (and of the one in control): per (partner, period), the lines the
# controller did not verify as declared, by the start of their description -> (verified amount in the line's
# currency, deduction type, comment; a negative amount is what is cut from the declared one); "parked" leaves the
# line for the partner's next certificate. Every other line is verified as declared, except in a report still in
# control, where only those listed here are done. Together they show every deduction type, a parked line and a
# certified Norwegian report in NOK.
CONTROLS = {
    ("KU", 1): {
        "Project staff": (D("-1000.00"), "calculation",
                          "The hours claimed exceed the time sheets' total: 1,000.00 DKK less."),
        "Workshop facilitation": (D("0.00"), "ineligible",
                                  "Facilitation of the partner's internal staff meeting: not a cost of the project."),
    },
    ("RH", 1): {"Partnership meeting": (D("4000.00"), "evidence", "No hotel invoice for one night: 830.50 DKK."),
                "Project staff": (D("-2500.00"), "eligibility_period",
                                  "Hours worked before the period started: 2,500.00 DKK less.")},
    ("RH", 2): {"Project staff": "as declared"},
    ("SUS", 1): {"Partnership meeting": "parked",
                 "Workshop facilitation": (D("1837.50"), "procurement",
                                           "Bought without the price comparison the national rules ask for: "
                                           "25 % correction.")},
    ("OUS", 1): {"Partnership meeting": (D("4000.00"), "other", "A taxi receipt of 830.50 NOK is not itemised."),
                 "Project staff": (D("-2733.33"), "double_funding",
                                   "Hours also charged to a national research grant: 2,733.33 NOK less.")},
}
EFFORT_PER_PERIOD = D("2.50")  # person-months per WP the partner works on, in each period
RETURN_COMMENT = "Please attach the invoice for the venue and split the travel costs per work package."
# Staff: annual gross cost in the partner's currency, hours in the period.
STAFF = {"DK": ("DKK", D("612000.00"), D("420.00")), "SE": ("SEK", D("780000.00"), D("380.00")),
         "NO": ("NOK", D("820000.00"), D("300.00"))}
# Lines beyond the three every partner reports: per project, partner short name -> lines (the unit cost by name).
EXTRA_LINES = {"ReproUnion": {
    "KU": [
        {"cost_category": CostCategory.STAFF, "description": "Project coordinator", "employee": "Coordinator",
         "staff_method": StaffCostMethod.FIXED_PERCENTAGE, "monthly_gross_cost": D("48500.00"),
         "percentage": D("50.00"), "months": D("6"), "currency": "DKK"},
        {"unit_cost": "Cross-border partnership meeting", "units": D("12"),
         "description": "Partnership meeting in Lund, 6 participants × 2 days"},
    ],
    "FERRING": [
        {"cost_category": CostCategory.STAFF, "description": "Clinical research associate", "employee": "CRA",
         "staff_method": StaffCostMethod.FULL_TIME, "monthly_gross_cost": D("5200.00"), "months": D("6"),
         "currency": "EUR"},
    ],
    "LU": [
        # The invoice as a controller reads it: 127,500.00 SEK incl. 25,500.00 recoverable VAT, 37.5 % for the
        # project: (127,500.00 − 25,500.00) × 37.50 % = 38,250.00.
        {"cost_category": CostCategory.EQUIPMENT, "description": "Sample freezer (depreciation share)",
         "supplier": "Thermo Fisher Scientific", "invoice_total": D("127500.00"), "vat_amount": D("25500.00"),
         "vat_recoverable": True, "declared_share": D("37.50"), "currency": "SEK",
         "contract": "Sample freezer -80 °C"},
    ],
}}


def seed_demo_reports(projects, stdout) -> int:
    """Create the demo reports unless the projects already have reports; return how many were created."""
    if ProgressReport.objects.filter(partner__project__in=projects).exists():
        stdout.write("Demo reports already exist; none created.")
        return 0
    count = 0
    with transaction.atomic():
        for project in projects:
            plan = PLAN.get(project.acronym, {})
            partners = {p.organisation.short_name: p for p in project.partners.select_related("organisation")}
            periods = list(project.periods.filter(start_date__lte=local_today()).order_by("number"))
            mu = _user(project, Role.MANAGEMENT_UNIT)
            controllers = {m.user: set(m.controlled_partners.values_list("pk", flat=True))
                           for m in project.memberships.filter(role=Role.CONTROLLER).select_related("user")
                           .order_by("user__username")}
            for short, states in plan.items():
                partner = partners.get(short)
                if partner is None:
                    continue
                reporter = _user(project, Role.REPORTER, partner) or mu
                controller = next((user for user, ids in controllers.items() if partner.pk in ids), None)
                for period, state in zip(periods, states, strict=False):
                    if state != "-":
                        report = _report(partner, period, state, reporter, mu)
                        if state in ("in_control", "certified"):
                            _control(report, state, controller)
                        count += 1
            for period in periods:
                if period.end_date < local_today():
                    project_report_save(project=project, period=period, data=_narrative(project, period))
    stdout.write(f"Created {count} demo progress reports.")
    return count


def _narrative(project, period) -> dict:
    """The MU's narrative of a finished period, as it opens the funder report."""
    return {
        "highlights": f"Period {period.number}: partners on both sides of the Øresund worked to the plan; "
                      f"{project.acronym}'s steering committee met twice and the first joint results were shared.",
        "deviations": "Patient recruitment in Skåne started two months late; corrective action: a second "
                      "recruiting clinic in Malmö and an extended recruitment window (WP3).",
        "cross_border_value": "Clinicians in Denmark and Sweden now follow one protocol and share one registry "
                              "data model, which neither country could have built alone.",
        "next_steps": "Complete the registry prototype, start the second pilot wave and prepare the mid-term "
                      "evaluation.",
    }


def _user(project, role, partner=None):
    membership = project.memberships.filter(role=role, partner=partner).select_related("user").first()
    return membership.user if membership else get_user_model().objects.filter(is_superuser=True).first()


def _forecast(partner, period) -> Decimal:
    """What the partner expects to spend next period: its whole-project budget in force then, spread evenly over
    the periods, a little under plan early on and closer to it as the project ramps up."""
    budget = sum((line.amount for line in lines_in_force(partner.project_id, period.number + 1).filter(
        partner=partner, period=None)), D("0"))
    share = D("0.70") + D("0.05") * period.number
    return (budget / partner.project.periods.count() * share).quantize(D("1.00"))


def _report(partner, period, state, reporter, mu) -> ProgressReport:
    report = services.report_create(partner=partner, period=period, user=reporter)
    narratives = [{"work_package": wp, "narrative": f"{partner.organisation.short_name} progressed on {wp.title} "
                                                    f"as planned in period {period.number}.",
                   "objective_status": "partly"}
                  for wp in work_packages_needing_narrative(report)]
    report = services.report_update(report=report, expected_version=report.version, user=reporter, data={
        "summary": f"Period {period.number}: activities carried out as planned.",
        "problems": "" if state == "approved" else "Recruitment started two months late.",
        "forecast_next_period": _forecast(partner, period),
        "work_package_progress": narratives,
        "effort": [{"work_package": item["work_package"], "person_months": EFFORT_PER_PERIOD} for item in narratives],
    })
    wp = narratives[0]["work_package"] if narratives else None
    currency, annual_cost, hours = STAFF.get(partner.organisation.country, STAFF["DK"])
    day = period.start_date
    lines = [
        {"cost_category": CostCategory.STAFF, "description": f"Project staff, period {period.number}",
         "employee": "Researcher (0.5 FTE)", "annual_gross_cost": annual_cost, "hours": hours, "currency": currency,
         "work_package": wp},
        {"cost_category": CostCategory.TRAVEL, "description": "Partnership meeting, train and hotel",
         "supplier": "DSB / Scandic", "invoice_number": f"T-{period.number}-{partner.number}",
         "invoice_date": add_months(day, 1), "payment_date": add_months(day, 1), "amount": D("4830.50"),
         "currency": currency, "work_package": wp},
        {"cost_category": CostCategory.EXTERNAL, "description": "Workshop facilitation",
         "supplier": "Öresund Consult ApS", "invoice_number": f"E-{period.number}-{partner.number}",
         "invoice_date": add_months(day, 2), "payment_date": add_months(day, 3), "amount": D("2450.00"),
         "currency": "EUR", "work_package": wp},
    ]
    if partner.reporting_currency != "EUR":
        # A partner reporting in NOK (OUS) has every line in NOK; its workshop invoice carries Norwegian VAT of
        # 25 %, which it cannot recover: 28,420.00 incl. 5,684.00 VAT, all of it declared.
        lines[2].update(amount=None, invoice_total=D("28420.00"), vat_amount=D("5684.00"), vat_recoverable=False,
                        currency=partner.reporting_currency)
        del lines[2]["amount"]
    for extra in EXTRA_LINES.get(partner.project.acronym, {}).get(partner.organisation.short_name, []):
        data = {**extra, "work_package": wp}
        if "unit_cost" in data:
            data["unit_cost"] = UnitCost.objects.get(project=partner.project_id, name=data["unit_cost"])
        if "contract" in data:
            data["contract"] = partner.contracts.get(subject=data["contract"])
        lines.append(data)
    # Only what the partner's cost options leave at real cost (a unit cost counts in its category).
    excluded = excluded_categories(partner.cost_options)
    for data in lines:
        category = data["unit_cost"].cost_category if "unit_cost" in data else data["cost_category"]
        if category not in excluded:
            services.expenditure_add(report=report, user=reporter, data=data)
    if state == "draft":
        return report
    if period.submission_opens > local_today():
        raise ValueError(f"{partner} period {period.number} has not ended: its demo report can only be a draft.")
    # In the month after the period ended (this month at the latest): that month's rates freeze.
    submitted_on = min(add_months(period.end_date, 1), first_of_month(local_today()))
    services.report_submit(report=report, user=reporter, today=submitted_on, notify=False)
    if state in ("approved", "in_control", "certified"):
        services.report_approve(report=report, user=mu, notify=False)
    elif state == "returned":
        services.report_return(report=report, user=mu, comment=RETURN_COMMENT, notify=False)
    return report


def _control(report, state: str, controller) -> None:
    """The controller takes the approved report, verifies its lines as CONTROLS says and, unless it stays in
    control, verifies the rest as declared (with any line an earlier certificate parked) and certifies."""
    services.control_start(report=report, user=controller, notify=False)
    plan = CONTROLS.get((report.partner.organisation.short_name, report.period.number), {})
    rest = []
    for control in report_controls(report):
        description = control.expenditure.description if control.expenditure_id else ""
        action = next((value for start, value in plan.items() if description.startswith(start)), None)
        if action is None:
            rest.append(control.pk)
            continue
        if action == "as declared":
            data = {"verified_amount": control.declared_amount}
        elif action == "parked":
            data = {"parked": True, "comment": "Boarding passes asked for; verified with the next report."}
        else:
            verified, deduction, comment = action
            verified = control.declared_amount + verified if verified < 0 else verified
            data = {"verified_amount": verified, "deduction_type": deduction, "comment": comment, "sampled": True}
        services.line_control_update(control=control, expected_version=control.version, data=data, user=controller)
    if state == "in_control":
        return
    rest += [control.pk for control in pending_parked_controls(report)]
    services.lines_verify_as_declared(report=report, control_ids=rest, user=controller)
    services.report_certify(report=report, user=controller, notify=False)
