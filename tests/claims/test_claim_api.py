"""Claims and payments through the API, and the claim's exports: the hand-computed case of
test_claim_services.py end to end, agreeing to the cent in the claim, the PDF, the XLSX and the payments endpoint.

KU (Danish, ERDF 60 %) certifies 1,000.00 EUR; OUS (Norwegian national funds 50 %, reporting in NOK) certifies
10,000.00 NOK. The programme accepts 900.00 EUR of KU's (co-financing 540.00) and all of OUS's (5,000.00 NOK);
it pays 540.00 EUR ERDF to the lead partner and 4,000.00 NOK to OUS directly; the lead partner passes 500.00 EUR
on to KU. So KU: claimed 600.00, accepted 540.00, received (passed on) 500.00, outstanding 40.00; OUS: claimed
5,000.00, accepted 5,000.00, received (paid directly) 4,000.00, outstanding 1,000.00 NOK; ERDF: received 540.00,
passed on 500.00, held by the lead partner 40.00, owed by the programme 0.00.
"""

from io import BytesIO

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from claims.export.collect import collect_claim
from claims.models import Claim
from reporting.models import ProjectReport
from tests import factories as f

D = __import__("decimal").Decimal

# partner -> (fund, currency, claimed, accepted, received, passed_on, paid_directly, outstanding): co-financing
EXPECTED = {
    "KU": ("erdf", "EUR", "600.00", "540.00", "500.00", "500.00", "0.00", "40.00"),
    "OUS": ("norwegian_national", "NOK", "5000.00", "5000.00", "4000.00", "0.00", "4000.00", "1000.00"),
}


@pytest.fixture
def case(world, ous, reporter_a, mu, controller_a, rates):
    partner_no, reporter_no = ous
    f.make_certified_report(world.partner_a, world.period1, reporter_a, mu, controller_a, D("1000.00"), "EUR",
                            world.wp1)
    f.make_certified_report(partner_no, world.period1, reporter_no, mu, controller_a, D("10000.00"), "NOK",
                            world.wp2)
    return partner_no, reporter_no


def _post(client, path, body=None):
    return client.post(path, body or {}, format="json")


@pytest.fixture
def paid(case, world, mu, api_client, mailoutbox):
    """The case through the API: claim created, submitted, verified, finalised, paid and passed on."""
    partner_no, _ = case
    client = api_client(mu)
    response = _post(client, "/api/claims/", {"project": world.project.pk, "period": world.period1.pk})
    assert response.status_code == 201, response.json()
    claim = response.json()
    assert response["ETag"] == f'"{claim["version"]}"'
    parts = {p["partner_name"]: p for p in claim["partners"]}
    assert (parts["KU"]["claimed"], parts["KU"]["claimed_cofinancing"], parts["KU"]["categories"]["external"]) == (
        "1000.00", "600.00", "1000.00")
    assert (parts["OUS"]["currency"], parts["OUS"]["claimed"], parts["OUS"]["claimed_cofinancing"]) == (
        "NOK", "10000.00", "5000.00")
    assert {(r["fund"], r["currency"]): r["requested"] for r in claim["funds"]} == {
        ("erdf", "EUR"): "600.00", ("norwegian_national", "NOK"): "5000.00"}
    assert claim["narrative"] is None  # the MU has not written period 1's project report
    url = f"/api/claims/{claim['id']}/"
    for step in ("submit", "verify"):
        assert _post(client, url + f"{step}/").status_code == 200
    # Less than claimed without a reason: 400 naming the item's field.
    refused = _post(client, url + "finalise/", {"accepted": [{"partner": world.partner_a.pk, "eligible": "900.00"}]})
    assert refused.status_code == 400 and "accepted[0].reason" in refused.json()["fields"]
    finalised = _post(client, url + "finalise/", {"accepted": [
        {"partner": world.partner_a.pk, "eligible": "900.00", "reason": "A study invoice was not accepted."}]})
    assert finalised.status_code == 200 and finalised.json()["status"] == "finalised"
    parts = {p["partner_name"]: p for p in finalised.json()["partners"]}
    assert (parts["KU"]["accepted"], parts["KU"]["accepted_cofinancing"], parts["KU"]["reason"]) == (
        "900.00", "540.00", "A study invoice was not accepted.")
    assert (parts["OUS"]["accepted"], parts["OUS"]["accepted_cofinancing"]) == ("10000.00", "5000.00")

    # ERDF in NOK is refused: the claim asks ERDF in EUR.
    wrong = _post(client, "/api/programme-payments/", {"claim": claim["id"], "fund": "erdf", "date": "2026-06-01",
                                                       "amount": "540.00", "currency": "NOK"})
    assert wrong.status_code == 400 and "currency" in wrong.json()["fields"]
    for body in ({"fund": "erdf", "date": "2026-06-01", "amount": "540.00", "currency": "EUR", "reference": "=1+1"},
                 {"fund": "norwegian_national", "partner": partner_no.pk, "date": "2026-06-02", "amount": "4000.00",
                  "currency": "NOK"}):
        response = _post(client, "/api/programme-payments/", {"claim": claim["id"], **body})
        assert response.status_code == 201, response.json()
    response = _post(client, "/api/partner-transfers/", {"claim": claim["id"], "partner": world.partner_a.pk,
                                                         "date": "2026-06-10", "amount": "500.00"})
    assert response.status_code == 201, response.json()
    return Claim.objects.get(pk=claim["id"])


def test_the_payments_endpoint_agrees_to_the_cent(paid, world, mu, api_client):
    body = api_client(mu).get(f"/api/projects/{world.project.pk}/payments/").json()
    rows = {row["partner_name"]: row for row in body["partners"]}
    for name, (fund, currency, claimed, accepted, received, passed_on, directly, outstanding) in EXPECTED.items():
        row = rows[name]
        assert (row["fund"], row["currency"], row["claimed"], row["accepted"], row["received"], row["passed_on"],
                row["paid_directly"], row["outstanding"]) == (fund, currency, claimed, accepted, received, passed_on,
                                                              directly, outstanding)
        assert [(c["number"], c["claimed"], c["accepted"], c["received"], c["outstanding"]) for c in row["claims"]] \
            == [(1, claimed, accepted, received, outstanding)]
    funds = {(row["fund"], row["currency"]): row for row in body["funds"]}
    erdf, norwegian = funds[("erdf", "EUR")], funds[("norwegian_national", "NOK")]
    assert (erdf["requested"], erdf["accepted"], erdf["received"], erdf["passed_on"], erdf["held"],
            erdf["outstanding"]) == ("600.00", "540.00", "540.00", "500.00", "40.00", "0.00")
    assert (norwegian["requested"], norwegian["accepted"], norwegian["received"], norwegian["paid_directly"],
            norwegian["held"], norwegian["outstanding"]) == ("5000.00", "5000.00", "4000.00", "4000.00", "0.00",
                                                             "1000.00")
    assert {(c["number"], c["fund"], c["outstanding"]) for c in body["claims"]} == {
        (1, "erdf", "0.00"), (1, "norwegian_national", "1000.00")}


def test_the_list_of_expenditure_holds_every_certified_line(paid, world, mu, api_client):
    body = api_client(mu).get(f"/api/claims/{paid.pk}/lines/").json()
    assert body["count"] == 2
    lines = {row["partner_name"]: row for row in body["results"]}
    assert (lines["KU"]["declared"], lines["KU"]["verified"], lines["KU"]["verified_claimed"],
            lines["KU"]["currency"]) == ("1000.00", "1000.00", "1000.00", "EUR")
    assert (lines["OUS"]["line_currency"], lines["OUS"]["verified"], lines["OUS"]["verified_claimed"]) == (
        "NOK", "10000.00", "10000.00")
    one = api_client(mu).get(f"/api/claims/{paid.pk}/lines/", {"partner": world.partner_a.pk, "page_size": 1})
    assert one.json()["count"] == 1
    assert api_client(mu).get(f"/api/claims/{paid.pk}/lines/", {"partner": "x"}).status_code == 400


def _pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages).split())


def _sheet_rows(content: bytes, sheet: str) -> list[tuple]:
    workbook = load_workbook(BytesIO(content))
    return list(workbook[sheet].iter_rows(min_row=2, values_only=True))


def test_the_pdf_and_the_workbook_agree_with_the_payments_endpoint(paid, world, mu, api_client):
    client = api_client(mu)
    ProjectReport.objects.create(project=world.project, period=world.period1, highlights="Registry pilot started.")
    assert client.get(f"/api/claims/{paid.pk}/").json()["narrative"]["highlights"] == "Registry pilot started."
    pdf = client.get(f"/api/claims/{paid.pk}.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert 'filename="ALPHA-claim-1-P1.pdf"' in pdf["Content-Disposition"]
    text = _pdf_text(pdf.content)
    for figure in ("Registry pilot started.", "1,000.00", "10,000.00", "600.00", "540.00", "500.00", "40.00",
                   "5,000.00", "4,000.00", "A study invoice was not accepted.", "List of expenditure",
                   "Payment status"):
        assert figure in text, figure

    # The dataclass the PDF draws, row by row.
    document = collect_claim(paid)
    status = {row.partner.split(" ", 1)[1]: row for row in document.payment_status}
    for name, (_fund, currency, claimed, accepted, received, passed_on, directly, outstanding) in EXPECTED.items():
        row = status[name]
        assert (row.currency, row.claimed, row.accepted, row.received, row.passed_on, row.paid_directly,
                row.outstanding) == (currency, D(claimed), D(accepted), D(received), D(passed_on), D(directly),
                                     D(outstanding))

    workbook = client.get(f"/api/claims/{paid.pk}.xlsx")
    assert workbook.status_code == 200
    rows = {row[0].split(" ", 1)[1]: row for row in _sheet_rows(workbook.content, "Payment status")
            if row[0] and row[0].startswith("PP")}
    for name, (_fund, currency, claimed, accepted, received, passed_on, directly, outstanding) in EXPECTED.items():
        assert rows[name][2:] == (currency, float(claimed), float(accepted), float(received), float(passed_on),
                                  float(directly), float(outstanding))
    co_financing = {row[0].split(" ", 1)[1]: row for row in _sheet_rows(workbook.content, "Co-financing")
                    if row[0] and row[0].startswith("PP")}
    assert co_financing["KU"][6:10] == (1000.0, 600.0, 900.0, 540.0)
    payments = _sheet_rows(workbook.content, "Payments")
    # A reference typed as a formula stays text.
    assert ("=1+1" in [row[5] for row in payments]) and workbook.content.count(b"<f>") == 0
    lines = [row for row in _sheet_rows(workbook.content, "Expenditure") if row[0] and row[0].startswith("PP")]
    assert sorted((row[0], row[11]) for row in lines) == [("PP1 KU", 1000.0), ("PP3 OUS", 10000.0)]


def test_a_reporter_sees_and_downloads_its_partners_part_only(paid, world, reporter_a, viewer, api_client):
    client = api_client(reporter_a)
    claim = client.get(f"/api/claims/{paid.pk}/").json()
    assert [p["partner_name"] for p in claim["partners"]] == ["KU"]
    assert claim["narrative"] is None  # the MU's narrative is not a reporter's to read
    assert [r["partner"] for r in claim["reports"]] == [world.partner_a.pk]
    assert [row["partner_name"] for row in client.get(f"/api/claims/{paid.pk}/lines/").json()["results"]] == ["KU"]
    payments = client.get(f"/api/projects/{world.project.pk}/payments/").json()
    assert [(row["partner_name"], row["received"]) for row in payments["partners"]] == [("KU", "500.00")]
    assert payments["funds"] == [] and payments["claims"] == []
    # The ERDF payment to the lead partner and the Norwegian one are not KU's; the transfer to KU is.
    assert client.get("/api/programme-payments/").json()["count"] == 0
    assert client.get("/api/partner-transfers/").json()["count"] == 1
    workbook = client.get(f"/api/claims/{paid.pk}.xlsx")
    assert workbook.status_code == 200
    partners = {row[0] for row in _sheet_rows(workbook.content, "Co-financing") if row[0] and row[1]}
    assert partners == {"PP1 KU"}
    assert "OUS" not in _pdf_text(client.get(f"/api/claims/{paid.pk}.pdf").content)
    # Viewers read nothing of money.
    assert api_client(viewer).get(f"/api/claims/{paid.pk}.pdf").status_code == 403
    assert api_client(viewer).get(f"/api/projects/{world.project.pk}/payments/").status_code == 403


def test_a_report_certified_late_is_in_exactly_one_claim(world, reporter_a, reporter_b, mu, controller_a, rates,
                                                         api_client):
    client = api_client(mu)
    f.make_certified_report(world.partner_a, world.period1, reporter_a, mu, controller_a, D("100.00"), "EUR",
                            world.wp1)
    first = _post(client, "/api/claims/", {"project": world.project.pk, "period": world.period1.pk}).json()
    assert _post(client, f"/api/claims/{first['id']}/submit/").status_code == 200
    # B's period-1 report is certified after claim 1 went out: claim 2 (period 2) takes it.
    late = f.make_certified_report(world.partner_b, world.period1, reporter_b, mu, controller_a, D("50.00"), "EUR",
                                   world.wp2)
    second = _post(client, "/api/claims/", {"project": world.project.pk, "period": world.period2.pk}).json()
    claims = [client.get(f"/api/claims/{c['id']}/").json() for c in (first, second)]
    holding = [c["number"] for c in claims if late.pk in [r["id"] for r in c["reports"]]]
    assert holding == [2]
    assert [r["period_number"] for r in claims[1]["reports"]] == [1]
    # Gathering again finds nothing: each report once. A sent claim gathers nothing (409).
    assert _post(client, f"/api/claims/{second['id']}/gather/").json()["reports"] == claims[1]["reports"]
    assert _post(client, f"/api/claims/{first['id']}/gather/").status_code == 409
    # No second claim for period 1, nothing left to claim for period 2.
    again = _post(client, "/api/claims/", {"project": world.project.pk, "period": world.period1.pk})
    assert again.status_code == 400 and "period" in again.json()["fields"]


def test_the_workflow_codes(case, world, mu, coordinator, api_client):
    client = api_client(mu)
    claim = _post(client, "/api/claims/", {"project": world.project.pk, "period": world.period1.pk}).json()
    url = f"/api/claims/{claim['id']}/"
    assert _post(client, url + "verify/").status_code == 409  # a draft is not being verified
    assert _post(client, url + "finalise/").status_code == 409
    assert _post(api_client(coordinator), url + "submit/").status_code == 403
    assert _post(client, url + "submit/").status_code == 200
    assert client.delete(url).status_code == 409  # a sent claim stays
    assert client.patch(url, {"period": world.period2.pk}, format="json").status_code == 405
    returned = _post(client, url + "return/", {"comment": ""})
    assert returned.status_code == 400 and "comment" in returned.json()["fields"]
    returned = _post(client, url + "return/", {"comment": "Sign the cover page."})
    assert (returned.json()["status"], returned.json()["return_comment"]) == ("draft", "Sign the cover page.")
    # Payments are recorded against a finalised claim only.
    payment = _post(client, "/api/programme-payments/", {"claim": claim["id"], "fund": "erdf", "date": "2026-06-01",
                                                         "amount": "1.00", "currency": "EUR"})
    assert payment.status_code == 409
