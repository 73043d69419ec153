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
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reporting import services
from reporting.models import ProjectReport
from tests import factories as f

PERSONAS = ("mu", "coordinator", "reporter_a", "reporter_b", "viewer", "outsider", "anonymous")
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
            "partner": ("partner_id", "pk"), "deliverable": ("deliverable_id", "pk"),
            "period": ("period_number", "number"), "lump_sum": ("lump_sum_id", "pk"),
            "file": ("file_id", "pk"), "budget_version": ("version_id", "pk")}


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


# --- the acts -------------------------------------------------------------------------------------

PROJECT_DETAIL = ApiAct("get", lambda m: f"/api/projects/{m['project'].pk}/")
REPORT_DETAIL = ApiAct("get", lambda m: f"/api/progress-reports/{m['report'].pk}/")
LINE_DETAIL = ApiAct("get", lambda m: f"/api/expenditures/{m['line'].pk}/")
LINE_FORM = {"cost_category": "travel", "description": "Taxi", "amount": "12.50", "currency": "EUR"}


def _plan_page(name: str) -> WebAct:
    return WebAct("get", name, ("project",), plan, api=(PROJECT_DETAIL,))


WEB_ACTS: dict[str, WebAct] = {
    "dashboard": WebAct("get", "dashboard", (), plan, expected={
        "mu": "ok", "coordinator": "ok", "reporter_a": "ok", "reporter_b": "ok", "viewer": "ok", "outsider": "ok",
        "anonymous": "login"}, project_scoped=False),
    "review queue": WebAct("get", "review-queue", (), plan, expected={
        "mu": "ok", "coordinator": "forbidden", "reporter_a": "forbidden", "reporter_b": "forbidden",
        "viewer": "forbidden", "outsider": "ok", "anonymous": "login"}, project_scoped=False),
    # One's own settings: anyone signed in; the language switch works signed out too (the login page has it).
    "settings": WebAct("get", "account", (), plan, expected={
        "mu": "ok", "coordinator": "ok", "reporter_a": "ok", "reporter_b": "ok", "viewer": "ok", "outsider": "ok",
        "anonymous": "login"}, project_scoped=False),
    "switch language": WebAct("post", "set-language", (), plan, data=lambda m: {"language": "sv", "next": "/"},
                              expected={persona: "ok" for persona in PERSONAS}, project_scoped=False),
    # The Commission's rates, shared by every project: a site administrator's page (none of these personas).
    "exchange rates": WebAct("get", "exchange-rates", (), plan, expected={
        "mu": "forbidden", "coordinator": "forbidden", "reporter_a": "forbidden", "reporter_b": "forbidden",
        "viewer": "forbidden", "outsider": "forbidden", "anonymous": "login"}, project_scoped=False),
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
        "outsider": "not_found", "anonymous": "login"}),
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
}
