"""The API's permission table: every endpoint × persona → the exact status code of each action.

One row of ENDPOINTS per resource:

    "deliverables": Endpoint(
        path="/api/deliverables/",
        make=lambda world, project: <an object in `project`>,      # world.project = own, other_project = other
        create=lambda world: {<a valid POST body in world.project>},  # None: POST is not offered (405)
        update={<a valid PATCH body>},                              # None: PATCH is not offered (405)
        codes=plan_codes(...),                                      # persona -> {action: status}
    )

`codes` gives, for an object of the personas' own project (project A), the status of each action
`list, detail, create, update, delete` for every persona (mu, coordinator, reporter_a, reporter_b,
viewer, controller_a and controller_b — the first-level controllers of partners A1 and A2 —, outsider
— the MU of project B only —, anonymous). A controller answers like a viewer (it reads the plan, no money)
unless a resource says otherwise: reports and their lines it reads for its own partners only. For an object
of the other project (project B) the test derives the codes: 404 on detail/update/delete for project A's members, the
MU's codes for the outsider (B is their project), 401 for anonymous; and that object never appears
in a project-A member's list.

To add a resource (e.g. progress-reports): write its `make` (an object in the given project; for
a report use a partner of that project), `create` and `update` bodies, and its `codes` — start
from `plan_codes()` (READ_PLAN to read, MU to write) or `money_codes()` (no viewers) and override
the personas that differ, e.g. `plan_codes(reporter_b={"detail": 404, ...})` — then add it to
ENDPOINTS. test_permission_matrix.py and the viewer's money walk pick it up.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from consortium.models import Membership, ReportingPeriod, Role, last_of_month
from tests import factories as f
from workpackages.models import Risk

ACTIONS = ("list", "detail", "update", "delete", "create")
PERSONAS = ("mu", "coordinator", "reporter_a", "reporter_b", "viewer", "controller_a", "controller_b", "outsider",
            "anonymous")
MEMBERS_OF_A = ("mu", "coordinator", "reporter_a", "reporter_b", "viewer", "controller_a", "controller_b")
CONTROLLERS = ("controller_a", "controller_b")


@dataclass(frozen=True)
class Endpoint:
    path: str
    make: Callable
    create: Callable | None
    update: dict | None
    codes: dict[str, dict[str, int]]
    # The codes for an object of project B, when the derivation described above does not fit.
    other_codes: dict[str, dict[str, int]] | None = None


def _codes(mu: dict, member: dict, outsider: dict, overrides: dict) -> dict[str, dict[str, int]]:
    table = {"mu": dict(mu), "outsider": dict(outsider), "anonymous": dict.fromkeys(ACTIONS, 401)}
    for persona in MEMBERS_OF_A[1:]:
        table[persona] = dict(member)
    for persona, changes in overrides.items():
        if persona not in CONTROLLERS:
            table[persona] = {**table[persona], **changes}
    for persona in CONTROLLERS:  # like a viewer, unless overridden
        table[persona] = {**table["viewer"], **overrides.get(persona, {})}
    return table


def plan_codes(**overrides) -> dict[str, dict[str, int]]:
    """Every member reads; only the MU writes; the outsider (MU elsewhere) finds nothing."""
    return _codes(
        mu={"list": 200, "detail": 200, "update": 200, "delete": 204, "create": 201},
        member={"list": 200, "detail": 200, "update": 403, "delete": 403, "create": 403},
        # The outsider may write somewhere, so a body naming project A is invalid input (no such project).
        outsider={"list": 200, "detail": 404, "update": 404, "delete": 404, "create": 400},
        overrides=overrides,
    )


def money_codes(**overrides) -> dict[str, dict[str, int]]:
    """Like the plan, but viewers never read it."""
    viewer = {"list": 403, "detail": 403, "update": 403, "delete": 403, "create": 403}
    return plan_codes(**{"viewer": viewer, **overrides})


READ_ONLY = {"update": 405, "delete": 405, "create": 405}


def _member(world, project):
    user = f.make_user()
    return Membership.objects.create(user=user, project=project, role=Role.VIEWER)


def _last_period(world, project):
    return world.period2 if project == world.project else world.other_period


def _next_period(world) -> dict:
    """The period after the last one (the test may have deleted period 2 already)."""
    last = ReportingPeriod.objects.filter(project=world.project).order_by("number").last()
    start = last.end_date + timedelta(days=1)
    end = min(last_of_month(start.replace(month=12)), world.project.end_date)
    return {"project": world.project.pk, "number": last.number + 1, "start_date": start.isoformat(),
            "end_date": end.isoformat(), "report_due_date": end.isoformat()}


def _contract(project):
    from partners.models import Contract

    return Contract.objects.create(partner=project.partners.order_by("number").first(), supplier="Supplier A/S",
                                   subject="Freezer", value=Decimal("11400.00"))


def _free_partner(world, project):
    """A partner nothing refers to, so that it can be deleted."""
    return f.make_partner(project, f.make_organisation(), number=project.partners.count() + 10)


def _wp(world, project):
    return world.wp1 if project == world.project else world.other_wp


def _programme(world, project):
    if project == world.project:
        return project.programme
    # Projects A and B share a programme; the "other" one belongs to a project nobody here is in.
    return f.make_project(f.make_programme()).programme


def _unit_cost(project):
    from partners.models import UnitCost

    return UnitCost.objects.create(project=project, name=f"Workshop day {UnitCost.objects.count()}",
                                   unit="participant-day", price_per_unit=Decimal("96.00"), cost_category="travel")


def _lump_sum(world, project):
    from partners.models import LumpSum, LumpSumShare

    partner = world.partner_a if project == world.project else world.other_partner
    lump_sum = LumpSum.objects.create(project=project, name=f"Preparation {LumpSum.objects.count()}",
                                      amount=Decimal("20000.00"), period=_first_period(world, project))
    LumpSumShare.objects.create(lump_sum=lump_sum, partner=partner, amount=Decimal("20000.00"))
    return lump_sum


def _first_period(world, project):
    return world.period1 if project == world.project else world.other_period


def _organisation(world, project):
    return f.make_partner(project, f.make_organisation(), number=project.partners.count() + 20).organisation


ENDPOINTS: dict[str, Endpoint] = {
    "programmes": Endpoint(
        path="/api/programmes/", make=_programme, create=None, update=None,
        # Projects A and B share their programme, so the outsider reads it too.
        codes=plan_codes(mu=READ_ONLY, **{p: READ_ONLY for p in MEMBERS_OF_A[1:]},
                         outsider={**READ_ONLY, "detail": 200}),
        other_codes=plan_codes(**{p: {**READ_ONLY, "detail": 404} for p in (*MEMBERS_OF_A, "outsider")}),
    ),
    "projects": Endpoint(
        path="/api/projects/", make=lambda world, project: project,
        create=lambda world: {"programme": world.project.programme_id, "acronym": "NEW", "title": "New",
                              "start_date": "2026-01-01", "end_date": "2027-12-31"},
        update={"title": "Renamed"},
        # Only superusers create projects; none are deleted through the API.
        codes=plan_codes(mu={"create": 403, "delete": 405},
                         **{p: {"delete": 405} for p in MEMBERS_OF_A[1:]},
                         outsider={"create": 403, "delete": 405}),
    ),
    "organisations": Endpoint(
        path="/api/organisations/", make=_organisation,
        create=lambda world: {"name": "Region Skåne", "short_name": "RS", "country": "SE", "legal_status": "public"},
        update={"website": "https://example.org/"},
        # Still a partner somewhere: protected (409). Any MU may create an organisation, and reads every one
        # (organisations are shared: it may add any as a partner), but changes only those partnering solely in
        # projects where it is the MU (403).
        codes=plan_codes(mu={"delete": 409},
                         outsider={"create": 201, "detail": 200, "update": 403, "delete": 403}),
        other_codes=plan_codes(mu={"detail": 200, "update": 403, "delete": 403},
                               **{p: {"detail": 404, "update": 404, "delete": 404} for p in MEMBERS_OF_A[1:]},
                               outsider={"detail": 200, "update": 200, "delete": 409}),
    ),
    "partners": Endpoint(
        path="/api/partners/", make=_free_partner,
        create=lambda world: {"project": world.project.pk, "organisation": f.make_organisation().pk, "number": 9,
                              "cofinancing_rate": "60.00", "funding_source": "erdf"},
        update={"funding_source": "none"},
        codes=plan_codes(),
    ),
    "contacts": Endpoint(
        path="/api/contacts/", make=lambda world, project: f.make_contact(project, f.make_organisation()),
        create=lambda world: {"project": world.project.pk, "organisation": world.partner_a.organisation_id,
                              "name": "Anna Berg", "email": "anna@example.org", "kind": "partner_contact"},
        update={"phone": "+45 1234 5678"},
        codes=plan_codes(),
    ),
    "memberships": Endpoint(
        path="/api/memberships/", make=_member, create=None, update={"role": "coordinator"},
        codes=plan_codes(
            mu={"create": 405},
            **{p: {"list": 403, "detail": 403, "create": 405} for p in MEMBERS_OF_A[1:]},
            outsider={"create": 405},
        ),
    ),
    "users": Endpoint(
        path="/api/users/", make=lambda world, project: _member(world, project).user,
        create=lambda world: {"email": "new@example.org", "first_name": "New", "last_name": "Person",
                              "project": world.project.pk, "role": "viewer"},
        update=None,
        codes=plan_codes(
            mu={"update": 405, "delete": 405},
            **{p: {"list": 403, "detail": 403, "update": 405, "delete": 405} for p in MEMBERS_OF_A[1:]},
            outsider={"update": 405, "delete": 405},
        ),
    ),
    "reporting-periods": Endpoint(
        path="/api/reporting-periods/", make=_last_period,
        create=_next_period,
        update={"report_due_date": "2027-04-30"},
        codes=plan_codes(),
    ),
    # Only a draft version's lines change (an approved one's are 409: tests/test_budget_versions.py).
    "budget-lines": Endpoint(
        path="/api/budget-lines/",
        make=lambda world, project: f.make_budget_line(_free_partner(world, project),
                                                       budget_version=f.make_draft_budget_version(project)),
        create=lambda world: {"partner": world.partner_a.pk, "cost_category": "travel", "amount": "5000.00",
                              "budget_version": f.make_draft_budget_version(world.project).pk},
        update={"amount": "6000.00"},
        codes=money_codes(),
    ),
    # Read like budgets, written by the MU; a draft (approve/ and compare/: tests/test_budget_versions.py).
    "budget-versions": Endpoint(
        path="/api/budget-versions/",
        make=lambda world, project: f.make_draft_budget_version(project),
        create=lambda world: {"project": world.project.pk, "reason": "Reallocation", "applies_from": 2},
        update={"reason": "Reallocation between categories"},
        codes=money_codes(),
    ),
    "work-packages": Endpoint(
        path="/api/work-packages/",
        make=lambda world, project: f.make_work_package(project, project.partners.first(), number=7),
        create=lambda world: {"project": world.project.pk, "number": 3, "title": "Dissemination",
                              "lead_partner": world.partner_b.pk, "start_month": 1, "end_month": 36},
        update={"title": "Communication"},
        codes=plan_codes(),
    ),
    "activities": Endpoint(
        path="/api/activities/", make=lambda world, project: f.make_activity(_wp(world, project), number=5),
        create=lambda world: {"work_package": world.wp1.pk, "number": 4, "title": "Kick-off", "start_month": 1,
                              "end_month": 3, "partners": [world.partner_a.pk, world.partner_b.pk]},
        update={"title": "Kick-off meeting"},
        codes=plan_codes(),
    ),
    "deliverables": Endpoint(
        path="/api/deliverables/", make=lambda world, project: f.make_deliverable(_wp(world, project)),
        create=lambda world: {"work_package": world.wp1.pk, "code": "D1.NEW", "title": "Data management plan",
                              "type": "DMP", "lead_partner": world.partner_a.pk,
                              "original_due_date": "2025-06-30", "due_date": "2025-06-30"},
        # A new due date goes with its reason (the rescheduling history); the same rights as any change.
        update={"title": "Renamed", "status": "in_progress", "due_date": "2031-01-31",
                "reschedule_reason": "The pilot site opened later."},
        codes=plan_codes(),
    ),
    "milestones": Endpoint(
        path="/api/milestones/", make=lambda world, project: f.make_milestone(_wp(world, project)),
        create=lambda world: {"work_package": world.wp2.pk, "code": "MS-NEW", "title": "Pilot running",
                              "due_date": "2026-03-31"},
        update={"achieved_date": "2026-03-15", "due_date": "2026-03-31", "reschedule_reason": "Venue moved."},
        codes=plan_codes(),
    ),
    "indicators": Endpoint(
        path="/api/indicators/", make=lambda world, project: f.make_indicator(project),
        create=lambda world: {"project": world.project.pk, "code": "RCO-NEW", "name": "Organisations cooperating",
                              "unit": "organisation", "target": "12"},
        update={"target": "15.00"},
        codes=plan_codes(),
    ),
    "unit-costs": Endpoint(
        path="/api/unit-costs/", make=lambda world, project: _unit_cost(project),
        create=lambda world: {"project": world.project.pk, "name": "Per diem", "unit": "day",
                              "price_per_unit": "84.21", "cost_category": "travel"},
        update={"price_per_unit": "90.00"},
        codes=money_codes(),
    ),
    "lump-sums": Endpoint(
        path="/api/lump-sums/", make=lambda world, project: _lump_sum(world, project),
        create=lambda world: {"project": world.project.pk, "name": "Pilot completed", "amount": "30000.00",
                              "period": world.period2.pk,
                              "shares": [{"partner": world.partner_a.pk, "amount": "18000.00"},
                                         {"partner": world.partner_b.pk, "amount": "12000.00"}]},
        update={"achieved_date": "2025-06-30", "evidence": "Pilot report D2.1"},
        codes=money_codes(),
    ),
    # The procurement registers: money, kept by the MU.
    "contracts": Endpoint(
        path="/api/contracts/", make=lambda world, project: _contract(project),
        create=lambda world: {"partner": world.partner_a.pk, "supplier": "Registry Systems ApS",
                              "subject": "Registry platform", "value": "48000.00"},
        update={"procedure": "open"},
        codes=money_codes(),
    ),
    "effort": Endpoint(
        path="/api/effort/",
        make=lambda world, project: f.make_effort(project.partners.first(), _wp(world, project), Decimal("3")),
        create=lambda world: {"partner": world.partner_b.pk, "work_package": world.wp1.pk, "person_months": "4.50"},
        update={"person_months": "5.00"},
        codes=plan_codes(),
    ),
    "risks": Endpoint(
        path="/api/risks/",
        make=lambda world, project: Risk.objects.create(project=project, title="Recruitment lags",
                                                        owner=project.partners.first()),
        create=lambda world: {"project": world.project.pk, "title": "Ethics approval is late", "likelihood": 2,
                              "impact": 3, "owner": world.partner_b.pk, "review_date": "2026-03-31"},
        update={"status": "monitoring"},
        codes=plan_codes(),
    ),
}

# Keys that are budget figures wherever they appear: a viewer's response never contains one.
MONEY_KEYS = frozenset({
    "cofinancing_rate", "office_option", "office_flat_rate", "travel_option", "travel_flat_rate", "staff_option",
    "staff_flat_rate", "uses_other_costs_flat_rate", "other_costs_flat_rate", "default_cofinancing_rate",
    "default_office_flat_rate", "max_office_on_staff", "max_office_on_direct", "max_travel_on_staff",
    "max_staff_on_direct", "max_other_costs_on_staff", "amount", "amount_eur", "budget", "hourly_rate",
    "exchange_rate", "price_per_unit", "annual_gross_cost", "monthly_gross_cost", "invoice_total", "vat_amount",
    "reporting_currency", "budget_approved_month",
})


# --- Reporting (progress reports, expenditures; exchange rates are not project data: tests/reporting) ---

def _report(world, project):
    """A draft report of the project's first partner (partner A in project A) for its first period."""
    from reporting.models import ProgressReport

    partner = world.partner_a if project == world.project else world.other_partner
    period = world.period1 if project == world.project else world.other_period
    return ProgressReport.objects.get_or_create(partner=partner, period=period)[0]


def _expenditure(world, project):
    from reporting.models import Expenditure

    return Expenditure.objects.create(report=_report(world, project), cost_category="travel", description="Taxi",
                                      amount=Decimal("12.50"), currency="EUR")


NO_DELETE = {"delete": 405}
# Reports: the MU and the partner's own reporter write; a reporter of another partner finds nothing
# (404); a viewer reads no reports (403); nobody deletes one.
# A controller reads its partners' reports and finds no other partner's; it never writes a partner's content.
REPORT_CODES = money_codes(
    mu=NO_DELETE, coordinator=NO_DELETE, reporter_a={"update": 200, "create": 201, "delete": 405},
    reporter_b={"detail": 404, "update": 404, "delete": 405},
    viewer={"list": 403, "detail": 403, "update": 403, "delete": 405, "create": 403}, outsider=NO_DELETE,
    controller_a={"list": 200, "detail": 200, "update": 403, "delete": 405, "create": 403},
    controller_b={"list": 200, "detail": 404, "update": 404, "delete": 405, "create": 403},
)
ENDPOINTS["progress-reports"] = Endpoint(
    path="/api/progress-reports/", make=_report,
    create=lambda world: {"partner": world.partner_a.pk, "period": world.period2.pk},
    update={"summary": "Pilot started."},
    codes=REPORT_CODES,
)
ENDPOINTS["expenditures"] = Endpoint(
    path="/api/expenditures/", make=_expenditure,
    create=lambda world: {"report": _report(world, world.project).pk, "cost_category": "travel",
                          "description": "Train", "amount": "45.00", "currency": "EUR"},
    update={"amount": "50.00"},
    # A reporter of another partner cannot name partner A's report in a body: invalid input (400).
    codes=money_codes(reporter_a={"update": 200, "create": 201, "delete": 204},
                      reporter_b={"detail": 404, "update": 404, "delete": 404, "create": 400},
                      controller_a={"list": 200, "detail": 200, "update": 403, "delete": 403, "create": 403},
                      controller_b={"list": 200, "detail": 404, "update": 404, "delete": 404, "create": 400}),
)


def _line_control(world, project):
    """The control of a line of a draft report (as if control had started once and the report came back)."""
    from reporting.models import LineControl

    return LineControl.objects.create(expenditure=_expenditure(world, project))


# Line controls: read by who reads the report; written by the partner's controller only, and only while a report
# holding the line is in control (here a draft: 409). Created when control starts; never deleted.
CONTROL_READ = {"list": 200, "detail": 200, "update": 403, "delete": 405, "create": 405}
ENDPOINTS["line-controls"] = Endpoint(
    path="/api/line-controls/", make=_line_control, create=None, update={"verified_amount": "12.50"},
    codes=money_codes(
        mu=CONTROL_READ, coordinator=CONTROL_READ, reporter_a=CONTROL_READ,
        reporter_b={**CONTROL_READ, "detail": 404, "update": 404},
        viewer={"list": 403, "detail": 403, "update": 403, "delete": 405, "create": 405},
        controller_a={**CONTROL_READ, "update": 409},
        controller_b={**CONTROL_READ, "detail": 404, "update": 404},
        outsider={**CONTROL_READ, "detail": 404, "update": 404},
    ),
)


# --- Project-scoped reads that are not a resource (GET only) ---------------------------------------------

@dataclass(frozen=True)
class ProjectRead:
    path: Callable  # project -> path
    codes: dict[str, int]  # persona -> status for the personas' own project (project A)
    rows: Callable = staticmethod(lambda body: body)  # the response's per-partner rows (a reporter's: its own)
    content_type: str = "application/json"  # of a 200; refusals are always the JSON error shape
    rows_by_partner: bool = True  # a reporter's 200 lists rows of their own partner only


# A project's other side: its members get 404, the outsider (B's MU) the MU's code, anonymous 401.
PROJECT_READS: dict[str, ProjectRead] = {
    # Report status: every partner for the MU and coordinators, the own partner's rows for a reporter; viewers 403.
    "report-status": ProjectRead(
        path=lambda project: f"/api/projects/{project.pk}/report-status/",
        codes={"mu": 200, "coordinator": 200, "reporter_a": 200, "reporter_b": 200, "viewer": 403,
               "controller_a": 200, "controller_b": 200, "outsider": 404, "anonymous": 401}),
    # The plan workbook (docs/PLAN_IMPORT.md): whoever reads the plan's money. Its import is not a read of one
    # project; its table is in tests/plan/test_plan_permissions.py.
    "plan.xlsx": ProjectRead(
        path=lambda project: f"/api/projects/{project.pk}/plan.xlsx",
        codes={"mu": 200, "coordinator": 200, "reporter_a": 200, "reporter_b": 200, "viewer": 403,
               "controller_a": 403, "controller_b": 403, "outsider": 404, "anonymous": 401},
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", rows_by_partner=False),
}


# --- First-level control of a report in control (partner A's `in_control` report and its `expense` line) --------

@dataclass(frozen=True)
class ReportAction:
    method: str
    path: str  # formatted with report= and line= (the line's id) and control= (its control's id)
    codes: dict[str, int]  # persona -> status
    body: dict | None = None


def _report_codes(**overrides) -> dict[str, int]:
    """Who may do it: the partner's controller (its code given), and who only finds the report."""
    return {"mu": 403, "coordinator": 403, "reporter_a": 403, "reporter_b": 404, "viewer": 403,
            "controller_a": 200, "controller_b": 404, "outsider": 404, "anonymous": 401, **overrides}


READ_REPORT = _report_codes(mu=200, coordinator=200, reporter_a=200)
REPORT_ACTIONS: dict[str, ReportAction] = {
    "summary": ReportAction("get", "/api/progress-reports/{report}/summary/", READ_REPORT),
    "certificate.pdf": ReportAction("get", "/api/progress-reports/{report}/certificate.pdf", READ_REPORT),
    "certificate.xlsx": ReportAction("get", "/api/progress-reports/{report}/certificate.xlsx", READ_REPORT),
    "line control (read)": ReportAction("get", "/api/expenditures/{line}/control/", READ_REPORT),
    "line control (write)": ReportAction("patch", "/api/expenditures/{line}/control/", _report_codes(),
                                         {"verified_amount": "745.00"}),
    "control/start": ReportAction("post", "/api/progress-reports/{report}/control/start/",
                                  _report_codes(controller_a=409)),  # started already
    "control/verify": ReportAction("post", "/api/progress-reports/{report}/control/verify/", _report_codes(),
                                   {"ids": ["{control}"]}),
    "certify": ReportAction("post", "/api/progress-reports/{report}/certify/",
                            _report_codes(controller_a=409)),  # a line is neither verified nor parked
    "control-return": ReportAction("post", "/api/progress-reports/{report}/control-return/", _report_codes(),
                                   {"comment": "Add the boarding pass."}),
}


# --- Claims and payments (claims/): money, written by the MU through claims.services ---------------------------

def _certified(world, project, partner=None):
    """A certified report for the project's first period with one 100.00 EUR line: of partner B (project A; the
    progress-report rows use partner A's) or `partner`, or of project B's partner. Made by users of no role: the
    services leave permissions to their callers."""
    from reporting.models import ProgressReport

    partner = partner or (world.partner_b if project == world.project else world.other_partner)
    period = _first_period(world, project)
    report = ProgressReport.objects.filter(partner=partner, period=period).first()
    if report is not None:
        return report
    wp = {world.partner_a: world.wp1, world.partner_b: world.wp2}.get(partner, world.other_wp)
    user = f.make_user()
    return f.make_certified_report(partner, period, user, user, user, Decimal("100.00"), "EUR", wp)


def _claim(world, project):
    """A draft claim of the project's first period holding `_certified`'s report."""
    from claims import services
    from claims.models import Claim

    _certified(world, project)
    claim = Claim.objects.filter(project=project).first()
    return claim or services.claim_create(project=project, period=_first_period(world, project), user=None)


def _finalised_claim(world, project):
    from claims import services

    claim = _claim(world, project)
    if claim.status == claim.Status.DRAFT:
        services.claim_submit(claim=claim, user=None, notify=False)
        services.claim_finalise(claim=claim, user=None, accepted=[], notify=False)
    return claim


def _programme_payment(world, project):
    from claims import services

    return services.payment_record(claim=_finalised_claim(world, project), user=None, fund="erdf",
                                   date=_first_period(world, project).end_date, amount=Decimal("60.00"))


def _transfer(world, project):
    from claims import services

    claim = _finalised_claim(world, project)
    return services.transfer_record(claim=claim, user=None, partner=claim.entries.get().report.partner,
                                    date=_first_period(world, project).end_date, amount=Decimal("60.00"),
                                    notify=False)


def _next_claim(world) -> dict:
    """A claim of period 2, gathering partner A's report certified after `_claim` (of period 1)."""
    _certified(world, world.project, partner=world.partner_a)
    return {"project": world.project.pk, "period": world.period2.pk}


NO_WRITES = {"update": 405, "delete": 403, "create": 403}
NO_MONEY = {"list": 403, "detail": 403, **NO_WRITES}
# Claims: the MU writes (no PATCH: a claim changes through its actions); coordinators read; a reporter reads the
# claims holding its partner's reports (this one holds partner B's: reporter A is a member without access to it,
# 403); viewers nothing.
ENDPOINTS["claims"] = Endpoint(
    path="/api/claims/", make=_claim, create=_next_claim, update=None,
    codes=money_codes(mu={"update": 405}, coordinator=NO_WRITES, reporter_a={**NO_WRITES, "detail": 403},
                      reporter_b=NO_WRITES, viewer=NO_MONEY,
                      # A controller lists the claims holding reports it certified (none here: 403 on this one).
                      controller_a={"list": 200, "detail": 403, **NO_WRITES},
                      controller_b={"list": 200, "detail": 403, **NO_WRITES},
                      outsider={"update": 405}),
)
# Payments and transfers: the MU records and deletes; coordinators read; a reporter reads those paid to its
# partner (the ERDF payment goes to the lead partner: 404 to every reporter, as another partner's report is).
ENDPOINTS["programme-payments"] = Endpoint(
    path="/api/programme-payments/", make=_programme_payment,
    create=lambda world: {"claim": _finalised_claim(world, world.project).pk, "fund": "erdf",
                          "date": "2026-02-01", "amount": "10.00", "currency": "EUR"},
    update=None,
    codes=money_codes(mu={"update": 405}, coordinator=NO_WRITES,
                      reporter_a={**NO_WRITES, "detail": 404, "delete": 404},
                      reporter_b={**NO_WRITES, "detail": 404, "delete": 404}, viewer=NO_MONEY,
                      outsider={"update": 405}),
)
ENDPOINTS["partner-transfers"] = Endpoint(
    path="/api/partner-transfers/", make=_transfer,
    create=lambda world: {"claim": _finalised_claim(world, world.project).pk, "partner": world.partner_b.pk,
                          "date": "2026-02-01", "amount": "10.00"},
    update=None,
    codes=money_codes(mu={"update": 405}, coordinator=NO_WRITES, reporter_b=NO_WRITES,
                      reporter_a={**NO_WRITES, "detail": 404, "delete": 404}, viewer=NO_MONEY,
                      outsider={"update": 405}),
)
# The payments overview: the MU and coordinators read every partner's row, a reporter its own; viewers 403.
PROJECT_READS["payments"] = ProjectRead(
    path=lambda project: f"/api/projects/{project.pk}/payments/",
    codes={"mu": 200, "coordinator": 200, "reporter_a": 200, "reporter_b": 200, "viewer": 403, "controller_a": 403,
           "controller_b": 403, "outsider": 404, "anonymous": 401},
    rows=lambda body: body["partners"])
