"""On the demo data, every money figure of the funder report equals what the API says.

The API side is summed from `GET /api/progress-reports/{id}/summary/` of the certified reports (their verified
figures: money follows the certificate), as an
API client would do it; the report side is read back from the downloaded XLSX cells and the PDF's
extracted text, not from the dataclass, so a renderer that drew a wrong number would fail here.
"""

from collections import defaultdict
from decimal import Decimal
from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook
from pypdf import PdfReader

from partners.models import CostCategory
from reporting.funder_report.collect import LUMP_SUMS, OTHER_COSTS
from reporting.funder_report.tables import format_money
from reporting.models import ProgressReport

LABELS = dict(CostCategory.choices)


@pytest.fixture
def latest_period(demo):
    """The latest period of the demo's ReproUnion that has certified reports: its cumulative figures cover the most."""
    report = (ProgressReport.objects.filter(partner__project=demo, status="certified")
              .order_by("-period__number").first())
    assert report is not None, "the demo certifies reports (demo.reports.CONTROLS)"
    return report.period


def api_totals(client, project, period):
    """(partner label, category label) -> (this period, cumulative), and partner -> co-financing, from the API."""
    partners = {p["id"]: f'{p["code"]} {p["organisation"]["short_name"]}'
                for p in client.get(f"/api/partners/?project={project.pk}&page_size=500").json()["results"]}
    numbers = {p["id"]: p["number"]
               for p in client.get(f"/api/reporting-periods/?project={project.pk}").json()["results"]}
    reports = client.get(f"/api/progress-reports/?project={project.pk}&status=certified&page_size=500").json()
    money = defaultdict(lambda: [Decimal(0), Decimal(0)])
    cofinancing = defaultdict(lambda: [Decimal(0), Decimal(0)])
    flat_rates = defaultdict(lambda: [Decimal(0), Decimal(0)])  # (partner, flat rate name) -> amounts
    for report in reports["results"]:
        number = numbers[report["period"]]
        if number > period.number:
            continue
        summary = client.get(f"/api/progress-reports/{report['id']}/summary/").json()
        assert summary["provisional"] is False  # certified reports have frozen rates
        label = partners[report["partner"]]
        items = [(str(LABELS[c["cost_category"]]), Decimal(c["verified"])) for c in summary["categories"]]
        other_costs = [f["amount"] for f in summary["verified_flat_rates"] if f["flat_rate"] == "other_costs"]
        items += [(OTHER_COSTS, Decimal(other_costs[0] if other_costs else 0)),
                  (LUMP_SUMS, Decimal(summary["lump_sums_verified"]))]
        for row_label, total in items:
            entry = money[(label, row_label)]
            entry[1] += total
            if number == period.number:
                entry[0] += total
        for flat in summary["verified_flat_rates"]:
            entry = flat_rates[(label, flat["flat_rate"])]
            entry[1] += Decimal(flat["amount"])
            if number == period.number:
                entry[0] += Decimal(flat["amount"])
        amount = Decimal(summary["verified_cofinancing"][0]["amount"])
        cofinancing[label][1] += amount
        if number == period.number:
            cofinancing[label][0] += amount
    return {k: v for k, v in money.items() if v[1]}, dict(cofinancing), dict(flat_rates)


def test_demo_funder_report_figures_equal_the_api(demo, latest_period, api_client):
    project, period = demo, latest_period
    client = api_client(get_user_model().objects.get(username="mu"))
    money, cofinancing, flat_rates = api_totals(client, project, period)
    assert len({partner for partner, _ in money}) >= 3, "the demo should have certified reports of several partners"
    # The demo's option sets all reach the report: every flat rate, other costs and a lump sum.
    assert {name for _, name in flat_rates} == {"staff", "travel", "office", "other_costs"}
    assert any(category == LUMP_SUMS for _, category in money)

    xlsx = client.get(f"/api/projects/{project.pk}/funder-reports/{period.number}.xlsx")
    assert xlsx.status_code == 200
    workbook = load_workbook(BytesIO(xlsx.content))
    finance_rows = {(row[0], row[1]): row for row in workbook["Finances"].iter_rows(min_row=2, values_only=True)
                    if row[0] and row[1]}
    for key, (this_period, cumulative) in money.items():
        row = finance_rows[key]
        assert (Decimal(str(row[3])), Decimal(str(row[4]))) == (this_period, cumulative), key
    flat_rate_rows = defaultdict(list)
    for row in workbook["Flat rates"].iter_rows(min_row=2, values_only=True):
        if row[0] and row[2] is not None:
            flat_rate_rows[row[0]].append((Decimal(str(row[4])), Decimal(str(row[6]))))
    for partner in {partner for partner, _ in flat_rates}:
        assert sorted(flat_rate_rows[partner]) == sorted(
            tuple(amounts) for (p, _), amounts in flat_rates.items() if p == partner), partner
    # A partner's first row is in its own currency, as its API summary is; OUS (NOK) has a converted row after it.
    cofinancing_rows = {}
    for row in workbook["Co-financing"].iter_rows(min_row=2, values_only=True):
        if row[0] and row[1]:
            cofinancing_rows.setdefault(row[0], row)
    for partner, (this_period, cumulative) in cofinancing.items():
        row = cofinancing_rows[partner]
        assert (Decimal(str(row[4])), Decimal(str(row[6]))) == (this_period, cumulative), partner

    pdf = client.get(f"/api/projects/{project.pk}/funder-reports/{period.number}.pdf")
    assert pdf.status_code == 200
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages).split())
    for (partner, category), (this_period, cumulative) in money.items():
        assert f"{partner} {category}" in text
        assert f"{format_money(this_period)} {format_money(cumulative)}" in text, (partner, category)
    for partner, (this_period, cumulative) in cofinancing.items():
        assert format_money(this_period) in text and format_money(cumulative) in text, partner
    for code in project.deliverables.values_list("code", flat=True):
        assert code in text
    for partner in project.partners.select_related("organisation"):
        assert partner.organisation.name in text
