"""The report editor shows what applies (issue 14 item 14, issue 15) in headless Chromium on the demo data:
only the categories a partner's cost options leave are offered, staff fields and invoice fields appear by
category, a staff line's method decides its fields, a unit cost fills in the category and EUR, and a staff
line shows its computed amount rather than an "Amount" to type. Screenshots go to tests/screenshots/."""

import pytest
from playwright.sync_api import expect

from partners.models import Partner
from reporting.models import ProgressReport

pytestmark = pytest.mark.browser


def report_of(short_name: str) -> ProgressReport:
    partner = Partner.objects.get(project__acronym="ReproUnion", organisation__short_name=short_name)
    return ProgressReport.objects.filter(partner=partner).order_by("-period__number").first()


def options_of(select) -> list[str]:
    return [value for value in select.locator("option").evaluate_all("options => options.map(o => o.value)") if value]


def test_staff_invoice_and_unit_cost_fields_by_category_and_method(sign_in, screenshot):
    page = sign_in("reporter-ku")
    page.get_by_role("link", name="Report for period 3: start").click()
    page.get_by_role("button", name="Start report").click()
    page.locator("#add-line > summary").click()
    form = page.locator("#add-line form")
    category = form.get_by_label("Cost category")
    # KU claims office & administration as 15 % of staff costs: no real office line is offered.
    assert options_of(category) == ["staff", "travel", "external", "equipment", "infrastructure"]

    category.select_option("staff")
    expect(form.get_by_label("Employee or role")).to_be_visible()
    expect(form.get_by_label("Hours")).to_be_visible()
    expect(form.get_by_label("Amount (when no invoice total is given)", exact=True)).to_be_hidden()
    expect(form.get_by_label("Supplier")).to_be_hidden()
    form.get_by_label("Staff-cost method").select_option("fixed_percentage")
    expect(form.get_by_label("Hours")).to_be_hidden()
    expect(form.get_by_label("Percentage of working time")).to_be_visible()
    form.get_by_label("Staff-cost method").select_option("full_time")
    expect(form.get_by_label("Percentage of working time")).to_be_hidden()
    form.get_by_label("Staff-cost method").select_option("fixed_percentage")
    form.get_by_label("Description").fill("Project coordinator")
    form.get_by_label("Employee or role").fill("B. Berg")
    form.get_by_label("Currency").select_option("DKK")
    form.get_by_label("Monthly gross employment cost").fill("48500.00")
    form.get_by_label("Percentage of working time").fill("50")
    form.get_by_label("Months in the period").fill("6")
    screenshot(page, "editor-staff-line-fixed-percentage")
    form.get_by_role("button", name="Add line").click()
    expect(page.locator("#live")).to_contain_text("Line added")
    line = report_of("KU").expenditures.get(staff_method="fixed_percentage")
    # 48,500.00 × 50 % × 6 months = 145,500.00 DKK
    row = page.locator(f"#line-{line.pk}")
    expect(row).to_contain_text("B. Berg · Fixed percentage of time")
    expect(row).to_contain_text("48500.00 DKK a month × 50.00 % × 6 months")
    expect(row).to_contain_text("145500.00 DKK")

    row.get_by_role("link", name="Edit").click()
    expect(page.locator(".computed-amount")).to_contain_text("145500.00 DKK")
    expect(page.get_by_label("Amount (when no invoice total is given)", exact=True)).to_be_hidden()
    screenshot(page, "line-page-staff-computed-amount")
    page.go_back()

    page.locator("#add-line > summary").click()
    category.select_option("travel")
    expect(form.get_by_label("Supplier")).to_be_visible()
    expect(form.get_by_label("Amount (when no invoice total is given)", exact=True)).to_be_visible()
    expect(form.get_by_label("Employee or role")).to_be_hidden()
    form.get_by_label("Unit cost").select_option(label="Cross-border partnership meeting: 96.00 EUR per "
                                                       "participant-day (Travel & accommodation)")
    expect(form.get_by_label("Units")).to_be_visible()
    expect(form.get_by_label("Supplier")).to_be_hidden()
    expect(form.get_by_label("Currency")).to_have_value("EUR")
    form.get_by_label("Units").fill("6")
    form.get_by_label("Description").fill("Steering committee, Lund")
    form.get_by_role("button", name="Add line").click()
    expect(page.locator("#live")).to_contain_text("Line added")
    expect(page.locator("#expenditure")).to_contain_text("6 × 96.00 EUR per participant-day")
    expect(page.locator("#summary")).to_contain_text("Office & administration flat rate on direct staff costs")


def test_a_partner_on_flat_staff_and_office_rates_is_offered_neither(sign_in, screenshot):
    page = sign_in("reporter-lu")
    draft = report_of("LU")
    assert draft.status == "draft"
    page.goto(page.url + f"projects/{draft.partner.project_id}/reports/{draft.pk}/")
    page.locator("#add-line > summary").click()
    category = page.locator("#add-line form").get_by_label("Cost category")
    assert options_of(category) == ["travel", "external", "equipment", "infrastructure"]
    summary = page.locator("#summary")
    expect(summary).to_contain_text("Staff flat rate on direct costs other than staff costs")
    expect(summary).to_contain_text("Office & administration flat rate on direct staff costs")
    screenshot(page, "editor-lu-staff-and-office-flat-rates")


def test_the_mu_marks_a_lump_sum_achieved(sign_in, screenshot):
    page = sign_in("mu")
    project = Partner.objects.get(project__acronym="ReproUnion", number=1).project
    page.goto(page.url + f"projects/{project.pk}/partners/")
    pilot = page.locator("article.lump-sum", has_text="Clinical pilot completed")
    pilot.get_by_text("Mark achieved").first.click()
    pilot.get_by_label("Achieved on").fill(project.start_date.isoformat())
    pilot.get_by_label("Evidence").fill("Pilot evaluation report D3.5")
    pilot.get_by_role("button", name="Mark achieved").click()
    expect(page.locator("#live")).to_contain_text("is marked achieved")
    expect(page.locator("article.lump-sum", has_text="Clinical pilot completed")).to_contain_text(
        "Pilot evaluation report D3.5")
    expect(page.locator("article.lump-sum", has_text="Preparation of the application")).to_contain_text(
        "claimed in the report for period 1")
    screenshot(page, "partners-lump-sums")
