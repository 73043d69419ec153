"""The whole report cycle in headless Chromium on the demo data: reporter-ku fills in and submits the
report of its open period (a staff line and an invoice in DKK), the MU returns it with a comment, KU
fixes and resubmits, the MU approves; LU cannot reach KU's report. Screenshots of the editor, the
submit errors and the review page go to tests/screenshots/."""


import pytest
from playwright.sync_api import expect

from consortium.models import Project
from partners.models import Partner
from reporting.models import ProgressReport

pytestmark = pytest.mark.browser


def ku_report() -> ProgressReport:
    ku = Partner.objects.get(project__acronym="ReproUnion", organisation__short_name="KU")
    return ProgressReport.objects.filter(partner=ku).order_by("-period__number").first()


def add_line(page, category: str, fields: dict[str, str]):
    page.locator("#add-line > summary").click()
    form = page.locator("#add-line form")
    form.get_by_label("Cost category").select_option(category)
    form.get_by_label("Currency").select_option("DKK")
    for label, value in fields.items():
        form.get_by_label(label).fill(value)
    form.get_by_role("button", name="Add line").click()
    expect(page.locator("#live")).to_contain_text("Line added")


def test_report_cycle_from_draft_to_approval(sign_in, live_server, screenshot, tmp_path):
    repro = Project.objects.get(acronym="ReproUnion")
    reporter = sign_in("reporter-ku")
    reporter.get_by_role("link", name="Report for period 3: start").click()
    reporter.get_by_role("button", name="Start report").click()
    expect(reporter.get_by_role("heading", name="Work packages")).to_be_visible()
    report = ku_report()
    assert (report.period.number, report.status) == (3, "draft")
    invoice_day = report.period.end_date.replace(day=1).isoformat()  # paid within the period

    add_line(reporter, "staff", {"Description": "Researcher, registry work", "Employee or role": "A. Kjær",
                                 "Annual gross employment cost": "612000.00", "Hours": "120"})
    staff = report.expenditures.get(cost_category="staff")
    expect(reporter.locator(f"#line-{staff.pk}")).to_contain_text("120.00 h × 355.81 DKK/h")
    expect(reporter.locator(f"#line-{staff.pk}")).to_contain_text("42697.20 DKK")
    add_line(reporter, "travel", {"Description": "Steering committee, Lund", "Supplier": "DSB",
                                  "Invoice number": "DSB-4471", "Invoice date": invoice_day,
                                  "Payment date": invoice_day, "Amount (when no invoice total is given)": "1245.50"})
    expect(reporter.locator("#summary")).to_contain_text("Provisional")
    travel = report.expenditures.get(cost_category="travel")
    reporter.locator(f"#line-{travel.pk}").get_by_role("link", name="Edit").click()
    invoice = tmp_path / "dsb-4471.pdf"
    invoice.write_bytes(b"%PDF-1.4\n% DSB invoice 4471\n")
    reporter.get_by_label("Invoice (PDF, office document or image)").set_input_files(str(invoice))
    reporter.get_by_role("button", name="Attach file").click()
    expect(reporter.locator("#live")).to_contain_text("Invoice attached: dsb-4471.pdf")

    # Submitting with no narratives lists every missing one at once, each linking to its field.
    reporter.get_by_role("button", name="Save and submit").click()
    problems = reporter.locator("#problems li a")
    required = reporter.locator("fieldset.wp-block.required")
    expect(problems).to_have_count(required.count())
    screenshot(reporter, "report-submit-errors")
    first_anchor = problems.first.get_attribute("href")
    problems.first.click()
    expect(reporter.locator(first_anchor)).to_be_in_viewport()

    for index in range(required.count()):
        required.nth(index).get_by_label("Narrative").fill(f"KU progressed as planned ({index + 1}).")
    reporter.get_by_label("Summary of the period").fill("Registry data model agreed with LU and Region H.")
    reporter.get_by_role("button", name="Save draft").first.click()
    expect(reporter.locator("#live")).to_contain_text("Draft saved")
    screenshot(reporter, "report-editor")
    reporter.get_by_role("button", name="Save and submit").click()
    expect(reporter.locator("#live")).to_contain_text("Report submitted")
    report.refresh_from_db()
    assert report.status == "submitted" and all(line.amount_eur for line in report.expenditures.all())

    mu = sign_in("mu")
    mu.goto(f"{live_server.url}/reviews/")
    mu.locator(f"#review-{report.pk}").get_by_role("link", name="Review").click()
    expect(mu.get_by_role("heading", name="History")).to_be_visible()
    screenshot(mu, "review-page")
    with mu.expect_download() as download:
        mu.get_by_role("link", name="dsb-4471.pdf").click()
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read() == invoice.read_bytes()
    mu.get_by_label("Comment to the partner").fill("Please split the travel cost between WP1 and WP2.")
    mu.get_by_role("button", name="Return to partner").click()
    expect(mu.locator("#live")).to_contain_text("returned")

    reporter.goto(f"{live_server.url}/")
    reporter.get_by_role("link", name="Report for period 3: returned — see comments").click()
    expect(reporter.locator("#review-comment")).to_contain_text("split the travel cost")
    reporter.get_by_label("Problems and deviations from the plan").fill("Travel split: WP1 60 %, WP2 40 %.")
    reporter.get_by_role("button", name="Save and submit").click()
    expect(reporter.locator("#live")).to_contain_text("Report submitted")

    mu.goto(f"{live_server.url}/reviews/")
    mu.locator(f"#review-{report.pk}").get_by_role("link", name="Review").click()
    mu.get_by_role("button", name="Approve").click()
    expect(mu.locator("#live")).to_contain_text("approved")
    report.refresh_from_db()
    assert report.status == "approved"

    mu.goto(f"{live_server.url}/projects/{repro.pk}/reports/")
    cell = mu.locator(f'a[href="/projects/{repro.pk}/reports/{report.pk}/"]')
    expect(cell).to_contain_text("Approved")
    reporter.goto(f"{live_server.url}/")
    # Period 3 approved, the open period is the running period 4: a draft can be started there.
    expect(reporter.get_by_role("link", name="Report for period 4: start")).to_be_visible()

    stranger = sign_in("reporter-lu")
    response = stranger.goto(f"{live_server.url}/projects/{repro.pk}/reports/{report.pk}/")
    assert response.status == 404
    expect(stranger.get_by_role("heading", name="Page not found")).to_be_visible()


def test_import_with_a_bad_row_shows_the_row_and_saves_nothing(sign_in, live_server, tmp_path):
    reporter = sign_in("reporter-ku")
    reporter.get_by_role("link", name="Report for period 3: start").click()
    reporter.get_by_role("button", name="Start report").click()
    bad = tmp_path / "lines.csv"
    bad.write_text("cost_category,work_package,description,supplier,invoice_number,invoice_date,payment_date,"
                   "amount,currency,employee,annual_gross_cost,hours,hourly_rate\n"
                   "travel,WP2,Taxi,Taxa,1,2026-01-05,2026-01-07,120.00,DKK,,,,\n"
                   "travel,WP2,Hotel,Scandic,2,2026-01-05,2026-01-07,1.200,50,DKK,,,,\n", encoding="utf-8")
    reporter.locator("#import > summary").click()
    reporter.get_by_label("CSV or XLSX file").set_input_files(str(bad))
    reporter.get_by_role("button", name="Import", exact=True).click()
    errors = reporter.locator("#import-errors tbody tr")
    expect(errors.first.locator("th")).to_have_text("3")
    assert ku_report().expenditures.count() == 0


def test_report_editor_fits_a_phone_screen(sign_in, live_server, screenshot):
    viewport = {"width": 390, "height": 844}
    reporter = sign_in("reporter-ku", viewport=viewport)
    reporter.get_by_role("link", name="Report for period 3: start").click()
    reporter.get_by_role("button", name="Start report").click()
    expect(reporter.get_by_role("heading", name="Expenditure")).to_be_visible()
    screenshot(reporter, "report-editor-phone")
    assert reporter.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
