"""Budget versions: the version in force per period drives the funder report, claims and the dashboard; the
flexibility check; the services and the API (docs/BUDGET.md).

The hand-computed case: version 1 budgets KU (PP1) staff 100,000.00 and LU (PP2) staff 50,000.00; version 2,
from period 3, moves 1,000.00 from KU's staff to LU's (staff at project level unchanged: within any threshold).
"""

from datetime import date
from decimal import Decimal as D

import pytest

from claims import services as claims
from claims.selectors import claim_figures
from consortium.errors import StateConflict
from partners import budget_versions as services
from partners.budget_selectors import flexibility_check, lines_in_force, version_in_force
from partners.models import BudgetLine, BudgetVersion
from reporting import services as reporting
from reporting.funder_report.collect import collect_funder_report
from reporting.spending import spending_profile
from tests import factories as f
from tests.claims.test_claim_services import certified_report
from web.selectors import dashboard, partners_with_budgets

IN_PERIOD_2 = date(2026, 6, 15)
IN_PERIOD_3 = date(2027, 6, 15)


@pytest.fixture
def period3(world):
    return f.make_period(world.project, 3, date(2027, 1, 1), date(2027, 12, 31), date(2028, 3, 31))


@pytest.fixture
def two_versions(world, period3, mu):
    f.make_budget_line(world.partner_a, "staff", D("100000.00"))  # version 1, approved
    f.make_budget_line(world.partner_b, "staff", D("50000.00"))
    second = services.budget_version_create(project=world.project, user=mu, reason="KU hands work to LU.",
                                            decision_date=date(2026, 12, 1), applies_from=3)
    services.budget_version_set_line(version=second, partner=world.partner_a, cost_category="staff",
                                     amount=D("99000.00"))
    services.budget_version_set_line(version=second, partner=world.partner_b, cost_category="staff",
                                     amount=D("51000.00"))
    return services.budget_version_approve(version=second, user=mu)


def _partner_budgets(report) -> dict[str, D]:
    return {row.partner.split()[0]: row.budget for row in report.finances if row.partner.startswith("PP")}


def test_the_version_in_force_is_the_approved_one_with_the_latest_first_period(world, two_versions):
    assert [version_in_force(world.project, n).number for n in (1, 2, 3)] == [1, 1, 2]
    assert sorted(lines_in_force(world.project, 2).values_list("amount", flat=True)) == [D("50000.00"),
                                                                                        D("100000.00")]
    assert sorted(lines_in_force(world.project, 3).values_list("amount", flat=True)) == [D("51000.00"),
                                                                                        D("99000.00")]


def test_version_two_changes_the_funder_report_from_its_first_period_and_not_before(world, two_versions):
    before = collect_funder_report(world.project, world.period2, today=IN_PERIOD_3)
    after = collect_funder_report(world.project, world.period2.project.periods.get(number=3), today=IN_PERIOD_3)
    assert (before.budget_version, after.budget_version) == (1, 2)
    assert _partner_budgets(before) == {"PP1": D("100000.00"), "PP2": D("50000.00"), "PP3": D("0.00")}
    assert _partner_budgets(after) == {"PP1": D("99000.00"), "PP2": D("51000.00"), "PP3": D("0.00")}


def test_version_two_changes_the_claims_budget_from_its_first_period_and_not_before(
        world, two_versions, period3, reporter_a, mu, controller_a):
    certified_report(world.partner_a, world.period2, reporter_a, mu, controller_a, D("1000.00"), "EUR", world.wp1,
                     today=date(2027, 1, 2))
    certified_report(world.partner_a, period3, reporter_a, mu, controller_a, D("2000.00"), "EUR", world.wp1,
                     today=date(2028, 1, 2))
    in_period_2 = claims.claim_create(project=world.project, period=world.period2, user=mu)
    in_period_3 = claims.claim_create(project=world.project, period=period3, user=mu)
    (ku_2,) = claim_figures(in_period_2).partners
    (ku_3,) = claim_figures(in_period_3).partners
    assert (ku_2.budget, ku_2.claimed, ku_2.budget_remaining) == (D("100000.00"), D("1000.00"), D("99000.00"))
    assert (ku_3.budget, ku_3.claimed, ku_3.budget_remaining) == (D("99000.00"), D("2000.00"), D("97000.00"))


def test_version_two_changes_the_dashboard_budgets_from_its_first_period_and_not_before(world, two_versions, mu):
    def budgets(today):
        return {p.code: p.budget_total for p in partners_with_budgets(mu, world.project, today=today)}

    assert budgets(IN_PERIOD_2) == {"PP1": D("100000.00"), "PP2": D("50000.00"), "PP3": D("0.00")}
    assert budgets(IN_PERIOD_3) == {"PP1": D("99000.00"), "PP2": D("51000.00"), "PP3": D("0.00")}
    # The project total: unchanged by a reallocation, and counted from one version only (not 300,000.00).
    (item,) = [a for a in dashboard(mu, today=IN_PERIOD_3) if a.project == world.project]
    assert item.budget_total == D("150000.00")


def test_a_shift_over_the_threshold_is_flagged_and_needs_the_programme_approval_mark(world, period3, mu):
    f.make_budget_line(world.partner_a, "travel", D("10000.00"))
    f.make_budget_line(world.partner_a, "external", D("40000.00"))
    draft = services.budget_version_create(project=world.project, user=mu, reason="Move travel", applies_from=3)
    # Travel 10,000.00 -> 8,500.00 is -15.00 %: at the threshold (15 %), not over it.
    services.budget_version_set_line(version=draft, partner=world.partner_a, cost_category="travel",
                                     amount=D("8500.00"))
    services.budget_version_set_line(version=draft, partner=world.partner_a, cost_category="external",
                                     amount=D("41500.00"))
    draft.refresh_from_db()
    assert not draft.needs_programme_approval
    # 8,400.00 is -16.00 %: over it.
    services.budget_version_set_line(version=draft, partner=world.partner_a, cost_category="travel",
                                     amount=D("8400.00"))
    services.budget_version_set_line(version=draft, partner=world.partner_a, cost_category="external",
                                     amount=D("41600.00"))
    draft.refresh_from_db()
    assert draft.needs_programme_approval
    exceeding = flexibility_check(draft).exceeding
    assert [(s.cost_category, s.percent) for s in exceeding] == [("travel", D("-16.00"))]
    with pytest.raises(StateConflict) as refused:
        services.budget_version_approve(version=draft, user=mu)
    assert [p.field for p in refused.value.problems] == ["programme_approved"]
    assert BudgetVersion.objects.get(pk=draft.pk).status == "draft"
    draft = services.budget_version_update(version=draft, expected_version=draft.version,
                                           data={"programme_approved": True})
    assert services.budget_version_approve(version=draft, user=mu).status == "approved"


def test_measured_per_partner_a_reallocation_between_partners_is_flagged(world, period3, mu):
    world.project.programme.budget_flexibility_basis = "partner_category"
    world.project.programme.save()
    f.make_budget_line(world.partner_a, "staff", D("100000.00"))
    f.make_budget_line(world.partner_b, "staff", D("50000.00"))
    draft = services.budget_version_create(project=world.project, user=mu, applies_from=3)
    services.budget_version_set_line(version=draft, partner=world.partner_a, cost_category="staff",
                                     amount=D("90000.00"))
    services.budget_version_set_line(version=draft, partner=world.partner_b, cost_category="staff",
                                     amount=D("60000.00"))
    draft.refresh_from_db()
    assert draft.needs_programme_approval  # LU +20 % (KU -10 % alone would be within 15 %)


def test_an_increase_of_the_total_needs_the_programme(world, period3, mu):
    f.make_budget_line(world.partner_a, "staff", D("100000.00"))
    draft = services.budget_version_create(project=world.project, user=mu, applies_from=3)
    services.budget_version_set_line(version=draft, partner=world.partner_a, cost_category="staff",
                                     amount=D("101000.00"))
    draft.refresh_from_db()
    assert draft.needs_programme_approval


def test_an_approved_version_is_read_only(world, two_versions, mu):
    line = two_versions.lines.first()
    with pytest.raises(StateConflict):
        services.budget_line_update(line=line, expected_version=line.version, data={"amount": D("1.00")})
    with pytest.raises(StateConflict):
        services.budget_version_delete(version=two_versions)
    with pytest.raises(StateConflict):
        services.budget_version_set_line(version=two_versions, partner=world.partner_a, cost_category="staff",
                                         amount=D("1.00"))


def test_one_draft_at_a_time_and_a_draft_copies_the_lines_in_force(world, two_versions, mu):
    draft = services.budget_version_create(project=world.project, user=mu, applies_from=3)
    assert (draft.number, draft.status) == (3, "draft")
    assert sorted(draft.lines.values_list("amount", flat=True)) == [D("51000.00"), D("99000.00")]
    with pytest.raises(StateConflict):
        services.budget_version_create(project=world.project, user=mu, applies_from=3)
    services.budget_version_delete(version=draft)
    assert not BudgetLine.objects.filter(budget_version__number=3).exists()


def test_spending_profile_sets_plan_against_certified_and_forecast(world, period3, reporter_a, mu, controller_a):
    # 36,000.00 over a 36-month project: 12,000.00 in each 12-month period.
    f.make_budget_line(world.partner_a, "staff", D("36000.00"))
    report = certified_report(world.partner_a, world.period1, reporter_a, mu, controller_a, D("1000.00"), "EUR",
                              world.wp1, today=date(2026, 1, 2))
    assert report.status == "certified"
    draft = reporting.report_create(partner=world.partner_a, period=world.period2, user=reporter_a,
                                    today=IN_PERIOD_2)
    reporting.report_update(report=draft, expected_version=draft.version, user=reporter_a,
                            data={"forecast_next_period": D("15000.00")})
    profile = spending_profile(world.project, today=date(2026, 6, 1))
    first, second, third = profile.periods
    assert (first.planned, first.certified, first.deviation) == (D("12000.00"), D("1000.00"), D("-91.67"))
    assert (third.forecast, third.forecast_deviation) == (D("15000.00"), D("25.00"))
    assert second.forecast is None
    # Period 1's report was due on 2026-03-31: KU is 91.67 % behind, more than the programme's 25 %.
    assert [(lag.partner, lag.behind) for lag in profile.lagging] == [("PP1 KU", D("91.67"))]


# --- the API ----------------------------------------------------------------------------------------------------

def test_api_creates_changes_and_approves_a_version(world, period3, mu, api_client):
    f.make_budget_line(world.partner_a, "staff", D("100000.00"))
    client = api_client(mu)
    created = client.post("/api/budget-versions/", {"project": world.project.pk, "reason": "Shift",
                                                    "applies_from": 3}, format="json")
    assert created.status_code == 201, created.data
    version = created.json()
    assert (version["number"], version["status"], version["needs_programme_approval"]) == (2, "draft", False)
    lines = client.get("/api/budget-lines/", {"budget_version": version["id"]}).json()["results"]
    assert [(row["cost_category"], row["amount"]) for row in lines] == [("staff", "100000.00")]
    changed = client.patch(f"/api/budget-lines/{lines[0]['id']}/", {"amount": "70000.00"}, format="json",
                           HTTP_IF_MATCH=f'"{lines[0]["version"]}"')
    assert changed.status_code == 200
    compared = client.get(f"/api/budget-versions/{version['id']}/compare/", {"with": 1}).json()
    assert compared["lines"] == [{"partner": world.partner_a.pk, "partner_code": "PP1", "cost_category": "staff",
                                  "before": "100000.00", "after": "70000.00", "change": "-30000.00"}]
    assert compared["needs_programme_approval"] is True
    assert [(s["percent"], s["exceeds"]) for s in compared["shifts"]] == [("-30.00", True)]
    refused = client.post(f"/api/budget-versions/{version['id']}/approve/")
    assert refused.status_code == 409
    assert "programme_approved" in refused.json()["fields"]
    marked = client.patch(f"/api/budget-versions/{version['id']}/", {"programme_approved": True}, format="json",
                          HTTP_IF_MATCH='"1"')
    assert marked.status_code == 200
    approved = client.post(f"/api/budget-versions/{version['id']}/approve/")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    again = client.patch(f"/api/budget-lines/{lines[0]['id']}/", {"amount": "1.00"}, format="json",
                         HTTP_IF_MATCH='"2"')
    assert again.status_code == 409
    assert client.delete(f"/api/budget-versions/{version['id']}/").status_code == 409
    assert client.get(f"/api/budget-versions/{version['id']}/compare/", {"with": "x"}).status_code == 400


@pytest.mark.parametrize(("persona", "approve", "compare"), [
    ("mu", 200, 200), ("coordinator", 403, 200), ("reporter_a", 403, 200), ("viewer", 403, 403),
    ("outsider", 404, 404), ("anonymous", 401, 401)])
def test_api_actions_permissions(persona, approve, compare, world, personas, api_client):
    draft = f.make_draft_budget_version(world.project)
    client = api_client(None if persona == "anonymous" else personas[persona])
    assert client.get(f"/api/budget-versions/{draft.pk}/compare/").status_code == compare
    assert client.post(f"/api/budget-versions/{draft.pk}/approve/").status_code == approve


# --- the funder report's PDF and XLSX, the web ----------------------------------------------------------------

def test_funder_report_draws_the_spending_profile(world, two_versions):
    from io import BytesIO

    from openpyxl import load_workbook
    from pypdf import PdfReader

    from reporting.funder_report.pdf import render_pdf
    from reporting.funder_report.xlsx import render_xlsx

    report = collect_funder_report(world.project, world.project.periods.get(number=3), today=IN_PERIOD_3)
    # 150,000.00 over 36 months: 50,000.00 in each 12-month period, whichever version is in force.
    assert [(p.number, p.budget_version, p.planned) for p in report.spending.periods] == [
        (1, 1, D("50000.00")), (2, 1, D("50000.00")), (3, 2, D("50000.00"))]
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(render_pdf(report))).pages)
    assert "Spending profile (EUR)" in " ".join(text.split())
    sheet = load_workbook(BytesIO(render_xlsx(report)))["Spending profile"]
    assert [cell.value for cell in sheet[4]][:3] == [3, 2, 50000]


def test_web_budget_pages_compare_and_approve(client, world, period3, mu, coordinator):
    from django.urls import reverse

    f.make_budget_line(world.partner_a, "staff", D("100000.00"))
    client.force_login(mu)
    listing = reverse("web:budget-versions", args=[world.project.pk])
    response = client.post(listing, {"reason": "Shift", "applies_from": 3})
    draft = BudgetVersion.objects.get(project=world.project, number=2)
    assert response.status_code == 302
    page = reverse("web:budget-version", args=[world.project.pk, draft.pk])
    line = reverse("web:budget-version-line", args=[world.project.pk, draft.pk])
    assert client.post(line, {"partner": world.partner_a.pk, "cost_category": "staff",
                              "amount": "80000.00"}).status_code == 302
    html = client.get(page).content.decode()
    assert "-20.00 %" in html and "over the threshold" in html
    refused = client.post(reverse("web:budget-version-approve", args=[world.project.pk, draft.pk]), follow=True)
    assert refused.status_code == 409 and "programme" in refused.content.decode()
    edit = reverse("web:budget-version-edit", args=[world.project.pk, draft.pk])
    draft.refresh_from_db()
    assert client.post(edit, {"reason": "Shift", "applies_from": 3, "programme_approved": "on",
                              "version": draft.version}).status_code == 302
    assert client.post(reverse("web:budget-version-approve", args=[world.project.pk, draft.pk])).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "approved"
    assert "Approve this version" not in client.get(page).content.decode()
    client.force_login(coordinator)
    assert client.get(page).status_code == 200
    assert client.post(line, {"partner": world.partner_a.pk, "cost_category": "staff",
                              "amount": "1.00"}).status_code == 403


def test_overview_shows_the_spending_chart_and_warns_the_mu(client, world, period3, reporter_a, mu, controller_a):
    from django.urls import reverse

    f.make_budget_line(world.partner_a, "staff", D("36000.00"))
    certified_report(world.partner_a, world.period1, reporter_a, mu, controller_a, D("1000.00"), "EUR", world.wp1,
                     today=date(2026, 1, 2))
    client.force_login(mu)
    html = client.get(reverse("web:project", args=[world.project.pk])).content.decode()
    assert "<svg" in html and "P1 Certified: 1,000.00 EUR" in html
    assert "PP1 KU: 1,000.00 / 12,000.00 EUR" in html  # 91.67 % behind, more than 25 %
    client.force_login(reporter_a)
    html = client.get(reverse("web:project", args=[world.project.pk])).content.decode()
    assert "<svg" in html and "PP1 KU: 1,000.00" not in html  # the notice is the MU's


def test_the_forecast_is_entered_in_the_report_form(client, world, reporter_a, new_draft):
    from django.urls import reverse

    client.force_login(reporter_a)
    url = reverse("web:report", args=[world.project.pk, new_draft.pk])
    response = client.post(url, {"version": new_draft.version, "summary": "", "problems": "",
                                 "forecast_next_period": "12500.50"})
    assert response.status_code in (200, 302)
    new_draft.refresh_from_db()
    assert new_draft.forecast_next_period == D("12500.50")


def test_admin_keeps_approved_versions_and_their_lines_read_only(client, superuser, world, two_versions, mu):
    from django.urls import reverse

    client.force_login(superuser)
    line = two_versions.lines.first()
    version_page = reverse("admin:partners_budgetversion_change", args=[two_versions.pk])
    line_page = reverse("admin:partners_budgetline_change", args=[line.pk])
    assert 'name="_save"' not in client.get(version_page).content.decode()
    assert 'name="_save"' not in client.get(line_page).content.decode()
    assert client.post(line_page, {"amount": "1.00"}).status_code == 403
    assert client.post(reverse("admin:partners_budgetline_delete", args=[line.pk]), {"post": "yes"}).status_code == 403
    draft = services.budget_version_create(project=world.project, user=mu, applies_from=3)
    draft_page = reverse("admin:partners_budgetversion_change", args=[draft.pk])
    assert 'name="_save"' in client.get(draft_page).content.decode()
    # Approval in the admin goes through the service: a flagged draft stays a draft.
    services.budget_version_set_line(version=draft, partner=world.partner_a, cost_category="staff",
                                     amount=D("10.00"))
    client.post(reverse("admin:partners_budgetversion_changelist"),
                {"action": "approve", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == "draft"
