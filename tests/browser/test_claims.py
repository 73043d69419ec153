"""Claims and payments in headless Chromium on the demo data: the MU creates the claim of period 3, submits it,
records that the programme started its verification and finalises it with LU accepted at less than claimed,
records the programme's ERDF payment and the transfer to LU; reporter-lu signs in on a phone and sees what LU
received. The pages fit a phone's width (wide tables scroll inside their box). Screenshots go to tests/screenshots/.

The demo's open claim (period 3, a draft) is deleted first, so that the MU has reports to claim, and LU has a
certified report among them (one of its reports is certified here if none is).
"""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from claims import services
from claims.models import Claim
from claims.selectors import claim_figures, project_payments
from consortium.models import Project, Role
from demo.claims import certify_as_declared
from reporting import services as reporting
from reporting.models import ProgressReport

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
CUT = Decimal("100.00")


def money(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def fits_the_width(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1")


def prepare(project: Project):
    """Free period 3 for a new claim, with a certified report of LU waiting for one."""
    mu = project.memberships.get(role=Role.MANAGEMENT_UNIT).user
    period = project.periods.get(number=3)
    services.claim_delete(claim=Claim.objects.get(project=project, period=period), user=mu)
    lu = project.partners.get(organisation__short_name="LU")
    if not any(report.partner_id == lu.pk for report in services.unclaimed_reports(project, period)):
        report = ProgressReport.objects.filter(partner=lu, period__number__lte=3, status__in=[
            ProgressReport.Status.SUBMITTED, ProgressReport.Status.APPROVED]).order_by("period__number").first()
        if report.status == ProgressReport.Status.SUBMITTED:
            reporting.report_approve(report=report, user=mu, notify=False)
        controller = project.memberships.filter(role=Role.CONTROLLER, controlled_partners=lu).first().user
        certify_as_declared(report, controller)
    return lu


def test_the_mu_claims_and_pays_and_the_partner_sees_it(sign_in, live_server, screenshot):
    project = Project.objects.get(acronym="ReproUnion")
    lu = prepare(project)

    page = sign_in("mu")
    page.goto(f"{live_server.url}/projects/{project.pk}/claims/")
    expect(page.locator("tr[data-claim='1'] .badge")).to_have_text("Finalised")
    page.get_by_label("Period").select_option(label=next(
        o for o in page.locator("#id_period option").all_inner_texts() if o.startswith("P3")))
    page.get_by_role("button", name="Create the claim").click()
    expect(page.locator("#claim-status")).to_have_text("Draft")
    claim = Claim.objects.get(project=project, period__number=3)
    part = next(p for p in claim_figures(claim).partners if p.partner.pk == lu.pk)
    expect(page.locator(f"#totals tr[data-partner='{lu.code}'] .claimed")).to_have_text(money(part.claimed))
    screenshot(page, "claim-draft")

    page.get_by_role("button", name="Submit to the programme").click()
    expect(page.locator("#claim-status")).to_have_text("Submitted")
    page.get_by_role("button", name="The programme started its verification").click()
    expect(page.locator("#claim-status")).to_have_text("In verification")

    eligible = page.locator(f"input[name='eligible_{lu.pk}']")
    expect(eligible).to_have_value(str(part.claimed))
    eligible.fill(str(part.claimed - CUT))
    page.get_by_role("button", name="Finalise the claim").click()
    expect(page.locator(f"#field-reason_{lu.pk}, tr[data-partner='{lu.code}'] .field-error")).to_contain_text(
        "Say why")  # less than claimed needs the programme's reason
    page.locator(f"input[name='reason_{lu.pk}']").fill("A hotel invoice was not accepted.")
    page.get_by_role("button", name="Finalise the claim").click()
    expect(page.locator("#claim-status")).to_have_text("Finalised")
    claim.refresh_from_db()
    part = next(p for p in claim_figures(claim).partners if p.partner.pk == lu.pk)
    assert part.accepted == part.claimed - CUT
    erdf = sum((p.accepted_cofinancing for p in claim_figures(claim).partners if p.fund == "erdf"), Decimal(0))

    page.get_by_role("navigation", name="Project sections").get_by_role("link", name="Payments").click()
    form = page.locator("#record-payment form")
    form.get_by_label("Claim").select_option(label="Claim 3 · P3")
    form.get_by_label("Fund").select_option("erdf")
    form.get_by_label("Date received").fill("2026-11-02")
    form.get_by_label("Amount").fill(str(erdf))
    form.get_by_role("button", name="Record the payment").click()
    expect(page.locator(".flash")).to_contain_text("Payment recorded")
    form = page.locator("#record-transfer form")
    form.get_by_label("Claim").select_option(label="Claim 3 · P3")
    form.get_by_label("Partner").select_option(label=f"{lu.code} LU")
    form.get_by_label("Date passed on").fill("2026-11-09")
    form.get_by_label("Amount (EUR)").fill(str(part.accepted_cofinancing))
    form.get_by_role("button", name="Record the transfer").click()
    expect(page.locator(".flash")).to_contain_text("Transfer recorded")
    row = next(r for r in project_payments(project).partners if r.partner.pk == lu.pk)
    expect(page.locator(f"#per-partner tr[data-partner='{lu.code}'] .received")).to_have_text(
        f"{money(row.received)} EUR")
    expect(page.locator("#per-claim tr[data-claim='3'][data-fund='erdf'] td").last).to_have_text("0.00 EUR")
    screenshot(page, "payments-mu")

    # LU's reporter, on a phone: the dashboard's tile and the payments page show LU's money, and only LU's.
    phone = sign_in("reporter-lu", viewport=PHONE)
    tile = phone.locator(".money-tile[data-project='ReproUnion']")
    expect(tile.locator(".received")).to_have_text(f"{money(row.received)} EUR")
    expect(tile.locator(".outstanding")).to_have_text(f"{money(row.outstanding)} EUR")
    assert fits_the_width(phone)
    tile.get_by_role("link", name="Payments").click()
    expect(phone.locator("#per-partner tbody tr")).to_have_count(1)
    expect(phone.locator(f".own-money[data-partner='{lu.code}'] .received")).to_have_text(
        f"{money(row.received)} EUR")
    expect(phone.locator(f"#per-partner tr[data-partner='{lu.code}'] .received")).to_have_text(
        f"{money(row.received)} EUR")
    expect(phone.locator(".transfers")).to_contain_text(money(part.accepted_cofinancing))
    assert fits_the_width(phone)
    screenshot(phone, "payments-reporter-phone")
    phone.goto(f"{live_server.url}/projects/{project.pk}/claims/{claim.pk}/")
    expect(phone.locator("#totals tbody tr")).to_have_count(1)
    assert fits_the_width(phone)


def test_the_claim_pages_fit_a_phone(sign_in, live_server):
    project = Project.objects.get(acronym="ReproUnion")
    page = sign_in("mu", viewport=PHONE)
    for path in ("claims/", f"claims/{Claim.objects.get(project=project, number=1).pk}/", "payments/"):
        page.goto(f"{live_server.url}/projects/{project.pk}/{path}")
        assert fits_the_width(page), path
