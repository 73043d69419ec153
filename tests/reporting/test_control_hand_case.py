"""The hand-computed case of first-level control: the same figures, to the cent, in the API's summary, the
certificate (XLSX and PDF) and the funder report.

Partner A (ERDF 60 %) claims office & administration as 15 % of its staff costs. Its report, all in EUR:

    staff    S1  120 h × 41.67 = 5,000.40     cut by 1,000.00 (calculation)      → 4,000.40
    staff    S2   77 h × 50.13 = 3,860.01     verified                           → 3,860.01
    travel   T1                  1,234.56     verified                           → 1,234.56
    external E1                  2,000.00     verified                           → 2,000.00
    external E2                  3,333.33     deducted entirely (ineligible)     →     0.00

    declared: staff 8,860.41; office 15 % × 8,860.41 = 1,329.0615 → 1,329.06 (down);
              eligible 8,860.41 + 1,329.06 + 1,234.56 + 5,333.33 = 16,757.36
    verified: staff 7,860.41; office 15 % × 7,860.41 = 1,179.0615 → 1,179.06 (down);
              total 7,860.41 + 1,179.06 + 1,234.56 + 2,000.00 = 12,274.03
    deducted: 1,000.00 + 3,333.33 + (1,329.06 − 1,179.06 = 150.00) = 4,483.33 (= 16,757.36 − 12,274.03)
    co-financing on the verified amount: 60 % × 12,274.03 = 7,364.418 → 7,364.41 (down)
"""

import re
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from reporting import services
from reporting.funder_report.collect import collect_funder_report
from reporting.models import Expenditure, LineControl

VERIFIED_TOTAL, DEDUCTED_TOTAL, COFINANCING = "12274.03", "4483.33", "7364.41"


def _line(report, user, category, description, **figures):
    return services.expenditure_add(report=report, user=user, data={
        "cost_category": category, "description": description, "payment_date": date(2025, 3, 9), **figures})


def _invoice(amount):
    return {"supplier": "ACME", "invoice_number": "1", "invoice_date": date(2025, 3, 2), "amount": Decimal(amount),
            "currency": "EUR"}


@pytest.fixture
def certified_case(world, reporter_a, mu, controller_a, rates, api_client):
    partner = world.partner_a
    partner.office_option, partner.office_flat_rate = "flat_staff", Decimal("15")
    partner.save()
    report = services.report_create(partner=partner, period=world.period1, user=reporter_a)
    services.report_update(report=report, expected_version=report.version, user=reporter_a, data={
        "summary": "Year one.", "work_package_progress": [
            {"work_package": world.wp1, "narrative": "Done.", "objective_status": "partly"}]})
    lines = {
        "S1": _line(report, reporter_a, "staff", "Researcher", employee="A. Researcher", hours=Decimal("120"),
                    hourly_rate=Decimal("41.67")),
        "S2": _line(report, reporter_a, "staff", "Technician", employee="B. Technician", hours=Decimal("77"),
                    hourly_rate=Decimal("50.13")),
        "T1": _line(report, reporter_a, "travel", "Flights to Lund", **_invoice("1234.56")),
        "E1": _line(report, reporter_a, "external", "Survey", **_invoice("2000.00")),
        "E2": _line(report, reporter_a, "external", "Catering", **_invoice("3333.33")),
    }
    assert (lines["S1"].amount, lines["S2"].amount) == (Decimal("5000.40"), Decimal("3860.01"))
    services.report_submit(report=report, user=reporter_a, notify=False)
    services.report_approve(report=report, user=mu, notify=False)

    client = api_client(controller_a)
    assert client.post(f"/api/progress-reports/{report.pk}/control/start/").status_code == 200
    for key, body in (("S1", {"verified_amount": "4000.40", "deduction_type": "calculation",
                              "comment": "Hours above the time sheet."}),
                      ("E2", {"verified_amount": "0.00", "deduction_type": "ineligible",
                              "comment": "Catering is not in the application."})):
        control = LineControl.objects.get(expenditure=lines[key])
        response = client.patch(f"/api/expenditures/{lines[key].pk}/control/", body, format="json",
                                HTTP_IF_MATCH=f'"{control.version}"')
        assert response.status_code == 200, response.json()
    rest = [LineControl.objects.get(expenditure=lines[k]).pk for k in ("S2", "T1", "E1")]
    assert client.post(f"/api/progress-reports/{report.pk}/control/verify/", {"ids": rest},
                       format="json").status_code == 200
    assert client.post(f"/api/progress-reports/{report.pk}/certify/").status_code == 200
    report.refresh_from_db()
    return report, lines


def test_the_api_summary_holds_the_hand_figures(certified_case, reporter_a, api_client):
    report, _lines = certified_case
    summary = api_client(reporter_a).get(f"/api/progress-reports/{report.pk}/summary/").json()
    assert (summary["status"], summary["eligible_total"]) == ("certified", "16757.36")
    assert (summary["verified_total"], summary["deducted_total"], summary["parked_total"]) == (
        VERIFIED_TOTAL, DEDUCTED_TOTAL, "0.00")
    assert summary["verified_cofinancing"] == [{"funding_source": "erdf", "rate": "60.00", "amount": COFINANCING}]
    assert summary["cofinancing"][0]["amount"] == "10054.41"  # the declared figure stays beside it
    by_category = {c["cost_category"]: c for c in summary["categories"]}
    assert (by_category["staff"]["verified"], by_category["staff"]["deducted"]) == ("7860.41", "1000.00")
    assert (by_category["office_admin"]["total"], by_category["office_admin"]["verified"]) == ("1329.06", "1179.06")
    assert (by_category["external"]["verified"], by_category["external"]["deducted"]) == ("2000.00", "3333.33")
    assert by_category["travel"]["verified"] == "1234.56"
    assert [(f["flat_rate"], f["base"], f["amount"]) for f in summary["verified_flat_rates"]] == [
        ("office", "7860.41", "1179.06")]


def test_the_certificate_holds_the_hand_figures(certified_case, controller_a, mu, reporter_a, coordinator,
                                                api_client):
    report, lines = certified_case
    for user in (controller_a, mu, reporter_a, coordinator):
        assert api_client(user).get(f"/api/progress-reports/{report.pk}/certificate.xlsx").status_code == 200
    response = api_client(controller_a).get(f"/api/progress-reports/{report.pk}/certificate.xlsx")
    workbook = load_workbook(BytesIO(b"".join(response.streaming_content) if response.streaming else
                                     response.content))
    sheet = workbook["Lines"]
    header = [c.value for c in sheet[1]]
    rows = {row[0]: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)
            if row[0] is not None}
    s1, e2 = rows[lines["S1"].pk], rows[lines["E2"].pk]
    assert (s1["Declared"], s1["Verified"], s1["Deducted"]) == (5000.40, 4000.40, 1000.00)
    assert (e2["Verified"], e2["Deducted"], e2["Deduction type"]) == (0, 3333.33, "Ineligible expenditure")
    assert e2["Comment"] == "Catering is not in the application."
    totals = {row[0]: row for row in workbook["Totals EUR"].iter_rows(min_row=2, values_only=True) if row[0]}
    assert totals["Total"][1:4] == (16757.36, 12274.03, 4483.33)
    assert totals["Office & administration flat rate (15.00 %)"][1:4] == (1329.06, 1179.06, 150.00)
    cofinancing = list(workbook["Co-financing EUR"].iter_rows(min_row=2, max_row=2, values_only=True))[0]
    assert cofinancing[2:4] == (12274.03, 7364.41)

    from pypdf import PdfReader

    pdf = api_client(controller_a).get(f"/api/progress-reports/{report.pk}/certificate.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages))
    for figure in ("16,757.36", "12,274.03", "4,483.33", "7,364.41", "1,179.06", "Catering is not in the application",
                   "controller-a", "Ineligible expenditure", "Calculation error"):
        assert figure in text, figure


def test_the_funder_report_counts_the_certified_figures(certified_case, world):
    report, _lines = certified_case
    funder = collect_funder_report(world.project, world.period1)
    partner = next(r for r in funder.cofinancing if r.partner.startswith("PP1"))
    assert (partner.eligible_cumulative, partner.cofinancing_cumulative) == (Decimal(VERIFIED_TOTAL),
                                                                             Decimal(COFINANCING))
    rows = {(r.partner[:3], r.cost_category): r for r in funder.control}
    staff = rows[("PP1", "Staff")]
    assert (staff.declared, staff.verified, staff.deducted) == (Decimal("8860.41"), Decimal("7860.41"),
                                                                Decimal("1000.00"))
    total = rows[("PP1", "All categories")]
    assert (total.declared, total.verified, total.deducted) == (Decimal("16757.36"), Decimal(VERIFIED_TOTAL),
                                                                Decimal(DEDUCTED_TOTAL))
    office = rows[("PP1", "Office & administration")]
    assert (office.declared, office.verified, office.deducted) == (Decimal("1329.06"), Decimal("1179.06"),
                                                                   Decimal("150.00"))
    finances = {(r.partner[:3], r.cost_category): r for r in funder.finances}
    assert finances[("PP1", "All categories")].cumulative == Decimal(VERIFIED_TOTAL)
    assert "certified" in funder.money_basis
    assert next(r for r in funder.reports if r.partner.startswith("PP1")).counted
    # What the renderer writes is what the dataclass holds: the XLSX's control sheet, read back.
    from reporting.funder_report.xlsx import render_xlsx

    sheet = load_workbook(BytesIO(render_xlsx(funder)))["Control"]
    cells = {(row[0], row[1]): row for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]}
    assert cells[("PP1 KU", "All categories")][2:6] == (16757.36, 12274.03, 4483.33, 0)


def test_approved_and_in_control_amounts_are_shown_apart_and_not_counted(certified_case, world, reporter_b, mu,
                                                                          controller_b, rates):
    report = services.report_create(partner=world.partner_b, period=world.period1, user=reporter_b)
    services.report_update(report=report, expected_version=report.version, user=reporter_b, data={
        "work_package_progress": [{"work_package": world.wp2, "narrative": "Done.", "objective_status": "fully"}]})
    _line(report, reporter_b, "external", "Survey", **_invoice("500.00"))
    services.report_submit(report=report, user=reporter_b, notify=False)
    services.report_approve(report=report, user=mu, notify=False)
    funder = collect_funder_report(world.project, world.period1)
    assert [(r.partner[:3], r.status, r.eligible_cumulative) for r in funder.pending] == [
        ("PP2", "Approved", Decimal("500.00"))]
    figures = {f.label: f.value for f in funder.key_figures}
    assert figures["Approved, awaiting control, declared (EUR; not counted above)"] == Decimal("500.00")
    services.control_start(report=report, user=controller_b, notify=False)
    funder = collect_funder_report(world.project, world.period1)
    assert [(r.partner[:3], r.status) for r in funder.pending] == [("PP2", "In control")]
    total = next(r for r in funder.finances if r.partner == "Total")
    assert total.cumulative == Decimal(VERIFIED_TOTAL)  # partner B's 500.00 is not certified: not counted
    assert next(r for r in funder.reports if r.partner.startswith("PP2")).counted is False


def test_a_norwegian_certificate_is_in_nok_then_converted_to_eur(world, rates, mu, api_client):
    from consortium.models import Role
    from tests import factories as f

    reporter = f.make_user("reporter-no")
    f.add_member(reporter, world.project, Role.REPORTER, partner=world.partner_no)
    controller = f.make_user("controller-no")
    f.add_member(controller, world.project, Role.CONTROLLER, controlled_partners=[world.partner_no])
    partner = world.partner_no
    partner.reporting_currency = "NOK"
    partner.save()
    report = services.report_create(partner=partner, period=world.period1, user=reporter)
    services.report_update(report=report, expected_version=report.version, user=reporter, data={
        "work_package_progress": [{"work_package": world.wp2, "narrative": "Done.", "objective_status": "fully"}]})
    services.expenditure_add(report=report, user=reporter, data={
        "cost_category": "external", "description": "Survey", "supplier": "Norstat", "invoice_number": "7",
        "invoice_date": date(2025, 3, 2), "payment_date": date(2025, 3, 9), "amount": Decimal("11700.00"),
        "currency": "NOK"})
    services.report_submit(report=report, user=reporter, notify=False)
    services.report_approve(report=report, user=mu, notify=False)
    services.control_start(report=report, user=controller, notify=False)
    control = LineControl.objects.get(expenditure__report=report)
    services.line_control_update(control=control, expected_version=control.version, user=controller,
                                 data={"verified_amount": Decimal("5850.00"), "deduction_type": "evidence"})
    services.report_certify(report=report, user=controller, notify=False)
    response = api_client(controller).get(f"/api/progress-reports/{report.pk}/certificate.xlsx")
    workbook = load_workbook(BytesIO(response.content))
    nok = {row[0]: row for row in workbook["Totals NOK"].iter_rows(min_row=2, values_only=True) if row[0]}
    eur = {row[0]: row for row in workbook["Totals EUR"].iter_rows(min_row=2, values_only=True) if row[0]}
    assert nok["Total"][1:4] == (11700, 5850, 5850)  # NOK: 11,700.00 declared, half verified
    assert eur["Total"][1:4] == (1000, 500, 500)  # at the frozen 11.7000 NOK per EUR
    cofinancing = list(workbook["Co-financing NOK"].iter_rows(min_row=2, max_row=2, values_only=True))[0]
    assert cofinancing[2:4] == (5850, 2925)  # Norwegian funds 50 %


def test_a_parked_line_is_listed_on_the_certificate_that_parked_it(in_control, expense, controller_a, api_client):
    from pypdf import PdfReader

    control = LineControl.objects.get(expenditure=expense)
    services.line_control_update(control=control, expected_version=control.version, user=controller_a,
                                 data={"parked": True, "comment": "The hotel invoice is missing."})
    draft = api_client(controller_a).get(f"/api/progress-reports/{in_control.pk}/certificate.pdf")
    assert "DRAFT" in PdfReader(BytesIO(draft.content)).pages[0].extract_text()
    services.report_certify(report=in_control, user=controller_a, notify=False)
    pdf = api_client(controller_a).get(f"/api/progress-reports/{in_control.pk}/certificate.pdf")
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(BytesIO(pdf.content)).pages))
    assert "Parked lines" in text and "The hotel invoice is missing." in text and "DRAFT" not in text
    workbook = load_workbook(BytesIO(api_client(controller_a).get(
        f"/api/progress-reports/{in_control.pk}/certificate.xlsx").content))
    row = next(r for r in workbook["Lines"].iter_rows(min_row=2, values_only=True) if r[0] == expense.pk)
    assert (row[7], row[8], row[9], row[10]) == (745, None, 0, 745)  # declared, verified, deducted, parked (DKK)


@pytest.mark.parametrize("lines", [1, 12])
def test_the_certificate_costs_the_same_queries_whatever_its_lines(lines, in_control, expense, controller_a,
                                                                    api_client, django_assert_num_queries):
    report = in_control
    controls = list(LineControl.objects.filter(expenditure__report=report))
    for n in range(lines - 1):  # more lines, verified with the first (added directly: the report is in control)
        line = Expenditure.objects.create(report=report, cost_category="external", description=f"Extra {n}",
                                          amount=Decimal("10.00"), currency="EUR", amount_eur=Decimal("10.00"))
        controls.append(LineControl.objects.create(expenditure=line))
    services.lines_verify_as_declared(report=report, control_ids=[c.pk for c in controls], user=controller_a)
    client = api_client(controller_a)
    # The permission lookups and the downloader's language, then collect_certificate: the report with its partner,
    # project, programme and people, its controls (twice: for the figures, then with each line's report and lump
    # sum for the list), its lines and its lump sums for the summary — never a query per line.
    with django_assert_num_queries(CERTIFICATE_QUERIES):
        assert client.get(f"/api/progress-reports/{report.pk}/certificate.xlsx").status_code == 200


CERTIFICATE_QUERIES = 10
