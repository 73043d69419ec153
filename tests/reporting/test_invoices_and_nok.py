"""Hand-computed cases of issue 16, end to end: an invoice line with VAT and a declared share, and a Norwegian
partner reporting in NOK. Each figure is worked out in a comment and must equal, to the cent, the API's summary,
the funder report's dataclass, its XLSX cells and its PDF text.
"""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from partners import services as partner_services
from reporting import services
from reporting.funder_report.collect import collect_funder_report
from reporting.funder_report.pdf import render_pdf
from reporting.funder_report.xlsx import render_xlsx
from reporting.models import ExchangeRate, ProgressReport
from reporting.money import invoice_declared_amount
from tests import factories as f
from tests.reporting.helpers import certify_as_declared

D = Decimal


def xlsx_rows(funder, sheet: str) -> list[tuple]:
    workbook = load_workbook(BytesIO(render_xlsx(funder)))
    return [row for row in workbook[sheet].iter_rows(min_row=2, values_only=True) if row[0]]


def pdf_text(funder) -> str:
    return " ".join(page.extract_text() for page in PdfReader(BytesIO(render_pdf(funder))).pages)


def money(cell) -> Decimal:
    return D(str(cell)).quantize(D("0.01"))


# --- the invoice ---------------------------------------------------------------------------------------------

def test_invoice_with_recoverable_vat_at_a_share_computes_half_up_once():
    # VAT included at 25 %: 12,500.00 × 25 / 125 = 2,500.00. Recoverable, so never declared:
    # (12,500.00 − 2,500.00) × 30 % = 10,000.00 × 0.30 = 3,000.00 DKK.
    result = invoice_declared_amount(invoice_total=D("12500.00"), vat_amount=D("2500.00"), vat_recoverable=True,
                                     declared_share=D("30.00"))
    assert result.amount == D("3000.00")
    assert result.computation == "(12,500.00 − 2,500.00 recoverable VAT) × 30.00 % = 3,000.00"
    # The same VAT, not recoverable, is a cost: 12,500.00 × 30 % = 3,750.00.
    assert invoice_declared_amount(invoice_total=D("12500.00"), vat_amount=D("2500.00"), vat_recoverable=False,
                                   declared_share=D("30.00")).amount == D("3750.00")
    # Half-up once, at the end: (1,000.01 − 0) × 33.33 % = 333.303333 → 333.30; 100.05 × 50 % = 50.025 → 50.03.
    assert invoice_declared_amount(invoice_total=D("1000.01"), declared_share=D("33.33")).amount == D("333.30")
    assert invoice_declared_amount(invoice_total=D("100.05"), declared_share=D("50.00")).amount == D("50.03")


def test_invoice_line_of_dkk_12500_with_recoverable_vat_at_30_percent_end_to_end(world, reporter_a, mu, api_client,
                                                                                 rates):
    client = api_client(reporter_a)
    report = client.post("/api/progress-reports/", {
        "partner": world.partner_a.pk, "period": world.period1.pk,
        "work_package_progress": [{"work_package": world.wp1.pk, "narrative": "Done."}]}, format="json").json()
    response = client.post("/api/expenditures/", {
        "report": report["id"], "cost_category": "equipment", "description": "Laptop, 30 % for the project",
        "supplier": "Elgiganten A/S", "invoice_total": "12500.00", "vat_amount": "2500.00", "vat_recoverable": True,
        "declared_share": "30.00", "currency": "DKK"}, format="json")
    assert response.status_code == 201, response.json()
    line = response.json()
    assert (line["amount"], line["invoice_total"], line["vat_amount"], line["declared_share"]) == (
        "3000.00", "12500.00", "2500.00", "30.00")
    assert line["computation"] == "(12,500.00 − 2,500.00 recoverable VAT) × 30.00 % = 3,000.00"
    assert client.post(f"/api/progress-reports/{report['id']}/submit/").status_code == 200
    assert api_client(mu).post(f"/api/progress-reports/{report['id']}/approve/", {}).status_code == 200

    # EUR = 3,000.00 DKK ÷ 7.4600 = 402.14477… → 402.14 (half-up). KU's office flat rate is 15 % of staff costs,
    # and there are none: 0.00. Eligible 402.14; ERDF 60 %: 241.284 → 241.28 (down).
    line = client.get(f"/api/expenditures/{line['id']}/").json()
    assert (line["exchange_rate"], line["amount_eur"]) == ("7.4600", "402.14")
    summary = client.get(f"/api/progress-reports/{report['id']}/summary/").json()
    equipment = next(c for c in summary["categories"] if c["cost_category"] == "equipment")
    assert (equipment["declared"], summary["eligible_total"], summary["cofinancing"][0]["amount"]) == (
        "402.14", "402.14", "241.28")
    assert summary["currency"] == "EUR" and summary["converted"] is None

    certify_as_declared(ProgressReport.objects.get(pk=report["id"]))  # the funder report counts certified money
    funder = collect_funder_report(world.project, world.period1)
    ku = next(r for r in funder.finances if r.partner == "PP1 KU" and r.cost_category == "Equipment")
    assert (ku.this_period, ku.cumulative) == (D("402.14"), D("402.14"))
    ku_cofinancing = next(r for r in funder.cofinancing if r.partner == "PP1 KU")
    assert (ku_cofinancing.eligible_cumulative, ku_cofinancing.cofinancing_cumulative) == (D("402.14"), D("241.28"))
    cells = next(r for r in xlsx_rows(funder, "Co-financing") if r[0] == "PP1 KU")
    assert (money(cells[5]), money(cells[6]), cells[7]) == (D("402.14"), D("241.28"), "EUR")
    text = pdf_text(funder)
    assert "402.14" in text and "241.28" in text


def test_invoice_figures_are_checked_and_an_amount_alone_is_an_invoice_without_vat(world, reporter_a, api_client):
    client = api_client(reporter_a)
    report = client.post("/api/progress-reports/", {"partner": world.partner_a.pk, "period": world.period1.pk},
                         format="json").json()
    refused = client.post("/api/expenditures/", {
        "report": report["id"], "cost_category": "external", "description": "Too much VAT",
        "invoice_total": "100.00", "vat_amount": "120.00", "currency": "EUR"}, format="json")
    assert refused.status_code == 400 and "vat_amount" in refused.json()["fields"]
    short = client.post("/api/expenditures/", {"report": report["id"], "cost_category": "external",
                                               "description": "Consultant", "amount": "1234.50",
                                               "currency": "EUR"}, format="json").json()
    assert (short["invoice_total"], short["vat_amount"], short["vat_recoverable"], short["declared_share"],
            short["amount"]) == ("1234.50", "0.00", False, "100.00", "1234.50")
    changed = client.patch(f"/api/expenditures/{short['id']}/", {"declared_share": "50.00",
                                                                  "version": short["version"]}, format="json")
    assert changed.json()["amount"] == "617.25"  # 1,234.50 × 50 % = 617.25


# --- the Norwegian partner -----------------------------------------------------------------------------------

@pytest.fixture
def ous_in_nok(world, mu):
    """OUS (PP3, Norwegian national funds 50 %) budgets and reports in NOK; its budget was approved in January 2025
    at NOK 11.6000 per EUR."""
    partner = world.partner_no
    partner = partner_services.partner_update(partner=partner, expected_version=partner.version, data={
        "reporting_currency": "NOK", "budget_approved_month": date(2025, 1, 1)})
    f.make_budget_line(partner, "staff", D("700000.00"))
    f.make_budget_line(partner, "external", D("120000.00"))
    ExchangeRate.objects.create(currency="NOK", month=date(2025, 1, 1), rate=D("11.6000"))
    reporter = f.make_user("reporter-ous")
    f.add_member(reporter, world.project, "reporter", partner=partner)
    return partner, reporter


def test_nok_partner_reports_in_nok_and_counts_converted_in_the_project_totals(world, ous_in_nok, mu, api_client,
                                                                               rates):
    partner, reporter = ous_in_nok
    client = api_client(reporter)
    report = client.post("/api/progress-reports/", {
        "partner": partner.pk, "period": world.period1.pk,
        "work_package_progress": [{"work_package": world.wp2.pk, "narrative": "Biobank analyses."}]},
        format="json").json()
    staff = client.post("/api/expenditures/", {
        "report": report["id"], "cost_category": "staff", "description": "Researcher", "employee": "I. Haugen",
        "staff_method": "full_time", "monthly_gross_cost": "62500.00", "months": "2", "currency": "NOK"},
        format="json")
    assert staff.status_code == 201, staff.json()
    invoice = client.post("/api/expenditures/", {
        "report": report["id"], "cost_category": "external", "description": "Sequencing", "supplier": "Norgen AS",
        "invoice_total": "10000.00", "vat_amount": "2000.00", "vat_recoverable": False, "declared_share": "100.00",
        "currency": "NOK"}, format="json")
    assert invoice.status_code == 201, invoice.json()
    in_eur = client.post("/api/expenditures/", {"report": report["id"], "cost_category": "external",
                                                "description": "In EUR", "amount": "10.00", "currency": "EUR"},
                         format="json")
    assert in_eur.status_code == 400 and "currency" in in_eur.json()["fields"]
    assert client.post(f"/api/progress-reports/{report['id']}/submit/").status_code == 200
    assert api_client(mu).post(f"/api/progress-reports/{report['id']}/approve/", {}).status_code == 200

    # In NOK, no conversion: staff 62,500.00 × 2 months = 125,000.00; external 10,000.00 (its VAT is not
    # recoverable, so it stays in); office 15 % × 125,000.00 = 18,750.00. Eligible 125,000.00 + 10,000.00 +
    # 18,750.00 = 153,750.00; Norwegian funds 50 %: 76,875.00.
    summary = client.get(f"/api/progress-reports/{report['id']}/summary/").json()
    assert summary["currency"] == "NOK"
    assert (summary["declared_total"], summary["flat_rate_total"], summary["eligible_total"]) == (
        "135000.00", "18750.00", "153750.00")
    assert summary["cofinancing"][0] == {"funding_source": "norwegian_national", "rate": "50.00",
                                         "amount": "76875.00"}
    # Converted for the project's EUR totals, each line at its frozen rate (NOK 11.7000 this month):
    # 125,000.00 ÷ 11.7 = 10,683.760… → 10,683.76; 10,000.00 ÷ 11.7 = 854.700… → 854.70;
    # office 15 % × 10,683.76 = 1,602.564 → 1,602.56; eligible 10,683.76 + 854.70 + 1,602.56 = 13,141.02;
    # 50 %: 6,570.51.
    converted = summary["converted"]
    assert converted["currency"] == "EUR" and converted["label"].startswith("Converted from NOK")
    assert (converted["declared_total"], converted["eligible_total"], converted["cofinancing"][0]["amount"]) == (
        "11538.46", "13141.02", "6570.51")

    certify_as_declared(ProgressReport.objects.get(pk=report["id"]))  # the funder report counts certified money
    funder = collect_funder_report(world.project, world.period1)
    # OUS's own rows in NOK: budget 700,000.00 + 120,000.00 = 820,000.00 NOK.
    ous = [r for r in funder.finances if r.partner == "PP3 OUS"]
    total_nok = next(r for r in ous if r.is_total)
    assert (total_nok.currency, total_nok.budget, total_nok.cumulative) == ("NOK", D("820000.00"), D("153750.00"))
    # Converted: the budget at January 2025's rate, 820,000.00 ÷ 11.6 = 70,689.655… → 70,689.66; the costs are the
    # converted summary's 13,141.02.
    in_eur_row = next(r for r in ous if r.currency == "EUR")
    assert (in_eur_row.budget, in_eur_row.this_period, in_eur_row.cumulative) == (
        D("70689.66"), D("13141.02"), D("13141.02"))
    project_total = funder.finances[-1]
    assert (project_total.budget, project_total.cumulative) == (D("70689.66"), D("13141.02"))
    cofinancing = {(r.partner, r.currency): r for r in funder.cofinancing}
    assert (cofinancing[("PP3 OUS", "NOK")].eligible_cumulative,
            cofinancing[("PP3 OUS", "NOK")].cofinancing_cumulative) == (D("153750.00"), D("76875.00"))
    assert (cofinancing[("PP3 OUS", "EUR")].eligible_cumulative,
            cofinancing[("PP3 OUS", "EUR")].cofinancing_cumulative) == (D("13141.02"), D("6570.51"))
    figures = {k.label: k.value for k in funder.key_figures}
    assert figures["Co-financing, cumulative (EUR; NOK converted)"] == D("6570.51")
    assert figures["Eligible costs reported, cumulative (EUR; NOK converted)"] == D("13141.02")
    assert figures["Total budget (EUR; NOK budgets converted)"] == D("70689.66")
    norwegian = next(s for s in funder.funding_sources if s.currency == "NOK")
    assert norwegian.cofinancing_cumulative == D("76875.00")
    budget_rate = next(r for r in funder.exchange_rates if r.used_for == "Budget of PP3 OUS")
    assert (budget_rate.month, budget_rate.rate) == (date(2025, 1, 1), D("11.6000"))

    cells = [r for r in xlsx_rows(funder, "Co-financing") if r[0] == "PP3 OUS"]
    assert {(r[7], money(r[5]), money(r[6])) for r in cells} == {
        ("NOK", D("153750.00"), D("76875.00")), ("EUR", D("13141.02"), D("6570.51"))}
    finance_cells = [r for r in xlsx_rows(funder, "Finances") if r[0] == "PP3 OUS"]
    assert ("EUR", D("70689.66"), D("13141.02")) in {(r[7], money(r[2]), money(r[4])) for r in finance_cells}
    text = pdf_text(funder)
    for figure in ("153,750.00", "76,875.00", "13,141.02", "6,570.51", "70,689.66", "820,000.00"):
        assert figure in text, figure


def test_nok_partner_cannot_take_a_lump_sum_share_or_change_currency_once_submitted(world, ous_in_nok, mu,
                                                                                   api_client, rates):
    partner, reporter = ous_in_nok
    refused = api_client(mu).post("/api/lump-sums/", {
        "project": world.project.pk, "name": "Pilot", "amount": "1000.00", "period": world.period1.pk,
        "shares": [{"partner": partner.pk, "amount": "1000.00"}]}, format="json")
    assert refused.status_code == 400 and "shares[0].partner" in refused.json()["fields"]
    report = services.report_create(partner=partner, period=world.period1, user=reporter)
    services.report_update(report=report, expected_version=report.version, user=reporter, data={
        "work_package_progress": [{"work_package": world.wp2, "narrative": "Done."}]})
    services.expenditure_add(report=report, user=reporter, data={"cost_category": "external", "description": "X",
                                                                 "amount": D("100.00"), "currency": "NOK"})
    services.report_submit(report=report, user=reporter, notify=False)
    partner.refresh_from_db()
    response = api_client(mu).patch(f"/api/partners/{partner.pk}/", {"reporting_currency": "EUR",
                                                                      "version": partner.version}, format="json")
    assert response.status_code == 409
