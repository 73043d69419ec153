"""First-level control in headless Chromium on the demo data: controller-dk takes RH's period 2 report (in
control), verifies every line as declared at once, deducts part of one line, certifies; the MU's partner × period
matrix shows it certified, the MU's dashboard and overview count its verified money, and the coordinator's funder
report holds it. The control page fits a phone. Screenshots go to tests/screenshots/."""

from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from consortium.models import Project
from reporting.models import LineControl, ProgressReport
from reporting.money import summarise_report
from web.selectors import money_by_status

pytestmark = pytest.mark.browser


def rh_in_control() -> ProgressReport:
    return ProgressReport.objects.get(partner__project__acronym="ReproUnion", status="in_control")


def euros(amount: Decimal) -> str:
    """As the pages print it: € 12,345.67."""
    return f"€ {amount:,.2f}"


def test_controller_verifies_deducts_and_certifies_and_the_mu_sees_certified_money(sign_in, live_server,
                                                                                    screenshot):
    repro = Project.objects.get(acronym="ReproUnion")
    report = rh_in_control()
    controller = sign_in("controller-dk")
    controller.get_by_role("link", name="Reports to control").first.click()
    controller.locator(f"#control-queue-{report.pk}").get_by_role("link", name="Continue").click()
    expect(controller.get_by_role("heading", name="Lines")).to_be_visible()

    # Certifying too early lists the open lines.
    controller.get_by_role("button", name="Certify the report").click()
    expect(controller.locator("#problems")).to_contain_text("neither verified nor parked")

    controller.get_by_label("Tick every line shown").check()
    controller.get_by_role("button", name="Verify the ticked lines as declared").click()
    expect(controller.locator("#live")).to_contain_text("verified as declared")
    assert not LineControl.objects.filter(expenditure__report=report, verified_amount__isnull=True).exists()

    travel = report.expenditures.get(cost_category="travel")
    row = controller.locator(f"#line-{travel.pk}")
    row.locator("summary").click()
    row.get_by_label("Verified amount").fill("4000.00")
    row.get_by_label("Deduction type").select_option("evidence")
    row.get_by_label("Comment").fill("No hotel invoice for one night.")
    row.get_by_role("button", name="Save").click()
    # htmx swaps the row and the running figures in place.
    expect(controller.locator(f"#line-{travel.pk}")).to_contain_text("Line saved")
    expect(controller.locator(f"#line-{travel.pk}")).to_contain_text("Deducted 830.50")
    expect(controller.locator('#control-totals [data-total="deducted"]')).not_to_have_text("0.00")
    screenshot(controller, "control-page")

    controller.goto(f"{live_server.url}/projects/{repro.pk}/reports/{report.pk}/control/")
    controller.get_by_role("button", name="Certify the report").click()
    expect(controller.locator("#live")).to_contain_text("Report certified")
    report.refresh_from_db()
    assert report.status == "certified"

    mu = sign_in("mu")
    mu.goto(f"{live_server.url}/projects/{repro.pk}/reports/")
    cell = mu.locator(f'a[href="/projects/{repro.pk}/reports/{report.pk}/"]')
    expect(cell).to_contain_text("Certified")
    certified = money_by_status([repro.pk])[repro.pk].certified
    mu.goto(f"{live_server.url}/projects/{repro.pk}/")
    expect(mu.locator('#reported-money [data-money="certified"]')).to_contain_text(euros(certified))
    mu.goto(f"{live_server.url}/")
    card = mu.locator("article.project-card", has=mu.get_by_role("link", name="ReproUnion", exact=True))
    expect(card.locator('[data-money="certified"]')).to_contain_text(euros(certified))
    mu.goto(f"{live_server.url}/projects/{repro.pk}/reports/{report.pk}/")
    deducted = summarise_report(report).control.deducted_total  # 830.50 DKK at the line's frozen rate
    assert deducted > 0
    expect(mu.locator('#control-totals [data-total="deducted"]')).to_have_text(str(deducted))

    # The coordinator's funder report of the period counts RH's certificates: its row of RH in the Control sheet
    # holds the verified total of RH's certified reports (period 1's and the one just certified).
    coordinator = sign_in("coordinator")
    coordinator.goto(f"{live_server.url}/projects/{repro.pk}/")
    with coordinator.expect_download() as download:
        coordinator.locator(f'a[href$="/funder-reports/{report.period.number}.xlsx"]').click()
    sheet = load_workbook(BytesIO(download.value.path().read_bytes()))["Control"]
    rh_rows = [row for row in sheet.iter_rows(min_row=2, values_only=True) if row[0] and "RH" in str(row[0])]
    verified = sum(summarise_report(r).eur.control.verified_total
                   for r in ProgressReport.objects.filter(partner=report.partner, status="certified"))
    assert verified > 0 and verified in {Decimal(str(row[3])).quantize(Decimal("0.01")) for row in rh_rows}


def test_control_page_fits_a_phone(sign_in, live_server, screenshot):
    viewport = {"width": 390, "height": 844}
    report = rh_in_control()
    controller = sign_in("controller-dk", viewport=viewport)
    controller.goto(f"{live_server.url}/projects/{report.partner.project_id}/reports/{report.pk}/control/")
    expect(controller.get_by_role("heading", name="Lines")).to_be_visible()
    screenshot(controller, "control-page-phone")
    assert controller.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
