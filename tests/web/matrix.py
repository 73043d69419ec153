"""The web's permission table: every web URL as an act, and the API act that does the same.

Each `WebAct` names a page or a button (method, URL, form data) and `api`, the API requests that do the
same thing for the same person; test_permission_matrix.py runs both for every persona on an object of
the persona's own project and of another one, and requires the same outcome: both succeed, both say
"sign in", both 403, both 404, both 409… The API's own table (tests/api/matrix.py) pins the codes;
this one pins that the web gives the same answers, so the two can never drift apart again.

An object named in an API body that the user may not know of is a 400 "does not exist" naming the
field, where a URL naming it is a 404: both count as "not found". A web page with no API twin (the
dashboard, the review queue, the shortcut to one's own report) has its outcomes written out in
`expected` instead.

To add a page: give it a `make` (what must exist in the given project for the act — a draft, a
submitted report…), its `url` and form `data`, and the API act(s) it corresponds to.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reporting import services
from reporting.models import LineControl, ProjectReport
from tests import factories as f

PERSONAS = ("mu", "coordinator", "reporter_a", "reporter_b", "viewer", "outsider", "controller_a", "controller_b",
            "anonymous")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CSV = b"cost_category,work_package,description,supplier,invoice_number,invoice_date,payment_date,amount,currency," \
      b"employee,annual_gross_cost,hours,hourly_rate\ntravel,,Bus,,,,,12.50,EUR,,,,\n"


@dataclass(frozen=True)
class ApiAct:
    method: str
    path: Callable[[dict], str]
    body: Callable[[dict], dict] | None = None
    multipart: bool = False
    if_match: str = ""  # the object of `make` whose version goes in If-Match (the API needs it to change one)


# How an object made for an act appears in a web URL: (URL keyword, attribute).
URL_KEYS = {"project": ("project_id", "pk"), "report": ("report_id", "pk"), "line": ("line_id", "pk"),
            "membership": ("membership_id", "pk"), "risk": ("risk_id", "pk"),
            "partner": ("partner_id", "pk"), "deliverable": ("deliverable_id", "pk"),
            "period": ("period_number", "number"), "lump_sum": ("lump_sum_id", "pk"),
            "file": ("file_id", "pk"), "control": ("control_id", "pk"), "claim": ("claim_id", "pk"),
            "payment": ("payment_id", "pk"), "transfer": ("transfer_id", "pk"),
            "kind": ("kind", "slug"), "object": ("object_id", "pk"),
            "budget_version": ("version_id", "pk")}


@dataclass(frozen=True)
class WebAct:
    method: str
    url_name: str  # a name in web/urls.py
    keys: tuple[str, ...]  # the objects of `make` that the URL names (URL_KEYS)
    make: Callable[[object, object], dict]
    data: Callable[[dict], dict] | None = None
    # The API requests that do the same; the first that does not succeed is the API's answer.
    api: tuple[ApiAct, ...] = ()
    # persona -> outcome, for a page with no API twin (object of the persona's own project).
    expected: dict[str, str] = field(default_factory=dict)
    # False for a page of no one project (the dashboard): the other project's objects change nothing.
    project_scoped: bool = True

    def url(self, made: dict) -> str:
        return reverse(f"web:{self.url_name}", kwargs={
            URL_KEYS[key][0]: getattr(made[key], URL_KEYS[key][1]) for key in self.keys})


# --- what the acts need in a project -------------------------------------------------------------

def _firsts(world, project) -> tuple:
    """The project's first partner, period and WP (partner A, period 1, WP1 in the personas' project)."""
    if project == world.project:
        return world.partner_a, world.period1, world.wp1
    return world.other_partner, world.other_period, world.other_wp


def _user(world, project):
    """Someone who wrote the project's reports: the services record who acted."""
    return get_user_model().objects.get_or_create(username=f"writer-{project.acronym.lower()}")[0]


def plan(world, project) -> dict:
    partner, _period, wp = _firsts(world, project)
    deliverable = f.make_deliverable(wp)
    return {"project": project, "deliverable": deliverable, "milestone": f.make_milestone(wp)}


def plan_workbook_of(world, project) -> dict:
    """The project's plan workbook, as its MU would download it to change and upload it again."""
    from workpackages.plan_workbook import export_xlsx

    return {"project": project, "workbook": export_xlsx(project)}


def draft(world, project) -> dict:
    """The first partner's draft for the first period, with a line that has an invoice attached."""
    partner, period, wp = _firsts(world, project)
    user = _user(world, project)
    report = services.report_create(partner=partner, period=period, user=user)
    report = services.report_update(report=report, expected_version=report.version, user=user, data={
        "work_package_progress": [{"work_package": wp, "narrative": "Kick-off.", "objective_status": "partly"}]})
    line = services.expenditure_add(report=report, user=user, data={
        "cost_category": "travel", "description": "Train", "amount": Decimal("45.00"), "currency": "EUR"})
    services.expenditure_attach_invoice(expenditure=line, uploaded=SimpleUploadedFile("invoice.pdf", PDF), user=user)
    line.refresh_from_db()
    return {"project": project, "partner": partner, "period": period, "report": report, "line": line}


def evidence(world, project) -> dict:
    """The draft with a report-level time sheet."""
    made = draft(world, project)
    made["file"] = services.attachment_add(report=made["report"], uploaded=SimpleUploadedFile("hours.pdf", PDF),
                                           user=_user(world, project), kind="time_sheet")
    return made


def submitted(world, project) -> dict:
    made = draft(world, project)
    services.report_submit(report=made["report"], user=_user(world, project), notify=False)
    made["report"].refresh_from_db()
    return made


def approved(world, project) -> dict:
    """The submitted draft, approved by the MU: it waits for first-level control."""
    made = submitted(world, project)
    services.report_approve(report=made["report"], user=_user(world, project), notify=False)
    return made


def in_control(world, project) -> dict:
    """The approved report taken into control (the first partner's controller, in the personas' project)."""
    made = approved(world, project)
    services.control_start(report=made["report"], user=_user(world, project), notify=False)
    made["report"].refresh_from_db()
    made["control"] = LineControl.objects.get(expenditure=made["line"])
    return made


def verified(world, project) -> dict:
    """In control with every line verified as declared: ready to certify."""
    made = in_control(world, project)
    services.lines_verify_as_declared(report=made["report"], control_ids=[made["control"].pk],
                                      user=_user(world, project))
    made["control"].refresh_from_db()
    return made


def no_report(world, project) -> dict:
    partner, period, _wp = _firsts(world, project)
    return {"project": project, "partner": partner, "period": period}


def lump_sum(world, project) -> dict:
    """A lump sum of the project, not achieved yet, wholly the first partner's."""
    from partners.models import LumpSum, LumpSumShare

    partner, period, _wp = _firsts(world, project)
    made = LumpSum.objects.create(project=project, name="Preparation", amount=Decimal("20000.00"), period=period)
    LumpSumShare.objects.create(lump_sum=made, partner=partner, amount=Decimal("20000.00"))
    return {"project": project, "lump_sum": made}


def _achieved(made: dict) -> dict:
    prefix = f"lump-sum-{made['lump_sum'].pk}"
    return {f"{prefix}-achieved_date": "2025-06-30", f"{prefix}-evidence": "Signed application",
            f"{prefix}-version": made["lump_sum"].version}


def budget_draft(world, project) -> dict:
    """A draft budget version of the project (version 2: version 1 holds the first partner's staff budget)."""
    partner, _period, _wp = _firsts(world, project)
    f.make_budget_line(partner, "staff", Decimal("100000.00"))
    return {"project": project, "partner": partner, "budget_version": f.make_draft_budget_version(project)}


def budget_approved(world, project) -> dict:
    """Version 1 only (approved), so that a draft can be started."""
    partner, _period, _wp = _firsts(world, project)
    return {"project": project, "line": f.make_budget_line(partner, "staff", Decimal("100000.00"))}


def _version_fields(made: dict) -> dict:
    return {"reason": "Reallocation", "decision_date": "2025-06-30", "applies_from": 1,
            "version": made["budget_version"].version}


def _version_api(method: str, tail: str = "", body=None, if_match: str = "") -> ApiAct:
    return ApiAct(method, lambda m: f"/api/budget-versions/{m['budget_version'].pk}/{tail}", body, if_match=if_match)


def narrative(world, project) -> dict:
    _partner, period, _wp = _firsts(world, project)
    return {"project": project, "period": period,
            "narrative": ProjectReport.objects.create(project=project, period=period, highlights="Kick-off.")}


def certified(world, project) -> dict:
    """The first partner's report of the first period with one line of 100.00 EUR, certified as declared, in no
    claim yet. Partner A's report is certified by controller_a (a persona of every test), so that it reads
    the claim holding it and controller_b does not."""
    from partners.models import Partner
    from tests.factories import make_certified_report as certified_report

    partner, period, wp = _firsts(world, project)
    users = get_user_model().objects
    controller = users.filter(username="controller-a").first() if project == world.project else None
    if controller is None:
        controller = users.get_or_create(username=f"flc-{project.acronym.lower()}")[0]
        f.add_member(controller, project, "controller", controlled_partners=[partner])
    reporter = users.get_or_create(username=f"reporter-{project.acronym.lower()}")[0]
    if not reporter.memberships.filter(project=project).exists():
        f.add_member(reporter, project, "reporter", partner=partner)
    report = certified_report(partner, period, reporter, _user(world, project), controller, Decimal("100.00"), "EUR",
                              wp)
    return {"project": project, "partner": Partner.objects.get(pk=partner.pk), "period": period, "report": report}


def claimed(world, project) -> dict:
    """The certified report in a draft claim."""
    from claims import services as claims

    made = certified(world, project)
    made["claim"] = claims.claim_create(project=project, period=made["period"], user=_user(world, project))
    return made


def claim_submitted(world, project) -> dict:
    from claims import services as claims

    made = claimed(world, project)
    claims.claim_submit(claim=made["claim"], user=_user(world, project), notify=False)
    return made


def claim_finalised(world, project) -> dict:
    """The claim finalised as claimed (60.00 of ERDF due), with part of it paid by the programme and passed on to
    the partner (50.00 each), so that one more euro of either may still be recorded."""
    from claims import services as claims

    made = claim_submitted(world, project)
    user = _user(world, project)
    claims.claim_finalise(claim=made["claim"], user=user, accepted=[], notify=False)
    made["payment"] = claims.payment_record(claim=made["claim"], user=user, fund="erdf", date=date(2026, 6, 1),
                                            amount=Decimal("50.00"))
    made["transfer"] = claims.transfer_record(claim=made["claim"], user=user, partner=made["partner"],
                                              date=date(2026, 6, 10), amount=Decimal("50.00"), notify=False)
    return made


def _version(made: dict) -> dict:
    return {"version": made["claim"].version}


def _finalise(made: dict) -> dict:
    pk = made["partner"].pk
    return {**_version(made), f"eligible_{pk}": "90.00", f"reason_{pk}": "An invoice was not accepted."}


# Claims and payments (no API twin on this branch: the outcomes are written out). The MU writes; coordinators
# read; a reporter reads the claims holding its partner's reports and its own partner's payments; a controller
# reads the claims holding reports it certified, nothing of payments; viewers nothing of money.
CLAIM_READERS = {"mu": "ok", "coordinator": "ok", "reporter_a": "ok", "reporter_b": "forbidden",
                 "viewer": "forbidden", "outsider": "not_found", "anonymous": "login", "controller_a": "ok",
                 "controller_b": "forbidden"}
LIST_READERS = {**CLAIM_READERS, "reporter_b": "ok", "controller_b": "ok"}
PAYMENT_READERS = {**LIST_READERS, "controller_a": "forbidden", "controller_b": "forbidden"}
MU_ONLY = {"mu": "ok", "coordinator": "forbidden", "reporter_a": "forbidden", "reporter_b": "forbidden",
           "viewer": "forbidden", "outsider": "not_found", "anonymous": "login", "controller_a": "forbidden",
           "controller_b": "forbidden"}


def _claim_act(method: str, name: str, make, data=None, expected=MU_ONLY, keys=("project", "claim")) -> WebAct:
    return WebAct(method, name, keys, make, data=data, expected=expected)


CLAIM_ACTS: dict[str, WebAct] = {
    "claims": _claim_act("get", "claims", claimed, expected=LIST_READERS, keys=("project",)),
    "new claim": _claim_act("post", "claims", certified, data=lambda m: {"period": m["period"].pk},
                            keys=("project",)),
    "claim": _claim_act("get", "claim", claimed, expected=CLAIM_READERS),
    "gather into a claim": _claim_act("post", "claim-gather", claimed, data=_version),
    "submit a claim": _claim_act("post", "claim-submit", claimed, data=_version),
    "programme verifies a claim": _claim_act("post", "claim-verify", claim_submitted, data=_version),
    "finalise a claim": _claim_act("post", "claim-finalise", claim_submitted, data=_finalise),
    "return a claim": _claim_act("post", "claim-return", claim_submitted,
                                 data=lambda m: {**_version(m), "comment": "Sign the cover."}),
    "delete a draft claim": _claim_act("post", "claim-delete", claimed, data=_version),
    "payments": _claim_act("get", "payments", claim_finalised, expected=PAYMENT_READERS, keys=("project",)),
    "record a payment": _claim_act(
        "post", "payment-add", claim_finalised, keys=("project",), data=lambda m: {
            "payment-claim": m["claim"].pk, "payment-fund": "erdf", "payment-date": "2026-07-01",
            "payment-amount": "1.00", "payment-currency": "EUR"}),
    "record a transfer": _claim_act(
        "post", "transfer-add", claim_finalised, keys=("project",), data=lambda m: {
            "transfer-claim": m["claim"].pk, "transfer-partner": m["partner"].pk, "transfer-date": "2026-07-01",
            "transfer-amount": "1.00"}),
    "delete a payment": _claim_act("post", "payment-delete", claim_finalised, data=lambda m: {},
                                   keys=("project", "payment")),
    "delete a transfer": _claim_act("post", "transfer-delete", claim_finalised, data=lambda m: {},
                                    keys=("project", "transfer")),
}
def member(world, project) -> dict:
    """A viewer of the project, invited and not yet signed in."""
    from consortium.models import Membership, Role

    user = get_user_model().objects.create_user(f"guest-{project.acronym.lower()}",
                                                f"guest-{project.acronym.lower()}@example.org")
    return {"project": project, "membership": Membership.objects.create(user=user, project=project, role=Role.VIEWER)}


def risk(world, project) -> dict:
    from workpackages.models import Risk

    return {"project": project, "risk": Risk.objects.create(project=project, title="Recruitment lags")}


RISK_FORM = {"title": "Ethics approval is late", "likelihood": "2", "impact": "3", "status": "open"}


@dataclass(frozen=True)
class Kind:
    """A part of the plan as the plan pages' URLs name it (web/plan_forms.py KINDS)."""

    slug: str


def _plan_object(slug: str, pick: Callable[[object, object, dict], object]):
    """`plan` plus the plan page's part (`kind`) and one of its rows (`object`) chosen by `pick`."""
    def make(world, project) -> dict:
        made = plan(world, project)
        return {**made, "kind": Kind(slug), "object": pick(world, project, made)}
    return make


def _budget_draft(world, project, made):
    """A draft budget version to add lines to (where the project has approved ones; else the first line starts
    version 1 as a draft): no row is picked."""
    from partners import budget_versions
    from partners.models import BudgetVersion

    versions = BudgetVersion.objects.filter(project=project)
    if versions.exists() and not versions.filter(status=BudgetVersion.Status.DRAFT).exists():
        budget_versions.budget_version_create(project=project, reason="Reallocation")


def _budget_line(world, project, made):
    from partners.models import BudgetLine

    partner, period, _wp = _firsts(world, project)
    return BudgetLine.objects.create(partner=partner, cost_category="travel", period=period, amount=Decimal("100"))


def _plan_form(made: dict, **changes) -> dict:
    """The plan page's form of `made["object"]` as it shows it, with `changes`."""
    from web.plan_forms import KINDS, stored_value

    kind, obj = KINDS[made["kind"].slug], made["object"]
    data = {}
    for name in kind.fields:
        if name in kind.create_only:
            continue
        value = stored_value(obj, name)
        if isinstance(value, list):
            value = [item.pk for item in value]
        elif hasattr(value, "pk"):
            value = value.pk
        data[name] = "" if value is None else value
    return {**data, "version": obj.version, **changes}


def _first_period(world, project, made):
    return _firsts(world, project)[1]


EDIT_ONLY_MU = {"mu": "ok", "coordinator": "forbidden", "reporter_a": "forbidden", "reporter_b": "forbidden",
                "viewer": "forbidden", "outsider": "not_found", "anonymous": "login", "controller_a": "forbidden",
                "controller_b": "forbidden"}


# --- the acts -------------------------------------------------------------------------------------

PROJECT_DETAIL = ApiAct("get", lambda m: f"/api/projects/{m['project'].pk}/")
REPORT_DETAIL = ApiAct("get", lambda m: f"/api/progress-reports/{m['report'].pk}/")
LINE_DETAIL = ApiAct("get", lambda m: f"/api/expenditures/{m['line'].pk}/")
LINE_FORM = {"cost_category": "travel", "description": "Taxi", "amount": "12.50", "currency": "EUR"}


def _plan_page(name: str) -> WebAct:
    return WebAct("get", name, ("project",), plan, api=(PROJECT_DETAIL,))


# A control act on the first partner's report, for each persona (its API twins are h17a's endpoints).
CONTROL_ACT = {"mu": "forbidden", "coordinator": "forbidden", "reporter_a": "forbidden", "reporter_b": "not_found",
               "viewer": "forbidden", "outsider": "not_found", "controller_a": "ok", "controller_b": "not_found",
               "anonymous": "login"}

WEB_ACTS: dict[str, WebAct] = {
    # Plan editing: the pages are the MU's; each save is the API's write of the same object.
    "plan": WebAct("get", "plan", ("project",), plan, expected=EDIT_ONLY_MU),
    "save project details": WebAct(
        "post", "plan", ("project",), _plan_object("project", lambda w, p, m: p),
        data=lambda m: {"acronym": m["project"].acronym, "title": "Renamed", "funder_reference": "",
                        "description": "", "start_date": m["project"].start_date.isoformat(),
                        "end_date": m["project"].end_date.isoformat(), "status": m["project"].status,
                        "version": m["project"].version},
        api=(ApiAct("patch", lambda m: f"/api/projects/{m['project'].pk}/", lambda m: {"title": "Renamed"},
                    if_match="project"),)),
    "plan list": WebAct("get", "plan-list", ("project", "kind"), _plan_object("deliverables", lambda w, p, m: None),
                        expected=EDIT_ONLY_MU),
    # Adding: the API's POST refuses a role that may create nowhere before it reads the project (403), where
    # the web's URL names the project (404 for a stranger); its own project's answers are the API's.
    "add work package": WebAct(
        "post", "plan-list", ("project", "kind"), _plan_object("work-packages", lambda w, p, m: None),
        data=lambda m: {"number": 7, "title": "Pilots", "lead_partner": m["project"].partners.first().pk,
                        "start_month": 1, "end_month": 6},
        expected=EDIT_ONLY_MU),
    "add budget line": WebAct(
        "post", "plan-list", ("project", "kind"), _plan_object("budget-lines", _budget_draft),
        data=lambda m: {"partner": m["project"].partners.first().pk, "cost_category": "equipment",
                        "amount": "2500.00"},
        expected=EDIT_ONLY_MU),
    "plan edit page": WebAct("get", "plan-edit", ("project", "kind", "object"),
                             _plan_object("deliverables", lambda w, p, m: m["deliverable"]), expected=EDIT_ONLY_MU),
    "edit deliverable": WebAct(
        "post", "plan-edit", ("project", "kind", "object"),
        _plan_object("deliverables", lambda w, p, m: m["deliverable"]),
        data=lambda m: _plan_form(m, title="Renamed"),
        api=(ApiAct("patch", lambda m: f"/api/deliverables/{m['deliverable'].pk}/", lambda m: {"title": "Renamed"},
                    if_match="deliverable"),)),
    "reschedule deliverable without a reason": WebAct(
        "post", "plan-edit", ("project", "kind", "object"),
        _plan_object("deliverables", lambda w, p, m: m["deliverable"]),
        data=lambda m: _plan_form(m, due_date="2026-11-30"),
        api=(ApiAct("patch", lambda m: f"/api/deliverables/{m['deliverable'].pk}/",
                    lambda m: {"due_date": "2026-11-30"}, if_match="deliverable"),)),
    "reschedule milestone with its reason": WebAct(
        "post", "plan-edit", ("project", "kind", "object"),
        _plan_object("milestones", lambda w, p, m: m["milestone"]),
        data=lambda m: _plan_form(m, due_date="2026-11-30", reschedule_reason="Venue"),
        api=(ApiAct("patch", lambda m: f"/api/milestones/{m['milestone'].pk}/",
                    lambda m: {"due_date": "2026-11-30", "reschedule_reason": "Venue"}, if_match="milestone"),)),
    "edit partner": WebAct(
        "post", "plan-edit", ("project", "kind", "object"),
        _plan_object("partners", lambda w, p, m: _firsts(w, p)[0]),
        data=lambda m: _plan_form(m, cofinancing_rate="55.00"),
        api=(ApiAct("patch", lambda m: f"/api/partners/{m['object'].pk}/", lambda m: {"cofinancing_rate": "55.00"},
                    if_match="object"),)),
    # An organisation is shared: the API finds it for any MU and then refuses (403); the web page is a
    # project's page, so a stranger to the project gets its 404.
    "edit organisation": WebAct(
        "post", "plan-edit", ("project", "kind", "object"),
        _plan_object("organisations", lambda w, p, m: _firsts(w, p)[0].organisation),
        data=lambda m: _plan_form(m, website="https://example.org"), expected=EDIT_ONLY_MU),
    "ask before deleting a plan row": WebAct(
        "get", "plan-delete", ("project", "kind", "object"), _plan_object("budget-lines", _budget_line),
        expected=EDIT_ONLY_MU),
    "delete budget line": WebAct(
        "post", "plan-delete", ("project", "kind", "object"), _plan_object("budget-lines", _budget_line),
        api=(ApiAct("delete", lambda m: f"/api/budget-lines/{m['object'].pk}/"),)),
    "delete a period": WebAct(
        "post", "plan-delete", ("project", "kind", "object"), _plan_object("periods", _first_period),
        api=(ApiAct("delete", lambda m: f"/api/reporting-periods/{m['object'].pk}/"),)),
    "dashboard": WebAct("get", "dashboard", (), plan, expected={
        "mu": "ok", "coordinator": "ok", "reporter_a": "ok", "reporter_b": "ok", "viewer": "ok", "outsider": "ok",
        "controller_a": "ok", "controller_b": "ok", "anonymous": "login"}, project_scoped=False),
    "review queue": WebAct("get", "review-queue", (), plan, expected={
        "mu": "ok", "coordinator": "forbidden", "reporter_a": "forbidden", "reporter_b": "forbidden",
        "viewer": "forbidden", "outsider": "ok", "controller_a": "forbidden", "controller_b": "forbidden",
        "anonymous": "login"}, project_scoped=False),
    # The controller's desk: for controllers only (the MU checks content, never verifies expenditure).
    "control queue": WebAct("get", "control-queue", (), plan, expected={
        "mu": "forbidden", "coordinator": "forbidden", "reporter_a": "forbidden", "reporter_b": "forbidden",
        "viewer": "forbidden", "outsider": "forbidden", "controller_a": "ok", "controller_b": "ok",
        "anonymous": "login"}, project_scoped=False),
    # One's own settings: anyone signed in; the language switch works signed out too (the login page has it).
    "settings": WebAct("get", "account", (), plan, expected={
        "mu": "ok", "coordinator": "ok", "reporter_a": "ok", "reporter_b": "ok", "viewer": "ok", "outsider": "ok",
        "controller_a": "ok", "controller_b": "ok", "anonymous": "login"}, project_scoped=False),
    "switch language": WebAct("post", "set-language", (), plan, data=lambda m: {"language": "sv", "next": "/"},
                              expected={persona: "ok" for persona in PERSONAS}, project_scoped=False),
    # The Commission's rates, shared by every project: a site administrator's page (none of these personas).
    "exchange rates": WebAct("get", "exchange-rates", (), plan, expected={
        "mu": "forbidden", "coordinator": "forbidden", "reporter_a": "forbidden", "reporter_b": "forbidden",
        "viewer": "forbidden", "outsider": "forbidden", "controller_a": "forbidden", "controller_b": "forbidden",
        "anonymous": "login"}, project_scoped=False),
    # A new project: superusers only (none of these personas), as the API's POST /api/projects/.
    "new project page": WebAct("get", "project-new", (), plan, api=(
        ApiAct("post", lambda m: "/api/projects/", lambda m: {}),), project_scoped=False),
    "create project": WebAct(
        "post", "project-new", (), plan,
        data=lambda m: {"programme": m["project"].programme_id, "acronym": "NEW", "title": "New",
                        "start_date": "2026-01-01", "end_date": "2027-12-31", "period_months": "6",
                        "email": "mu-new@example.org"},
        api=(ApiAct("post", lambda m: "/api/projects/",
                    lambda m: {"programme": m["project"].programme_id, "acronym": "NEW", "title": "New",
                               "start_date": "2026-01-01", "end_date": "2027-12-31", "period_months": 6}),),
        project_scoped=False),
    "people": WebAct("get", "people", ("project",), member, api=(
        ApiAct("get", lambda m: f"/api/memberships/{m['membership'].pk}/"),)),
    "invite": WebAct(
        "post", "people", ("project",), member,
        data=lambda m: {"invite-email": "new@example.org", "invite-role": "viewer"},
        api=(ApiAct("post", lambda m: "/api/users/",
                    lambda m: {"email": "new@example.org", "project": m["project"].pk, "role": "viewer"}),)),
    "change role": WebAct(
        "post", "member", ("project", "membership"), member,
        data=lambda m: {f"member-{m['membership'].pk}-role": "coordinator",
                        f"member-{m['membership'].pk}-version": m["membership"].version},
        api=(ApiAct("patch", lambda m: f"/api/memberships/{m['membership'].pk}/", lambda m: {"role": "coordinator"},
                    if_match="membership"),)),
    "resend invitation": WebAct(
        "post", "member-resend", ("project", "membership"), member, data=lambda m: {},
        api=(ApiAct("post", lambda m: f"/api/memberships/{m['membership'].pk}/resend/"),)),
    "end membership": WebAct(
        "post", "member-end", ("project", "membership"), member, data=lambda m: {},
        api=(ApiAct("delete", lambda m: f"/api/memberships/{m['membership'].pk}/"),)),
    "risks": WebAct("get", "risks", ("project",), risk, api=(
        ApiAct("get", lambda m: f"/api/risks/{m['risk'].pk}/"),)),
    "add risk": WebAct("post", "risks", ("project",), risk, data=lambda m: RISK_FORM, api=(
        ApiAct("post", lambda m: "/api/risks/", lambda m: {"project": m["project"].pk, **RISK_FORM}),)),
    # The edit page is for those who may change the risk; members read the register.
    "risk page": WebAct("get", "risk", ("project", "risk"), risk, api=(
        ApiAct("patch", lambda m: f"/api/risks/{m['risk'].pk}/", lambda m: {}, if_match="risk"),)),
    "edit risk": WebAct(
        "post", "risk", ("project", "risk"), risk, data=lambda m: {**RISK_FORM, "version": m["risk"].version},
        api=(ApiAct("patch", lambda m: f"/api/risks/{m['risk'].pk}/", lambda m: RISK_FORM, if_match="risk"),)),
    # The plan workbook's upload: superusers and the MU of some project (a page of no one project).
    "plan import page": WebAct("get", "plan-import", (), plan, expected={
        "mu": "ok", "coordinator": "forbidden", "reporter_a": "forbidden", "reporter_b": "forbidden",
        "viewer": "forbidden", "controller_a": "forbidden", "controller_b": "forbidden", "outsider": "ok",
        "anonymous": "login"}, project_scoped=False),
    "import plan (dry run)": WebAct(
        "post", "plan-import", (), plan_workbook_of,
        data=lambda m: {"file": SimpleUploadedFile("plan.xlsx", m["workbook"]), "dry_run": "on"},
        api=(ApiAct("post", lambda m: "/api/projects/plan-import/",
                    lambda m: {"file": SimpleUploadedFile("plan.xlsx", m["workbook"]), "dry_run": True},
                    multipart=True),)),
    "overview": _plan_page("project"),
    "partners": _plan_page("partners"),
    "budget versions": WebAct("get", "budget-versions", ("project",), budget_draft, api=(_version_api("get"),)),
    "start a budget version": WebAct(
        "post", "budget-versions", ("project",), budget_approved, data=lambda m: {"reason": "Shift", "applies_from": 1},
        # The project first: the API's create answers 403 to a role that creates nothing anywhere, before looking.
        api=(PROJECT_DETAIL, ApiAct("post", lambda m: "/api/budget-versions/",
                                    lambda m: {"project": m["project"].pk, "applies_from": 1}),)),
    "budget version": WebAct("get", "budget-version", ("project", "budget_version"), budget_draft,
                             api=(_version_api("get"), _version_api("get", "compare/"))),
    "change a budget version": WebAct(
        "post", "budget-version-edit", ("project", "budget_version"), budget_draft, data=_version_fields,
        api=(_version_api("patch", "", lambda m: {"reason": "Reallocation"}, if_match="budget_version"),)),
    "set a budget line": WebAct(
        "post", "budget-version-line", ("project", "budget_version"), budget_draft,
        data=lambda m: {"partner": m["partner"].pk, "cost_category": "travel", "amount": "5000.00"},
        api=(_version_api("get"), ApiAct("post", lambda m: "/api/budget-lines/",
                    lambda m: {"partner": m["partner"].pk, "cost_category": "travel", "amount": "5000.00",
                               "budget_version": m["budget_version"].pk}),)),
    "approve a budget version": WebAct("post", "budget-version-approve", ("project", "budget_version"), budget_draft,
                                       data=lambda m: {}, api=(_version_api("post", "approve/"),)),
    "delete a budget version": WebAct("post", "budget-version-delete", ("project", "budget_version"), budget_draft,
                                      data=lambda m: {}, api=(_version_api("delete"),)),
    "mark lump sum achieved": WebAct(
        "post", "lump-sum-achieved", ("project", "lump_sum"), lump_sum, data=_achieved,
        api=(ApiAct("patch", lambda m: f"/api/lump-sums/{m['lump_sum'].pk}/",
                    lambda m: {"achieved_date": "2025-06-30", "evidence": "Signed application"},
                    if_match="lump_sum"),)),
    "calendar link": WebAct("get", "calendar", ("project",), plan,
                            api=(ApiAct("get", lambda m: f"/api/projects/{m['project'].pk}/calendar-token/"),)),
    "reset calendar link": WebAct("post", "calendar", ("project",), plan, data=lambda m: {},
                                  api=(ApiAct("post", lambda m: f"/api/projects/{m['project'].pk}/calendar-token/"),)),
    "work plan": _plan_page("workplan"),
    "milestones": WebAct("get", "milestones", ("project",), plan,
                         api=(ApiAct("get", lambda m: f"/api/milestones/{m['milestone'].pk}/"),)),
    "deliverables": WebAct("get", "deliverables", ("project",), plan,
                           api=(ApiAct("get", lambda m: f"/api/deliverables/{m['deliverable'].pk}/"),)),
    "deliverable status": WebAct(
        "post", "deliverable-status", ("project", "deliverable"), plan,
        data=lambda m: {"status": "in_progress", "version": m["deliverable"].version},
        api=(ApiAct("patch", lambda m: f"/api/deliverables/{m['deliverable'].pk}/", lambda m: {"status": "in_progress"},
                    if_match="deliverable"),)),
    "report matrix": WebAct("get", "reports", ("project",), draft, api=(
        PROJECT_DETAIL, ApiAct("get", lambda m: f"/api/progress-reports/?project={m['project'].pk}"))),
    "my report": WebAct("get", "my-report", ("project",), plan, expected={
        "mu": "ok", "coordinator": "forbidden", "reporter_a": "ok", "reporter_b": "ok", "viewer": "forbidden",
        "outsider": "not_found", "controller_a": "forbidden", "controller_b": "forbidden", "anonymous": "login"}),
    "start report page": WebAct("get", "report-start", ("project", "partner"), no_report, api=(
        ApiAct("post", lambda m: "/api/progress-reports/",
               lambda m: {"partner": m["partner"].pk, "period": m["period"].pk}),)),
    "start report": WebAct("post", "report-start", ("project", "partner"), no_report, data=lambda m: {},
                           api=(ApiAct("post", lambda m: "/api/progress-reports/",
                                       lambda m: {"partner": m["partner"].pk, "period": m["period"].pk}),)),
    "report": WebAct("get", "report", ("project", "report"), draft, api=(REPORT_DETAIL,)),
    "save report": WebAct(
        "post", "report", ("project", "report"), draft,
        data=lambda m: {"version": m["report"].version, "summary": "Pilot started.", "problems": ""},
        api=(ApiAct("patch", lambda m: f"/api/progress-reports/{m['report'].pk}/",
                    lambda m: {"summary": "Pilot started."}, if_match="report"),)),
    "save a submitted report": WebAct(
        "post", "report", ("project", "report"), submitted,
        data=lambda m: {"version": m["report"].version, "summary": "Changed afterwards.", "problems": ""},
        api=(ApiAct("patch", lambda m: f"/api/progress-reports/{m['report'].pk}/",
                    lambda m: {"summary": "Changed afterwards."}, if_match="report"),)),
    "add line": WebAct("post", "report-line-add", ("project", "report"), draft, data=lambda m: LINE_FORM,
                       api=(ApiAct("post", lambda m: "/api/expenditures/",
                                   lambda m: {"report": m["report"].pk, **LINE_FORM}),)),
    "add line to a submitted report": WebAct(
        "post", "report-line-add", ("project", "report"), submitted, data=lambda m: LINE_FORM,
        api=(ApiAct("post", lambda m: "/api/expenditures/", lambda m: {"report": m["report"].pk, **LINE_FORM}),)),
    "line": WebAct("get", "report-line", ("project", "report", "line"), draft, api=(LINE_DETAIL,)),
    "edit line": WebAct(
        "post", "report-line", ("project", "report", "line"), draft,
        data=lambda m: {**LINE_FORM, "version": m["line"].version},
        api=(ApiAct("patch", lambda m: f"/api/expenditures/{m['line'].pk}/", lambda m: {"amount": "12.50"},
                    if_match="line"),)),
    # The page that asks before deleting (without JavaScript): for exactly those who may delete the line.
    "ask before deleting a line": WebAct("get", "report-line-delete", ("project", "report", "line"), draft,
                                         api=(ApiAct("delete", lambda m: f"/api/expenditures/{m['line'].pk}/"),)),
    "delete line": WebAct("post", "report-line-delete", ("project", "report", "line"), draft,
                          data=lambda m: {},
                          api=(ApiAct("delete", lambda m: f"/api/expenditures/{m['line'].pk}/"),)),
    "download invoice": WebAct(
        "get", "report-line-attachment", ("project", "report", "line"), draft,
        api=(ApiAct("get", lambda m: f"/api/expenditures/{m['line'].pk}/attachment/"),)),
    "upload invoice": WebAct(
        "post", "report-line-attachment", ("project", "report", "line"), draft,
        data=lambda m: {"file": SimpleUploadedFile("receipt.pdf", PDF)},
        api=(ApiAct("post", lambda m: f"/api/expenditures/{m['line'].pk}/attachment/",
                    lambda m: {"file": SimpleUploadedFile("receipt.pdf", PDF)}, multipart=True),)),
    "upload evidence file": WebAct(
        "post", "report-files", ("project", "report"), draft,
        data=lambda m: {"kind": "time_sheet", "file": SimpleUploadedFile("hours.pdf", PDF)},
        api=(ApiAct("post", lambda m: "/api/attachments/",
                    lambda m: {"report": m["report"].pk, "kind": "time_sheet",
                               "file": SimpleUploadedFile("hours.pdf", PDF)}, multipart=True),)),
    "download evidence file": WebAct(
        "get", "report-file", ("project", "report", "file"), evidence,
        api=(ApiAct("get", lambda m: f"/api/attachments/{m['file'].pk}/file/"),)),
    "import lines": WebAct(
        "post", "report-import", ("project", "report"), draft,
        data=lambda m: {"file": SimpleUploadedFile("lines.csv", CSV)},
        api=(ApiAct("post", lambda m: "/api/expenditures/import/",
                    lambda m: {"report": m["report"].pk, "file": SimpleUploadedFile("lines.csv", CSV)},
                    multipart=True),)),
    "review page": WebAct("get", "review", ("project", "report"), submitted,
                          api=(ApiAct("get", lambda m: f"/api/progress-reports/{m['report'].pk}/history/"),)),
    "approve": WebAct("post", "review", ("project", "report"), submitted,
                      data=lambda m: {"approve": "1", "comment": ""},
                      api=(ApiAct("post", lambda m: f"/api/progress-reports/{m['report'].pk}/approve/",
                                  lambda m: {"comment": ""}),)),
    "return": WebAct("post", "review", ("project", "report"), submitted,
                     data=lambda m: {"return": "1", "comment": "Add the invoice."},
                     api=(ApiAct("post", lambda m: f"/api/progress-reports/{m['report'].pk}/return/",
                                 lambda m: {"comment": "Add the invoice."}),)),
    "period narrative": WebAct("get", "project-report", ("project", "period"), narrative, api=(
        ApiAct("get", lambda m: f"/api/project-reports/{m['narrative'].pk}/"),)),
    "save period narrative": WebAct(
        "post", "project-report", ("project", "period"), narrative,
        data=lambda m: {"highlights": "Pilot started.", "version": m["narrative"].version},
        api=(ApiAct("patch", lambda m: f"/api/project-reports/{m['narrative'].pk}/",
                    lambda m: {"highlights": "Pilot started."}, if_match="narrative"),)),
    # First-level control. The page is read by whoever reads the report (its API twin); the acts are the partner's
    # controller's alone: 403 for the report's other readers, 404 for those who may not know the report (another
    # partner's reporter or controller), as the API's control endpoints answer.
    "control page": WebAct("get", "control", ("project", "report"), in_control, api=(REPORT_DETAIL,)),
    "start control": WebAct("post", "control-start", ("project", "report"), approved, data=lambda m: {},
                            expected=CONTROL_ACT),
    "verify lines as declared": WebAct("post", "control-verify", ("project", "report"), in_control,
                                       data=lambda m: {"ids": [m["control"].pk]}, expected=CONTROL_ACT),
    "control a line": WebAct(
        "post", "control-line", ("project", "report", "control"), in_control,
        data=lambda m: {f"c{m['control'].pk}-verified_amount": "40.00",
                        f"c{m['control'].pk}-deduction_type": "evidence",
                        f"c{m['control'].pk}-version": m["control"].version}, expected=CONTROL_ACT),
    "certify": WebAct("post", "control-certify", ("project", "report"), verified, data=lambda m: {},
                      expected=CONTROL_ACT),
    "send back with findings": WebAct("post", "control-return", ("project", "report"), in_control,
                                      data=lambda m: {"comment": "Add the boarding passes."}, expected=CONTROL_ACT),
}
WEB_ACTS.update(CLAIM_ACTS)
